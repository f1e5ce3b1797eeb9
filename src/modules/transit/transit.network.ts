import { and, asc, eq, inArray } from 'drizzle-orm';
import type { Executor } from '../../platform/db/db.js';
import { polyline, project, type Polyline } from './transit.geo.js';
import { calendarDates, calendars, feeds, frequencies, gtfsAgencies, routes, shapes, stopTimes, stops, trips } from './transit.schema.js';
import { parseServiceDate, serviceDateOf, serviceDayStart, weekdayOf } from './transit.time.js';

export interface NetworkFeed {
  agencyCode: string;
  feedId: string;
  version: number;
  timezone: string;
  /** GTFS agency ids of the feed. */
  gtfsAgencyIds: string[];
}

export interface NetworkStop {
  id: string;
  agencyCode: string;
  code: string | null;
  name: string;
  lat: number;
  lon: number;
  locationType: number;
  parentStation: string | null;
}

export interface NetworkRoute {
  id: string;
  agencyCode: string;
  gtfsAgencyId: string | null;
  shortName: string | null;
  longName: string | null;
  routeType: number;
  color: string | null;
  textColor: string | null;
}

export interface NetworkStopTime {
  stopId: string;
  stopSequence: number;
  /** Seconds after the service day's start; interpolated when the feed left it blank. */
  arrival: number;
  departure: number;
  /** Whether the feed gave the time (false = interpolated). */
  timed: boolean;
  /** Metres along the trip's shape (always set: from the feed's shape_dist_traveled or by projection). */
  dist: number;
  /** Metres from the stop to the shape (0 when the shape was built from the stops). */
  offset: number;
}

export interface NetworkFrequency {
  tripId: string;
  startTime: number;
  endTime: number;
  headwaySecs: number;
  exactTimes: number;
}

export interface NetworkTrip {
  id: string;
  agencyCode: string;
  routeId: string;
  serviceId: string;
  /** `${agencyCode}:${serviceId}` — what servicesActiveOn returns. */
  serviceKey: string;
  directionId: number | null;
  blockId: string | null;
  /** The GTFS shape, or `~stops:<tripId>` when the feed has none and the shape was drawn through the stops. */
  shapeId: string;
  headsign: string | null;
  shortName: string | null;
  stopTimes: NetworkStopTime[];
  /** Empty for a scheduled trip; headway windows for a frequency-based one (stop times are then a template). */
  frequencies: NetworkFrequency[];
}

export interface NetworkShape extends Polyline {
  id: string;
  agencyCode: string;
}

export interface TransitNetwork {
  feeds: NetworkFeed[];
  stops: Map<string, NetworkStop>;
  routes: Map<string, NetworkRoute>;
  trips: Map<string, NetworkTrip>;
  shapes: Map<string, NetworkShape>;
  frequencies: NetworkFrequency[];
  /** Trips of a block in order of first departure; key `${agencyCode}:${blockId}`. */
  tripsByBlock: Map<string, NetworkTrip[]>;
  tripsByRoute: Map<string, NetworkTrip[]>;
  /** Trips calling at each stop. */
  tripsByStop: Map<string, NetworkTrip[]>;
  /** Ids seen in more than one agency's feed (the later one wins in the maps above). */
  collisions: string[];
  /** Service keys (`${agencyCode}:${serviceId}`) running on a date ('YYYYMMDD' or 'YYYY-MM-DD'). */
  servicesActiveOn(date: string, agencyCode?: string): Set<string>;
  /** Whether a trip runs on the service date. */
  tripRunsOn(trip: NetworkTrip, date: string): boolean;
  timezoneOf(agencyCode: string): string;
  /** Unix seconds of 0:00:00 of the service date in the agency's zone. */
  serviceDayStart(agencyCode: string, date: string): number;
  /** Local service date of an instant for the agency. */
  serviceDateOf(agencyCode: string, unixSeconds: number): string;
}

interface CalendarEntry {
  weekdays: number;
  start: string;
  end: string;
}

/** A tolerance for "the earliest pass" when projecting stops onto looping shapes. */
const LOOP_TOLERANCE_M = 25;

/**
 * Loads the ACTIVE feed version of every agency (or of one) into memory. Reads are consistent with
 * one committed state per table; a re-import switching versions meanwhile is noticed by comparing
 * feed ids, which the caller may reload on (the feed ids are in `feeds`).
 */
