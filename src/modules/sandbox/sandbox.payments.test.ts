import { randomUUID } from 'node:crypto';
import { and, count, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { App } from '../../platform/http/types.js';
import { auditLog } from '../../platform/platform.schema.js';
import { paymentEvents } from '../../platform/payments/payments.schema.js';
import { sandboxPaymentCallbackPath, type CreatePaymentInput } from '../../platform/payments/index.js';
import { signatureFor, signatureHeader } from '../../platform/webhooks/webhooks.js';
import { createTestApp, TestClient, type TestContext } from '../../../test/helpers.js';
import { waitFor } from '../../../test/factories.js';
import { outboxCount, recordingTransport } from './test-support.js';

// The payment port end to end: hosted page → signed, retried callback → payment status and outbox event.

let app: App;
let ctx: TestContext;
let transport: ReturnType<typeof recordingTransport>;

beforeAll(async () => {
  ({ app, ctx } = await createTestApp());
  transport = recordingTransport(app);
  ctx.webhooks.useTransport(transport);
  await ctx.jobs.work();
});
afterAll(async () => {
  await app.close();
  await ctx.cleanup();
});

const input = (extra: Partial<CreatePaymentInput> = {}): CreatePaymentInput => ({
  orderRef: `app-${randomUUID()}`,
  amountFen: 1250,
  descriptionZh: '往来港澳通行证签注费',
  descriptionEn: 'Hong Kong and Macao endorsement fee',
  payerUserId: null,
  returnUrl: '/applications/123',
  ...extra,
});
const chargeIdOf = (payUrl: string) => payUrl.split('/').pop() ?? '';
const statusOf = async (id: string) => (await ctx.payments.getPayment(id))?.status;
const eventsOf = async (id: string) => (await ctx.db.select({ n: count() }).from(paymentEvents).where(eq(paymentEvents.paymentId, id)))[0]?.n ?? 0;

function signedPost(body: string, header?: string) {
  return app.inject({
    method: 'POST',
    url: sandboxPaymentCallbackPath,
    payload: body,
    headers: { 'content-type': 'application/json', ...(header === undefined ? {} : { [signatureHeader]: header }) },
  });
}
const sign = (body: string, at = new Date()) => signatureFor(ctx.config.webhookSecret, body, at);

async function paid(): Promise<{ paymentId: string; chargeId: string }> {
  const { paymentId, payUrl } = await ctx.payments.createPayment(input());
  const res = await app.inject({ method: 'POST', url: `/api/v1/sandbox/payments/${chargeIdOf(payUrl)}/settle`, payload: { outcome: 'paid' } });
  expect(res.statusCode).toBe(200);
  await waitFor(async () => (await statusOf(paymentId)) === 'paid');
  return { paymentId, chargeId: chargeIdOf(payUrl) };
}

describe('hosted payment page', () => {
  it('shows amount and description in zh-CN and en, and pays by a form post', async () => {
    const { paymentId, payUrl } = await ctx.payments.createPayment(input());
    expect(payUrl).toMatch(/^\/sandbox\/pay\/[0-9a-f-]{36}$/);
    expect(await statusOf(paymentId)).toBe('pending');

    const zh = await new TestClient(app).get(`${payUrl}?lang=zh-CN`);
    expect(zh.statusCode).toBe(200);
    expect(zh.body).toContain('lang="zh-CN"');
    expect(zh.body).toContain('往来港澳通行证签注费');
    expect(zh.body).toContain('12.50');
    expect(zh.body).toMatch(/<button[^>]*value="pay"[^>]*>支付<\/button>/);

    const client = new TestClient(app, { 'accept-language': 'en' });
    const en = await client.get(payUrl);
    expect(en.body).toContain('lang="en"');
    expect(en.body).toContain('Hong Kong and Macao endorsement fee');
    expect(en.body).toMatch(/<button[^>]*value="fail"[^>]*>Fail<\/button>/);

    const res = await client.submit(payUrl, payUrl, { outcome: 'pay' });
    expect(res.statusCode).toBe(303);
    expect(res.headers.location).toBe(`/applications/123?payment=${paymentId}&result=paid`);
    await waitFor(async () => (await statusOf(paymentId)) === 'paid');
    const payment = await ctx.payments.getPayment(paymentId);
    expect(payment?.paidAt).toBeInstanceOf(Date);
    expect(await outboxCount(ctx, 'payment.paid', 'paymentId', paymentId)).toBe(1);

    // Settled: no buttons any more, and a second post changes nothing.
    const after = await client.get(payUrl);
    expect(after.body).not.toContain('value="pay"');
    expect(after.body).toContain('This payment has been settled');
    const again = await client.request('POST', payUrl, `outcome=fail&_csrf=${encodeURIComponent(await client.csrf('/sign-in'))}`, {
      'content-type': 'application/x-www-form-urlencoded',
    });
    expect(again.statusCode).toBe(303);
    await new Promise((r) => setTimeout(r, 800));
    expect(await statusOf(paymentId)).toBe('paid');
    expect(await outboxCount(ctx, 'payment.failed', 'paymentId', paymentId)).toBe(0);
  });

  it('fails by a form post', async () => {
    const { paymentId, payUrl } = await ctx.payments.createPayment(input());
    const client = new TestClient(app);
    const res = await client.submit(payUrl, payUrl, { outcome: 'fail' });
    expect(res.headers.location).toContain('result=failed');
    await waitFor(async () => (await statusOf(paymentId)) === 'failed');
    expect(await outboxCount(ctx, 'payment.failed', 'paymentId', paymentId)).toBe(1);
    expect(await outboxCount(ctx, 'payment.paid', 'paymentId', paymentId)).toBe(0);
  });

  it('refuses a post without a CSRF token, and re-renders with 400 without an outcome', async () => {
    const { paymentId, payUrl } = await ctx.payments.createPayment(input());
    const client = new TestClient(app);
    const forged = await client.request('POST', payUrl, 'outcome=pay', { 'content-type': 'application/x-www-form-urlencoded' });
    expect(forged.statusCode).toBe(403);
    const empty = await client.submit(payUrl, payUrl, {});
    expect(empty.statusCode).toBe(400);
    expect(empty.body).toContain('error-summary');
    expect(await statusOf(paymentId)).toBe('pending');
  });

  it('answers 404 for an unknown payment page', async () => {
    expect((await app.inject({ method: 'GET', url: `/sandbox/pay/${randomUUID()}` })).statusCode).toBe(404);
    expect((await app.inject({ method: 'GET', url: '/sandbox/pay/not-a-uuid' })).statusCode).toBe(404);
  });
});

describe('payment port', () => {
  it('returns the live payment of an order instead of opening a second one', async () => {
    const request = input();
    const first = await ctx.payments.createPayment(request);
    const second = await ctx.payments.createPayment(request);
    expect(second).toEqual(first);
    expect(await ctx.payments.listForOrder(request.orderRef)).toHaveLength(1);
  });

  it('refuses bad input with a validation error, not a crash', async () => {
    await expect(ctx.payments.createPayment(input({ descriptionZh: 'x'.repeat(10_000) }))).rejects.toMatchObject({ status: 400 });
    await expect(ctx.payments.createPayment(input({ amountFen: 0 }))).rejects.toMatchObject({ status: 400 });
    await expect(ctx.payments.createPayment(input({ returnUrl: 'https://evil.example/' }))).rejects.toMatchObject({ status: 400 });
    await expect(ctx.payments.createPayment(input({ returnUrl: '//evil.example/' }))).rejects.toMatchObject({ status: 400 });
  });

  it('refunds a paid payment through the provider, audited, with one outbox event', async () => {
    const { paymentId } = await paid();
    await ctx.payments.refund(paymentId, '不予受理 Refused to accept', { actor: null });
    await waitFor(async () => (await statusOf(paymentId)) === 'refunded');
    const payment = await ctx.payments.getPayment(paymentId);
    expect(payment?.refundReason).toBe('不予受理 Refused to accept');
    expect(await outboxCount(ctx, 'payment.refunded', 'paymentId', paymentId)).toBe(1);
    const audits = await ctx.db
      .select()
      .from(auditLog)
      .where(and(eq(auditLog.action, 'payment.refund'), eq(auditLog.resourceId, paymentId)));
    expect(audits.map((a) => a.outcome)).toEqual(['ok']);
    // Asking again is harmless.
    await ctx.payments.refund(paymentId, 'again', { actor: null });
    expect(await outboxCount(ctx, 'payment.refunded', 'paymentId', paymentId)).toBe(1);
  });

  it('refuses to refund an unpaid payment (409), audited as denied', async () => {
    const { paymentId } = await ctx.payments.createPayment(input());
    await expect(ctx.payments.refund(paymentId, 'no', { actor: null })).rejects.toMatchObject({ status: 409 });
    const audits = await ctx.db
      .select()
      .from(auditLog)
      .where(and(eq(auditLog.action, 'payment.refund'), eq(auditLog.resourceId, paymentId)));
    expect(audits.map((a) => a.outcome)).toEqual(['denied']);
    expect(await statusOf(paymentId)).toBe('pending');
  });
});

describe('payment callbacks', () => {
  it('refuses a bad signature with 401 problem+json and changes nothing', async () => {
    const { paymentId, payUrl } = await ctx.payments.createPayment(input());
    const body = JSON.stringify({
      eventId: `forged-${randomUUID()}`,
      type: 'paid',
      chargeId: chargeIdOf(payUrl),
      paymentId,
      amountFen: 1250,
      occurredAt: new Date().toISOString(),
    });
    const wrongSecret = signatureFor('another-secret-of-at-least-32-characters!', body, new Date());
    const cases = [
      { header: wrongSecret, status: 401 },
      { header: undefined, status: 401 },
      { header: sign(body.replace('1250', '1251')), status: 401 },
      { header: sign(body, new Date(Date.now() - 3600_000)), status: 401 },
      { header: 't=abc,v1=zz', status: 400 },
    ];
    for (const c of cases) {
      const res = await signedPost(body, c.header);
      expect(res.statusCode, String(c.header)).toBe(c.status);
      expect(res.headers['content-type']).toContain('application/problem+json');
    }
    expect(await statusOf(paymentId)).toBe('pending');
    expect(await eventsOf(paymentId)).toBe(0);
    expect(await outboxCount(ctx, 'payment.paid', 'paymentId', paymentId)).toBe(0);
  });

  it('answers a duplicate with the same answer and changes nothing', async () => {
    const { paymentId } = await paid();
    const delivery = transport.sent.find((d) => d.path === sandboxPaymentCallbackPath && d.status === 200 && d.body.includes(paymentId));
    expect(delivery).toBeDefined();
    const first = JSON.parse(delivery!.response) as Record<string, unknown>;
    expect(first).toMatchObject({ paymentId, status: 'paid', applied: true });
    const again = await ctx.webhooks.deliverNow(sandboxPaymentCallbackPath, delivery!.body);
    expect(JSON.parse(again.body)).toEqual(first);
    expect(await eventsOf(paymentId)).toBe(1);
    expect(await outboxCount(ctx, 'payment.paid', 'paymentId', paymentId)).toBe(1);
  });

  it('records a late "failed" after "paid" without changing anything', async () => {
    const { paymentId, chargeId } = await paid();
    const body = JSON.stringify({ eventId: `${chargeId}:late`, type: 'failed', chargeId, paymentId, amountFen: 1250, occurredAt: new Date().toISOString() });
    const res = await signedPost(body, sign(body));
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({ status: 'paid', applied: false });
    expect(await statusOf(paymentId)).toBe('paid');
    expect(await eventsOf(paymentId)).toBe(2);
    expect(await outboxCount(ctx, 'payment.failed', 'paymentId', paymentId)).toBe(0);
  });

  it('refuses a signed callback whose amount does not match (400), and one for an unknown payment (404)', async () => {
    const { paymentId, payUrl } = await ctx.payments.createPayment(input());
    const chargeId = chargeIdOf(payUrl);
    const wrong = JSON.stringify({ eventId: `${chargeId}:x`, type: 'paid', chargeId, paymentId, amountFen: 1, occurredAt: new Date().toISOString() });
    expect((await signedPost(wrong, sign(wrong))).statusCode).toBe(400);
    const other = randomUUID();
    const unknown = JSON.stringify({ eventId: `${other}:1`, type: 'paid', chargeId: other, paymentId, amountFen: 1250, occurredAt: new Date().toISOString() });
    expect((await signedPost(unknown, sign(unknown))).statusCode).toBe(404);
    const invalid = JSON.stringify({ eventId: 'x', type: 'stolen' });
    expect((await signedPost(invalid, sign(invalid))).statusCode).toBe(400);
    expect(await statusOf(paymentId)).toBe('pending');
  });

  it('retries a delivery that fails at first', async () => {
    const { paymentId, payUrl } = await ctx.payments.createPayment(input());
    transport.failNext(1);
    const before = transport.sent.length;
    await app.inject({ method: 'POST', url: `/api/v1/sandbox/payments/${chargeIdOf(payUrl)}/settle`, payload: { outcome: 'paid' } });
    await waitFor(async () => (await statusOf(paymentId)) === 'paid', 15_000);
    const attempts = transport.sent.slice(before).filter((d) => d.body.includes(paymentId));
    expect(attempts.map((a) => a.status)).toEqual([503, 200]);
    expect(await outboxCount(ctx, 'payment.paid', 'paymentId', paymentId)).toBe(1);
  });

  it('is documented in OpenAPI with its signature header', async () => {
    const doc = (await app.inject({ method: 'GET', url: '/api/openapi.json' })).json<{
      paths: Record<string, Record<string, { tags?: string[]; parameters?: { name: string; in: string }[] }>>;
    }>();
    const op = doc.paths[sandboxPaymentCallbackPath]?.post;
    expect(op?.tags).toEqual(['payments']);
    expect(op?.parameters?.some((p) => p.in === 'header' && p.name === signatureHeader)).toBe(true);
    expect(doc.paths['/api/v1/delivery/callbacks/sandbox']?.post?.tags).toEqual(['delivery']);
  });
});
