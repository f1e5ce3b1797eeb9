import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { strToU8, zipSync } from 'fflate';
import { eq } from 'drizzle-orm';
import { createTestApp, TestClient, type TestContext } from '../../../test/helpers.js';
import { createUser, type TestUser } from '../../../test/factories.js';
import type { App } from '../../platform/http/types.js';
import { reloadLiveNetworks } from './live/index.js';
import { importGtfs } from './transit.import.js';
import { arrivalSubscriptions, vehicleAssignments } from './transit.schema.js';
import { checkSubscriptions, invalidateNetwork, networkOf } from './transit.service.js';
import { serviceDayStart } from './transit.time.js';

const bullrunner = readFileSync(new URL('./demo/bullrunner-gtfs.zip', import.meta.url));
// Monday 11 September 2017, 10:00 in Tampa: Bull Runner route A runs every 10 minutes.
const T0 = serviceDayStart('20170911', 'America/New_York') + 10 * 3600;

let app: App;
let ctx: TestContext;
let operator: TestUser;
let otherOperator: TestUser;
let citizen: TestUser;
let stopA = '';
let tripA = '';

/** A browser signed in as the user. */
function as(user: TestUser): TestClient {
  const c = new TestClient(app);
  const [k, v] = user.cookie.split('=');
  c.cookies.set(k!, v!);
  return c;
}

async function postPositions(positions: object[]) {
  const res = await app.inject({
    method: 'POST',
    url: '/api/v1/transit/positions',
    headers: { authorization: operator.authorization },
    payload: { positions },
  });
  expect(res.statusCode, res.body).toBe(202);
}

beforeAll(async () => {
  ({ app, ctx } = await createTestApp({ env: { TRANSIT_CLOCK: 'replay' } }));
  const r = await importGtfs(ctx.db, bullrunner, { agencyCode: 'bus-group', sourceName: 'bullrunner-gtfs.zip', audit: { actorType: 'system' } });
  expect(r.ok).toBe(true);
  invalidateNetwork(ctx);
  await reloadLiveNetworks(ctx);
  operator = await createUser(ctx, { kind: 'staff', departmentCode: 'bus-group', roles: ['operator'] });
  otherOperator = await createUser(ctx, { kind: 'staff', departmentCode: 'xinjin-transport', roles: ['operator'] });
  citizen = await createUser(ctx);
  const net = await networkOf(ctx);
  const trip = net.tripsByRoute.get('A')![0]!;
  tripA = trip.id;
  stopA = trip.stopTimes[3]!.stopId;
  // A bus on route A, a little before stopA, at T0: the replay clock is now T0.
  const shape = net.shapes.get(trip.shapeId)!;
  const i = Math.max(0, Math.floor(shape.lats.length * 0.05));
  await postPositions([{ vehicleId: 'bus-1', timestamp: T0, lat: shape.lats[i], lon: shape.lons[i], routeId: 'A' }]);
}, 60_000);
afterAll(async () => {
  await app.close();
  await ctx.cleanup();
});

