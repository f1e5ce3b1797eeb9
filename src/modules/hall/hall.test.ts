import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, manualClock, TestClient, type TestContext } from '../../../test/helpers.js';
import { createUser, waitFor, type TestUser } from '../../../test/factories.js';
import type { App } from '../../platform/http/types.js';
import { sessions } from '../../platform/db/schema.js';
import { seedCatalog } from '../catalog/index.js';
import { createLiveHub, type LiveEvent } from './hall.live.js';
import { departmentFigures, runSlaCheck } from './hall.service.js';
import { defineHallJobs } from './hall.jobs.js';

const clock = manualClock(new Date('2026-11-27T02:00:00Z'));
let app: App;
let ctx: TestContext;
let citizen: TestUser;
let other: TestUser;
let bus: TestUser;
let operator: TestUser;

const api = (user: TestUser | null, method: 'GET' | 'POST', url: string, payload?: object, headers: Record<string, string> = {}) =>
  app.inject({ method, url, headers: { ...(user ? { authorization: user.authorization } : {}), ...headers }, ...(payload ? { payload } : {}) });

const busComplaint = { kind: 'complaint', title: '公交司机态度恶劣', body: '今天早上乘坐 28 路公交车，司机对乘客态度恶劣，还辱骂老人。希望公交公司调查处理。' };

beforeAll(async () => {
  ({ app, ctx } = await createTestApp({ clock, env: { HALL_POST_LIMIT: '8', HALL_POST_WINDOW_SECONDS: '600' } }));
  await seedCatalog(ctx.db);
  // The queue exists (pg-boss keeps jobs only for defined queues); workers are not started: tests run the checks.
  await defineHallJobs(ctx);
  citizen = await createUser(ctx, { realName: '张丽' });
  other = await createUser(ctx, { realName: '王芳' });
  bus = await createUser(ctx, { kind: 'staff', departmentCode: 'bus-group', roles: ['clerk'] });
  operator = await createUser(ctx, { kind: 'staff', departmentCode: 'gov-service', roles: ['clerk'] });
  await keepSessions();
});

/** The test clock moves days ahead; the factory's sessions last an hour of real time. */
const keepSessions = () => ctx.db.update(sessions).set({ expiresAt: new Date('2030-01-01T00:00:00Z') });

afterAll(async () => {
  await app.close();
  await ctx.cleanup();
});

