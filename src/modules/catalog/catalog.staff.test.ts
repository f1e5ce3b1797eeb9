import { createHash, randomBytes } from 'node:crypto';
import { and, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, TestClient, type TestContext } from '../../../test/helpers.js';
import type { StaffRole } from '../../platform/auth/actor.js';
import type { App } from '../../platform/http/types.js';
import { auditLog } from '../../platform/platform.schema.js';
// The identity tables, for the test factory only: staff and citizens as real rows with real sessions.
import { sessions, staffRoles, users } from '../identity/identity.schema.js';
import { identityModule } from '../identity/index.js';
import { valuesFromItem } from './catalog.routes.js';
import { getCurrentItem, getItemVersion, seedCatalog, type CatalogItem } from './catalog.service.js';
import type { ItemFormValues } from './views/staff.js';

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

interface Person {
  userId: string;
  /** Signed in through a web session cookie. */
  client: TestClient;
  /** An API bearer token. */
  bearer: Record<string, string>;
}

let seq = 0;
/** Writes a user (and roles) with a web session and an API token, as the identity module would. */
async function person(kind: 'staff' | 'citizen', departmentCode: string | null = null, roles: StaffRole[] = []): Promise<Person> {
  seq++;
  const [user] = await ctx.db
    .insert(users)
    .values({
      kind,
      realName: kind === 'staff' ? `工作人员${seq}` : `市民${seq}`,
      login: kind === 'staff' ? `test-staff-${seq}` : null,
      phone: kind === 'citizen' ? `1390000${String(seq).padStart(4, '0')}` : null,
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
  return { userId, client, bearer: { authorization: `Bearer ${await session('api')}`, 'content-type': 'application/json' } };
}

/** The edit form's fields for an item, as a browser would post them. */
function fieldsOf(v: ItemFormValues): Record<string, string | string[]> {
  const fields: Record<string, string | string[]> = {
    departmentCode: v.departmentCode,
    nameZh: v.nameZh,
    nameEn: v.nameEn,
    descriptionZh: v.descriptionZh,
    descriptionEn: v.descriptionEn,
    applicantKinds: v.applicantKinds,
    deliveryOptions: v.deliveryOptions,
    lifeEvents: v.lifeEvents,
    keywords: v.keywords,
    legalLimit: v.legalValue,
    legalUnit: v.legalUnit,
    promisedLimit: v.promisedValue,
    promisedUnit: v.promisedUnit,
    feeFen: v.feeYuan,
    feeNoteZh: v.feeNoteZh,
    feeNoteEn: v.feeNoteEn,
    formDefinition: v.formDefinition,
    workflowDefinition: v.workflowDefinition,
    baseVersion: v.baseVersion,
  };
  if (v.code) fields.code = v.code;
  v.materials.forEach((m, i) => {
    const p = `material-${i}`;
    Object.assign(fields, {
      [`${p}-code`]: m.code,
      [`${p}-nameZh`]: m.nameZh,
      [`${p}-nameEn`]: m.nameEn,
      [`${p}-noteZh`]: m.noteZh,
      [`${p}-noteEn`]: m.noteEn,
      [`${p}-heldBy`]: m.heldBy,
      ...(m.held ? { [`${p}-held`]: '1' } : {}),
      ...(m.required ? { [`${p}-required`]: '1' } : {}),
    });
  });
  return fields;
}

async function current(code: string): Promise<CatalogItem> {
  const item = await getCurrentItem(ctx.db, code);
  if (!item) throw new Error(`no item ${code}`);
  return item;
}

const editUrl = (code: string) => `/staff/items/${code}/edit`;
const audits = (action: string, resourceId: string, outcome: 'ok' | 'denied') =>
  ctx.db
    .select()
    .from(auditLog)
    .where(and(eq(auditLog.action, action), eq(auditLog.resourceId, resourceId), eq(auditLog.outcome, outcome)));

/** The API body for an item, from its current content. */
function apiBody(item: CatalogItem, change: Record<string, unknown> = {}) {
  const { content } = item;
  return JSON.stringify({
    departmentCode: item.departmentCode,
    ...content,
    materials: content.materials.map((m) => ({ ...m })),
    ...change,
  });
}

describe('staff home', () => {
  it('shows a department admin their department and its items with edit links', async () => {
    const admin = await person('staff', 'psb-exit-entry', ['dept_admin']);
    const res = await admin.client.get('/staff/home');
    expect(res.statusCode).toBe(200);
    expect(res.body).toContain('市公安局出入境管理局');
    expect(res.body).toContain(`href="${editUrl('hk-macao-endorsement')}"`);
    expect(res.body).toContain(`href="${editUrl('passport-issue')}"`);
    expect(res.body).not.toContain(editUrl('vat-invoice-stock'));
  });

  it('shows a clerk their department without item editing', async () => {
    const clerk = await person('staff', 'amr', ['clerk']);
    const res = await clerk.client.get('/staff/home?lang=en');
    expect(res.statusCode).toBe(200);
    expect(res.body).toContain('Administration for Market Regulation');
    expect(res.body).not.toContain('/edit"');
  });

  it('sends someone not signed in to the staff sign-in, and refuses a citizen', async () => {
    const anonymous = await new TestClient(app).get('/staff/home');
    expect(anonymous.statusCode).toBe(302);
    expect(anonymous.headers.location).toMatch(/^\/staff\?return=/);
    const citizen = await person('citizen');
    expect((await citizen.client.get('/staff/home')).statusCode).toBe(403);
    expect((await citizen.client.get(editUrl('hukou-transfer'))).statusCode).toBe(403);
  });
});

describe('editing an item', () => {
  it('a department admin edits their item: version 2 is written and version 1 stays as it was', async () => {
    const admin = await person('staff', 'psb-exit-entry', ['dept_admin']);
    const before = await current('hk-macao-endorsement');
    expect(before.version).toBe(1);
    const values = valuesFromItem(before, before.departmentCode);
    const res = await admin.client.submit(editUrl('hk-macao-endorsement'), editUrl('hk-macao-endorsement'), {
      ...fieldsOf(values),
      nameZh: '往来港澳通行证签注（再次签注）',
      promisedLimit: '3',
    });
    expect(res.statusCode).toBe(303);
    expect(res.headers.location).toBe(`${editUrl('hk-macao-endorsement')}?saved=2`);

    const after = await current('hk-macao-endorsement');
    expect(after.version).toBe(2);
    expect(after.content.nameZh).toBe('往来港澳通行证签注（再次签注）');
    expect(after.content.promisedLimit).toEqual({ value: 3, unit: 'working_days' });
    expect(after.content.materials).toEqual(before.content.materials);
    expect(after.content.formDefinition).toEqual(before.content.formDefinition);

    const v1 = await getItemVersion(ctx.db, 'hk-macao-endorsement', 1);
    expect(v1?.content).toEqual(before.content);
    expect(v1?.currentVersion).toBe(2);
    expect(await getItemVersion(ctx.db, 'hk-macao-endorsement', 3)).toBeNull();

    expect((await audits('catalog.item.edit', 'hk-macao-endorsement', 'ok')).map((a) => a.detail)).toContainEqual(
      expect.objectContaining({ version: 2, previousVersion: 1 }),
    );
    const page = await new TestClient(app).get('/services/hk-macao-endorsement');
    expect(page.body).toContain('往来港澳通行证签注（再次签注）');
    expect(page.body).toContain('3 个工作日');
    const saved = await admin.client.get(`${editUrl('hk-macao-endorsement')}?saved=2`);
    expect(saved.body).toContain('已保存为第 2 版');
  });

  it('a department admin of another department gets 403, and the refusal is audited', async () => {
    const other = await person('staff', 'amr', ['dept_admin']);
    const get = await other.client.get(editUrl('hukou-transfer'));
    expect(get.statusCode).toBe(403);
    const item = await current('hukou-transfer');
    // Posting with a token from a page the admin may open still cannot touch another department's item.
    const token = await other.client.csrf('/staff/items/new');
    const body = new URLSearchParams({ ...(fieldsOf(valuesFromItem(item, item.departmentCode)) as Record<string, string>), _csrf: token });
    const post = await other.client.request('POST', editUrl('hukou-transfer'), body.toString(), { 'content-type': 'application/x-www-form-urlencoded' });
    expect(post.statusCode).toBe(403);
    expect((await current('hukou-transfer')).version).toBe(item.version);
    expect((await audits('catalog.item.edit', 'hukou-transfer', 'denied')).length).toBeGreaterThanOrEqual(2);
  });

  it('a department admin cannot move an item to, or create one in, another department', async () => {
    const admin = await person('staff', 'amr', ['dept_admin']);
    const item = await current('business-scope-change');
    const res = await admin.client.submit(editUrl('business-scope-change'), editUrl('business-scope-change'), {
      ...fieldsOf(valuesFromItem(item, item.departmentCode)),
      departmentCode: 'psb',
    });
    expect(res.statusCode).toBe(403);
    const created = await admin.client.submit('/staff/items/new', '/staff/items/new', {
      ...fieldsOf(valuesFromItem(item, 'psb')),
      code: 'sneaky-item',
      departmentCode: 'psb',
    });
    expect(created.statusCode).toBe(403);
    expect(await getCurrentItem(ctx.db, 'sneaky-item')).toBeNull();
  });

  it.each([
    ['a promised limit over the legal one', { promisedLimit: '30' }, 'promisedLimit', '承诺时限不能超过法定时限'],
    ['malformed JSON', { formDefinition: '{"type": "object",' }, 'formDefinition', '不是有效的 JSON'],
    ['a JSON array instead of an object', { workflowDefinition: '[]' }, 'workflowDefinition', '必须是一个 JSON 对象'],
    ['a workflow naming an unknown state', { workflowDefinition: '{"initial":"x","states":{"a":{}},"actions":[]}' }, 'workflowDefinition', '流程定义结构有误'],
    ['an empty name', { nameZh: '  ' }, 'nameZh', '请填写此项'],
    ['a 10 KB name', { nameEn: 'x'.repeat(10_000) }, 'nameEn', '不能超过 100 个字符'],
    ['markup in a name', { nameZh: '<b>签注</b>' }, 'nameZh', '不能包含尖括号'],
    ['a fee that is not money', { feeFen: '15元' }, 'feeFen', '请输入金额'],
    ['no way to receive the result', { deliveryOptions: [] }, 'deliveryOptions', '请至少选择一种领取方式'],
  ])('%s re-renders the form with 400 and an error summary', async (_label, change, fieldId, message) => {
    const admin = await person('staff', 'psb', ['dept_admin']);
    const item = await current('hukou-transfer');
    const res = await admin.client.submit(editUrl('hukou-transfer'), editUrl('hukou-transfer'), {
      ...fieldsOf(valuesFromItem(item, item.departmentCode)),
      ...change,
    });
    expect(res.statusCode).toBe(400);
    expect(res.body).toContain('class="error-summary"');
    expect(res.body).toContain(`href="#${fieldId}"`);
    expect(res.body).toContain(message);
    expect((await current('hukou-transfer')).version).toBe(item.version);
  });

  it('keeps the input when re-rendering', async () => {
    const admin = await person('staff', 'psb', ['dept_admin']);
    const item = await current('hukou-transfer');
    const res = await admin.client.submit(editUrl('hukou-transfer'), editUrl('hukou-transfer'), {
      ...fieldsOf(valuesFromItem(item, item.departmentCode)),
      nameEn: 'Kept name',
      nameZh: '',
    });
    expect(res.statusCode).toBe(400);
    expect(res.body).toContain('value="Kept name"');
  });

  it('a save on top of a newer version is a conflict', async () => {
    const admin = await person('staff', 'psb', ['dept_admin']);
    const item = await current('birth-registration');
    const fields = fieldsOf(valuesFromItem(item, item.departmentCode));
    expect((await admin.client.submit(editUrl('birth-registration'), editUrl('birth-registration'), fields)).statusCode).toBe(303);
    const stale = await admin.client.submit(editUrl('birth-registration'), editUrl('birth-registration'), fields);
    expect(stale.statusCode).toBe(409);
    expect(stale.body).toContain('该事项已被他人修改');
  });

  it('a department admin creates an item in their department', async () => {
    const admin = await person('staff', 'ecology', ['dept_admin']);
    const template = valuesFromItem(null, 'ecology');
    const form = JSON.stringify((await current('employment-registration')).content.formDefinition);
    const res = await admin.client.submit('/staff/items/new', '/staff/items/new', {
      ...fieldsOf(template),
      code: 'eia-registration',
      nameZh: '建设项目环境影响登记表备案',
      nameEn: 'Environmental impact registration of a construction project',
      descriptionZh: '建设单位在线填报环境影响登记表，即时备案。',
      descriptionEn: 'Builders file the environmental impact registration form online; it is filed at once.',
      applicantKinds: ['enterprise'],
      lifeEvents: ['starting-business'],
      keywords: '环评\n环境影响登记',
      'material-0-nameZh': '环境影响登记表',
      'material-0-nameEn': 'Environmental impact registration form',
      'material-0-required': '1',
      formDefinition: form,
    });
    expect(res.statusCode).toBe(303);
    const created = await current('eia-registration');
    expect(created.version).toBe(1);
    expect(created.departmentCode).toBe('ecology');
    expect(created.content.materials).toEqual([
      { code: 'material-1', nameZh: '环境影响登记表', nameEn: 'Environmental impact registration form', heldByGovernment: false, required: true },
    ]);
    expect((await audits('catalog.item.create', 'eia-registration', 'ok')).length).toBe(1);
    const found = await new TestClient(app).get(`/api/v1/services?q=${encodeURIComponent('环评')}`);
    expect(found.json<{ items: { code: string }[] }>().items.map((i) => i.code)).toEqual(['eia-registration']);
    // The same code again is refused with a message, not a 500.
    const again = await admin.client.submit('/staff/items/new', '/staff/items/new', {
      ...fieldsOf(valuesFromItem(created, 'ecology')),
      code: 'eia-registration',
    });
    expect(again.statusCode).toBe(400);
    expect(again.body).toContain('该编码已被使用');
  });

  it('a platform admin edits any item', async () => {
    const admin = await person('staff', 'gov-service', ['platform_admin']);
    const item = await current('pension-claim');
    const res = await admin.client.submit(editUrl('pension-claim'), editUrl('pension-claim'), {
      ...fieldsOf(valuesFromItem(item, item.departmentCode)),
      feeFen: '0',
    });
    expect(res.statusCode).toBe(303);
    expect((await current('pension-claim')).version).toBe(item.version + 1);
  });
});

describe('API edits', () => {
  it('PUT by the department admin writes a new version', async () => {
    const admin = await person('staff', 'tax-wuhou', ['dept_admin']);
    const item = await current('vat-invoice-stock');
    const res = await app.inject({
      method: 'PUT',
      url: '/api/v1/services/vat-invoice-stock',
      headers: admin.bearer,
      payload: apiBody(item, { feeNoteEn: 'Free of charge.', baseVersion: item.version }),
    });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({ code: 'vat-invoice-stock', version: item.version + 1 });
    expect((await current('vat-invoice-stock')).content.feeNoteEn).toBe('Free of charge.');
    expect((await getItemVersion(ctx.db, 'vat-invoice-stock', item.version))?.content).toEqual(item.content);
  });

  it('PUT refuses other departments (403, audited), bad limits (400 with errors), stale versions (409), citizens and anonymous callers', async () => {
    const other = await person('staff', 'amr', ['dept_admin']);
    const item = await current('passport-issue');
    const put = (headers: Record<string, string>, change: Record<string, unknown> = {}) =>
      app.inject({ method: 'PUT', url: '/api/v1/services/passport-issue', headers, payload: apiBody(item, change) });
    const denied = await put(other.bearer);
    expect(denied.statusCode).toBe(403);
    expect(denied.headers['content-type']).toContain('application/problem+json');
    expect((await audits('catalog.item.edit', 'passport-issue', 'denied')).length).toBe(1);

    const owner = await person('staff', 'psb-exit-entry', ['dept_admin']);
    const invalid = await put(owner.bearer, { promisedLimit: { value: 20, unit: 'working_days' }, nameZh: '' });
    expect(invalid.statusCode).toBe(400);
    expect(invalid.json<{ errors: Record<string, string> }>().errors).toEqual({ nameZh: 'field.required', promisedLimit: 'catalog.error.promisedOverLegal' });
    const badForm = await put(owner.bearer, { formDefinition: { type: 'object' } });
    expect(badForm.statusCode).toBe(400);
    expect(badForm.json<{ problems: { formDefinition: string[] } }>().problems.formDefinition).toContain('properties must be an object');
    const nul = await put(owner.bearer, { workflowDefinition: { ...item.content.workflowDefinition, note: 'a\u0000b' } });
    expect(nul.statusCode).toBe(400);
    expect((await put(owner.bearer, { baseVersion: item.version + 5 })).statusCode).toBe(409);

    const clerk = await person('staff', 'psb-exit-entry', ['clerk']);
    expect((await put(clerk.bearer)).statusCode).toBe(403);
    const citizen = await person('citizen');
    expect((await put(citizen.bearer)).statusCode).toBe(403);
    expect((await put({ 'content-type': 'application/json' })).statusCode).toBe(401);
    expect((await current('passport-issue')).version).toBe(item.version);
  });

  it('malformed JSON bodies are a 400', async () => {
    const owner = await person('staff', 'psb', ['dept_admin']);
    const res = await app.inject({ method: 'PUT', url: '/api/v1/services/hukou-transfer', headers: owner.bearer, payload: '{"nameZh":' });
    expect(res.statusCode).toBe(400);
  });
});

describe('sign-in through /staff', () => {
  it('a seeded department admin signs in and edits an item of their department', async () => {
    await identityModule.seed!(ctx);
    const client = new TestClient(app);
    const signIn = await client.submit('/staff', '/staff', { login: 'amr.admin', password: ctx.config.demoPassword });
    expect(signIn.statusCode).toBe(303);
    const home = await client.get('/staff/home');
    expect(home.body).toContain(`href="${editUrl('company-establishment')}"`);
    const item = await current('company-establishment');
    const res = await client.submit(editUrl('company-establishment'), editUrl('company-establishment'), {
      ...fieldsOf(valuesFromItem(item, item.departmentCode)),
      keywords: '开公司\n注册公司\n新办企业',
    });
    expect(res.statusCode).toBe(303);
    expect((await current('company-establishment')).content.keywords).toContain('新办企业');
  });
});
