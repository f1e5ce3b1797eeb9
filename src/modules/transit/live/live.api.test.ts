import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { readFileSync } from 'node:fs';
import mqtt from 'mqtt';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestContext } from '../../../../test/helpers.js';
import { createUser, waitFor, type TestUser } from '../../../../test/factories.js';
import type { App } from '../../../platform/http/types.js';
import { sharedTransitData } from '../transit.testkit.js';
import { livePositions } from './live.schema.js';
import { liveOf, purgeOldPositions, startLive } from './live.service.js';
import { loadGtfsZip } from './live.gtfs-zip.js';
import { readAvlCsv } from './live.avl.js';
import { pollVehiclePositions } from './live.gtfsrt.js';
import { startMqttIngest, positionsTopic } from './live.mqtt.js';
import { replay } from './live.replay.js';
import { latestPositions, PositionStore, purgePositions } from './live.store.js';
import type { LiveVehicle, PositionInput } from './live.types.js';
import { arrivalsAt, liveVehicles, transitClock } from './index.js';
import { identityModule } from '../../identity/index.js';

const wmata = (f: string) => sharedTransitData(`wmata-transitclock-avl/${f}`);
const trace = readAvlCsv(wmata('avl/5A_8062.csv'), 'America/New_York');
const net5A = loadGtfsZip(wmata('gtfs-5A.zip'), 'bus-group');

let app: App;
let ctx: TestContext;
let operator: TestUser;
let otherOperator: TestUser;
let clerk: TestUser;
let citizen: TestUser;

const post = (authorization: string | undefined, payload: unknown) =>
  app.inject({ method: 'POST', url: '/api/v1/transit/positions', headers: authorization ? { authorization } : {}, payload: payload as object });

beforeAll(async () => {
  ({ app, ctx } = await createTestApp());
  liveOf(ctx).setNetwork(net5A);
  operator = await createUser(ctx, { kind: 'staff', departmentCode: 'bus-group', roles: ['operator'] });
  otherOperator = await createUser(ctx, { kind: 'staff', departmentCode: 'xinjin-transport', roles: ['operator'] });
  clerk = await createUser(ctx, { kind: 'staff', departmentCode: 'bus-group', roles: ['clerk'] });
  citizen = await createUser(ctx);
}, 60_000);

afterAll(async () => {
  await app.close();
  await ctx.cleanup();
});