describe('posting through the API', () => {
  it('routes a complaint about a bus driver, acknowledges it at once and shows the thread', async () => {
    const res = await api(citizen, 'POST', '/api/v1/hall/posts', busComplaint);
    expect(res.statusCode).toBe(201);
    const created = res.json<{ id: string; number: string; status: string; routedTo: { departmentCode: string; confidence: number } | null }>();
    expect(created.number).toMatch(/^H20261127-\d{6}$/);
    expect(created.status).toBe('routed');
    expect(['bus-group', 'transport']).toContain(created.routedTo?.departmentCode);
    expect(created.routedTo!.confidence).toBeGreaterThan(0);
    const thread = await api(null, 'GET', `/api/v1/hall/posts/${created.id}`);
    expect(thread.statusCode).toBe(200);
    const t = thread.json<{ entries: { kind: string; body: string | null }[]; author: string }>();
    const ack = t.entries.find((e) => e.kind === 'ack');
    expect(ack?.body).toContain('请耐心等待');
    expect(t.entries.some((e) => e.kind === 'forward')).toBe(true);
    expect(t.author).toBe('张丽');
    // The number works as well as the id.
    expect((await api(null, 'GET', `/api/v1/hall/posts/${created.number}`)).statusCode).toBe(200);
  });

  it('acknowledges in the language of the post', async () => {
    const res = await api(other, 'POST', '/api/v1/hall/posts', {
      kind: 'question',
      title: 'Library opening hours',
      body: 'When does the city library open on public holidays? @culture-tourism',
    });
    expect(res.statusCode).toBe(201);
    const created = res.json<{ id: string; routedTo: { departmentCode: string } }>();
    expect(created.routedTo.departmentCode).toBe('culture-tourism');
    const t = (await api(null, 'GET', `/api/v1/hall/posts/${created.id}`)).json<{ entries: { kind: string; body: string | null }[] }>();
    expect(t.entries.find((e) => e.kind === 'ack')?.body).toContain('please be patient'.replace('please', 'Please'));
  });

  it('routes by the chosen category and sends unclear text to triage', async () => {
    const byCategory = await api(other, 'POST', '/api/v1/hall/posts', { kind: 'question', title: '咨询', body: '请问怎么办理？', departmentCode: 'tax' });
    expect(byCategory.json<{ routedTo: { departmentCode: string } }>().routedTo.departmentCode).toBe('tax');
    const unclear = await api(other, 'POST', '/api/v1/hall/posts', { kind: 'question', title: 'hello', body: 'hello there' });
    expect(unclear.statusCode).toBe(201);
    expect(unclear.json()).toMatchObject({ status: 'triage', routedTo: null });
  });

  it('answers bad input clearly and loses nothing', async () => {
    const empty = await api(citizen, 'POST', '/api/v1/hall/posts', { kind: 'complaint', title: '', body: '   ' });
    expect(empty.statusCode).toBe(400);
    expect(empty.json<{ errors: Record<string, string> }>().errors).toMatchObject({ title: 'hall.error.titleRequired', body: 'hall.error.bodyRequired' });
    const long = await api(citizen, 'POST', '/api/v1/hall/posts', { kind: 'complaint', title: '太长', body: '长'.repeat(20_000) });
    expect(long.statusCode).toBe(400);
    expect(long.json<{ errors: Record<string, string> }>().errors.body).toBe('hall.error.bodyTooLong');
    const kind = await api(citizen, 'POST', '/api/v1/hall/posts', { kind: 'praise', title: 'x', body: 'y' });
    expect(kind.json<{ errors: Record<string, string> }>().errors.kind).toBe('hall.error.kind');
    const mention = await api(citizen, 'POST', '/api/v1/hall/posts', { kind: 'question', title: '问', body: '@不存在的局 你好' });
    expect(mention.statusCode).toBe(400);
    expect(mention.json<{ unknownMentions: string[] }>().unknownMentions).toEqual(['不存在的局']);
    const abusive = await api(citizen, 'POST', '/api/v1/hall/posts', { kind: 'complaint', title: '投诉', body: '你们都是王八蛋' });
    expect(abusive.json<{ errors: Record<string, string> }>().errors.body).toBe('hall.error.blockedWord');
    expect((await api(null, 'POST', '/api/v1/hall/posts', busComplaint)).statusCode).toBe(401);
    expect((await api(bus, 'POST', '/api/v1/hall/posts', busComplaint)).statusCode).toBe(403);
  });

  it('shows markup as text and masks ID and phone numbers in public', async () => {
    const res = await api(other, 'POST', '/api/v1/hall/posts', {
      kind: 'report',
      title: '<script>alert(1)</script> 路灯不亮',
      body: '我的电话 13812345678，身份证 510107198503120028，小区路灯坏了。<b>急</b>',
      location: { address: '武侯区某路 1 号' },
    });
    expect(res.statusCode).toBe(201);
    const { id, number } = res.json<{ id: string; number: string }>();
    const t = (await api(null, 'GET', `/api/v1/hall/posts/${id}`)).json<{ body: string; title: string }>();
    expect(t.body).not.toContain('13812345678');
    expect(t.body).toContain('138****5678');
    expect(t.body).not.toContain('510107198503120028');
    expect(t.body).toContain('510107********0028');
    const page = await app.inject({ method: 'GET', url: `/hall/posts/${number}` });
    expect(page.statusCode).toBe(200);
    expect(page.body).not.toContain('<script>alert(1)</script>');
    expect(page.body).toContain('&lt;script');
    expect(page.body).not.toContain('<b>急</b>');
    expect(page.body).not.toContain('13812345678');
  });

  it('is idempotent with an Idempotency-Key', async () => {
    const headers = { 'idempotency-key': 'double-submit-1' };
    const [a, b] = await Promise.all([
      api(other, 'POST', '/api/v1/hall/posts', { ...busComplaint, title: '重复提交' }, headers),
      api(other, 'POST', '/api/v1/hall/posts', { ...busComplaint, title: '重复提交' }, headers),
    ]);
    expect(a.statusCode).toBe(201);
    expect(b.statusCode).toBe(201);
    expect(a.json<{ id: string }>().id).toBe(b.json<{ id: string }>().id);
  });

  it('refuses a flood from one account with 429 and Retry-After', async () => {
    const flooder = await createUser(ctx);
    await keepSessions();
    const codes: number[] = [];
    for (let i = 0; i < 10; i++)
      codes.push((await api(flooder, 'POST', '/api/v1/hall/posts', { kind: 'question', title: `问题 ${i}`, body: '公交车什么时候来' })).statusCode);
    expect(codes.slice(0, 8).every((c) => c === 201)).toBe(true);
    expect(codes.slice(8)).toEqual([429, 429]);
    const refused = await api(flooder, 'POST', '/api/v1/hall/posts', { kind: 'question', title: 'x', body: 'y' });
    expect(refused.headers['retry-after']).toBeDefined();
  });

  it('keeps a private post from the public', async () => {
    const res = await api(citizen, 'POST', '/api/v1/hall/posts', { ...busComplaint, title: '私密投诉', visibility: 'private' });
    const { id } = res.json<{ id: string }>();
    expect((await api(null, 'GET', `/api/v1/hall/posts/${id}`)).statusCode).toBe(404);
    expect((await api(other, 'GET', `/api/v1/hall/posts/${id}`)).statusCode).toBe(404);
    expect((await api(citizen, 'GET', `/api/v1/hall/posts/${id}`)).statusCode).toBe(200);
    const list = (await api(null, 'GET', '/api/v1/hall/posts?limit=200')).json<{ items: { id: string }[] }>();
    expect(list.items.some((p) => p.id === id)).toBe(false);
  });
});

