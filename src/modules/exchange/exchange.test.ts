import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { and, eq } from 'drizzle-orm';
import type { Actor } from '../../platform/auth/actor.js';
import type { App } from '../../platform/http/types.js';
import { HttpError } from '../../platform/http/errors.js';
import { auditLog } from '../../platform/platform.schema.js';
import { createTestApp, TestClient, type TestContext } from '../../../test/helpers.js';
import { catalogModule, getCurrentItem, type FormDefinition } from '../catalog/index.js';
import { findEnterpriseByUscc, identityModule } from '../identity/index.js';
import { users } from '../identity/identity.schema.js';
import { exchangeModule, prefillFor, readData, type ApplicationCheck, type ProductCode } from './index.js';
import { accessLog } from './exchange.schema.js';

// Once only: data products read for a purpose and logged; prefill; "Who used my data" page and API.

const password = 'Chengdu#2026';
const company = { uscc: '91510107MA6CBX7Q6L', name: '成都蜀锦商贸有限公司' };

describe('exchange', () => {
  let app: App;
  let ctx: TestContext;
  const ids: Record<string, string> = {};
  let companyId = '';

  beforeAll(async () => {
    ({ app, ctx } = await createTestApp({ env: { SIGN_IN_LIMIT: '1000' } }));
    await identityModule.seed!(ctx);
    await catalogModule.seed!(ctx);
    await exchangeModule.seed!(ctx);
    await exchangeModule.seed!(ctx); // idempotent
    for (const u of await ctx.db.select({ id: users.id, phone: users.phone, login: users.login }).from(users)) ids[u.phone ?? u.login ?? ''] = u.id;
    companyId = (await findEnterpriseByUscc(ctx.db, company.uscc))!.id;
  }, 180_000); // creating the database takes long on a loaded machine
  afterAll(async () => {
    await app.close();
    await ctx.cleanup();
  });

  const logRowsOf = (subject: { userId: string } | { enterpriseId: string }) =>
    ctx.db
      .select()
      .from(accessLog)
      .where('userId' in subject ? eq(accessLog.subjectUserId, subject.userId) : eq(accessLog.subjectEnterpriseId, subject.enterpriseId));
  const allLogRows = () => ctx.db.select().from(accessLog);
  const refusals = (actorId: string) =>
    ctx.db
      .select()
      .from(auditLog)
      .where(and(eq(auditLog.action, 'exchange.read'), eq(auditLog.outcome, 'denied'), eq(auditLog.actorId, actorId)));
  const statusOf = async (p: Promise<unknown>) => {
    try {
      await p;
      return 200;
    } catch (e) {
      if (e instanceof HttpError) return e.status;
      throw e;
    }
  };
  const citizen = (phone: string, actingFor: Actor['actingFor'] = null): Actor => ({
    userId: ids[phone]!,
    kind: 'citizen',
    realName: '',
    departmentCode: null,
    roles: [],
    actingFor,
    sessionId: 'test',
    via: 'cookie',
    pendingSecondFactor: false,
  });
  const apiToken = async (login: string) => {
    const res = await app.inject({ method: 'POST', url: '/api/v1/session', headers: { 'content-type': 'application/json' }, payload: { login, password } });
    expect(res.statusCode).toBe(200);
    return res.json<{ token: string }>().token;
  };
  const webClient = async (phone: string) => {
    const client = new TestClient(app);
    const res = await client.submit('/sign-in', '/sign-in', { method: 'password', phone, password });
    expect(res.statusCode).toBe(303);
    return client;
  };

  describe('readData', () => {
    const cases: { product: ProductCode; phone: string; subject: 'self' | 'company'; expected: Record<string, unknown>; holder: string | null }[] = [
      {
        product: 'person.identity',
        phone: '13800000001',
        subject: 'self',
        expected: { realName: '张丽', idNumber: '510107198503120028', sex: 'female', birthDate: '1985-03-12' },
        holder: 'psb',
      },
      {
        product: 'person.household',
        phone: '13800000002',
        subject: 'self',
        expected: {
          address: '四川省成都市彭州市小鱼洞镇杨坪村5组28号',
          district: '彭州市',
          addressDetail: '小鱼洞镇杨坪村5组28号',
          householdNumber: '510182067890',
          householdHead: '王德明',
          relationToHead: '女',
        },
        holder: 'psb',
      },
      {
        product: 'person.children',
        phone: '13800000001',
        subject: 'self',
        expected: { children: [{ realName: '刘子轩', idNumber: '510107201605200031', sex: 'male', birthDate: '2016-05-20', relation: 'mother' }] },
        holder: 'psb',
      },
      {
        product: 'enterprise.registration',
        phone: '13800000003',
        subject: 'company',
        expected: {
          name: company.name,
          uscc: company.uscc,
          legalRepresentative: '陈建国',
          address: '四川省成都市武侯区人民南路四段12号6栋1单元803号',
          registeredCapitalYuan: 1_000_000,
          type: '有限责任公司（自然人投资或控股）',
          establishedOn: '2019-03-18',
        },
        holder: 'amr',
      },
      { product: 'certificates.issued', phone: '13800000001', subject: 'self', expected: { certificates: [] }, holder: null },
      {
        product: 'person.exitPermit',
        phone: '13800000001',
        subject: 'self',
        expected: { permitNumber: 'C10573421', permitValidUntil: '2031-04-14', exitRestricted: false },
        holder: 'psb-exit-entry',
      },
      {
        product: 'person.exitPermit',
        phone: '13800000004',
        subject: 'self',
        expected: { permitNumber: 'C11220334', permitValidUntil: '2030-01-19', exitRestricted: true },
        holder: 'psb-exit-entry',
      },
    ];

    it.each(cases)('reads $product with the seeded data and writes one log row with the purpose', async ({ product, phone, subject, expected, holder }) => {
      const ref = subject === 'self' ? { userId: ids[phone]! } : { enterpriseId: companyId };
      const before = (await logRowsOf(ref)).length;
      const purpose = { serviceCode: 'hk-macao-endorsement', applicationId: `app-${product}` };
      const result = await readData(ctx.db, { product, subject: ref, purpose, requestedBy: { actorUserId: ids[phone]! } });
      expect(result.data).toEqual(expected);
      expect(result.fields).toEqual(Object.keys(expected));
      const rows = await logRowsOf(ref);
      expect(rows.length).toBe(before + 1);
      const row = rows.find((r) => r.id === result.logId)!;
      expect(row).toMatchObject({
        product,
        holderDepartment: holder,
        requesterDepartment: null,
        actorUserId: ids[phone],
        actorKind: 'citizen',
        subjectKind: subject === 'self' ? 'person' : 'enterprise',
        purposeServiceCode: 'hk-macao-endorsement',
        purposeApplicationId: `app-${product}`,
        fields: Object.keys(expected),
      });
    });

    it('answers null for a person the exit-entry register has no permit for, and still records the read (no fields)', async () => {
      const li = ids['13800000003']!;
      const result = await readData(ctx.db, {
        product: 'person.exitPermit',
        subject: { userId: li },
        purpose: { serviceCode: 'hk-macao-endorsement' },
        requestedBy: { actorUserId: li },
      });
      expect(result).toMatchObject({ data: null, fields: [], holderDepartment: 'psb-exit-entry' });
      const [row] = (await logRowsOf({ userId: li })).filter((r) => r.id === result.logId);
      expect(row).toMatchObject({ product: 'person.exitPermit', fields: [], subjectChildIdNumber: null, purposeServiceCode: 'hk-macao-endorsement' });
    });

    it("reads a child's permit only after person.children confirms the guardian, recorded on the guardian's log", async () => {
      const zhang = ids['13800000001']!;
      const purpose = { serviceCode: 'hk-macao-endorsement', applicationId: 'app-child' };
      const before = (await logRowsOf({ userId: zhang })).length;
      const result = await readData(ctx.db, {
        product: 'person.exitPermit',
        subject: { userId: zhang, childIdNumber: '510107201605200031' },
        purpose,
        requestedBy: { actorUserId: zhang },
      });
      expect(result.data).toEqual({ permitNumber: 'C20981736', permitValidUntil: '2028-08-09', exitRestricted: false });
      const rows = (await logRowsOf({ userId: zhang })).slice(before).sort((a, b) => a.product.localeCompare(b.product));
      // The guardianship read and the child's permit, both with the purpose, both on the mother's log.
      expect(rows.map((r) => [r.product, r.subjectChildIdNumber, r.purposeServiceCode, r.purposeApplicationId])).toEqual([
        ['person.children', null, 'hk-macao-endorsement', 'app-child'],
        ['person.exitPermit', '510107201605200031', 'hk-macao-endorsement', 'app-child'],
      ]);
      expect(rows[1]!.id).toBe(result.logId);
      expect(rows[1]!.fields).toEqual(['permitNumber', 'permitValidUntil', 'exitRestricted']);

      // 李强 is not 刘子轩's guardian; and a child's identity is not a product read about a child.
      const li = ids['13800000003']!;
      const liBefore = (await logRowsOf({ userId: li })).length;
      const auditsBefore = (await refusals(li)).length;
      const notHers = readData(ctx.db, {
        product: 'person.exitPermit',
        subject: { userId: li, childIdNumber: '510107201605200031' },
        purpose,
        requestedBy: { actorUserId: li },
      });
      expect(await statusOf(notHers)).toBe(403);
      const identity = readData(ctx.db, {
        product: 'person.identity',
        subject: { userId: zhang, childIdNumber: '510107201605200031' },
        purpose,
        requestedBy: { actorUserId: zhang },
      });
      expect(await statusOf(identity)).toBe(403);
      const liRows = (await logRowsOf({ userId: li })).slice(liBefore);
      expect(liRows.map((r) => r.product)).toEqual(['person.children']); // the guardianship check, nothing of the child
      expect((await refusals(li)).slice(auditsBefore).map((a) => a.detail.reason)).toEqual(['not-own-child']);
    });

    it('returns only the fields asked for, and logs only those', async () => {
      const result = await readData(ctx.db, {
        product: 'person.identity',
        subject: { userId: ids['13800000004']! },
        purpose: { serviceCode: 'passport-issue' },
        requestedBy: { actorUserId: ids['13800000004']! },
        fields: ['realName'],
      });
      expect(result.data).toEqual({ realName: '陈建国' });
      const [row] = (await logRowsOf({ userId: ids['13800000004']! })).filter((r) => r.id === result.logId);
      expect(row?.fields).toEqual(['realName']);
    });

    it("records the read in the caller's transaction: a rollback leaves no log row", async () => {
      const before = (await allLogRows()).length;
      await expect(
        ctx.db.transaction(async (tx) => {
          await readData(tx, {
            product: 'person.identity',
            subject: { userId: ids['13800000002']! },
            purpose: { serviceCode: 'passport-issue' },
            requestedBy: { actorUserId: ids['13800000002']! },
          });
          expect((await tx.select().from(accessLog)).length).toBe(before + 1);
          throw new Error('roll back');
        }),
      ).rejects.toThrow('roll back');
      expect((await allLogRows()).length).toBe(before);
    });

    it('refuses a read without a purpose, or with a made-up one, and audits the refusal', async () => {
      const me = ids['13800000002']!;
      const before = (await allLogRows()).length;
      const auditsBefore = (await refusals(me)).length;
      for (const purpose of [undefined, null, { serviceCode: '' }, { serviceCode: 'no-such-service' }]) {
        const read = readData(ctx.db, { product: 'person.identity', subject: { userId: me }, purpose, requestedBy: { actorUserId: me } });
        expect(await statusOf(read)).toBe(403);
      }
      expect((await allLogRows()).length).toBe(before);
      const audits = await refusals(me);
      expect(audits.length).toBe(auditsBefore + 4);
      expect(audits.map((a) => a.detail.reason)).toEqual(expect.arrayContaining(['no-purpose', 'unknown-purpose']));
      expect(audits.every((a) => a.resourceId === 'person.identity')).toBe(true);
    });

    it("refuses a citizen's read about another person, their child's data through another's account, or a company they do not act for", async () => {
      const wang = ids['13800000002']!;
      const purpose = { serviceCode: 'hk-macao-endorsement' };
      const before = (await allLogRows()).length;
      const auditsBefore = (await refusals(wang)).length;
      expect(
        await statusOf(readData(ctx.db, { product: 'person.identity', subject: { userId: ids['13800000001']! }, purpose, requestedBy: { actorUserId: wang } })),
      ).toBe(403);
      expect(
        await statusOf(readData(ctx.db, { product: 'person.children', subject: { userId: ids['13800000001']! }, purpose, requestedBy: { actorUserId: wang } })),
      ).toBe(403);
      expect(
        await statusOf(
          readData(ctx.db, { product: 'enterprise.registration', subject: { enterpriseId: companyId }, purpose, requestedBy: { actorUserId: wang } }),
        ),
      ).toBe(403);
      // A citizen cannot pass as a department either.
      expect(
        await statusOf(
          readData(ctx.db, {
            product: 'person.identity',
            subject: { userId: wang },
            purpose: { ...purpose, applicationId: 'x' },
            requestedBy: { actorUserId: wang, departmentCode: 'psb' },
          }),
        ),
      ).toBe(403);
      expect((await allLogRows()).length).toBe(before);
      const reasons = (await refusals(wang)).slice(auditsBefore).map((a) => a.detail.reason);
      expect(reasons).toEqual(['not-own-data', 'not-own-data', 'not-acting-for-enterprise', 'wrong-department']);
    });

    it('lets staff read only for an application of their department that the cases module confirms', async () => {
      const clerk = ids['psb-exit-entry.clerk']!;
      const subject = { userId: ids['13800000001']! };
      const confirmed: ApplicationCheck = async (_ex, q) => q.applicationId === 'app-1' && q.departmentCode === 'psb-exit-entry';
      const read = (applicationId: string | undefined, verifyApplication?: ApplicationCheck, departmentCode?: string) =>
        readData(
          ctx.db,
          {
            product: 'person.identity',
            subject,
            purpose: { serviceCode: 'hk-macao-endorsement', applicationId },
            requestedBy: { actorUserId: clerk, departmentCode },
          },
          { verifyApplication },
        );
      const ok = await read('app-1', confirmed);
      expect(ok.data).toMatchObject({ realName: '张丽' });
      const [row] = (await logRowsOf(subject)).filter((r) => r.id === ok.logId);
      expect(row).toMatchObject({ requesterDepartment: 'psb-exit-entry', actorKind: 'staff', actorUserId: clerk, purposeApplicationId: 'app-1' });
      expect(await statusOf(read(undefined, confirmed))).toBe(403);
      expect(await statusOf(read('app-2', confirmed))).toBe(403);
      expect(await statusOf(read('app-1'))).toBe(403);
      expect(await statusOf(read('app-1', confirmed, 'tax'))).toBe(403);
      expect((await refusals(clerk)).map((a) => a.detail.reason)).toEqual([
        'no-application',
        'application-not-of-department',
        'application-not-of-department',
        'wrong-department',
      ]);
    });
  });

  describe('prefill', () => {
    it('fills the endorsement form from the identity product and the exit-entry register, and says where each value came from', async () => {
      const item = (await getCurrentItem(ctx.db, 'hk-macao-endorsement'))!;
      const me = ids['13800000001']!;
      const before = (await logRowsOf({ userId: me })).length;
      const result = await prefillFor(ctx.db, { serviceCode: item.code, formDefinition: item.content.formDefinition, actor: citizen('13800000001') });
      expect(result.values).toEqual({ applicantName: '张丽', applicantIdNumber: '510107198503120028', permitNumber: 'C10573421' });
      expect(result.sources).toHaveLength(3);
      expect(result.sources).toEqual(
        expect.arrayContaining([
          { field: 'applicantName', product: 'person.identity', department: 'psb' },
          { field: 'applicantIdNumber', product: 'person.identity', department: 'psb' },
          { field: 'permitNumber', product: 'person.exitPermit', department: 'psb-exit-entry' },
        ]),
      );
      expect(result.unresolved).toEqual(['contactPhone']);
      const rows = (await logRowsOf({ userId: me })).slice(before).sort((a, b) => a.product.localeCompare(b.product));
      // Only the permit number is asked of the exit-entry register (not its validity or the exit status).
      expect(rows.map((r) => [r.product, r.purposeServiceCode, r.fields])).toEqual([
        ['person.exitPermit', 'hk-macao-endorsement', ['permitNumber']],
        ['person.identity', 'hk-macao-endorsement', ['realName', 'idNumber']],
      ]);
    });

    it("fills the permit number with the child's once the child is named, after one guardianship read", async () => {
      const item = (await getCurrentItem(ctx.db, 'hk-macao-endorsement'))!;
      const me = ids['13800000001']!;
      const before = (await logRowsOf({ userId: me })).length;
      const result = await prefillFor(ctx.db, {
        serviceCode: item.code,
        formDefinition: item.content.formDefinition,
        actor: citizen('13800000001'),
        childIdNumber: '510107201605200031',
      });
      expect(result.values).toMatchObject({ applicantName: '张丽', permitNumber: 'C20981736' });
      const rows = (await logRowsOf({ userId: me })).slice(before).sort((a, b) => a.product.localeCompare(b.product));
      expect(rows.map((r) => [r.product, r.subjectChildIdNumber])).toEqual([
        ['person.children', null],
        ['person.exitPermit', '510107201605200031'],
        ['person.identity', null],
      ]);
    });

    it("fills a company's form from the enterprise register for the accountant acting for it", async () => {
      const item = (await getCurrentItem(ctx.db, 'vat-invoice-stock'))!;
      const actor = citizen('13800000003', { enterpriseId: companyId, uscc: company.uscc, name: company.name, role: 'accountant' });
      const result = await prefillFor(ctx.db, { serviceCode: item.code, formDefinition: item.content.formDefinition, actor });
      expect(result.values).toMatchObject({ uscc: company.uscc, companyName: company.name, officerName: '李强' });
      expect(result.sources).toEqual(
        expect.arrayContaining([
          { field: 'uscc', product: 'enterprise.registration', department: 'amr' },
          { field: 'companyName', product: 'enterprise.registration', department: 'amr' },
          { field: 'officerName', product: 'person.identity', department: 'psb' },
        ]),
      );
      const [row] = (await logRowsOf({ enterpriseId: companyId })).slice(-1);
      expect(row).toMatchObject({ purposeServiceCode: 'vat-invoice-stock', actorUserId: ids['13800000003'], fields: ['uscc', 'name'] });
    });

    const form: FormDefinition = {
      type: 'object',
      properties: { home: { type: 'object' }, childName: { type: 'string' }, childId: { type: 'string' }, head: { type: 'string' } },
      'x-ui': {
        pages: [{ id: 'p', titleZh: 'p', titleEn: 'p', fields: ['home', 'childName', 'childId', 'head'] }],
        fields: {
          home: { widget: 'chengduAddress', labelZh: '户籍地址', labelEn: 'Address', prefill: { source: 'person.household#address', heldBy: 'psb' } },
          childName: { widget: 'text', labelZh: '子女姓名', labelEn: 'Child', prefill: { source: 'person.children#realName', heldBy: 'psb' } },
          childId: { widget: 'idNumber', labelZh: '子女身份号码', labelEn: 'Child ID', prefill: { source: 'person.children#idNumber', heldBy: 'psb' } },
          head: { widget: 'text', labelZh: '户主', labelEn: 'Head', prefill: { source: 'person.household#householdHead', heldBy: 'psb' } },
        },
      },
    };

    it("fills a household address widget and the chosen child's identity; no child is read until one is chosen", async () => {
      const actor = citizen('13800000001');
      const before = (await logRowsOf({ userId: actor.userId })).length;
      const withoutChild = await prefillFor(ctx.db, { serviceCode: 'hk-macao-endorsement', formDefinition: form, actor });
      expect(withoutChild.values).toEqual({ home: { district: '武侯区', detail: '玉林街道玉林北路12号3栋2单元501号' }, head: '张丽' });
      expect(withoutChild.unresolved.sort()).toEqual(['childId', 'childName']);
      let rows = (await logRowsOf({ userId: actor.userId })).slice(before);
      expect(rows.map((r) => [r.product, r.fields])).toEqual([['person.household', ['district', 'addressDetail', 'householdHead']]]);

      const withChild = await prefillFor(ctx.db, { serviceCode: 'hk-macao-endorsement', formDefinition: form, actor, childIdNumber: '510107201605200031' });
      expect(withChild.values).toMatchObject({ childName: '刘子轩', childId: '510107201605200031' });
      expect(withChild.sources).toEqual(expect.arrayContaining([{ field: 'childName', product: 'person.children', department: 'psb' }]));
      rows = (await logRowsOf({ userId: actor.userId })).slice(before);
      expect(rows.map((r) => r.product).sort()).toEqual(['person.children', 'person.household', 'person.household']);
    });

    it("refuses someone else's child (403) over the API, and audits it", async () => {
      const token = await apiToken('13800000002');
      const res = await app.inject({
        method: 'POST',
        url: '/api/v1/me/prefill',
        headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
        payload: { serviceCode: 'hk-macao-endorsement', childIdNumber: '510107201605200031' },
      });
      expect(res.statusCode).toBe(403);
      expect(res.headers['content-type']).toContain('application/problem+json');
      expect((await refusals(ids['13800000002']!)).map((a) => a.detail.reason)).toContain('not-own-child');
    });

    it('answers the prefill API with values and sources, and validates its input', async () => {
      const token = await apiToken('13800000004');
      const headers = { authorization: `Bearer ${token}`, 'content-type': 'application/json' };
      const res = await app.inject({ method: 'POST', url: '/api/v1/me/prefill', headers, payload: { serviceCode: 'passport-issue' } });
      expect(res.statusCode).toBe(200);
      expect(res.json()).toMatchObject({ values: { applicantName: '陈建国', applicantIdNumber: '51010519750608001X' } });
      const long = await app.inject({ method: 'POST', url: '/api/v1/me/prefill', headers, payload: { serviceCode: 'x'.repeat(10_000) } });
      expect(long.statusCode).toBe(400);
      const unknown = await app.inject({ method: 'POST', url: '/api/v1/me/prefill', headers, payload: { serviceCode: 'no-such-service' } });
      expect(unknown.statusCode).toBe(404);
    });
  });

  describe('who used my data', () => {
    let zhang: TestClient;
    let wang: TestClient;

    beforeAll(async () => {
      zhang = await webClient('13800000001');
      wang = await webClient('13800000002');
      // 王芳's own reads, which must never appear on 张丽's page.
      const item = (await getCurrentItem(ctx.db, 'passport-issue'))!;
      await prefillFor(ctx.db, { serviceCode: item.code, formDefinition: item.content.formDefinition, actor: citizen('13800000002') });
    });

    const timesOnPage = (html: string) => [...html.matchAll(/<time datetime="([^"]+)"/g)].map((m) => m[1]!).sort();
    const timesInLog = async (userId: string) => (await logRowsOf({ userId })).map((r) => r.at.toISOString()).sort();

    it("lists exactly the person's reads in Chinese, with department, purpose, time and data", async () => {
      const res = await zhang.get('/account/data-use');
      expect(res.statusCode).toBe(200);
      expect(res.body).toContain('<html lang="zh-CN"');
      expect(res.body).toContain('谁使用了我的数据');
      expect(timesOnPage(res.body)).toEqual(await timesInLog(ids['13800000001']!));
      expect(timesOnPage(res.body).length).toBeGreaterThan(3);
      for (const text of ['往来港澳通行证签注', '市公安局出入境管理局', '市公安局', '政务服务平台', '姓名', '公民身份号码', '户主姓名'])
        expect(res.body).toContain(text);
      expect(res.body).not.toContain('普通护照签发'); // 王芳's purpose
      // The child's permit, read for the mother as guardian, says whose it was (ID number masked).
      expect(res.body).toContain('往来港澳通行证及出境状态');
      expect(res.body).toContain('关于您的子女（公民身份号码 5101**********0031）');
      expect(res.body).not.toContain('510107201605200031');
      expect(res.body).not.toContain(company.name);
    });

    it('lists the same in English', async () => {
      const res = await zhang.get('/account/data-use?lang=en');
      expect(res.statusCode).toBe(200);
      expect(res.body).toContain('<html lang="en"');
      expect(res.body).toContain('Who used my data');
      expect(timesOnPage(res.body)).toEqual(await timesInLog(ids['13800000001']!));
      for (const text of [
        'Hong Kong and Macao travel permit endorsement',
        'Exit and Entry Administration',
        'Public Security Bureau',
        'Resident ID number',
        'Head of household',
      ])
        expect(res.body).toContain(text);
      expect(res.body).not.toContain('Ordinary passport issuance');
    });

    it("shows 王芳 only her reads, and a company's reads to the people who act for it", async () => {
      const res = await wang.get('/account/data-use?lang=en');
      expect(timesOnPage(res.body)).toEqual(await timesInLog(ids['13800000002']!));
      expect(res.body).toContain('Ordinary passport issuance');
      // 张丽's only: the exit-entry clerk's read for her application.
      expect(res.body).not.toContain('Exit and Entry Administration');

      const li = await webClient('13800000003');
      const page = await li.get('/account/data-use');
      const mine = [...(await timesInLog(ids['13800000003']!)), ...(await logRowsOf({ enterpriseId: companyId })).map((r) => r.at.toISOString())].sort();
      expect(timesOnPage(page.body)).toEqual(mine);
      expect(page.body).toContain(`关于企业：${company.name}`);
    });

    it('sends a visitor to sign in and answers a bad page number with 400', async () => {
      const anon = await new TestClient(app).get('/account/data-use');
      expect(anon.statusCode).toBe(302);
      expect(anon.headers.location).toContain('/sign-in');
      for (const page of ['0', 'abc', '9'.repeat(400)]) expect((await zhang.get(`/account/data-use?page=${page}`)).statusCode).toBe(400);
      const empty = await zhang.get('/account/data-use?page=999');
      expect(empty.statusCode).toBe(200);
      expect(empty.body).toContain('还没有任何部门或平台调取过您的数据');
    });

    it('answers the API with the same reads, only to the subject', async () => {
      const token = await apiToken('13800000001');
      const res = await app.inject({ url: '/api/v1/me/data-use', headers: { authorization: `Bearer ${token}`, 'accept-language': 'en' } });
      expect(res.statusCode).toBe(200);
      const body = res.json<{
        items: { id: string; at: string; purpose: { serviceCode: string; serviceName: string }; reader: { kind: string }; fields: { name: string }[] }[];
      }>();
      const rows = await logRowsOf({ userId: ids['13800000001']! });
      expect(body.items.map((i) => i.id).sort()).toEqual(rows.map((r) => r.id).sort());
      const staffRead = body.items.find((i) => i.reader.kind === 'department');
      expect(staffRead).toBeDefined();
      expect(body.items.find((i) => i.purpose.serviceCode === 'hk-macao-endorsement')?.purpose.serviceName).toBe(
        'Hong Kong and Macao travel permit endorsement',
      );

      const other = await app.inject({ url: '/api/v1/me/data-use', headers: { authorization: `Bearer ${await apiToken('13800000002')}` } });
      const otherIds = other.json<{ items: { id: string }[] }>().items.map((i) => i.id);
      expect(otherIds.sort()).toEqual((await logRowsOf({ userId: ids['13800000002']! })).map((r) => r.id).sort());
      expect(otherIds.some((id) => rows.some((r) => r.id === id))).toBe(false);

      expect((await app.inject({ url: '/api/v1/me/data-use' })).statusCode).toBe(401);
      const badPage = await app.inject({ url: `/api/v1/me/data-use?page=${'9'.repeat(400)}`, headers: { authorization: `Bearer ${token}` } });
      expect(badPage.statusCode).toBe(400);
      const staff = await app.inject({ url: '/api/v1/me/data-use', headers: { authorization: `Bearer ${await apiToken('psb.clerk')}` } });
      expect(staff.statusCode).toBe(403);
    });

    it("lets a platform administrator see a person's log only with a stated reason, audited", async () => {
      const url = `/api/v1/admin/people/${ids['13800000001']!}/data-use`;
      const admin = { authorization: `Bearer ${await apiToken('admin')}` };
      expect((await app.inject({ url, headers: admin })).statusCode).toBe(400);
      const reason = 'Complaint 2026-117 about a read by exit-entry';
      const res = await app.inject({ url: `${url}?reason=${encodeURIComponent(reason)}`, headers: admin });
      expect(res.statusCode).toBe(200);
      expect(res.json<{ items: unknown[] }>().items.length).toBe((await logRowsOf({ userId: ids['13800000001']! })).length);
      const [audit] = await ctx.db
        .select()
        .from(auditLog)
        .where(and(eq(auditLog.action, 'exchange.data-use.view'), eq(auditLog.resourceId, ids['13800000001']!)));
      expect(audit?.detail).toEqual({ reason });
      const clerk = await app.inject({
        url: `${url}?reason=${encodeURIComponent(reason)}`,
        headers: { authorization: `Bearer ${await apiToken('psb.admin')}` },
      });
      expect(clerk.statusCode).toBe(403);
    });
  });
});
