import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, TestClient, type TestContext } from '../../../test/helpers.js';
import type { App } from '../../platform/http/types.js';
import { checkFormDefinition, checkWorkflowDefinition, defaultWorkflow, workingHoursOf } from './catalog.definitions.js';
import { countCatalog, findServices, getCurrentItem, seedCatalog } from './catalog.service.js';
import { departmentSeed } from './catalog.seed-departments.js';
import { itemSeed } from './catalog.seed-items.js';
import { lifeEventSeed } from './catalog.seed-life-events.js';
import { likePattern } from './catalog.repository.js';
import { can } from './catalog.policy.js';
import type { Actor } from '../../platform/auth/actor.js';
import { searchTerms } from './catalog.validation.js';

let app: App;
let ctx: TestContext;

beforeAll(async () => {
  ({ app, ctx } = await createTestApp());
  await seedCatalog(ctx.db);
});
afterAll(async () => {
  await app?.close();
  await ctx?.cleanup();
});

const codesFor = async (q: string) => (await findServices(ctx.db, { q })).items.map((i) => i.code);

describe('seed', () => {
  it('is idempotent: seeding twice gives the same counts', async () => {
    const before = await countCatalog(ctx.db);
    expect(before).toEqual({ departments: departmentSeed.length, lifeEvents: lifeEventSeed.length, items: itemSeed.length, versions: itemSeed.length });
    await seedCatalog(ctx.db);
    expect(await countCatalog(ctx.db)).toEqual(before);
  });

  it('seeds at least 12 items with the required codes, each well formed', () => {
    expect(itemSeed.length).toBeGreaterThanOrEqual(12);
    const byCode = new Map(itemSeed.map((i) => [i.code, i]));
    expect(byCode.get('hk-macao-endorsement')?.departmentCode).toBe('psb-exit-entry');
    expect(['tax', 'tax-wuhou']).toContain(byCode.get('vat-invoice-stock')?.departmentCode);
    expect(byCode.get('business-scope-change')?.departmentCode).toBe('amr');
    expect(byCode.get('company-establishment')?.departmentCode).toBe('amr');
    expect(byCode.get('hukou-transfer')?.departmentCode).toBe('psb');
    expect(byCode.get('hk-macao-endorsement')?.content.feeFen).toBe(1500);
    const departments = new Set(departmentSeed.map((d) => d.code));
    const events = new Set(lifeEventSeed.map((e) => e.code));
    for (const item of itemSeed) {
      expect(departments.has(item.departmentCode), item.code).toBe(true);
      expect(checkFormDefinition(item.content.formDefinition), item.code).toEqual([]);
      expect(checkWorkflowDefinition(item.content.workflowDefinition), item.code).toEqual([]);
      expect(workingHoursOf(item.content.promisedLimit)).toBeLessThanOrEqual(workingHoursOf(item.content.legalLimit));
      for (const e of item.content.lifeEvents) expect(events.has(e), `${item.code} ${e}`).toBe(true);
      for (const m of item.content.materials) if (m.heldByGovernment) expect(departments.has(m.heldBy ?? ''), `${item.code} ${m.code}`).toBe(true);
    }
  });
});

describe('definitions', () => {
  it('the default workflow runs submitted → accepted or refused → under review → approved or rejected → completed', () => {
    const wf = defaultWorkflow();
    const next = (from: string) => wf.actions.filter((a) => a.from.includes(from)).map((a) => a.to);
    expect(wf.initial).toBe('submitted');
    expect(next('submitted')).toEqual(expect.arrayContaining(['accepted', 'refused', 'correction_requested']));
    expect(next('accepted')).toContain('under_review');
    expect(next('under_review')).toEqual(expect.arrayContaining(['approved', 'rejected']));
    expect(next('approved')).toContain('completed');
    expect(next('rejected')).toContain('completed');
    expect(wf.states.correction_requested?.pausesClock).toBe(true);
    expect(wf.actions.find((a) => a.name === 'refuse')?.needsComment).toBe(true);
  });

  it('finds structural problems in a workflow', () => {
    const wf = defaultWorkflow();
    expect(checkWorkflowDefinition({ ...wf, initial: 'nowhere' })).toContain('initial must name a state');
    expect(checkWorkflowDefinition({ ...wf, actions: [{ ...wf.actions[0], roles: ['janitor'] }] })[0]).toMatch(/roles/);
    expect(
      checkFormDefinition({ type: 'object', properties: { a: {} }, 'x-ui': { pages: [{ id: 'p', fields: ['a'] }], fields: { a: { widget: 'nope' } } } }),
    ).toEqual(['field a needs a known widget']);
  });
});

