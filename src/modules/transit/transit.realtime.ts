// GTFS-Realtime out: VehiclePositions, TripUpdates and Alerts as FULL_DATASET FeedMessages, built from the
// live engine's vehicles, the active static network and the alerts in force.
//
// Two roads to the same bytes. buildVehiclePositions/buildTripUpdates/buildAlerts make the FeedMessage as plain
// objects and encodeFeed encodes them with gtfs-realtime-bindings: the reference, and what the rule tests check.
// RealtimeFeeds serves the endpoints: it keeps each vehicle's entity encoded (with pbf, much faster than protobufjs
// for 15,000 trip updates) and re-encodes only the vehicles whose state changed. A FeedMessage's repeated `entity`
// field is a run of (tag 2, length, FeedEntity), so the header's encoding followed by the entities' is the message,
// byte for byte what encodeFeed gives (the tests compare them).

import { randomBytes } from 'node:crypto';
import type { IncomingHttpHeaders } from 'node:http';
import GtfsRealtimeBindings from 'gtfs-realtime-bindings';
import { PbfWriter } from 'pbf';
import type { AppContext } from '../../platform/context.js';
import { liveVehicles, type LiveVehicle, type StopTimeUpdate } from './live/index.js';
import type { NetworkTrip, TransitNetwork } from './transit.network.js';
import { activeAlerts, cancelledTripIds, networkOf, nowOf, type AlertRow } from './transit.service.js';

const rt = GtfsRealtimeBindings.transit_realtime;
export type FeedMessage = GtfsRealtimeBindings.transit_realtime.IFeedMessage;
type Entity = GtfsRealtimeBindings.transit_realtime.IFeedEntity;
type TripDescriptor = GtfsRealtimeBindings.transit_realtime.ITripDescriptor;
type TripUpdate = GtfsRealtimeBindings.transit_realtime.ITripUpdate;
type StopTimeEvent = GtfsRealtimeBindings.transit_realtime.TripUpdate.IStopTimeEvent;
type StopTimeUpdateMessage = GtfsRealtimeBindings.transit_realtime.TripUpdate.IStopTimeUpdate;
type VehiclePosition = GtfsRealtimeBindings.transit_realtime.IVehiclePosition;
type VehicleDescriptor = GtfsRealtimeBindings.transit_realtime.IVehicleDescriptor;
type Position = GtfsRealtimeBindings.transit_realtime.IPosition;
type FeedHeader = GtfsRealtimeBindings.transit_realtime.IFeedHeader;

export type FeedKind = 'vehicle-positions' | 'trip-updates' | 'alerts';

function header(timestamp: number): FeedHeader {
  return { gtfsRealtimeVersion: '2.0', incrementality: rt.FeedHeader.Incrementality.FULL_DATASET, timestamp };
}

const validPosition = (v: LiveVehicle) =>
  Number.isFinite(v.lat) && Number.isFinite(v.lon) && Math.abs(v.lat) <= 90 && Math.abs(v.lon) <= 180 && !(v.lat === 0 && v.lon === 0);

/** The trip of a vehicle as a TripDescriptor, or null when the trip is not in the static feed. */
function tripOf(net: TransitNetwork, v: LiveVehicle): TripDescriptor | null {
  if (!v.tripId) return null;
  const trip = net.trips.get(v.tripId);
  if (!trip) return null;
  const d: TripDescriptor = { tripId: trip.id, routeId: trip.routeId, scheduleRelationship: rt.TripDescriptor.ScheduleRelationship.SCHEDULED };
  if (trip.directionId !== null) d.directionId = trip.directionId;
  if (v.startDate) d.startDate = v.startDate;
  // A frequency-based trip is told apart by its start time (E006); exact_times=0 trips are UNSCHEDULED (E013).
  if (trip.frequencies.length > 0) {
    if (v.startTime) d.startTime = v.startTime;
    if (trip.frequencies.every((f) => f.exactTimes === 0)) d.scheduleRelationship = rt.TripDescriptor.ScheduleRelationship.UNSCHEDULED;
  }
  return d;
}

/** One vehicle per id (E052), valid positions only (E026), timestamps not after the header's (E012). */
function usable(vehicles: LiveVehicle[], now: number): LiveVehicle[] {
  const seen = new Set<string>();
  const out: LiveVehicle[] = [];
  for (const v of vehicles) {
    if (seen.has(v.vehicleId) || !validPosition(v) || v.timestamp > now) continue;
    seen.add(v.vehicleId);
    out.push(v);
  }
  return out;
}

// ---- entities: one per vehicle, cancelled trip or alert (each depends on its own inputs only) ----

