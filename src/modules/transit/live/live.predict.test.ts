import { describe, expect, it } from 'vitest';
import { sharedTransitData } from '../transit.testkit.js';
import { readAvlCsv } from './live.avl.js';
import { LiveEngine } from './live.engine.js';
import { loadGtfsZip } from './live.gtfs-zip.js';
import { fromLastStop, modelTime, Pace, predictStops, TravelTimes } from './live.predict.js';
import { serviceDayStart } from './live.time.js';
import type { LiveTrip } from './live.types.js';

/** A trip with a stop every `spacing` metres, `seconds` apart in the timetable. */
function tripEvery(spacing: number, seconds: number, stops = 12): LiveTrip {
  return {
    id: `every-${spacing}`,
    routeId: 'R',
    serviceId: 'S',
    directionId: 0,
    blockId: null,
    shapeId: `shape-${spacing}`,
    headsign: null,
    frequencies: [],
    stopTimes: Array.from({ length: stops }, (_, i) => ({
      stopId: `S${i}`,
      stopSequence: i + 1,
      arrival: 36_000 + i * seconds,
      departure: 36_000 + i * seconds,
      dist: i * spacing,
      timepoint: false,
    })),
  } as LiveTrip;
}

describe("a bus's own pace", () => {
  it('is measured only where stops are close together', () => {
    expect(Pace.measurable(tripEvery(400, 60), 3, 400)).toBe(true);
    expect(Pace.measurable(tripEvery(5000, 300), 3, 400)).toBe(false);
  });

  it('starts at the model and moves towards how the bus runs, shrunk while it has crossed few bins', () => {
    const pace = new Pace();
    expect(pace.factor()).toBe(1);
    pace.observe(72, 60);
    // One bin 1.2 × slower: a third of the way (1 bin against a prior of 2).
    expect(pace.factor()).toBeCloseTo(Math.exp(Math.log(1.2) / 3), 6);
    for (let i = 0; i < 20; i++) pace.observe(72, 60);
    expect(pace.factor()).toBeGreaterThan(1.18);
    expect(pace.factor()).toBeLessThan(1.2);
    // A jump of the match (a bin in 1 s) moves it at most by the clamp, and a bin the model gives no time is ignored.
    const jumped = new Pace();
    jumped.observe(1, 60);
    jumped.observe(60, 0);
    expect(jumped.factor()).toBeCloseTo(Math.exp(-0.7 / 3), 6);
    pace.reset();
    expect(pace.factor()).toBe(1);
  });

  it('slows the time just ahead in full and fades towards the model farther on', () => {
    const trip = tripEvery(400, 60);
    const day = 1_700_000_000;
    const now = day + 36_000;
    const run = { trip, base: day, dist: 0, layover: false, headway: false };
    const o = { horizonSeconds: 3 * 3600, dwellSeconds: 0 };
    const times = new TravelTimes(400);
    const model = predictStops(times, run, now, 10, o).updates;
    const slow = predictStops(times, run, now, 10, o, now, 1.2).updates;
    expect(model[0]!.arrival - now).toBe(60);
    // The first stop 60 s ahead: 1.2 × 60 s.
    expect(slow[0]!.arrival - now).toBe(72);
    // Each later stretch less slowed, never faster than the model.
    const extra = slow.map((u, i) => u.arrival - model[i]!.arrival);
    for (let i = 1; i < extra.length; i++) {
      expect(extra[i]! - extra[i - 1]!).toBeLessThan(12);
      expect(extra[i]! - extra[i - 1]!).toBeGreaterThanOrEqual(0);
    }
  });

  it('is compared with what the model gives each bin (the timetable until buses have taught it)', () => {
    const trip = tripEvery(400, 60);
    const times = new TravelTimes(400);
    expect(modelTime(times, { trip, base: 0 }, 400, 800, 10)).toBeCloseTo(60, 6);
    expect(modelTime(times, { trip, base: 0 }, 200, 600, 10)).toBeCloseTo(60, 6);
    expect(modelTime(times, { trip, base: 0 }, 0, 1200, 10)).toBeCloseTo(180, 6);
    // Another run drove bin 1 at twice the timetable's time.
    times.learn(trip.shapeId, 1, 120, 60, 18, { trip, base: -86_400 });
    expect(modelTime(times, { trip, base: 0 }, 400, 800, 10)).toBeCloseTo(120, 6);
  });
});

describe('the pace on the real 3T trace (stops 200–400 m apart, the bus losing time on its timetable)', () => {
  it('puts the coming stops later than the timetable from where the bus is, and nearer to when it got there', () => {
    const net = loadGtfsZip(sharedTransitData('wmata-transitclock-avl/gtfs-3T.zip'), 'wmata-3t');
    const trace = readAvlCsv(sharedTransitData('wmata-transitclock-avl/avl/3T_3757.csv'), net.timezone);
    const e = new LiveEngine();
    e.setNetwork(net);
    const until = Date.parse('2016-04-28T14:57:49-04:00') / 1000;
    e.ingest(
      'wmata-3t',
      trace.filter((p) => p.timestamp <= until),
    );
    const v = e.liveVehicles(until)[0]!;
    const trip = net.trips.get(v.tripId!)!;
    const run = { trip, base: serviceDayStart(v.startDate!, net.timezone), dist: v.distanceAlong!, layover: false, headway: false };
    const timetable = predictStops(new TravelTimes(400), run, until, 14, e.options).updates;
    const live = v.stopTimeUpdates;
    const stop17 = (us: { stopSequence: number; arrival: number }[]) => us.find((u) => u.stopSequence === 17)!.arrival;
    // Stop 17 was reached at 15:02:38 (its later positions show it), 5 min on: the timetable from here says 39 s sooner;
    // the bus's pace so far (about 1.1 × the timetable's time) takes 10 s of that back (it fades over minutes).
    const reached = Date.parse('2016-04-28T15:02:38-04:00') / 1000;
    expect(stop17(live)).toBeGreaterThan(stop17(timetable) + 5);
    expect(Math.abs(stop17(live) - reached)).toBeLessThan(Math.abs(stop17(timetable) - reached) - 5);
    // Nearer stops are slowed less in seconds but more for their time ahead; none comes sooner than the timetable.
    for (const [i, u] of live.entries()) expect(u.arrival).toBeGreaterThanOrEqual(timetable[i]!.arrival);
  });
});

