import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { registerMessages } from '../../platform/i18n/i18n.js';
import type { App } from '../../platform/http/types.js';
import { createTestApp, TestClient, type TestContext } from '../../../test/helpers.js';
import { createUser, type TestUser } from '../../../test/factories.js';

registerMessages({
  'zh-CN': { 'notice.test-inbox.subject': '关于 {item} 的通知', 'notice.test-inbox.body': '{name}，您的申请 {item} 已受理。' },
  en: { 'notice.test-inbox.subject': 'About {item}', 'notice.test-inbox.body': '{name}, your application {item} was accepted.' },
});

let app: App;
let ctx: TestContext;
let alice: TestUser;
let bob: TestUser;
const ids: Record<string, string> = {};

const browserOf = (user: TestUser) => {
  const client = new TestClient(app);
  const [name = '', value = ''] = user.cookie.split('=');
  client.cookies.set(name, value);
  return client;
};

beforeAll(async () => {
  ({ app, ctx } = await createTestApp());
  alice = await createUser(ctx);
  bob = await createUser(ctx);
  for (const [key, user, item] of [
    ['a1', alice, 'A-001'],
    ['b1', bob, 'B-001'],
    ['a2', alice, 'A-002'],
  ] as const) {
    const [id] = await ctx.notify.send(ctx.db, {
      userId: user.id,
      channels: ['inbox'],
      template: 'test-inbox',
      params: { item, name: '张三' },
      locale: 'zh-CN',
    });
    ids[key] = id ?? '';
    await new Promise((r) => setTimeout(r, 5)); // distinct timestamps for the order
  }
});
afterAll(async () => {
  await app.close();
  await ctx.cleanup();
});

describe('GET /api/v1/inbox', () => {
  it("lists only the bearer's own notices, newest first, unread, in the request's language", async () => {
    const res = await app.inject({ url: '/api/v1/inbox', headers: { authorization: alice.authorization, 'accept-language': 'en' } });
    expect(res.statusCode).toBe(200);
    const body = res.json<{ unread: number; items: { id: string; subject: string; read: boolean }[] }>();
    expect(body.items.map((i) => i.id)).toEqual([ids.a2, ids.a1]);
    expect(body.unread).toBe(2);
    expect(body.items[0]).toMatchObject({ subject: 'About A-002', read: false });
  });

  it('refuses a request without a token with 401 problem+json', async () => {
    const res = await app.inject('/api/v1/inbox');
    expect(res.statusCode).toBe(401);
    expect(res.headers['content-type']).toContain('application/problem+json');
  });
});

describe('/account/inbox', () => {
  it('shows the signed-in person their notices with unread ones marked, and nobody else’s', async () => {
    const res = await browserOf(alice).get('/account/inbox');
    expect(res.statusCode).toBe(200);
    expect(res.body).toContain('关于 A-002 的通知');
    expect(res.body).toContain('关于 A-001 的通知');
    expect(res.body).not.toContain('B-001');
    expect(res.body).toContain('您有 2 条未读消息');
    expect(res.body.indexOf('A-002')).toBeLessThan(res.body.indexOf('A-001'));
  });

  it('sends a visitor who is not signed in to sign in', async () => {
    const res = await app.inject('/account/inbox');
    expect(res.statusCode).toBe(302);
    expect(res.headers.location).toContain('/sign-in');
  });

  it('marks a notice read by a form post with CSRF', async () => {
    const browser = browserOf(alice);
    const res = await browser.submit('/account/inbox', `/account/inbox/${ids.a1}/read`, {});
    expect(res.statusCode).toBe(303);
    expect(res.headers.location).toBe('/account/inbox?marked=1');
    const api = await app.inject({ url: '/api/v1/inbox', headers: { authorization: alice.authorization } });
    const items = api.json<{ items: { id: string; read: boolean }[] }>().items;
    expect(items.find((i) => i.id === ids.a1)?.read).toBe(true);
    expect(items.find((i) => i.id === ids.a2)?.read).toBe(false);
    expect((await browser.get('/account/inbox?marked=1')).body).toContain('您有 1 条未读消息');
  });

  it("refuses to mark someone else's notice, and refuses a post without CSRF", async () => {
    const res = await browserOf(bob).submit('/account/inbox', `/account/inbox/${ids.a2}/read`, {});
    expect(res.statusCode).toBe(404);
    const noCsrf = await browserOf(alice).request('POST', `/account/inbox/${ids.a2}/read`, '', { 'content-type': 'application/x-www-form-urlencoded' });
    expect(noCsrf.statusCode).toBe(403);
    const api = await app.inject({ url: '/api/v1/inbox', headers: { authorization: alice.authorization } });
    expect(api.json<{ items: { id: string; read: boolean }[] }>().items.find((i) => i.id === ids.a2)?.read).toBe(false);
  });

  it('marks everything read, and the API can mark one read', async () => {
    const one = await app.inject({ method: 'POST', url: `/api/v1/inbox/${ids.b1}/read`, headers: { authorization: bob.authorization } });
    expect(one.statusCode).toBe(204);
    const other = await app.inject({ method: 'POST', url: `/api/v1/inbox/${ids.a2}/read`, headers: { authorization: bob.authorization } });
    expect(other.statusCode).toBe(404);
    const bad = await app.inject({ method: 'POST', url: '/api/v1/inbox/not-a-uuid/read', headers: { authorization: bob.authorization } });
    expect(bad.statusCode).toBe(400);
    const res = await browserOf(alice).submit('/account/inbox', '/account/inbox/read-all', {});
    expect(res.statusCode).toBe(303);
    const api = await app.inject({ url: '/api/v1/inbox', headers: { authorization: alice.authorization } });
    expect(api.json<{ unread: number }>().unread).toBe(0);
  });
});
