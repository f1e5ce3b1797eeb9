import { desc, eq, sql } from 'drizzle-orm';
import { actorFields, recordAudit } from '../audit/audit.js';
import type { Actor } from '../auth/actor.js';
import type { Clock } from '../context.js';
import type { Db, Executor } from '../db/db.js';
import type { Jobs } from '../jobs/jobs.js';
import type { Webhooks } from '../webhooks/webhooks.js';
import type { CourierProvider, CourierStatus, ShipmentStatus } from './delivery.js';
import { sandboxParcels } from './delivery.schema.js';
import { isValidTrackingNo, newTrackingNo } from './tracking-number.js';

export const sandboxCourierCallbackPath = '/api/v1/delivery/callbacks/sandbox';
export const sandboxCourierAutoQueue = 'platform.sandbox-courier.auto-advance';

/** The body of a sandbox courier callback (documented on the callback route). */
export interface SandboxCourierCallback {
  eventId: string;
  trackingNo: string;
  shipmentId: string;
  status: CourierStatus;
  occurredAt: string;
  locationNote: string | null;
}

export interface SandboxParcel {
  trackingNo: string;
  shipmentId: string;
  recipientName: string;
  district: string;
  itemDescription: string;
  status: ShipmentStatus;
  createdAt: Date;
  updatedAt: Date;
}

export type ParcelCommand = 'advance' | 'fail';

export interface SandboxCourier extends CourierProvider {
  readonly name: 'sandbox';
  list(limit?: number): Promise<SandboxParcel[]>;
  getParcel(trackingNo: string): Promise<SandboxParcel | null>;
  /**
   * Moves a parcel one step on (created → picked_up → in_transit → delivered) or fails it, and queues the
   * signed callback in the same transaction. A finished parcel does not move (changed: false).
   */
  command(
    trackingNo: string,
    command: ParcelCommand,
    options?: { actor?: Actor | null; ip?: string | null; note?: string },
  ): Promise<{ parcel: SandboxParcel; changed: boolean } | null>;
}

const next: Partial<Record<ShipmentStatus, CourierStatus>> = { created: 'picked_up', picked_up: 'in_transit', in_transit: 'delivered' };

function locationNote(status: CourierStatus, district: string): string {
  switch (status) {
    case 'picked_up':
      return `已揽收 Picked up · ${district}`;
    case 'in_transit':
      return '成都转运中心 Chengdu sorting centre';
    case 'delivered':
      return `已签收 Delivered · ${district}`;
    case 'failed':
      return '投递失败 Delivery failed';
  }
}

/**
 * An offline courier with its own parcel records (as a real courier would have). It books parcels with
 * courier-like tracking numbers, moves them on an operator's command (or on a schedule, for the demo) and
 * reports every change with a signed callback that is retried until acknowledged.
 */
export async function createSandboxCourier(db: Db, webhooks: Webhooks, jobs: Jobs, clock: Clock, options: { autoSeconds: number }): Promise<SandboxCourier> {
  const command: SandboxCourier['command'] = async (trackingNo, cmd, commandOptions = {}) => {
    if (!isValidTrackingNo(trackingNo)) return null;
    return db.transaction(async (tx) => {
      const [row] = await tx.select().from(sandboxParcels).where(eq(sandboxParcels.trackingNo, trackingNo)).for('update');
      if (!row) return null;
      const current = row.status as ShipmentStatus;
      const target: CourierStatus | undefined = cmd === 'fail' ? (current === 'delivered' || current === 'failed' ? undefined : 'failed') : next[current];
      const audit = {
        ...actorFields(commandOptions.actor ?? null),
        ...(commandOptions.actor === undefined ? { actorType: 'system' as const } : {}),
        action: `sandbox.courier.${cmd}`,
        resourceType: 'shipment',
        resourceId: row.shipmentId,
        ip: commandOptions.ip ?? null,
      };
      if (!target) {
        if (commandOptions.actor !== undefined) await recordAudit(tx, { ...audit, outcome: 'denied', detail: { trackingNo, status: current } });
        return { parcel: toParcel(row), changed: false };
      }
      const now = clock.now();
      const [updated] = await tx
        .update(sandboxParcels)
        .set({ status: target, updatedAt: now, eventSeq: sql`${sandboxParcels.eventSeq} + 1` })
        .where(eq(sandboxParcels.trackingNo, trackingNo))
        .returning();
      const payload: SandboxCourierCallback = {
        eventId: `${trackingNo}:${updated?.eventSeq ?? 0}`,
        trackingNo,
        shipmentId: row.shipmentId,
        status: target,
        occurredAt: now.toISOString(),
        locationNote: commandOptions.note?.slice(0, 200) || locationNote(target, row.district),
      };
      await webhooks.enqueue(tx, sandboxCourierCallbackPath, { ...payload });
      if (commandOptions.actor !== undefined) await recordAudit(tx, { ...audit, outcome: 'ok', detail: { trackingNo, from: current, to: target } });
      // Only the automatic step schedules the next one, so an operator's command does not start a second chain.
      if (options.autoSeconds > 0 && next[target] && commandOptions.actor === undefined) await scheduleAuto(tx, trackingNo);
      return { parcel: toParcel(updated ?? row), changed: true };
    });
  };

  const scheduleAuto = async (executor: Executor, trackingNo: string) => {
    await jobs.send(sandboxCourierAutoQueue, { trackingNo }, { executor, startAfterSeconds: options.autoSeconds });
  };

  await jobs.define<{ trackingNo: string }>(sandboxCourierAutoQueue, async ({ trackingNo }) => void (await command(trackingNo, 'advance')), {
    retryLimit: 3,
  });

  return {
    name: 'sandbox',

    async book(executor, shipment) {
      // 10^11 numbers: a collision is rare, but a tracking number must never be given twice.
      let trackingNo = newTrackingNo();
      for (let i = 0; i < 5; i++) {
        const [taken] = await executor.select({ t: sandboxParcels.trackingNo }).from(sandboxParcels).where(eq(sandboxParcels.trackingNo, trackingNo));
        if (!taken) break;
        trackingNo = newTrackingNo();
      }
      const now = clock.now();
      await executor.insert(sandboxParcels).values({
        trackingNo,
        shipmentId: shipment.shipmentId,
        recipientName: shipment.recipientName,
        district: shipment.district,
        itemDescription: shipment.itemDescription,
        createdAt: now,
        updatedAt: now,
      });
      if (options.autoSeconds > 0) await scheduleAuto(executor, trackingNo);
      return { trackingNo };
    },

    async list(limit = 50) {
      const rows = await db.select().from(sandboxParcels).orderBy(desc(sandboxParcels.createdAt)).limit(limit);
      return rows.map(toParcel);
    },

    async getParcel(trackingNo) {
      if (!isValidTrackingNo(trackingNo)) return null;
      const [row] = await db.select().from(sandboxParcels).where(eq(sandboxParcels.trackingNo, trackingNo));
      return row ? toParcel(row) : null;
    },

    command,
  };
}

function toParcel(row: typeof sandboxParcels.$inferSelect): SandboxParcel {
  return {
    trackingNo: row.trackingNo,
    shipmentId: row.shipmentId,
    recipientName: row.recipientName,
    district: row.district,
    itemDescription: row.itemDescription,
    status: row.status as ShipmentStatus,
    createdAt: row.createdAt,
    updatedAt: row.updatedAt,
  };
}