// Positions from 2016 are "from the future" for no one; the live clock accepts them (only > 5 min ahead is refused).
describe('POST /api/v1/transit/positions', () => {
  it('takes an operator’s batch (202) and is idempotent by vehicle and timestamp', async () => {
    const batch = { positions: trace.slice(0, 20) };
    const first = await post(operator.authorization, batch);
    expect(first.statusCode).toBe(202);
    expect(first.json()).toEqual({ accepted: 20, fresh: 20, duplicates: 0 });
    const again = await post(operator.authorization, batch);
    expect(again.statusCode).toBe(202);
    expect(again.json()).toEqual({ accepted: 20, fresh: 0, duplicates: 20 });
    await liveOf(ctx).store.flush();
    const rows = await ctx.db.select().from(livePositions);
    expect(rows.filter((r) => r.vehicleId === '8062')).toHaveLength(20);
    expect(rows[0]!.agencyCode).toBe('bus-group');
    expect(rows.find((r) => r.recordedAt === trace[19]!.timestamp)!.matchedTripId).toBeTruthy();
    // The newest stored position of each vehicle is what a restart rebuilds the live state from.
    const latest = await latestPositions(ctx.db, 0);
    expect(latest.find((p) => p.vehicleId === '8062')!.timestamp).toBe(trace[19]!.timestamp);
  });

  it('lets the demo sign-ins bus-group.operator and xinjin-transport.operator post with their API session', async () => {
    await identityModule.seed!(ctx);
    for (const login of ['bus-group.operator', 'xinjin-transport.operator']) {
      const session = await app.inject({ method: 'POST', url: '/api/v1/session', payload: { login, password: ctx.config.demoPassword } });
      expect(session.statusCode).toBe(200);
      const token = session.json<{ token: string }>().token;
      const res = await post(`Bearer ${token}`, { positions: [{ ...trace[0]!, vehicleId: `demo-${login}` }] });
      expect(res.statusCode).toBe(202);
      expect(
        liveOf(ctx)
          .engine.allVehicles(login.split('.')[0])
          .some((v) => v.vehicleId === `demo-${login}`),
      ).toBe(true);
    }
  });

  it('refuses anonymous (401), citizens and staff without the operator role (403)', async () => {
    const batch = { positions: trace.slice(20, 21) };
    expect((await post(undefined, batch)).statusCode).toBe(401);
    expect((await post(citizen.authorization, batch)).statusCode).toBe(403);
    const refused = await post(clerk.authorization, batch);
    expect(refused.statusCode).toBe(403);
    expect(refused.headers['content-type']).toContain('application/problem+json');
  });

  it('keeps each operator to its own agency', async () => {
    const res = await post(otherOperator.authorization, { positions: [{ ...trace[0]!, vehicleId: 'x1' }] });
    expect(res.statusCode).toBe(202);
    // (The live clock is 2026's: a 2016 fix is known but not live, hence allVehicles.)
    expect(
      liveOf(ctx)
        .engine.allVehicles('xinjin-transport')
        .map((v) => v.vehicleId),
    ).toContain('x1');
    expect(
      liveOf(ctx)
        .engine.allVehicles('bus-group')
        .some((v) => v.vehicleId === 'x1'),
    ).toBe(false);
    expect(liveVehicles(ctx, 'xinjin-transport')).toEqual([]);
  });

  it.each([
    ['no body', undefined],
    ['no positions', {}],
    ['an empty batch', { positions: [] }],
    ['a missing vehicleId', { positions: [{ timestamp: 1462459509, lat: 38.9, lon: -77 }] }],
    ['a latitude of 91', { positions: [{ vehicleId: 'a', timestamp: 1462459509, lat: 91, lon: -77 }] }],
    ['a longitude of -181', { positions: [{ vehicleId: 'a', timestamp: 1462459509, lat: 38, lon: -181 }] }],
    ['a timestamp in milliseconds', { positions: [{ vehicleId: 'a', timestamp: 1462459509000, lat: 38, lon: -77 }] }],
    ['a text timestamp', { positions: [{ vehicleId: 'a', timestamp: 'yesterday', lat: 38, lon: -77 }] }],
    ['a fractional timestamp', { positions: [{ vehicleId: 'a', timestamp: 1462459509.5, lat: 38, lon: -77 }] }],
    ['a bearing of 400', { positions: [{ vehicleId: 'a', timestamp: 1462459509, lat: 38, lon: -77, bearing: 400 }] }],
    ['a negative speed', { positions: [{ vehicleId: 'a', timestamp: 1462459509, lat: 38, lon: -77, speed: -1 }] }],
    ['an unknown field', { positions: [{ vehicleId: 'a', timestamp: 1462459509, lat: 38, lon: -77, colour: 'red' }] }],
    ['a vehicleId with spaces', { positions: [{ vehicleId: 'a b', timestamp: 1462459509, lat: 38, lon: -77 }] }],
    ['lat 0 lon 0', { positions: [{ vehicleId: 'a', timestamp: 1462459509, lat: 0, lon: 0 }] }],
    ['a timestamp an hour ahead', { positions: [{ vehicleId: 'a', timestamp: Math.floor(Date.now() / 1000) + 3600, lat: 38, lon: -77 }] }],
    ['positions that is not a list', { positions: 'many' }],
  ])('answers problem+json 400 to %s', async (_label, payload) => {
    const res = await post(operator.authorization, payload);
    expect(res.statusCode).toBe(400);
    expect(res.headers['content-type']).toContain('application/problem+json');
    expect(res.json().status).toBe(400);
  });

  it('refuses a batch of more than 5000 positions', async () => {
    const many = Array.from({ length: 5001 }, (_, i) => ({ vehicleId: `b${i}`, timestamp: 1462459509, lat: 38.9, lon: -77 }));
    expect((await post(operator.authorization, { positions: many })).statusCode).toBe(400);
  });
});

