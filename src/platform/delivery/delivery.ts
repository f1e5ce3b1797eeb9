import { randomUUID } from 'node:crypto';
import { and, asc, desc, eq, inArray, sql } from 'drizzle-orm';
import type { Clock } from '../context.js';
import type { Db, Executor } from '../db/db.js';
import { NotFoundError, ValidationError } from '../http/errors.js';
import type { Outbox } from '../outbox/outbox.js';
import { inTransaction } from '../payments/payments.js';
import { shipmentEvents, shipments } from './delivery.schema.js';

export const shipmentStatuses = ['created', 'picked_up', 'in_transit', 'delivered', 'failed'] as const;
export type ShipmentStatus = (typeof shipmentStatuses)[number];
/** The statuses a courier reports (created is the port's own). */
export type CourierStatus = Exclude<ShipmentStatus, 'created'>;

export interface CreateShipmentInput {
  /** The caller's reference, e.g. an application id; at most one live (not failed) shipment per reference. */
  orderRef: string;
  recipientName: string;
  phone: string;
  address: { district: string; detail: string };
  itemDescription: string;
}

export interface ShipmentEventView {
  status: ShipmentStatus;
  at: Date;
  locationNote: string | null;
  /** false: recorded but late (out of order), so it did not change the status. */
  applied: boolean;
}

export interface ShipmentView {
  id: string;
  orderRef: string;
  provider: string;
  trackingNo: string;
  status: ShipmentStatus;
  recipientName: string;
  phone: string;
  address: { district: string; detail: string };
  itemDescription: string;
  createdAt: Date;
  updatedAt: Date;
  /** Oldest first. */
  events: ShipmentEventView[];
}

/** A courier callback, already verified and parsed. */
export interface ProviderShipmentEvent {
  eventId: string;
  trackingNo: string;
  status: CourierStatus;
  occurredAt: Date;
  locationNote: string | null;
}

export interface ShipmentCallbackResult {
  eventId: string;
  shipmentId: string;
  trackingNo: string;
  status: ShipmentStatus;
  applied: boolean;
}

/** Where real couriers plug in: book a parcel (in the port's transaction) and get its tracking number. */
export interface CourierProvider {
  readonly name: string;
  book(
    executor: Executor,
    shipment: { shipmentId: string; recipientName: string; phone: string; district: string; detail: string; itemDescription: string },
  ): Promise<{ trackingNo: string }>;
}

export interface Delivery {
  readonly provider: CourierProvider;
  /** Books a shipment; for an order that already has one that has not failed, returns that one instead. */
  createShipment(input: CreateShipmentInput, executor?: Executor): Promise<{ shipmentId: string; trackingNo: string }>;
  getShipment(id: string): Promise<ShipmentView | null>;
  listForOrder(orderRef: string): Promise<ShipmentView[]>;
  /** Applies a verified courier callback: idempotent per event id; a late event is recorded but never moves the status back. */
  applyCallback(provider: string, event: ProviderShipmentEvent): Promise<ShipmentCallbackResult>;
}

const rank: Record<ShipmentStatus, number> = { created: 0, picked_up: 1, in_transit: 2, delivered: 3, failed: 3 };
const finalStatuses: ReadonlySet<ShipmentStatus> = new Set(['delivered', 'failed']);

/** Whether a shipment in `current` moves to `next`: forward only, failed from any state before the end. */
export function shipmentMoves(current: ShipmentStatus, next: ShipmentStatus): boolean {
  if (finalStatuses.has(current)) return false;
  if (next === 'failed') return true;
  return rank[next] > rank[current];
}

// eslint-disable-next-line no-control-regex -- rejecting control characters is the point
const controlChars = /[\u0000-\u001f\u007f]/;
const markup = /[<>]/;
const uuidPattern = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const ok = (v: unknown, max: number) => typeof v === 'string' && v.trim().length > 0 && v.length <= max && !controlChars.test(v) && !markup.test(v);

export function validateShipmentInput(input: CreateShipmentInput): void {
  const errors: Record<string, string> = {};
  if (!ok(input.orderRef, 100)) errors.orderRef = 'port.invalid.orderRef';
  if (!ok(input.recipientName, 50)) errors.recipientName = 'port.invalid.recipientName';
  if (typeof input.phone !== 'string' || !/^1[3-9]\d{9}$/.test(input.phone)) errors.phone = 'port.invalid.phone';
  if (!ok(input.address?.district, 40)) errors.district = 'port.invalid.district';
  if (!ok(input.address?.detail, 200)) errors.addressDetail = 'port.invalid.addressDetail';
  if (!ok(input.itemDescription, 200)) errors.itemDescription = 'port.invalid.itemDescription';
  if (Object.keys(errors).length) throw new ValidationError(errors, 'The shipment request is not valid');
}

