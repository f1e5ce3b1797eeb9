import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import GtfsRealtimeBindings from 'gtfs-realtime-bindings';
import { createTestApp, type TestContext } from '../../../test/helpers.js';
import { createUser } from '../../../test/factories.js';
import type { App } from '../../platform/http/types.js';
import type { LiveVehicle } from './live/index.js';
import { reloadLiveNetworks } from './live/index.js';
import { pointAt } from './transit.geo.js';
import { importGtfs } from './transit.import.js';
import { loadNetwork, type TransitNetwork } from './transit.network.js';
import {
  buildAlerts,
  buildTripUpdates,
  buildVehiclePositions,
  encodeFeed,
  HEADER_REFRESH_SECONDS,
  notModified,
  RealtimeFeeds,
  type FeedMessage,
  type PublishedFeed,
  jsonCopySeconds,
} from './transit.realtime.js';
import { checkFeed } from './transit.rtcheck.js';
import type { AlertRow } from './transit.service.js';
import { invalidateNetwork } from './transit.service.js';
import { sharedTransitData } from './transit.testkit.js';
import { LiveEngine } from './live/live.engine.js';
import { loadGtfsZip } from './live/live.gtfs-zip.js';
import { readAvlCsv } from './live/live.avl.js';
import { formatGtfsTime, serviceDayStart } from './transit.time.js';

const { FeedMessage } = GtfsRealtimeBindings.transit_realtime;
const bullrunner = readFileSync(new URL('./demo/bullrunner-gtfs.zip', import.meta.url));
const DATE = '20160104'; // a Monday in the Collins calendar
let app: App;
let ctx: TestContext;
let net: TransitNetwork;
let now = 0;
let vehicles: LiveVehicle[] = [];
let alerts: AlertRow[] = [];

/** Through the wire: encode with our builder, decode with gtfs-realtime-bindings, as a consumer would. */
const wire = (m: FeedMessage) => FeedMessage.toObject(FeedMessage.decode(encodeFeed(m)), { longs: Number }) as FeedMessage;
const rulesOf = (m: FeedMessage) => checkFeed(wire(m), net, now).map((v) => v.rule);

function vehicleOn(tripId: string, index: number, delay: number, agencyCode: string, startTime: string | null = null, base = 0): LiveVehicle {
  const trip = net.trips.get(tripId)!;
  const shape = net.shapes.get(trip.shapeId)!;
  const day = serviceDayStart(DATE, net.timezoneOf(agencyCode));
  const here = trip.stopTimes[index]!;
  const [lat, lon] = pointAt(shape, here.dist);
  return {
    vehicleId: `v-${tripId}`,
    agencyCode,
    lat,
    lon,
    bearing: 90,
    speed: 8,
    timestamp: now - 5,
    tripId,
    routeId: trip.routeId,
    blockId: trip.blockId,
    directionId: trip.directionId,
    distanceAlong: here.dist,
    offRoute: false,
    delaySeconds: delay,
    startDate: DATE,
    startTime,
    layover: false,
    stopTimeUpdates: trip.stopTimes.slice(index + 1).map((s) => ({
      stopId: s.stopId,
      stopSequence: s.stopSequence,
      arrival: day + base + s.arrival + delay,
      departure: day + base + s.departure + delay,
    })),
  };
}

