import { and, desc, eq, gt, inArray, isNull, lte, or, sql } from 'drizzle-orm';
import type { Actor } from '../../platform/auth/actor.js';
import { hasRole } from '../../platform/auth/actor.js';
import { recordAudit, actorFields } from '../../platform/audit/audit.js';
import type { AppContext } from '../../platform/context.js';
import { ForbiddenError, NotFoundError } from '../../platform/http/errors.js';
import type { Locale } from '../../platform/i18n/i18n.js';
import { arrivalsAt, assignVehicleToBlock, transitClock } from './live/index.js';
import { haversine } from './transit.geo.js';
import { loadNetwork, type TransitNetwork } from './transit.network.js';
import { alerts, arrivalSubscriptions, feeds, vehicleAssignments, type AlertKind } from './transit.schema.js';

// ---------------------------------------------------------------------------------------------------
// The network as pages see it: loaded once, reloaded when an agency's active feed changes.

interface NetworkCache {
  net: TransitNetwork | null;
  loading: Promise<TransitNetwork> | null;
  checkedAt: number;
  key: string;
}
const caches = new WeakMap<AppContext, NetworkCache>();

async function activeKey(ctx: AppContext): Promise<string> {
  const rows = await ctx.db.select({ id: feeds.id }).from(feeds).where(eq(feeds.active, true));
  return rows
    .map((r) => r.id)
    .sort()
    .join(',');
}

/** The active static network (every agency); re-checked for a newer feed at most every 5 s. */
export async function networkOf(ctx: AppContext): Promise<TransitNetwork> {
  let c = caches.get(ctx);
  if (!c) caches.set(ctx, (c = { net: null, loading: null, checkedAt: 0, key: '' }));
  const cache = c;
  if (cache.net && Date.now() - cache.checkedAt < 5000) return cache.net;
  if (cache.loading) return cache.loading;
  cache.loading = (async () => {
    try {
      const key = await activeKey(ctx);
      cache.checkedAt = Date.now();
      if (!cache.net || key !== cache.key) {
        cache.net = await loadNetwork(ctx.db);
        cache.key = key;
      }
      return cache.net;
    } finally {
      cache.loading = null;
    }
  })();
  return cache.loading;
}

/** Forget the cached network (after an import in this process). */
export function invalidateNetwork(ctx: AppContext): void {
  caches.delete(ctx);
}

export const nowOf = (ctx: AppContext): number => transitClock(ctx).now();

// ---------------------------------------------------------------------------------------------------
// Who may operate an agency: its operators and its department admin (platform admin everywhere).

export function mayOperate(actor: Actor | null, agencyCode: string): boolean {
  if (!actor || actor.kind !== 'staff') return false;
  if (actor.roles.includes('platform_admin')) return true;
  return actor.departmentCode === agencyCode && hasRole(actor, ['operator', 'dept_admin']);
}

export function assertOperates(actor: Actor | null, agencyCode: string): asserts actor is Actor {
  if (!mayOperate(actor, agencyCode)) throw new ForbiddenError();
}

/** The agencies a staff member may operate (platform admins: every agency with a feed). */
export async function operatedAgencies(ctx: AppContext, actor: Actor | null): Promise<string[]> {
  if (!actor || actor.kind !== 'staff') return [];
  if (actor.roles.includes('platform_admin')) {
    const rows = await ctx.db.selectDistinct({ code: feeds.agencyCode }).from(feeds);
    const codes = new Set(['bus-group', 'xinjin-transport', ...rows.map((r) => r.code)]);
    return [...codes].sort();
  }
  return actor.departmentCode && mayOperate(actor, actor.departmentCode) ? [actor.departmentCode] : [];
}

// ---------------------------------------------------------------------------------------------------
// Service alerts.

export const alertKinds: AlertKind[] = ['detour', 'cancellation', 'closed_stop', 'other'];

export interface AlertInput {
  kind: string;
  routeId: string;
  stopId: string;
  tripId: string;
  headerZh: string;
  headerEn: string;
  descriptionZh: string;
  descriptionEn: string;
  startsAt: string;
  endsAt: string;
}

export type AlertErrors = Partial<Record<keyof AlertInput, string>>;

