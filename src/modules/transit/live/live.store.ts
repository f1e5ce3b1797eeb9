import { sql } from 'drizzle-orm';
import type { Executor } from '../../../platform/db/db.js';
import type { LiveVehicle, PositionInput } from './live.types.js';

/** Raw SQL with $1-style parameters (`Database.query`): the store's one statement needs no query builder. */
export type QueryFn = (text: string, values?: unknown[]) => Promise<unknown>;
/** `COPY … FROM` a CSV text (PGlite's `/dev/blob`); absent on PostgreSQL, where the server does the work anyway. */
export type CopyFn = (statement: string, csv: string) => Promise<unknown>;

export interface Row {
  agencyCode: string;
  vehicleId: string;
  recordedAt: number;
  lat: number;
  lon: number;
  bearing: number | null;
  speed: number | null;
  tripId: string | null;
  blockId: string | null;
  routeId: string | null;
  matchedTripId: string | null;
  distanceAlong: number | null;
  delaySeconds: number | null;
  offRoute: number;
}

/** Columns written, with the PostgreSQL array type each one travels in. */
const columns: [keyof Row, string, string][] = [
  ['agencyCode', 'agency_code', 'text'],
  ['vehicleId', 'vehicle_id', 'text'],
  ['recordedAt', 'recorded_at', 'int4'],
  ['lat', 'lat', 'float8'],
  ['lon', 'lon', 'float8'],
  ['bearing', 'bearing', 'float8'],
  ['speed', 'speed', 'float8'],
  ['tripId', 'trip_id', 'text'],
  ['blockId', 'block_id', 'text'],
  ['routeId', 'route_id', 'text'],
  ['matchedTripId', 'matched_trip_id', 'text'],
  ['distanceAlong', 'distance_along', 'float8'],
  ['delaySeconds', 'delay_seconds', 'int4'],
  ['offRoute', 'off_route', 'int4'],
];

/**
 * One statement per chunk whatever its size: every column is one array parameter, unnested into rows, so
 * PostgreSQL parses 14 parameters rather than 14 per row, and no query builder walks the rows.
 */
export const insertStatement = `INSERT INTO transit_live_positions (${columns.map((c) => c[1]).join(', ')})
SELECT * FROM unnest(${columns.map((c, i) => `$${i + 1}::${c[2]}[]`).join(', ')})
ON CONFLICT DO NOTHING`;

/** On PGlite a COPY costs about a third less than the INSERT; it fails on a row already stored (then the INSERT does it). */
export const copyStatement = `COPY transit_live_positions (${columns.map((c) => c[1]).join(', ')}) FROM '/dev/blob' WITH (FORMAT csv)`;

/** A CSV field of text: always quoted (`"` doubled, NUL removed); NULL is an empty unquoted field. */
function csvText(v: string | null): string {
  if (v === null) return '';
  let s = v;
  if (s.includes('\u0000')) s = s.replaceAll('\u0000', '');
  return s.includes('"') ? `"${s.replaceAll('"', '""')}"` : `"${s}"`;
}

const csvNumber = (v: number | null): string => (v === null ? '' : String(v));

/** Rows as CSV in the order of `copyStatement`'s columns. */
export function csvRows(rows: Row[]): string {
  let out = '';
  for (const r of rows)
    out += `${csvText(r.agencyCode)},${csvText(r.vehicleId)},${r.recordedAt},${r.lat},${r.lon},${csvNumber(r.bearing)},${csvNumber(r.speed)},${csvText(r.tripId)},${csvText(r.blockId)},${csvText(r.routeId)},${csvText(r.matchedTripId)},${csvNumber(r.distanceAlong)},${csvNumber(r.delaySeconds)},${r.offRoute}\n`;
  return out;
}