describe('the position store', () => {
  const view = (p: PositionInput, tripId: string | null): LiveVehicle =>
    ({ tripId, distanceAlong: 120, delaySeconds: -30, offRoute: tripId === null }) as unknown as LiveVehicle;
  const rowsOf = async (agencyCode: string) =>
    (await ctx.db.select().from(livePositions)).filter((r) => r.agencyCode === agencyCode).sort((a, b) => a.recordedAt - b.recordedAt);

  it('stores texts that need quoting as they are, and a repeated delivery once (COPY on PGlite falls back to the INSERT)', async () => {
    const store = liveOf(ctx).store;
    const odd = [`a"b`, 'back\\slash', 'comma,{brace}', 'line\nbreak', "quote'single", 'NULL', ''];
    const positions: PositionInput[] = odd.map((tripId, i) => ({
      vehicleId: `odd-${i}`,
      timestamp: 1_700_000_000 + i,
      lat: 30.5 + i / 1000,
      lon: 104.1,
      bearing: i % 2 ? 90.5 : undefined,
      tripId,
      blockId: i % 2 ? undefined : `blk"${i}`,
    }));
    await store.flush();
    const writtenBefore = store.written;
    for (const p of positions) store.add('store-odd', p, view(p, p.tripId ?? null));
    await store.flush();
    // The same rows again (a restart replaying a unit's backlog) with one new one: only the new one is added.
    const again = [...positions, { ...positions[0]!, timestamp: 1_700_000_100 }];
    for (const p of again) store.add('store-odd', p, view(p, null));
    await store.flush();
    const rows = await rowsOf('store-odd');
    expect(rows).toHaveLength(odd.length + 1);
    expect(store.written - writtenBefore).toBe(odd.length + again.length);
    rows.slice(0, odd.length).forEach((r, i) => {
      expect(r.vehicleId).toBe(`odd-${i}`);
      expect(r.tripId).toBe(odd[i]);
      expect(r.blockId).toBe(i % 2 ? null : `blk"${i}`);
      expect(r.bearing).toBe(i % 2 ? 90.5 : null);
      expect(r.lat).toBe(30.5 + i / 1000);
      // The first delivery's match is kept.
      expect(r.matchedTripId).toBe(odd[i]);
      expect(r.offRoute).toBe(0);
      expect(r.delaySeconds).toBe(-30);
    });
    expect(rows[odd.length]!.offRoute).toBe(1);
  });

  it('keeps the newest position of each vehicle when its backlog passes the bound, and restarts from them', async () => {
    const store = new PositionStore((text, values) => ctx.database.query(text, values), ctx.log, { maxPending: 10 });
    const fix = (v: number, k: number): PositionInput => ({ vehicleId: `backlog-${v}`, timestamp: 1_700_001_000 + 10 * k, lat: 30.6, lon: 104.0 + k / 1000 });
    // 3 vehicles, 5 fixes each, in time order: the 11th row passes the bound of 10.
    for (let k = 0; k < 5; k++) for (let v = 0; v < 3; v++) store.add('store-backlog', fix(v, k), view(fix(v, k), null));
    expect(store.dropped).toBe(8);
    expect(store.pending).toBe(7);
    await store.flush();
    expect(store.written).toBe(7);
    const latest = (await latestPositions(ctx.db, 0)).filter((p) => p.agencyCode === 'store-backlog');
    expect(latest.map((p) => [p.vehicleId, p.timestamp]).sort()).toEqual([0, 1, 2].map((v) => [`backlog-${v}`, fix(v, 4).timestamp]));
    await store.stop();
  });

  it('deletes positions past TRANSIT_POSITION_RETENTION_HOURS (48 by default) by the wall clock, in batches', async () => {
    const store = liveOf(ctx).store;
    const now = Math.floor(Date.now() / 1000);
    const at = (v: string, hoursAgo: number): PositionInput => ({ vehicleId: v, timestamp: now - hoursAgo * 3600, lat: 30.6, lon: 104.0 });
    for (const [v, h] of [
      ['old-1', 49],
      ['old-2', 72],
      ['kept', 47],
    ] as const)
      store.add('store-retention', at(v, h), view(at(v, h), null));
    await store.flush();
    expect(ctx.config.transitPositionRetentionHours).toBe(48);
    const before = (await rowsOf('store-retention')).length;
    expect(await purgePositions(ctx.db, now - 48 * 3600, 1)).toBeGreaterThanOrEqual(2);
    expect((await rowsOf('store-retention')).map((r) => r.vehicleId)).toEqual(['kept']);
    expect(before).toBe(3);
    expect(await purgeOldPositions(ctx)).toBe(0);
  });
});

