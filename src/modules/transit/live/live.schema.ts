import { doublePrecision, index, integer, pgTable, primaryKey, text, timestamp } from 'drizzle-orm/pg-core';

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
