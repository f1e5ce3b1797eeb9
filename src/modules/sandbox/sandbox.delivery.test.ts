import { randomUUID } from 'node:crypto';
import { and, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { App } from '../../platform/http/types.js';
import { buildApp } from '../../app.js';
import { auditLog } from '../../platform/platform.schema.js';
import { isValidTrackingNo, sandboxCourierCallbackPath, type CreateShipmentInput, type ShipmentStatus } from '../../platform/delivery/index.js';
import { signatureFor, signatureHeader } from '../../platform/webhooks/webhooks.js';
import { createTestApp, TestClient, type TestContext } from '../../../test/helpers.js';
import { createUser, waitFor, type TestUser } from '../../../test/factories.js';
import { outboxCount, recordingTransport } from './test-support.js';

// The courier port end to end: booking, operator commands, signed callbacks, tracking history, outbox events.

let app: App;
let ctx: TestContext;
let transport: ReturnType<typeof recordingTransport>;
let admin: TestUser;
let citizen: TestUser;

beforeAll(async () => {
  ({ app, ctx } = await createTestApp());
  transport = recordingTransport(app);
  ctx.webhooks.useTransport(transport);
  await ctx.jobs.work();
  admin = await createUser(ctx, { kind: 'staff', roles: ['platform_admin'] });
  citizen = await createUser(ctx);
});
afterAll(async () => {
  await app.close();
  await ctx.cleanup();
});

const input = (extra: Partial<CreateShipmentInput> = {}): CreateShipmentInput => ({
  orderRef: `app-${randomUUID()}`,
  recipientName: '张三',
  phone: '13800000001',
  address: { district: '武侯区', detail: '人民南路四段 1 号' },
  itemDescription: '往来港澳通行证 Exit-entry permit',
  ...extra,
});
const statusOf = async (id: string) => (await ctx.delivery.getShipment(id))?.status;

async function command(trackingNo: string, cmd: 'advance' | 'fail') {
  return app.inject({
    method: 'POST',
    url: `/api/v1/sandbox/courier/parcels/${trackingNo}/commands`,
    headers: { authorization: admin.authorization },
    payload: { command: cmd },
  });
}
async function commandAndWait(shipmentId: string, trackingNo: string, cmd: 'advance' | 'fail', expected: ShipmentStatus) {
  const res = await command(trackingNo, cmd);
  expect(res.statusCode, res.body).toBe(200);
  await waitFor(async () => (await statusOf(shipmentId)) === expected);
}
function signedPost(body: string, header?: string) {
  return app.inject({
    method: 'POST',
    url: sandboxCourierCallbackPath,
    payload: body,
    headers: { 'content-type': 'application/json', ...(header === undefined ? {} : { [signatureHeader]: header }) },
  });
}
const sign = (body: string) => signatureFor(ctx.config.webhookSecret, body, new Date());

describe('courier port', () => {
  it('books a shipment with a unique courier-like tracking number', async () => {
    const seen = new Set<string>();
    for (let i = 0; i < 5; i++) {
      const { shipmentId, trackingNo } = await ctx.delivery.createShipment(input());
      expect(trackingNo).toMatch(/^SH\d{12}$/);
      expect(isValidTrackingNo(trackingNo)).toBe(true);
      seen.add(trackingNo);
      const shipment = await ctx.delivery.getShipment(shipmentId);
      expect(shipment).toMatchObject({ status: 'created', trackingNo, address: { district: '武侯区' } });
      expect(shipment?.events.map((e) => e.status)).toEqual(['created']);
    }
    expect(seen.size).toBe(5);
  });

  it('returns the live shipment of an order instead of booking a second one', async () => {
    const request = input();
    const first = await ctx.delivery.createShipment(request);
    expect(await ctx.delivery.createShipment(request)).toEqual(first);
  });

  it('refuses bad input with a validation error', async () => {
    await expect(ctx.delivery.createShipment(input({ phone: '123' }))).rejects.toMatchObject({ status: 400 });
    await expect(ctx.delivery.createShipment(input({ recipientName: 'x'.repeat(10_000) }))).rejects.toMatchObject({ status: 400 });
    await expect(ctx.delivery.createShipment(input({ recipientName: '<script>' }))).rejects.toMatchObject({ status: 400 });
    await expect(ctx.delivery.createShipment(input({ address: { district: '', detail: 'x' } }))).rejects.toMatchObject({ status: 400 });
  });

  it('goes through every state, one outbox event per change', async () => {
    const { shipmentId, trackingNo } = await ctx.delivery.createShipment(input());
    await commandAndWait(shipmentId, trackingNo, 'advance', 'picked_up');
    await commandAndWait(shipmentId, trackingNo, 'advance', 'in_transit');
    await commandAndWait(shipmentId, trackingNo, 'advance', 'delivered');
    const shipment = await ctx.delivery.getShipment(shipmentId);
    expect(shipment?.events.map((e) => e.status)).toEqual(['created', 'picked_up', 'in_transit', 'delivered']);
    expect(shipment?.events.every((e) => e.applied)).toBe(true);
    expect(shipment?.events[1]?.locationNote).toContain('武侯区');
    expect(await outboxCount(ctx, 'shipment.status_changed', 'shipmentId', shipmentId)).toBe(4);
    // Finished: a further command is refused and changes nothing.
    expect((await command(trackingNo, 'advance')).statusCode).toBe(409);
    expect((await command(trackingNo, 'fail')).statusCode).toBe(409);
    expect(await statusOf(shipmentId)).toBe('delivered');
    const audits = await ctx.db
      .select()
      .from(auditLog)
      .where(and(eq(auditLog.resourceId, shipmentId), eq(auditLog.actorId, admin.id)));
    expect(audits.filter((a) => a.outcome === 'ok')).toHaveLength(3);
    expect(audits.filter((a) => a.outcome === 'denied')).toHaveLength(2);
  });

  it('fails from a state before delivered', async () => {
    const { shipmentId, trackingNo } = await ctx.delivery.createShipment(input());
    await commandAndWait(shipmentId, trackingNo, 'advance', 'picked_up');
    await commandAndWait(shipmentId, trackingNo, 'fail', 'failed');
    expect((await ctx.delivery.getShipment(shipmentId))?.events.map((e) => e.status)).toEqual(['created', 'picked_up', 'failed']);
    // A failed order may be shipped again.
    const shipment = await ctx.delivery.getShipment(shipmentId);
    const again = await ctx.delivery.createShipment(input({ orderRef: shipment!.orderRef }));
    expect(again.shipmentId).not.toBe(shipmentId);
  });

  it('only platform admins (or anyone, when configured) use the command API', async () => {
    const { trackingNo } = await ctx.delivery.createShipment(input());
    const url = `/api/v1/sandbox/courier/parcels/${trackingNo}/commands`;
    expect((await app.inject({ method: 'POST', url, payload: { command: 'advance' } })).statusCode).toBe(401);
    expect((await app.inject({ method: 'POST', url, headers: { authorization: citizen.authorization }, payload: { command: 'advance' } })).statusCode).toBe(
      403,
    );
    const list = await app.inject({ method: 'GET', url: '/api/v1/sandbox/courier/parcels', headers: { authorization: admin.authorization } });
    expect(list.json<{ parcels: { trackingNo: string; status: string }[] }>().parcels.find((p) => p.trackingNo === trackingNo)?.status).toBe('created');
  });
});

describe('courier callbacks', () => {
  it('answers a duplicate with the same answer and changes nothing', async () => {
    const { shipmentId, trackingNo } = await ctx.delivery.createShipment(input());
    await commandAndWait(shipmentId, trackingNo, 'advance', 'picked_up');
    const delivery = transport.sent.find((d) => d.path === sandboxCourierCallbackPath && d.status === 200 && d.body.includes(trackingNo));
    expect(delivery).toBeDefined();
    const again = await ctx.webhooks.deliverNow(sandboxCourierCallbackPath, delivery!.body);
    expect(JSON.parse(again.body)).toEqual(JSON.parse(delivery!.response));
    expect((await ctx.delivery.getShipment(shipmentId))?.events).toHaveLength(2);
    expect(await outboxCount(ctx, 'shipment.status_changed', 'shipmentId', shipmentId)).toBe(2);
  });

  it('records a late event out of order without moving the status back', async () => {
    const { shipmentId, trackingNo } = await ctx.delivery.createShipment(input());
    for (const s of ['picked_up', 'in_transit', 'delivered'] as const) await commandAndWait(shipmentId, trackingNo, 'advance', s);
    const late = JSON.stringify({
      eventId: `${trackingNo}:late`,
      trackingNo,
      shipmentId,
      status: 'in_transit',
      occurredAt: new Date().toISOString(),
      locationNote: 'late',
    });
    const res = await signedPost(late, sign(late));
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({ status: 'delivered', applied: false });
    const shipment = await ctx.delivery.getShipment(shipmentId);
    expect(shipment?.status).toBe('delivered');
    expect(shipment?.events.filter((e) => !e.applied).map((e) => e.status)).toEqual(['in_transit']);
    expect(await outboxCount(ctx, 'shipment.status_changed', 'shipmentId', shipmentId)).toBe(4);
    // A late failure after delivery changes nothing either.
    const fail = late.replace(':late', ':late2').replace('"in_transit"', '"failed"');
    expect((await signedPost(fail, sign(fail))).json()).toMatchObject({ status: 'delivered', applied: false });
  });

  it('refuses a bad signature with 401 and changes nothing', async () => {
    const { shipmentId, trackingNo } = await ctx.delivery.createShipment(input());
    const body = JSON.stringify({
      eventId: `${trackingNo}:x`,
      trackingNo,
      shipmentId,
      status: 'delivered',
      occurredAt: new Date().toISOString(),
      locationNote: null,
    });
    const res = await signedPost(body, signatureFor('another-secret-of-at-least-32-characters!', body, new Date()));
    expect(res.statusCode).toBe(401);
    expect(res.headers['content-type']).toContain('application/problem+json');
    expect((await signedPost(body)).statusCode).toBe(401);
    expect(await statusOf(shipmentId)).toBe('created');
    expect((await ctx.delivery.getShipment(shipmentId))?.events).toHaveLength(1);
  });

  it('retries a delivery that fails at first', async () => {
    const { shipmentId, trackingNo } = await ctx.delivery.createShipment(input());
    const before = transport.sent.length;
    transport.failNext(1);
    expect((await command(trackingNo, 'advance')).statusCode).toBe(200);
    await waitFor(async () => (await statusOf(shipmentId)) === 'picked_up', 15_000);
    expect(
      transport.sent
        .slice(before)
        .filter((d) => d.body.includes(trackingNo))
        .map((d) => d.status),
    ).toEqual([503, 200]);
  });
});

describe('courier console', () => {
  const signedIn = () => {
    const client = new TestClient(app);
    client.cookies.set('sh_session', admin.cookie.split('=')[1] ?? '');
    return client;
  };

  it('renders in zh-CN and en and moves a parcel by a form post with CSRF', async () => {
    const { shipmentId, trackingNo } = await ctx.delivery.createShipment(input());
    const client = signedIn();
    const zh = await client.get('/sandbox/courier?lang=zh-CN');
    expect(zh.statusCode).toBe(200);
    expect(zh.body).toContain('lang="zh-CN"');
    expect(zh.body).toContain(trackingNo);
    expect(zh.body).toContain('推进到“已揽收”');
    const en = await client.get('/sandbox/courier?lang=en');
    expect(en.body).toContain('lang="en"');
    expect(en.body).toContain('Sandbox courier console');

    const forged = await client.request('POST', `/sandbox/courier/${trackingNo}`, 'command=advance', { 'content-type': 'application/x-www-form-urlencoded' });
    expect(forged.statusCode).toBe(403);

    const res = await client.submit('/sandbox/courier', `/sandbox/courier/${trackingNo}`, { command: 'advance' });
    expect(res.statusCode).toBe(303);
    expect(res.headers.location).toBe(`/sandbox/courier?updated=${trackingNo}`);
    const after = await client.get(`/sandbox/courier?updated=${trackingNo}&lang=en`);
    expect(after.body).toContain(`Shipment ${trackingNo} is now: Picked up`);
    await waitFor(async () => (await statusOf(shipmentId)) === 'picked_up');

    const bad = await client.submit('/sandbox/courier', `/sandbox/courier/${trackingNo}`, { command: 'teleport' });
    expect(bad.statusCode).toBe(400);
    expect(bad.body).toContain('error-summary');
  });

  it('is closed to the public and to other staff unless configured open', async () => {
    const anonymous = await app.inject({ method: 'GET', url: '/sandbox/courier' });
    expect(anonymous.statusCode).toBe(302);
    expect(anonymous.headers.location).toContain('return=%2Fsandbox%2Fcourier');
    const clerk = await createUser(ctx, { kind: 'staff', roles: ['clerk'] });
    expect((await app.inject({ method: 'GET', url: '/sandbox/courier', headers: { cookie: clerk.cookie } })).statusCode).toBe(403);

    // SANDBOX_CONSOLE_PUBLIC=true (the demo): the same routes, open to anyone. Same database, second app.
    const open = await buildApp({ ...ctx, config: { ...ctx.config, sandboxConsolePublic: true } });
    try {
      const { shipmentId, trackingNo } = await ctx.delivery.createShipment(input());
      const visitor = new TestClient(open);
      expect((await visitor.get('/sandbox/courier')).statusCode).toBe(200);
      const res = await visitor.submit('/sandbox/courier', `/sandbox/courier/${trackingNo}`, { command: 'fail' });
      expect(res.statusCode).toBe(303);
      await waitFor(async () => (await statusOf(shipmentId)) === 'failed');
    } finally {
      await open.close();
    }
  });
});
