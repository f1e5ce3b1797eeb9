import { readFileSync } from 'node:fs';
import { Ajv, type ValidateFunction } from 'ajv';
import formatsModule from 'ajv-formats';
import { and, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, manualClock, type TestContext } from '../../../../test/helpers.js';
import { createUser, type TestUser } from '../../../../test/factories.js';
import type { App } from '../../../platform/http/types.js';
import { auditLog, sessions } from '../../../platform/db/schema.js';
import { seedCatalog } from '../../catalog/index.js';

const clock = manualClock(new Date('2026-11-27T02:00:00Z'));
let app: App;
let ctx: TestContext;
let admin: TestUser;
let transportClerk: TestUser;
let apiKey = '';

// The community's schemas; requests.json and services.json refer to request.json and service.json.
const ajv = new Ajv({ allErrors: true, strict: false });
formatsModule.default(ajv);
const schemaNames = ['request', 'requests', 'service', 'services', 'service-definition', 'request-created', 'token', 'errors'] as const;
for (const name of schemaNames)
  ajv.addSchema(JSON.parse(readFileSync(new URL(`./fixtures/schemas/${name}.json`, import.meta.url), 'utf8')) as object, `${name}.json`);
const schema = (name: (typeof schemaNames)[number]): ValidateFunction => {
  const v = ajv.getSchema(`${name}.json`);
  if (!v) throw new Error(`schema ${name} missing`);
  return v;
};
const expectValid = (name: (typeof schemaNames)[number], body: unknown) => {
  const validate = schema(name);
  const ok = validate(body);
  expect(ok ? null : validate.errors).toBeNull();
};

const form = (fields: Record<string, string>) => new URLSearchParams(fields).toString();
const post = (fields: Record<string, string>, format = 'json', headers: Record<string, string> = {}) =>
  app.inject({
    method: 'POST',
    url: `/open311/v2/requests.${format}`,
    headers: { 'content-type': 'application/x-www-form-urlencoded', ...headers },
    payload: form(fields),
  });
const get = (url: string, headers: Record<string, string> = {}) => app.inject({ method: 'GET', url, headers });

const busComplaint = {
  service_code: 'transport',
  lat: '30.6598',
  long: '104.0633',
  description: '今天早上乘坐 28 路公交车，司机对乘客态度恶劣，还辱骂老人。希望调查处理。',
  'attribute[kind]': 'complaint',
  'attribute[title]': '公交司机态度恶劣',
};

beforeAll(async () => {
  ({ app, ctx } = await createTestApp({ clock }));
  await seedCatalog(ctx.db);
  admin = await createUser(ctx, { kind: 'staff', departmentCode: 'gov-service', roles: ['platform_admin'] });
  transportClerk = await createUser(ctx, { kind: 'staff', departmentCode: 'transport', roles: ['clerk'] });
  await ctx.db.update(sessions).set({ expiresAt: new Date('2030-01-01T00:00:00Z') });
});

afterAll(async () => {
  await app.close();
  await ctx.cleanup();
});

describe('the schemas', () => {
  it('are live: they refuse a request without its required fields or with a bad status', () => {
    expect(schema('requests')([{ service_request_id: 'H1', status: 'open', service_code: 'x' }])).toBe(false);
    expect(schema('requests')([{ service_request_id: 'H1', status: 'pending', service_code: 'x', requested_datetime: '2026-11-27T02:00:00Z' }])).toBe(false);
    expect(schema('requests')([{ service_request_id: 'H1', status: 'open', service_code: 'x', requested_datetime: 'yesterday' }])).toBe(false);
    expect(schema('errors')([{ code: 400 }])).toBe(false);
  });
});

