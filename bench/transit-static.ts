/**
 * `npx tsx bench/transit-static.ts`: the static side of transit.
 *   1. time to import a real feed and to load the active network into memory: by default WMATA route 3T (97 stops,
 *      363 trips, 17,963 stop times) so the run stays short; BENCH_GTFS=../shared/data/transit/wmata-oba-gtfsrt/cut.zip
 *      for the bigger cut-down WMATA feed (956 stops, 2,830 trips, 154,763 stop times), or any other zip;
 *   2. time to build (and encode as protobuf) the GTFS-Realtime VehiclePositions, TripUpdates and Alerts feeds for
 *      15,000 vehicles (BENCH_VEHICLES), each on a trip of that feed with predictions for all its remaining stops.
 * Database: PGlite in memory, or PostgreSQL when DATABASE_URL is set (the bench migrates it and imports as agency
 * `bench-static`). Loopback only; stops by itself in well under a minute.
 */
import { openDatabase } from '../src/platform/db/db.js';
import { importGtfs } from '../src/modules/transit/transit.import.js';
import { loadNetwork } from '../src/modules/transit/transit.network.js';
import { buildAlerts, buildTripUpdates, buildVehiclePositions, encodeFeed } from '../src/modules/transit/transit.realtime.js';
import { pointAt } from '../src/modules/transit/transit.geo.js';
import { addDays, serviceDayStart } from '../src/modules/transit/transit.time.js';
import { sharedTransitData } from '../src/modules/transit/transit.testkit.js';
import type { LiveVehicle } from '../src/modules/transit/live/index.js';
import type { AlertRow } from '../src/modules/transit/transit.service.js';

const zip = process.env.BENCH_GTFS || sharedTransitData('wmata-transitclock-avl/gtfs-3T.zip');
const vehicleCount = Number(process.env.BENCH_VEHICLES ?? 15_000);
const agency = 'bench-static';

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
  const time = (what: string, build: () => Uint8Array) => {
    build(); // warm-up
    const runs = 3;
    const t = performance.now();
    let bytes = 0;
    for (let i = 0; i < runs; i++) bytes = build().length;
    show(what, `${((performance.now() - t) / runs).toFixed(0)} ms, ${(bytes / 1024 / 1024).toFixed(2)} MB`);
  };
  const none = new Set<string>();
  time(`vehicle-positions.pb for ${vehicleCount} vehicles (build + encode)`, () => encodeFeed(buildVehiclePositions(net, vehicles, now, none)));
  time(`trip-updates.pb for ${vehicleCount} trips, ${updates} stop time updates`, () => encodeFeed(buildTripUpdates(net, vehicles, now, none, () => date0)));
  time('alerts.pb for 200 alerts', () => encodeFeed(buildAlerts(net, alerts, now)));
} finally {
  await database.close();
}