beforeAll(async () => {
  ({ app, ctx } = await createTestApp({ env: { TRANSIT_CLOCK: 'replay' } }));
  const a = await importGtfs(ctx.db, readFileSync(sharedTransitData('collins-coaches-ie/collins.zip')), {
    agencyCode: 'xinjin-transport',
    sourceName: 'collins.zip',
    audit: { actorType: 'system' },
  });
  const b = await importGtfs(ctx.db, bullrunner, { agencyCode: 'bus-group', sourceName: 'bullrunner-gtfs.zip', audit: { actorType: 'system' } });
  expect(a.ok && b.ok).toBe(true);
  net = await loadNetwork(ctx.db);
  const collinsTrips = [...net.trips.values()].filter((t) => t.agencyCode === 'xinjin-transport' && net.tripRunsOn(t, DATE)).slice(0, 3);
  now = serviceDayStart(DATE, 'Europe/Dublin') + collinsTrips[0]!.stopTimes[1]!.arrival + 30;
  vehicles = collinsTrips.map((t, i) => vehicleOn(t.id, 1, 60 * i, 'xinjin-transport'));
  // A headway (exact_times=0) bus of the Bull Runner, told apart by its start time.
  const headway = net.trips.get('1')!;
  vehicles.push(
    vehicleOn('1', 2, 0, 'bus-group', formatGtfsTime(headway.frequencies[0]!.startTime), headway.frequencies[0]!.startTime - headway.stopTimes[0]!.departure),
  );
  const base = { withdrawnAt: null, createdBy: null, createdAt: new Date(), updatedAt: new Date(), descriptionZh: '', descriptionEn: '', endsAt: null };
  alerts = [
    {
      ...base,
      id: '00000000-0000-4000-8000-000000000001',
      agencyCode: 'xinjin-transport',
      kind: 'detour',
      routeId: collinsTrips[0]!.routeId,
      stopId: null,
      tripId: null,
      headerZh: '绕行',
      headerEn: 'Detour',
      startsAt: new Date((now - 3600) * 1000),
    },
    {
      ...base,
      id: '00000000-0000-4000-8000-000000000002',
      agencyCode: 'xinjin-transport',
      kind: 'cancellation',
      routeId: null,
      stopId: null,
      tripId: collinsTrips[2]!.id,
      headerZh: '停运',
      headerEn: 'Cancelled',
      startsAt: new Date((now - 3600) * 1000),
      endsAt: new Date((now + 3600) * 1000),
    },
    {
      ...base,
      id: '00000000-0000-4000-8000-000000000003',
      agencyCode: 'bus-group',
      kind: 'closed_stop',
      routeId: null,
      stopId: headway.stopTimes[0]!.stopId,
      tripId: null,
      headerZh: '站点停用',
      headerEn: 'Stop closed',
      startsAt: new Date((now - 60) * 1000),
    },
  ];
}, 60_000);
afterAll(async () => {
  await app.close();
  await ctx.cleanup();
});

const cancelled = () => new Set([alerts[1]!.tripId!]);
const vp = () => buildVehiclePositions(net, vehicles, now, cancelled());
const tu = () => buildTripUpdates(net, vehicles, now, cancelled(), () => DATE);
const al = () => buildAlerts(net, alerts, now);

