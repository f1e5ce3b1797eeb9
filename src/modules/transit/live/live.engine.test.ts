import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { sharedTransitData } from '../transit.testkit.js';
import { readAvlCsv } from './live.avl.js';
import { measureWmataAccuracy } from './live.accuracy.js';
import { LiveEngine } from './live.engine.js';
import { pointAt, projectOnto, projectWindow } from './live.geo.js';
import { decodeVehiclePositions } from './live.gtfsrt.js';
import { loadGtfsZip } from './live.gtfs-zip.js';
import { predictStops, TravelTimes } from './live.predict.js';
import type { LiveNetwork, LiveTrip, PositionInput } from './live.types.js';

const wmata = (f: string) => sharedTransitData(`wmata-transitclock-avl/${f}`);
const net5A = loadGtfsZip(wmata('gtfs-5A.zip'), 'bus-group');
const trace8062 = readAvlCsv(wmata('avl/5A_8062.csv'), 'America/New_York');

function engineWith(net: LiveNetwork, options = {}) {
  const e = new LiveEngine(options);
  e.setNetwork(net);
  return e;
}

/** A lat/lon at a distance along a trip's shape, shifted sideways by `side` metres. */
function onShape(net: LiveNetwork, tripId: string, dist: number, side = 0): { lat: number; lon: number } {
  const trip = net.trips.get(tripId)!;
  const p = pointAt(net.shapes.get(trip.shapeId)!, dist);
  const k = 111_320 * Math.cos((net.origin.lat * Math.PI) / 180);
  return { lat: net.origin.lat + (p.y + side) / 111_320, lon: net.origin.lon + p.x / k };
}

describe('projection onto a window of the shape', () => {
  it('finds the same point as projectOnto, on the shape, beside it, across loops and outside the window', () => {
    let seed = 7;
    const random = () => (seed = (seed * 16807) % 2147483647) / 2147483647;
    let compared = 0;
    for (const shape of net5A.shapes.values()) {
      for (let k = 0; k < 200; k++) {
        const at = pointAt(shape, random() * shape.length);
        const x = at.x + (random() - 0.5) * 400;
        const y = at.y + (random() - 0.5) * 400;
        const from = random() < 0.2 ? 0 : random() * shape.length;
        const to = from + random() * 3000;
        expect(projectWindow(shape, x, y, from, to)).toEqual(projectOnto(shape, x, y, from, to));
        compared++;
      }
      // A point exactly on a vertex, and a window past the end of the shape.
      expect(projectWindow(shape, shape.xs[3]!, shape.ys[3]!, 0, 500)).toEqual(projectOnto(shape, shape.xs[3]!, shape.ys[3]!, 0, 500));
      expect(projectWindow(shape, 0, 0, shape.length + 10, shape.length + 900)).toEqual(projectOnto(shape, 0, 0, shape.length + 10, shape.length + 900));
    }
    expect(compared).toBeGreaterThan(200);
  });
});

