import { passesNear, projectOnto, projectWindow, projector, type Projection, type Projector } from './live.geo.js';
import { firstStopAfter, modelTime, Pace, predictStops, TravelTimes, type LearnedBin } from './live.predict.js';
import { addDays, formatGtfsTime, localParts, serviceDayStart } from './live.time.js';
import type { Arrival, LiveFrequency, LiveNetwork, LiveShape, LiveTrip, LiveVehicle, PositionInput, StopTimeUpdate } from './live.types.js';

/** Matching and prediction parameters (TransitClock's documented defaults where it has one). */
export interface EngineOptions {
  /** Largest distance from the shape still on route (GPS noise). */
  maxOffRouteMetres: number;
  /** Window around the schedule in which a trip may match. */
  allowableEarlySeconds: number;
  allowableLateSeconds: number;
  /** A bus this close to its trip's first stop before the departure time is waiting there (layover). */
  terminalRadiusMetres: number;
  /** A vehicle silent for longer leaves the live view. */
  vehicleTimeoutSeconds: number;
  /** Length of the pieces of shape whose travel times are learned by time of day. */
  binMetres: number;
  /** Predictions reach this far ahead. */
  horizonSeconds: number;
  /** Time a bus spends at an intermediate stop when the timetable gives none (doors, boarding). */
  dwellSeconds: number;
}

export const defaultEngineOptions: EngineOptions = {
  maxOffRouteMetres: 80,
  allowableEarlySeconds: 15 * 60,
  allowableLateSeconds: 90 * 60,
  terminalRadiusMetres: 120,
  vehicleTimeoutSeconds: 300,
  binMetres: 400,
  horizonSeconds: 3 * 3600,
  dwellSeconds: 0,
};

/** A learned bin as saved per agency (live.learned.ts). */
export interface SavedBin extends Omit<LearnedBin, 'lastTrip'> {
  agencyCode: string;
  lastTripId: string | null;
}

interface Match {
  trip: LiveTrip;
  date: string;
  /** Unix time of the service day's start; for a headway trip, of the trip instance's start (the template's zero). */
  base: number;
  dist: number;
  deviation: number | null;
  layover: boolean;
  headway: boolean;
}

interface VehicleState {
  key: string;
  agencyCode: string;
  vehicleId: string;
  lat: number;
  lon: number;
  bearing: number | null;
  speed: number | null;
  timestamp: number;
  blockId: string | null;
  assignedBlock: string | null;
  match: Match | null;
  offRoute: boolean;
  badMatches: number;
  /** Last shape-bin boundary crossed: shape, boundary index, unix time. */
  crossing: { shapeId: string; boundary: number; time: number } | null;
  /** Index of the next stop of the matched trip not yet reached. */
  nextStop: number;
  updates: StopTimeUpdate[];
  /** Stops where this vehicle's predictions are indexed. */
  indexedStops: string[];
  /** Scheduled arrival (unix s) of each update. */
  scheduled: number[];
  /** Which trip, day and stops the index holds for this vehicle (re-indexed only when it changes). */
  indexKey: string;
  routeKey: string | null;
  /** Time of the last fix on the shape (predictions of a bus off it count from there). */
  onRouteAt: number;
  /** Time of the fix that put the bus where its match says (the last one matched). */
  matchedAt: number;
  /** Seconds spent standing at stops since the last bin boundary (kept out of the learned speed profile). */
  dwell: number;
  /** How the bus runs on this trip against the model, where its stops are close together. */
  pace: Pace;
  /** The last stop of the current run the bus reached (index in the trip, unix time), null before the first. */
  lastStop: { index: number; time: number } | null;
}

/** A bus reached a stop (from its positions): feeds the accuracy measurement. */
export interface ArrivalEvent {
  agencyCode: string;
  vehicleId: string;
  tripId: string;
  date: string;
  stopId: string;
  stopSequence: number;
  time: number;
}

export interface VehicleEvent {
  type: 'position' | 'gone';
  vehicle: LiveVehicle;
  /** performance.now() when the position was received, for ingest → event latency. */
  receivedAt: number;
}

export type VehicleListener = (event: VehicleEvent) => void;

export interface IngestResult {
  /** Positions taken (new ones and ones already known: the call is idempotent). */
  accepted: number;
  /** New positions among them. */
  fresh: number;
  /** Positions older than one already known for the vehicle, or repeats. */
  duplicates: number;
}

interface ServiceDay {
  date: string;
  /** Unix time of the service day's start. */
  start: number;
  services: Set<string>;
}