export async function loadNetwork(executor: Executor, agencyCode?: string): Promise<TransitNetwork> {
  const feedRows = await executor
    .select()
    .from(feeds)
    .where(agencyCode ? and(eq(feeds.active, true), eq(feeds.agencyCode, agencyCode)) : eq(feeds.active, true))
    .orderBy(asc(feeds.agencyCode));
  const feedIds = feedRows.map((f) => f.id);
  const agencyOf = new Map(feedRows.map((f) => [f.id, f.agencyCode]));
  const net = emptyNetwork(feedRows.map((f) => ({ agencyCode: f.agencyCode, feedId: f.id, version: f.version, timezone: f.timezone, gtfsAgencyIds: [] })));
  if (feedIds.length === 0) return net;
  const seen = new Set<string>();
  const collide = (kind: string, id: string) => {
    const k = `${kind}:${id}`;
    if (seen.has(k)) net.collisions.push(k);
    seen.add(k);
  };

  for (const a of await executor.select().from(gtfsAgencies).where(inArray(gtfsAgencies.feedId, feedIds))) {
    net.feeds.find((f) => f.feedId === a.feedId)?.gtfsAgencyIds.push(a.agencyId);
  }
  for (const s of await executor.select().from(stops).where(inArray(stops.feedId, feedIds))) {
    collide('stop', s.stopId);
    net.stops.set(s.stopId, {
      id: s.stopId,
      agencyCode: agencyOf.get(s.feedId)!,
      code: s.code,
      name: s.name,
      lat: s.lat,
      lon: s.lon,
      locationType: s.locationType,
      parentStation: s.parentStation,
    });
  }
  for (const r of await executor.select().from(routes).where(inArray(routes.feedId, feedIds))) {
    collide('route', r.routeId);
    net.routes.set(r.routeId, {
      id: r.routeId,
      agencyCode: agencyOf.get(r.feedId)!,
      gtfsAgencyId: r.agencyId,
      shortName: r.shortName,
      longName: r.longName,
      routeType: r.routeType,
      color: r.color,
      textColor: r.textColor,
    });
  }
  // Shapes with the feed's own distances kept aside to map stop distances given in feed units.
  const feedDists = new Map<string, (number | null)[]>();
  for (const s of await executor.select().from(shapes).where(inArray(shapes.feedId, feedIds))) {
    collide('shape', s.shapeId);
    const line = polyline(s.points.map((p) => [p[0], p[1]] as const));
    net.shapes.set(s.shapeId, { id: s.shapeId, agencyCode: agencyOf.get(s.feedId)!, ...line });
    feedDists.set(
      s.shapeId,
      s.points.map((p) => p[2]),
    );
  }
  for (const f of await executor.select().from(frequencies).where(inArray(frequencies.feedId, feedIds))) {
    net.frequencies.push({ tripId: f.tripId, startTime: f.startTime, endTime: f.endTime, headwaySecs: f.headwaySecs, exactTimes: f.exactTimes });
  }
  const freqByTrip = new Map<string, NetworkFrequency[]>();
  for (const f of net.frequencies) freqByTrip.set(f.tripId, [...(freqByTrip.get(f.tripId) ?? []), f]);

  const tripRows = await executor.select().from(trips).where(inArray(trips.feedId, feedIds));
  for (const t of tripRows) {
    collide('trip', t.tripId);
    const code = agencyOf.get(t.feedId)!;
    net.trips.set(t.tripId, {
      id: t.tripId,
      agencyCode: code,
      routeId: t.routeId,
      serviceId: t.serviceId,
      serviceKey: `${code}:${t.serviceId}`,
      directionId: t.directionId,
      blockId: t.blockId,
      shapeId: t.shapeId ?? `~stops:${t.tripId}`,
      headsign: t.headsign,
      shortName: t.shortName,
      stopTimes: [],
      frequencies: (freqByTrip.get(t.tripId) ?? []).sort((a, b) => a.startTime - b.startTime),
    });
  }

  // Stop times, per feed, in trip then sequence order.
  const rawDist = new Map<NetworkStopTime, number | null>();
  for (const feedId of feedIds) {
    const rows = await executor
      .select({
        tripId: stopTimes.tripId,
        stopSequence: stopTimes.stopSequence,
        stopId: stopTimes.stopId,
        arrivalTime: stopTimes.arrivalTime,
        departureTime: stopTimes.departureTime,
        shapeDistTraveled: stopTimes.shapeDistTraveled,
      })
      .from(stopTimes)
      .where(eq(stopTimes.feedId, feedId))
      .orderBy(asc(stopTimes.tripId), asc(stopTimes.stopSequence));
    for (const r of rows) {
      const trip = net.trips.get(r.tripId);
      if (!trip) continue;
      const arrival = r.arrivalTime ?? r.departureTime;
      const departure = r.departureTime ?? r.arrivalTime;
      const st: NetworkStopTime = {
        stopId: r.stopId,
        stopSequence: r.stopSequence,
        arrival: arrival ?? -1,
        departure: departure ?? -1,
        timed: arrival !== null,
        dist: 0,
        offset: 0,
      };
      rawDist.set(st, r.shapeDistTraveled);
      trip.stopTimes.push(st);
    }
  }

  const calendar = new Map<string, CalendarEntry>();
  const exceptions = new Map<string, Map<string, number>>();
  for (const c of await executor.select().from(calendars).where(inArray(calendars.feedId, feedIds))) {
    calendar.set(`${agencyOf.get(c.feedId)!}:${c.serviceId}`, { weekdays: c.weekdays, start: c.startDate, end: c.endDate });
  }
  for (const d of await executor.select().from(calendarDates).where(inArray(calendarDates.feedId, feedIds))) {
    const key = `${agencyOf.get(d.feedId)!}:${d.serviceId}`;
    let m = exceptions.get(d.date);
    if (!m) exceptions.set(d.date, (m = new Map()));
    m.set(key, d.exceptionType);
  }

  const placements = new Map<string, Float64Array>();
  for (const trip of net.trips.values()) {
    interpolateTimes(trip.stopTimes);
    placeStops(net, trip, rawDist, feedDists.get(trip.shapeId), placements);
    index(net.tripsByRoute, trip.routeId, trip);
    if (trip.blockId) index(net.tripsByBlock, `${trip.agencyCode}:${trip.blockId}`, trip);
    const calls = new Set<string>();
    for (const st of trip.stopTimes) {
      if (calls.has(st.stopId)) continue;
      calls.add(st.stopId);
      index(net.tripsByStop, st.stopId, trip);
    }
  }
  for (const list of net.tripsByBlock.values()) list.sort((a, b) => firstDeparture(a) - firstDeparture(b));

  net.servicesActiveOn = (date, code) => {
    const p = parseServiceDate(date);
    if (!p) return new Set();
    const ymd = `${p[0]}${String(p[1]).padStart(2, '0')}${String(p[2]).padStart(2, '0')}`;
    const bit = 1 << weekdayOf(ymd);
    const active = new Set<string>();
    for (const [key, c] of calendar) {
      if (code && !key.startsWith(`${code}:`)) continue;
      if (c.weekdays & bit && c.start <= ymd && ymd <= c.end) active.add(key);
    }
    for (const [key, type] of exceptions.get(ymd) ?? []) {
      if (code && !key.startsWith(`${code}:`)) continue;
      if (type === 1) active.add(key);
      else if (type === 2) active.delete(key);
    }
    return active;
  };
  const cache = new Map<string, Set<string>>();
  net.tripRunsOn = (trip, date) => {
    let s = cache.get(date);
    if (!s) {
      s = net.servicesActiveOn(date);
      if (cache.size > 16) cache.clear();
      cache.set(date, s);
    }
    return s.has(trip.serviceKey);
  };
  return net;
}

