import type { Executor } from '../../../platform/db/db.js';
import type { SavedBin } from './live.engine.js';
import { liveTravelTimes } from './live.schema.js';
import { numberArrayLiteral, textArrayLiteral, type QueryFn } from './live.store.js';

/** Rows per statement: a snapshot of a whole city (a few thousand bins) goes in one or two. */
const chunkRows = 5000;

/**
 * Writes learned bins, each array one parameter unnested into rows (as the position store does). A bin already
 * stored is replaced whole: with several instances, the last to write a bin wins it.
 */
const upsertStatement = `INSERT INTO transit_live_travel_times
  (agency_code, shape_id, bin, by_hour, ratio, ratio_n, last_trip_id, last_base, last_ratio, learned_at, updated_at)
SELECT a, s, b, h::jsonb, r, n, t, lb, lr, la, now()
FROM unnest($1::text[], $2::text[], $3::int4[], $4::text[], $5::float8[], $6::int4[], $7::text[], $8::float8[], $9::float8[], $10::float8[])
  AS u(a, s, b, h, r, n, t, lb, lr, la)
ON CONFLICT (agency_code, shape_id, bin) DO UPDATE SET
  by_hour = excluded.by_hour, ratio = excluded.ratio, ratio_n = excluded.ratio_n, last_trip_id = excluded.last_trip_id,
  last_base = excluded.last_base, last_ratio = excluded.last_ratio, learned_at = excluded.learned_at, updated_at = excluded.updated_at`;

export async function saveTravelTimes(query: QueryFn, bins: readonly SavedBin[]): Promise<void> {
  for (let i = 0; i < bins.length; i += chunkRows) {
    const chunk = bins.slice(i, i + chunkRows);
    await query(upsertStatement, [
      textArrayLiteral(chunk.map((b) => b.agencyCode)),
      textArrayLiteral(chunk.map((b) => b.shapeId)),
      numberArrayLiteral(chunk.map((b) => b.bin)),
      textArrayLiteral(chunk.map((b) => JSON.stringify(b.byHour))),
      numberArrayLiteral(chunk.map((b) => b.ratio)),
      numberArrayLiteral(chunk.map((b) => b.ratioN)),
      textArrayLiteral(chunk.map((b) => b.lastTripId)),
      numberArrayLiteral(chunk.map((b) => b.lastBase)),
      numberArrayLiteral(chunk.map((b) => b.lastRatio)),
      numberArrayLiteral(chunk.map((b) => b.learnedAt)),
    ]);
  }
}

/** Every saved bin (the engine keeps those of shapes its networks have). */
export async function loadTravelTimes(db: Executor): Promise<SavedBin[]> {
  const rows = await db.select().from(liveTravelTimes);
  return rows.map((r) => ({
    agencyCode: r.agencyCode,
    shapeId: r.shapeId,
    bin: r.bin,
    byHour: r.byHour,
    ratio: r.ratio,
    ratioN: r.ratioN,
    lastTripId: r.lastTripId,
    lastBase: r.lastBase,
    lastRatio: r.lastRatio,
    learnedAt: r.learnedAt,
  }));
}