describe('rider pages', () => {
  it('the transit home lists routes and finds stops by name, in zh-CN and en', async () => {
    const zh = await app.inject({ url: '/transit' });
    expect(zh.statusCode).toBe(200);
    expect(zh.body).toContain('公交出行');
    expect(zh.body).toContain('href="/transit/routes/A"');
    const net = await networkOf(ctx);
    const name = net.stops.get(stopA)!.name;
    const word = name.split(/\s+/)[0]!;
    const en = await app.inject({ url: `/transit?lang=en&q=${encodeURIComponent(word)}` });
    expect(en.statusCode).toBe(200);
    expect(en.body).toContain('Stops matching');
    expect(en.body).toContain(`href="/transit/stops/${encodeURIComponent(stopA)}"`);
  });

  it('an empty search and a bad location re-render with errors (400), keeping the input', async () => {
    const empty = await app.inject({ url: '/transit?lang=en&q=' });
    expect(empty.statusCode).toBe(400);
    expect(empty.body).toContain('Enter a stop name.');
    const bad = await app.inject({ url: '/transit?lang=en&lat=north&lon=200' });
    expect(bad.statusCode).toBe(400);
    expect(bad.body).toContain('Latitude must be a number');
    expect(bad.body).toContain('Longitude must be a number');
    expect(bad.body).toContain('value="north"');
  });

  it('nearby stops by location are ordered by distance', async () => {
    const net = await networkOf(ctx);
    const s = net.stops.get(stopA)!;
    const res = await app.inject({ url: `/transit?lang=en&lat=${s.lat.toFixed(5)}&lon=${s.lon.toFixed(5)}` });
    expect(res.statusCode).toBe(200);
    const first = /<section aria-labelledby="nearby-title">[\s\S]*?<li><a href="\/transit\/stops\/([^"]+)"/.exec(res.body);
    expect(decodeURIComponent(first![1]!)).toBe(stopA);
    expect(res.body).toMatch(/ 0 m|· [0-9] m/);
  });

  it('the stop page lists the next arrivals with live or scheduled, in both languages', async () => {
    const en = await app.inject({ url: `/transit/stops/${encodeURIComponent(stopA)}?lang=en` });
    expect(en.statusCode).toBe(200);
    expect(en.body).toContain('Next arrivals');
    expect(en.body).toMatch(/<td><a href="\/transit\/routes\/A">A<\/a><\/td>/);
    expect(en.body).toMatch(/Live|Scheduled/);
    const zh = await app.inject({ url: `/transit/stops/${encodeURIComponent(stopA)}` });
    expect(zh.body).toContain('即将到站');
    expect(zh.body).toMatch(/实时|计划/);
  });

  it('an unknown stop or route is a 404 page', async () => {
    expect((await app.inject({ url: '/transit/stops/no-such-stop' })).statusCode).toBe(404);
    expect((await app.inject({ url: '/transit/routes/no-such-route' })).statusCode).toBe(404);
  });

  it('the route page draws the shape and stops as inline SVG and names the live-map island', async () => {
    const res = await app.inject({ url: '/transit/routes/A?lang=en' });
    expect(res.statusCode).toBe(200);
    expect(res.body).toMatch(/<svg id="route-map"[^>]*role="img"/);
    expect(res.body).toMatch(/<path d="M[\d.]+,[\d.]+ L/);
    expect(res.body).toContain('data-events="/api/v1/transit/routes/A/vehicles/events"');
    expect(res.body).toContain('src="/static/transit/route-map.js"');
    expect((res.body.match(/<circle /g) ?? []).length).toBeGreaterThan(5);
    const js = await app.inject({ url: '/static/transit/route-map.js' });
    expect(js.statusCode).toBe(200);
    expect(js.headers['content-type']).toContain('javascript');
  });
});