describe('api keys', () => {
  it('are issued by a platform administrator once, audited, and refused to others', async () => {
    const clerk = await app.inject({
      method: 'POST',
      url: '/api/v1/hall/open311/clients',
      headers: { authorization: transportClerk.authorization },
      payload: { name: 'x' },
    });
    expect(clerk.statusCode).toBe(403);
    const res = await app.inject({
      method: 'POST',
      url: '/api/v1/hall/open311/clients',
      headers: { authorization: admin.authorization },
      payload: { name: '成都市民 App', contactEmail: 'dev@example.cn' },
    });
    expect(res.statusCode).toBe(201);
    const body = res.json<{ id: string; apiKey: string; keyPrefix: string }>();
    expect(body.apiKey).toMatch(/^o311_/);
    expect(body.apiKey.startsWith(body.keyPrefix)).toBe(true);
    apiKey = body.apiKey;
    const [audit] = await ctx.db
      .select()
      .from(auditLog)
      .where(and(eq(auditLog.action, 'hall.open311.key_issued'), eq(auditLog.resourceId, body.id)));
    expect(audit?.actorId).toBe(admin.id);
    const listed = (await app.inject({ method: 'GET', url: '/api/v1/hall/open311/clients', headers: { authorization: admin.authorization } })).json<
      Record<string, unknown>[]
    >();
    expect(listed.some((c) => c.id === body.id)).toBe(true);
    expect(JSON.stringify(listed)).not.toContain(apiKey);
    const bad = await app.inject({
      method: 'POST',
      url: '/api/v1/hall/open311/clients',
      headers: { authorization: admin.authorization },
      payload: { name: '  ' },
    });
    expect(bad.statusCode).toBe(400);
  });
});

describe('discovery and services', () => {
  it('describes the endpoint in JSON and XML', async () => {
    const json = await get('/open311/v2/discovery.json');
    expect(json.statusCode).toBe(200);
    const d = json.json<{ endpoints: { specification: string; url: string; formats: string[] }[] }>();
    expect(d.endpoints[0]?.specification).toBe('http://wiki.open311.org/GeoReport_v2');
    expect(d.endpoints[0]?.url).toMatch(/\/open311\/v2\/$/);
    expect(d.endpoints[0]?.formats).toEqual(['application/json', 'text/xml']);
    const xml = await get('/open311/v2/discovery.xml');
    expect(xml.headers['content-type']).toMatch(/^text\/xml/);
    expect(xml.body).toContain('<discovery>');
    expect(xml.body).toContain('<format>text/xml</format>');
  });

  it('lists the departments behind the seven categories as services, valid against the schema', async () => {
    const res = await get('/open311/v2/services.json');
    expect(res.statusCode).toBe(200);
    const services = res.json<{ service_code: string; service_name: string; group: string }[]>();
    expectValid('services', services);
    const codes = services.map((s) => s.service_code);
    for (const code of ['housing', 'ecology', 'transport', 'bus-group', 'education', 'culture-tourism', 'hrss', 'commerce', 'health', 'gov-service'])
      expect(codes).toContain(code);
    expect(services.find((s) => s.service_code === 'transport')?.service_name).toBe('市交通运输局');
    expect(services.find((s) => s.service_code === 'culture-tourism')?.group).toBe('教育文体、商贸旅游');
    const en = (await get('/open311/v2/services.json?lang=en')).json<{ service_code: string; service_name: string }[]>();
    expect(en.find((s) => s.service_code === 'transport')?.service_name).toBe('Transport Bureau');
    const xml = await get('/open311/v2/services.xml');
    expect(xml.body).toMatch(/^<\?xml version="1.0" encoding="utf-8"\?>\n<services><service><service_code>/);
  });

  it('defines each service: attributes valid against the schema; an unknown one is 404 in the spec form', async () => {
    const res = await get('/open311/v2/services/transport.json');
    expect(res.statusCode).toBe(200);
    const def = res.json<{ attributes: { code: string; values?: { key: string }[] }[] }>();
    expectValid('service-definition', def);
    expect(def.attributes.find((a) => a.code === 'kind')?.values?.map((v) => v.key)).toEqual(['question', 'complaint', 'suggestion', 'report']);
    expect((await get('/open311/v2/services/transport.xml')).body).toContain('<attributes><attribute><variable>true</variable><code>kind</code>');
    const missing = await get('/open311/v2/services/nope.json');
    expect(missing.statusCode).toBe(404);
    expectValid('errors', missing.json());
    const badFormat = await get('/open311/v2/services.html');
    expect(badFormat.statusCode).toBe(404);
    expectValid('errors', badFormat.json());
  });
});