describe('policy', () => {
  const staff = (departmentCode: string, roles: Actor['roles'], extra: Partial<Actor> = {}): Actor => ({
    userId: 'u',
    kind: 'staff',
    realName: 'x',
    departmentCode,
    roles,
    actingFor: null,
    sessionId: 's',
    via: 'cookie',
    pendingSecondFactor: false,
    ...extra,
  });

  it('a department admin manages only their own department; a platform admin everything; default deny', () => {
    expect(can(staff('amr', ['dept_admin']), 'item.edit', 'amr')).toBe(true);
    expect(can(staff('amr', ['dept_admin']), 'item.edit', 'psb')).toBe(false);
    expect(can(staff('amr', ['dept_admin']), 'item.create', 'psb')).toBe(false);
    expect(can(staff('amr', ['dept_admin']), 'item.edit')).toBe(false);
    expect(can(staff('gov-service', ['platform_admin']), 'item.edit', 'psb')).toBe(true);
    expect(can(staff('amr', ['clerk', 'approver']), 'item.edit', 'amr')).toBe(false);
    expect(can(staff('amr', ['dept_admin'], { pendingSecondFactor: true }), 'item.edit', 'amr')).toBe(false);
    expect(can(staff('amr', ['dept_admin'], { kind: 'citizen' }), 'item.edit', 'amr')).toBe(false);
    expect(can(null, 'items.manage')).toBe(false);
  });
});

describe('search', () => {
  it('发票 finds the VAT invoice item', async () => {
    expect(await codesFor('发票')).toContain('vat-invoice-stock');
    expect((await codesFor('发票'))[0]).toBe('vat-invoice-stock');
  });

  it('港澳 finds the endorsement, and name matches rank first', async () => {
    const codes = await codesFor('港澳');
    expect(codes).toContain('hk-macao-endorsement');
    expect(codes).toContain('hk-macao-permit');
    // Both have 港澳 in the name; the endorsement is more popular. Items matching only elsewhere come after.
    expect(codes.slice(0, 2)).toEqual(['hk-macao-endorsement', 'hk-macao-permit']);
  });

  it('works in English, case-insensitively, and full-width letters match', async () => {
    expect(await codesFor('Invoice')).toContain('vat-invoice-stock');
    expect(await codesFor('ＶＡＴ')).toContain('vat-invoice-stock');
    expect((await codesFor('passport'))[0]).toBe('passport-issue');
  });

  it('every term must match (multiple terms narrow the result)', async () => {
    const both = await codesFor('港澳 签注');
    expect(both[0]).toBe('hk-macao-endorsement');
    expect(both).not.toContain('passport-issue');
    expect(await codesFor('户口 迁移')).toContain('hukou-transfer');
    expect(await codesFor('发票 护照')).toEqual([]);
  });

  it('drops everyday filler such as 怎么办', async () => {
    expect(searchTerms('户口迁移怎么办')).toEqual(['户口迁移']);
    expect(await codesFor('户口迁移怎么办')).toContain('hukou-transfer');
  });

  it('finds nothing for a word that is nowhere', async () => {
    expect(await codesFor('火星移民')).toEqual([]);
  });

  it('escapes LIKE wildcards: % and _ match themselves', async () => {
    expect(likePattern('a%b_c\\')).toBe('%a\\%b\\_c\\\\%');
    // Unescaped, % would match every item; escaped it finds only the one whose text has a literal "15%".
    expect(await codesFor('%')).toEqual(['hi-tech-enterprise']);
    expect(await codesFor('_')).toEqual([]);
    expect((await codesFor('hk-macao')).length).toBeGreaterThan(0);
  });

  it('browses by department (with sub-departments) and by life event', async () => {
    const tax = (await findServices(ctx.db, { department: 'tax' })).items.map((i) => i.code);
    expect(tax).toEqual(expect.arrayContaining(['vat-invoice-stock', 'tax-payment-record']));
    const wuhou = (await findServices(ctx.db, { department: 'tax-wuhou' })).items.map((i) => i.code);
    expect(wuhou).toEqual(['vat-invoice-stock']);
    const travel = (await findServices(ctx.db, { event: 'travel-abroad' })).items.map((i) => i.code);
    expect(travel).toEqual(expect.arrayContaining(['hk-macao-endorsement', 'passport-issue']));
    expect(travel).not.toContain('hukou-transfer');
    expect((await findServices(ctx.db, { department: 'no-such' })).items).toEqual([]);
    expect((await findServices(ctx.db, { event: 'no-such' })).items).toEqual([]);
  });
});