/** An agency's network and what matching derives from it, built on first use. */
interface NetworkEntry {
  net: LiveNetwork;
  proj: Projector;
  /** Shapes through each 500-m cell. */
  grid: Map<string, Set<string>> | null;
  /** Trips whose shape passes through each cell, in the network's order. */
  cellTrips: Map<string, LiveTrip[]>;
  /** Service ids running on a date (the network answers with a new set each time). */
  services: Map<string, Set<string>>;
  /** The quarter hour `days` is for. */
  dayBucket: number;
  days: ServiceDay[];
}

interface ProjectionMemo {
  shape: LiveShape;
  from: number;
  to: number;
  result: Projection | null;
}

/** The projection of (x, y) onto a shape's window, made once per fix whichever trips share the shape. */
function projectCached(memo: ProjectionMemo[], shape: LiveShape, x: number, y: number, from: number, to: number): Projection | null {
  for (let i = 0; i < memo.length; i++) {
    const m = memo[i]!;
    if (m.shape === shape && m.from === from && m.to === to) return m.result;
  }
  const result = to === Infinity ? projectOnto(shape, x, y, from, to) : projectWindow(shape, x, y, from, to);
  memo.push({ shape, from, to, result });
  return result;
}

/** True when the positions are already oldest first (the usual case: no copy, no sort). */
function inTimeOrder(positions: PositionInput[]): boolean {
  for (let i = 1; i < positions.length; i++) if (positions[i]!.timestamp < positions[i - 1]!.timestamp) return false;
  return true;
}

/**
 * The live hot path, all in memory: the current state of every vehicle, its match to a trip and its
 * predictions, the travel times learned per piece of shape and hour, and the listeners of the route maps.
 */
export class LiveEngine {
  readonly options: EngineOptions;
  private readonly networks = new Map<string, NetworkEntry>();
  private readonly vehicles = new Map<string, VehicleState>();
  /** Travel times learned per piece of shape (live.predict.ts). */
  private readonly travelTimes: TravelTimes;
  /** agency → vehicle id → state (the same objects as `vehicles`, found without building the key). */
  private readonly vehiclesByAgency = new Map<string, Map<string, VehicleState>>();
  /** stopId → vehicle key → arrival (live predictions by stop). */
  private readonly byStop = new Map<string, Set<string>>();
  private readonly listeners = new Map<string, Set<VehicleListener>>();
  private readonly arrivalListeners = new Set<(e: ArrivalEvent) => void>();
  private readonly acceptedListeners = new Set<(agencyCode: string, p: PositionInput, v: LiveVehicle) => void>();
  /** Newest position time seen (the replay clock). */
  latestPositionTime = 0;
  /** Scratch of match(): the projections made for the current fix. */
  private readonly projections: ProjectionMemo[] = [];

  constructor(options: Partial<EngineOptions> = {}) {
    this.options = { ...defaultEngineOptions, ...options };
    this.travelTimes = new TravelTimes(this.options.binMetres);
  }

  setNetwork(net: LiveNetwork): void {
    this.networks.set(net.agencyCode, {
      net,
      proj: projector(net.origin),
      grid: null,
      cellTrips: new Map(),
      services: new Map(),
      dayBucket: Number.NaN,
      days: [],
    });
    // Matches refer to the old network's trips: re-match from the next position.
    for (const v of this.vehicles.values()) if (v.agencyCode === net.agencyCode) this.clearMatch(v);
  }

  /**
   * The learned travel-time bins changed since the last call, for saving: once per agency whose network has the
   * shape (shapes no network has any more are left out), the latest run named by its trip id.
   */
  takeChangedTravelTimes(): SavedBin[] {
    const out: SavedBin[] = [];
    for (const { lastTrip, ...b } of this.travelTimes.takeChanged())
      for (const [agencyCode, { net }] of this.networks) if (net.shapes.has(b.shapeId)) out.push({ ...b, agencyCode, lastTripId: lastTrip?.id ?? null });
    return out;
  }

  /** Bins whose saving failed: saved again next time. */
  markTravelTimesChanged(bins: readonly { shapeId: string; bin: number }[]): void {
    for (const b of bins) this.travelTimes.markChanged(b.shapeId, b.bin);
  }

  /**
   * Puts back saved bins, on the networks set: a bin of a shape its agency's network no longer has is skipped, a
   * latest run's trip id becomes that network's trip (one the feed no longer has is dropped). Returns how many bins.
   */
  restoreTravelTimes(saved: readonly SavedBin[]): number {
    let restored = 0;
    for (const b of saved) {
      const net = this.networks.get(b.agencyCode)?.net;
      if (!net?.shapes.has(b.shapeId)) continue;
      const trip = b.lastTripId === null ? null : net.trips.get(b.lastTripId);
      const gone = b.lastTripId !== null && (!trip || trip.shapeId !== b.shapeId);
      this.travelTimes.restore({ ...b, lastTrip: gone ? null : (trip ?? null) }, gone);
      restored++;
    }
    return restored;
  }

