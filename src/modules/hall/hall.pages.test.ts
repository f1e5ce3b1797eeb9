import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, TestClient, type TestContext } from '../../../test/helpers.js';
import { createUser, type TestUser } from '../../../test/factories.js';
import type { App } from '../../platform/http/types.js';
import { seedCatalog } from '../catalog/index.js';
import { seedHall } from './hall.seed.js';

let app: App;
let ctx: TestContext;
let citizen: TestUser;
let bus: TestUser;
let busAdmin: TestUser;
let operator: TestUser;
let release: TestUser;

// A 1×1 PNG.
const png = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==', 'base64');

const browserOf = (user: TestUser) => {
  const b = new TestClient(app);
  const [name, value] = user.cookie.split('=') as [string, string];
  b.cookies.set(name, value);
  return b;
};

const api = (user: TestUser, url: string, payload: object) => app.inject({ method: 'POST', url, headers: { authorization: user.authorization }, payload });

async function newPost(user: TestUser, extra: object = {}): Promise<{ id: string; number: string }> {
  const res = await api(user, '/api/v1/hall/posts', {
    kind: 'complaint',
    title: '公交车司机态度差',
    body: '乘坐公交车时司机态度很差。 @bus-group',
    ...extra,
  });
  expect(res.statusCode).toBe(201);
  return res.json();
}

beforeAll(async () => {
  ({ app, ctx } = await createTestApp({ env: { HALL_POST_LIMIT: '50' } }));
  await seedCatalog(ctx.db);
  await seedHall(ctx);
  citizen = await createUser(ctx, { realName: '张丽' });
  bus = await createUser(ctx, { kind: 'staff', departmentCode: 'bus-group', roles: ['clerk'], realName: '公交受理员' });
  busAdmin = await createUser(ctx, { kind: 'staff', departmentCode: 'bus-group', roles: ['dept_admin'] });
  operator = await createUser(ctx, { kind: 'staff', departmentCode: 'gov-service', roles: ['clerk'] });
  release = await createUser(ctx, { kind: 'staff', departmentCode: 'release', roles: ['clerk'] });
});

afterAll(async () => {
  await app.close();
  await ctx.cleanup();
});