describe('the department answers, the citizen rates and reopens', () => {
  it('runs the whole journey and counts it in the figures', async () => {
    const created = (
      await api(citizen, 'POST', '/api/v1/hall/posts', { ...busComplaint, title: '司机辱骂乘客', body: `${busComplaint.body} @bus-group` })
    ).json<{
      id: string;
      routedTo: { departmentCode: string };
    }>();
    expect(created.routedTo.departmentCode).toBe('bus-group');
    // Another department may not answer it.
    const stranger = await createUser(ctx, { kind: 'staff', departmentCode: 'tax', roles: ['clerk'] });
    await keepSessions();
    expect((await api(stranger, 'POST', `/api/v1/hall/posts/${created.id}/replies`, { kind: 'reply', body: '不是我们' })).statusCode).toBe(403);
    clock.advance(30 * 60_000);
    const reply = await api(bus, 'POST', `/api/v1/hall/posts/${created.id}/replies`, { kind: 'reply', body: '非常抱歉，我们已安排调查。' });
    expect(reply.json()).toEqual({ status: 'answered' });
    clock.advance(3 * 3600_000);
    const result = await api(bus, 'POST', `/api/v1/hall/posts/${created.id}/replies`, { kind: 'result', body: '经调查属实，已对司机批评教育并扣发绩效。' });
    expect(result.json()).toEqual({ status: 'resolved' });
    const thread = (await api(null, 'GET', `/api/v1/hall/posts/${created.id}`)).json<{
      entries: { kind: string; department: string | null }[];
      statusNote: string;
    }>();
    expect(thread.entries.filter((e) => e.kind === 'reply' || e.kind === 'result').every((e) => e.department === 'bus-group')).toBe(true);
    expect(thread.statusNote).toContain('经调查属实');
    // Only the author rates.
    expect((await api(other, 'POST', `/api/v1/hall/posts/${created.id}/rating`, { rating: 'satisfied' })).statusCode).toBe(403);
    expect((await api(citizen, 'POST', `/api/v1/hall/posts/${created.id}/rating`, { rating: 'great' })).statusCode).toBe(400);
    expect((await api(citizen, 'POST', `/api/v1/hall/posts/${created.id}/rating`, { rating: 'unsatisfied' })).json()).toEqual({ rating: 'unsatisfied' });
    // The author was told in the inbox.
    const inbox = await ctx.notify.inbox.list(citizen.id, 'zh-CN');
    expect(inbox.some((n) => n.template === 'hall-result')).toBe(true);
    // Reopen within 7 days: back to the department, counted.
    expect((await api(citizen, 'POST', `/api/v1/hall/posts/${created.id}/reopen`, { reason: '' })).statusCode).toBe(400);
    const reopened = await api(citizen, 'POST', `/api/v1/hall/posts/${created.id}/reopen`, { reason: '司机仍然态度恶劣' });
    expect(reopened.json()).toEqual({ status: 'routed', reopenCount: 1 });
    const figures = (await departmentFigures(ctx, 'bus-group'))[0]!;
    expect(figures.reopened).toBe(1);
    expect(figures.medianFirstReplyMinutes).toBe(30);
    // Resolve again and let 8 days pass: too late to reopen.
    await api(bus, 'POST', `/api/v1/hall/posts/${created.id}/replies`, { kind: 'result', body: '已再次处理。' });
    clock.advance(8 * 86_400_000);
    expect((await api(citizen, 'POST', `/api/v1/hall/posts/${created.id}/reopen`, { reason: '还是不行' })).statusCode).toBe(409);
  });

  it('lets the operators forward a post; the thread shows it and the post stays open', async () => {
    const created = (await api(other, 'POST', '/api/v1/hall/posts', { kind: 'question', title: 'hello', body: 'who handles potholes' })).json<{ id: string }>();
    expect((await api(bus, 'POST', `/api/v1/hall/posts/${created.id}/forward`, { departmentCode: 'housing' })).statusCode).toBe(403);
    const fwd = await api(operator, 'POST', `/api/v1/hall/posts/${created.id}/forward`, { departmentCode: 'housing', note: '道路维修' });
    expect(fwd.json()).toEqual({ status: 'routed', departmentCode: 'housing' });
    const bad = await api(operator, 'POST', `/api/v1/hall/posts/${created.id}/forward`, { departmentCode: 'nowhere' });
    expect(bad.statusCode).toBe(400);
    const t = (await api(null, 'GET', `/api/v1/hall/posts/${created.id}`)).json<{
      entries: { kind: string; detail: Record<string, unknown> | null }[];
      open: boolean;
    }>();
    expect(t.open).toBe(true);
    expect(t.entries.some((e) => e.kind === 'forward' && e.detail?.to === 'housing')).toBe(true);
  });

  it('hides a post with a reason: audited, the author told, gone from the public', async () => {
    const created = (await api(other, 'POST', '/api/v1/hall/posts', { kind: 'question', title: '广告', body: '加微信买便宜货' })).json<{ id: string }>();
    expect((await api(operator, 'POST', `/api/v1/hall/posts/${created.id}/hide`, { reason: '' })).statusCode).toBe(400);
    expect((await api(operator, 'POST', `/api/v1/hall/posts/${created.id}/hide`, { reason: '广告信息' })).statusCode).toBe(200);
    expect((await api(null, 'GET', `/api/v1/hall/posts/${created.id}`)).statusCode).toBe(404);
    expect((await api(other, 'GET', `/api/v1/hall/posts/${created.id}`)).statusCode).toBe(200);
    const inbox = await ctx.notify.inbox.list(other.id, 'zh-CN');
    expect(inbox.find((n) => n.template === 'hall-hidden')?.body).toContain('广告信息');
    const audit = await ctx.database.query(`SELECT action, outcome FROM platform_audit_log WHERE resource_id = $1`, [created.id]);
    expect(audit.rows).toContainEqual({ action: 'hall.hide', outcome: 'ok' });
  });
});