/** A PostgreSQL array literal of texts: every element quoted, `"` and `\` escaped, NUL (which text cannot hold) removed. */
export function textArrayLiteral(values: (string | null)[]): string {
  let out = '{';
  for (let i = 0; i < values.length; i++) {
    if (i) out += ',';
    const v = values[i];
    if (v === null || v === undefined) out += 'NULL';
    else {
      let s = v;
      if (s.includes('\u0000')) s = s.replaceAll('\u0000', '');
      out += /["\\]/.test(s) ? `"${s.replace(/["\\]/g, '\\$&')}"` : `"${s}"`;
    }
  }
  return `${out}}`;
}

/** A PostgreSQL array literal of numbers (NaN and ±Infinity as PostgreSQL spells them; float8 takes them). */
export function numberArrayLiteral(values: (number | null)[]): string {
  let out = '{';
  for (let i = 0; i < values.length; i++) {
    if (i) out += ',';
    const v = values[i];
    out += v === null || v === undefined ? 'NULL' : String(v);
  }
  return `${out}}`;
}

export interface PositionStoreOptions {
  /** How often the buffer is written. */
  intervalMs?: number;
  /** Rows per statement: on PGlite a statement holds the event loop (5,000 rows: about 70 ms), and each costs ~10 ms besides its rows. */
  chunkRows?: number;
  /** PGlite: write chunks with COPY. */
  copy?: CopyFn | undefined;
  /** A buffer this full is written at once rather than at the next tick; a backlog is a buffer this full after a write. */
  flushAt?: number;
  /**
   * Share of the time the store may take while it writes a backlog (1: as much as it needs). On PGlite the writes run
   * on the thread that serves requests and matches positions: there the store takes about a third at most, and a
   * backlog it cannot write in its share grows until `maxPending`.
   */
  share?: number;
  /** Statements in flight while a backlog is written with the whole share (PostgreSQL's pool: 4). */
  parallel?: number;
  /**
   * Rows waiting beyond this (the database is slower than the positions come) are coalesced to the newest of each
   * vehicle: ingest never waits for the store, memory stays bounded, and a restart still finds every vehicle's
   * newest position; the older positions of the backlog are dropped (counted in `dropped`).
   */
  maxPending?: number;
}

/**
 * Positions are written off the hot path: ingest appends to a buffer, a timer (or a full buffer) writes it in
 * chunks of one multi-row statement each that skip rows already stored (idempotent by agency, vehicle and time).
 * Between chunks the event loop is let go, so requests keep being served while a backlog is written.
 */
export class PositionStore {
  private buffer: Row[] = [];
  private flushing: Promise<void> | null = null;
  private timer: NodeJS.Timeout | null = null;
  private readonly intervalMs: number;
  private readonly chunkRows: number;
  private readonly share: number;
  private readonly parallel: number;
  /** Set by flush(): write everything now, whatever the share. */
  private urgent = false;
  private readonly copy: CopyFn | undefined;
  private readonly flushAt: number;
  private readonly maxPending: number;
  private coalesceAt: number;
  /** Rows sent to the database. */
  written = 0;
  /** Older positions of a vehicle dropped from a backlog in favour of its newest one. */
  dropped = 0;

  constructor(
    private readonly query: QueryFn,
    private readonly log: { error(o: object, msg: string): void; warn?(o: object, msg: string): void },
    options: PositionStoreOptions = {},
  ) {
    this.intervalMs = options.intervalMs ?? 500;
    this.chunkRows = options.chunkRows ?? 5000;
    this.share = Math.min(1, Math.max(0.05, options.share ?? 1));
    this.parallel = Math.max(1, options.parallel ?? 1);
    this.copy = options.copy;
    this.flushAt = options.flushAt ?? 5000;
    this.maxPending = options.maxPending ?? 100_000;
    this.coalesceAt = this.maxPending;
  }

  start(): void {
    if (!this.timer) {
      this.timer = setInterval(() => void this.run(), this.intervalMs);
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
    if (this.buffer.length > this.coalesceAt) this.coalesce();
    if (this.buffer.length >= this.flushAt && !this.flushing) void this.run();
  }

  get pending(): number {
    return this.buffer.length;
  }

  /** Keeps the newest buffered row of each vehicle (the buffer is in arrival order, which is time order per vehicle). */
  private coalesce(): void {
    const newest = new Map<string, number>();
    const rows = this.buffer;
    for (let i = 0; i < rows.length; i++) newest.set(`${rows[i]!.agencyCode}\u0000${rows[i]!.vehicleId}`, i);
    const kept: Row[] = [];
    for (let i = 0; i < rows.length; i++) if (newest.get(`${rows[i]!.agencyCode}\u0000${rows[i]!.vehicleId}`) === i) kept.push(rows[i]!);
    this.dropped += rows.length - kept.length;
    this.buffer = kept;
    // More vehicles than the bound: wait for the buffer to double again rather than coalescing at every add.
    this.coalesceAt = Math.max(this.maxPending, 2 * kept.length);
    this.log.warn?.(
      { kept: kept.length, dropped: rows.length - kept.length },
      'transit positions: the store is behind; backlog kept to the newest per vehicle',
    );
  }

  /** Writes what is buffered (and what arrives meanwhile) at once; concurrent calls wait for the same write. */
  async flush(): Promise<void> {
    this.urgent = true;
    return this.run();
  }

  private run(): Promise<void> {
    if (this.flushing) return this.flushing;
    if (!this.buffer.length) return Promise.resolve();
    this.flushing = (async () => {
      try {
        while (this.buffer.length) {
          // Behind on a server: several statements in flight (the pool's connections write them in parallel, and one
          // round trip may wait for the event loop's turn behind a flood of messages).
          const statements = this.share === 1 && this.buffer.length >= this.flushAt ? this.parallel : 1;
          const chunks: Row[][] = [];
          while (chunks.length < statements && this.buffer.length) {
            const chunk = this.buffer.length <= this.chunkRows ? this.buffer : this.buffer.splice(0, this.chunkRows);
            if (chunk === this.buffer) this.buffer = [];
            chunks.push(chunk);
          }
          const began = performance.now();
          await Promise.all(chunks.map((chunk) => this.write(chunk)));
          if (!this.buffer.length) break;
          if (this.buffer.length < this.flushAt) {
            // Let requests in between chunks.
            await new Promise((resolve) => setImmediate(resolve));
          } else if (this.share < 1 && !this.urgent) {
            // Behind: rest in proportion to the write, so ingest keeps the rest of the thread.
            const rest = ((performance.now() - began) * (1 - this.share)) / this.share;
            await new Promise((resolve) => setTimeout(resolve, rest));
          }
          // (Behind with the whole share, or asked to flush: the next chunk at once, or a flood of MQTT messages, many
          // read per turn of the event loop, would leave the store ever further behind.)
        }
      } finally {
        this.flushing = null;
        this.urgent = false;
      }
    })();
    return this.flushing;
  }

  private async write(chunk: Row[]): Promise<void> {
    try {
      if (this.copy) {
        try {
          await this.copy(copyStatement, csvRows(chunk));
          this.written += chunk.length;
          return;
        } catch {
          // A row already stored (a retry after a restart, or two instances): the INSERT skips it.
        }
      }
      await this.query(insertStatement, this.parameters(chunk));
      this.written += chunk.length;
    } catch (error) {
      this.log.error({ err: error, rows: chunk.length }, 'transit positions could not be stored');
    }
  }

  private parameters(rows: Row[]): string[] {
    const out: string[] = [];
    const values: (string | number | null)[] = new Array(rows.length);
    for (const [key, , type] of columns) {
      for (let i = 0; i < rows.length; i++) values[i] = rows[i]![key];
      out.push(type === 'text' ? textArrayLiteral(values as (string | null)[]) : numberArrayLiteral(values as (number | null)[]));
    }
    return out;
  }

  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    await this.flush();
  }
}

type StoredPosition = PositionInput & { agencyCode: string };

/**
 * Stored positions since a time, oldest first, at most `limit` (the newest ones): replayed at start they rebuild both
 * the vehicles' state and the travel times learned from them.
 */
export async function recentPositions(db: Executor, since: number, limit: number): Promise<StoredPosition[]> {
  const result = await db.execute(sql`
    SELECT * FROM (
      SELECT agency_code, vehicle_id, recorded_at, lat, lon, bearing, speed, trip_id, block_id, route_id
      FROM transit_live_positions WHERE recorded_at >= ${since}
      ORDER BY recorded_at DESC LIMIT ${limit}
    ) recent ORDER BY recorded_at`);
  return rowsToPositions(result);
}

/**
 * Deletes the positions recorded before `before` (unix s), `batch` rows per statement so no statement holds the
 * table long; returns how many. The history is kept TRANSIT_POSITION_RETENTION_HOURS (the purge job, hourly).
 */
export async function purgePositions(db: Executor, before: number, batch = 20_000): Promise<number> {
  let total = 0;
  for (;;) {
    const result = await db.execute(sql`
      DELETE FROM transit_live_positions WHERE ctid IN (
        SELECT ctid FROM transit_live_positions WHERE recorded_at < ${before} LIMIT ${batch})`);
    const n = Number((result as { rowCount?: number; affectedRows?: number }).rowCount ?? (result as { affectedRows?: number }).affectedRows ?? 0);
    total += n;
    if (n < batch) return total;
  }
}

/** The newest stored position of each vehicle heard since a time: the state to rebuild after a restart. */
export async function latestPositions(db: Executor, since: number): Promise<StoredPosition[]> {
  const result = await db.execute(sql`
    SELECT DISTINCT ON (agency_code, vehicle_id) agency_code, vehicle_id, recorded_at, lat, lon, bearing, speed, trip_id, block_id, route_id
    FROM transit_live_positions WHERE recorded_at >= ${since}
    ORDER BY agency_code, vehicle_id, recorded_at DESC`);
  return rowsToPositions(result);
}

function rowsToPositions(result: unknown): StoredPosition[] {
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
