import { describe, expect, it } from 'vitest';
import { sharedTransitData } from '../transit.testkit.js';
import { readAvlCsv } from './live.avl.js';
import { LiveEngine, pickPass, reachable, scheduledAt, scheduledDistAt, type ArrivalEvent } from './live.engine.js';
import { buildShape, passesNear, pointAt } from './live.geo.js';
import { loadGtfsZip } from './live.gtfs-zip.js';
import type { LiveTrip } from './live.types.js';

const wmata = (f: string) => sharedTransitData(`wmata-transitclock-avl/${f}`);

describe('a shape that passes the same place twice', () => {
  // Out 1 km east along y = 0, round a 100-m turn, back west along y = 40: every point near the road is near both legs.
  const loop = buildShape([
    { x: 0, y: 0 },
    { x: 1000, y: 0 },
    { x: 1000, y: 40 },
    { x: 0, y: 40 },
  ]);

  it('gives each pass near a point, in order along the shape', () => {
    const passes = passesNear(loop, 300, 10, 0, Infinity, 80);
    expect(passes.map((p) => Math.round(p.dist))).toEqual([300, 1740]);
    expect(passes.map((p) => Math.round(p.offset))).toEqual([10, 30]);
    // A window that ends before the way back holds only the way out.
    expect(passesNear(loop, 300, 10, 0, 1000, 80)).toHaveLength(1);
    expect(passesNear(loop, 300, 500, 0, Infinity, 80)).toEqual([]);
  });

  it('keeps a bus on the pass it can have reached: not round a loop in 30 s, not backwards, but on when it moved', () => {
    // Standing at a stop 35 m from the first pass (GPS noise), 2 m from the way back 640 m on: the stop.
    expect(
      pickPass(
        [
          { dist: 8740, offset: 35 },
          { dist: 9411, offset: 2 },
        ],
        8768,
        30,
      )!.dist,
    ).toBe(8740);
    // Moving through a park and ride: 290 m on in 40 s is a bus driving, the nearer pass wins.
    expect(
      pickPass(
        [
          { dist: 42148, offset: 33 },
          { dist: 42441, offset: 5 },
        ],
        42148,
        40,
      )!.dist,
    ).toBe(42441);
    // Past the loop: the pass 280 m behind is noise, the one ahead is where the bus is.
    expect(
      pickPass(
        [
          { dist: 8734, offset: 43 },
          { dist: 9406, offset: 9 },
        ],
        9010,
        30,
      )!.dist,
    ).toBe(9406);
    expect(pickPass([], 0, 30)).toBeNull();
  });
});

describe('the search window of a bus on its trip', () => {
  const trip = {
    stopTimes: [
      { stopId: 'A', stopSequence: 1, arrival: 1000, departure: 1000, dist: 0, timepoint: false },
      { stopId: 'B', stopSequence: 2, arrival: 1100, departure: 1100, dist: 1000, timepoint: false },
      { stopId: 'C', stopSequence: 3, arrival: 1300, departure: 1300, dist: 2000, timepoint: false },
    ],
  } as unknown as LiveTrip;

  it('inverts the timetable: the distance it gives at a time', () => {
    expect(scheduledDistAt(trip, 900)).toBe(0);
    expect(scheduledDistAt(trip, 1050)).toBe(500);
    expect(scheduledDistAt(trip, 1200)).toBe(1500);
    expect(scheduledDistAt(trip, 1300)).toBe(Infinity);
    for (const d of [0, 250, 1000, 1700]) expect(scheduledDistAt(trip, scheduledAt(trip, d))).toBeCloseTo(d, 6);
  });

  it('grows with the time since the last match: 10 m/s or twice the timetable, plus 500 m', () => {
    // 30 s after 0 m: twice the timetable's pace plus a minute is 120 s of timetable, to 1,100 m; 500 m + 300 m is less.
    expect(reachable(trip, 0, 30)).toBe(1100);
    // On the slow stretch (5 m/s in the timetable), 60 s: 180 s of timetable reach 1,900 m; 500 m + 600 m, 2,100 m.
    expect(reachable(trip, 1000, 60)).toBe(2100);
    // Past the timetable's last stop: as far as 40 m/s can take it (the rest of a long shape is not searched).
    expect(reachable(trip, 1000, 600)).toBe(1000 + 500 + 40 * 600);
    // A fix at the same second: a minute of timetable (600 m) is more than 40 m/s allows; 500 m of slack only.
    expect(reachable(trip, 0, 0)).toBe(500);
  });
});

