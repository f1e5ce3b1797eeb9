import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { and, eq } from 'drizzle-orm';
import type { App } from '../../platform/http/types.js';
import { auditLog } from '../../platform/platform.schema.js';
import { createTestApp, manualClock, TestClient, type TestContext } from '../../../test/helpers.js';
import { identityModule } from './index.js';

// The API session (bearer tokens), access rules, and rate limits on sign-in and code requests.

const password = 'Chengdu#2026';
const clock = manualClock();
const post = (app: App, payload: unknown, headers: Record<string, string> = {}) =>
  app.inject({ method: 'POST', url: '/api/v1/session', headers: { 'content-type': 'application/json', ...headers }, payload: JSON.stringify(payload) });

describe('API session', () => {
  let app: App;
  let ctx: TestContext;
  beforeAll(async () => {
    ({ app, ctx } = await createTestApp({ clock, env: { SIGN_IN_LIMIT: '1000' } }));
    await identityModule.seed!(ctx);
  });
  afterAll(async () => {
    await app.close();
    await ctx.cleanup();
  });

  const signIn = (login: string, pw = password) =>
    app.inject({ method: 'POST', url: '/api/v1/session', headers: { 'content-type': 'application/json' }, payload: JSON.stringify({ login, password: pw }) });

  it('creates a token for a citizen, which reads /api/v1/me and is then revoked', async () => {
    const res = await signIn('13800000003');
    expect(res.statusCode).toBe(200);
    const body = res.json<{ token: string; expiresAt: string; user: Record<string, unknown> }>();
    expect(body.token).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(new Date(body.expiresAt).getTime()).toBe(clock.now().getTime() + ctx.config.apiTokenTtlHours * 3600_000);
    expect(body.user).toEqual({ id: expect.any(String), kind: 'citizen', name: '李强', departmentCode: null, roles: [] });
    expect(Object.keys(body.user).sort()).toEqual(['departmentCode', 'id', 'kind', 'name', 'roles']);

    const headers = { authorization: `Bearer ${body.token}` };
    const me = await app.inject({ url: '/api/v1/me', headers });
    expect(me.statusCode).toBe(200);
    expect(me.json()).toEqual(body.user);

    const revoke = await app.inject({ method: 'DELETE', url: '/api/v1/session', headers });
    expect(revoke.statusCode).toBe(204);
    const after = await app.inject({ url: '/api/v1/me', headers });
    expect(after.statusCode).toBe(401);
    expect(after.headers['content-type']).toContain('application/problem+json');

    const actions = await ctx.db
      .select({ action: auditLog.action })
      .from(auditLog)
      .where(eq(auditLog.actorId, body.user.id as string));
    expect(actions.map((a) => a.action)).toEqual(expect.arrayContaining(['identity.api-token.issue', 'identity.api-token.revoke']));
  });

  it('signs in staff by login and reports department and roles', async () => {
    const res = await signIn('tax.admin');
    expect(res.statusCode).toBe(200);
    expect(res.json().user).toMatchObject({ kind: 'staff', departmentCode: 'tax', roles: ['dept_admin'] });
    const admin = await signIn('admin');
    expect(admin.json().user).toMatchObject({ departmentCode: 'gov-service', roles: ['platform_admin'] });
    const staffMe = await app.inject({ url: '/api/v1/staff/me', headers: { authorization: `Bearer ${res.json().token as string}` } });
    expect(staffMe.statusCode).toBe(200);
    expect(staffMe.json()).toMatchObject({ departmentCode: 'tax' });
  });

  it('answers an unknown login and a wrong password with the same 401 problem', async () => {
    const unknown = await signIn('13899990000');
    const wrong = await signIn('13800000001', 'Wrong#password1');
    const unknownStaff = await signIn('nobody.clerk');
    for (const res of [unknown, wrong, unknownStaff]) {
      expect(res.statusCode).toBe(401);
      expect(res.headers['content-type']).toContain('application/problem+json');
    }
    expect(wrong.json()).toEqual(unknown.json());
    expect(unknownStaff.json()).toEqual(unknown.json());
    expect(unknown.json()).toMatchObject({ status: 401, type: expect.stringContaining('unauthorized') });
  });

  it('refuses a citizen on a staff route (403) and anonymous callers (401)', async () => {
    const token = (await signIn('13800000001')).json().token as string;
    const res = await app.inject({ url: '/api/v1/staff/me', headers: { authorization: `Bearer ${token}` } });
    expect(res.statusCode).toBe(403);
    expect(res.headers['content-type']).toContain('application/problem+json');
    const [denied] = await ctx.db
      .select({ resourceId: auditLog.resourceId })
      .from(auditLog)
      .where(and(eq(auditLog.action, 'access.denied'), eq(auditLog.outcome, 'denied')));
    expect(denied?.resourceId).toBe('GET /api/v1/staff/me');
    expect((await app.inject({ url: '/api/v1/staff/me' })).statusCode).toBe(401);
    expect((await app.inject({ url: '/api/v1/me', headers: { authorization: 'Bearer not-a-real-token-at-all-xxxxxxxx' } })).statusCode).toBe(401);
    expect((await app.inject({ method: 'DELETE', url: '/api/v1/session' })).statusCode).toBe(401);
  });

  it('answers malformed JSON and bad fields with 400 problem+json', async () => {
    const malformed = await app.inject({
      method: 'POST',
      url: '/api/v1/session',
      headers: { 'content-type': 'application/json' },
      payload: '{"login": "13800000001", ',
    });
    expect(malformed.statusCode).toBe(400);
    expect(malformed.headers['content-type']).toContain('application/problem+json');
    const missing = await app.inject({
      method: 'POST',
      url: '/api/v1/session',
      headers: { 'content-type': 'application/json' },
      payload: '{"login": "13800000001"}',
    });
    expect(missing.statusCode).toBe(400);
    expect(missing.json()).toMatchObject({ status: 400, errors: expect.any(Array) });
    const huge = await post(app, { login: 'x'.repeat(10_000), password });
    expect(huge.statusCode).toBe(400);
  });

  it('expires tokens after API_TOKEN_TTL_HOURS', async () => {
    const token = (await signIn('13800000002')).json().token as string;
    clock.advance(ctx.config.apiTokenTtlHours * 3600_000 + 1);
    expect((await app.inject({ url: '/api/v1/me', headers: { authorization: `Bearer ${token}` } })).statusCode).toBe(401);
  });

  it('documents the session API in OpenAPI', async () => {
    const spec = (await app.inject('/api/openapi.json')).json<{ paths: Record<string, Record<string, unknown>> }>();
    expect(Object.keys(spec.paths['/api/v1/session'] ?? {})).toEqual(expect.arrayContaining(['post', 'delete']));
    expect(spec.paths['/api/v1/me']).toBeDefined();
    expect(spec.paths['/api/v1/staff/me']).toBeDefined();
    expect(spec.paths['/sign-in']).toBeUndefined();
  });
});