function vehiclePositionEntity(net: TransitNetwork, v: LiveVehicle, cancelled: Set<string>): Entity {
  const trip = v.tripId && !cancelled.has(v.tripId) ? tripOf(net, v) : null;
  const position: Position = { latitude: v.lat, longitude: v.lon };
  if (v.bearing !== null && Number.isFinite(v.bearing)) position.bearing = ((v.bearing % 360) + 360) % 360;
  if (v.speed !== null && Number.isFinite(v.speed) && v.speed >= 0) position.speed = v.speed;
  const vehicle: VehiclePosition = { vehicle: { id: v.vehicleId, label: v.vehicleId }, position, timestamp: Math.floor(v.timestamp) };
  if (trip) vehicle.trip = trip;
  return { id: `vp-${v.agencyCode}-${v.vehicleId}`, vehicle };
}

/** Each static trip's stop ids by stop_sequence, made once per trip of a network. */
const stopIdsBySequence = new WeakMap<NetworkTrip, Map<number, string>>();
function stopIdBySequence(trip: NetworkTrip): Map<number, string> {
  let m = stopIdsBySequence.get(trip);
  if (!m) stopIdsBySequence.set(trip, (m = new Map(trip.stopTimes.map((s) => [s.stopSequence, s.stopId]))));
  return m;
}

const bySequence = (a: StopTimeUpdate, b: StopTimeUpdate) => a.stopSequence - b.stopSequence;
function sortedBySequence(updates: StopTimeUpdate[]): StopTimeUpdate[] {
  for (let i = 1; i < updates.length; i++) if (updates[i]!.stopSequence < updates[i - 1]!.stopSequence) return [...updates].sort(bySequence);
  return updates; // the live engine's order already (a stable sort would keep it)
}

/**
 * Calls `use` with each stop time update a vehicle's TripUpdate carries, in order, and returns how many: only stops
 * of this trip, strictly increasing sequence, times not decreasing, arrival ≤ departure (E002, E022, E025, E036,
 * E037, E045).
 */
function forEachStopTimeUpdate(
  staticTrip: NetworkTrip,
  updates: StopTimeUpdate[],
  use: (stopSequence: number, stopId: string, arrival: number, departure: number) => void,
): number {
  const bySeq = stopIdBySequence(staticTrip);
  let count = 0;
  let lastSeq = -1;
  let lastTime = -Infinity;
  let lastStop = '';
  for (const u of sortedBySequence(updates)) {
    if (bySeq.get(u.stopSequence) !== u.stopId || u.stopSequence <= lastSeq || u.stopId === lastStop) continue;
    const arrival = Math.max(Math.round(u.arrival), lastTime);
    const departure = Math.max(Math.round(u.departure), arrival);
    use(u.stopSequence, u.stopId, arrival, departure);
    count++;
    lastSeq = u.stopSequence;
    lastTime = departure;
    lastStop = u.stopId;
  }
  return count;
}

/** A vehicle's TripUpdate but its stop time updates (written by forEachStopTimeUpdate). */
interface TripUpdateHead {
  /** The trip instance: one entity per instance, the first vehicle on it claims it. */
  key: string;
  id: string;
  trip: TripDescriptor;
  staticTrip: NetworkTrip;
  vehicle: VehicleDescriptor;
  updates: StopTimeUpdate[];
  timestamp: number;
  delay: number | null;
}

/** null when the vehicle's trip is unknown or cancelled. */
function tripUpdateHead(net: TransitNetwork, v: LiveVehicle, cancelled: Set<string>): TripUpdateHead | null {
  if (!v.tripId || cancelled.has(v.tripId)) return null;
  const trip = tripOf(net, v);
  const staticTrip = net.trips.get(v.tripId);
  if (!trip || !staticTrip) return null;
  return {
    key: `${trip.tripId}|${trip.startDate ?? ''}|${trip.startTime ?? ''}`,
    id: `tu-${v.agencyCode}-${v.vehicleId}`,
    trip,
    staticTrip,
    vehicle: { id: v.vehicleId, label: v.vehicleId },
    updates: v.stopTimeUpdates,
    timestamp: Math.floor(v.timestamp),
    delay: v.delaySeconds !== null && Number.isFinite(v.delaySeconds) ? Math.round(v.delaySeconds) : null,
  };
}

/** A vehicle's TripUpdate entity; null when no stop time update survives the checks. */
function tripUpdateEntity(h: TripUpdateHead): Entity | null {
  const stopTimeUpdate: StopTimeUpdateMessage[] = [];
  forEachStopTimeUpdate(h.staticTrip, h.updates, (stopSequence, stopId, arrival, departure) =>
    stopTimeUpdate.push({ stopSequence, stopId, arrival: { time: arrival }, departure: { time: departure } }),
  );
  if (stopTimeUpdate.length === 0) return null;
  return {
    id: h.id,
    tripUpdate: { trip: h.trip, vehicle: h.vehicle, stopTimeUpdate, timestamp: h.timestamp, ...(h.delay !== null ? { delay: h.delay } : {}) },
  };
}

/** A trip cancelled by an alert: CANCELED, no stop time updates, on today's service date. */
function cancelledTripEntity(trip: NetworkTrip, startDate: string, now: number): Entity {
  const d: TripDescriptor = { tripId: trip.id, routeId: trip.routeId, startDate, scheduleRelationship: rt.TripDescriptor.ScheduleRelationship.CANCELED };
  if (trip.directionId !== null) d.directionId = trip.directionId;
  return { id: `cancel-${trip.agencyCode}-${trip.id}`, tripUpdate: { trip: d, timestamp: now } };
}