describe('promises', () => {
  it('escalates a post nobody replied to within an hour, and the department breach', async () => {
    const author = await createUser(ctx);
    await keepSessions();
    const res = await api(author, 'POST', '/api/v1/hall/posts', { ...busComplaint, title: '无人回复', body: `${busComplaint.body} @bus-group` });
    expect(res.statusCode).toBe(201);
    const created = res.json<{ id: string }>();
    const checks = async () =>
      (
        await ctx.database.query(`SELECT data->>'kind' AS kind FROM pgboss.job WHERE name = 'hall.sla' AND data->>'postId' = $1 ORDER BY created_on`, [
          created.id,
        ])
      ).rows.map((r) => r.kind);
    // One job at a time: the first-reply check, which then schedules the department's reminder, which schedules the escalation.
    expect(await checks()).toEqual(['first-reply']);
    clock.advance(61 * 60_000);
    expect(await runSlaCheck(ctx, created.id, 0, 'first-reply')).toBe(true);
    expect(await checks()).toEqual(['first-reply', 'warn']);
    expect(await runSlaCheck(ctx, created.id, 0, 'warn')).toBe(true);
    expect(await checks()).toEqual(['first-reply', 'warn', 'breach']);
    // Too early for the escalation: nothing happens.
    expect(await runSlaCheck(ctx, created.id, 0, 'breach')).toBe(false);
    clock.advance(12 * 3600_000);
    expect(await runSlaCheck(ctx, created.id, 0, 'breach')).toBe(true);
    // A job of an older generation does nothing.
    expect(await runSlaCheck(ctx, created.id, 5, 'breach')).toBe(false);
    const notices = await ctx.notify.inbox.list(bus.id, 'zh-CN');
    expect(notices.some((n) => n.template === 'hall-sla-breach')).toBe(true);
    const staffView = (await api(bus, 'GET', `/api/v1/hall/posts/${created.id}`)).json<{ entries: { kind: string }[] }>();
    expect(staffView.entries.some((e) => e.kind === 'escalation')).toBe(true);
    const publicView = (await api(null, 'GET', `/api/v1/hall/posts/${created.id}`)).json<{ entries: { kind: string }[] }>();
    expect(publicView.entries.some((e) => e.kind === 'escalation')).toBe(false);
  });
});

