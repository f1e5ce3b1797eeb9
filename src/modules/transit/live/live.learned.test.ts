import { afterEach, describe, expect, it } from 'vitest';
import { createTestContext, type TestContext } from '../../../../test/helpers.js';
import type { AppContext } from '../../../platform/context.js';
import { sharedTransitData } from '../transit.testkit.js';
import { readAvlCsv } from './live.avl.js';
import { LiveEngine, type SavedBin } from './live.engine.js';
import { loadGtfsZip } from './live.gtfs-zip.js';
import { loadTravelTimes, saveTravelTimes } from './live.learned.js';
import { predictStops, TravelTimes } from './live.predict.js';
import { liveTravelTimes } from './live.schema.js';
import { liveOf, startLive } from './live.service.js';
import type { LiveNetwork, LiveTrip, PositionInput } from './live.types.js';

const wmata = (f: string) => sharedTransitData(`wmata-transitclock-avl/${f}`);
const net5A = loadGtfsZip(wmata('gtfs-5A.zip'), 'bus-group');
// Two buses of the 5A on the same shape, on 21 April and 5 May 2016: the second runs where the first has taught.
const earlier = readAvlCsv(wmata('avl/AvlReports_4-22-16_8087.csv'), 'America/New_York');
const trace = readAvlCsv(wmata('avl/5A_8062.csv'), 'America/New_York');
const byKey = (a: { agencyCode: string; shapeId: string; bin: number }, b: typeof a) =>
  a.agencyCode.localeCompare(b.agencyCode) || a.shapeId.localeCompare(b.shapeId) || a.bin - b.bin;

let ctx: TestContext | null = null;
afterEach(async () => {
  await ctx?.cleanup();
  ctx = null;
});

/** Another instance (or the same one restarted) on the same database: a runtime of its own, started on 5A. */
async function restarted(from: AppContext) {
  const again: AppContext = { ...from };
  const rt = liveOf(again);
  rt.setNetwork(net5A);
  await startLive(again);
  return rt;
}

async function firstRun() {
  ctx = await createTestContext({ env: { TRANSIT_CLOCK: 'replay' } });
  const rt = liveOf(ctx);
  rt.setNetwork(net5A);
  await startLive(ctx);
  return rt;
}

/** A second bus where bus 8062 is at `p`'s time plus a second: predicted from what was learned only (no pace of its own). */
const probeAt = (p: PositionInput): PositionInput => ({ ...p, vehicleId: 'probe', timestamp: p.timestamp + 1 });
const probeUpdates = (rt: ReturnType<typeof liveOf>) => rt.engine.allVehicles('bus-group').find((v) => v.vehicleId === 'probe')!.stopTimeUpdates;

describe('learned travel times across a restart', () => {
  it('are saved and loaded exactly (PGlite and PostgreSQL), and a bus is predicted after a restart as before it', async () => {
    const rt1 = await firstRun();
    const half = 20;
    rt1.ingest('bus-group', earlier);
    rt1.ingest('bus-group', trace.slice(0, half));
    rt1.ingest('bus-group', [probeAt(trace[half - 1]!)]);
    const before = probeUpdates(rt1);
    expect(before.length).toBeGreaterThanOrEqual(3);
    // What the same bus would be predicted from the timetable alone: the learned times make a difference.
    const bare = new LiveEngine();
    bare.setNetwork(net5A);
    bare.ingest('bus-group', [probeAt(trace[half - 1]!)]);
    expect(bare.allVehicles()[0]!.stopTimeUpdates).not.toEqual(before);
    await rt1.stop();
    const rows = await ctx!.db.select().from(liveTravelTimes);
    expect(rows.length).toBeGreaterThan(10);
    // The positions the first run learned from are gone (older than the replay reaches): only the saved state is left.
    await ctx!.database.query(`DELETE FROM transit_live_positions WHERE vehicle_id <> 'probe'`);
    const rt2 = await restarted(ctx!);
    expect(probeUpdates(rt2)).toEqual(before);
    await rt2.stop();
  });

  it('is not learned twice from the stored positions replayed at start, and what came after the last save is', async () => {
    const rt1 = await firstRun();
    rt1.ingest('bus-group', earlier);
    rt1.ingest('bus-group', trace.slice(0, 40));
    const savedFirst = await rt1.saveTravelTimes();
    expect(savedFirst).toBeGreaterThan(5);
    // Learned after the save, then the instance dies (no save at shutdown): the replay must add this part.
    rt1.ingest('bus-group', trace.slice(40, 100));
    rt1.ingest('bus-group', [probeAt(trace[99]!)]);
    const before = probeUpdates(rt1);
    await rt1.store.flush();
    const reference = rt1.engine.takeChangedTravelTimes();
    expect(reference.length).toBeGreaterThan(0);

    const rt2 = await restarted(ctx!);
    expect(probeUpdates(rt2)).toEqual(before);
    // The replay changed exactly the bins learned after the save, to the same state as the first run had them.
    const replayed = rt2.engine.takeChangedTravelTimes();
    expect(replayed.sort(byKey)).toEqual(reference.sort(byKey));
    rt2.engine.markTravelTimesChanged(replayed);
    await rt2.stop();

    // A restart right after a save at shutdown: the replay of the same positions changes nothing.
    const rt3 = await restarted(ctx!);
    expect(await rt3.saveTravelTimes()).toBe(0);
    expect(probeUpdates(rt3)).toEqual(before);
    await rt3.stop();
  });

  it('writes only the bins changed since the last write', async () => {
    const rt = await firstRun();
    rt.ingest('bus-group', trace.slice(0, 60));
    const first = await rt.saveTravelTimes();
    expect(first).toBeGreaterThan(5);
    expect(await ctx!.db.select().from(liveTravelTimes)).toHaveLength(first);
    expect(await rt.saveTravelTimes()).toBe(0);
    await ctx!.database.query(`UPDATE transit_live_travel_times SET updated_at = '2000-01-01T00:00:00Z'`);
    rt.ingest('bus-group', trace.slice(60, 75));
    const second = await rt.saveTravelTimes();
    expect(second).toBeGreaterThan(0);
    expect(second).toBeLessThan(first);
    const rows = await ctx!.db.select().from(liveTravelTimes);
    expect(rows.filter((r) => r.updatedAt.getUTCFullYear() > 2000)).toHaveLength(second);
    await rt.stop();
  });

  it('round-trips every field through the table', async () => {
    ctx = await createTestContext();
    const e = new LiveEngine();
    e.setNetwork(net5A);
    e.ingest('bus-group', earlier);
    e.ingest('bus-group', trace);
    const saved = e.takeChangedTravelTimes();
    expect(saved.some((b) => b.lastTripId !== null && b.ratioN > 0 && b.byHour.length > 0)).toBe(true);
    await saveTravelTimes((text, values) => ctx!.database.query(text, values), saved);
    expect((await loadTravelTimes(ctx.db)).sort(byKey)).toEqual([...saved].sort(byKey));
  });
});

