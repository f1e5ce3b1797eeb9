import { sql } from 'drizzle-orm';
import { boolean, index, integer, jsonb, pgTable, text, timestamp, uniqueIndex, uuid } from 'drizzle-orm/pg-core';

/** Shipments through the courier port; the status changes only on a verified courier callback. */
export const shipments = pgTable(
  'platform_shipments',
  {
    id: uuid('id').primaryKey(),
    orderRef: text('order_ref').notNull(),
    provider: text('provider').notNull(),
    trackingNo: text('tracking_no').notNull(),
    recipientName: text('recipient_name').notNull(),
    phone: text('phone').notNull(),
    district: text('district').notNull(),
    addressDetail: text('address_detail').notNull(),
    itemDescription: text('item_description').notNull(),
    /** created → picked_up → in_transit → delivered, or failed from any state before delivered */
    status: text('status').notNull().default('created'),
    createdAt: timestamp('created_at', { withTimezone: true, mode: 'date' }).notNull().defaultNow(),
    updatedAt: timestamp('updated_at', { withTimezone: true, mode: 'date' }).notNull().defaultNow(),
  },
  (t) => [index('platform_shipments_order_idx').on(t.orderRef), uniqueIndex('platform_shipments_tracking_idx').on(t.trackingNo)],
);

/** The shipment's tracking history; also the record that makes courier callbacks idempotent. */
export const shipmentEvents = pgTable(
  'platform_shipment_events',
  {
    id: uuid('id')
      .primaryKey()
      .default(sql`gen_random_uuid()`),
    shipmentId: uuid('shipment_id')
      .notNull()
      .references(() => shipments.id),
    provider: text('provider').notNull(),
    eventId: text('event_id').notNull(),
    status: text('status').notNull(),
    occurredAt: timestamp('occurred_at', { withTimezone: true, mode: 'date' }).notNull(),
    locationNote: text('location_note'),
    receivedAt: timestamp('received_at', { withTimezone: true, mode: 'date' }).notNull().defaultNow(),
    /** false: recorded, but late or a regression, so the shipment's status did not change. */
    applied: boolean('applied').notNull(),
    response: jsonb('response').$type<Record<string, unknown>>().notNull(),
  },
  (t) => [uniqueIndex('platform_shipment_events_event_idx').on(t.provider, t.eventId), index('platform_shipment_events_shipment_idx').on(t.shipmentId)],
);

/** The sandbox courier's own records: what a real courier would hold on its side. */
export const sandboxParcels = pgTable(
  'platform_sandbox_parcels',
  {
    trackingNo: text('tracking_no').primaryKey(),
    shipmentId: uuid('shipment_id').notNull(),
    recipientName: text('recipient_name').notNull(),
    district: text('district').notNull(),
    itemDescription: text('item_description').notNull(),
    status: text('status').notNull().default('created'),
    eventSeq: integer('event_seq').notNull().default(0),
    createdAt: timestamp('created_at', { withTimezone: true, mode: 'date' }).notNull().defaultNow(),
    updatedAt: timestamp('updated_at', { withTimezone: true, mode: 'date' }).notNull().defaultNow(),
  },
  (t) => [index('platform_sandbox_parcels_created_idx').on(t.createdAt)],
);
