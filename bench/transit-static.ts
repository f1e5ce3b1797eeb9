/**
 * `npx tsx bench/transit-static.ts`: the static side of transit.
 *   1. time to import a real feed and to load the active network into memory: by default WMATA route 3T (97 stops,
 *      363 trips, 17,963 stop times) so the run stays short; BENCH_GTFS=../shared/data/transit/wmata-oba-gtfsrt/cut.zip
 *      for the bigger cut-down WMATA feed (956 stops, 2,830 trips, 154,763 stop times), or any other zip;
 *   2. time to build (and encode as protobuf) the GTFS-Realtime VehiclePositions, TripUpdates and Alerts feeds for
 *      15,000 vehicles (BENCH_VEHICLES), each on a trip of that feed with predictions for all its remaining stops:
 *      the baseline (the FeedMessage as objects, encoded by gtfs-realtime-bindings) and the endpoints' incremental
 *      feeds (RealtimeFeeds) when every vehicle, 1 % of them (BENCH_CHANGED) or none has a new fix since the last
 *      build, each as a ratio to the baseline (median wall time of 3 or 5 runs, CPU time beside it: the machine may be
 *      shared). The incremental feeds are checked byte-identical to the baseline.
 * Database: PGlite in memory, or PostgreSQL when DATABASE_URL is set (the bench migrates it and imports as agency
 * `bench-static`). Loopback only; stops by itself in well under a minute.
 */
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { openDatabase } from '../src/platform/db/db.js';
import { importGtfs } from '../src/modules/transit/transit.import.js';
import { loadNetwork } from '../src/modules/transit/transit.network.js';
import {
  buildAlerts,
  buildTripUpdates,
  buildVehiclePositions,
  encodeFeed,
  feedJson,
  RealtimeFeeds,
  type PublishedFeed,
} from '../src/modules/transit/transit.realtime.js';
import { pointAt } from '../src/modules/transit/transit.geo.js';
import { addDays, serviceDayStart } from '../src/modules/transit/transit.time.js';
import { sharedTransitData } from '../src/modules/transit/transit.testkit.js';
import type { LiveVehicle } from '../src/modules/transit/live/index.js';
import type { AlertRow } from '../src/modules/transit/transit.service.js';

const zip = process.env.BENCH_GTFS || sharedTransitData('wmata-transitclock-avl/gtfs-3T.zip');
const vehicleCount = Number(process.env.BENCH_VEHICLES ?? 15_000);
const changedCount = Number(process.env.BENCH_CHANGED ?? Math.ceil(vehicleCount / 100));
const agency = 'bench-static';

// A full collection before each timed build, so one build's garbage (or the set-up's) is not billed to the next.
setFlagsFromString('--expose-gc');
const collectGarbage = runInNewContext('gc') as () => void;

const rows: [string, string][] = [];
const show = (what: string, value: string) => {
  rows.push([what, value]);
  console.log(`${what.padEnd(58)} ${value}`);
};