  /** While the stored positions are replayed at start: crossings already in a restored bin are not learned twice. */
  set replayingStored(on: boolean) {
    this.travelTimes.replaying = on;
  }

  network(agencyCode: string): LiveNetwork | undefined {
    return this.networks.get(agencyCode)?.net;
  }

  agencies(): string[] {
    return [...this.networks.keys()];
  }

  onArrival(listener: (e: ArrivalEvent) => void): () => void {
    this.arrivalListeners.add(listener);
    return () => this.arrivalListeners.delete(listener);
  }

  onAccepted(listener: (agencyCode: string, p: PositionInput, v: LiveVehicle) => void): () => void {
    this.acceptedListeners.add(listener);
    return () => this.acceptedListeners.delete(listener);
  }

  /** Live vehicle events of one route (routeId) or of every route (`*`). */
  subscribe(routeId: string, listener: VehicleListener): () => void {
    const key = routeId;
    let set = this.listeners.get(key);
    if (!set) this.listeners.set(key, (set = new Set()));
    set.add(listener);
    return () => {
      set.delete(listener);
      if (!set.size) this.listeners.delete(key);
    };
  }

  /** The operator's console: the block a vehicle works when its unit does not say (null clears it). */
  assignBlock(agencyCode: string, vehicleId: string, blockId: string | null): void {
    const v = this.vehicleState(agencyCode, vehicleId);
    v.assignedBlock = blockId;
    this.clearMatch(v);
  }

  ingest(agencyCode: string, positions: PositionInput[], receivedAt = performance.now()): IngestResult {
    let fresh = 0;
    let duplicates = 0;
    // Oldest first, so a batch that carries a vehicle's backlog is matched in order.
    const ordered = inTimeOrder(positions) ? positions : [...positions].sort((a, b) => a.timestamp - b.timestamp);
    for (let i = 0; i < ordered.length; i++) {
      const p = ordered[i]!;
      const v = this.vehicleState(agencyCode, p.vehicleId);
      if (p.timestamp <= v.timestamp) {
        duplicates++;
        continue;
      }
      fresh++;
      if (p.timestamp > this.latestPositionTime) this.latestPositionTime = p.timestamp;
      this.update(v, p);
      const view = this.view(v);
      for (const l of this.acceptedListeners) l(agencyCode, p, view);
      this.emit(v, { type: 'position', vehicle: view, receivedAt });
    }
    return { accepted: positions.length, fresh, duplicates };
  }

  /** Vehicles heard from within the timeout, of one agency or all. */
  liveVehicles(now: number, agencyCode?: string): LiveVehicle[] {
    const out: LiveVehicle[] = [];
    for (const v of this.vehicles.values()) {
      if (agencyCode && v.agencyCode !== agencyCode) continue;
      if (v.timestamp === 0 || now - v.timestamp > this.options.vehicleTimeoutSeconds) continue;
      out.push(this.view(v));
    }
    return out;
  }

  /** Every vehicle known, with when it was last heard (the console's online/offline list). */
  allVehicles(agencyCode?: string): LiveVehicle[] {
    const out: LiveVehicle[] = [];
    for (const v of this.vehicles.values()) if ((!agencyCode || v.agencyCode === agencyCode) && v.timestamp > 0) out.push(this.view(v));
    return out;
  }

  /** Removes silent vehicles from the maps and their predictions from the stops; returns how many left. */
  sweep(now: number): number {
    let gone = 0;
    for (const v of this.vehicles.values()) {
      if (v.timestamp === 0 || v.routeKey === null) continue;
      if (now - v.timestamp <= this.options.vehicleTimeoutSeconds) continue;
      this.unindex(v);
      const view = this.view(v);
      this.emit(v, { type: 'gone', vehicle: view, receivedAt: performance.now() });
      v.routeKey = null;
      gone++;
    }
    return gone;
  }

