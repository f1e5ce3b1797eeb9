import { sql } from 'drizzle-orm';
import { boolean, index, integer, jsonb, pgTable, text, timestamp, uniqueIndex, uuid } from 'drizzle-orm/pg-core';

/** Payments through the payment port; the status changes only on a verified provider callback. */
export const payments = pgTable(
  'platform_payments',
  {
    id: uuid('id').primaryKey(),
    orderRef: text('order_ref').notNull(),
    amountFen: integer('amount_fen').notNull(),
    descriptionZh: text('description_zh').notNull(),
    descriptionEn: text('description_en').notNull(),
    payerUserId: uuid('payer_user_id'),
    returnUrl: text('return_url').notNull(),
    provider: text('provider').notNull(),
    providerRef: text('provider_ref').notNull(),
    payUrl: text('pay_url').notNull(),
    /** pending → paid | failed; paid → refunded */
    status: text('status').notNull().default('pending'),
    refundReason: text('refund_reason'),
    refundRequestedAt: timestamp('refund_requested_at', { withTimezone: true, mode: 'date' }),
    createdAt: timestamp('created_at', { withTimezone: true, mode: 'date' }).notNull().defaultNow(),
    updatedAt: timestamp('updated_at', { withTimezone: true, mode: 'date' }).notNull().defaultNow(),
    paidAt: timestamp('paid_at', { withTimezone: true, mode: 'date' }),
    failedAt: timestamp('failed_at', { withTimezone: true, mode: 'date' }),
    refundedAt: timestamp('refunded_at', { withTimezone: true, mode: 'date' }),
  },
  (t) => [index('platform_payments_order_idx').on(t.orderRef), uniqueIndex('platform_payments_provider_ref_idx').on(t.provider, t.providerRef)],
);

/** Every provider callback received, once per event id: the record that makes callbacks idempotent. */
export const paymentEvents = pgTable(
  'platform_payment_events',
  {
    id: uuid('id')
      .primaryKey()
      .default(sql`gen_random_uuid()`),
    provider: text('provider').notNull(),
    eventId: text('event_id').notNull(),
    paymentId: uuid('payment_id')
      .notNull()
      .references(() => payments.id),
    type: text('type').notNull(),
    occurredAt: timestamp('occurred_at', { withTimezone: true, mode: 'date' }).notNull(),
    receivedAt: timestamp('received_at', { withTimezone: true, mode: 'date' }).notNull().defaultNow(),
    /** false: recorded but out of order or a repeat of the state, so it changed nothing. */
    applied: boolean('applied').notNull(),
    /** The answer given, repeated verbatim for a duplicate delivery. */
    response: jsonb('response').$type<Record<string, unknown>>().notNull(),
  },
  (t) => [uniqueIndex('platform_payment_events_event_idx').on(t.provider, t.eventId), index('platform_payment_events_payment_idx').on(t.paymentId)],
);

/** The sandbox provider's own ledger: what a real provider would hold on its side. */
export const sandboxCharges = pgTable('platform_sandbox_charges', {
  id: uuid('id').primaryKey(),
  paymentId: uuid('payment_id').notNull(),
  amountFen: integer('amount_fen').notNull(),
  descriptionZh: text('description_zh').notNull(),
  descriptionEn: text('description_en').notNull(),
  returnUrl: text('return_url').notNull(),
  /** open → paid | failed; paid → refunded */
  status: text('status').notNull().default('open'),
  /** Numbers the callbacks of this charge, to give each a stable event id. */
  eventSeq: integer('event_seq').notNull().default(0),
  createdAt: timestamp('created_at', { withTimezone: true, mode: 'date' }).notNull().defaultNow(),
  updatedAt: timestamp('updated_at', { withTimezone: true, mode: 'date' }).notNull().defaultNow(),
});
