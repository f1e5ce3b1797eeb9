/**
 * The in-memory network the live engine matches against: one per agency (department code). Built from the
 * static GTFS that the transit module imports (`fromTransitNetwork`) or, for tools and tests, straight from a
 * GTFS zip (`loadGtfsZip`). Times of stop times are seconds after the service day's start ("noon minus 12 h").
 */
export interface LiveStop {
  id: string;
  name: string;
  lat: number;
  lon: number;
}

export interface LiveStopTime {
  stopId: string;
  stopSequence: number;
  /** Seconds after the service day's start (may exceed 86,400). */
  arrival: number;
  departure: number;
  /** Metres along the trip's shape. */
  dist: number;
  timepoint: boolean;
}

export interface LiveFrequency {
  /** Seconds after the service day's start. */
  start: number;
  end: number;
  headway: number;
  exactTimes: boolean;
}

export interface LiveTrip {
  id: string;
  routeId: string;
  serviceId: string;
  directionId: number | null;
  blockId: string | null;
  shapeId: string;
  headsign: string | null;
  stopTimes: LiveStopTime[];
  /** Non-empty for headway-based trips: the stop times are then a template relative to each start. */
  frequencies: LiveFrequency[];
}

export interface LiveShape {
  id: string;
  /** Local planar coordinates in metres (equirectangular around the network's centre). */
  xs: Float64Array;
  ys: Float64Array;
  /** Cumulative metres along the shape at each point. */
  dists: Float64Array;
  length: number;
}

export interface LiveNetwork {
  agencyCode: string;
  timezone: string;
  stops: Map<string, LiveStop>;
  trips: Map<string, LiveTrip>;
  shapes: Map<string, LiveShape>;
  /** Trips of each block, ordered by first departure. */
  tripsByBlock: Map<string, LiveTrip[]>;
  tripsByRoute: Map<string, LiveTrip[]>;
  /** For each stop, the trips calling there and the index of the call. */
  callsByStop: Map<string, { trip: LiveTrip; index: number }[]>;
  /** Service ids running on a service date (YYYYMMDD). */
  servicesOn(date: string): Set<string>;
  /** Projection origin. */
  origin: { lat: number; lon: number };
}

/** One fix from a vehicle, as every ingest path (HTTP, MQTT, GTFS-RT polling, replay) hands it over. */
export interface PositionInput {
  vehicleId: string;
  /** Unix seconds. */
  timestamp: number;
  lat: number;
  lon: number;
  bearing?: number | undefined;
  speed?: number | undefined;
  tripId?: string | undefined;
  blockId?: string | undefined;
  /** From GTFS-RT feeds that only name the route (headway services). */
  routeId?: string | undefined;
}

export interface StopTimeUpdate {
  stopId: string;
  stopSequence: number;
  /** Unix seconds. */
  arrival: number;
  departure: number;
}

/** The state of one vehicle as riders and the GTFS-RT output see it. */
export interface LiveVehicle {
  vehicleId: string;
  agencyCode: string;
  lat: number;
  lon: number;
  bearing: number | null;
  speed: number | null;
  timestamp: number;
  tripId: string | null;
  routeId: string | null;
  blockId: string | null;
  directionId: number | null;
  /** Metres along the trip's shape. */
  distanceAlong: number | null;
  offRoute: boolean;
  /** Positive when late; null when not matched or on a headway trip. */
  delaySeconds: number | null;
  /** Service date (YYYYMMDD) of the matched trip, and its start time (HH:MM:SS) for GTFS-RT TripDescriptors. */
  startDate: string | null;
  startTime: string | null;
  /** Waiting at the first stop or laying over at the terminal before the trip starts. */
  layover: boolean;
  stopTimeUpdates: StopTimeUpdate[];
}

export interface Arrival {
  routeId: string;
  tripId: string;
  vehicleId: string | null;
  /** Unix seconds. */
  predicted: number;
  scheduled: number;
  live: boolean;
}
