import { createHash, randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { StaffRole } from '../src/platform/auth/actor.js';
import type { App } from '../src/platform/http/types.js';
import { createTtlCache, invalidatePublicCaches, publicCacheGeneration } from '../src/platform/http/page-cache.js';
import { sessions, staffRoles, users } from '../src/modules/identity/identity.schema.js';
import { getCurrentItem, seedCatalog } from '../src/modules/catalog/catalog.service.js';
import { createTestApp, TestClient, type TestContext } from './helpers.js';

let app: App;
let ctx: TestContext;

beforeAll(async () => {
  ({ app, ctx } = await createTestApp());
  await seedCatalog(ctx.db);
}, 60_000);
afterAll(async () => {
  await app?.close();
  await ctx?.cleanup();
});

let seq = 0;
/** A user with a live web session and API token, written as the identity module would. */
async function person(kind: 'staff' | 'citizen', departmentCode: string | null = null, roles: StaffRole[] = []) {
  seq++;
  const [user] = await ctx.db
    .insert(users)
    .values({
      kind,
      realName: kind === 'staff' ? `缓存测试员${seq}` : `缓存市民${seq}`,
      login: kind === 'staff' ? `cache-staff-${seq}` : null,
      phone: kind === 'citizen' ? `1370000${String(seq).padStart(4, '0')}` : null,
      passwordHash: 'not-used',
      departmentCode,
    })
    .returning({ id: users.id });
  const userId = user!.id;
  if (roles.length) await ctx.db.insert(staffRoles).values(roles.map((role) => ({ userId, role })));
  const session = async (sessionKind: 'web' | 'api') => {
    const token = randomBytes(32).toString('base64url');
    await ctx.db.insert(sessions).values({
      tokenHash: createHash('sha256').update(token).digest('hex'),
      userId,
      kind: sessionKind,
      expiresAt: new Date(Date.now() + 3600_000),
    });
    return token;
  };
  const client = new TestClient(app);
  client.cookies.set('sh_session', await session('web'));
  return { client, bearer: { authorization: `Bearer ${await session('api')}`, 'content-type': 'application/json' } };
}

const get = (url: string, headers: Record<string, string> = {}) => app.inject({ method: 'GET', url, headers });

describe('public page micro-cache', () => {
  it('serves an anonymous item page from the cache the second time, per language', async () => {
    const url = '/services/passport-issue';
    invalidatePublicCaches();
    const first = await get(url);
    expect(first.statusCode).toBe(200);
    expect(first.headers['x-cache']).toBe('miss');
    const second = await get(url);
    expect(second.headers['x-cache']).toBe('hit');
    expect(second.body).toBe(first.body);
    expect(second.headers['content-type']).toMatch(/^text\/html/);
    expect(second.headers['set-cookie']).toBeUndefined();

    // English is its own entry, not the Chinese page.
    const en = await get(url, { 'accept-language': 'en' });
    expect(en.headers['x-cache']).toBe('miss');
    expect(en.body).toContain('lang="en"');
    expect((await get(url, { 'accept-language': 'en' })).headers['x-cache']).toBe('hit');
    // A different query is a different page.
    expect((await get(`${url}?x=1`)).headers['x-cache']).toBe('miss');
  });

  it('a hit does not read the database: a change written behind the app shows only after invalidation', async () => {
    const url = '/services?q=' + encodeURIComponent('发票');
    invalidatePublicCaches();
    const first = await get(url);
    expect(first.headers['x-cache']).toBe('miss');
    expect(first.body).toContain('vat-invoice-stock');
    // Rename the item directly in the database (no saveItem, so nothing invalidates).
    await ctx.database.query(
      `UPDATE catalog_item_versions SET content = jsonb_set(content, '{nameZh}', '"缓存之外的新名称"') WHERE item_id = (SELECT id FROM catalog_items WHERE code = 'vat-invoice-stock')`,
    );
    const cached = await get(url);
    expect(cached.headers['x-cache']).toBe('hit');
    expect(cached.body).not.toContain('缓存之外的新名称');
    invalidatePublicCaches();
    const fresh = await get(url);
    expect(fresh.headers['x-cache']).toBe('miss');
    expect(fresh.body).toContain('缓存之外的新名称');
  });

  it('never caches for signed-in people, nor serves them the anonymous copy', async () => {
    const url = '/services/hukou-transfer';
    invalidatePublicCaches();
    await get(url);
    expect((await get(url)).headers['x-cache']).toBe('hit');
    const citizen = await person('citizen');
    const res = await citizen.client.get(url);
    expect(res.statusCode).toBe(200);
    expect(res.headers['x-cache']).toBeUndefined();
    expect(res.body).toContain('action="/sign-out"');
    const again = await citizen.client.get(url);
    expect(again.headers['x-cache']).toBeUndefined();
    // And the signed-in page did not replace the anonymous copy.
    const anon = await get(url);
    expect(anon.headers['x-cache']).toBe('hit');
    expect(anon.body).not.toContain('action="/sign-out"');
  });

  it('does not cache error pages', async () => {
    expect((await get('/services/no-such-item')).statusCode).toBe(404);
    const again = await get('/services/no-such-item');
    expect(again.statusCode).toBe(404);
    expect(again.headers['x-cache']).toBe('miss');
  });

  it('an edit of an item clears the cached page and item view at once', async () => {
    const url = '/services/hk-macao-endorsement';
    await get(url);
    expect((await get(url)).headers['x-cache']).toBe('hit');
    await get('/api/v1/services/hk-macao-endorsement');
    const admin = await person('staff', 'psb-exit-entry', ['dept_admin']);
    const item = (await getCurrentItem(ctx.db, 'hk-macao-endorsement'))!;
    const put = await app.inject({
      method: 'PUT',
      url: '/api/v1/services/hk-macao-endorsement',
      headers: admin.bearer,
      payload: JSON.stringify({
        departmentCode: item.departmentCode,
        ...item.content,
        materials: item.content.materials.map((m) => ({ ...m })),
        nameZh: '往来港澳通行证签注（缓存测试）',
      }),
    });
    expect(put.statusCode).toBe(200);
    const page = await get(url);
    expect(page.headers['x-cache']).toBe('miss');
    expect(page.body).toContain('往来港澳通行证签注（缓存测试）');
    const api = await get('/api/v1/services/hk-macao-endorsement');
    expect(api.json()).toMatchObject({ nameZh: '往来港澳通行证签注（缓存测试）', version: item.currentVersion + 1 });
  });
});

describe('createTtlCache', () => {
  it('refuses a value read before an invalidation, and stores nothing with a TTL of 0', () => {
    const cache = createTtlCache<{ v: number }>({ ttlSeconds: 5, max: 2 });
    const before = publicCacheGeneration();
    invalidatePublicCaches();
    cache.set('a', { v: 1 }, before);
    expect(cache.get('a')).toBeUndefined();
    cache.set('a', { v: 2 }, publicCacheGeneration());
    expect(cache.get('a')).toEqual({ v: 2 });
    // Bounded: the least recently used goes.
    cache.set('b', { v: 3 }, publicCacheGeneration());
    cache.set('c', { v: 4 }, publicCacheGeneration());
    expect(cache.size).toBe(2);
    const off = createTtlCache<{ v: number }>({ ttlSeconds: 0, max: 2 });
    off.set('a', { v: 1 }, publicCacheGeneration());
    expect(off.get('a')).toBeUndefined();
  });
});
