import { sql } from 'drizzle-orm';
import { boolean, doublePrecision, index, integer, jsonb, pgTable, primaryKey, text, timestamp, uniqueIndex, uuid } from 'drizzle-orm/pg-core';

const ts = (name: string) => timestamp(name, { withTimezone: true, mode: 'date' });

export type FeedStatus = 'importing' | 'ready' | 'failed' | 'superseded';

/** One problem found in a feed: which file, which line (1 = header), what is wrong. */
export interface FeedProblem {
  file: string;
  line?: number | undefined;
  severity: 'error' | 'warning';
  message: string;
}

export interface FeedCounts {
  agencies: number;
  routes: number;
  stops: number;
  trips: number;
  stopTimes: number;
  calendars: number;
  calendarDates: number;
  shapes: number;
  frequencies: number;
}

/**
 * One imported version of an agency's (department's) static GTFS feed. Every GTFS row below belongs to
 * one feed version. A re-import writes a new version and then, in one transaction, marks it active and
 * the old one superseded: riders only ever read the active version, so they never see half a feed.
 */
export const feeds = pgTable(
  'transit_feeds',
  {
    id: uuid('id')
      .primaryKey()
      .default(sql`gen_random_uuid()`),
    /** The catalogue department code that runs the service (bus-group, xinjin-transport). */
    agencyCode: text('agency_code').notNull(),
    version: integer('version').notNull(),
    status: text('status').$type<FeedStatus>().notNull(),
    active: boolean('active').notNull().default(false),
    sourceName: text('source_name').notNull(),
    /** The GTFS agency_timezone of the feed's first agency (IANA name). */
    timezone: text('timezone').notNull().default('Asia/Shanghai'),
    counts: jsonb('counts').$type<FeedCounts | null>(),
    problems: jsonb('problems').$type<FeedProblem[]>().notNull().default([]),
    importedBy: text('imported_by'),
    createdAt: ts('created_at').notNull().defaultNow(),
    activatedAt: ts('activated_at'),
  },
  (t) => [
    uniqueIndex('transit_feeds_version_key').on(t.agencyCode, t.version),
    uniqueIndex('transit_feeds_active_key')
      .on(t.agencyCode)
      .where(sql`${t.active}`),
  ],
);

export const gtfsAgencies = pgTable(
  'transit_agencies',
  {
    feedId: uuid('feed_id').notNull(),
    agencyId: text('agency_id').notNull(),
    name: text('name').notNull(),
    url: text('url'),
    timezone: text('timezone').notNull(),
    lang: text('lang'),
    phone: text('phone'),
  },
  (t) => [primaryKey({ columns: [t.feedId, t.agencyId] })],
);

export const routes = pgTable(
  'transit_routes',
  {
    feedId: uuid('feed_id').notNull(),
    routeId: text('route_id').notNull(),
    agencyId: text('agency_id'),
    shortName: text('short_name'),
    longName: text('long_name'),
    description: text('description'),
    routeType: integer('route_type').notNull(),
    color: text('color'),
    textColor: text('text_color'),
    sortOrder: integer('sort_order'),
  },
  (t) => [primaryKey({ columns: [t.feedId, t.routeId] })],
);

export const stops = pgTable(
  'transit_stops',
  {
    feedId: uuid('feed_id').notNull(),
    stopId: text('stop_id').notNull(),
    code: text('code'),
    name: text('name').notNull(),
    description: text('description'),
    lat: doublePrecision('lat').notNull(),
    lon: doublePrecision('lon').notNull(),
    /** 0 stop/platform, 1 station, 2 entrance, 3 generic node, 4 boarding area. */
    locationType: integer('location_type').notNull().default(0),
    parentStation: text('parent_station'),
    wheelchairBoarding: integer('wheelchair_boarding'),
  },
  (t) => [primaryKey({ columns: [t.feedId, t.stopId] }), index('transit_stops_name_idx').on(t.feedId, t.name)],
);

export const trips = pgTable(
  'transit_trips',
  {
    feedId: uuid('feed_id').notNull(),
    tripId: text('trip_id').notNull(),
    routeId: text('route_id').notNull(),
    serviceId: text('service_id').notNull(),
    headsign: text('headsign'),
    shortName: text('short_name'),
    directionId: integer('direction_id'),
    blockId: text('block_id'),
    shapeId: text('shape_id'),
  },
  (t) => [primaryKey({ columns: [t.feedId, t.tripId] }), index('transit_trips_route_idx').on(t.feedId, t.routeId)],
);