describe('an Open311 client files and follows a request', () => {
  it('creates → token → request → closed with notes after the department resolves it', async () => {
    const created = await post({ api_key: apiKey, ...busComplaint, email: 'li@example.cn', first_name: '丽', last_name: '张' });
    expect(created.statusCode).toBe(200);
    const [reply] = created.json<{ service_request_id: string; token: string; service_notice: string }[]>();
    expectValid('request-created', created.json());
    expect(reply?.service_request_id).toMatch(/^H20261127-\d{6}$/);
    expect(reply?.service_notice).toContain('市交通运输局');

    const token = await get(`/open311/v2/tokens/${reply?.token}.json`);
    expect(token.statusCode).toBe(200);
    expectValid('token', token.json());
    expect(token.json()).toEqual([{ service_request_id: reply?.service_request_id, token: reply?.token }]);

    const open = await get(`/open311/v2/requests/${reply?.service_request_id}.json`);
    expect(open.statusCode).toBe(200);
    expectValid('requests', open.json());
    const [request] = open.json<{ status: string; agency_responsible: string; service_code: string; lat: number; long: number; expected_datetime: string }[]>();
    expect(request).toMatchObject({ status: 'open', agency_responsible: '市交通运输局', service_code: 'transport', lat: 30.6598, long: 104.0633 });
    expect(Date.parse(request?.expected_datetime ?? '')).toBeGreaterThan(clock.now().getTime());

    // The department answers through the hall, with the result: the request closes with its notes.
    const thread = (await app.inject({ method: 'GET', url: `/api/v1/hall/posts/${reply?.service_request_id}` })).json<{ id: string }>();
    clock.advance(2 * 3600_000);
    const resolved = await app.inject({
      method: 'POST',
      url: `/api/v1/hall/posts/${thread.id}/replies`,
      headers: { authorization: transportClerk.authorization },
      payload: { kind: 'result', body: '经调查属实，已对该驾驶员批评教育。' },
    });
    expect(resolved.statusCode).toBe(200);
    const closed = await get(`/open311/v2/requests/${reply?.service_request_id}.json`);
    expectValid('requests', closed.json());
    expect(closed.json()).toMatchObject([
      { status: 'closed', status_notes: expect.stringContaining('批评教育') as unknown, agency_responsible: '市交通运输局' },
    ]);

    const xml = await get(`/open311/v2/requests/${reply?.service_request_id}.xml`);
    expect(xml.headers['content-type']).toMatch(/^text\/xml/);
    expect(xml.body).toContain('<service_requests><request><service_request_id>');
    expect(xml.body).toContain('<status>closed</status>');

    const list = await get('/open311/v2/requests.json?status=closed&service_code=transport');
    expectValid('requests', list.json());
    expect(list.json<{ service_request_id: string }[]>().map((r) => r.service_request_id)).toContain(reply?.service_request_id);
    const both = await get('/open311/v2/requests.json?status=open,closed');
    expect(both.json<{ service_request_id: string }[]>().map((r) => r.service_request_id)).toContain(reply?.service_request_id);
    const openOnly = await get('/open311/v2/requests.json?status=open');
    expect(openOnly.json<{ service_request_id: string }[]>().map((r) => r.service_request_id)).not.toContain(reply?.service_request_id);
    const byId = await get(`/open311/v2/requests.json?service_request_id=${reply?.service_request_id}&status=open`);
    expect(byId.json<{ status: string }[]>()).toEqual([expect.objectContaining({ status: 'closed' })]);
  });

  it('routes a request for the auto service by its text, and takes an address instead of coordinates', async () => {
    const res = await post({
      api_key: apiKey,
      service_code: 'gov-service',
      address_string: '成都市武侯区人民南路四段',
      description: '出租车司机拒载，还故意绕路多收钱。',
    });
    expect(res.statusCode).toBe(200);
    const [created] = res.json<{ service_request_id: string }[]>();
    const [request] = (await get(`/open311/v2/requests/${created?.service_request_id}.json`)).json<{ service_code: string; address: string; lat: null }[]>();
    expect(request).toMatchObject({ service_code: 'transport', address: '成都市武侯区人民南路四段', lat: null });
  });

  it('answers in XML when asked, and keeps markup as text', async () => {
    const res = await post(
      {
        api_key: apiKey,
        service_code: 'housing',
        address_string: '<b>锦江区</b>',
        description: '小区<script>alert(1)</script>电梯坏了一个月没人修 & 物业不管',
      },
      'xml',
    );
    expect(res.statusCode).toBe(200);
    expect(res.body).toMatch(/<service_requests><request><service_request_id>H\d{8}-\d{6}<\/service_request_id><token>/);
    const id = /<service_request_id>([^<]+)</.exec(res.body)?.[1];
    const xml = (await get(`/open311/v2/requests/${id}.xml`)).body;
    expect(xml).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
    expect(xml).toContain('&amp; 物业不管');
    expect(xml).not.toContain('<script>');
    const json = (await get(`/open311/v2/requests/${id}.json`)).json<{ description: string }[]>();
    expect(json[0]?.description).toContain('<script>alert(1)</script>');
  });
});