// ---- the FeedMessages as objects ----

export function buildVehiclePositions(net: TransitNetwork, vehicles: LiveVehicle[], now: number, cancelled: Set<string>): FeedMessage {
  return { header: header(now), entity: usable(vehicles, now).map((v) => vehiclePositionEntity(net, v, cancelled)) };
}

export function buildTripUpdates(
  net: TransitNetwork,
  vehicles: LiveVehicle[],
  now: number,
  cancelled: Set<string>,
  serviceDate: (agencyCode: string) => string,
): FeedMessage {
  const entity: Entity[] = [];
  const done = new Set<string>();
  for (const v of usable(vehicles, now)) {
    const h = tripUpdateHead(net, v, cancelled);
    if (!h || done.has(h.key)) continue;
    done.add(h.key);
    const e = tripUpdateEntity(h);
    if (e) entity.push(e);
  }
  for (const tripId of cancelled) {
    const trip = net.trips.get(tripId);
    if (trip) entity.push(cancelledTripEntity(trip, serviceDate(trip.agencyCode), now));
  }
  return { header: header(now), entity };
}

const effectOf: Record<string, GtfsRealtimeBindings.transit_realtime.Alert.Effect> = {
  detour: rt.Alert.Effect.DETOUR,
  cancellation: rt.Alert.Effect.NO_SERVICE,
  closed_stop: rt.Alert.Effect.NO_SERVICE,
  other: rt.Alert.Effect.OTHER_EFFECT,
};

function translated(zh: string, en: string): GtfsRealtimeBindings.transit_realtime.ITranslatedString {
  return {
    translation: [
      { text: zh, language: 'zh-CN' },
      { text: en, language: 'en' },
    ],
  };
}

export function buildAlerts(net: TransitNetwork, list: AlertRow[], now: number): FeedMessage {
  const entity: Entity[] = [];
  for (const a of list) {
    const informed: GtfsRealtimeBindings.transit_realtime.IEntitySelector[] = [];
    const trip = a.tripId ? net.trips.get(a.tripId) : undefined;
    const route = a.routeId ? net.routes.get(a.routeId) : trip ? net.routes.get(trip.routeId) : undefined;
    const agencyId = route?.gtfsAgencyId || undefined;
    if (trip) {
      // E030/E031: a trip's route, when given, is the trip's own.
      informed.push({
        ...(agencyId ? { agencyId } : {}),
        routeId: trip.routeId,
        trip: { tripId: trip.id, routeId: trip.routeId },
        ...(a.stopId ? { stopId: a.stopId } : {}),
      });
    } else if (a.routeId && route) {
      informed.push({ ...(agencyId ? { agencyId } : {}), routeId: a.routeId, ...(a.stopId && net.stops.has(a.stopId) ? { stopId: a.stopId } : {}) });
    } else if (a.stopId && net.stops.has(a.stopId)) {
      informed.push({ stopId: a.stopId });
    }
    // E032/E033: an alert with no (known) entity is left out rather than published empty.
    if (informed.length === 0) continue;
    const period: GtfsRealtimeBindings.transit_realtime.ITimeRange = { start: Math.floor(a.startsAt.getTime() / 1000) };
    if (a.endsAt) period.end = Math.floor(a.endsAt.getTime() / 1000);
    entity.push({
      id: `alert-${a.id}`,
      alert: {
        activePeriod: [period],
        informedEntity: informed,
        cause: rt.Alert.Cause.UNKNOWN_CAUSE,
        effect: effectOf[a.kind] ?? rt.Alert.Effect.UNKNOWN_EFFECT,
        headerText: translated(a.headerZh, a.headerEn),
        ...(a.descriptionZh || a.descriptionEn ? { descriptionText: translated(a.descriptionZh || a.descriptionEn, a.descriptionEn || a.descriptionZh) } : {}),
      },
    });
  }
  return { header: header(now), entity };
}

/** Encodes straight from the plain objects the builders make (they use the generated field names and enum numbers). */
export function encodeFeed(message: FeedMessage): Uint8Array {
  return rt.FeedMessage.encode(message).finish();
}

export function decodeFeed(bytes: Uint8Array): GtfsRealtimeBindings.transit_realtime.FeedMessage {
  return rt.FeedMessage.decode(bytes);
}

// ---- the fast encoder: the messages and fields our builders make, in gtfs-realtime-bindings' field order ----
// Optional fields are written when set (not null or undefined), as the generated code does; 64-bit fields hold
// numbers (the builders never put Longs in). Fields no builder sets and that this encoder does not know throw.

/** The builders put only numbers in 64-bit fields. */
const num = (v: number | { toNumber(): number }): number => (typeof v === 'number' ? v : v.toNumber());

