import { buildShape, projectOnto, projector } from './live.geo.js';
import { weekdayOf } from './live.time.js';
import type { LiveFrequency, LiveNetwork, LiveShape, LiveStop, LiveTrip } from './live.types.js';

/** Plain GTFS rows, whatever they were read from (a zip, the transit module's tables). */
export interface RawFeed {
  timezone: string;
  stops: { id: string; name: string; lat: number; lon: number }[];
  trips: {
    id: string;
    routeId: string;
    serviceId: string;
    directionId: number | null;
    blockId: string | null;
    shapeId: string | null;
    headsign: string | null;
  }[];
  /** Per trip, ordered by stop sequence; times in seconds after the service day's start. */
  stopTimes: Map<string, { stopId: string; stopSequence: number; arrival: number; departure: number; timepoint: boolean }[]>;
  /** Per shape, ordered points. */
  shapes: Map<string, { lat: number; lon: number }[]>;
  frequencies: Map<string, LiveFrequency[]>;
  calendars: { serviceId: string; days: boolean[]; start: string; end: string }[];
  calendarDates: { serviceId: string; date: string; added: boolean }[];
}

/** Builds the matcher's network: planar shapes, stop distances along each trip, indexes. */
export function buildNetwork(agencyCode: string, feed: RawFeed): LiveNetwork {
  const stops = new Map<string, LiveStop>(feed.stops.map((s) => [s.id, s]));
  let latSum = 0;
  let lonSum = 0;
  for (const s of feed.stops) {
    latSum += s.lat;
    lonSum += s.lon;
  }
  const origin = feed.stops.length ? { lat: latSum / feed.stops.length, lon: lonSum / feed.stops.length } : { lat: 0, lon: 0 };
  const proj = projector(origin);
  const shapes = new Map<string, LiveShape>();
  for (const [id, points] of feed.shapes) {
    if (points.length < 2) continue;
    shapes.set(id, { id, ...buildShape(points.map((p) => ({ x: proj.x(p.lon), y: proj.y(p.lat) }))) });
  }
  const trips = new Map<string, LiveTrip>();
  // Stop distances depend only on the shape and the stop pattern: computed once per pattern.
  const patternDists = new Map<string, number[]>();
  for (const t of feed.trips) {
    const calls = feed.stopTimes.get(t.id);
    if (!calls || calls.length < 2) continue;
    let shapeId = t.shapeId && shapes.has(t.shapeId) ? t.shapeId : null;
    if (!shapeId) {
      // No usable shape: the straight lines between the stops stand in for it.
      shapeId = `stops:${calls.map((c) => c.stopId).join('>')}`;
      if (!shapes.has(shapeId)) {
        const pts = calls.flatMap((c) => {
          const s = stops.get(c.stopId);
          return s ? [{ x: proj.x(s.lon), y: proj.y(s.lat) }] : [];
        });
        if (pts.length < 2) continue;
        shapes.set(shapeId, { id: shapeId, ...buildShape(pts) });
      }
    }
    const shape = shapes.get(shapeId)!;
    const key = `${shapeId}|${calls.map((c) => c.stopId).join('>')}`;
    let dists = patternDists.get(key);
    if (!dists) {
      dists = [];
      let from = 0;
      for (const c of calls) {
        const s = stops.get(c.stopId);
        if (!s) {
          dists.push(from);
          continue;
        }
        // Monotone: each stop is searched for beyond the previous one, so a loop's last stop is not matched to its first.
        const p = projectOnto(shape, proj.x(s.lon), proj.y(s.lat), from) ?? { dist: from, offset: 0 };
        from = Math.max(from, p.dist);
        dists.push(from);
      }
      patternDists.set(key, dists);
    }
    trips.set(t.id, {
      id: t.id,
      routeId: t.routeId,
      serviceId: t.serviceId,
      directionId: t.directionId,
      blockId: t.blockId,
      shapeId,
      headsign: t.headsign,
      stopTimes: calls.map((c, i) => ({ ...c, dist: dists[i]! })),
      frequencies: feed.frequencies.get(t.id) ?? [],
    });
  }
  const calendars = new Map(feed.calendars.map((c) => [c.serviceId, c]));
  const exceptions = new Map<string, Map<string, boolean>>();
  for (const e of feed.calendarDates) {
    let m = exceptions.get(e.date);
    if (!m) exceptions.set(e.date, (m = new Map()));
    m.set(e.serviceId, e.added);
  }
  const servicesOn = (date: string): Set<string> => {
    const set = new Set<string>();
    const wd = weekdayOf(date);
    for (const c of calendars.values()) if (c.days[wd] && date >= c.start && date <= c.end) set.add(c.serviceId);
    for (const [serviceId, added] of exceptions.get(date) ?? []) {
      if (added) set.add(serviceId);
      else set.delete(serviceId);
    }
    return set;
  };
  return indexNetwork(agencyCode, feed.timezone, stops, trips, shapes, servicesOn, origin);
}

function pushTo<K, V>(map: Map<K, V[]>, key: K, value: V): void {
  const list = map.get(key);
  if (list) list.push(value);
  else map.set(key, [value]);
}