  /**
   * Next arrivals at a stop: live predictions of matched, recently heard buses, and the timetable for trips
   * without one. Ordered by predicted time.
   */
  arrivalsAt(stopId: string, now: number, options: { windowSeconds?: number; limit?: number; agencyCode?: string } = {}): Arrival[] {
    const windowSeconds = options.windowSeconds ?? 2 * 3600;
    const limit = options.limit ?? 20;
    const out: Arrival[] = [];
    const liveTrips = new Set<string>();
    for (const key of this.byStop.get(stopId) ?? []) {
      const v = this.vehicles.get(key);
      const m = v?.match;
      if (!v || !m) continue;
      if (options.agencyCode && v.agencyCode !== options.agencyCode) continue;
      if (now - v.timestamp > this.options.vehicleTimeoutSeconds) continue;
      const i = v.updates.findIndex((u) => u.stopId === stopId);
      if (i < 0) continue;
      const u = v.updates[i]!;
      if (u.arrival < now - 30) continue;
      liveTrips.add(`${v.agencyCode}|${m.trip.id}|${m.date}`);
      out.push({ routeId: m.trip.routeId, tripId: m.trip.id, vehicleId: v.vehicleId, predicted: u.arrival, scheduled: v.scheduled[i]!, live: true });
    }
    for (const { net } of this.networks.values()) {
      if (options.agencyCode && net.agencyCode !== options.agencyCode) continue;
      const calls = net.callsByStop.get(stopId);
      if (!calls) continue;
      const today = localParts(now, net.timezone).date;
      for (const date of [addDays(today, -1), today]) {
        const services = net.servicesOn(date);
        const dayStart = serviceDayStart(date, net.timezone);
        for (const { trip, index } of calls) {
          if (!services.has(trip.serviceId)) continue;
          const st = trip.stopTimes[index]!;
          if (index === trip.stopTimes.length - 1 && trip.stopTimes.length > 1) continue; // riders board, not alight, here
          if (trip.frequencies.length) {
            const offset = st.arrival - trip.stopTimes[0]!.departure;
            for (const f of trip.frequencies) {
              // The next few starts of the headway window that reach this stop in the window.
              const first = Math.max(f.start, Math.ceil((now - dayStart - offset - f.start) / f.headway) * f.headway + f.start);
              for (let s = first, k = 0; s < f.end && k < 4; s += f.headway, k++) {
                const at = dayStart + s + offset;
                if (at < now || at > now + windowSeconds) continue;
                out.push({ routeId: trip.routeId, tripId: trip.id, vehicleId: null, predicted: at, scheduled: at, live: false });
              }
            }
            continue;
          }
          const at = dayStart + st.arrival;
          if (at < now || at > now + windowSeconds) continue;
          if (liveTrips.has(`${net.agencyCode}|${trip.id}|${date}`)) continue;
          out.push({ routeId: trip.routeId, tripId: trip.id, vehicleId: null, predicted: at, scheduled: at, live: false });
        }
      }
    }
    out.sort((a, b) => a.predicted - b.predicted);
    return out.slice(0, limit);
  }

  // --- internals --------------------------------------------------------------------------------------

  private vehicleState(agencyCode: string, vehicleId: string): VehicleState {
    let ofAgency = this.vehiclesByAgency.get(agencyCode);
    if (!ofAgency) this.vehiclesByAgency.set(agencyCode, (ofAgency = new Map()));
    let v = ofAgency.get(vehicleId);
    if (!v) {
      const key = `${agencyCode}\u0000${vehicleId}`;
      v = {
        key,
        agencyCode,
        vehicleId,
        lat: 0,
        lon: 0,
        bearing: null,
        speed: null,
        timestamp: 0,
        blockId: null,
        assignedBlock: null,
        match: null,
        offRoute: false,
        badMatches: 0,
        crossing: null,
        nextStop: 0,
        updates: [],
        indexedStops: [],
        scheduled: [],
        indexKey: '',
        routeKey: null,
        onRouteAt: 0,
        matchedAt: 0,
        dwell: 0,
        pace: new Pace(),
        lastStop: null,
      };
      this.vehicles.set(key, v);
      ofAgency.set(vehicleId, v);
    }
    return v;
  }

  private clearMatch(v: VehicleState): void {
    this.unindex(v);
    v.match = null;
    v.crossing = null;
    v.updates = [];
    v.nextStop = 0;
  }

  private emit(v: VehicleState, event: VehicleEvent): void {
    if (!this.listeners.size) return;
    const all = this.listeners.get('*');
    if (all) for (const l of all) l(event);
    const routeId = event.vehicle.routeId;
    const set = routeId ? this.listeners.get(routeId) : undefined;
    if (set) for (const l of set) l(event);
  }