describe('suggestions while typing', () => {
  it('shows the hukou-transfer item for a household registration question', async () => {
    const res = await app.inject({ method: 'POST', url: '/api/v1/hall/suggest', payload: { body: 'how do I transfer my household registration' } });
    expect(res.statusCode).toBe(200);
    const s = res.json<{ routing: { departmentCode: string; confidence: number }; similar: { type: string; code?: string }[] }>();
    expect(s.similar.some((x) => x.type === 'service' && x.code === 'hukou-transfer')).toBe(true);
    expect(typeof s.routing.departmentCode).toBe('string');
    const zh = (await app.inject({ method: 'POST', url: '/api/v1/hall/suggest', payload: { body: '我想把户口迁到成都，怎么办？' } })).json<{
      similar: { code?: string }[];
    }>();
    expect(zh.similar.some((x) => x.code === 'hukou-transfer')).toBe(true);
  });

  it('finds an answered question and an open report like the text', async () => {
    const s = (await app.inject({ method: 'POST', url: '/api/v1/hall/suggest', payload: { body: '公交司机态度恶劣，辱骂乘客' } })).json<{
      similar: { type: string }[];
    }>();
    expect(s.similar.some((x) => x.type === 'answered')).toBe(true);
    const r = (await app.inject({ method: 'POST', url: '/api/v1/hall/suggest', payload: { body: '小区路灯坏了很久' } })).json<{
      similar: { type: string }[];
    }>();
    expect(r.similar.some((x) => x.type === 'open-report')).toBe(true);
    expect((await app.inject({ method: 'POST', url: '/api/v1/hall/suggest', payload: { body: '' } })).statusCode).toBe(400);
  });
});

describe('live updates', () => {
  it('delivers a NOTIFY to listeners when a post changes', async () => {
    const hub = createLiveHub(ctx);
    const seen: LiveEvent[] = [];
    const stop = await hub.subscribe((e) => seen.push(e));
    const created = (await api(citizen, 'POST', '/api/v1/hall/posts', { ...busComplaint, title: '实时' })).json<{ id: string }>();
    await waitFor(() => seen.some((e) => e.postId === created.id), 5000);
    stop();
    await hub.close();
  });
});

describe('pages', () => {
  it('posts through the form without JavaScript, once on a double submit, and re-renders errors', async () => {
    const browser = new TestClient(app, { cookie: citizen.cookie });
    browser.cookies.set('sh_session', citizen.cookie.split('=')[1]!);
    const form = await browser.get('/hall/new');
    expect(form.statusCode).toBe(200);
    const csrf = /name="_csrf" value="([^"]+)"/.exec(form.body)![1]!;
    const submissionId = /name="submissionId" value="([^"]+)"/.exec(form.body)![1]!;
    const post = (fields: Record<string, string>) =>
      browser.request('POST', `/hall/new?_csrf=${encodeURIComponent(csrf)}`, new URLSearchParams({ ...fields, _csrf: csrf }).toString(), {
        'content-type': 'application/x-www-form-urlencoded',
      });
    const bad = await post({ kind: 'complaint', title: '', body: '', submissionId });
    expect(bad.statusCode).toBe(400);
    expect(bad.body).toContain('error-summary');
    const check = await post({ kind: 'question', title: '户口', body: '怎么迁户口', submissionId, action: 'check' });
    expect(check.statusCode).toBe(200);
    expect(check.body).toContain('/services/hukou-transfer');
    const fields = { kind: 'complaint', title: '页面投诉', body: '公交司机开车打电话', submissionId };
    const first = await post(fields);
    expect(first.statusCode).toBe(303);
    const second = await post(fields);
    expect(second.headers.location).toBe(first.headers.location);
    const thread = await browser.get(String(first.headers.location));
    expect(thread.statusCode).toBe(200);
    expect(thread.body).toContain('页面投诉');
  });

  it('renders the hall, the accounts and the staff console in both languages', async () => {
    for (const lang of ['zh-CN', 'en']) {
      for (const url of ['/hall', '/hall/accounts', '/hall/accounts/bus-group']) {
        const res = await app.inject({ method: 'GET', url: `${url}?lang=${lang}` });
        expect(res.statusCode, url).toBe(200);
      }
    }
    const queue = await app.inject({ method: 'GET', url: '/staff/hall', headers: { cookie: bus.cookie } });
    expect(queue.statusCode).toBe(200);
    expect(queue.body).toContain('/staff/hall/posts/H');
    expect((await app.inject({ method: 'GET', url: '/staff/hall', headers: { cookie: citizen.cookie } })).statusCode).toBe(403);
  });
});