export type AlertRow = typeof alerts.$inferSelect;

/** Parses a `datetime-local` value (Beijing time, the city's) or an ISO string; null when invalid. */
export function parseLocalDateTime(value: string): Date | null {
  const v = value.trim();
  if (!v) return null;
  const m = /^(\d{4})-(\d{2})-(\d{2})[T ](\d{2}):(\d{2})(?::(\d{2}))?$/.exec(v);
  if (m) {
    const d = new Date(`${m[1]}-${m[2]}-${m[3]}T${m[4]}:${m[5]}:${m[6] ?? '00'}+08:00`);
    return Number.isNaN(d.getTime()) ? null : d;
  }
  const d = new Date(v);
  return /^\d{4}-\d{2}-\d{2}T/.test(v) && !Number.isNaN(d.getTime()) ? d : null;
}

export async function validateAlert(
  ctx: AppContext,
  agencyCode: string,
  input: AlertInput,
): Promise<{ errors: AlertErrors; starts?: Date; ends?: Date | null }> {
  const errors: AlertErrors = {};
  const net = await networkOf(ctx);
  if (!alertKinds.includes(input.kind as AlertKind)) errors.kind = 'transit.alert.error.kind';
  const routeId = input.routeId.trim();
  const stopId = input.stopId.trim();
  const tripId = input.tripId.trim();
  if (!routeId && !stopId && !tripId) errors.routeId = 'transit.alert.error.target';
  if (routeId && net.routes.get(routeId)?.agencyCode !== agencyCode) errors.routeId = 'transit.alert.error.route';
  if (stopId && net.stops.get(stopId)?.agencyCode !== agencyCode) errors.stopId = 'transit.alert.error.stop';
  if (tripId && net.trips.get(tripId)?.agencyCode !== agencyCode) errors.tripId = 'transit.alert.error.trip';
  if (input.kind === 'cancellation' && !tripId) errors.tripId = 'transit.alert.error.cancelTrip';
  if (input.kind === 'closed_stop' && !stopId) errors.stopId = 'transit.alert.error.closedStop';
  if (!input.headerZh.trim() || input.headerZh.length > 200) errors.headerZh = 'transit.alert.error.header';
  if (!input.headerEn.trim() || input.headerEn.length > 200) errors.headerEn = 'transit.alert.error.header';
  if (input.descriptionZh.length > 2000) errors.descriptionZh = 'transit.alert.error.description';
  if (input.descriptionEn.length > 2000) errors.descriptionEn = 'transit.alert.error.description';
  const starts = parseLocalDateTime(input.startsAt);
  if (!starts) errors.startsAt = 'transit.alert.error.startsAt';
  let ends: Date | null = null;
  if (input.endsAt.trim()) {
    ends = parseLocalDateTime(input.endsAt);
    if (!ends) errors.endsAt = 'transit.alert.error.endsAt';
    else if (starts && ends <= starts) errors.endsAt = 'transit.alert.error.endsBeforeStart';
  }
  return { errors, ...(starts ? { starts } : {}), ends };
}

export async function createAlert(ctx: AppContext, actor: Actor | null, agencyCode: string, input: AlertInput): Promise<{ errors: AlertErrors; id?: string }> {
  assertOperates(actor, agencyCode);
  const { errors, starts, ends } = await validateAlert(ctx, agencyCode, input);
  if (Object.keys(errors).length > 0 || !starts) return { errors };
  const id = await ctx.db.transaction(async (tx) => {
    const [row] = await tx
      .insert(alerts)
      .values({
        agencyCode,
        kind: input.kind as AlertKind,
        routeId: input.routeId.trim() || null,
        stopId: input.stopId.trim() || null,
        tripId: input.tripId.trim() || null,
        headerZh: input.headerZh.trim(),
        headerEn: input.headerEn.trim(),
        descriptionZh: input.descriptionZh.trim(),
        descriptionEn: input.descriptionEn.trim(),
        startsAt: starts,
        endsAt: ends ?? null,
        createdBy: actor.userId,
      })
      .returning({ id: alerts.id });
    await recordAudit(tx, {
      ...actorFields(actor),
      action: 'transit.alert.publish',
      outcome: 'ok',
      resourceType: 'transit_alert',
      resourceId: row!.id,
      detail: { agencyCode, kind: input.kind, routeId: input.routeId, stopId: input.stopId, tripId: input.tripId },
    });
    return row!.id;
  });
  return { errors: {}, id };
}