function unsupported(field: string): never {
  throw new Error(`GTFS-RT fast encoder: ${field} is not supported; encode with encodeFeed`);
}

function writeHeader(h: FeedHeader, w: PbfWriter): void {
  w.writeStringField(1, h.gtfsRealtimeVersion);
  if (h.incrementality != null) w.writeVarintField(2, h.incrementality);
  if (h.timestamp != null) writeUintField(w, 3, num(h.timestamp));
}

function writeTripDescriptor(d: TripDescriptor, w: PbfWriter): void {
  if (d.tripId != null) w.writeStringField(1, d.tripId);
  if (d.startTime != null) w.writeStringField(2, d.startTime);
  if (d.startDate != null) w.writeStringField(3, d.startDate);
  if (d.scheduleRelationship != null) w.writeVarintField(4, d.scheduleRelationship);
  if (d.routeId != null) w.writeStringField(5, d.routeId);
  if (d.directionId != null) w.writeVarintField(6, d.directionId);
}

function writeVehicleDescriptor(d: VehicleDescriptor, w: PbfWriter): void {
  if (d.id != null) w.writeStringField(1, d.id);
  if (d.label != null) w.writeStringField(2, d.label);
  if (d.licensePlate != null) w.writeStringField(3, d.licensePlate);
}

function writePosition(p: Position, w: PbfWriter): void {
  w.writeFloatField(1, p.latitude);
  w.writeFloatField(2, p.longitude);
  if (p.bearing != null) w.writeFloatField(3, p.bearing);
  if (p.odometer != null) w.writeDoubleField(4, p.odometer);
  if (p.speed != null) w.writeFloatField(5, p.speed);
}

function writeVehiclePosition(vp: VehiclePosition, w: PbfWriter): void {
  if (vp.trip != null) w.writeMessage(1, writeTripDescriptor, vp.trip);
  if (vp.position != null) w.writeMessage(2, writePosition, vp.position);
  if (vp.currentStopSequence != null) w.writeVarintField(3, vp.currentStopSequence);
  if (vp.currentStatus != null) w.writeVarintField(4, vp.currentStatus);
  if (vp.timestamp != null) writeUintField(w, 5, num(vp.timestamp));
  if (vp.congestionLevel != null) w.writeVarintField(6, vp.congestionLevel);
  if (vp.stopId != null) w.writeStringField(7, vp.stopId);
  if (vp.vehicle != null) w.writeMessage(8, writeVehicleDescriptor, vp.vehicle);
  if (vp.occupancyStatus != null) w.writeVarintField(9, vp.occupancyStatus);
  if (vp.occupancyPercentage != null) w.writeVarintField(10, vp.occupancyPercentage);
  if (vp.multiCarriageDetails?.length) unsupported('VehiclePosition.multi_carriage_details');
}

function writeStopTimeEvent(e: StopTimeEvent, w: PbfWriter): void {
  if (e.delay != null) w.writeVarintField(1, e.delay);
  if (e.time != null) writeUintField(w, 2, num(e.time));
  if (e.uncertainty != null) w.writeVarintField(3, e.uncertainty);
}

function writeStopTimeUpdate(u: StopTimeUpdateMessage, w: PbfWriter): void {
  if (u.stopSequence != null) w.writeVarintField(1, u.stopSequence);
  if (u.arrival != null) w.writeMessage(2, writeStopTimeEvent, u.arrival);
  if (u.departure != null) w.writeMessage(3, writeStopTimeEvent, u.departure);
  if (u.stopId != null) w.writeStringField(4, u.stopId);
  if (u.scheduleRelationship != null) w.writeVarintField(5, u.scheduleRelationship);
  if (u.stopTimeProperties != null) unsupported('StopTimeUpdate.stop_time_properties');
}

function writeTripUpdate(t: TripUpdate, w: PbfWriter): void {
  w.writeMessage(1, writeTripDescriptor, t.trip);
  if (t.stopTimeUpdate) for (const u of t.stopTimeUpdate) w.writeMessage(2, writeStopTimeUpdate, u);
  if (t.vehicle != null) w.writeMessage(3, writeVehicleDescriptor, t.vehicle);
  if (t.timestamp != null) writeUintField(w, 4, num(t.timestamp));
  if (t.delay != null) w.writeVarintField(5, t.delay);
  if (t.tripProperties != null) unsupported('TripUpdate.trip_properties');
}

function writeEntity(e: Entity, w: PbfWriter): void {
  w.writeStringField(1, e.id);
  if (e.isDeleted != null) w.writeBooleanField(2, e.isDeleted);
  if (e.tripUpdate != null) w.writeMessage(3, writeTripUpdate, e.tripUpdate);
  if (e.vehicle != null) w.writeMessage(4, writeVehiclePosition, e.vehicle);
  if (e.alert != null) unsupported('FeedEntity.alert');
}

/** One writer, reused: encoding is synchronous. */
const writer = new PbfWriter();