/** The part of the transit module's in-memory network (`loadNetwork`) the live engine reads. */
export interface TransitNetworkLike {
  stops: Map<string, { id: string; agencyCode: string; name: string; lat: number; lon: number; locationType?: number | null }>;
  trips: Map<
    string,
    {
      id: string;
      agencyCode: string;
      routeId: string;
      serviceId: string;
      directionId: number | null;
      blockId: string | null;
      shapeId: string;
      headsign: string | null;
      stopTimes: { stopId: string; stopSequence: number; arrival: number; departure: number; timed: boolean; dist: number }[];
      frequencies: { startTime: number; endTime: number; headwaySecs: number; exactTimes: number }[];
    }
  >;
  shapes: Map<string, { id: string; agencyCode: string; lats: Float64Array; lons: Float64Array; dists: Float64Array; length: number }>;
  timezoneOf(agencyCode: string): string;
  servicesActiveOn(date: string, agencyCode?: string): Set<string>;
}

/** Adapts one agency of the transit module's network to the live engine's (planar shapes, per-agency indexes). */
export function fromTransitNetwork(tn: TransitNetworkLike, agencyCode: string): LiveNetwork {
  const stops = new Map<string, LiveStop>();
  let latSum = 0;
  let lonSum = 0;
  for (const s of tn.stops.values()) {
    if (s.agencyCode !== agencyCode) continue;
    stops.set(s.id, { id: s.id, name: s.name, lat: s.lat, lon: s.lon });
    latSum += s.lat;
    lonSum += s.lon;
  }
  const origin = stops.size ? { lat: latSum / stops.size, lon: lonSum / stops.size } : { lat: 0, lon: 0 };
  const proj = projector(origin);
  const shapes = new Map<string, LiveShape>();
  for (const s of tn.shapes.values()) {
    if (s.agencyCode !== agencyCode) continue;
    const xs = new Float64Array(s.lats.length);
    const ys = new Float64Array(s.lats.length);
    for (let i = 0; i < xs.length; i++) {
      xs[i] = proj.x(s.lons[i]!);
      ys[i] = proj.y(s.lats[i]!);
    }
    shapes.set(s.id, { id: s.id, xs, ys, dists: s.dists, length: s.length });
  }
  const trips = new Map<string, LiveTrip>();
  for (const t of tn.trips.values()) {
    if (t.agencyCode !== agencyCode || t.stopTimes.length < 2 || !shapes.has(t.shapeId)) continue;
    trips.set(t.id, {
      id: t.id,
      routeId: t.routeId,
      serviceId: t.serviceId,
      directionId: t.directionId,
      blockId: t.blockId,
      shapeId: t.shapeId,
      headsign: t.headsign,
      stopTimes: t.stopTimes.map((st) => ({
        stopId: st.stopId,
        stopSequence: st.stopSequence,
        arrival: st.arrival,
        departure: st.departure,
        dist: st.dist,
        timepoint: st.timed,
      })),
      frequencies: t.frequencies.map((f) => ({ start: f.startTime, end: f.endTime, headway: f.headwaySecs, exactTimes: f.exactTimes === 1 })),
    });
  }
  const prefix = `${agencyCode}:`;
  const servicesOn = (date: string): Set<string> => {
    const out = new Set<string>();
    for (const key of tn.servicesActiveOn(date, agencyCode)) if (key.startsWith(prefix)) out.add(key.slice(prefix.length));
    return out;
  };
  return indexNetwork(agencyCode, tn.timezoneOf(agencyCode), stops, trips, shapes, servicesOn, origin);
}

function indexNetwork(
  agencyCode: string,
  timezone: string,
  stops: Map<string, LiveStop>,
  trips: Map<string, LiveTrip>,
  shapes: Map<string, LiveShape>,
  servicesOn: (date: string) => Set<string>,
  origin: { lat: number; lon: number },
): LiveNetwork {
  const tripsByBlock = new Map<string, LiveTrip[]>();
  const tripsByRoute = new Map<string, LiveTrip[]>();
  const callsByStop = new Map<string, { trip: LiveTrip; index: number }[]>();
  for (const trip of trips.values()) {
    if (trip.blockId) pushTo(tripsByBlock, trip.blockId, trip);
    pushTo(tripsByRoute, trip.routeId, trip);
    trip.stopTimes.forEach((st, index) => pushTo(callsByStop, st.stopId, { trip, index }));
  }
  for (const list of tripsByBlock.values()) list.sort((a, b) => a.stopTimes[0]!.departure - b.stopTimes[0]!.departure);
  for (const list of callsByStop.values()) list.sort((a, b) => a.trip.stopTimes[a.index]!.arrival - b.trip.stopTimes[b.index]!.arrival);
  const cache = new Map<string, Set<string>>();
  const cached = (date: string) => {
    let s = cache.get(date);
    if (!s) {
      if (cache.size > 60) cache.clear();
      cache.set(date, (s = servicesOn(date)));
    }
    return s;
  };
  return { agencyCode, timezone, stops, trips, shapes, tripsByBlock, tripsByRoute, callsByStop, servicesOn: cached, origin };
}