describe('matching', () => {
  it('matches the real trace to its block, waits at the first stop, then follows the trip along the shape', () => {
    const e = engineWith(net5A);
    const first = trace8062[0]!;
    e.ingest('bus-group', [first]);
    const [v] = e.liveVehicles(first.timestamp);
    expect(v!.blockId).toBe('SE-08');
    expect(v!.tripId).toBeTruthy();
    expect(net5A.trips.get(v!.tripId!)!.blockId).toBe('SE-08');
    expect(v!.layover).toBe(true);
    let last = 0;
    for (const p of trace8062.slice(1, 40)) {
      e.ingest('bus-group', [p]);
      const now = e.liveVehicles(p.timestamp)[0]!;
      expect(now.tripId).toBe(v!.tripId);
      expect(now.distanceAlong!).toBeGreaterThanOrEqual(last);
      last = now.distanceAlong!;
    }
    expect(last).toBeGreaterThan(8_000);
  });

  it('moves to the next trip of the block at the terminal and shows the layover until its departure', () => {
    const e = engineWith(net5A);
    const trips = new Set<string>();
    let layoverSeen = false;
    for (const p of trace8062) {
      e.ingest('bus-group', [p]);
      const v = e.liveVehicles(p.timestamp)[0]!;
      trips.add(v.tripId!);
      if (v.layover && trips.size === 2) {
        layoverSeen = true;
        const dep = v.stopTimeUpdates[0]!;
        // Waiting at the first stop: the bus leaves at the scheduled departure, not now.
        expect(dep.departure).toBeGreaterThanOrEqual(p.timestamp);
      }
    }
    expect(trips.size).toBe(2);
    expect(layoverSeen).toBe(true);
  });

  it('copes with GPS noise (40 m off the shape, jitter backwards) and flags a detour off route', () => {
    const e = engineWith(net5A);
    const trip = net5A.trips.get('868590120')!;
    const day = 1462420800; // 2016-05-05 00:00 America/New_York (service day start)
    const t0 = day + trip.stopTimes[0]!.departure + 600;
    const at = (dist: number, side: number, t: number): PositionInput => ({
      vehicleId: 'v1',
      timestamp: t,
      blockId: 'SE-08',
      ...onShape(net5A, trip.id, dist, side),
    });
    e.ingest('bus-group', [at(5000, 40, t0)]);
    let v = e.liveVehicles(t0)[0]!;
    expect(v.tripId).toBe(trip.id);
    expect(v.offRoute).toBe(false);
    expect(Math.abs(v.distanceAlong! - 5000)).toBeLessThan(60);
    e.ingest('bus-group', [at(4900, -30, t0 + 30)]);
    v = e.liveVehicles(t0 + 30)[0]!;
    expect(v.distanceAlong!).toBeGreaterThanOrEqual(4990);
    // 1.5 km to the side: a detour, the trip is kept and the bus flagged.
    e.ingest('bus-group', [at(5600, 1500, t0 + 60)]);
    v = e.liveVehicles(t0 + 60)[0]!;
    expect(v.offRoute).toBe(true);
    expect(v.tripId).toBe(trip.id);
    expect(v.stopTimeUpdates.length).toBeGreaterThan(0);
    e.ingest('bus-group', [at(6000, 0, t0 + 90)]);
    expect(e.liveVehicles(t0 + 90)[0]!.offRoute).toBe(false);
  });

  it('drops a silent vehicle from the live view after the timeout; its stops fall back to the timetable', () => {
    const e = engineWith(net5A, { vehicleTimeoutSeconds: 120 });
    const gone: string[] = [];
    e.subscribe('*', (ev) => {
      if (ev.type === 'gone') gone.push(ev.vehicle.vehicleId);
    });
    const p = trace8062[30]!;
    e.ingest('bus-group', trace8062.slice(0, 31));
    const v = e.liveVehicles(p.timestamp)[0]!;
    const next = v.stopTimeUpdates[0]!;
    expect(e.arrivalsAt(next.stopId, p.timestamp).find((a) => a.tripId === v.tripId)?.live).toBe(true);
    expect(e.liveVehicles(p.timestamp + 121)).toHaveLength(0);
    const later = e.arrivalsAt(next.stopId, p.timestamp + 121).find((a) => a.tripId === v.tripId);
    if (later) expect(later.live).toBe(false);
    expect(e.sweep(p.timestamp + 121)).toBe(1);
    expect(gone).toEqual(['8062']);
  });

  it('uses the console’s block assignment when the unit does not say, and finds the trip without one', () => {
    const bare = trace8062.slice(0, 12).map(({ blockId: _b, ...p }) => p);
    const assigned = engineWith(net5A);
    assigned.assignBlock('bus-group', '8062', 'SE-08');
    assigned.ingest('bus-group', bare);
    const v = assigned.liveVehicles(bare[11]!.timestamp)[0]!;
    expect(net5A.trips.get(v.tripId!)!.blockId).toBe('SE-08');
    // Without any assignment the trips whose shapes pass the fix are tried (auto-assignment).
    const auto = engineWith(net5A);
    auto.ingest('bus-group', bare);
    expect(auto.liveVehicles(bare[11]!.timestamp)[0]!.routeId).toBe('5A');
  });

  it('is idempotent by vehicle and timestamp, and ignores a fix older than the newest', () => {
    const e = engineWith(net5A);
    expect(e.ingest('bus-group', trace8062.slice(0, 10))).toEqual({ accepted: 10, fresh: 10, duplicates: 0 });
    expect(e.ingest('bus-group', trace8062.slice(0, 10))).toEqual({ accepted: 10, fresh: 0, duplicates: 10 });
    expect(e.ingest('bus-group', trace8062.slice(5, 12))).toEqual({ accepted: 7, fresh: 2, duplicates: 5 });
  });

  it('matches a headway route from a GTFS-RT feed that names only the route (USF Bull Runner)', () => {
    const net = loadGtfsZip(sharedTransitData('usf-bullrunner/bullrunner-gtfs.zip'), 'xinjin-transport');
    const e = engineWith(net);
    const positions = decodeVehiclePositions(readFileSync(sharedTransitData('usf-bullrunner/bullrunner-vehicle-positions.pb')));
    expect(positions).toHaveLength(10);
    expect(positions.every((p) => p.routeId && !p.tripId)).toBe(true);
    e.ingest('xinjin-transport', positions);
    const live = e.liveVehicles(1505314375);
    const matched = live.filter((v) => v.tripId);
    expect(matched.length).toBeGreaterThanOrEqual(5);
    for (const v of matched) {
      expect(positions.find((p) => p.vehicleId === v.vehicleId)!.routeId).toBe(v.routeId);
      expect(v.delaySeconds).toBeNull();
      expect(v.startTime).toMatch(/^\d\d:\d\d:\d\d$/);
    }
  });
});