describe('public pages', () => {
  it('home shows search, popular services, life events and departments, in Chinese by default', async () => {
    const res = await new TestClient(app).get('/');
    expect(res.statusCode).toBe(200);
    expect(res.body).toContain('<html lang="zh-CN"');
    expect(res.body).toContain('name="q"');
    expect(res.body).toContain('往来港澳通行证签注');
    expect(res.body).toContain('出行出境');
    expect(res.body).toContain('href="/services?department=psb-exit-entry"');
  });

  it('home in English', async () => {
    const res = await new TestClient(app).get('/?lang=en');
    expect(res.body).toContain('<html lang="en"');
    expect(res.body).toContain('Hong Kong and Macao travel permit endorsement');
    expect(res.body).toContain('Travelling abroad');
  });

  it('/services?q=发票 lists the invoice item with a count', async () => {
    const res = await new TestClient(app).get(`/services?q=${encodeURIComponent('发票')}`);
    expect(res.statusCode).toBe(200);
    expect(res.body).toContain('href="/services/vat-invoice-stock"');
    expect(res.body).toMatch(/“发票”共找到 \d+ 项服务/);
  });

  it('/services shows an empty state and escapes the query', async () => {
    const res = await new TestClient(app).get(`/services?q=${encodeURIComponent('<script>x</script>')}&lang=en`);
    expect(res.statusCode).toBe(200);
    expect(res.body).toContain('No services found');
    expect(res.body).not.toContain('<script>x</script>');
  });

  it('a 10 KB query is shortened, never a 500', async () => {
    const res = await new TestClient(app).get(`/services?q=${'发'.repeat(10_000)}`);
    expect(res.statusCode).toBe(200);
    expect(res.body).toContain('搜索内容过长');
    const api = await new TestClient(app).get(`/api/v1/services?q=${'a'.repeat(10_000)}`);
    expect(api.statusCode).toBe(400);
    expect(api.headers['content-type']).toContain('application/problem+json');
  });

  it('browses by department and life event', async () => {
    const byDept = await new TestClient(app).get('/services?department=amr');
    expect(byDept.body).toContain('href="/services/company-establishment"');
    expect(byDept.body).not.toContain('href="/services/hukou-transfer"');
    const byEvent = await new TestClient(app).get('/services?event=birth&lang=en');
    expect(byEvent.body).toContain('<h1>Having a baby</h1>');
    expect(byEvent.body).toContain('href="/services/birth-registration"');
  });

  it('item page in Chinese: materials with held-by-government marked, limits, fee, applicants, delivery, department', async () => {
    const res = await new TestClient(app).get('/services/hk-macao-endorsement');
    expect(res.statusCode).toBe(200);
    const body = res.body;
    expect(body).toContain('<h1>往来港澳通行证签注</h1>');
    expect(body).toContain('需要准备什么');
    expect(body).toContain('近期免冠彩色证件照片');
    expect(body).toContain('无需上传——我们已掌握（市公安局出入境管理局）');
    expect(body).toContain('5 个工作日');
    expect(body).toContain('10 个工作日');
    expect(body).toContain('¥15.00');
    expect(body).toContain('快递送达');
    expect(body).toContain('个人');
  });

  it('item page in English', async () => {
    const res = await new TestClient(app, { 'accept-language': 'en-GB,en;q=0.9' }).get('/services/vat-invoice-stock');
    expect(res.statusCode).toBe(200);
    expect(res.body).toContain('<h1>VAT invoice stock application</h1>');
    expect(res.body).toContain('No need to upload — we already hold it (Wuhou District Tax Service)');
    expect(res.body).toContain('4 working hours');
    expect(res.body).toContain('Free');
    expect(res.body).toContain('Companies');
  });

  it('an unknown item gives a 404 page', async () => {
    const res = await new TestClient(app).get('/services/no-such-item');
    expect(res.statusCode).toBe(404);
    expect(res.body).toContain('没有找到该服务');
    // Fastify refuses an over-long path segment itself (414); either way a 4xx, never a 500.
    const long = (await new TestClient(app).get(`/services/${'x'.repeat(5000)}`)).statusCode;
    expect(long === 404 || long === 414).toBe(true);
    expect((await new TestClient(app).get('/services/%00')).statusCode).toBe(404);
    expect((await new TestClient(app).get('/api/v1/services/%00')).statusCode).toBe(404);
    expect((await new TestClient(app).get('/services?q=%00&event=%00&department=%00')).statusCode).toBe(200);
  });
});

