import type { AppContext } from '../../../platform/context.js';
import type { AppModule } from '../../../platform/module.js';
import type { VehicleListener } from './live.engine.js';
import { registerLiveRoutes } from './live.routes.js';
import { liveOf, purgeOldPositions, positionPurgeQueue, startLive, type LiveClock } from './live.service.js';
import type { Arrival, LiveVehicle } from './live.types.js';

/**
 * Transit live: vehicle positions in (HTTP batches, MQTT, GTFS-Realtime polling), matching to block, trip and
 * distance along the shape, arrival predictions, the live view (SSE) for the route maps. The rest of the transit
 * module (static GTFS, rider pages, alerts, GTFS-RT out, console) uses it only through the functions below.
 */
export const transitLiveModule: AppModule = {
  name: 'transit-live',
  async defineJobs(ctx) {
    await ctx.jobs.define(positionPurgeQueue, async () => void (await purgeOldPositions(ctx)), { retryLimit: 1 });
    await ctx.jobs.schedule(positionPurgeQueue, '23 * * * *');
  },
  async register(app, ctx) {
    await registerLiveRoutes(app, ctx);
    app.addHook('onReady', async () => {
      await startLive(ctx);
    });
    app.addHook('onClose', async () => {
      await liveOf(ctx).stop();
    });
  },
};

export type { Arrival, LiveVehicle, StopTimeUpdate, PositionInput } from './live.types.js';
export type { VehicleEvent, VehicleListener } from './live.engine.js';
export type { LiveClock } from './live.service.js';

/** Next arrivals at a stop (live and scheduled), ordered by predicted time; times in unix seconds. */
export function arrivalsAt(ctx: AppContext, stopId: string, now?: number): Arrival[] {
  return liveOf(ctx).arrivalsAt(stopId, now);
}

/** Vehicles heard within TRANSIT_VEHICLE_TIMEOUT_SECONDS, with match and predictions (for GTFS-RT out and the maps). */
export function liveVehicles(ctx: AppContext, agencyCode?: string): LiveVehicle[] {
  return liveOf(ctx).liveVehicles(agencyCode);
}

/** Every vehicle ever heard since start, including silent ones (the console's online/offline list). */
export function knownVehicles(ctx: AppContext, agencyCode?: string): (LiveVehicle & { online: boolean })[] {
  const rt = liveOf(ctx);
  const now = rt.clock.now();
  return rt.engine.allVehicles(agencyCode).map((v) => ({ ...v, online: now - v.timestamp <= rt.engine.options.vehicleTimeoutSeconds }));
}

/** Live events of one route's vehicles (routeId, or `*` for all); returns the unsubscribe function. */
export function subscribeVehicles(ctx: AppContext, routeId: string, listener: VehicleListener): () => void {
  return liveOf(ctx).subscribe(routeId, listener);
}

/** The transit clock (TRANSIT_CLOCK=replay: the time of the newest ingested position). */
export function transitClock(ctx: AppContext): LiveClock {
  return liveOf(ctx).clock;
}

/** Re-read the active static feeds; call after an import switched a feed (other instances notice within 5 s). */
export async function reloadLiveNetworks(ctx: AppContext): Promise<void> {
  await liveOf(ctx).reloadNetworks();
}

/** The console's manual vehicle → block assignment (null clears it); takes effect from the vehicle's next position. */
export function assignVehicleToBlock(ctx: AppContext, agencyCode: string, vehicleId: string, blockId: string | null): void {
  liveOf(ctx).engine.assignBlock(agencyCode, vehicleId, blockId);
}

/** SSE path of a route's live vehicles, for the map island. */
export const vehicleEventsPath = (routeId: string) => `/api/v1/transit/routes/${encodeURIComponent(routeId)}/vehicles/events`;