/** An entity as it sits in a FeedMessage: field 2, its length, its encoding. */
function entityField(e: Entity): Uint8Array {
  writer.pos = 0;
  writer.writeMessage(2, writeEntity, e);
  return writer.buf.slice(0, writer.pos);
}

function headerField(timestamp: number): Uint8Array {
  writer.pos = 0;
  writer.writeMessage(1, writeHeader, header(timestamp));
  return writer.buf.slice(0, writer.pos);
}

/**
 * A uint32 field (the times until 2106, sequences, timestamps) without pbf's general path for values past 2^28;
 * anything else goes through pbf.
 */
function writeUintField(w: PbfWriter, tag: number, value: number): void {
  if (value !== value >>> 0) {
    w.writeVarintField(tag, value);
    return;
  }
  w.writeTag(tag, 0);
  w.realloc(5);
  const buf = w.buf;
  let v = value;
  while (v > 0x7f) {
    buf[w.pos++] = (v & 0x7f) | 0x80;
    v >>>= 7;
  }
  buf[w.pos++] = v;
}

// tripUpdateEntity(h) as field 2, written without making its stop time updates as objects (the bulk of the feed):
// module-level functions and one scratch object, so writing allocates nothing per stop.
let updatesWritten = 0;

function tripUpdateField(h: TripUpdateHead): Uint8Array | null {
  writer.pos = 0;
  updatesWritten = 0;
  writer.writeMessage(2, writeTripUpdateEntity, h);
  return updatesWritten > 0 ? writer.buf.slice(0, writer.pos) : null;
}

function writeTripUpdateEntity(h: TripUpdateHead, w: PbfWriter): void {
  w.writeStringField(1, h.id);
  w.writeMessage(3, writeTripUpdateBody, h);
}

function writeTripUpdateBody(h: TripUpdateHead, w: PbfWriter): void {
  w.writeMessage(1, writeTripDescriptor, h.trip);
  updatesWritten = forEachStopTimeUpdate(h.staticTrip, h.updates, writeOneUpdate);
  w.writeMessage(3, writeVehicleDescriptor, h.vehicle);
  writeUintField(w, 4, h.timestamp);
  if (h.delay !== null) w.writeVarintField(5, h.delay);
}

/** The stop time update being written: {stopSequence, arrival: {time}, departure: {time}, stopId}. */
const scratch = { stopSequence: 0, stopId: '', arrival: 0, departure: 0 };

/** Bytes of a uint32 as a varint. */
const varintSize = (v: number) => (v < 0x80 ? 1 : v < 0x4000 ? 2 : v < 0x200000 ? 3 : v < 0x10000000 ? 4 : 5);

function putVarint(buf: Uint8Array, at: number, value: number): number {
  let v = value;
  while (v > 0x7f) {
    buf[at++] = (v & 0x7f) | 0x80;
    v >>>= 7;
  }
  buf[at++] = v;
  return at;
}

/**
 * One stop time update, straight into the writer's buffer when it is the usual one (uint32 numbers, an ASCII stop
 * id, under 128 bytes: one length byte); otherwise through pbf. Same bytes either way (the tests cover both).
 */
function writeOneUpdate(stopSequence: number, stopId: string, arrival: number, departure: number): void {
  const n = stopId.length;
  // n < 64: the message stays under 128 bytes, its length one byte.
  if (stopSequence === stopSequence >>> 0 && arrival === arrival >>> 0 && departure === departure >>> 0 && n < 64) {
    const size = 1 + varintSize(stopSequence) + 3 + varintSize(arrival) + 3 + varintSize(departure) + 2 + n; // the message, less its tag and length
    writer.realloc(size + 2);
    const buf = writer.buf;
    let at = writer.pos;
    buf[at++] = 0x12; // FeedEntity... TripUpdate.stop_time_update (2), length-delimited
    buf[at++] = size;
    buf[at++] = 0x08; // stop_sequence (1), varint
    at = putVarint(buf, at, stopSequence);
    buf[at++] = 0x12; // arrival (2): StopTimeEvent { time (2) }
    buf[at++] = 1 + varintSize(arrival);
    buf[at++] = 0x10;
    at = putVarint(buf, at, arrival);
    buf[at++] = 0x1a; // departure (3)
    buf[at++] = 1 + varintSize(departure);
    buf[at++] = 0x10;
    at = putVarint(buf, at, departure);
    buf[at++] = 0x22; // stop_id (4), length-delimited
    buf[at++] = n;
    let ascii = true;
    for (let i = 0; i < n; i++) {
      const c = stopId.charCodeAt(i);
      if (c > 0x7f) {
        ascii = false;
        break;
      }
      buf[at++] = c;
    }
    if (ascii) {
      writer.pos = at;
      return;
    }
  }
  scratch.stopSequence = stopSequence;
  scratch.stopId = stopId;
  scratch.arrival = arrival;
  scratch.departure = departure;
  writer.writeMessage(2, writeScratchUpdate, scratch);
}

function writeTime(time: number, w: PbfWriter): void {
  writeUintField(w, 2, time);
}

