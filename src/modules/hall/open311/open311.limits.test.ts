import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, manualClock, type TestContext } from '../../../../test/helpers.js';
import type { App } from '../../../platform/http/types.js';
import { seedCatalog } from '../../catalog/index.js';
import { hallPosts } from '../hall.schema.js';
import { MAX_RANGE_DAYS, MAX_RESULTS } from './open311.service.js';

const now = new Date('2026-11-27T02:00:00Z');
const clock = manualClock(now);
const day = 86_400_000;
let app: App;
let ctx: TestContext;

const number = (i: number) => `H20261127-${String(900_000 + i).padStart(6, '0')}`;

beforeAll(async () => {
  ({ app, ctx } = await createTestApp({ clock }));
  await seedCatalog(ctx.db);
  // 1,001 public posts of the last day, one a minute (post 0 the newest), in one multi-row insert; and
  // one 100 days old, outside the default window.
  const row = (i: number, createdAt: Date) => ({
    number: number(i),
    kind: 'complaint' as const,
    title: `路灯不亮 ${i}`,
    body: '小区门口的路灯坏了。',
    publicTitle: `路灯不亮 ${i}`,
    publicBody: '小区门口的路灯坏了。',
    authorName: '测试',
    channel: 'api' as const,
    departmentCode: 'transport',
    routing: { method: 'category' as const, departmentCode: 'transport', confidence: 1 },
    status: 'routed' as const,
    routedAt: createdAt,
    firstReplyDue: new Date(createdAt.getTime() + 3600_000),
    answerDue: new Date(createdAt.getTime() + 12 * 3600_000),
    createdAt,
    updatedAt: createdAt,
  });
  const rows = Array.from({ length: MAX_RESULTS + 1 }, (_, i) => row(i, new Date(now.getTime() - (i + 1) * 60_000)));
  for (let i = 0; i < rows.length; i += 500) await ctx.db.insert(hallPosts).values(rows.slice(i, i + 500));
  await ctx.db.insert(hallPosts).values(row(5000, new Date(now.getTime() - 100 * day)));
});

afterAll(async () => {
  await app.close();
  await ctx.cleanup();
});

describe('Open311 requests.json limits', () => {
  it('returns at most 1,000 requests, the newest, in JSON and XML', async () => {
    const res = await app.inject({ method: 'GET', url: '/open311/v2/requests.json' });
    expect(res.statusCode).toBe(200);
    const list = res.json<{ service_request_id: string; status: string }[]>();
    expect(list).toHaveLength(1000);
    const ids = new Set(list.map((r) => r.service_request_id));
    expect(ids.size).toBe(1000);
    // The newest thousand: the oldest of the 1,001 is the one left out.
    expect(ids.has(number(0))).toBe(true);
    expect(ids.has(number(999))).toBe(true);
    expect(ids.has(number(1000))).toBe(false);
    const xml = await app.inject({ method: 'GET', url: '/open311/v2/requests.xml' });
    expect(xml.statusCode).toBe(200);
    expect(xml.body.match(/<request>/g)).toHaveLength(1000);
    // A list of more than 1,000 ids is cut to 1,000 as well.
    const many = Array.from({ length: 1001 }, (_, i) => number(i)).join(',');
    const byId = await app.inject({ method: 'GET', url: `/open311/v2/requests.json?service_request_id=${many}` });
    expect(byId.statusCode).toBe(200);
    expect(byId.json<unknown[]>().length).toBeLessThanOrEqual(1000);
  });

  it('refuses a date range over 90 days and clamps an open-ended one to 90 days', async () => {
    const iso = (d: Date) => d.toISOString().replace('.000Z', 'Z');
    const end = new Date(now.getTime());
    const exactly = new Date(end.getTime() - MAX_RANGE_DAYS * day);
    const ok = await app.inject({ method: 'GET', url: `/open311/v2/requests.json?start_date=${iso(exactly)}&end_date=${iso(end)}` });
    expect(ok.statusCode).toBe(200);
    expect(ok.json<unknown[]>()).toHaveLength(1000);
    const tooLong = await app.inject({
      method: 'GET',
      url: `/open311/v2/requests.json?start_date=${iso(new Date(exactly.getTime() - 1000))}&end_date=${iso(end)}`,
    });
    expect(tooLong.statusCode).toBe(400);
    const errors = tooLong.json<{ code: number; description: string }[]>();
    expect(errors[0]?.code).toBe(400);
    expect(errors[0]?.description.length).toBeGreaterThan(0);
    const xml = await app.inject({ method: 'GET', url: `/open311/v2/requests.xml?start_date=2026-01-01T00:00:00Z&end_date=2026-11-27T00:00:00Z` });
    expect(xml.statusCode).toBe(400);
    expect(xml.body).toMatch(/<errors><error><code>400<\/code>/);
    // Only a start date: the 90 days after it, which holds the old post and none of the recent ones.
    const old = await app.inject({ method: 'GET', url: `/open311/v2/requests.json?start_date=${iso(new Date(now.getTime() - 101 * day))}` });
    expect(old.statusCode).toBe(200);
    expect(old.json<{ service_request_id: string }[]>().map((r) => r.service_request_id)).toEqual([number(5000)]);
    // No dates: the last 90 days, so not the old post.
    const recent = await app.inject({ method: 'GET', url: `/open311/v2/requests.json?service_request_id=` });
    expect(recent.json<{ service_request_id: string }[]>().some((r) => r.service_request_id === number(5000))).toBe(false);
  });
});