describe('the department console', () => {
  it('shows the queue with countdowns, replies with a template and resolves, without JavaScript', async () => {
    const post = await newPost(citizen);
    const staff = browserOf(bus);
    const queue = await staff.get('/staff/hall');
    expect(queue.body).toContain(`/staff/hall/posts/${post.number}`);
    expect(queue.body).toMatch(/剩余|小时/);
    const page = `/staff/hall/posts/${post.number}`;
    const console = await staff.get(page);
    expect(console.statusCode).toBe(200);
    const templateId = /<option value="([0-9a-f-]{36})">致歉并调查<\/option>/.exec(console.body)?.[1];
    expect(templateId).toBeDefined();
    const empty = await staff.submit(page, `${page}/reply`, { kind: 'reply', body: '' });
    expect(empty.statusCode).toBe(400);
    expect(empty.body).toContain('error-summary');
    const replied = await staff.submit(page, `${page}/reply`, { kind: 'reply', body: '', templateId: templateId! });
    expect(replied.statusCode).toBe(303);
    const resolved = await staff.submit(page, `${page}/reply`, { kind: 'result', body: '已对司机批评教育。' });
    expect(resolved.statusCode).toBe(303);
    const thread = await app.inject({ method: 'GET', url: `/hall/posts/${post.number}` });
    expect(thread.body).toContain('已安排专人调查核实');
    expect(thread.body).toContain('已对司机批评教育。');
    expect(thread.body).toContain('成都公交集团');
    // The author rates on the page, without JavaScript.
    const author = browserOf(citizen);
    const threadUrl = `/hall/posts/${post.number}`;
    const noChoice = await author.submit(threadUrl, `${threadUrl}/rate`, {});
    expect(noChoice.statusCode).toBe(400);
    const rated = await author.submit(threadUrl, `${threadUrl}/rate`, { rating: 'satisfied' });
    expect(rated.statusCode).toBe(303);
    expect((await author.get(String(rated.headers.location))).body).toContain('谢谢您的评价');
    // FAQ promotion puts it on the home page and among suggestions.
    await staff.submit(page, `${page}/faq`, {});
    const home = await app.inject({ method: 'GET', url: '/hall' });
    expect(home.body).toContain(threadUrl);
    const s = (await app.inject({ method: 'POST', url: '/api/v1/hall/suggest', payload: { body: '公交车司机态度很差' } })).json<{
      similar: { type: string }[];
    }>();
    expect(s.similar[0]?.type).toBe('faq');
  });

  it('refuses a form without its CSRF token, and another department', async () => {
    const post = await newPost(citizen);
    const res = await app.inject({
      method: 'POST',
      url: `/staff/hall/posts/${post.number}/reply`,
      headers: { cookie: bus.cookie, 'content-type': 'application/x-www-form-urlencoded' },
      payload: 'kind=reply&body=hi',
    });
    expect(res.statusCode).toBe(403);
    const tax = await createUser(ctx, { kind: 'staff', departmentCode: 'tax', roles: ['clerk'] });
    // Another department does not see the console of the post, and may not answer it.
    expect((await browserOf(tax).get(`/staff/hall/posts/${post.number}`)).statusCode).toBe(404);
    const refused = await browserOf(tax).submit('/staff/hall/templates', `/staff/hall/posts/${post.number}/reply`, { kind: 'reply', body: 'x' });
    expect(refused.statusCode).toBe(403);
  });

  it('hides with a reason from the page (department admin), forwards from the page (operator)', async () => {
    const post = await newPost(citizen);
    const page = `/staff/hall/posts/${post.number}`;
    const admin = browserOf(busAdmin);
    const noReason = await admin.submit(page, `${page}/hide`, { reason: '' });
    expect(noReason.statusCode).toBe(400);
    expect((await admin.submit(page, `${page}/hide`, { reason: '重复留言' })).statusCode).toBe(303);
    expect((await app.inject({ method: 'GET', url: `/hall/posts/${post.number}` })).statusCode).toBe(404);
    const other = await newPost(citizen, { body: '公交站牌看不清' });
    const op = browserOf(operator);
    const fwd = await op.submit(`/staff/hall/posts/${other.number}`, `/staff/hall/posts/${other.number}/forward`, { departmentCode: 'housing', note: '' });
    expect(fwd.statusCode).toBe(303);
    const thread = await app.inject({ method: 'GET', url: `/hall/posts/${other.number}?lang=en` });
    expect(thread.body).toContain('Forwarded to Housing and Urban-Rural Development Bureau');
  });

  it('keeps reply templates per department', async () => {
    const staff = browserOf(bus);
    const bad = await staff.submit('/staff/hall/templates', '/staff/hall/templates', { title: '', body: '' });
    expect(bad.statusCode).toBe(400);
    expect((await staff.submit('/staff/hall/templates', '/staff/hall/templates', { title: '已办结', body: '您反映的问题已处理完毕。' })).statusCode).toBe(303);
    expect((await staff.get('/staff/hall/templates')).body).toContain('您反映的问题已处理完毕。');
    expect((await browserOf(operator).get('/staff/hall/templates')).body).not.toContain('您反映的问题已处理完毕。');
  });
});

describe('asking the author for more information', () => {
  it('lets the author answer on the thread; the post returns to the department', async () => {
    const post = await newPost(citizen);
    const staff = browserOf(bus);
    const page = `/staff/hall/posts/${post.number}`;
    expect((await staff.submit(page, `${page}/reply`, { kind: 'info_request', body: '请告知乘车时间和车牌号。' })).statusCode).toBe(303);
    const author = browserOf(citizen);
    const threadUrl = `/hall/posts/${post.number}`;
    const thread = await author.get(threadUrl);
    expect(thread.body).toContain('请告知乘车时间和车牌号。');
    expect(thread.body).toContain('action="/hall/posts/' + post.number + '/reply"');
    expect((await author.submit(threadUrl, `${threadUrl}/reply`, { body: '' })).statusCode).toBe(400);
    expect((await author.submit(threadUrl, `${threadUrl}/reply`, { body: '上午 8 点，川A12345。' })).statusCode).toBe(303);
    const after = (await app.inject({ method: 'GET', url: `/api/v1/hall/posts/${post.id}` })).json<{ status: string; entries: { kind: string }[] }>();
    expect(after.status).toBe('routed');
    expect(after.entries.map((e) => e.kind)).toEqual(expect.arrayContaining(['info_request', 'citizen_reply']));
    // A second answer is not asked for.
    expect((await author.submit(threadUrl, `${threadUrl}/reply`, { body: '再补充' })).statusCode).toBe(409);
  });

  it('counts a gov-service operator reply as the first human reply of a post in triage', async () => {
    const res = await api(citizen, '/api/v1/hall/posts', { kind: 'question', title: 'hello', body: 'hello there' });
    const post = res.json<{ id: string; status: string }>();
    expect(post.status).toBe('triage');
    expect((await api(bus, `/api/v1/hall/posts/${post.id}/replies`, { kind: 'reply', body: '不是我们' })).statusCode).toBe(403);
    expect((await api(operator, `/api/v1/hall/posts/${post.id}/replies`, { kind: 'reply', body: '您好，请问您想咨询哪方面的问题？' })).json()).toEqual({
      status: 'triage',
    });
  });

  it('re-renders the posting form with 429 when an account posts too often', async () => {
    const flooder = await createUser(ctx);
    for (let i = 0; i < 50; i++) await api(flooder, '/api/v1/hall/posts', { kind: 'question', title: `问 ${i}`, body: '公交什么时候来' });
    const b = browserOf(flooder);
    const form = await b.get('/hall/new');
    const csrf = /name="_csrf" value="([^"]+)"/.exec(form.body)![1]!;
    const res = await b.request(
      'POST',
      `/hall/new?_csrf=${encodeURIComponent(csrf)}`,
      new URLSearchParams({ _csrf: csrf, kind: 'question', title: '再问一次', body: '公交什么时候来' }).toString(),
      { 'content-type': 'application/x-www-form-urlencoded' },
    );
    expect(res.statusCode).toBe(429);
    expect(res.headers['retry-after']).toBeDefined();
    expect(res.body).toContain('再问一次');
    expect(res.body).toContain('error-summary');
  });
});