describe('operators: alerts, cancellations, assignments, uploads', () => {
  const consoleUrl = '/staff/transit/bus-group?lang=en';
  const alertFields = (over: Record<string, string>) => ({
    kind: 'detour',
    routeId: '',
    stopId: '',
    tripId: '',
    headerZh: '绕行',
    headerEn: 'Detour on Fowler Ave',
    descriptionZh: '',
    descriptionEn: '',
    startsAt: '2017-09-11T00:00',
    endsAt: '',
    ...over,
  });

  it('only the agency’s operators (and its admin) may open its console', async () => {
    const mine = as(operator);
    expect((await mine.get(consoleUrl)).statusCode).toBe(200);
    const other = as(otherOperator);
    expect((await other.get(consoleUrl)).statusCode).toBe(403);
    const rider = as(citizen);
    expect((await rider.get(consoleUrl)).statusCode).toBe(403);
    const admin = await createUser(ctx, { kind: 'staff', departmentCode: 'bus-group', roles: ['dept_admin'] });
    expect((await as(admin).get(consoleUrl)).statusCode).toBe(200);
  });

  it('a bad alert re-renders with errors and keeps the input', async () => {
    const c = as(operator);
    const res = await c.submit(
      consoleUrl,
      '/staff/transit/bus-group/alerts?lang=en',
      alertFields({ routeId: 'ZZZ', headerEn: 'kept text', startsAt: 'tomorrow' }),
    );
    expect(res.statusCode).toBe(400);
    expect(res.body).toContain('This route is not in the current timetable');
    expect(res.body).toContain('Enter the start like');
    expect(res.body).toContain('value="kept text"');
    const noTarget = await c.submit(consoleUrl, '/staff/transit/bus-group/alerts?lang=en', alertFields({}));
    expect(noTarget.statusCode).toBe(400);
    expect(noTarget.body).toContain('Fill in a route, a stop or a trip');
  });

  it('a detour alert on a route shows on its pages and in alerts.pb', async () => {
    const c = as(operator);
    const res = await c.submit(consoleUrl, '/staff/transit/bus-group/alerts', alertFields({ routeId: 'A' }));
    expect(res.statusCode).toBe(303);
    const page = await app.inject({ url: '/transit/routes/A?lang=en' });
    expect(page.body).toContain('Detour on Fowler Ave');
    const stop = await app.inject({ url: `/transit/stops/${encodeURIComponent(stopA)}?lang=en` });
    expect(stop.body).toContain('Detour on Fowler Ave');
    const json = (await app.inject({ url: '/gtfs-rt/alerts.pb?format=json' })).json<{ entity: { alert: { effect: string } }[] }>();
    expect(json.entity.map((e) => e.alert.effect)).toContain('DETOUR');
  });

  it('a cancelled trip shows as cancelled, not as a bus on its way, and as CANCELED in trip-updates.pb', async () => {
    const net = await networkOf(ctx);
    const stopTrips = new Set((net.tripsByStop.get(stopA) ?? []).map((t) => t.id));
    expect(stopTrips.has(tripA)).toBe(true);
    const c = as(operator);
    const res = await c.submit(consoleUrl, '/staff/transit/bus-group/alerts', alertFields({ kind: 'cancellation', tripId: tripA, headerEn: 'Trip cancelled' }));
    expect(res.statusCode).toBe(303);
    const stop = await app.inject({ url: `/transit/stops/${encodeURIComponent(stopA)}?lang=en` });
    expect(stop.body).toContain('<strong>Cancelled</strong>');
    const tu = (await app.inject({ url: '/gtfs-rt/trip-updates.pb?format=json' })).json<{
      entity: { tripUpdate: { trip: { tripId: string; scheduleRelationship: string } } }[];
    }>();
    expect(tu.entity.some((e) => e.tripUpdate.trip.tripId === tripA && e.tripUpdate.trip.scheduleRelationship === 'CANCELED')).toBe(true);
  });

  it('assigning a vehicle to a block checks the block and is kept', async () => {
    const c = as(operator);
    const bad = await c.submit(consoleUrl, '/staff/transit/bus-group/assignments?lang=en', { vehicleId: 'bus-9', blockId: 'no-block' });
    expect(bad.statusCode).toBe(400);
    expect(bad.body).toContain('This block is not in the current timetable');
    const badVehicle = await c.submit(consoleUrl, '/staff/transit/bus-group/assignments', { vehicleId: '', blockId: '' });
    expect(badVehicle.statusCode).toBe(400);
    const ok = await c.submit(consoleUrl, '/staff/transit/bus-group/assignments', { vehicleId: 'bus-9', blockId: '' });
    expect(ok.statusCode).toBe(303);
    expect(await ctx.db.select().from(vehicleAssignments).where(eq(vehicleAssignments.vehicleId, 'bus-9'))).toEqual([]);
  });

  it('uploading a broken feed lists its problems and keeps the timetable; a good one replaces it', async () => {
    const c = as(operator);
    const token = await c.csrf(consoleUrl);
    const send = (bytes: Uint8Array) => {
      const boundary = '----transit' + Math.random().toString(16).slice(2);
      const body = Buffer.concat([
        Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="feed"; filename="feed.zip"\r\nContent-Type: application/zip\r\n\r\n`),
        Buffer.from(bytes),
        Buffer.from(`\r\n--${boundary}--\r\n`),
      ]);
      return c.request('POST', `/staff/transit/bus-group/feeds?_csrf=${encodeURIComponent(token)}`, body as unknown as string, {
        'content-type': `multipart/form-data; boundary=${boundary}`,
      });
    };
    const before = (await networkOf(ctx)).feeds[0]!.feedId;
    const broken = await send(zipSync({ 'agency.txt': strToU8('agency_name,agency_url,agency_timezone\nX,http://x,Asia/Shanghai\n') }));
    expect(broken.statusCode).toBe(400);
    expect(broken.body).toContain('stops.txt');
    expect(broken.body).toContain('required file is missing');
    invalidateNetwork(ctx);
    expect((await networkOf(ctx)).feeds[0]!.feedId).toBe(before);
    const good = await send(bullrunner);
    expect(good.statusCode).toBe(303);
    expect(String(good.headers.location)).toContain('notice=imported');
    expect((await networkOf(ctx)).feeds[0]!.feedId).not.toBe(before);
  });
});

describe('odd input never gives a 500', () => {
  it.each([
    '/transit?q[]=a&q[]=b',
    '/transit?lat=1e400&lon=NaN',
    '/transit?q=' + 'x'.repeat(5000),
    '/transit/stops/%00',
    '/transit/stops/' + 'x'.repeat(300),
    '/transit/routes/%E2%80%AE',
    '/gtfs-rt/alerts.pb?format=xml',
  ])('GET %s', async (url) => {
    const res = await app.inject({ url });
    expect(res.statusCode).toBeGreaterThanOrEqual(200);
    expect(res.statusCode).toBeLessThan(500);
  });
  it('posting to the console of another agency is refused, and a bare POST without CSRF too', async () => {
    const c = as(operator);
    const token = await c.csrf('/staff/transit/bus-group');
    const other = await c.request('POST', '/staff/transit/xinjin-transport/alerts', `_csrf=${encodeURIComponent(token)}&kind=detour`, {
      'content-type': 'application/x-www-form-urlencoded',
    });
    expect(other.statusCode).toBe(403);
    const noCsrf = await c.request('POST', '/staff/transit/bus-group/alerts', 'kind=detour', { 'content-type': 'application/x-www-form-urlencoded' });
    expect(noCsrf.statusCode).toBe(403);
    const noFile = await c.request('POST', `/staff/transit/bus-group/feeds?_csrf=${encodeURIComponent(token)}`, `_csrf=${encodeURIComponent(token)}`, {
      'content-type': 'application/x-www-form-urlencoded',
    });
    expect(noFile.statusCode).toBe(400);
  });
});

describe('arrival reminders', () => {
  it('a rider sets a reminder; bad input re-renders; an anonymous visitor is asked to sign in', async () => {
    const anon = await app.inject({ url: `/transit/stops/${encodeURIComponent(stopA)}?lang=en` });
    expect(anon.body).toContain('Sign in to set an arrival reminder');
    const c = as(citizen);
    const url = `/transit/stops/${encodeURIComponent(stopA)}?lang=en`;
    const bad = await c.submit(url, `/transit/stops/${encodeURIComponent(stopA)}/subscriptions?lang=en`, { minutes: '7', routeId: 'NOPE' });
    expect(bad.statusCode).toBe(400);
    expect(bad.body).toContain('Choose when to be reminded');
    expect(bad.body).toContain('Choose a route that calls at this stop');
    const ok = await c.submit(url, `/transit/stops/${encodeURIComponent(stopA)}/subscriptions`, { minutes: '15', routeId: 'A' });
    expect(ok.statusCode).toBe(303);
    const rows = await ctx.db.select().from(arrivalSubscriptions).where(eq(arrivalSubscriptions.userId, citizen.id));
    expect(rows).toHaveLength(1);
    // The check only fires on a live prediction within 15 minutes; it never fires twice.
    const first = await checkSubscriptions(ctx);
    const again = await checkSubscriptions(ctx);
    expect(again).toBe(0);
    const [row] = await ctx.db.select().from(arrivalSubscriptions).where(eq(arrivalSubscriptions.userId, citizen.id));
    expect(row!.notifiedAt !== null).toBe(first === 1);
  });
});
