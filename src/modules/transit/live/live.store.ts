import { sql } from 'drizzle-orm';
import type { Executor } from '../../../platform/db/db.js';
import { livePositions } from './live.schema.js';
import type { LiveVehicle, PositionInput } from './live.types.js';

type Row = typeof livePositions.$inferInsert;

/**
 * Positions are written off the hot path: ingest appends to a buffer, a timer (or a full buffer) writes it
 * in multi-row inserts that skip rows already stored (idempotent by agency, vehicle and time).
 */
export class PositionStore {
  private buffer: Row[] = [];
  private flushing: Promise<void> | null = null;
  private timer: NodeJS.Timeout | null = null;
  written = 0;

  constructor(
    private readonly db: Executor,
    private readonly log: { error(o: object, msg: string): void },
    private readonly intervalMs = 500,
    private readonly maxBuffer = 8000,
  ) {}

  start(): void {
    if (!this.timer) {
      this.timer = setInterval(() => void this.flush(), this.intervalMs);
      this.timer.unref();
    }
  }

  add(agencyCode: string, p: PositionInput, v: LiveVehicle): void {
    this.buffer.push({
      agencyCode,
      vehicleId: p.vehicleId,
      recordedAt: p.timestamp,
      lat: p.lat,
      lon: p.lon,
      bearing: p.bearing ?? null,
      speed: p.speed ?? null,
      tripId: p.tripId ?? null,
      blockId: p.blockId ?? null,
      routeId: p.routeId ?? null,
      matchedTripId: v.tripId,
      distanceAlong: v.distanceAlong,
      delaySeconds: v.delaySeconds,
      offRoute: v.offRoute ? 1 : 0,
    });
    if (this.buffer.length >= this.maxBuffer) void this.flush();
  }

  get pending(): number {
    return this.buffer.length;
  }

  /** Writes what is buffered; concurrent calls wait for the same write. */
  async flush(): Promise<void> {
    while (this.flushing) await this.flushing;
    if (!this.buffer.length) return;
    const rows = this.buffer;
    this.buffer = [];
    this.flushing = (async () => {
      try {
        // 2,000 rows per statement (15 parameters each, under PostgreSQL's 65,535), up to 4 statements at once
        // (a server pool writes them in parallel; PGlite queues them).
        const chunks: Row[][] = [];
        for (let i = 0; i < rows.length; i += 2000) chunks.push(rows.slice(i, i + 2000));
        for (let i = 0; i < chunks.length; i += 4)
          await Promise.all(chunks.slice(i, i + 4).map((chunk) => this.db.insert(livePositions).values(chunk).onConflictDoNothing()));
        this.written += rows.length;
      } catch (error) {
        this.log.error({ err: error, rows: rows.length }, 'transit positions could not be stored');
      } finally {
        this.flushing = null;
      }
    })();
    await this.flushing;
  }

  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    await this.flush();
  }
}

/**
 * Stored positions since a time, oldest first, at most `limit` (the newest ones): replayed at start they rebuild both
 * the vehicles' state and the travel times learned from them.
 */
export async function recentPositions(db: Executor, since: number, limit: number): Promise<(PositionInput & { agencyCode: string })[]> {
  const result = await db.execute(sql`
    SELECT * FROM (
      SELECT agency_code, vehicle_id, recorded_at, lat, lon, bearing, speed, trip_id, block_id, route_id
      FROM transit_live_positions WHERE recorded_at >= ${since}
      ORDER BY recorded_at DESC LIMIT ${limit}
    ) recent ORDER BY recorded_at`);
  return rowsToPositions(result);
}

function rowsToPositions(result: unknown): (PositionInput & { agencyCode: string })[] {
  const rows = (Array.isArray(result) ? result : (result as { rows: unknown[] }).rows) as Record<string, unknown>[];
  return rows.map((r) => ({
    agencyCode: String(r.agency_code),
    vehicleId: String(r.vehicle_id),
    timestamp: Number(r.recorded_at),
    lat: Number(r.lat),
    lon: Number(r.lon),
    bearing: r.bearing === null ? undefined : Number(r.bearing),
    speed: r.speed === null ? undefined : Number(r.speed),
    tripId: r.trip_id === null ? undefined : String(r.trip_id),
    blockId: r.block_id === null ? undefined : String(r.block_id),
    routeId: r.route_id === null ? undefined : String(r.route_id),
  }));
}

/** The newest stored position of each vehicle heard since a time: the state to rebuild after a restart. */
export async function latestPositions(db: Executor, since: number): Promise<(PositionInput & { agencyCode: string })[]> {
  const result = await db.execute(sql`
    SELECT DISTINCT ON (agency_code, vehicle_id) agency_code, vehicle_id, recorded_at, lat, lon, bearing, speed, trip_id, block_id, route_id
    FROM transit_live_positions WHERE recorded_at >= ${since}
    ORDER BY agency_code, vehicle_id, recorded_at DESC`);
  const rows = (Array.isArray(result) ? result : (result as { rows: unknown[] }).rows) as Record<string, unknown>[];
  return rows.map((r) => ({
    agencyCode: String(r.agency_code),
    vehicleId: String(r.vehicle_id),
    timestamp: Number(r.recorded_at),
    lat: Number(r.lat),
    lon: Number(r.lon),
    bearing: r.bearing === null ? undefined : Number(r.bearing),
    speed: r.speed === null ? undefined : Number(r.speed),
    tripId: r.trip_id === null ? undefined : String(r.trip_id),
    blockId: r.block_id === null ? undefined : String(r.block_id),
    routeId: r.route_id === null ? undefined : String(r.route_id),
  }));
}
