import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { strToU8, unzipSync, zipSync } from 'fflate';
import { and, eq } from 'drizzle-orm';
import { createTestContext, type TestContext } from '../../../test/helpers.js';
import { importGtfs } from './transit.import.js';
import { loadNetwork } from './transit.network.js';
import { feeds, stopTimes } from './transit.schema.js';
import { sharedTransitData } from './transit.testkit.js';

const bullrunner = readFileSync(new URL('./demo/bullrunner-gtfs.zip', import.meta.url));
const audit = { actorType: 'system' as const };

/** A copy of a feed with some files replaced (undefined = removed). */
function alter(zip: Buffer, changes: Record<string, string | undefined>): Buffer {
  const files = new Map(Object.entries(unzipSync(new Uint8Array(zip))));
  for (const [name, text] of Object.entries(changes)) {
    if (text === undefined) files.delete(name);
    else files.set(name, strToU8(text));
  }
  return Buffer.from(zipSync(Object.fromEntries(files)));
}
function fileOf(zip: Buffer, name: string): string {
  return Buffer.from(unzipSync(new Uint8Array(zip))[name]!).toString('utf8');
}

let ctx: TestContext;
beforeAll(async () => {
  ctx = await createTestContext();
});
afterAll(async () => {
  await ctx.cleanup();
});

describe('GTFS import', () => {
  it('imports the Bull Runner feed: frequencies, header with spaces, no agency_id', async () => {
    const r = await importGtfs(ctx.db, bullrunner, { agencyCode: 'bus-group', sourceName: 'bullrunner-gtfs.zip', audit });
    expect(r.problems.filter((p) => p.severity === 'error')).toEqual([]);
    expect(r.ok).toBe(true);
    expect(r.counts).toMatchObject({ agencies: 1, routes: 6, stops: 125, trips: 15, stopTimes: 473 });
    expect(r.counts.frequencies).toBeGreaterThan(0);
    const net = await loadNetwork(ctx.db, 'bus-group');
    expect(net.feeds[0]!.timezone).toBe('America/New_York');
    const trip = net.trips.get('1')!;
    expect(trip.frequencies[0]).toMatchObject({ startTime: 7 * 3600, headwaySecs: 600, exactTimes: 0 });
    // Stops are projected onto the shape in order: distances never go back.
    for (const t of net.trips.values()) {
      for (let i = 1; i < t.stopTimes.length; i++) expect(t.stopTimes[i]!.dist).toBeGreaterThanOrEqual(t.stopTimes[i - 1]!.dist);
      const shape = net.shapes.get(t.shapeId)!;
      expect(t.stopTimes.at(-1)!.dist).toBeLessThanOrEqual(shape.length + 1e-6);
    }
    // Mo service runs on a Monday in range and not on a Sunday.
    expect(net.servicesActiveOn('20170911').has('bus-group:Mo')).toBe(true);
    expect(net.servicesActiveOn('2017-09-10').has('bus-group:Mo')).toBe(false);
  });

  it('imports Collins Coaches: BOM in calendar.txt, every value quoted, shape_dist_traveled in the feed', async () => {
    const r = await importGtfs(ctx.db, readFileSync(sharedTransitData('collins-coaches-ie/collins.zip')), {
      agencyCode: 'xinjin-transport',
      sourceName: 'collins.zip',
      audit,
    });
    expect(r.ok).toBe(true);
    expect(r.counts).toMatchObject({ routes: 1, stops: 26, trips: 56, stopTimes: 617 });
    const net = await loadNetwork(ctx.db, 'xinjin-transport');
    expect(net.servicesActiveOn('20160104').size).toBeGreaterThan(0); // the BOM did not eat the first column
    const t = [...net.trips.values()][0]!;
    expect(t.stopTimes[0]!.arrival).toBeGreaterThan(0);
    // The feed's shape_dist_traveled was mapped to metres along the shape.
    expect(t.stopTimes.at(-1)!.dist).toBeGreaterThan(1000);
    const offsets = t.stopTimes.map((s) => s.offset).sort((a, b) => a - b);
    expect(offsets[Math.floor(offsets.length / 2)]).toBeLessThan(50);
  });

  it('imports the cut-down WMATA feed (154,763 stop times) and reports nothing fatal', async () => {
    const r = await importGtfs(ctx.db, sharedTransitData('wmata-oba-gtfsrt/cut.zip'), { agencyCode: 'wmata-test', sourceName: 'cut.zip', audit });
    expect(r.problems.filter((p) => p.severity === 'error')).toEqual([]);
    expect(r.counts).toMatchObject({ routes: 14, stops: 956, stopTimes: 154763 });
    const [{ n } = { n: 0 }] = (await ctx.database.query('select count(*)::int as n from transit_stop_times where feed_id = $1', [r.feedId])).rows as {
      n: number;
    }[];
    expect(n).toBe(154763);
  }, 240_000);

  it('a re-import replaces the feed atomically and a broken one leaves the active version alone', async () => {
    const before = await loadNetwork(ctx.db, 'bus-group');
    const again = await importGtfs(ctx.db, bullrunner, { agencyCode: 'bus-group', sourceName: 'again.zip', audit });
    expect(again.ok).toBe(true);
    const active = await ctx.db
      .select()
      .from(feeds)
      .where(and(eq(feeds.agencyCode, 'bus-group'), eq(feeds.active, true)));
    expect(active.map((f) => f.id)).toEqual([again.feedId]);
    expect(again.version).toBe(before.feeds[0]!.version + 1);

    const broken = alter(bullrunner, { 'stop_times.txt': fileOf(bullrunner, 'stop_times.txt') + '1,25:99:00,25:99:00,nowhere,999\n' });
    const r = await importGtfs(ctx.db, broken, { agencyCode: 'bus-group', sourceName: 'broken.zip', audit });
    expect(r.ok).toBe(false);
    const after = await loadNetwork(ctx.db, 'bus-group');
    expect(after.feeds[0]!.feedId).toBe(again.feedId);
    // Nothing of the broken version was written.
    expect(await ctx.db.select().from(stopTimes).where(eq(stopTimes.feedId, r.feedId))).toEqual([]);
    const [failed] = await ctx.db.select().from(feeds).where(eq(feeds.id, r.feedId));
    expect(failed!.status).toBe('failed');
    expect(failed!.problems.length).toBeGreaterThan(0);
  });
});