describe('rate limits', () => {
  let app: App;
  let ctx: TestContext;
  beforeAll(async () => {
    ({ app, ctx } = await createTestApp({ env: { SIGN_IN_LIMIT: '3', SIGN_IN_WINDOW_SECONDS: '600', TRUST_PROXY: 'true' } }));
    await identityModule.seed!(ctx);
  });
  afterAll(async () => {
    await app.close();
    await ctx.cleanup();
  });

  const apiSignIn = (login: string, ip: string) => post(app, { login, password: 'Wrong#password1' }, { 'x-forwarded-for': ip });

  it('limits attempts per number, whatever the address (429 problem+json with Retry-After)', async () => {
    for (let i = 1; i <= 3; i++) expect((await apiSignIn('13800000001', `10.0.0.${i}`)).statusCode).toBe(401);
    const res = await apiSignIn('13800000001', '10.0.0.9');
    expect(res.statusCode).toBe(429);
    expect(res.headers['content-type']).toContain('application/problem+json');
    const retryAfter = Number(res.headers['retry-after']);
    expect(retryAfter).toBeGreaterThan(0);
    expect(retryAfter).toBeLessThanOrEqual(600);
    // The right password does not get through either while the limit holds.
    const right = await post(app, { login: '13800000001', password }, { 'x-forwarded-for': '10.0.0.10' });
    expect(right.statusCode).toBe(429);
  });

  it('limits attempts per address, whatever the number', async () => {
    const logins = ['13800000002', '13800000003', 'psb.clerk'];
    for (const login of logins) expect((await apiSignIn(login, '10.0.1.1')).statusCode).toBe(401);
    expect((await apiSignIn('tax.clerk', '10.0.1.1')).statusCode).toBe(429);
  });

  it('shows a clear message on the sign-in page with status 429', async () => {
    const client = new TestClient(app, { 'x-forwarded-for': '10.0.2.1' });
    for (let i = 0; i < 3; i++) {
      const res = await client.submit('/sign-in', '/sign-in', { method: 'password', phone: '13800000004', password: 'Wrong#password1' });
      expect(res.statusCode).toBe(400);
    }
    const res = await client.submit('/sign-in', '/sign-in', { method: 'password', phone: '13800000004', password: 'Wrong#password1' });
    expect(res.statusCode).toBe(429);
    expect(Number(res.headers['retry-after'])).toBeGreaterThan(0);
    expect(res.body).toMatch(/尝试次数过多，为保护您的账号，请 \d+ 秒后再试/);
    const refused = await ctx.db
      .select({ outcome: auditLog.outcome })
      .from(auditLog)
      .where(and(eq(auditLog.action, 'identity.sign-in'), eq(auditLog.outcome, 'denied')));
    expect(refused.length).toBeGreaterThan(0);
  });

  it('limits code requests per number', async () => {
    for (let i = 1; i <= 3; i++) {
      const client = new TestClient(app, { 'x-forwarded-for': `10.0.3.${i}`, 'accept-language': 'en' });
      expect((await client.submit('/sign-in', '/sign-in/code', { codePhone: '13800000002' })).statusCode).toBe(303);
    }
    const client = new TestClient(app, { 'x-forwarded-for': '10.0.3.9', 'accept-language': 'en' });
    const res = await client.submit('/sign-in', '/sign-in/code', { codePhone: '13800000002' });
    expect(res.statusCode).toBe(429);
    expect(res.headers['retry-after']).toBeDefined();
    expect(res.body).toContain('Too many attempts');
  });

  it('limits code requests per address', async () => {
    const client = new TestClient(app, { 'x-forwarded-for': '10.0.4.1' });
    for (const phone of ['13911110001', '13911110002', '13911110003']) {
      expect((await client.submit('/sign-in', '/sign-in/code', { codePhone: phone })).statusCode).toBe(303);
    }
    expect((await client.submit('/sign-in', '/sign-in/code', { codePhone: '13911110004' })).statusCode).toBe(429);
  });
});
