import { doublePrecision, index, integer, jsonb, pgTable, primaryKey, text, timestamp } from 'drizzle-orm/pg-core';

/**
 * Every position received, written in batches off the hot path. The key (agency, vehicle, time) makes a
 * repeated delivery (an HTTP retry, MQTT at-least-once) a no-op. The newest rows rebuild the live state
 * after a restart; the rest are the history that travel times are learned from.
 */
export const livePositions = pgTable(
  'transit_live_positions',
  {
    agencyCode: text('agency_code').notNull(),
    vehicleId: text('vehicle_id').notNull(),
    /** Unix seconds of the fix. */
    recordedAt: integer('recorded_at').notNull(),
    lat: doublePrecision('lat').notNull(),
    lon: doublePrecision('lon').notNull(),
    bearing: doublePrecision('bearing'),
    speed: doublePrecision('speed'),
    /** As the unit sent them. */
    tripId: text('trip_id'),
    blockId: text('block_id'),
    routeId: text('route_id'),
    /** As matched. */
    matchedTripId: text('matched_trip_id'),
    distanceAlong: doublePrecision('distance_along'),
    delaySeconds: integer('delay_seconds'),
    offRoute: integer('off_route').notNull().default(0),
    receivedAt: timestamp('received_at', { withTimezone: true, mode: 'date' }).notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.agencyCode, t.vehicleId, t.recordedAt] }), index('transit_live_positions_time_idx').on(t.recordedAt)],
);

/**
 * The travel times the arrival predictor has learned (live.predict.ts), per agency, shape and 400-m bin: saved every
 * 5 minutes (the bins changed since) and at shutdown, loaded at start, so a restart keeps yesterday's traffic. Each
 * instance writes the bins it changed whole: the last writer wins per bin. Rows of a shape a new feed no longer has
 * are never loaded (harmless).
 */
export const liveTravelTimes = pgTable(
  'transit_live_travel_times',
  {
    agencyCode: text('agency_code').notNull(),
    shapeId: text('shape_id').notNull(),
    bin: integer('bin').notNull(),
    /** Per service-day hour: [hour, weighted seconds, samples]. */
    byHour: jsonb('by_hour').$type<[number, number, number][]>().notNull(),
    /** Weighted observed ÷ scheduled time over every run but the latest, and how many runs. */
    ratio: doublePrecision('ratio').notNull(),
    ratioN: integer('ratio_n').notNull(),
    /** The latest run (trip id, unix time its stop times count from) and its ratio: kept apart from its own trip. */
    lastTripId: text('last_trip_id'),
    lastBase: doublePrecision('last_base').notNull(),
    lastRatio: doublePrecision('last_ratio').notNull(),
    /** Unix time of the newest crossing learned: the replay of stored positions at start skips the older ones. */
    learnedAt: doublePrecision('learned_at').notNull(),
    updatedAt: timestamp('updated_at', { withTimezone: true, mode: 'date' }).notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.agencyCode, t.shapeId, t.bin] })],
);