describe('GTFS-Realtime output decodes and passes the validator rules', () => {
  it('all three feeds decode with gtfs-realtime-bindings as FULL_DATASET v2.0 with a header timestamp', () => {
    for (const m of [vp(), tu(), al()]) {
      const d = FeedMessage.decode(encodeFeed(m));
      expect(d.header.gtfsRealtimeVersion).toBe('2.0');
      expect(d.header.incrementality).toBe(GtfsRealtimeBindings.transit_realtime.FeedHeader.Incrementality.FULL_DATASET);
      expect(Number(d.header.timestamp)).toBe(now);
      expect(d.entity.length).toBeGreaterThan(0);
    }
    expect(checkFeed(wire(vp()), net, now)).toEqual([]);
    expect(checkFeed(wire(tu()), net, now)).toEqual([]);
    expect(checkFeed(wire(al()), net, now)).toEqual([]);
  });

  it('a cancelled trip is CANCELED in trip updates and carries no vehicle trip (no ghost bus)', () => {
    const t = wire(tu());
    const c = t.entity!.find((e) => e.tripUpdate?.trip?.tripId === alerts[1]!.tripId);
    expect(c?.tripUpdate?.trip?.scheduleRelationship).toBe(3);
    expect(c?.tripUpdate?.stopTimeUpdate ?? []).toEqual([]);
    const v = wire(vp()).entity!.find((e) => e.vehicle?.vehicle?.id === `v-${alerts[1]!.tripId}`);
    expect(v?.vehicle?.trip).toBeFalsy();
  });

  // Each rule: our output passes, and the same output broken on purpose is caught (so the check can fail).
  type Case = [rule: string, title: string, feed: () => FeedMessage, breakIt: (m: FeedMessage) => void];
  const first = (m: FeedMessage) => m.entity![0]!;
  const firstTu = (m: FeedMessage) => m.entity!.find((e) => e.tripUpdate?.stopTimeUpdate?.length)!.tripUpdate!;
  const headwayTu = (m: FeedMessage) => m.entity!.find((e) => e.tripUpdate?.trip?.tripId === '1')!.tripUpdate!;
  const cases: Case[] = [
    ['E001', 'timestamps are POSIX seconds', vp, (m) => void (first(m).vehicle!.timestamp = now * 1000)],
    ['E002', 'stop_time_updates are sorted by stop_sequence', tu, (m) => void firstTu(m).stopTimeUpdate!.reverse()],
    ['E003', 'trip_ids are in the static feed', tu, (m) => void (firstTu(m).trip!.tripId = 'no-such-trip')],
    ['E004', 'route_ids are in the static feed', vp, (m) => void (first(m).vehicle!.trip!.routeId = 'no-such-route')],
    ['E006', 'frequency-based trips carry start_time and start_date', tu, (m) => void (headwayTu(m).trip!.startTime = null)],
    ['E011', 'stop_ids are in the static feed', tu, (m) => void (firstTu(m).stopTimeUpdate![0]!.stopId = 'no-such-stop')],
    ['E012', 'no entity timestamp is after the header timestamp', vp, (m) => void (first(m).vehicle!.timestamp = now + 30)],
    ['E013', 'exact_times=0 trips are UNSCHEDULED', tu, (m) => void (headwayTu(m).trip!.scheduleRelationship = 0)],
    ['E020', 'start_time is HH:MM:SS', tu, (m) => void (headwayTu(m).trip!.startTime = '7:00')],
    ['E021', 'start_date is YYYYMMDD', tu, (m) => void (firstTu(m).trip!.startDate = '2016-01-04')],
    ['E022', 'stop_time_update times increase', tu, (m) => void (firstTu(m).stopTimeUpdate!.at(-1)!.arrival!.time = now - 7200)],
    ['E024', 'direction_id agrees with the static trip', tu, (m) => void (firstTu(m).trip!.directionId = (firstTu(m).trip!.directionId ?? 0) === 0 ? 1 : 0)],
    [
      'E025',
      'departure is not before arrival',
      tu,
      (m) => void (firstTu(m).stopTimeUpdate![0]!.departure!.time = Number(firstTu(m).stopTimeUpdate![0]!.arrival!.time) - 60),
    ],
    ['E026', 'positions are valid coordinates', vp, (m) => void (first(m).vehicle!.position!.latitude = 123)],
    ['E027', 'bearing is within 0–360', vp, (m) => void (first(m).vehicle!.position!.bearing = 400)],
    [
      'E028',
      'positions are within the agency area',
      vp,
      (m) => void ((first(m).vehicle!.position!.latitude = 10), (first(m).vehicle!.position!.longitude = 10)),
    ],
    [
      'E029',
      'a vehicle on a trip is within 200 m of its shape',
      vp,
      (m) => void (first(m).vehicle!.position!.latitude = first(m).vehicle!.position!.latitude! + 0.005),
    ],
    [
      'E030',
      "an alert's trip belongs to its route",
      al,
      (m) => void (m.entity!.find((e) => e.alert?.informedEntity?.[0]?.trip)!.alert!.informedEntity![0]!.routeId = 'A'),
    ],
    [
      'E031',
      "an alert's trip.route_id is the trip's route",
      al,
      (m) => void (m.entity!.find((e) => e.alert?.informedEntity?.[0]?.trip)!.alert!.informedEntity![0]!.trip!.routeId = 'A'),
    ],
    ['E032', 'every alert has an informed entity', al, (m) => void (first(m).alert!.informedEntity = [])],
    ['E033', 'every informed entity names something', al, (m) => void (first(m).alert!.informedEntity = [{}])],
    ['E034', 'agency_ids are in the static feed', al, (m) => void (first(m).alert!.informedEntity![0]!.agencyId = 'no-such-agency')],
    ['E035', 'a trip is on its static route', tu, (m) => void (firstTu(m).trip!.routeId = 'A')],
    ['E036', 'no stop_sequence repeats', tu, (m) => void firstTu(m).stopTimeUpdate!.splice(1, 0, { ...firstTu(m).stopTimeUpdate![0]!, stopId: 'x' })],
    ['E037', 'no stop_id repeats in a row', tu, (m) => void firstTu(m).stopTimeUpdate!.splice(1, 0, { ...firstTu(m).stopTimeUpdate![0]!, stopSequence: 999 })],
    ['E038', 'gtfs_realtime_version is valid', vp, (m) => void (m.header!.gtfsRealtimeVersion = '3.7')],
    ['E039', 'no is_deleted in a FULL_DATASET', vp, (m) => void (first(m).isDeleted = true)],
    [
      'E040',
      'every stop_time_update has a stop_sequence or stop_id',
      tu,
      (m) => void ((firstTu(m).stopTimeUpdate![0]!.stopId = null), (firstTu(m).stopTimeUpdate![0]!.stopSequence = null)),
    ],
    ['E041', 'every non-cancelled trip update has stop_time_updates', tu, (m) => void (firstTu(m).stopTimeUpdate = [])],
    [
      'E043',
      'every stop_time_update has an arrival or departure',
      tu,
      (m) => void ((firstTu(m).stopTimeUpdate![0]!.arrival = null), (firstTu(m).stopTimeUpdate![0]!.departure = null)),
    ],
    ['E044', 'every StopTimeEvent has a time or delay', tu, (m) => void (firstTu(m).stopTimeUpdate![0]!.arrival = {})],
    [
      'E045',
      'stop_sequence and stop_id agree with the static trip',
      tu,
      (m) => void (firstTu(m).stopTimeUpdate![0]!.stopId = firstTu(m).stopTimeUpdate![1]!.stopId),
    ],
    ['E048', 'the header has a timestamp', al, (m) => void (m.header!.timestamp = 0)],
    ['E049', 'the header has incrementality', al, (m) => void (m.header!.incrementality = null)],
    ['E050', 'no timestamp is in the future', vp, (m) => void (m.header!.timestamp = now + 3600)],
    ['E052', 'vehicle ids are unique', vp, (m) => void m.entity!.push({ ...first(m), id: 'copy' })],
  ];
  for (const [rule, title, feed, breakIt] of cases) {
    it(`${rule}: ${title}`, () => {
      expect(rulesOf(feed())).not.toContain(rule);
      const broken = wire(feed());
      breakIt(broken);
      expect(checkFeed(broken, net, now).map((v) => v.rule)).toContain(rule);
    });
  }

  it('E047: a vehicle has the same trip in positions and trip updates', () => {
    const both = (m1: FeedMessage, m2: FeedMessage) => ({ header: m1.header, entity: [...m1.entity!, ...m2.entity!] });
    expect(rulesOf(both(vp(), tu()))).not.toContain('E047');
    const broken = both(wire(vp()), wire(tu()));
    const e = broken.entity!.find(
      (x) => x.tripUpdate?.vehicle?.id === `v-${[...net.trips.values()].find((t) => t.agencyCode === 'xinjin-transport' && net.tripRunsOn(t, DATE))!.id}`,
    )!;
    e.tripUpdate!.trip!.tripId = '1';
    expect(checkFeed(broken, net, now).map((v) => v.rule)).toContain('E047');
  });
});