function emptyNetwork(feedList: NetworkFeed[]): TransitNetwork {
  const tz = (code: string) => feedList.find((f) => f.agencyCode === code)?.timezone ?? 'Asia/Shanghai';
  return {
    feeds: feedList,
    stops: new Map(),
    routes: new Map(),
    trips: new Map(),
    shapes: new Map(),
    frequencies: [],
    tripsByBlock: new Map(),
    tripsByRoute: new Map(),
    tripsByStop: new Map(),
    collisions: [],
    servicesActiveOn: () => new Set(),
    tripRunsOn: () => false,
    timezoneOf: tz,
    serviceDayStart: (code, date) => serviceDayStart(date, tz(code)),
    serviceDateOf: (code, t) => serviceDateOf(t, tz(code)),
  };
}

function index<T>(map: Map<string, T[]>, key: string, value: T): void {
  const list = map.get(key);
  if (list) list.push(value);
  else map.set(key, [value]);
}

function firstDeparture(trip: NetworkTrip): number {
  return trip.frequencies[0]?.startTime ?? trip.stopTimes[0]?.departure ?? 0;
}

/** Fills blank times between timed stops, in proportion to straight-line distance between the stops. */
function interpolateTimes(list: NetworkStopTime[]): void {
  let prev = -1;
  for (let i = 0; i < list.length; i++) {
    if (!list[i]!.timed) continue;
    if (prev >= 0 && i - prev > 1) {
      const a = list[prev]!;
      const b = list[i]!;
      const span = b.arrival - a.departure;
      for (let k = prev + 1; k < i; k++) {
        const t = Math.round(a.departure + (span * (k - prev)) / (i - prev));
        list[k]!.arrival = t;
        list[k]!.departure = t;
      }
    }
    prev = i;
  }
}