describe('bad input gets the spec error form with a proper status', () => {
  const cases: [string, Record<string, string>, number][] = [
    ['no api_key', { ...busComplaint }, 403],
    ['a wrong api_key', { ...busComplaint, api_key: 'o311_not-a-key-at-all' }, 403],
    ['no service_code', { ...busComplaint, service_code: '' }, 400],
    ['an unknown service_code', { ...busComplaint, service_code: 'nope' }, 404],
    ['no location', { service_code: 'transport', description: '司机态度差' }, 400],
    ['lat without long', { service_code: 'transport', lat: '30.1', description: '司机态度差' }, 400],
    ['a latitude out of range', { service_code: 'transport', lat: '999', long: '104', description: '司机态度差' }, 400],
    ['no description', { service_code: 'transport', address_string: '天府广场' }, 400],
    ['a 20,000-character description', { service_code: 'transport', address_string: '天府广场', description: '路'.repeat(20_000) }, 400],
    ['an unknown kind', { ...busComplaint, 'attribute[kind]': 'praise' }, 400],
    ['another jurisdiction', { ...busComplaint, jurisdiction_id: 'example.org' }, 404],
  ];
  for (const [what, fields, status] of cases) {
    it(`refuses ${what} (${status})`, async () => {
      const withKey = what.includes('api_key') ? fields : { api_key: apiKey, ...fields };
      const res = await post(withKey);
      expect(res.statusCode).toBe(status);
      expect(res.headers['content-type']).toMatch(/^application\/json/);
      expectValid('errors', res.json());
      expect(res.json<{ code: number }[]>()[0]?.code).toBe(status);
    });
  }

  it('refuses a revoked api_key, in XML too', async () => {
    const issued = (
      await app.inject({ method: 'POST', url: '/api/v1/hall/open311/clients', headers: { authorization: admin.authorization }, payload: { name: 'Old app' } })
    ).json<{ id: string; apiKey: string }>();
    expect((await post({ api_key: issued.apiKey, ...busComplaint })).statusCode).toBe(200);
    const revoked = await app.inject({ method: 'DELETE', url: `/api/v1/hall/open311/clients/${issued.id}`, headers: { authorization: admin.authorization } });
    expect(revoked.statusCode).toBe(200);
    const res = await post({ api_key: issued.apiKey, ...busComplaint }, 'xml');
    expect(res.statusCode).toBe(403);
    expect(res.body).toMatch(/<errors><error><code>403<\/code><description>[^<]+<\/description><\/error><\/errors>/);
  });

  it('checks the requests filters: dates, a range of at most 90 days, status', async () => {
    for (const [query, status] of [
      ['start_date=2026-01-01T00:00:00Z&end_date=2026-06-01T00:00:00Z', 400],
      ['start_date=yesterday', 400],
      ['end_date=2026-13-45', 400],
      ['start_date=2026-11-01T00:00:00Z&end_date=2026-10-01T00:00:00Z', 400],
      ['status=pending', 400],
      ['status=open,pending', 400],
      ['jurisdiction_id=elsewhere', 404],
      ['start_date=2026-11-01T00:00:00Z&end_date=2026-11-30T00:00:00Z', 200],
      ['start_date=2026-11-27', 200],
    ] as const) {
      const res = await get(`/open311/v2/requests.json?${query}`);
      expect(res.statusCode, query).toBe(status);
      expectValid(status === 200 ? 'requests' : 'errors', res.json());
    }
    // Outside the window: nothing.
    expect((await get('/open311/v2/requests.json?start_date=2025-01-01T00:00:00Z&end_date=2025-02-01T00:00:00Z')).json()).toEqual([]);
  });

  it('answers unknown requests, tokens and paths with 404 in the spec form', async () => {
    for (const url of [
      '/open311/v2/requests/H20990101-000001.json',
      '/open311/v2/tokens/nope.json',
      '/open311/v2/nothing.json',
      '/open311/v2/requests/x.yaml',
    ]) {
      const res = await get(url);
      expect(res.statusCode, url).toBe(404);
      expectValid('errors', res.json());
    }
  });

  it('needs no CSRF token (clients use api_key) but still the key; a double submit with Idempotency-Key gives one request', async () => {
    const first = await post({ api_key: apiKey, ...busComplaint }, 'json', { 'idempotency-key': 'client-retry-1' });
    const second = await post({ api_key: apiKey, ...busComplaint }, 'json', { 'idempotency-key': 'client-retry-1' });
    expect(first.statusCode).toBe(200);
    expect(second.json()).toEqual(first.json());
  });
});