export function createDelivery(db: Db, outbox: Outbox, clock: Clock, provider: CourierProvider): Delivery {
  const load = async (rows: (typeof shipments.$inferSelect)[]): Promise<ShipmentView[]> => {
    if (rows.length === 0) return [];
    const events = await db
      .select()
      .from(shipmentEvents)
      .where(
        inArray(
          shipmentEvents.shipmentId,
          rows.map((r) => r.id),
        ),
      )
      .orderBy(asc(shipmentEvents.occurredAt), asc(shipmentEvents.receivedAt));
    return rows.map((r) => ({
      id: r.id,
      orderRef: r.orderRef,
      provider: r.provider,
      trackingNo: r.trackingNo,
      status: r.status as ShipmentStatus,
      recipientName: r.recipientName,
      phone: r.phone,
      address: { district: r.district, detail: r.addressDetail },
      itemDescription: r.itemDescription,
      createdAt: r.createdAt,
      updatedAt: r.updatedAt,
      events: events
        .filter((e) => e.shipmentId === r.id)
        .map((e) => ({ status: e.status as ShipmentStatus, at: e.occurredAt, locationNote: e.locationNote, applied: e.applied })),
    }));
  };

  return {
    provider,

    async createShipment(input, executor) {
      validateShipmentInput(input);
      return inTransaction(db, executor, async (tx) => {
        await tx.execute(sql`SELECT pg_advisory_xact_lock(hashtext(${`shipment:${input.orderRef}`}))`);
        const [live] = await tx
          .select({ id: shipments.id, trackingNo: shipments.trackingNo })
          .from(shipments)
          .where(and(eq(shipments.orderRef, input.orderRef), inArray(shipments.status, ['created', 'picked_up', 'in_transit', 'delivered'])))
          .orderBy(desc(shipments.createdAt))
          .limit(1);
        if (live) return { shipmentId: live.id, trackingNo: live.trackingNo };
        const shipmentId = randomUUID();
        const { trackingNo } = await provider.book(tx, {
          shipmentId,
          recipientName: input.recipientName,
          phone: input.phone,
          district: input.address.district,
          detail: input.address.detail,
          itemDescription: input.itemDescription,
        });
        const now = clock.now();
        await tx.insert(shipments).values({
          id: shipmentId,
          orderRef: input.orderRef,
          provider: provider.name,
          trackingNo,
          recipientName: input.recipientName,
          phone: input.phone,
          district: input.address.district,
          addressDetail: input.address.detail,
          itemDescription: input.itemDescription,
          createdAt: now,
          updatedAt: now,
        });
        // The first line of the tracking history is the port's own.
        const created: ShipmentCallbackResult = { eventId: `created:${shipmentId}`, shipmentId, trackingNo, status: 'created', applied: true };
        await tx.insert(shipmentEvents).values({
          shipmentId,
          provider: provider.name,
          eventId: created.eventId,
          status: 'created',
          occurredAt: now,
          locationNote: null,
          receivedAt: now,
          applied: true,
          response: { ...created },
        });
        await outbox.emit(tx, 'shipment.status_changed', { shipmentId, orderRef: input.orderRef, status: 'created', trackingNo });
        return { shipmentId, trackingNo };
      });
    },

    async getShipment(id) {
      if (!uuidPattern.test(id)) return null;
      const rows = await db.select().from(shipments).where(eq(shipments.id, id));
      return (await load(rows))[0] ?? null;
    },

    async listForOrder(orderRef) {
      return load(await db.select().from(shipments).where(eq(shipments.orderRef, orderRef)).orderBy(asc(shipments.createdAt)));
    },

    async applyCallback(providerName, event) {
      return db.transaction(async (tx) => {
        // The shipment's row lock serialises its callbacks, including two copies of one event.
        const [row] = await tx
          .select()
          .from(shipments)
          .where(and(eq(shipments.provider, providerName), eq(shipments.trackingNo, event.trackingNo)))
          .for('update');
        if (!row) throw new NotFoundError('No shipment with this tracking number');
        const [seen] = await tx
          .select({ response: shipmentEvents.response })
          .from(shipmentEvents)
          .where(and(eq(shipmentEvents.provider, providerName), eq(shipmentEvents.eventId, event.eventId)));
        if (seen) return seen.response as unknown as ShipmentCallbackResult;

        const current = row.status as ShipmentStatus;
        const applied = shipmentMoves(current, event.status);
        const status = applied ? event.status : current;
        const result: ShipmentCallbackResult = { eventId: event.eventId, shipmentId: row.id, trackingNo: row.trackingNo, status, applied };
        if (applied) {
          await tx.update(shipments).set({ status, updatedAt: clock.now() }).where(eq(shipments.id, row.id));
          await outbox.emit(tx, 'shipment.status_changed', { shipmentId: row.id, orderRef: row.orderRef, status, trackingNo: row.trackingNo });
        }
        await tx.insert(shipmentEvents).values({
          shipmentId: row.id,
          provider: providerName,
          eventId: event.eventId,
          status: event.status,
          occurredAt: event.occurredAt,
          locationNote: event.locationNote,
          receivedAt: clock.now(),
          applied,
          response: { ...result },
        });
        return result;
      });
    },
  };
}