describe('predictions', () => {
  it('predicts every coming stop in order, arrival not after departure, and learns travel times from the bus ahead', () => {
    const e = engineWith(net5A);
    e.ingest('bus-group', trace8062.slice(0, 60));
    const p = trace8062[59]!;
    const v = e.liveVehicles(p.timestamp)[0]!;
    const updates = v.stopTimeUpdates;
    expect(updates.length).toBeGreaterThan(0);
    for (let i = 0; i < updates.length; i++) {
      expect(updates[i]!.arrival).toBeLessThanOrEqual(updates[i]!.departure);
      expect(updates[i]!.arrival).toBeGreaterThanOrEqual(p.timestamp);
      if (i > 0) expect(updates[i]!.stopSequence).toBeGreaterThan(updates[i - 1]!.stopSequence);
    }
    // A second bus on the same trip later the same day: with the first bus's travel times its predictions change.
    const fresh = engineWith(net5A);
    const shift = (q: PositionInput): PositionInput => ({ ...q, vehicleId: 'other' });
    fresh.ingest('bus-group', trace8062.slice(0, 30).map(shift));
    const before = fresh.liveVehicles(trace8062[29]!.timestamp)[0]!.stopTimeUpdates[0]!.arrival;
    const withHistory = engineWith(net5A);
    withHistory.ingest('bus-group', trace8062.slice(0, 45));
    withHistory.ingest('bus-group', trace8062.slice(0, 30).map(shift));
    const after = withHistory.liveVehicles(trace8062[29]!.timestamp).find((x) => x.vehicleId === 'other')!.stopTimeUpdates[0]!.arrival;
    expect(after).not.toBe(before);
  });

  it('lists scheduled arrivals for trips without a live bus', () => {
    const e = engineWith(net5A);
    const stop = '13056';
    const now = 1462420800 + 10 * 3600; // 10:00 on 2016-05-05
    const arrivals = e.arrivalsAt(stop, now);
    expect(arrivals.length).toBeGreaterThan(0);
    for (const a of arrivals) {
      expect(a.live).toBe(false);
      expect(a.vehicleId).toBeNull();
      expect(a.predicted).toBe(a.scheduled);
      expect(a.predicted).toBeGreaterThanOrEqual(now);
    }
    expect([...arrivals].sort((a, b) => a.predicted - b.predicted)).toEqual(arrivals);
  });

  it('replays the real WMATA traces with a mean error below 50 s; the later 5A day gains from the earlier one', () => {
    const r = measureWmataAccuracy();
    for (const b of r.bands) expect(b.predictions).toBeGreaterThan(50);
    expect(r.overall.meanAbsoluteError).toBeLessThan(50);
    expect(r.overall.withinCalItp).toBeGreaterThan(85);
    // Same predictions scored either way; 5 May is predicted with what 21 April taught (and nothing later).
    expect(r.alone!.overall.predictions).toBe(r.overall.predictions);
    const later = r.traces.findIndex((t) => t.file.endsWith('5A_8062.csv'));
    expect(later).toBeGreaterThan(r.traces.findIndex((t) => t.file.includes('4-22-16_8087')));
    expect(r.traces[later]!.meanAbsoluteError).toBeLessThan(r.alone!.traces[later]!.meanAbsoluteError - 20);
  }, 60_000);

  it('keeps the predictions of a bus off its shape from its last fix on it, instead of standing it there', () => {
    const e = engineWith(net5A);
    const trip = net5A.trips.get('868590120')!;
    const day = 1462420800;
    const t0 = day + trip.stopTimes[0]!.departure + 600;
    const at = (dist: number, side: number, t: number): PositionInput => ({
      vehicleId: 'v1',
      timestamp: t,
      blockId: 'SE-08',
      ...onShape(net5A, trip.id, dist, side),
    });
    e.ingest('bus-group', [at(4000, 0, t0), at(5000, 0, t0 + 60)]);
    const onRoute = e.liveVehicles(t0 + 60)[0]!.stopTimeUpdates[0]!;
    // Two minutes on a detour: the bus keeps its pace, its next stop is not pushed back by the minutes off the shape.
    e.ingest('bus-group', [at(5600, 1500, t0 + 120), at(6000, 1500, t0 + 180)]);
    const off = e.liveVehicles(t0 + 180)[0]!;
    expect(off.offRoute).toBe(true);
    expect(off.stopTimeUpdates[0]!.stopId).toBe(onRoute.stopId);
    expect(off.stopTimeUpdates[0]!.arrival).toBe(onRoute.arrival);
  });
});