export async function withdrawAlert(ctx: AppContext, actor: Actor | null, id: string): Promise<void> {
  const [row] = await ctx.db.select().from(alerts).where(eq(alerts.id, id));
  if (!row) throw new NotFoundError();
  assertOperates(actor, row.agencyCode);
  await ctx.db.transaction(async (tx) => {
    await tx.update(alerts).set({ withdrawnAt: new Date(), updatedAt: new Date() }).where(eq(alerts.id, id));
    await recordAudit(tx, { ...actorFields(actor), action: 'transit.alert.withdraw', outcome: 'ok', resourceType: 'transit_alert', resourceId: id });
  });
}

export async function listAlerts(ctx: AppContext, agencyCode: string): Promise<AlertRow[]> {
  return ctx.db.select().from(alerts).where(eq(alerts.agencyCode, agencyCode)).orderBy(desc(alerts.createdAt)).limit(200);
}

/** Alerts in force at `nowUnix` (every agency), newest first. */
export async function activeAlerts(ctx: AppContext, nowUnix: number): Promise<AlertRow[]> {
  const now = new Date(nowUnix * 1000);
  return ctx.db
    .select()
    .from(alerts)
    .where(and(isNull(alerts.withdrawnAt), lte(alerts.startsAt, now), or(isNull(alerts.endsAt), gt(alerts.endsAt, now))))
    .orderBy(desc(alerts.startsAt));
}

/** Alerts that concern a stop, a route or trips (any of them). */
export function alertsFor(list: AlertRow[], target: { stopId?: string; routeIds?: Iterable<string>; tripIds?: Iterable<string> }): AlertRow[] {
  const routes = new Set(target.routeIds ?? []);
  const trips = new Set(target.tripIds ?? []);
  return list.filter(
    (a) =>
      (a.stopId !== null && a.stopId === target.stopId) ||
      (a.routeId !== null && routes.has(a.routeId) && (a.stopId === null || a.stopId === target.stopId || target.stopId === undefined)) ||
      (a.tripId !== null && trips.has(a.tripId)),
  );
}

/** Trips cancelled by an alert in force. */
export async function cancelledTripIds(ctx: AppContext, nowUnix: number): Promise<Set<string>> {
  return new Set((await activeAlerts(ctx, nowUnix)).filter((a) => a.kind === 'cancellation' && a.tripId).map((a) => a.tripId!));
}

export const alertHeader = (a: AlertRow, locale: Locale) => (locale === 'en' ? a.headerEn : a.headerZh);
export const alertDescription = (a: AlertRow, locale: Locale) => (locale === 'en' ? a.descriptionEn : a.descriptionZh);

// ---------------------------------------------------------------------------------------------------
// Stops and arrivals for riders.

export interface StopArrival {
  routeId: string;
  routeName: string;
  tripId: string;
  headsign: string;
  vehicleId: string | null;
  predicted: number;
  scheduled: number;
  live: boolean;
  cancelled: boolean;
  /** When the vehicle was last heard (live only). */
  seenAt: number | null;
}

export function routeName(net: TransitNetwork, routeId: string): string {
  const r = net.routes.get(routeId);
  return r?.shortName ?? r?.longName ?? routeId;
}

/** Next arrivals at a stop from the live engine (live and scheduled), cancelled trips marked as such. */
export async function stopArrivals(ctx: AppContext, stopId: string, seen: Map<string, number>): Promise<{ arrivals: StopArrival[]; now: number }> {
  const net = await networkOf(ctx);
  const now = nowOf(ctx);
  const cancelled = await cancelledTripIds(ctx, now);
  const arrivals = arrivalsAt(ctx, stopId, now).map((a) => {
    const trip = net.trips.get(a.tripId);
    const isCancelled = cancelled.has(a.tripId);
    return {
      routeId: a.routeId,
      routeName: routeName(net, a.routeId),
      tripId: a.tripId,
      headsign: trip?.headsign ?? '',
      // A cancelled trip is shown as cancelled, never as a bus on its way.
      vehicleId: isCancelled ? null : a.vehicleId,
      predicted: isCancelled ? a.scheduled : a.predicted,
      scheduled: a.scheduled,
      live: a.live && !isCancelled,
      cancelled: isCancelled,
      seenAt: a.vehicleId ? (seen.get(a.vehicleId) ?? null) : null,
    };
  });
  return { arrivals, now };
}