  private update(v: VehicleState, p: PositionInput): void {
    const prevTime = v.timestamp;
    const prevMatch = v.match;
    v.lat = p.lat;
    v.lon = p.lon;
    v.bearing = p.bearing ?? null;
    v.speed = p.speed ?? null;
    v.timestamp = p.timestamp;
    if (p.blockId) v.blockId = p.blockId;
    const entry = this.networks.get(v.agencyCode);
    if (!entry) {
      this.clearMatch(v);
      return;
    }
    const { net, proj } = entry;
    const x = proj.x(p.lon);
    const y = proj.y(p.lat);
    const next = this.match(net, entry, v, p, x, y);
    if (next) {
      v.offRoute = false;
      v.badMatches = 0;
      const sameRun = prevMatch && prevMatch.trip === next.trip && prevMatch.base === next.base;
      if (sameRun) {
        // GPS noise (or a bus bay beside the road) may put the bus behind where it was: it does not drive backwards.
        if (next.dist < prevMatch.dist && prevMatch.dist - next.dist < 1500) next.dist = prevMatch.dist;
        this.observe(v, net, next, prevMatch.dist, v.matchedAt, next.dist, p.timestamp);
      } else {
        if (prevMatch && prevMatch.trip.blockId && prevMatch.trip.blockId === next.trip.blockId) this.finishTrip(v, prevMatch, prevTime, p.timestamp);
        v.crossing = null;
        v.pace.reset();
        v.lastStop = null;
        v.nextStop = firstStopAfter(next.trip.stopTimes, next.dist - 1);
        // A bus waiting at its first stop has not "arrived" there for the purpose of the trip.
        if (next.layover) v.nextStop = 0;
      }
      v.match = next;
      v.matchedAt = p.timestamp;
    } else if (prevMatch && p.timestamp - prevTime < 20 * 60 && this.withinTrip(prevMatch, p.timestamp)) {
      // Detour or a bad fix: keep the trip, flag the vehicle off route, keep predicting from where it left the shape.
      v.offRoute = true;
      v.badMatches++;
    } else {
      v.offRoute = prevMatch !== null;
      this.clearMatch(v);
    }
    this.predict(v, net, p.timestamp);
  }

  private withinTrip(m: Match, t: number): boolean {
    const last = m.trip.stopTimes[m.trip.stopTimes.length - 1]!;
    return t <= m.base + last.arrival + this.options.allowableLateSeconds;
  }

  private candidates(net: LiveNetwork, entry: NetworkEntry, v: VehicleState, p: PositionInput, x: number, y: number): LiveTrip[] {
    if (p.tripId) {
      const trip = net.trips.get(p.tripId);
      if (trip) return [trip];
    }
    const block = p.blockId ?? v.assignedBlock ?? v.blockId;
    if (block) {
      const trips = net.tripsByBlock.get(block);
      if (trips) return trips;
    }
    if (p.routeId) {
      const trips = net.tripsByRoute.get(p.routeId);
      if (trips) return trips;
    }
    // No assignment: every trip whose shape passes near the fix (TransitClock's auto-assigner, simplified), in the
    // network's order of trips; remembered per cell.
    const grid = entry.grid ?? (entry.grid = buildGrid(net));
    const key = cellKey(x, y);
    let out = entry.cellTrips.get(key);
    if (out) return out;
    const shapeIds = grid.get(key);
    if (!shapeIds) return [];
    out = [];
    for (const trip of net.trips.values()) if (shapeIds.has(trip.shapeId)) out.push(trip);
    if (entry.cellTrips.size > 20_000) entry.cellTrips.clear();
    entry.cellTrips.set(key, out);
    return out;
  }

  /** Today's and yesterday's service dates at a time, with their starts (constant within a quarter hour). */
  private serviceDays(entry: NetworkEntry, t: number): ServiceDay[] {
    const bucket = Math.floor(t / 900);
    if (bucket === entry.dayBucket) return entry.days;
    const { net } = entry;
    const today = localParts(t, net.timezone).date;
    entry.days = [today, addDays(today, -1)].map((date) => {
      let services = entry.services.get(date);
      if (!services) {
        if (entry.services.size > 64) entry.services.clear();
        entry.services.set(date, (services = net.servicesOn(date)));
      }
      return { date, start: serviceDayStart(date, net.timezone), services };
    });
    entry.dayBucket = bucket;
    return entry.days;
  }