describe('a long stretch that only the timetable times', () => {
  // Stops 6 km apart, 600 s each in the timetable; the bus left the first stop on time at t0.
  const trip = tripEvery(6000, 600, 3);
  const day = 1_700_000_000;
  const t0 = day + 36_000;
  const o = { horizonSeconds: 3 * 3600, dwellSeconds: 0 };
  const left = { index: 0, time: t0 };
  // Halfway at t0 + 200: 100 s ahead of the timetable's constant speed.
  const run = { trip, base: day, dist: 3000, layover: false, headway: false };
  const now = t0 + 200;

  it('weighs the timing at the last stop against the position, by the share of the stretch covered', () => {
    const byPosition = predictStops(new TravelTimes(400), run, now, 10, o).updates;
    expect(byPosition[0]!.arrival - t0).toBe(500);
    const live = predictStops(new TravelTimes(400), run, now, 10, o, now, 1, left).updates;
    // Half from the position (t0 + 500), half from the last stop (t0 + 600); the stops after follow on from it.
    expect(live[0]!.arrival - t0).toBe(550);
    expect(live[1]!.arrival - t0).toBe(1150);
    expect(fromLastStop(500, 600, 0.5, 0)).toBe(550);
    // Near the next stop the position counts almost in full; at the last stop the timing there does.
    expect(fromLastStop(500, 600, 0.95, 0)).toBeCloseTo(505, 6);
    expect(fromLastStop(500, 600, 0, 0)).toBe(600);
    // The last stop's part is never before `notBefore`.
    expect(fromLastStop(900, 600, 0.5, 800)).toBe(850);
  });

  it('lets a bus standing at the last stop make up no more than running the stretch at twice the model speed', () => {
    // Still at the first stop 500 s after leaving it (the timetable gives the stretch 600 s): from the last stop it
    // would arrive at t0 + 600, 100 s after now; at twice the speed it needs 300 s at least.
    const standing = { ...run, dist: 0 };
    expect(predictStops(new TravelTimes(400), standing, t0 + 500, 10, o, t0 + 500, 1, left).updates[0]!.arrival - t0).toBe(800);
  });

  it('keeps the position alone where the model knows the stretch, stops are close together, or no stop was reached', () => {
    const learned = new TravelTimes(400);
    learned.learn(trip.shapeId, 10, 40, 40, 18, { trip, base: day - 86_400 });
    expect(predictStops(learned, run, now, 10, o, now, 1, left).updates[0]!.arrival).toBe(predictStops(learned, run, now, 10, o).updates[0]!.arrival);
    expect(predictStops(new TravelTimes(400), run, now, 10, o, now, 1, null).updates[0]!.arrival - t0).toBe(500);
    expect(predictStops(new TravelTimes(400), run, now, 10, o, now, 1, { index: 1, time: t0 }).updates[0]!.arrival - t0).toBe(500);
    const close = tripEvery(400, 60);
    const closeRun = { trip: close, base: day, dist: 200, layover: false, headway: false };
    expect(predictStops(new TravelTimes(400), closeRun, t0 + 10, 10, o, t0 + 10, 1, left).updates[0]!.arrival - t0).toBe(40);
  });
});

describe('a long stretch on the real 5A trace of 5 May (Rosslyn to Herndon-Monroe, 34 km, nothing learned)', () => {
  it('predicts Herndon-Monroe partly from when the bus left Rosslyn, nearer to when it got there', () => {
    const net = loadGtfsZip(sharedTransitData('wmata-transitclock-avl/gtfs-5A.zip'), 'wmata-5a');
    const trace = readAvlCsv(sharedTransitData('wmata-transitclock-avl/avl/5A_8062.csv'), net.timezone);
    const e = new LiveEngine();
    e.setNetwork(net);
    const until = Date.parse('2016-05-05T11:20:17-04:00') / 1000;
    e.ingest(
      'wmata-5a',
      trace.filter((p) => p.timestamp <= until),
    );
    const v = e.liveVehicles(until)[0]!;
    const trip = net.trips.get(v.tripId!)!;
    const run = { trip, base: serviceDayStart(v.startDate!, net.timezone), dist: v.distanceAlong!, layover: false, headway: false };
    const herndon = (us: { stopSequence: number; arrival: number }[]) => us.find((u) => u.stopSequence === 10)!.arrival;
    const byPosition = herndon(predictStops(new TravelTimes(400), run, until, 11, e.options).updates);
    // Half-way along, the bus looks 36 s late against the timetable's constant speed; it left Rosslyn 63 s early.
    // It reached Herndon-Monroe at 11:34:47, 2.5 min early (its later positions show it).
    const reached = Date.parse('2016-05-05T11:34:47-04:00') / 1000;
    const live = herndon(v.stopTimeUpdates);
    expect(live).toBeLessThan(byPosition - 30);
    expect(Math.abs(live - reached)).toBeLessThan(Math.abs(byPosition - reached) - 30);
  });
});
