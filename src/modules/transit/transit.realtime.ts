// GTFS-Realtime out: VehiclePositions, TripUpdates and Alerts as FULL_DATASET FeedMessages, built from the
// live engine's vehicles, the active static network and the alerts in force.

import GtfsRealtimeBindings from 'gtfs-realtime-bindings';
import type { LiveVehicle } from './live/index.js';
import type { TransitNetwork } from './transit.network.js';
import type { AlertRow } from './transit.service.js';

const rt = GtfsRealtimeBindings.transit_realtime;
export type FeedMessage = GtfsRealtimeBindings.transit_realtime.IFeedMessage;
type Entity = GtfsRealtimeBindings.transit_realtime.IFeedEntity;
type TripDescriptor = GtfsRealtimeBindings.transit_realtime.ITripDescriptor;

export type FeedKind = 'vehicle-positions' | 'trip-updates' | 'alerts';

function header(timestamp: number): GtfsRealtimeBindings.transit_realtime.IFeedHeader {
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

export function buildVehiclePositions(net: TransitNetwork, vehicles: LiveVehicle[], now: number, cancelled: Set<string>): FeedMessage {
  const entity: Entity[] = [];
  for (const v of usable(vehicles, now)) {
    const trip = v.tripId && !cancelled.has(v.tripId) ? tripOf(net, v) : null;
    const position: GtfsRealtimeBindings.transit_realtime.IPosition = { latitude: v.lat, longitude: v.lon };
    if (v.bearing !== null && Number.isFinite(v.bearing)) position.bearing = ((v.bearing % 360) + 360) % 360;
    if (v.speed !== null && Number.isFinite(v.speed) && v.speed >= 0) position.speed = v.speed;
    entity.push({
      id: `vp-${v.agencyCode}-${v.vehicleId}`,
      vehicle: {
        ...(trip ? { trip } : {}),
        vehicle: { id: v.vehicleId, label: v.vehicleId },
        position,
        timestamp: Math.floor(v.timestamp),
      },
    });
  }
  return { header: header(now), entity };
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
    if (!v.tripId || cancelled.has(v.tripId)) continue;
    const trip = tripOf(net, v);
    const staticTrip = net.trips.get(v.tripId);
    if (!trip || !staticTrip) continue;
    const key = `${trip.tripId}|${trip.startDate ?? ''}|${trip.startTime ?? ''}`;
    if (done.has(key)) continue;
    done.add(key);
    // Stop time updates: only stops of this trip, strictly increasing sequence, times not decreasing,
    // arrival ≤ departure (E002, E022, E025, E036, E037, E045).
    const bySeq = new Map(staticTrip.stopTimes.map((s) => [s.stopSequence, s.stopId]));
    const updates: GtfsRealtimeBindings.transit_realtime.TripUpdate.IStopTimeUpdate[] = [];
    let lastSeq = -1;
    let lastTime = -Infinity;
    let lastStop = '';
    for (const u of [...v.stopTimeUpdates].sort((a, b) => a.stopSequence - b.stopSequence)) {
      if (bySeq.get(u.stopSequence) !== u.stopId || u.stopSequence <= lastSeq || u.stopId === lastStop) continue;
      const arrival = Math.max(Math.round(u.arrival), lastTime);
      const departure = Math.max(Math.round(u.departure), arrival);
      updates.push({ stopSequence: u.stopSequence, stopId: u.stopId, arrival: { time: arrival }, departure: { time: departure } });
      lastSeq = u.stopSequence;
      lastTime = departure;
      lastStop = u.stopId;
    }
    if (updates.length === 0) continue;
    entity.push({
      id: `tu-${v.agencyCode}-${v.vehicleId}`,
      tripUpdate: {
        trip,
        vehicle: { id: v.vehicleId, label: v.vehicleId },
        stopTimeUpdate: updates,
        timestamp: Math.floor(v.timestamp),
        ...(v.delaySeconds !== null && Number.isFinite(v.delaySeconds) ? { delay: Math.round(v.delaySeconds) } : {}),
      },
    });
  }
  // Trips cancelled by an alert: CANCELED, no stop time updates, on today's service date.
  for (const tripId of cancelled) {
    const trip = net.trips.get(tripId);
    if (!trip) continue;
    const d: TripDescriptor = {
      tripId,
      routeId: trip.routeId,
      startDate: serviceDate(trip.agencyCode),
      scheduleRelationship: rt.TripDescriptor.ScheduleRelationship.CANCELED,
    };
    if (trip.directionId !== null) d.directionId = trip.directionId;
    entity.push({ id: `cancel-${trip.agencyCode}-${tripId}`, tripUpdate: { trip: d, timestamp: now } });
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

/** The feed as readable JSON (enums as names, 64-bit numbers as numbers). */
export function feedAsJson(message: FeedMessage): Record<string, unknown> {
  return rt.FeedMessage.toObject(rt.FeedMessage.fromObject(message), { longs: Number, enums: String, defaults: false });
}

export function decodeFeed(bytes: Uint8Array): GtfsRealtimeBindings.transit_realtime.FeedMessage {
  return rt.FeedMessage.decode(bytes);
}