export interface StopHit {
  id: string;
  name: string;
  code: string | null;
  agencyCode: string;
  distance?: number;
  routes: string[];
}

function hit(net: TransitNetwork, id: string, distance?: number): StopHit {
  const s = net.stops.get(id)!;
  const routes = new Set((net.tripsByStop.get(id) ?? []).map((t) => routeName(net, t.routeId)));
  return {
    id,
    name: s.name,
    code: s.code,
    agencyCode: s.agencyCode,
    ...(distance !== undefined ? { distance: Math.round(distance) } : {}),
    routes: [...routes].sort(),
  };
}

/** Stops whose name or code contains the words (case-insensitive), boarding points first, at most 30. */
export function searchStops(net: TransitNetwork, q: string): StopHit[] {
  const words = q.trim().toLowerCase().split(/\s+/).filter(Boolean);
  if (words.length === 0) return [];
  const out: StopHit[] = [];
  for (const s of net.stops.values()) {
    if (s.locationType !== 0) continue;
    const hay = `${s.name} ${s.code ?? ''} ${s.id}`.toLowerCase();
    if (words.every((w) => hay.includes(w))) out.push(hit(net, s.id));
    if (out.length >= 30) break;
  }
  return out.sort((a, b) => a.name.localeCompare(b.name));
}

/** The nearest boarding stops within `radius` metres. */
export function nearbyStops(net: TransitNetwork, lat: number, lon: number, radius = 1000, limit = 15): StopHit[] {
  const found: [string, number][] = [];
  for (const s of net.stops.values()) {
    if (s.locationType !== 0) continue;
    const d = haversine(lat, lon, s.lat, s.lon);
    if (d <= radius) found.push([s.id, d]);
  }
  found.sort((a, b) => a[1] - b[1]);
  return found.slice(0, limit).map(([id, d]) => hit(net, id, d));
}

// ---------------------------------------------------------------------------------------------------
// "Tell me when my bus is N minutes away".

export const subscriptionMinutes = [2, 5, 10, 15] as const;

export async function subscribe(ctx: AppContext, actor: Actor | null, stopId: string, routeId: string | null, minutes: number): Promise<string> {
  if (!actor) throw new ForbiddenError();
  const now = nowOf(ctx);
  const [row] = await ctx.db
    .insert(arrivalSubscriptions)
    .values({ userId: actor.userId, stopId, routeId, minutes, expiresAt: new Date((now + 3 * 3600) * 1000) })
    .returning({ id: arrivalSubscriptions.id });
  return row!.id;
}

export async function mySubscriptions(ctx: AppContext, userId: string, stopId: string) {
  const now = new Date(nowOf(ctx) * 1000);
  return ctx.db
    .select()
    .from(arrivalSubscriptions)
    .where(
      and(
        eq(arrivalSubscriptions.userId, userId),
        eq(arrivalSubscriptions.stopId, stopId),
        isNull(arrivalSubscriptions.cancelledAt),
        isNull(arrivalSubscriptions.notifiedAt),
        gt(arrivalSubscriptions.expiresAt, now),
      ),
    );
}

export async function cancelSubscription(ctx: AppContext, userId: string, id: string): Promise<boolean> {
  const rows = await ctx.db
    .update(arrivalSubscriptions)
    .set({ cancelledAt: new Date() })
    .where(and(eq(arrivalSubscriptions.id, id), eq(arrivalSubscriptions.userId, userId), isNull(arrivalSubscriptions.cancelledAt)))
    .returning({ id: arrivalSubscriptions.id });
  return rows.length > 0;
}