describe('GET /api/v1/transit/stops/{stopId}/arrivals', () => {
  it('answers 404 for an unknown stop', async () => {
    const res = await app.inject({ url: '/api/v1/transit/stops/no-such-stop/arrivals' });
    expect(res.statusCode).toBe(404);
    expect(res.headers['content-type']).toContain('application/problem+json');
  });
});

describe('inputs other than the HTTP API', () => {
  it('polls a GTFS-Realtime VehiclePositions feed from a loopback server', async () => {
    const pb = readFileSync(sharedTransitData('usf-bullrunner/bullrunner-vehicle-positions.pb'));
    const server: Server = createServer((req, res) => {
      if (req.url === '/vp.pb') res.writeHead(200, { 'content-type': 'application/x-protobuf' }).end(pb);
      else res.writeHead(404).end();
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    try {
      const result = await pollVehiclePositions(liveOf(ctx), 'xinjin-transport', `${base}/vp.pb`);
      expect(result).toEqual({ accepted: 10, fresh: 10, duplicates: 0, rejected: 0 });
      expect((await pollVehiclePositions(liveOf(ctx), 'xinjin-transport', `${base}/vp.pb`)).fresh).toBe(0);
      expect(
        liveOf(ctx)
          .engine.allVehicles('xinjin-transport')
          .some((v) => v.vehicleId === '1536'),
      ).toBe(true);
      await expect(pollVehiclePositions(liveOf(ctx), 'xinjin-transport', `${base}/missing.pb`)).rejects.toThrow(/404/);
    } finally {
      server.close();
    }
  });

  it('takes positions over MQTT from an operator token, and refuses other tokens and agencies', async () => {
    const url = process.env.MQTT_URL || 'mqtt://127.0.0.1:1883';
    const ingest = await startMqttIngest(ctx, liveOf(ctx), url, { topics: ['servicehall/transit/+/positions', 'servicehall/transit/+/positions/3'] });
    const unit = await mqtt.connectAsync(url, { protocolVersion: 5 });
    try {
      const vehicleId = `mqtt-${Date.now()}`;
      const p = { ...trace[0]!, vehicleId };
      const auth = (token: string) => ({ qos: 1 as const, properties: { userProperties: { authorization: token } } });
      await unit.publishAsync(positionsTopic('bus-group'), JSON.stringify({ positions: [p] }), auth(operator.authorization));
      await waitFor(() =>
        liveOf(ctx)
          .engine.allVehicles('bus-group')
          .some((v) => v.vehicleId === vehicleId),
      );
      const rejectedBefore = ingest.stats.rejected;
      // A token in the payload works too; the wrong agency's operator, a clerk, no token and bad JSON are refused.
      await unit.publishAsync(
        positionsTopic('bus-group'),
        JSON.stringify({ token: operator.authorization.slice(7), positions: [{ ...p, timestamp: p.timestamp + 30 }] }),
        { qos: 1 },
      );
      await unit.publishAsync(positionsTopic('bus-group'), JSON.stringify({ positions: [{ ...p, vehicleId: 'intruder' }] }), auth(otherOperator.authorization));
      await unit.publishAsync(positionsTopic('bus-group'), JSON.stringify({ positions: [{ ...p, vehicleId: 'intruder' }] }), auth(clerk.authorization));
      await unit.publishAsync(positionsTopic('bus-group'), JSON.stringify({ positions: [{ ...p, vehicleId: 'intruder' }] }), { qos: 1 });
      await unit.publishAsync(positionsTopic('bus-group'), '{not json', auth(operator.authorization));
      await unit.publishAsync(positionsTopic('bus-group'), JSON.stringify({ positions: [{ ...p, lat: 95 }] }), auth(operator.authorization));
      await waitFor(() => ingest.stats.rejected - rejectedBefore >= 5);
      await waitFor(
        () =>
          liveOf(ctx)
            .engine.allVehicles('bus-group')
            .find((v) => v.vehicleId === vehicleId)!.timestamp ===
          p.timestamp + 30,
      );
      expect(
        liveOf(ctx)
          .engine.allVehicles()
          .some((v) => v.vehicleId === 'intruder'),
      ).toBe(false);
    } finally {
      await unit.endAsync();
      await ingest.stop();
    }
  });
});

describe('MQTT order', () => {
  it('applies a vehicle’s messages in order when the first waits for its token to be looked up', async () => {
    const url = process.env.MQTT_URL || 'mqtt://127.0.0.1:1883';
    const ingest = await startMqttIngest(ctx, liveOf(ctx), url, { topics: ['servicehall/transit/+/positions/7'] });
    const vehicleId = `mqtt-order-${Date.now()}`;
    const fresh: number[] = [];
    const off = liveOf(ctx).engine.onAccepted((_a, p) => {
      if (p.vehicleId === vehicleId) fresh.push(p.timestamp);
    });
    try {
      const topic = `${positionsTopic('bus-group')}/7`;
      const p = { ...trace[0]!, vehicleId };
      // Messages as the client hands them over (several may come in one turn of the event loop).
      const deliver = (dt: number, token: string) =>
        ingest.client.emit('message', topic, Buffer.from(JSON.stringify({ positions: [{ ...p, timestamp: p.timestamp + dt }] })), {
          cmd: 'publish',
          topic,
          qos: 0,
          dup: false,
          retain: false,
          payload: '',
          properties: { userProperties: { authorization: token } },
        });
      deliver(0, operator.authorization);
      await waitFor(() => fresh.length === 1);
      // The unit's gateway signs in again: a message with the new token (looked up), and right behind it one with
      // the known token (cached).
      const renewed = await createUser(ctx, { kind: 'staff', departmentCode: 'bus-group', roles: ['operator'] });
      deliver(30, renewed.authorization);
      deliver(60, operator.authorization);
      await waitFor(() => fresh.length === 3);
      expect(fresh).toEqual([0, 30, 60].map((dt) => p.timestamp + dt));
    } finally {
      off();
      await ingest.stop();
    }
  });
});

describe('server-sent events and the replay command', () => {
  it('streams a route’s buses as the replay command sends a trace through the HTTP API', async () => {
    const address = await app.listen({ port: 0, host: '127.0.0.1' });
    const routeEvents: { event: string; data: { vehicleId: string; routeId: string } }[] = [];
    const controller = new AbortController();
    const res = await fetch(`${address}/api/v1/transit/routes/5A/vehicles/events`, { signal: controller.signal });
    expect(res.headers.get('content-type')).toContain('text/event-stream');
    const reader = res.body!.getReader();
    const decoder = new TextDecoder();
    let buffer = '';
    const reading = (async () => {
      for (;;) {
        const { value, done } = await reader.read().catch(() => ({ value: undefined, done: true }));
        if (done) return;
        buffer += decoder.decode(value, { stream: true });
        let end: number;
        while ((end = buffer.indexOf('\n\n')) >= 0) {
          const chunk = buffer.slice(0, end);
          buffer = buffer.slice(end + 2);
          const event = /^event: (.+)$/m.exec(chunk)?.[1];
          const data = /^data: (.+)$/m.exec(chunk)?.[1];
          if (event && data) routeEvents.push({ event, data: JSON.parse(data) });
        }
      }
    })();
    try {
      const dir = `/tmp/servicehall-replay-${process.pid}.csv`;
      const lines = readFileSync(wmata('avl/5A_8062.csv'), 'utf8').split('\n');
      const { writeFileSync } = await import('node:fs');
      writeFileSync(dir, [lines[0], ...lines.slice(25, 40)].join('\n'));
      const result = await replay({ target: dir, speed: 0, url: address, token: operator.authorization.slice(7), timeZone: 'America/New_York', batch: 4 });
      expect(result).toEqual({ sent: 15, accepted: 15, requests: 4 });
      await waitFor(() => routeEvents.filter((e) => e.event === 'vehicle').length >= 15);
      expect(routeEvents[0]!.event).toBe('snapshot');
      expect(routeEvents.filter((e) => e.event === 'vehicle').every((e) => e.data.vehicleId === '8062' && e.data.routeId === '5A')).toBe(true);
    } finally {
      controller.abort();
      await reading;
    }
  });
});

describe('TRANSIT_CLOCK=replay', () => {
  let replayApp: App;
  let replayCtx: TestContext;
  beforeAll(async () => {
    ({ app: replayApp, ctx: replayCtx } = await createTestApp({ env: { TRANSIT_CLOCK: 'replay' } }));
    liveOf(replayCtx).setNetwork(net5A);
    const op = await createUser(replayCtx, { kind: 'staff', departmentCode: 'bus-group', roles: ['operator'] });
    expect(transitClock(replayCtx).mode).toBe('replay');
    const res = await replayApp.inject({
      method: 'POST',
      url: '/api/v1/transit/positions',
      headers: { authorization: op.authorization },
      payload: { positions: trace.slice(0, 30) },
    });
    expect(res.statusCode).toBe(202);
  }, 60_000);
  afterAll(async () => {
    await replayApp.close();
    await replayCtx.cleanup();
  });

  it('keeps the stored trace: in replay mode retention counts back from the newest stored position, not from today', async () => {
    await liveOf(replayCtx).store.flush();
    const stored = async () => Number((await replayCtx.database.query('SELECT count(*) AS n FROM transit_live_positions')).rows[0]?.n);
    const n = await stored();
    expect(n).toBeGreaterThan(0);
    expect(await purgeOldPositions(replayCtx)).toBe(0);
    expect(await stored()).toBe(n);
  });

  it('survives a restart: a new instance on the same database rebuilds the vehicles from the stored positions', async () => {
    await liveOf(replayCtx).store.flush();
    const restarted = { ...replayCtx };
    const rt = await startLive(restarted);
    try {
      rt.setNetwork(net5A);
      const v = rt.engine.allVehicles('bus-group').find((x) => x.vehicleId === '8062');
      expect(v?.timestamp).toBe(trace[29]!.timestamp);
      expect(rt.clock.now()).toBe(trace[29]!.timestamp);
    } finally {
      await rt.stop();
    }
  });

  it('takes the time of the newest ingested position, so a 2016 trace predicts as it would have live', async () => {
    expect(transitClock(replayCtx).now()).toBe(trace[29]!.timestamp);
    const [v] = liveVehicles(replayCtx, 'bus-group');
    expect(v!.vehicleId).toBe('8062');
    const stop = v!.stopTimeUpdates[0]!;
    const body = (await replayApp.inject({ url: `/api/v1/transit/stops/${stop.stopId}/arrivals` })).json<{
      arrivals: { vehicleId: string | null; predicted: number; live: boolean }[];
    }>();
    const live = body.arrivals.find((a) => a.vehicleId === '8062')!;
    expect(live.live).toBe(true);
    expect(live.predicted).toBe(stop.arrival);
    expect(live.predicted).toBeGreaterThan(trace[29]!.timestamp);
  });

  it('answers the contract: live arrivals of the matched bus and scheduled ones, in unix seconds', async () => {
    const now = trace[29]!.timestamp;
    expect(transitClock(replayCtx).now()).toBe(now);
    const v = liveVehicles(replayCtx, 'bus-group').find((x) => x.vehicleId === '8062')!;
    const next = v.stopTimeUpdates[0]!;
    const expected = arrivalsAt(replayCtx, next.stopId, now);
    expect(expected.some((a) => a.live && a.vehicleId === '8062' && a.tripId === v.tripId)).toBe(true);
    const res = await replayApp.inject({ url: `/api/v1/transit/stops/${next.stopId}/arrivals` });
    expect(res.statusCode).toBe(200);
    const body = res.json<{
      stopId: string;
      arrivals: { routeId: string; tripId: string; vehicleId: string | null; predicted: number; scheduled: number; live: boolean }[];
    }>();
    expect(body.stopId).toBe(next.stopId);
    expect(body.arrivals.some((a) => a.live && a.vehicleId === '8062')).toBe(true);
    expect(body.arrivals.some((a) => !a.live && a.vehicleId === null)).toBe(true);
    for (const a of body.arrivals) {
      expect(Object.keys(a).sort()).toEqual(['live', 'predicted', 'routeId', 'scheduled', 'tripId', 'vehicleId']);
      expect(Number.isInteger(a.predicted) && Number.isInteger(a.scheduled)).toBe(true);
    }
  });
});