describe('the 12345 hotline', () => {
  it('files a post for a caller through the API and the console; the contact stays with the staff', async () => {
    const res = await api(operator, '/api/v1/hall/hotline-posts', {
      kind: 'complaint',
      title: '来电投诉公交司机',
      body: '市民来电反映 28 路公交司机辱骂乘客。',
      caller: { name: '刘先生', phone: '13912345678' },
    });
    expect(res.statusCode).toBe(201);
    const { id, number } = res.json<{ id: string; number: string }>();
    const pub = (await app.inject({ method: 'GET', url: `/api/v1/hall/posts/${id}` })).json<{ author: string | null; channel: string }>();
    expect(pub).toMatchObject({ author: null, channel: 'hotline' });
    const staffPage = await browserOf(operator).get(`/staff/hall/posts/${number}`);
    expect(staffPage.body).toContain('13912345678');
    expect((await app.inject({ method: 'GET', url: `/hall/posts/${number}` })).body).not.toContain('13912345678');
    expect((await api(bus, '/api/v1/hall/hotline-posts', { kind: 'question', title: 'x', body: 'y', caller: {} })).statusCode).toBe(403);
    const op = browserOf(operator);
    const form = await op.get('/staff/hall/hotline');
    const submissionId = /name="submissionId" value="([^"]+)"/.exec(form.body)![1]!;
    const csrf = /name="_csrf" value="([^"]+)"/.exec(form.body)![1]!;
    const filed = await op.request(
      'POST',
      `/staff/hall/hotline?_csrf=${encodeURIComponent(csrf)}`,
      new URLSearchParams({ _csrf: csrf, submissionId, kind: 'question', title: '来电咨询', body: '怎么迁户口', callerName: '李女士' }).toString(),
      { 'content-type': 'application/x-www-form-urlencoded' },
    );
    expect(filed.statusCode).toBe(303);
    expect(String(filed.headers.location)).toMatch(/^\/staff\/hall\/posts\/H/);
    expect((await browserOf(bus).get('/staff/hall/hotline')).statusCode).toBe(404);
  });
});

describe('accounts, following and announcements', () => {
  it('publishes on an account, shows it on the feed and to followers', async () => {
    const rel = browserOf(release);
    const bad = await rel.submit('/staff/hall/announce', '/staff/hall/announce', { departmentCode: 'release', title: '', body: '' });
    expect(bad.statusCode).toBe(400);
    const ok = await rel.submit('/staff/hall/announce', '/staff/hall/announce', {
      departmentCode: 'release',
      title: '地铁新线开通',
      body: '地铁 30 号线今日开通。',
    });
    expect(ok.statusCode).toBe(303);
    const forOther = await browserOf(bus).submit('/staff/hall/announce', '/staff/hall/announce', {
      departmentCode: 'release',
      title: '冒充',
      body: '冒充发布',
    });
    expect(forOther.statusCode).toBe(403);
    expect((await app.inject({ method: 'GET', url: '/hall' })).body).toContain('地铁新线开通');
    const account = await app.inject({ method: 'GET', url: '/hall/accounts/release' });
    expect(account.body).toContain('地铁新线开通');
    const person = browserOf(citizen);
    const follow = await person.submit('/hall/accounts/release', '/hall/accounts/release/follow', { on: '1' });
    expect(follow.statusCode).toBe(303);
    const home = await person.get('/hall');
    expect(home.body).toContain('我关注的账号');
    expect((await person.get('/hall/accounts/release')).body).toContain('1 人关注');
    expect((await app.inject({ method: 'GET', url: '/hall/accounts/nowhere' })).statusCode).toBe(404);
  });

  it('shows the figures of a department', async () => {
    const page = await app.inject({ method: 'GET', url: '/hall/accounts/bus-group?lang=en' });
    expect(page.body).toContain('Median time to first reply');
    expect(page.body).toMatch(/\d+ min/);
  });
});