  private match(net: LiveNetwork, entry: NetworkEntry, v: VehicleState, p: PositionInput, x: number, y: number): Match | null {
    const t = p.timestamp;
    const o = this.options;
    const trips = this.candidates(net, entry, v, p, x, y);
    if (!trips.length) return null;
    const days = this.serviceDays(entry, t);
    const prev = v.match;
    // Trips of a block share a few shapes: project once per shape and window.
    const projections = this.projections;
    projections.length = 0;
    let best: Match | null = null;
    let bestScore = Infinity;
    for (let ti = 0; ti < trips.length; ti++) {
      const trip = trips[ti]!;
      const shape = net.shapes.get(trip.shapeId);
      if (!shape) continue;
      const sts = trip.stopTimes;
      const first = sts[0]!;
      const last = sts[sts.length - 1]!;
      const duration = last.arrival - first.departure;
      for (let di = 0; di < days.length; di++) {
        const day = days[di]!;
        if (!day.services.has(trip.serviceId)) continue;
        const date = day.date;
        const dayStart = day.start;
        let base = dayStart;
        let headway = false;
        if (trip.frequencies.length) {
          const since = t - dayStart;
          let f: LiveFrequency | undefined;
          for (const fr of trip.frequencies)
            if (since >= fr.start - 1800 && since <= fr.end + duration + 1800) {
              f = fr;
              break;
            }
          if (!f) continue;
          headway = true;
        } else if (t < dayStart + first.departure - o.allowableEarlySeconds - 1800 || t > dayStart + last.arrival + o.allowableLateSeconds) continue;
        const same = prev !== null && prev.trip === trip && prev.date === date;
        let pr: Projection | null;
        if (same) {
          // Where the bus can be since its last match: a little behind (GPS noise) up to as far as it could drive,
          // on the shape's first pass there (a loop or a street driven both ways passes the same place twice).
          const dt = t - v.matchedAt;
          pr = pickPass(passesNear(shape, x, y, Math.max(0, prev.dist - 300), reachable(trip, prev.dist, dt), o.maxOffRouteMetres), prev.dist, dt);
          // Lost for several fixes (a wrong match ahead, a long detour): look along the whole shape again.
          if (!pr && v.badMatches >= 3) pr = projectCached(projections, shape, x, y, 0, Infinity);
        } else pr = projectCached(projections, shape, x, y, 0, Infinity);
        if (!pr || pr.offset > o.maxOffRouteMetres) continue;
        let score: number;
        let deviation: number | null = null;
        let layover = false;
        const atStart = pr.dist <= first.dist + o.terminalRadiusMetres;
        const atEnd = pr.dist >= last.dist - o.terminalRadiusMetres / 2;
        if (headway) {
          // Headway service: the instance started when the bus left the first stop; the route and direction is what matters.
          base = same && !atStart ? prev.base : t - scheduledAt(trip, pr.dist);
          layover = atStart;
          score = pr.offset + (same ? 0 : 60) + (atEnd ? 200 : 0);
        } else {
          const startDep = dayStart + first.departure;
          if (atStart && t <= startDep) {
            layover = true;
            deviation = 0;
            score = (startDep - t) / 4;
          } else {
            deviation = t - (dayStart + scheduledAt(trip, pr.dist));
            if (deviation < -o.allowableEarlySeconds || deviation > o.allowableLateSeconds) continue;
            score = Math.abs(deviation);
            if (atStart && deviation > 0) score = Math.min(score, deviation / 2); // late leaving the first stop: still this trip
          }
          if (atEnd && !atStart) score += 300;
        }
        if (same) {
          if (!atEnd) score -= 180;
          if (pr.dist < prev.dist - 300) score += 900;
        }
        score += pr.offset;
        if (score < bestScore) {
          bestScore = score;
          best = { trip, date, base, dist: pr.dist, deviation, layover, headway };
        }
      }
    }
    projections.length = 0;
    return best;
  }