describe('incremental feeds: each vehicle encoded once, the feed assembled from the encodings', () => {
  const decoded = (bytes: Uint8Array) => FeedMessage.toObject(FeedMessage.decode(bytes), { longs: Number, enums: String });
  /** Byte for byte what gtfs-realtime-bindings makes of the FeedMessage objects, and so decoded alike. */
  const expectSame = (feed: PublishedFeed, direct: FeedMessage) => {
    expect(decoded(feed.bytes)).toEqual(decoded(encodeFeed(direct)));
    expect(Buffer.from(feed.bytes).equals(Buffer.from(encodeFeed(direct)))).toBe(true);
    expect(feed.entities).toBe(direct.entity!.length);
  };
  const moved = (v: LiveVehicle, dt: number): LiveVehicle => ({
    ...v,
    timestamp: v.timestamp + dt,
    stopTimeUpdates: v.stopTimeUpdates.map((u) => ({ ...u, arrival: u.arrival + dt, departure: u.departure + dt })),
  });
  /**
   * The awkward vehicles: what the builders filter, fix or leave out must come out the same both ways. Each on its
   * own trip instance (another service date) unless sharing one is the point.
   */
  const awkward = (): LiveVehicle[] => {
    const [a, b, c] = vehicles as [LiveVehicle, LiveVehicle, LiveVehicle, LiveVehicle];
    const on = (v: LiveVehicle, vehicleId: string, startDate: string, more: Partial<LiveVehicle> = {}): LiveVehicle => ({
      ...v,
      vehicleId,
      startDate,
      ...more,
    });
    const bad = [{ ...b.stopTimeUpdates[0]!, stopId: 'elsewhere' }];
    return [
      ...vehicles,
      on(a, 'late-unsorted-turned', '20160105', { delaySeconds: -95, bearing: 725, speed: null, stopTimeUpdates: [...a.stopTimeUpdates].reverse() }),
      on(a, 'same-trip-as-a', DATE), // one TripUpdate per trip instance: a's
      on(b, 'no-valid-updates', '20160106', { stopTimeUpdates: bad }), // claims its trip instance with no TripUpdate...
      on(b, 'after-no-valid-updates', '20160106'), // ...so this one is left out too
      on(a, 'no-trip', '', { tripId: null, startDate: null, delaySeconds: null, stopTimeUpdates: [] }),
      on(a, 'unknown-trip', DATE, { tripId: 'no-such-trip' }),
      on(a, 'far-future-times', '20160107', {
        stopTimeUpdates: a.stopTimeUpdates.map((u, i) => ({ ...u, arrival: 2 ** 32 + 7 * i, departure: 2 ** 32 + 7 * i + 2 })),
      }),
      on(c, 'on-a-cancelled-trip', '20160108'),
      on(a, 'from-the-future', '20160109', { timestamp: now + 10 }),
      on(a, 'null-island', '20160110', { lat: 0, lon: 0 }),
      { ...b }, // the same vehicle id twice (E052)
    ];
  };

  it('the assembled feeds decode equal to (and are byte-identical with) the directly encoded ones', () => {
    const feeds = new RealtimeFeeds();
    const list = awkward();
    expectSame(feeds.vehiclePositions(net, list, now, cancelled()), buildVehiclePositions(net, list, now, cancelled()));
    expectSame(
      feeds.tripUpdates(net, list, now, cancelled(), () => DATE),
      buildTripUpdates(net, list, now, cancelled(), () => DATE),
    );
    expectSame(feeds.alerts(net, alerts, now), buildAlerts(net, alerts, now));
    const ids = FeedMessage.decode(feeds.tripUpdates(net, list, now, cancelled(), () => DATE).bytes).entity.map((e) => e.id);
    expect(ids).toEqual(expect.arrayContaining(['tu-xinjin-transport-late-unsorted-turned', 'tu-xinjin-transport-far-future-times']));
    expect(ids.filter((id) => /same-trip|no-valid|unknown-trip|cancelled-trip|from-the-future|null-island/.test(id))).toEqual([]);
  });

  it('stop ids that are not ASCII, or long, come out the same as through gtfs-realtime-bindings', () => {
    const a = vehicles[0]!;
    const trip = net.trips.get(a.tripId!)!;
    const withStops = (id: string, stopId: (s: string) => string) => ({
      ...trip,
      id,
      stopTimes: trip.stopTimes.map((st) => ({ ...st, stopId: stopId(st.stopId) })),
    });
    const odd = { cjk: (s: string) => `人民公园-${s}-🚌`, long: (s: string) => s.padEnd(120, '-') };
    const netX: TransitNetwork = { ...net, trips: new Map([...net.trips, ...Object.entries(odd).map(([k, f]) => [k, withStops(k, f)] as const)]) };
    const list = Object.entries(odd).map(([k, f]) => ({
      ...a,
      vehicleId: `bus-${k}`,
      tripId: k,
      stopTimeUpdates: a.stopTimeUpdates.map((u) => ({ ...u, stopId: f(u.stopId) })),
    }));
    const feed = new RealtimeFeeds().tripUpdates(netX, list, now, new Set(), () => DATE);
    expectSame(
      feed,
      buildTripUpdates(netX, list, now, new Set(), () => DATE),
    );
    expect(FeedMessage.decode(feed.bytes).entity.map((e) => e.tripUpdate?.stopTimeUpdate?.[0]?.stopId)).toEqual(
      Object.values(odd).map((f) => f(a.stopTimeUpdates[0]!.stopId)),
    );
  });

  it('re-encodes only the vehicles that changed, and follows vehicles leaving, cancellations and a new network', () => {
    const feeds = new RealtimeFeeds();
    let list = awkward();
    let cancelledNow = cancelled();
    let t = now + 20; // every awkward vehicle usable
    const both = () => {
      const vp = feeds.vehiclePositions(net, list, t, cancelledNow);
      expectSame(vp, buildVehiclePositions(net, list, t, cancelledNow));
      expectSame(
        feeds.tripUpdates(net, list, t, cancelledNow, () => DATE),
        buildTripUpdates(net, list, t, cancelledNow, () => DATE),
      );
      return vp;
    };
    both();
    expect(feeds.encoded['vehicle-positions']).toBe(buildVehiclePositions(net, list, t, cancelledNow).entity!.length);
    t += 1;
    list = list.map((v, i) => (i === 0 ? moved(v, 15) : v));
    both();
    expect(feeds.encoded).toMatchObject({ 'vehicle-positions': 1, 'trip-updates': 1 });
    t += 1;
    list = list.filter((v) => v.vehicleId !== vehicles[1]!.vehicleId); // silent, out of the live view
    both();
    expect(feeds.encoded).toMatchObject({ 'vehicle-positions': 0, 'trip-updates': 0 });
    t += 1;
    cancelledNow = new Set([...cancelled(), vehicles[0]!.tripId!]); // its bus loses its trip, its TripUpdate turns CANCELED
    const last = both();
    expect(feeds.encoded['vehicle-positions']).toBe(5); // the buses on that trip: the moved one, its four copies
    t += 1;
    const reloaded: TransitNetwork = { ...net }; // a new network object: nothing cached is trusted...
    const again = feeds.vehiclePositions(reloaded, list, t, cancelledNow);
    expect(feeds.encoded['vehicle-positions']).toBe(again.entities);
    expect(again).toBe(last); // ...but the same bytes come out, so the feed stands
  });

  it('one TripUpdate per trip instance while vehicles come and go (the claims of gone instances are pruned)', () => {
    const feeds = new RealtimeFeeds();
    const a = vehicles[0]!;
    const day = (i: number) => `2016${String(2 + Math.floor(i / 28)).padStart(2, '0')}${String(1 + (i % 28)).padStart(2, '0')}`;
    const many = Array.from({ length: 100 }, (_, i) => ({ ...a, vehicleId: `bus-${i}`, startDate: day(i) }));
    const passes = [
      many,
      [many[0]!, { ...many[1]!, startDate: many[0]!.startDate }],
      [moved({ ...many[1]!, startDate: many[0]!.startDate }, 5), many[0]!],
      many,
    ];
    passes.forEach((list, i) => {
      const t = now + 10 * (i + 1);
      const feed = feeds.tripUpdates(net, list, t, new Set(), () => DATE);
      expectSame(
        feed,
        buildTripUpdates(net, list, t, new Set(), () => DATE),
      );
      expect(feed.entities).toBe(i === 0 || i === 3 ? 100 : 1);
    });
  });

  it('serves one content per header timestamp (E017) and keeps an unchanged feed, timestamp and ETag until the refresh', () => {
    const feeds = new RealtimeFeeds();
    const first = feeds.tripUpdates(net, vehicles, now, cancelled(), () => DATE);
    const changed = vehicles.map((v, i) => (i === 0 ? moved(v, -2) : v));
    expect(feeds.tripUpdates(net, changed, now, cancelled(), () => DATE)).toBe(first); // same second: same feed
    const later = feeds.tripUpdates(net, vehicles, now + 5, cancelled(), () => DATE);
    expect(later).toBe(first); // nothing changed: the content keeps its time
    expect(Number(FeedMessage.decode(later.bytes).header.timestamp)).toBe(now);
    const next = feeds.tripUpdates(net, changed, now + 6, cancelled(), () => DATE);
    expect(next.etag).not.toBe(first.etag);
    expect(next.timestamp).toBe(now + 6);
    expectSame(
      next,
      buildTripUpdates(net, changed, now + 6, cancelled(), () => DATE),
    );
    const refreshed = feeds.tripUpdates(net, changed, now + 6 + HEADER_REFRESH_SECONDS, cancelled(), () => DATE);
    expect(refreshed.timestamp).toBe(now + 6 + HEADER_REFRESH_SECONDS);
    expect(refreshed.etag).not.toBe(next.etag);
    expect(feeds.tripUpdates(net, changed, now + 1, cancelled(), () => DATE)).toBe(refreshed); // the clock going back changes nothing (E018)
    const vp = feeds.vehiclePositions(net, vehicles, now, cancelled());
    expect(vp.lastModified).toBe(new Date(now * 1000).toUTCString());
    expect(vp.etag).not.toBe(first.etag);
  });

  it('conditional requests: If-None-Match (any of a list, weak or strong, *) wins over If-Modified-Since', () => {
    const etag = '"abc-1"';
    expect(notModified({ 'if-none-match': etag }, etag, now)).toBe(true);
    expect(notModified({ 'if-none-match': `"x", W/${etag}` }, etag, now)).toBe(true);
    expect(notModified({ 'if-none-match': '*' }, etag, now)).toBe(true);
    expect(notModified({ 'if-none-match': '"abc-2"', 'if-modified-since': new Date(now * 1000).toUTCString() }, etag, now)).toBe(false);
    expect(notModified({ 'if-modified-since': new Date(now * 1000).toUTCString() }, etag, now)).toBe(true);
    expect(notModified({ 'if-modified-since': new Date((now - 1) * 1000).toUTCString() }, etag, now)).toBe(false);
    expect(notModified({ 'if-modified-since': 'not a date' }, etag, now)).toBe(false);
    expect(notModified({}, etag, now)).toBe(false);
  });

  it("the live engine never changes a vehicle's stop time updates in place (the cache keys on the array)", () => {
    const net5A = loadGtfsZip(sharedTransitData('wmata-transitclock-avl/gtfs-5A.zip'), 'bus-group');
    const trace = readAvlCsv(sharedTransitData('wmata-transitclock-avl/avl/5A_8062.csv'), 'America/New_York').slice(0, 60);
    const engine = new LiveEngine({});
    engine.setNetwork(net5A);
    const seen = new Map<LiveVehicle['stopTimeUpdates'], string>();
    let predicted = 0;
    for (const p of trace) {
      engine.ingest('bus-group', [p]);
      const [v] = engine.liveVehicles(p.timestamp);
      if (v!.stopTimeUpdates.length) predicted++;
      seen.set(v!.stopTimeUpdates, JSON.stringify(v!.stopTimeUpdates));
      for (const [array, was] of seen) expect(JSON.stringify(array)).toBe(was);
    }
    expect(predicted).toBeGreaterThan(30);
    expect(seen.size).toBeGreaterThan(30);
  });
});