const database = await openDatabase({ databaseUrl: process.env.DATABASE_URL });
await database.migrate();
try {
  const t0 = performance.now();
  const result = await importGtfs(database.db, zip, { agencyCode: agency, sourceName: zip.split('/').pop()!, audit: { actorType: 'system' } });
  const importMs = performance.now() - t0;
  if (!result.ok) throw new Error(`import failed: ${JSON.stringify(result.problems.slice(0, 5))}`);
  const c = result.counts;
  show(`import ${zip.split('/').pop()} (${database.kind})`, `${(importMs / 1000).toFixed(1)} s`);
  show('  rows: stop times / trips / stops / shapes', `${c.stopTimes} / ${c.trips} / ${c.stops} / ${c.shapes}`);
  show('  stop times per second', `${Math.round(c.stopTimes / (importMs / 1000))}`);
  const t1 = performance.now();
  const net = await loadNetwork(database.db, agency);
  show('load the active network into memory', `${((performance.now() - t1) / 1000).toFixed(2)} s`);

  // 15,000 vehicles: trips of the feed round-robin, each a service day later per round (distinct trip instances).
  const trips = [...net.trips.values()].filter((t) => t.stopTimes.length > 2);
  const tz = net.timezoneOf(agency);
  const date0 = '20240212';
  const now = serviceDayStart(date0, tz) + 12 * 3600;
  const vehicles: LiveVehicle[] = [];
  for (let i = 0; i < vehicleCount; i++) {
    const trip = trips[i % trips.length]!;
    const round = Math.floor(i / trips.length);
    const date = addDays(date0, round);
    const day = serviceDayStart(date, tz);
    const at = Math.floor(trip.stopTimes.length / 3);
    const shape = net.shapes.get(trip.shapeId)!;
    const [lat, lon] = pointAt(shape, trip.stopTimes[at]!.dist);
    vehicles.push({
      vehicleId: `bus-${i}`,
      agencyCode: agency,
      lat,
      lon,
      bearing: (i * 37) % 360,
      speed: 7,
      timestamp: now - (i % 30),
      tripId: trip.id,
      routeId: trip.routeId,
      blockId: trip.blockId,
      directionId: trip.directionId,
      distanceAlong: trip.stopTimes[at]!.dist,
      offRoute: false,
      delaySeconds: 60,
      startDate: date,
      startTime: null,
      layover: false,
      stopTimeUpdates: trip.stopTimes
        .slice(at + 1)
        .map((s) => ({ stopId: s.stopId, stopSequence: s.stopSequence, arrival: day + s.arrival + 60, departure: day + s.departure + 60 })),
    });
  }
  const updates = vehicles.reduce((n, v) => n + v.stopTimeUpdates.length, 0);
  const routeIds = [...net.routes.keys()];
  const alerts: AlertRow[] = Array.from({ length: 200 }, (_, i) => ({
    id: `00000000-0000-4000-8000-${String(i).padStart(12, '0')}`,
    agencyCode: agency,
    kind: i % 2 ? 'detour' : 'other',
    routeId: routeIds[i % routeIds.length]!,
    stopId: null,
    tripId: null,
    headerZh: '绕行',
    headerEn: 'Detour',
    descriptionZh: '',
    descriptionEn: '',
    startsAt: new Date((now - 3600) * 1000),
    endsAt: null,
    createdBy: null,
    createdAt: new Date(),
    updatedAt: new Date(),
    withdrawnAt: null,
  }));
  const ms = (t: number) => `${t < 10 ? t.toFixed(1) : t.toFixed(0)} ms`;
  const median = (xs: number[]) => [...xs].sort((x, y) => x - y)[xs.length >> 1]!;
  /** One timed call after a full collection has settled: wall and CPU time (this process, GC threads included). */
  const timed = async <T>(fn: () => T): Promise<{ value: T; wall: number; cpu: number }> => {
    collectGarbage();
    await new Promise((resolve) => setTimeout(resolve, 30));
    const c = process.cpuUsage();
    const t = performance.now();
    const value = fn();
    const wall = performance.now() - t;
    const used = process.cpuUsage(c);
    return { value, wall, cpu: (used.user + used.system) / 1000 };
  };
  const figure = (walls: number[], cpus: number[]) => `${ms(median(walls))} (CPU ${ms(median(cpus))})`;
  const baselines = new Map<string, number>();
  const baseline = async (what: string, build: () => Uint8Array) => {
    build(); // warm-up
    const walls: number[] = [];
    const cpus: number[] = [];
    let bytes = 0;
    for (let i = 0; i < 3; i++) {
      const r = await timed(build);
      bytes = r.value.length;
      walls.push(r.wall);
      cpus.push(r.cpu);
    }
    baselines.set(what, median(walls));
    show(`${what}: baseline`, `${figure(walls, cpus)}, ${(bytes / 1024 / 1024).toFixed(2)} MB`);
  };
  const none = new Set<string>();
  const vpWhat = `vehicle-positions.pb, ${vehicleCount} vehicles`;
  const tuWhat = `trip-updates.pb, ${vehicleCount} trips, ${updates} updates`;
  const alWhat = 'alerts.pb, 200 alerts';
  await baseline(vpWhat, () => encodeFeed(buildVehiclePositions(net, vehicles, now, none)));
  await baseline(tuWhat, () => encodeFeed(buildTripUpdates(net, vehicles, now, none, () => date0)));
  await baseline(alWhat, () => encodeFeed(buildAlerts(net, alerts, now)));

  // The incremental feeds. A vehicle with a new fix: a later timestamp and new predictions (a new array), as the
  // live engine gives; the transit clock moves one second per build.
  const moved = (v: LiveVehicle, k: number): LiveVehicle => ({
    ...v,
    timestamp: v.timestamp + k,
    stopTimeUpdates: v.stopTimeUpdates.map((u) => ({ ...u, arrival: u.arrival + k, departure: u.departure + k })),
  });
  const feeds = new RealtimeFeeds();
  let clock = now;
  let current = vehicles;
  const same = (feed: PublishedFeed, direct: Uint8Array, what: string) => {
    if (Buffer.compare(feed.bytes, direct) !== 0) throw new Error(`${what}: the incremental feed differs from the baseline`);
  };
  const first = await timed(() => feeds.tripUpdates(net, current, clock, none, () => date0));
  same(first.value, encodeFeed(buildTripUpdates(net, current, clock, none, () => date0)), tuWhat);
  same(feeds.vehiclePositions(net, current, clock, none), encodeFeed(buildVehiclePositions(net, current, clock, none)), vpWhat);
  same(feeds.alerts(net, alerts, clock), encodeFeed(buildAlerts(net, alerts, clock)), alWhat);
  show(`${tuWhat}: first build`, `${figure([first.wall], [first.cpu])} (×${(first.wall / baselines.get(tuWhat)!).toFixed(3)})`);
  const scenario = async (label: string, changed: number) => {
    const runs = 5;
    const walls = { vp: [] as number[], tu: [] as number[], al: [] as number[] };
    const cpus = { vp: [] as number[], tu: [] as number[], al: [] as number[] };
    let encoded = { vp: 0, tu: 0 };
    for (let r = 0; r < runs; r++) {
      clock++;
      if (changed > 0) {
        const k = clock - now;
        current = current.slice();
        for (let i = 0; i < changed; i++) {
          const at = Math.floor((i * current.length) / changed);
          current[at] = moved(vehicles[at]!, k);
        }
      }
      const vp = await timed(() => feeds.vehiclePositions(net, current, clock, none));
      const tu = await timed(() => feeds.tripUpdates(net, current, clock, none, () => date0));
      const al = await timed(() => feeds.alerts(net, alerts, clock));
      for (const [k, x] of [
        ['vp', vp],
        ['tu', tu],
        ['al', al],
      ] as const) {
        walls[k].push(x.wall);
        cpus[k].push(x.cpu);
      }
      encoded = { vp: feeds.encoded['vehicle-positions'], tu: feeds.encoded['trip-updates'] };
      if (r === runs - 1) {
        same(vp.value, encodeFeed(buildVehiclePositions(net, current, vp.value.timestamp, none)), vpWhat);
        same(tu.value, encodeFeed(buildTripUpdates(net, current, tu.value.timestamp, none, () => date0)), tuWhat);
      }
    }
    const line = (what: string, k: 'vp' | 'tu' | 'al', note: string) =>
      show(`${what}: ${label}`, `${figure(walls[k], cpus[k])} (×${(median(walls[k]) / baselines.get(what)!).toFixed(3)})${note}`);
    line(vpWhat, 'vp', `, ${encoded.vp} encoded`);
    line(tuWhat, 'tu', `, ${encoded.tu} encoded`);
    if (changed === 0) line(alWhat, 'al', ', unchanged');
  };
  await scenario('every vehicle moved', current.length);
  await scenario(`${changedCount} vehicles moved`, changedCount);
  await scenario('none moved', 0);
  const json = await timed(() => feedJson(feeds.tripUpdates(net, current, clock, none, () => date0)));
  show(`${tuWhat}: ?format=json (decoded once per content)`, figure([json.wall], [json.cpu]));
} finally {
  await database.close();
}