function writeScratchUpdate(u: typeof scratch, w: PbfWriter): void {
  writeUintField(w, 1, u.stopSequence);
  w.writeMessage(2, writeTime, u.arrival);
  w.writeMessage(3, writeTime, u.departure);
  w.writeStringField(4, u.stopId);
}

/** An entity encoded by gtfs-realtime-bindings (alerts: few, and with every kind of text), as field 2. */
function boundEntityField(e: Entity): Uint8Array {
  writer.pos = 0;
  writer.writeBytesField(2, rt.FeedEntity.encode(e).finish());
  return writer.buf.slice(0, writer.pos);
}

// ---- the incremental feeds ----

/** What a vehicle's entity was made from; the entity is re-encoded when any of it changes. */
interface Slot {
  /** The pass that last used it: a second vehicle with this id in the same pass is left out (E052). */
  seen: number;
  agencyCode: string;
  timestamp: number;
  lat: number;
  lon: number;
  bearing: number | null;
  speed: number | null;
  tripId: string | null;
  startDate: string | null;
  startTime: string | null;
  delaySeconds: number | null;
  /** The live engine makes a new array at each prediction and never changes one in place: identity is enough. */
  stopTimeUpdates: StopTimeUpdate[];
  cancelled: boolean;
  /** TripUpdates: the trip instance this vehicle claims (null: none); one TripUpdate per instance, the first vehicle's. */
  key: string | null;
  claim: Claim | null;
  /** The entity as field 2 of the FeedMessage (null: none). */
  part: Uint8Array | null;
}

const sameInputs = (s: Slot, v: LiveVehicle, cancelled: boolean) =>
  s.timestamp === v.timestamp &&
  s.stopTimeUpdates === v.stopTimeUpdates &&
  s.lat === v.lat &&
  s.lon === v.lon &&
  s.agencyCode === v.agencyCode &&
  s.bearing === v.bearing &&
  s.speed === v.speed &&
  s.tripId === v.tripId &&
  s.startDate === v.startDate &&
  s.startTime === v.startTime &&
  s.delaySeconds === v.delaySeconds &&
  s.cancelled === cancelled;

/** A trip instance, shared by the slots of the vehicles on it: the pass that last gave it a TripUpdate. */
interface Claim {
  pass: number;
}

/**
 * Each vehicle's encoded entity of one feed, by vehicle id (a feed has one vehicle per id, E052); all dropped when
 * the network changes. A pass goes through the vehicles of one build in order: usable() done in the same loop.
 */
class VehicleEntities {
  private net: TransitNetwork | null = null;
  private slots = new Map<string, Slot>();
  private claims = new Map<string, Claim>();
  /** The current pass (one per build). */
  pass = 0;
  private used = 0;
  /** Entities encoded anew in the current pass. */
  encoded = 0;

  constructor(private readonly make: (net: TransitNetwork, v: LiveVehicle, cancelled: Set<string>) => { key: string | null; part: Uint8Array | null }) {}

  begin(net: TransitNetwork): void {
    if (net !== this.net) {
      this.net = net;
      this.slots.clear();
      this.claims.clear();
    }
    this.pass++;
    this.used = 0;
    this.encoded = 0;
  }

  /** The vehicle's slot, or null when it is left out: invalid position (E026), after `now` (E012), id seen (E052). */
  slot(net: TransitNetwork, v: LiveVehicle, now: number, cancelled: Set<string>): Slot | null {
    if (!validPosition(v) || v.timestamp > now) return null;
    let s = this.slots.get(v.vehicleId);
    if (s?.seen === this.pass) return null;
    this.used++;
    const isCancelled = cancelled.size > 0 && v.tripId !== null && cancelled.has(v.tripId);
    if (s && sameInputs(s, v, isCancelled)) {
      s.seen = this.pass;
      return s;
    }
    const { key, part } = this.make(net, v, cancelled);
    this.encoded++;
    if (!s) {
      s = {
        seen: 0,
        agencyCode: '',
        timestamp: 0,
        lat: 0,
        lon: 0,
        bearing: null,
        speed: null,
        tripId: null,
        startDate: null,
        startTime: null,
        delaySeconds: null,
        stopTimeUpdates: [],
        cancelled: false,
        key: null,
        claim: null,
        part: null,
      };
      this.slots.set(v.vehicleId, s);
    }
    s.seen = this.pass;
    s.agencyCode = v.agencyCode;
    s.timestamp = v.timestamp;
    s.lat = v.lat;
    s.lon = v.lon;
    s.bearing = v.bearing;
    s.speed = v.speed;
    s.tripId = v.tripId;
    s.startDate = v.startDate;
    s.startTime = v.startTime;
    s.delaySeconds = v.delaySeconds;
    s.stopTimeUpdates = v.stopTimeUpdates;
    s.cancelled = isCancelled;
    s.key = key;
    s.claim = key === null ? null : this.claimOf(key);
    s.part = part;
    return s;
  }