  /** Stops and shape bins passed between two positions: arrival events and learned travel times. */
  private observe(v: VehicleState, net: LiveNetwork, m: Match, d0: number, t0: number, d1: number, t1: number): void {
    const sts = m.trip.stopTimes;
    if (t1 > t0 && d1 - d0 < 10) {
      const next = sts[v.nextStop];
      const prev = sts[v.nextStop - 1];
      if ((next && next.dist - d1 < 60) || (prev && d1 - prev.dist < 30)) v.dwell += t1 - t0;
    }
    if (d1 <= d0 || t1 <= t0) return;
    const at = (d: number) => t0 + ((t1 - t0) * (d - d0)) / (d1 - d0);
    while (v.nextStop < sts.length && sts[v.nextStop]!.dist <= d1) {
      const st = sts[v.nextStop]!;
      // The first stop is reached when the bus leaves it; the others when the bus gets there.
      if (st.dist > d0 || v.nextStop === 0) this.arrived(v, m, v.nextStop, v.nextStop === 0 ? at(Math.max(d0, Math.min(d1, st.dist + 1))) : at(st.dist));
      v.nextStop++;
    }
    // Near the end of the trip a bus stops short of the last stop's point: count it there.
    const lastIdx = sts.length - 1;
    if (v.nextStop === lastIdx && d1 >= sts[lastIdx]!.dist - this.options.terminalRadiusMetres / 2) {
      this.arrived(v, m, lastIdx, t1 - ((t1 - t0) * Math.max(0, d1 - (sts[lastIdx]!.dist - 60))) / (d1 - d0));
      v.nextStop++;
    }
    if (t1 - t0 > 600) {
      v.crossing = null;
      return;
    }
    const b = this.options.binMetres;
    const shapeId = m.trip.shapeId;
    for (let k = Math.floor(d0 / b) + 1; k * b <= d1; k++) {
      const time = at(k * b);
      const c = v.crossing;
      if (c && c.shapeId === shapeId && c.boundary === k - 1) {
        const hour = hourOf(c.time, m, net);
        // What the model would have predicted for the bin, before this bus's own time teaches it.
        if (Pace.measurable(m.trip, k - 1, b)) v.pace.observe(time - c.time, modelTime(this.travelTimes, m, (k - 1) * b, k * b, hour));
        this.travelTimes.learn(shapeId, k - 1, time - c.time, scheduledAt(m.trip, k * b) - scheduledAt(m.trip, (k - 1) * b), hour, m, v.dwell, time);
      }
      v.dwell = 0;
      v.crossing = { shapeId, boundary: k, time };
    }
  }

  private finishTrip(v: VehicleState, m: Match, t0: number, t1: number): void {
    const sts = m.trip.stopTimes;
    const lastIdx = sts.length - 1;
    if (v.nextStop === lastIdx && m.dist >= sts[lastIdx]!.dist - this.options.terminalRadiusMetres) this.arrived(v, m, lastIdx, Math.min(t1, t0));
  }

  private arrived(v: VehicleState, m: Match, index: number, time: number): void {
    v.lastStop = { index, time };
    if (!this.arrivalListeners.size) return;
    const st = m.trip.stopTimes[index]!;
    const e: ArrivalEvent = {
      agencyCode: v.agencyCode,
      vehicleId: v.vehicleId,
      tripId: m.trip.id,
      date: m.date,
      stopId: st.stopId,
      stopSequence: st.stopSequence,
      time,
    };
    for (const l of this.arrivalListeners) l(e);
  }

  private predict(v: VehicleState, net: LiveNetwork, now: number): void {
    const m = v.match;
    if (!m) {
      this.unindex(v);
      v.updates = [];
      v.scheduled = [];
      v.routeKey = null;
      return;
    }
    v.routeKey = m.trip.routeId;
    const hour = Math.floor((now - serviceDayStart(m.date, net.timezone)) / 3600);
    if (!v.offRoute || now - v.onRouteAt > 600) v.onRouteAt = now;
    const { updates, scheduled } = predictStops(this.travelTimes, m, now, hour, this.options, v.onRouteAt, v.pace.factor(), v.lastStop);
    const start = m.layover ? 0 : firstStopAfter(m.trip.stopTimes, m.dist);
    v.updates = updates;
    v.scheduled = scheduled;
    const indexKey = `${m.trip.id}|${m.base}|${start}|${updates.length}`;
    if (indexKey === v.indexKey) return;
    this.unindex(v);
    v.indexKey = indexKey;
    for (const u of updates) {
      let set = this.byStop.get(u.stopId);
      if (!set) this.byStop.set(u.stopId, (set = new Set()));
      set.add(v.key);
      v.indexedStops.push(u.stopId);
    }
  }

  private unindex(v: VehicleState): void {
    for (const s of v.indexedStops) this.byStop.get(s)?.delete(v.key);
    v.indexedStops = [];
    v.indexKey = '';
  }

  private view(v: VehicleState): LiveVehicle {
    const m = v.match;
    const first = m?.trip.stopTimes[0];
    return {
      vehicleId: v.vehicleId,
      agencyCode: v.agencyCode,
      lat: v.lat,
      lon: v.lon,
      bearing: v.bearing,
      speed: v.speed,
      timestamp: v.timestamp,
      tripId: m?.trip.id ?? null,
      routeId: m?.trip.routeId ?? null,
      blockId: m?.trip.blockId ?? v.assignedBlock ?? v.blockId,
      directionId: m?.trip.directionId ?? null,
      distanceAlong: m ? Math.round(m.dist) : null,
      offRoute: v.offRoute,
      delaySeconds: m && m.deviation !== null ? Math.round(m.deviation) : null,
      startDate: m?.date ?? null,
      startTime:
        m && first ? formatGtfsTime(m.headway ? m.base - serviceDayStart(m.date, this.networks.get(v.agencyCode)!.net.timezone) : first.departure) : null,
      layover: m?.layover ?? false,
      stopTimeUpdates: v.updates,
    };
  }
}

