import GtfsRealtimeBindings from 'gtfs-realtime-bindings';
import type { AppContext } from '../../../platform/context.js';
import type { LiveRuntime } from './live.service.js';
import type { IngestResult } from './live.engine.js';
import type { PositionInput } from './live.types.js';
import { parsePositionsBody, positionProblems } from './live.validation.js';

const { transit_realtime: rt } = GtfsRealtimeBindings;

/** uint64 fields arrive as numbers, Long objects, or {low, high} when no Long library is loaded. */
function toNumber(v: unknown): number | undefined {
  if (v === null || v === undefined) return undefined;
  if (typeof v === 'number') return v;
  if (typeof v === 'string') return Number(v);
  const o = v as { toNumber?: () => number; low?: number; high?: number };
  if (typeof o.toNumber === 'function') return o.toNumber();
  if (typeof o.low === 'number' && typeof o.high === 'number') return o.high * 2 ** 32 + (o.low >>> 0);
  return undefined;
}

/**
 * The VehiclePosition entities of a GTFS-Realtime feed as positions. An entity without its own timestamp takes
 * the header's; one without a vehicle id takes the entity id; one without a position is skipped.
 */
export function decodeVehiclePositions(buffer: Uint8Array): PositionInput[] {
  const feed = rt.FeedMessage.decode(buffer);
  const headerTime = toNumber(feed.header.timestamp);
  const out: PositionInput[] = [];
  for (const e of feed.entity) {
    const vp = e.vehicle;
    if (!vp?.position) continue;
    const timestamp = toNumber(vp.timestamp) || headerTime;
    const vehicleId = vp.vehicle?.id || vp.vehicle?.label || e.id;
    if (!timestamp || !vehicleId) continue;
    const p = vp.position;
    out.push({
      vehicleId,
      timestamp,
      lat: p.latitude,
      lon: p.longitude,
      ...(typeof p.bearing === 'number' && p.bearing >= 0 && p.bearing <= 360 ? { bearing: p.bearing } : {}),
      ...(typeof p.speed === 'number' && p.speed >= 0 ? { speed: p.speed } : {}),
      ...(vp.trip?.tripId ? { tripId: vp.trip.tripId } : {}),
      ...(vp.trip?.routeId ? { routeId: vp.trip.routeId } : {}),
    });
  }
  return out;
}

export interface PollResult extends IngestResult {
  rejected: number;
}

/** Fetches an operator's VehiclePositions feed once and ingests what passes the same checks as the HTTP API. */
export async function pollVehiclePositions(live: LiveRuntime, agencyCode: string, url: string, signal?: AbortSignal): Promise<PollResult> {
  const response = await fetch(url, { signal: signal ?? AbortSignal.timeout(10_000), headers: { accept: 'application/x-protobuf' } });
  if (!response.ok) throw new Error(`GTFS-RT feed ${url} answered ${response.status}`);
  const positions = decodeVehiclePositions(new Uint8Array(await response.arrayBuffer()));
  const valid = positions.filter(
    (p) => parsePositionsBody({ positions: [p] }).ok && positionProblems([p], live.clock.now(), live.clock.mode === 'replay').length === 0,
  );
  const result = valid.length ? live.ingest(agencyCode, valid) : { accepted: 0, fresh: 0, duplicates: 0 };
  return { ...result, rejected: positions.length - valid.length };
}

/** Polls every configured feed every TRANSIT_GTFSRT_POLL_SECONDS; returns the stopper. */
export function startGtfsRtPolling(ctx: AppContext, live: LiveRuntime): () => void {
  const feeds = ctx.config.transitGtfsRtFeeds;
  if (!feeds.length) return () => undefined;
  const controller = new AbortController();
  const tick = () => {
    for (const f of feeds) {
      pollVehiclePositions(live, f.agencyCode, f.url, AbortSignal.any([controller.signal, AbortSignal.timeout(10_000)])).catch((error: unknown) => {
        if (!controller.signal.aborted) ctx.log.warn({ err: error, agency: f.agencyCode }, 'transit live: GTFS-RT poll failed');
      });
    }
  };
  tick();
  const timer = setInterval(tick, ctx.config.transitGtfsRtPollSeconds * 1000);
  timer.unref();
  return () => {
    clearInterval(timer);
    controller.abort();
  };
}