  /** Forgets the vehicles not seen in this pass (gone silent, or left out). */
  end(): void {
    if (this.used !== this.slots.size) for (const [id, s] of this.slots) if (s.seen !== this.pass) this.slots.delete(id);
    if (this.claims.size > 2 * this.slots.size + 64) {
      this.claims.clear();
      for (const s of this.slots.values()) if (s.key !== null) this.claims.set(s.key, s.claim!);
    }
  }

  private claimOf(key: string): Claim {
    let c = this.claims.get(key);
    if (!c) this.claims.set(key, (c = { pass: 0 }));
    return c;
  }
}

/** A feed as published: its bytes and what HTTP caching needs. */
export interface PublishedFeed {
  kind: FeedKind;
  /** The header timestamp: when this content was built (transit clock, unix seconds). */
  timestamp: number;
  bytes: Buffer;
  entities: number;
  /** Strong validator of the protobuf bytes; the JSON copy's is `jsonEtag`. */
  etag: string;
  jsonEtag: string;
  /** HTTP date of `timestamp`. */
  lastModified: string;
}

/**
 * A feed whose content has not changed keeps its header timestamp (it names when the content was made) and its
 * ETag, but is rebuilt at least this often so consumers can tell a quiet feed from a dead one (the validator warns
 * from 65 s).
 */
export const HEADER_REFRESH_SECONDS = 30;

/** Unchanged entities are the same arrays; one encoded anew may still have come out the same. */
function sameParts(a: Uint8Array[], b: Uint8Array[]): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) {
    const x = a[i]!;
    const y = b[i]!;
    if (x !== y && (x.length !== y.length || Buffer.compare(x, y) !== 0)) return false;
  }
  return true;
}

class FeedState {
  last: { feed: PublishedFeed; parts: Uint8Array[]; signature: string } | null = null;
  private version = 0;

  constructor(
    private readonly kind: FeedKind,
    private readonly instance: string,
  ) {}

  /** The last feed while it stands: built at most once per transit-clock second (E017), never going back (E018). */
  standing(now: number): PublishedFeed | null {
    return this.last && now <= this.last.feed.timestamp ? this.last.feed : null;
  }

  /** The feed of these entity parts (plus `extra()`'s, made at `now`), or the last one if nothing changed. */
  publish(now: number, parts: Uint8Array[], signature: string, extra: () => Uint8Array[]): PublishedFeed {
    const last = this.last;
    if (last && now - last.feed.timestamp < HEADER_REFRESH_SECONDS && last.signature === signature && sameParts(last.parts, parts)) return last.feed;
    const head = headerField(now);
    const tail = extra();
    let size = head.length;
    for (const p of parts) size += p.length;
    for (const p of tail) size += p.length;
    const bytes = Buffer.allocUnsafe(size);
    bytes.set(head, 0);
    let at = head.length;
    for (const p of parts) {
      bytes.set(p, at);
      at += p.length;
    }
    for (const p of tail) {
      bytes.set(p, at);
      at += p.length;
    }
    const tag = `${this.kind}-${this.instance}-${now.toString(36)}-${(++this.version).toString(36)}`;
    const feed: PublishedFeed = {
      kind: this.kind,
      timestamp: now,
      bytes,
      entities: parts.length + tail.length,
      etag: `"${tag}"`,
      jsonEtag: `"${tag}-json"`,
      lastModified: new Date(now * 1000).toUTCString(),
    };
    this.last = { feed, parts, signature };
    return feed;
  }
}

/**
 * The three feeds of one application instance, each rebuilt from what changed since its last build. Same inputs,
 * same bytes as encodeFeed(buildX(...)).
 */
export class RealtimeFeeds {
  private readonly instance = randomBytes(6).toString('base64url');
  private readonly states = {
    'vehicle-positions': new FeedState('vehicle-positions', this.instance),
    'trip-updates': new FeedState('trip-updates', this.instance),
    alerts: new FeedState('alerts', this.instance),
  };
  private readonly positions = new VehicleEntities((net, v, cancelled) => ({ key: null, part: entityField(vehiclePositionEntity(net, v, cancelled)) }));
  private readonly updates = new VehicleEntities((net, v, cancelled) => {
    const h = tripUpdateHead(net, v, cancelled);
    return h ? { key: h.key, part: tripUpdateField(h) } : { key: null, part: null };
  });
  /** Entities encoded anew by the last build of each feed (the others came from the cache). */
  readonly encoded: Record<FeedKind, number> = { 'vehicle-positions': 0, 'trip-updates': 0, alerts: 0 };

  /** The feed built last, if it may still be served at `now` without a look at the inputs. */
  standing(kind: FeedKind, now: number): PublishedFeed | null {
    return this.states[kind].standing(now);
  }