/**
 * Sends the notice for each open subscription whose bus is now within its minutes (live predictions
 * only: a timetable guess is not "your bus is near"). A subscription is claimed with a conditional
 * UPDATE, so two instances running this never notify twice.
 */
export async function checkSubscriptions(ctx: AppContext): Promise<number> {
  const now = nowOf(ctx);
  const open = await ctx.db
    .select()
    .from(arrivalSubscriptions)
    .where(and(isNull(arrivalSubscriptions.notifiedAt), isNull(arrivalSubscriptions.cancelledAt), gt(arrivalSubscriptions.expiresAt, new Date(now * 1000))))
    .limit(5000);
  if (open.length === 0) return 0;
  const net = await networkOf(ctx);
  const cancelled = await cancelledTripIds(ctx, now);
  let sent = 0;
  const byStop = new Map<string, ReturnType<typeof arrivalsAt>>();
  for (const sub of open) {
    let arr = byStop.get(sub.stopId);
    if (!arr) byStop.set(sub.stopId, (arr = arrivalsAt(ctx, sub.stopId, now)));
    const next = arr.find((a) => a.live && !cancelled.has(a.tripId) && (!sub.routeId || a.routeId === sub.routeId) && a.predicted >= now);
    if (!next || next.predicted - now > sub.minutes * 60) continue;
    const minutes = Math.max(0, Math.round((next.predicted - now) / 60));
    await ctx.db.transaction(async (tx) => {
      const claimed = await tx
        .update(arrivalSubscriptions)
        .set({ notifiedAt: new Date(), notifiedTripId: next.tripId })
        .where(and(eq(arrivalSubscriptions.id, sub.id), isNull(arrivalSubscriptions.notifiedAt)))
        .returning({ id: arrivalSubscriptions.id });
      if (claimed.length === 0) return;
      await ctx.notify.send(tx, {
        userId: sub.userId,
        channels: ['inbox'],
        template: 'transit-arrival',
        params: { route: routeName(net, next.routeId), stop: net.stops.get(sub.stopId)?.name ?? sub.stopId, minutes },
        locale: 'zh-CN',
      });
      sent++;
    });
  }
  return sent;
}

// ---------------------------------------------------------------------------------------------------
// Vehicle → block assignments (console).

export async function assignVehicle(ctx: AppContext, actor: Actor | null, agencyCode: string, vehicleId: string, blockId: string | null): Promise<void> {
  assertOperates(actor, agencyCode);
  await ctx.db.transaction(async (tx) => {
    if (blockId) {
      await tx
        .insert(vehicleAssignments)
        .values({ agencyCode, vehicleId, blockId, assignedBy: actor.userId })
        .onConflictDoUpdate({
          target: [vehicleAssignments.agencyCode, vehicleAssignments.vehicleId],
          set: { blockId, assignedBy: actor.userId, assignedAt: new Date() },
        });
    } else {
      await tx.delete(vehicleAssignments).where(and(eq(vehicleAssignments.agencyCode, agencyCode), eq(vehicleAssignments.vehicleId, vehicleId)));
    }
    await recordAudit(tx, {
      ...actorFields(actor),
      action: blockId ? 'transit.vehicle.assign' : 'transit.vehicle.unassign',
      outcome: 'ok',
      resourceType: 'transit_vehicle',
      resourceId: `${agencyCode}/${vehicleId}`,
      detail: { blockId },
    });
  });
  assignVehicleToBlock(ctx, agencyCode, vehicleId, blockId);
}

export async function listAssignments(ctx: AppContext, agencyCode?: string) {
  return ctx.db
    .select()
    .from(vehicleAssignments)
    .where(agencyCode ? eq(vehicleAssignments.agencyCode, agencyCode) : sql`true`);
}

export async function feedsOf(ctx: AppContext, agencyCode: string) {
  return ctx.db.select().from(feeds).where(eq(feeds.agencyCode, agencyCode)).orderBy(desc(feeds.version)).limit(20);
}

export async function feedById(ctx: AppContext, id: string) {
  const [row] = await ctx.db
    .select()
    .from(feeds)
    .where(inArray(feeds.id, [id]));
  return row ?? null;
}