describe('moderation', () => {
  it('lets the operators add an abusive word that posts then refuse', async () => {
    const op = browserOf(operator);
    expect((await op.submit('/staff/hall/words', '/staff/hall/words', { word: '', on: '1' })).statusCode).toBe(400);
    expect((await op.submit('/staff/hall/words', '/staff/hall/words', { word: '饭桶', on: '1' })).statusCode).toBe(303);
    const refused = await api(citizen, '/api/v1/hall/posts', { kind: 'complaint', title: '投诉', body: '这些人都是饭桶' });
    expect(refused.json<{ errors: Record<string, string> }>().errors.body).toBe('hall.error.blockedWord');
    expect((await browserOf(bus).get('/staff/hall/words')).statusCode).toBe(404);
  });

  it('re-renders the posting form with an unknown mention named, keeping the input', async () => {
    const person = browserOf(citizen);
    const form = await person.get('/hall/new');
    const csrf = /name="_csrf" value="([^"]+)"/.exec(form.body)![1]!;
    const res = await person.request(
      'POST',
      `/hall/new?_csrf=${encodeURIComponent(csrf)}`,
      new URLSearchParams({ _csrf: csrf, kind: 'question', title: '我的问题', body: '@火星局 请回答' }).toString(),
      { 'content-type': 'application/x-www-form-urlencoded' },
    );
    expect(res.statusCode).toBe(400);
    expect(res.body).toContain('@火星局');
    expect(res.body).toContain('我的问题');
  });
});

describe('photos', () => {
  it('attaches a photo through the multipart form and serves it with the public post', async () => {
    const person = browserOf(citizen);
    const form = await person.get('/hall/new');
    const csrf = /name="_csrf" value="([^"]+)"/.exec(form.body)![1]!;
    const boundary = 'hallboundary';
    const part = (name: string, value: string) => `--${boundary}\r\nContent-Disposition: form-data; name="${name}"\r\n\r\n${value}\r\n`;
    const body = Buffer.concat([
      Buffer.from(
        part('_csrf', csrf) +
          part('kind', 'report') +
          part('title', '路面坑洼') +
          part('body', '人民南路路面有大坑') +
          part('submissionId', crypto.randomUUID()),
      ),
      Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="photo"; filename="hole.png"\r\nContent-Type: image/png\r\n\r\n`),
      png,
      Buffer.from(`\r\n--${boundary}--\r\n`),
    ]);
    const res = await person.request('POST', `/hall/new?_csrf=${encodeURIComponent(csrf)}`, body as unknown as string, {
      'content-type': `multipart/form-data; boundary=${boundary}`,
    });
    expect(res.statusCode).toBe(303);
    const number = String(res.headers.location).split('/').pop()!;
    const thread = await app.inject({ method: 'GET', url: `/hall/posts/${number}` });
    expect(thread.body).toContain(`/hall/posts/${number}/photo`);
    const photo = await app.inject({ method: 'GET', url: `/hall/posts/${number}/photo` });
    expect(photo.statusCode).toBe(200);
    expect(photo.headers['content-type']).toBe('image/png');
  });
});

describe('the API description', () => {
  it('documents the hall in the OpenAPI document', async () => {
    const doc = (await app.inject({ method: 'GET', url: '/api/openapi.json' })).json<{ paths: Record<string, unknown> }>();
    expect(Object.keys(doc.paths)).toEqual(expect.arrayContaining(['/api/v1/hall/posts', '/api/v1/hall/posts/{id}', '/api/v1/hall/suggest']));
  });
});

describe('server-sent events', () => {
  it('streams an update to a thread page when the department replies', async () => {
    const post = await newPost(citizen);
    const address = await app.listen({ port: 0, host: '127.0.0.1' });
    const controller = new AbortController();
    const res = await fetch(`${address}/hall/posts/${post.number}/events`, { signal: controller.signal });
    expect(res.headers.get('content-type')).toContain('text/event-stream');
    const reader = res.body!.getReader();
    const decoder = new TextDecoder();
    let text = '';
    await api(bus, `/api/v1/hall/posts/${post.id}/replies`, { kind: 'reply', body: '收到，正在核实。' });
    const until = Date.now() + 8000;
    while (!text.includes('event: update') && Date.now() < until) {
      const { value, done } = await reader.read();
      if (done) break;
      text += decoder.decode(value);
    }
    expect(text).toContain('event: update');
    expect(text).toContain(post.number);
    controller.abort();
  });
});