describe('a bus never learns from its own trip, after a reload too', () => {
  const trip = (id: string): LiveTrip => ({
    id,
    routeId: 'R',
    serviceId: 'S',
    directionId: 0,
    blockId: null,
    shapeId: 'line',
    headsign: null,
    frequencies: [],
    stopTimes: [0, 1, 2, 3].map((i) => ({
      stopId: `S${i}`,
      stopSequence: i + 1,
      arrival: 36_000 + i * 60,
      departure: 36_000 + i * 60,
      dist: i * 400,
      timepoint: false,
    })),
  });
  const a = trip('A');
  const b = trip('B');
  const predicted = (times: TravelTimes, t: LiveTrip) =>
    predictStops(times, { trip: t, base: 0, dist: 0, layover: false, headway: false }, 36_000, 5, { horizonSeconds: 3600, dwellSeconds: 0 }).updates.map(
      (u) => u.arrival,
    );
  /** Bin 1 driven by trip B at twice the timetable's time, then by trip A at 1.5 times (at hour 18; predicted at 5). */
  function taught(): TravelTimes {
    const times = new TravelTimes(400);
    times.learn('line', 1, 120, 60, 18, { trip: b, base: 0 }, 0, 100);
    times.learn('line', 1, 90, 60, 18, { trip: a, base: 0 }, 0, 200);
    return times;
  }

  it('keeps the latest run apart when its trip is put back', () => {
    const times = taught();
    // Trip A sees only B's ratio (2); B sees both.
    expect(predicted(times, a)[1]).toBe(36_000 + 60 + 120);
    expect(predicted(times, b)[1]).toBe(36_000 + 60 + 111);
    const again = new TravelTimes(400);
    for (const s of times.takeChanged()) again.restore(s);
    expect(predicted(again, a)).toEqual(predicted(times, a));
    expect(predicted(again, b)).toEqual(predicted(times, b));
  });

  it('maps the saved trip id to the network’s trip, and drops one the new feed no longer has (its run joins the ratio)', () => {
    const net = (trips: LiveTrip[]): LiveNetwork =>
      ({
        ...net5A,
        agencyCode: 'line-co',
        trips: new Map(trips.map((t) => [t.id, t])),
        shapes: new Map([['line', net5A.shapes.values().next().value!]]),
      }) as LiveNetwork;
    const saved: SavedBin[] = taught()
      .takeChanged()
      .map(({ lastTrip, ...s }) => ({ ...s, agencyCode: 'line-co', lastTripId: lastTrip!.id }));
    const same = new LiveEngine();
    same.setNetwork(net([a, b]));
    expect(same.restoreTravelTimes(saved)).toBe(1);
    same.markTravelTimesChanged(saved);
    expect(same.takeChangedTravelTimes()).toEqual(saved);

    const without = new LiveEngine();
    without.setNetwork(net([b]));
    without.restoreTravelTimes(saved);
    without.markTravelTimesChanged(saved);
    const [dropped] = without.takeChangedTravelTimes();
    expect(dropped).toMatchObject({ lastTripId: null, ratioN: 2, ratio: 2 * 0.7 + 1.5 * 0.3 });
    // A shape the network no longer has: its rows are not loaded.
    const other = new LiveEngine();
    other.setNetwork({ ...net([a, b]), shapes: new Map() });
    expect(other.restoreTravelTimes(saved)).toBe(0);
  });
});