/** Sets each stop time's metres along the trip's shape; builds a shape through the stops when there is none. */
function placeStops(
  net: TransitNetwork,
  trip: NetworkTrip,
  rawDist: Map<NetworkStopTime, number | null>,
  feedShapeDists: (number | null)[] | undefined,
  placements: Map<string, Float64Array>,
): void {
  let shape = net.shapes.get(trip.shapeId);
  if (!shape || shape.lats.length < 2) {
    const pts: [number, number][] = [];
    for (const st of trip.stopTimes) {
      const s = net.stops.get(st.stopId);
      if (s) pts.push([s.lat, s.lon]);
    }
    const id = `~stops:${trip.id}`;
    shape = { id, agencyCode: trip.agencyCode, ...polyline(pts) };
    net.shapes.set(id, shape);
    trip.shapeId = id;
    let k = 0;
    for (const st of trip.stopTimes) if (net.stops.has(st.stopId)) st.dist = shape.dists[k++] ?? 0;
    return;
  }
  // Use the feed's own distances when both the shape and the stop times carry them.
  const useFeed =
    feedShapeDists !== undefined &&
    feedShapeDists.every((d) => d !== null) &&
    trip.stopTimes.every((st) => rawDist.get(st) !== null && rawDist.get(st) !== undefined);
  // Trips of one pattern (same shape, same stops) are placed once: projection is the costly part.
  const key = useFeed ? '' : `${trip.shapeId}\u0000${trip.stopTimes.map((s) => s.stopId).join('\u0000')}`;
  const known = useFeed ? undefined : placements.get(key);
  if (known) {
    trip.stopTimes.forEach((st, i) => {
      st.dist = known[2 * i]!;
      st.offset = known[2 * i + 1]!;
    });
    return;
  }
  let seg = 0;
  for (const st of trip.stopTimes) {
    const stop = net.stops.get(st.stopId);
    if (useFeed) {
      st.dist = feedToMetres(shape, feedShapeDists as number[], rawDist.get(st) as number);
      if (stop) {
        const p = project(shape, stop.lat, stop.lon);
        st.offset = p.offset;
      }
      continue;
    }
    if (!stop) continue;
    const p = project(shape, stop.lat, stop.lon, seg, undefined, LOOP_TOLERANCE_M);
    st.dist = p.distance;
    st.offset = p.offset;
    seg = p.segment;
  }
  if (!useFeed) {
    const placed = new Float64Array(trip.stopTimes.length * 2);
    trip.stopTimes.forEach((st, i) => {
      placed[2 * i] = st.dist;
      placed[2 * i + 1] = st.offset;
    });
    placements.set(key, placed);
  }
}

/** Converts a distance in the feed's unit to metres along our polyline by interpolating between points. */
function feedToMetres(shape: Polyline, feedDists: number[], d: number): number {
  const n = feedDists.length;
  if (n === 0) return 0;
  if (d <= feedDists[0]!) return 0;
  if (d >= feedDists[n - 1]!) return shape.length;
  let lo = 0;
  let hi = n - 1;
  while (hi - lo > 1) {
    const mid = (lo + hi) >> 1;
    if (feedDists[mid]! <= d) lo = mid;
    else hi = mid;
  }
  const span = feedDists[hi]! - feedDists[lo]!;
  const t = span > 0 ? (d - feedDists[lo]!) / span : 0;
  return shape.dists[lo]! + t * (shape.dists[hi]! - shape.dists[lo]!);
}