  vehiclePositions(net: TransitNetwork, vehicles: LiveVehicle[], now: number, cancelled: Set<string>): PublishedFeed {
    const state = this.states['vehicle-positions'];
    const standing = state.standing(now);
    if (standing) return standing;
    const parts: Uint8Array[] = [];
    this.positions.begin(net);
    for (const v of vehicles) {
      const s = this.positions.slot(net, v, now, cancelled);
      if (s) parts.push(s.part!);
    }
    this.positions.end();
    this.encoded['vehicle-positions'] = this.positions.encoded;
    return state.publish(now, parts, '', () => []);
  }

  tripUpdates(net: TransitNetwork, vehicles: LiveVehicle[], now: number, cancelled: Set<string>, serviceDate: (agencyCode: string) => string): PublishedFeed {
    const state = this.states['trip-updates'];
    const standing = state.standing(now);
    if (standing) return standing;
    const parts: Uint8Array[] = [];
    this.updates.begin(net);
    const pass = this.updates.pass;
    for (const v of vehicles) {
      const s = this.updates.slot(net, v, now, cancelled);
      if (!s?.claim || s.claim.pass === pass) continue;
      s.claim.pass = pass;
      if (s.part) parts.push(s.part);
    }
    this.updates.end();
    this.encoded['trip-updates'] = this.updates.encoded;
    // Cancelled trips carry the build time: made only when the feed is (re)built.
    const trips: [NetworkTrip, string][] = [];
    for (const tripId of cancelled) {
      const trip = net.trips.get(tripId);
      if (trip) trips.push([trip, serviceDate(trip.agencyCode)]);
    }
    const signature = trips.map(([t, date]) => `${t.agencyCode}|${t.id}|${date}`).join('\n');
    return state.publish(now, parts, signature, () => trips.map(([t, date]) => entityField(cancelledTripEntity(t, date, now))));
  }

  alerts(net: TransitNetwork, list: AlertRow[], now: number): PublishedFeed {
    const state = this.states.alerts;
    const standing = state.standing(now);
    if (standing) return standing;
    const parts = (buildAlerts(net, list, now).entity ?? []).map(boundEntityField);
    this.encoded.alerts = parts.length;
    return state.publish(now, parts, '', () => []);
  }
}

const feedsOf = new WeakMap<AppContext, RealtimeFeeds>();

/** The feed to serve now: from the live engine's vehicles, the active network and the alerts in force. */
export async function publishedFeed(ctx: AppContext, kind: FeedKind): Promise<PublishedFeed> {
  let feeds = feedsOf.get(ctx);
  if (!feeds) feedsOf.set(ctx, (feeds = new RealtimeFeeds()));
  const now = nowOf(ctx);
  const standing = feeds.standing(kind, now);
  if (standing) return standing;
  const net = await networkOf(ctx);
  if (kind === 'alerts') return feeds.alerts(net, await activeAlerts(ctx, now), now);
  const cancelled = await cancelledTripIds(ctx, now);
  if (kind === 'vehicle-positions') return feeds.vehiclePositions(net, liveVehicles(ctx), now, cancelled);
  return feeds.tripUpdates(net, liveVehicles(ctx), now, cancelled, (code) => net.serviceDateOf(code, now));
}

/** How often, at most, the readable copy of a feed is made again (it costs ~70x the protobuf's build). */
export const jsonCopySeconds = 10;
const jsonCopiesOf = new WeakMap<AppContext, Map<FeedKind, { feed: PublishedFeed; text: string }>>();

/** The feed as readable JSON, decoded from the bytes served (enums as names, 64-bit numbers as numbers). */
export function feedJson(feed: PublishedFeed): Record<string, unknown> {
  return rt.FeedMessage.toObject(rt.FeedMessage.decode(feed.bytes), { longs: Number, enums: String, defaults: false });
}

/**
 * `?format=json`: the readable copy as text, made at most every `jsonCopySeconds` per feed (a newer feed inside
 * that time gets the previous copy, whose own feed's ETag and Last-Modified go with it), so polling it cannot
 * take the process's whole thread. The copy is made once per content and sent as the same string to everyone.
 */
export function feedJsonCopy(ctx: AppContext, feed: PublishedFeed): { feed: PublishedFeed; text: string } {
  let jsonCopies = jsonCopiesOf.get(ctx);
  if (!jsonCopies) jsonCopiesOf.set(ctx, (jsonCopies = new Map()));
  const last = jsonCopies.get(feed.kind);
  if (last && (last.feed === feed || feed.timestamp - last.feed.timestamp < jsonCopySeconds)) return last;
  const copy = { feed, text: JSON.stringify(feedJson(feed)) };
  jsonCopies.set(feed.kind, copy);
  return copy;
}

/** RFC 9110 conditional GET: If-None-Match (weak comparison) wins over If-Modified-Since (seconds). */
export function notModified(headers: IncomingHttpHeaders, etag: string, timestamp: number): boolean {
  const match = headers['if-none-match'];
  if (match !== undefined) return match.split(',').some((t) => ['*', etag].includes(t.trim().replace(/^W\//, '')));
  const since = headers['if-modified-since'];
  if (!since) return false;
  const t = Date.parse(since);
  return Number.isFinite(t) && timestamp <= Math.floor(t / 1000);
}