describe('GTFS import: broken feeds get a report, not a crash', () => {
  const cases: [string, Buffer, { file: string; line?: number; message: RegExp }][] = [
    ['not a zip', Buffer.from('this is not a zip file at all'), { file: '(zip)', message: /not a readable zip/ }],
    ['a truncated zip', bullrunner.subarray(0, 5000), { file: '(zip)', message: /not a readable zip/ }],
    ['stops.txt missing', alter(bullrunner, { 'stops.txt': undefined }), { file: 'stops.txt', message: /required file is missing/ }],
    ['no calendar at all', alter(bullrunner, { 'calendar.txt': undefined }), { file: 'calendar.txt', message: /calendar_dates/ }],
    ['a missing column', alter(bullrunner, { 'routes.txt': 'route_id,route_short_name\nA,A\n' }), { file: 'routes.txt', line: 1, message: /route_type/ }],
    [
      'an unclosed quote',
      alter(bullrunner, { 'agency.txt': 'agency_name,agency_url,agency_timezone\n"USF Bull Runner,http://x,America/New_York\n' }),
      { file: 'agency.txt', message: /cannot be read/ },
    ],
    [
      'a bad time zone',
      alter(bullrunner, { 'agency.txt': 'agency_name,agency_url,agency_timezone\nX,http://x,Mars/Olympus\n' }),
      { file: 'agency.txt', line: 2, message: /not a known time zone/ },
    ],
    [
      'a stop without coordinates',
      alter(bullrunner, { 'stops.txt': fileOf(bullrunner, 'stops.txt').trimEnd() + '\nZZ,,Nowhere,,abc,\n' }),
      { file: 'stops.txt', message: /no valid stop_lat/ },
    ],
    [
      'departure before arrival',
      alter(bullrunner, { 'stop_times.txt': fileOf(bullrunner, 'stop_times.txt').trimEnd() + '\n1,10:00:00,09:00:00,' + firstStop() + ',900\n' }),
      { file: 'stop_times.txt', message: /departure_time is before arrival_time/ },
    ],
    [
      'a trip of an unknown route',
      alter(bullrunner, { 'trips.txt': fileOf(bullrunner, 'trips.txt').trimEnd() + '\nNOPE,Mo,99,0\n' }),
      { file: 'trips.txt', message: /route_id "NOPE" is not in routes.txt/ },
    ],
    [
      'a bad headway',
      alter(bullrunner, { 'frequencies.txt': 'trip_id,start_time,end_time,headway_secs\n1,07:00:00,08:00:00,0\n' }),
      { file: 'frequencies.txt', line: 2, message: /headway_secs/ },
    ],
  ];
  function firstStop(): string {
    return fileOf(bullrunner, 'stops.txt').split(/\r?\n/)[1]!.split(',')[0]!;
  }
  for (const [name, zip, expected] of cases) {
    it(`${name}`, async () => {
      const r = await importGtfs(ctx.db, zip, { agencyCode: 'broken-test', sourceName: `${name}.zip`, audit });
      expect(r.ok).toBe(false);
      const p = r.problems.find((x) => x.severity === 'error' && x.file === expected.file && expected.message.test(x.message));
      expect(p, JSON.stringify(r.problems)).toBeDefined();
      if (expected.line !== undefined) expect(p!.line).toBe(expected.line);
    });
  }

  it('stop times of trips missing from trips.txt are skipped with a warning', async () => {
    const zip = alter(bullrunner, { 'stop_times.txt': fileOf(bullrunner, 'stop_times.txt').trimEnd() + '\nGHOST,10:00:00,10:00:00,' + firstStop() + ',1\n' });
    const r = await importGtfs(ctx.db, zip, { agencyCode: 'ghost-test', sourceName: 'ghost.zip', audit });
    expect(r.ok).toBe(true);
    expect(r.problems.some((p) => p.severity === 'warning' && /trip_id\(s\) are not in trips.txt \(first "GHOST"\)/.test(p.message))).toBe(true);
    expect(r.counts.stopTimes).toBe(473);
  });
});
