import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { App } from '../src/platform/http/types.js';
import { createTestApp, type TestContext } from './helpers.js';
import { createUser } from './factories.js';

let app: App;
let ctx: TestContext;
beforeAll(async () => {
  ({ app, ctx } = await createTestApp());
});
afterAll(async () => {
  await app.close();
  await ctx.cleanup();
});

describe('operational endpoints', () => {
  it('reports health with the database kind and version', async () => {
    const res = await app.inject('/healthz');
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({ status: 'ok', database: ctx.database.kind, version: ctx.config.version });
  });

  it('serves OpenAPI 3.1', async () => {
    const res = await app.inject('/api/openapi.json');
    expect(res.statusCode).toBe(200);
    expect(res.json().openapi).toBe('3.1.0');
  });

  it('serves Prometheus metrics', async () => {
    await app.inject('/healthz');
    const res = await app.inject('/metrics');
    expect(res.statusCode).toBe(200);
    expect(res.body).toContain('http_request_duration_seconds_bucket');
  });
});

describe('errors', () => {
  it('answers an unknown API path with problem+json 404', async () => {
    const res = await app.inject('/api/v1/nothing-here');
    expect(res.statusCode).toBe(404);
    expect(res.headers['content-type']).toContain('application/problem+json');
    expect(res.json()).toMatchObject({ status: 404, type: expect.stringContaining('not_found') });
  });

  it('answers an unknown page with an HTML 404 in the chosen language', async () => {
    const res = await app.inject({ url: '/no-such-page', headers: { 'accept-language': 'en-GB,en;q=0.9' } });
    expect(res.statusCode).toBe(404);
    expect(res.body).toContain('<html lang="en">');
    expect(res.body).toContain('does not exist');
  });

  it('refuses a form post without a CSRF token', async () => {
    const res = await app.inject({ method: 'POST', url: '/sign-out', payload: 'a=1', headers: { 'content-type': 'application/x-www-form-urlencoded' } });
    expect([401, 403]).toContain(res.statusCode);
  });
});

describe('language', () => {
  it('defaults to zh-CN and remembers a switch in a cookie', async () => {
    const zh = await app.inject('/');
    expect(zh.body).toContain('<html lang="zh-CN">');
    const sw = await app.inject('/lang/en?return=/services');
    expect(sw.statusCode).toBe(302);
    expect(sw.headers.location).toBe('/services');
    expect(String(sw.headers['set-cookie'])).toContain('lang=en');
    const en = await app.inject({ url: '/', cookies: { lang: 'en' } });
    expect(en.body).toContain('<html lang="en">');
  });

  it('never redirects off-site from the language switch', async () => {
    const sw = await app.inject('/lang/en?return=//evil.example');
    expect(sw.headers.location).toBe('/');
  });
});

describe('numbers out of range', () => {
  it('refuses a query integer that coerces to Infinity with 400, not a 500 or a handler call', async () => {
    const user = await createUser(ctx);
    const res = await app.inject({ url: `/api/v1/inbox?limit=${'9'.repeat(400)}`, headers: { authorization: user.authorization } });
    expect(res.statusCode).toBe(400);
    expect(res.headers['content-type']).toContain('application/problem+json');
  });
});