describe('public API', () => {
  it('lists and searches services', async () => {
    const res = await new TestClient(app).get(`/api/v1/services?q=${encodeURIComponent('发票')}`);
    expect(res.statusCode).toBe(200);
    const body = res.json<{ total: number; items: { code: string; feeFen: number; version: number }[] }>();
    expect(body.items[0]?.code).toBe('vat-invoice-stock');
    expect(body.total).toBe(body.items.length);
    const all = (await new TestClient(app).get('/api/v1/services')).json<{ total: number }>();
    expect(all.total).toBe(itemSeed.length);
    const byEvent = (await new TestClient(app).get('/api/v1/services?event=retirement')).json<{ items: { code: string }[] }>();
    expect(byEvent.items.map((i) => i.code)).toEqual(['pension-claim']);
  });

  it('gets one service with materials and definitions, never raw rows', async () => {
    const res = await new TestClient(app).get('/api/v1/services/hk-macao-endorsement');
    expect(res.statusCode).toBe(200);
    const body = res.json<
      Record<string, unknown> & { materials: { heldByGovernment: boolean; heldBy: string | null }[]; formDefinition: { 'x-ui': unknown } }
    >();
    expect(body.code).toBe('hk-macao-endorsement');
    expect(body.feeFen).toBe(1500);
    expect(body.materials.some((m) => m.heldByGovernment && m.heldBy === 'psb-exit-entry')).toBe(true);
    expect(body.formDefinition['x-ui']).toBeDefined();
    expect(body).not.toHaveProperty('itemId');
    expect(body).not.toHaveProperty('searchText');
    expect((await new TestClient(app).get('/api/v1/services/nope')).statusCode).toBe(404);
  });

  it('lists departments as a tree', async () => {
    const res = await new TestClient(app).get('/api/v1/departments');
    const body = res.json<{ items: { code: string; children: { code: string }[] }[] }>();
    const tax = body.items.find((d) => d.code === 'tax');
    expect(tax?.children.map((c) => c.code)).toEqual(['tax-wuhou']);
    expect(body.items.find((d) => d.code === 'tax-wuhou')).toBeUndefined();
  });

  it('is in the OpenAPI document', async () => {
    const doc = (await new TestClient(app).get('/api/openapi.json')).json<{ paths: Record<string, unknown> }>();
    expect(Object.keys(doc.paths)).toEqual(expect.arrayContaining(['/api/v1/services', '/api/v1/services/{code}', '/api/v1/departments']));
  });

  it('getCurrentItem returns null for an unknown code', async () => {
    expect(await getCurrentItem(ctx.db, 'nope')).toBeNull();
  });
});
