// Checks for our own GTFS-Realtime output: the rules of the MobilityData GTFS-Realtime validator
// (E001–E052) that apply to what we publish, re-implemented in TypeScript (no Java in CI).

import type GtfsRealtimeBindings from 'gtfs-realtime-bindings';
import { haversine, project } from './transit.geo.js';
import type { TransitNetwork } from './transit.network.js';

type Feed = GtfsRealtimeBindings.transit_realtime.IFeedMessage;

export interface RuleViolation {
  rule: string;
  message: string;
}

const POSIX_MIN = 1_000_000_000; // 2001-09-09: earlier values are not seconds of this era
const POSIX_MAX = 4_102_444_800; // 2100-01-01: larger values are milliseconds, not seconds
const toNum = (v: unknown): number | undefined => (v === null || v === undefined ? undefined : Number(v));
const isPosix = (t: number) => Number.isInteger(t) && t >= POSIX_MIN && t < POSIX_MAX;

/** Checks one decoded feed. `previous` is the feed fetched before it (E017, E018); `now` the wall clock (E050). */
export function checkFeed(feed: Feed, net: TransitNetwork, now: number, previous?: { feed: Feed; bytes: string; currentBytes: string }): RuleViolation[] {
  const out: RuleViolation[] = [];
  const v = (rule: string, message: string) => out.push({ rule, message });
  const h = feed.header;
  const headerTs = toNum(h?.timestamp);
  if (h?.gtfsRealtimeVersion !== '2.0' && h?.gtfsRealtimeVersion !== '1.0') v('E038', `gtfs_realtime_version "${h?.gtfsRealtimeVersion}" is not 1.0 or 2.0`);
  if (headerTs === undefined || headerTs === 0) v('E048', 'header timestamp missing');
  if (h?.incrementality === null || h?.incrementality === undefined) v('E049', 'header incrementality missing');
  if (headerTs !== undefined && !isPosix(headerTs)) v('E001', `header timestamp ${headerTs} is not POSIX seconds`);
  if (headerTs !== undefined && headerTs > now + 60) v('E050', `header timestamp ${headerTs} is in the future`);
  if (previous) {
    const prevTs = toNum(previous.feed.header?.timestamp) ?? 0;
    if (headerTs !== undefined && headerTs < prevTs) v('E018', `header timestamp went back from ${prevTs} to ${headerTs}`);
    if (headerTs === prevTs && previous.bytes !== previous.currentBytes) v('E017', 'content changed but the header timestamp did not');
  }
  const full = h?.incrementality === 0 || h?.incrementality === undefined || h?.incrementality === null;
  const agencyIds = new Set(net.feeds.flatMap((f) => f.gtfsAgencyIds));
  const vehicleIds = new Set<string>();
  const vpPairs = new Map<string, string>();
  const tuPairs = new Map<string, string>();

  const checkTs = (what: string, t: number | undefined) => {
    if (t === undefined) return;
    if (!isPosix(t)) v('E001', `${what} timestamp ${t} is not POSIX seconds`);
    if (headerTs !== undefined && t > headerTs) v('E012', `${what} timestamp ${t} is after the header's ${headerTs}`);
    if (t > now + 60) v('E050', `${what} timestamp ${t} is in the future`);
  };
  const checkTrip = (what: string, trip: GtfsRealtimeBindings.transit_realtime.ITripDescriptor) => {
    const tripId = trip.tripId ?? '';
    const rel = trip.scheduleRelationship ?? 0;
    const st = tripId ? net.trips.get(tripId) : undefined;
    if (tripId && !st && rel !== 1) v('E003', `${what}: trip_id "${tripId}" is not in the static feed`);
    if (trip.routeId && !net.routes.has(trip.routeId)) v('E004', `${what}: route_id "${trip.routeId}" is not in the static feed`);
    if (st && trip.routeId && st.routeId !== trip.routeId) v('E035', `${what}: trip "${tripId}" is on route "${st.routeId}", not "${trip.routeId}"`);
    if (st && trip.directionId !== null && trip.directionId !== undefined && st.directionId !== null && trip.directionId !== st.directionId)
      v('E024', `${what}: direction_id ${trip.directionId} differs from the static ${st.directionId}`);
    if (trip.startTime && !/^\d{2}:[0-5]\d:[0-5]\d$/.test(trip.startTime)) v('E020', `${what}: start_time "${trip.startTime}" is not HH:MM:SS`);
    if (trip.startDate && !/^\d{4}(0[1-9]|1[0-2])(0[1-9]|[12]\d|3[01])$/.test(trip.startDate))
      v('E021', `${what}: start_date "${trip.startDate}" is not YYYYMMDD`);
    if (st && st.frequencies.length > 0 && st.frequencies.every((f) => f.exactTimes === 0)) {
      if (!trip.startTime || !trip.startDate) v('E006', `${what}: frequency-based trip "${tripId}" needs start_time and start_date`);
      if (rel !== 2 && rel !== 3) v('E013', `${what}: exact_times=0 trip "${tripId}" must be UNSCHEDULED`);
    }
    if (st && st.frequencies.length === 0 && trip.startTime) {
      const first = st.stopTimes[0];
      const [hh, mm, ss] = trip.startTime.split(':').map(Number);
      if (first && (hh ?? 0) * 3600 + (mm ?? 0) * 60 + (ss ?? 0) !== first.departure)
        v('E023', `${what}: start_time ${trip.startTime} is not the first departure`);
    }
    return st;
  };

  for (const e of feed.entity ?? []) {
    if (full && e.isDeleted) v('E039', `entity ${e.id}: is_deleted in a FULL_DATASET feed`);
    if (e.vehicle) {
      const vp = e.vehicle;
      checkTs(`vehicle ${e.id}`, toNum(vp.timestamp));
      const id = vp.vehicle?.id ?? '';
      if (id) {
        if (vehicleIds.has(id)) v('E052', `vehicle.id "${id}" is not unique`);
        vehicleIds.add(id);
      }
      const p = vp.position;
      if (p) {
        const lat = p.latitude ?? NaN;
        const lon = p.longitude ?? NaN;
        if (!(Math.abs(lat) <= 90) || !(Math.abs(lon) <= 180)) v('E026', `vehicle ${e.id}: position ${lat},${lon} is not valid`);
        if (p.bearing !== null && p.bearing !== undefined && !(p.bearing >= 0 && p.bearing <= 360))
          v('E027', `vehicle ${e.id}: bearing ${p.bearing} out of 0–360`);
        // E028: within the area of the stops and shapes plus one mile.
        let near = false;
        for (const s of net.stops.values()) if (!near && haversine(lat, lon, s.lat, s.lon) <= 1609) near = true;
        for (const sh of net.shapes.values())
          for (let i = 0; !near && i < sh.lats.length; i++) if (haversine(lat, lon, sh.lats[i]!, sh.lons[i]!) <= 1609) near = true;
        if (!near) v('E028', `vehicle ${e.id}: position is outside the agency's area`);
        if (vp.trip?.tripId) {
          const st = net.trips.get(vp.trip.tripId);
          const shape = st ? net.shapes.get(st.shapeId) : undefined;
          if (shape && shape.lats.length > 1 && project(shape, lat, lon).offset > 200) v('E029', `vehicle ${e.id}: more than 200 m from the trip's shape`);
        }
      }
      if (vp.trip) {
        checkTrip(`vehicle ${e.id}`, vp.trip);
        if (id && vp.trip.tripId) vpPairs.set(id, vp.trip.tripId);
      }
    }
    if (e.tripUpdate) {
      const tu = e.tripUpdate;
      checkTs(`trip_update ${e.id}`, toNum(tu.timestamp));
      const st = tu.trip ? checkTrip(`trip_update ${e.id}`, tu.trip) : undefined;
      const rel = tu.trip?.scheduleRelationship ?? 0;
      const updates = tu.stopTimeUpdate ?? [];
      if (tu.vehicle?.id && tu.trip?.tripId) tuPairs.set(tu.vehicle.id, tu.trip.tripId);
      if (updates.length === 0 && rel !== 3) v('E041', `trip_update ${e.id}: no stop_time_updates and not CANCELED`);
      let prevSeq = -1;
      let prevStop = '';
      let prevTime = -Infinity;
      for (const u of updates) {
        const seq = u.stopSequence ?? undefined;
        const stopId = u.stopId ?? '';
        if (seq === undefined && !stopId) v('E040', `trip_update ${e.id}: a stop_time_update has neither stop_sequence nor stop_id`);
        if (seq === undefined && st && new Set(st.stopTimes.map((s) => s.stopId)).size < st.stopTimes.length)
          v('E009', `trip_update ${e.id}: loop trip needs stop_sequence`);
        if (seq !== undefined && seq !== null) {
          if (seq === prevSeq) v('E036', `trip_update ${e.id}: stop_sequence ${seq} repeated`);
          else if (seq < prevSeq) v('E002', `trip_update ${e.id}: stop_sequence ${seq} after ${prevSeq}`);
          prevSeq = seq;
        }
        if (stopId) {
          if (stopId === prevStop) v('E037', `trip_update ${e.id}: stop_id "${stopId}" repeated in a row`);
          prevStop = stopId;
          const stop = net.stops.get(stopId);
          if (!stop) v('E011', `trip_update ${e.id}: stop_id "${stopId}" is not in the static feed`);
          else if (stop.locationType !== 0) v('E015', `trip_update ${e.id}: stop "${stopId}" is not a stop (location_type ${stop.locationType})`);
        }
        if (st && seq !== undefined && seq !== null && stopId) {
          const call = st.stopTimes.find((s) => s.stopSequence === seq);
          if (!call || call.stopId !== stopId) v('E045', `trip_update ${e.id}: stop_sequence ${seq} is not stop "${stopId}" in the static trip`);
        }
        const urel = u.scheduleRelationship ?? 0;
        if (urel === 2 && (u.arrival || u.departure)) v('E042', `trip_update ${e.id}: NO_DATA with arrival or departure`);
        if (urel === 0 && !u.arrival && !u.departure) v('E043', `trip_update ${e.id}: stop_time_update without arrival or departure`);
        for (const [name, ev] of [
          ['arrival', u.arrival],
          ['departure', u.departure],
        ] as const) {
          if (ev && (ev.time === null || ev.time === undefined) && (ev.delay === null || ev.delay === undefined))
            v('E044', `trip_update ${e.id}: ${name} has neither time nor delay`);
        }
        const a = toNum(u.arrival?.time);
        const d = toNum(u.departure?.time);
        for (const t of [a, d]) if (t !== undefined && !isPosix(t)) v('E001', `trip_update ${e.id}: time ${t} is not POSIX seconds`);
        if (a !== undefined && d !== undefined && d < a) v('E025', `trip_update ${e.id}: departure ${d} before arrival ${a}`);
        const first = a ?? d;
        if (first !== undefined && first < prevTime) v('E022', `trip_update ${e.id}: times go back at stop ${stopId || seq}`);
        prevTime = Math.max(prevTime, d ?? a ?? prevTime);
      }
    }
    if (e.alert) {
      const al = e.alert;
      for (const p of al.activePeriod ?? []) {
        for (const t of [toNum(p.start), toNum(p.end)])
          if (t !== undefined && t !== 0 && !isPosix(t)) v('E001', `alert ${e.id}: active_period ${t} is not POSIX seconds`);
      }
      const informed = al.informedEntity ?? [];
      if (informed.length === 0) v('E032', `alert ${e.id}: no informed_entity`);
      for (const ie of informed) {
        if (!ie.agencyId && !ie.routeId && !ie.trip && !ie.stopId && (ie.routeType === null || ie.routeType === undefined))
          v('E033', `alert ${e.id}: informed_entity names nothing`);
        if (ie.agencyId && !agencyIds.has(ie.agencyId)) v('E034', `alert ${e.id}: agency_id "${ie.agencyId}" is not in the static feed`);
        if (ie.stopId && !net.stops.has(ie.stopId)) v('E011', `alert ${e.id}: stop_id "${ie.stopId}" is not in the static feed`);
        if (ie.routeId && !net.routes.has(ie.routeId)) v('E004', `alert ${e.id}: route_id "${ie.routeId}" is not in the static feed`);
        if (ie.trip?.tripId) {
          const st = net.trips.get(ie.trip.tripId);
          if (!st) v('E003', `alert ${e.id}: trip_id "${ie.trip.tripId}" is not in the static feed`);
          if (st && ie.routeId && st.routeId !== ie.routeId) v('E030', `alert ${e.id}: trip "${st.id}" does not belong to route "${ie.routeId}"`);
          if (st && ie.trip.routeId && st.routeId !== ie.trip.routeId) v('E031', `alert ${e.id}: trip.route_id "${ie.trip.routeId}" is not the trip's route`);
        }
      }
    }
  }
  // E047: a vehicle's trip is the same in VehiclePositions and TripUpdates (checked when both are in one feed).
  for (const [id, trip] of vpPairs)
    if (tuPairs.has(id) && tuPairs.get(id) !== trip) v('E047', `vehicle "${id}" is on "${trip}" in positions but "${tuPairs.get(id)}" in trip updates`);
  return out;
}