describe('the West Falls Church station loop on the real 3T trace', () => {
  const net = loadGtfsZip(wmata('gtfs-3T.zip'), 'wmata-3t');
  const trace = readAvlCsv(wmata('avl/3T_3757.csv'), net.timezone);

  it('does not jump past the station while the bus drives round to it, and counts the stop when it gets there', () => {
    const e = new LiveEngine();
    e.setNetwork(net);
    const arrivals: ArrivalEvent[] = [];
    e.onArrival((a) => arrivals.push(a));
    const at = (hhmmss: string) => Date.parse(`2016-04-28T${hhmmss}-04:00`) / 1000;
    let farthestBefore = 0;
    for (const p of trace) {
      e.ingest('wmata-3t', [p]);
      const v = e.liveVehicles(p.timestamp)[0]!;
      expect(v.tripId).toBe('868448620');
      if (p.timestamp < at('15:07:30')) farthestBefore = Math.max(farthestBefore, v.distanceAlong!);
    }
    // At 15:06:45 the bus is beside the station's exit road, 17 m from the shape 2 km on (after the station at
    // 5,309 m), having left Leesburg Pike at 4,250 m 70 s before: it has not been round the loop yet.
    expect(farthestBefore).toBeLessThan(5309);
    const station = arrivals.find((a) => a.stopId === '14136')!;
    expect(station.time).toBeGreaterThan(at('15:07:00'));
    expect(station.time).toBeLessThan(at('15:07:50'));
  });
});

describe('a bus back on its shape after a detour', () => {
  const net = loadGtfsZip(wmata('gtfs-5A.zip'), 'bus-group');

  it('reached the stops it skipped between its last fix on the shape and its first one back, not since its last fix', () => {
    const trip = net.trips.get('868590120')!;
    const shape = net.shapes.get(trip.shapeId)!;
    const k = 111_320 * Math.cos((net.origin.lat * Math.PI) / 180);
    const fix = (dist: number, side: number, timestamp: number) => {
      const p = pointAt(shape, dist);
      return { vehicleId: 'v1', timestamp, blockId: 'SE-08', lat: net.origin.lat + (p.y + side) / 111_320, lon: net.origin.lon + p.x / k };
    };
    const stop = trip.stopTimes.find((s) => s.dist > 8000 && s.dist < 9500)!;
    const e = new LiveEngine();
    e.setNetwork(net);
    const arrivals: ArrivalEvent[] = [];
    e.onArrival((a) => arrivals.push(a));
    const t0 = 1462420800 + trip.stopTimes[0]!.departure + 1200;
    // On the shape at 7.6 and 8 km, then two fixes 1.5 km to the side, then back on it at 9.5 km.
    e.ingest('bus-group', [fix(7600, 0, t0 - 60), fix(8000, 0, t0), fix(8600, 1500, t0 + 60), fix(9000, 1500, t0 + 120), fix(9500, 0, t0 + 180)]);
    expect(e.liveVehicles(t0 + 180)[0]!.distanceAlong).toBeGreaterThan(9400);
    const at = arrivals.find((a) => a.stopId === stop.stopId)!;
    expect(at.time).toBeCloseTo(t0 + (180 * (stop.dist - 8000)) / 1500, 0);
  });
});