/**
 * Of the passes of a shape near a fix (in a loop, the same place comes twice), the one the bus is on, `seconds` after
 * it was at `dist`: the nearest, but a pass more than 100 m behind (the bus does not reverse; GPS noise around a stop
 * is less) counts 50 m farther, and one farther ahead than 15 m/s could take it (54 km/h, standing start included)
 * 100 m farther: a bus standing at a stop that a loop passes again later stays at the stop.
 */
export function pickPass(passes: readonly Projection[], dist: number, seconds: number): Projection | null {
  let best: Projection | null = null;
  let bestCost = Infinity;
  for (const p of passes) {
    const cost = p.offset + (p.dist < dist - 100 ? 50 : 0) + (p.dist > dist + 150 + 15 * Math.max(0, seconds) ? 100 : 0);
    if (cost < bestCost) {
      bestCost = cost;
      best = p;
    }
  }
  return best;
}

/**
 * The farthest a bus at `dist` can be along its trip `seconds` later: 500 m of slack (GPS noise, a short stop before
 * the fix) plus the more of 10 m/s and twice the timetable's pace with a minute to spare (a bus running early on an
 * open road outruns a timetable set for the rush hour, but not twice over), and never more than 40 m/s. Bounds the
 * search so that a shape passing the same place again later (a station loop) is not matched before the bus has
 * driven there.
 */
export function reachable(trip: LiveTrip, dist: number, seconds: number): number {
  const dt = Math.max(0, seconds);
  const byTimetable = scheduledDistAt(trip, scheduledAt(trip, dist) + 2 * dt + 60);
  // Never beyond 40 m/s (144 km/h): near the end of the timetable, not the rest of the shape.
  return Math.min(Math.max(dist + 500 + 10 * dt, byTimetable), dist + 500 + 40 * dt);
}

/** The distance along the trip its timetable gives at a time (seconds after the service day's start). */
export function scheduledDistAt(trip: LiveTrip, time: number): number {
  const sts = trip.stopTimes;
  const last = sts[sts.length - 1]!;
  if (time >= last.arrival) return Infinity;
  let a = 0;
  let b = sts.length - 1;
  if (time <= sts[0]!.departure) return sts[0]!.dist;
  while (b - a > 1) {
    const m = (a + b) >> 1;
    if (sts[m]!.departure <= time) a = m;
    else b = m;
  }
  const from = sts[a]!;
  const to = sts[b]!;
  const span = to.arrival - from.departure;
  if (time <= from.departure) return from.dist;
  return span > 0 ? from.dist + (to.dist - from.dist) * Math.min(1, (time - from.departure) / span) : to.dist;
}

/** Scheduled seconds (after the service day's start) at a distance along the trip, between its stop times. */
export function scheduledAt(trip: LiveTrip, dist: number): number {
  const sts = trip.stopTimes;
  if (dist <= sts[0]!.dist) return sts[0]!.departure;
  let a = 0;
  let b = sts.length - 1;
  if (dist >= sts[b]!.dist) return sts[b]!.arrival;
  while (b - a > 1) {
    const m = (a + b) >> 1;
    if (sts[m]!.dist <= dist) a = m;
    else b = m;
  }
  const from = sts[a]!;
  const to = sts[b]!;
  const span = to.dist - from.dist;
  return span > 0 ? from.departure + ((to.arrival - from.departure) * (dist - from.dist)) / span : from.departure;
}

function hourOf(time: number, m: Match, net: LiveNetwork): number {
  return Math.floor((time - serviceDayStart(m.date, net.timezone)) / 3600);
}

const cell = 500;
const cellKey = (x: number, y: number) => `${Math.floor(x / cell)}:${Math.floor(y / cell)}`;

/** Which shapes pass through each 500-m cell (and its neighbours, so a fix near a cell's edge finds them). */
function buildGrid(net: LiveNetwork): Map<string, Set<string>> {
  const grid = new Map<string, Set<string>>();
  for (const shape of net.shapes.values()) {
    for (let i = 0; i < shape.xs.length; i++) {
      const cx = Math.floor(shape.xs[i]! / cell);
      const cy = Math.floor(shape.ys[i]! / cell);
      for (let dx = -1; dx <= 1; dx++)
        for (let dy = -1; dy <= 1; dy++) {
          const k = `${cx + dx}:${cy + dy}`;
          let s = grid.get(k);
          if (!s) grid.set(k, (s = new Set()));
          s.add(shape.id);
        }
    }
  }
  return grid;
}