export const stopTimes = pgTable(
  'transit_stop_times',
  {
    feedId: uuid('feed_id').notNull(),
    tripId: text('trip_id').notNull(),
    stopSequence: integer('stop_sequence').notNull(),
    stopId: text('stop_id').notNull(),
    /** Seconds after the service day's midnight (may exceed 86,400 after midnight); null = interpolate. */
    arrivalTime: integer('arrival_time'),
    departureTime: integer('departure_time'),
    stopHeadsign: text('stop_headsign'),
    pickupType: integer('pickup_type'),
    dropOffType: integer('drop_off_type'),
    shapeDistTraveled: doublePrecision('shape_dist_traveled'),
    timepoint: integer('timepoint'),
  },
  (t) => [primaryKey({ columns: [t.feedId, t.tripId, t.stopSequence] }), index('transit_stop_times_stop_idx').on(t.feedId, t.stopId)],
);

export const calendars = pgTable(
  'transit_calendar',
  {
    feedId: uuid('feed_id').notNull(),
    serviceId: text('service_id').notNull(),
    /** Bit 0 = Monday … bit 6 = Sunday. */
    weekdays: integer('weekdays').notNull(),
    /** YYYYMMDD as in GTFS. */
    startDate: text('start_date').notNull(),
    endDate: text('end_date').notNull(),
  },
  (t) => [primaryKey({ columns: [t.feedId, t.serviceId] })],
);

export const calendarDates = pgTable(
  'transit_calendar_dates',
  {
    feedId: uuid('feed_id').notNull(),
    serviceId: text('service_id').notNull(),
    date: text('date').notNull(),
    /** 1 added, 2 removed. */
    exceptionType: integer('exception_type').notNull(),
  },
  (t) => [primaryKey({ columns: [t.feedId, t.serviceId, t.date] })],
);

/** A shape as one row: its points in order as [lat, lon, shape_dist_traveled | null]. */
export const shapes = pgTable(
  'transit_shapes',
  {
    feedId: uuid('feed_id').notNull(),
    shapeId: text('shape_id').notNull(),
    points: jsonb('points').$type<[number, number, number | null][]>().notNull(),
  },
  (t) => [primaryKey({ columns: [t.feedId, t.shapeId] })],
);

export const frequencies = pgTable(
  'transit_frequencies',
  {
    feedId: uuid('feed_id').notNull(),
    tripId: text('trip_id').notNull(),
    startTime: integer('start_time').notNull(),
    endTime: integer('end_time').notNull(),
    headwaySecs: integer('headway_secs').notNull(),
    exactTimes: integer('exact_times').notNull().default(0),
  },
  (t) => [primaryKey({ columns: [t.feedId, t.tripId, t.startTime] })],
);

export type AlertKind = 'detour' | 'cancellation' | 'closed_stop' | 'other';

/** A service alert an operator publishes for a route, stop or trip, valid in a time range. */
export const alerts = pgTable(
  'transit_alerts',
  {
    id: uuid('id')
      .primaryKey()
      .default(sql`gen_random_uuid()`),
    agencyCode: text('agency_code').notNull(),
    kind: text('kind').$type<AlertKind>().notNull(),
    routeId: text('route_id'),
    stopId: text('stop_id'),
    tripId: text('trip_id'),
    headerZh: text('header_zh').notNull(),
    headerEn: text('header_en').notNull(),
    descriptionZh: text('description_zh').notNull().default(''),
    descriptionEn: text('description_en').notNull().default(''),
    startsAt: ts('starts_at').notNull(),
    endsAt: ts('ends_at'),
    createdBy: uuid('created_by'),
    createdAt: ts('created_at').notNull().defaultNow(),
    updatedAt: ts('updated_at').notNull().defaultNow(),
    withdrawnAt: ts('withdrawn_at'),
  },
  (t) => [index('transit_alerts_agency_idx').on(t.agencyCode, t.startsAt)],
);

/** An operator's manual assignment of a vehicle to a block, for units that do not say their block. */
export const vehicleAssignments = pgTable(
  'transit_vehicle_assignments',
  {
    agencyCode: text('agency_code').notNull(),
    vehicleId: text('vehicle_id').notNull(),
    blockId: text('block_id').notNull(),
    assignedBy: uuid('assigned_by'),
    assignedAt: ts('assigned_at').notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.agencyCode, t.vehicleId] })],
);

/** "Tell me when my bus is N minutes away": one rider's wish for one stop (and route), until it fires. */
export const arrivalSubscriptions = pgTable(
  'transit_arrival_subscriptions',
  {
    id: uuid('id')
      .primaryKey()
      .default(sql`gen_random_uuid()`),
    userId: uuid('user_id').notNull(),
    stopId: text('stop_id').notNull(),
    routeId: text('route_id'),
    minutes: integer('minutes').notNull(),
    createdAt: ts('created_at').notNull().defaultNow(),
    expiresAt: ts('expires_at').notNull(),
    notifiedAt: ts('notified_at'),
    notifiedTripId: text('notified_trip_id'),
    cancelledAt: ts('cancelled_at'),
  },
  (t) => [
    index('transit_arrival_subscriptions_open_idx')
      .on(t.stopId)
      .where(sql`${t.notifiedAt} is null and ${t.cancelledAt} is null`),
    index('transit_arrival_subscriptions_user_idx').on(t.userId, t.createdAt),
  ],
);