describe('learned travel times (live.predict.ts)', () => {
  // One segment of 4 km between two stops, 400 s in the timetable (0.1 s/m), on a shape of ten 400-m bins.
  const trip = (id: string): LiveTrip => ({
    id,
    routeId: 'R',
    serviceId: 'S',
    directionId: 0,
    blockId: null,
    shapeId: 'shape',
    headsign: null,
    frequencies: [],
    stopTimes: [
      { stopId: 'A', stopSequence: 1, arrival: 36_000, departure: 36_000, dist: 0, timepoint: false },
      { stopId: 'B', stopSequence: 2, arrival: 36_400, departure: 36_400, dist: 4000, timepoint: false },
    ],
  });
  const options = { horizonSeconds: 3 * 3600, dwellSeconds: 0 };
  const day = 1_700_000_000;
  const earlier = { trip: trip('earlier'), base: day - 86_400 };
  const now = { trip: trip('now'), base: day, dist: 2000, layover: false, headway: false };
  const nextArrival = (times: TravelTimes, run = now) => predictStops(times, run, day + 36_200, 10, options).updates[0]!.arrival - (day + 36_200);
  /** Another day at 18 h: the first half of the segment twice as fast as the timetable, the second half 1.5 × slower. */
  const taught = () => {
    const times = new TravelTimes(400);
    for (let bin = 0; bin < 10; bin++) times.learn('shape', bin, bin < 5 ? 20 : 60, 40, 18, earlier);
    return times;
  };

  it('follows the timetable on a shape no bus has driven', () => {
    expect(nextArrival(new TravelTimes(400))).toBe(200);
  });

  it('scales the timetable by the ratio other buses ran at, on any hour and day', () => {
    // 2 km to go, all in the slow half: 200 s in the timetable × 1.5.
    expect(nextArrival(taught())).toBe(300);
  });

  it('keeps boarding at stops in the learned running time: predictions add no dwell of their own', () => {
    const boarded = new TravelTimes(400);
    // 60 s in the bin of which 20 s standing at a stop: the bus took 1.5 × the timetable's time, stop included.
    for (let bin = 0; bin < 10; bin++) boarded.learn('shape', bin, 60, 40, 18, earlier, 20);
    expect(nextArrival(boarded)).toBe(300);
  });

  it('prefers the travel time observed at the same hour (±1) to the ratio', () => {
    const times = taught();
    for (let bin = 5; bin < 10; bin++) times.learn('shape', bin, 30, 40, 10, earlier);
    // 30 s on each of the 5 bins ahead, whatever the ratio says.
    expect(nextArrival(times)).toBe(150);
  });

  it('never predicts a bus from its own trip, and leaves standing at stops and jumps of the match out', () => {
    const own = new TravelTimes(400);
    for (let bin = 0; bin < 10; bin++) own.learn('shape', bin, 80, 40, 18, now);
    expect(nextArrival(own)).toBe(200);
    const held = new TravelTimes(400);
    // 100 s in the bin of which 90 s standing at a stop: 30 s of boarding and a 60-s hold. Without the hold, 40 s,
    // the timetable's time.
    for (let bin = 0; bin < 10; bin++) held.learn('shape', bin, 100, 40, 18, earlier, 90);
    expect(nextArrival(held)).toBe(200);
    const jumped = new TravelTimes(400);
    // 400 m in 5 s (288 km/h): a jump of the match, not a travel time.
    for (let bin = 0; bin < 10; bin++) jumped.learn('shape', bin, 5, 40, 18, earlier);
    expect(nextArrival(jumped)).toBe(200);
  });
});