describe('GTFS-Realtime endpoints', () => {
  it('serve protobuf and JSON built from the live engine, stable within a second (E017, E018)', async () => {
    const operator = await createUser(ctx, { kind: 'staff', departmentCode: 'bus-group', roles: ['operator'] });
    invalidateNetwork(ctx);
    await reloadLiveNetworks(ctx);
    const trip = net.trips.get('1')!;
    const shape = net.shapes.get(trip.shapeId)!;
    const t = serviceDayStart('20170911', 'America/New_York') + 10 * 3600;
    const res = await app.inject({
      method: 'POST',
      url: '/api/v1/transit/positions',
      headers: { authorization: operator.authorization },
      payload: { positions: [{ vehicleId: 'bus-7', timestamp: t, lat: shape.lats[3], lon: shape.lons[3], bearing: 45, routeId: 'A' }] },
    });
    expect(res.statusCode).toBe(202);
    for (const path of ['/gtfs-rt/vehicle-positions.pb', '/gtfs-rt/trip-updates.pb', '/gtfs-rt/alerts.pb']) {
      const a = await app.inject({ url: path });
      expect(a.statusCode).toBe(200);
      expect(a.headers['content-type']).toBe('application/x-protobuf');
      const feed = FeedMessage.toObject(FeedMessage.decode(a.rawPayload), { longs: Number }) as FeedMessage;
      expect(feed.header!.timestamp).toBe(t);
      expect(checkFeed(feed, net, t)).toEqual([]);
      const b = await app.inject({ url: path });
      const again = FeedMessage.toObject(FeedMessage.decode(b.rawPayload), { longs: Number }) as FeedMessage;
      const prev = { feed, bytes: a.rawPayload.toString('base64'), currentBytes: b.rawPayload.toString('base64') };
      expect(checkFeed(again, net, t, prev).map((v) => v.rule)).toEqual([]);
      const json = await app.inject({ url: `${path}?format=json` });
      expect(json.json<{ header: { incrementality: string } }>().header.incrementality).toBe('FULL_DATASET');
    }
    const vps = FeedMessage.decode((await app.inject({ url: '/gtfs-rt/vehicle-positions.pb' })).rawPayload);
    expect(vps.entity.map((e) => e.vehicle?.vehicle?.id)).toContain('bus-7');

    // A poller that has the feed gets 304 and no body, by ETag or by Last-Modified; the JSON copy has its own ETag.
    const etags = new Map<string, string>();
    for (const path of ['/gtfs-rt/vehicle-positions.pb', '/gtfs-rt/trip-updates.pb', '/gtfs-rt/alerts.pb']) {
      const a = await app.inject({ url: path });
      const etag = a.headers.etag as string;
      expect(etag).toMatch(/^"[^"]+"$/);
      expect(a.headers['last-modified']).toBe(new Date(t * 1000).toUTCString());
      etags.set(path, etag);
      const b = await app.inject({ url: path, headers: { 'if-none-match': etag } });
      expect(b.statusCode).toBe(304);
      expect(b.rawPayload.length).toBe(0);
      expect(b.headers.etag).toBe(etag);
      expect((await app.inject({ url: path, headers: { 'if-modified-since': a.headers['last-modified'] as string } })).statusCode).toBe(304);
      const json = await app.inject({ url: `${path}?format=json`, headers: { 'if-none-match': etag } });
      expect(json.statusCode).toBe(200);
      expect(json.headers.etag).not.toBe(etag);
      expect((await app.inject({ url: `${path}?format=json`, headers: { 'if-none-match': json.headers.etag as string } })).statusCode).toBe(304);
    }
    // The bus moves (the replay clock with it): the positions feed has a new ETag, and the old one gets the feed.
    const moved = await app.inject({
      method: 'POST',
      url: '/api/v1/transit/positions',
      headers: { authorization: operator.authorization },
      payload: { positions: [{ vehicleId: 'bus-7', timestamp: t + 20, lat: shape.lats[4], lon: shape.lons[4], bearing: 45, routeId: 'A' }] },
    });
    expect(moved.statusCode).toBe(202);
    const after = await app.inject({ url: '/gtfs-rt/vehicle-positions.pb', headers: { 'if-none-match': etags.get('/gtfs-rt/vehicle-positions.pb')! } });
    expect(after.statusCode).toBe(200);
    expect(after.headers.etag).not.toBe(etags.get('/gtfs-rt/vehicle-positions.pb'));
    const feed = FeedMessage.toObject(FeedMessage.decode(after.rawPayload), { longs: Number }) as FeedMessage;
    expect(feed.header!.timestamp).toBe(t + 20);
    expect(feed.entity!.find((e) => e.vehicle?.vehicle?.id === 'bus-7')?.vehicle?.timestamp).toBe(t + 20);
    expect(checkFeed(feed, net, t + 20)).toEqual([]);
    // Alerts did not change: the same content, time and ETag.
    expect((await app.inject({ url: '/gtfs-rt/alerts.pb', headers: { 'if-none-match': etags.get('/gtfs-rt/alerts.pb')! } })).statusCode).toBe(304);

    // The readable copy is made again at most every jsonCopySeconds: 5 s later it is the previous copy (its own
    // feed's time and ETag), 10 s after that the new one.
    const jsonOf = async () => {
      const r = await app.inject({ url: '/gtfs-rt/vehicle-positions.pb?format=json' });
      const body = r.json<{ header: { timestamp: number } }>();
      return { etag: r.headers.etag as string, timestamp: body.header.timestamp, lastModified: r.headers['last-modified'] };
    };
    const first = await jsonOf();
    expect(first.timestamp).toBe(t + 20);
    const move = async (dt: number, i: number) =>
      expect(
        (
          await app.inject({
            method: 'POST',
            url: '/api/v1/transit/positions',
            headers: { authorization: operator.authorization },
            payload: { positions: [{ vehicleId: 'bus-7', timestamp: t + dt, lat: shape.lats[i], lon: shape.lons[i], bearing: 45, routeId: 'A' }] },
          })
        ).statusCode,
      ).toBe(202);
    await move(20 + jsonCopySeconds / 2, 5);
    const pb = FeedMessage.decode((await app.inject({ url: '/gtfs-rt/vehicle-positions.pb' })).rawPayload);
    expect(Number(pb.header.timestamp)).toBe(t + 20 + jsonCopySeconds / 2);
    expect(await jsonOf()).toEqual(first);
    await move(20 + jsonCopySeconds, 6);
    const fresh = await jsonOf();
    expect(fresh.timestamp).toBe(t + 20 + jsonCopySeconds);
    expect(fresh.etag).not.toBe(first.etag);
  });
});
