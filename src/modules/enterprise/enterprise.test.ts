import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { and, eq } from 'drizzle-orm';
import { createTestApp, TestClient, type TestContext } from '../../../test/helpers.js';
import { createUser, waitFor, type TestUser } from '../../../test/factories.js';
import { modules } from '../../app.js';
import type { App } from '../../platform/http/types.js';
import { auditLog } from '../../platform/platform.schema.js';
import { users } from '../identity/identity.schema.js';
import { checkUscc, findEnterpriseByUscc, listEnterprisesOf, registerEnterprise } from '../identity/index.js';
import { getCurrentItem } from '../catalog/index.js';
import { getLicence, latestLicenceOf } from '../certificates/index.js';
import { prefillFor } from '../exchange/index.js';
import { accessLog } from '../exchange/exchange.schema.js';
import { residentIdCheckChar } from '../identity/identity.validators.js';
import { orgCodeCheckChar } from './enterprise.rules.js';

// Enterprise registration through the API and the pages: names, establishment, confirmations, approval, changes, register.

const idOf = (first17: string) => first17 + residentIdCheckChar(first17);
const people = {
  founder: { name: '赵敏', idNumber: idOf('51010719880101002') },
  partner: { name: '钱伟', idNumber: idOf('51010419900202003') },
  watcher: { name: '孙悦', idNumber: idOf('51010819920303004') },
};
const demo = { uscc: '91510107MA6CBX7Q6L', name: '成都蜀锦商贸有限公司' };

describe('enterprise', () => {
  let app: App;
  let ctx: TestContext;
  const u: Record<string, TestUser> = {};
  let clerk: TestUser;
  let approver: TestUser;
  let amrAdmin: TestUser;
  let otherAdmin: TestUser;

  const api = (who: TestUser) => new TestClient(app, { authorization: who.authorization });
  const page = (who: TestUser) => {
    const c = new TestClient(app);
    const [k, v] = who.cookie.split('=') as [string, string];
    c.cookies.set(k, v);
    return c;
  };
  const post = (who: TestUser, url: string, body: object) => api(who).request('POST', url, body, { 'content-type': 'application/json' });

  beforeAll(async () => {
    ({ app, ctx } = await createTestApp({ env: { SIGN_IN_LIMIT: '1000' } }));
    for (const m of modules) await m.seed?.(ctx);
    for (const [key, p] of Object.entries(people)) {
      u[key] = await createUser(ctx, { realName: p.name });
      await ctx.db.update(users).set({ idNumber: p.idNumber }).where(eq(users.id, u[key]!.id));
    }
    clerk = await createUser(ctx, { kind: 'staff', departmentCode: 'amr', roles: ['clerk'] });
    approver = await createUser(ctx, { kind: 'staff', departmentCode: 'amr', roles: ['approver'] });
    amrAdmin = await createUser(ctx, { kind: 'staff', departmentCode: 'amr', roles: ['dept_admin'] });
    otherAdmin = await createUser(ctx, { kind: 'staff', departmentCode: 'tax', roles: ['dept_admin'] });
    await ctx.jobs.work();
  }, 240_000);
  afterAll(async () => {
    await app.close();
    await ctx.cleanup();
  });

  describe('name declaration', () => {
    const base = { division: '成都', tradeName: '蓉光', industry: '科技', orgForm: '有限公司' };
    const cases: [string, Partial<typeof base>, string, string?][] = [
      ['a division outside the list', { division: '北京' }, 'division'],
      ['no trade name', { tradeName: '' }, 'tradeNameRequired'],
      ['a one-character trade name', { tradeName: '蓉' }, 'tradeNameShort'],
      ['a trade name in Latin letters', { tradeName: 'Rong' }, 'tradeNameChinese'],
      ['an over-long trade name', { tradeName: '一二三四五六七八九十百' }, 'tradeNameLong'],
      ['a division name as trade name', { tradeName: '锦江' }, 'tradeNameDivision'],
      ['an industry term as trade name', { tradeName: '信息技术' }, 'tradeNameIndustry'],
      ['an unknown industry', { industry: '炼金' }, 'industry'],
      ['an unknown organisational form', { orgForm: '集团' }, 'orgForm'],
      ['a forbidden word', { tradeName: '中华蓉' }, 'forbidden'],
      ['the name of a registered company', { tradeName: '蜀锦', industry: '商贸' }, 'identical', demo.name],
      ['a confusingly similar name', { tradeName: '锦蜀', industry: '商贸' }, 'similar', demo.name],
      ['the same name with another form', { tradeName: '蜀锦', industry: '商贸', orgForm: '有限责任公司' }, 'identical', demo.name],
    ];
    for (const [what, change, code, conflictsWith] of cases) {
      it(`refuses ${what} with a clear message`, async () => {
        const res = await post(u.watcher!, '/api/v1/enterprise/names', { ...base, ...change });
        expect(res.statusCode).toBe(400);
        expect(res.headers['content-type']).toContain('application/problem+json');
        const problem = res.json<{ problems: { code: string; message: string; conflictsWith?: string }[] }>();
        expect(problem.problems.map((p) => p.code)).toContain(code);
        const p = problem.problems.find((x) => x.code === code)!;
        expect(p.message).not.toMatch(/^enterprise\./);
        if (conflictsWith) {
          expect(p.conflictsWith).toBe(conflictsWith);
          expect(p.message).toContain(conflictsWith);
        }
      });
    }

    it('reserves a name that passes, and the reservation blocks the same name for others', async () => {
      const res = await post(u.watcher!, '/api/v1/enterprise/names', { ...base, tradeName: '蓉光' });
      expect(res.statusCode).toBe(201);
      const body = res.json<{ name: string; reservedUntil: string }>();
      expect(body.name).toBe('成都蓉光科技有限公司');
      expect(new Date(body.reservedUntil).getTime() - Date.now()).toBeGreaterThan(29 * 86_400_000);
      const again = await post(u.partner!, '/api/v1/enterprise/names', { ...base, tradeName: '蓉光', orgForm: '有限责任公司' });
      expect(again.statusCode).toBe(400);
      expect(again.json<{ problems: { code: string; conflictsWith: string }[] }>().problems[0]).toMatchObject({
        code: 'identical',
        conflictsWith: '成都蓉光科技有限公司',
      });
      // The check alone reserves nothing.
      const check = await post(u.partner!, '/api/v1/enterprise/names/check', { ...base, tradeName: '蓉晖' });
      expect(check.json()).toMatchObject({ ok: true, name: '成都蓉晖科技有限公司' });
    });

    it('re-renders the page form with the message naming the conflicting company (400, input kept), in both languages', async () => {
      const c = page(u.watcher!);
      const res = await c.submit('/enterprise/names/new', '/enterprise/names', { division: '成都', tradeName: '锦蜀', industry: '商贸', orgForm: '有限公司' });
      expect(res.statusCode).toBe(400);
      expect(res.body).toContain('error-summary');
      expect(res.body).toContain('近似');
      expect(res.body).toContain(demo.name);
      expect(res.body).toContain('value="锦蜀"');
      const en = await c.submit('/enterprise/names/new?lang=en', '/enterprise/names?lang=en', {
        division: '成都',
        tradeName: '锦蜀',
        industry: '商贸',
        orgForm: '有限公司',
      });
      expect(en.body).toContain('confusingly similar');
    });

    it('lets an AMR administrator edit the forbidden words (audited), and nobody else', async () => {
      const admin = page(amrAdmin);
      const add = await admin.submit('/staff/enterprise/forbidden-words', '/staff/enterprise/forbidden-words', {
        word: '熊猫王',
        reasonZh: '测试禁用',
        reasonEn: 'Test ban',
      });
      expect(add.statusCode).toBe(303);
      const refused = await post(u.watcher!, '/api/v1/enterprise/names/check', { ...base, tradeName: '熊猫王' });
      expect(refused.json<{ problems: { code: string; message: string }[] }>().problems[0]).toMatchObject({ code: 'forbidden' });
      expect(refused.json<{ problems: { message: string }[] }>().problems[0]!.message).toContain('测试禁用');
      const empty = await admin.submit('/staff/enterprise/forbidden-words', '/staff/enterprise/forbidden-words', { word: '', reasonZh: '', reasonEn: '' });
      expect(empty.statusCode).toBe(400);
      expect(empty.body).toContain('error-summary');
      expect((await page(otherAdmin).get('/staff/enterprise/forbidden-words')).statusCode).toBe(403);
      expect((await page(u.watcher!).get('/staff/enterprise/forbidden-words')).statusCode).toBe(403);
      const audit = await ctx.db.select().from(auditLog).where(eq(auditLog.action, 'enterprise.forbidden-word.add'));
      expect(audit).toHaveLength(1);
    });
  });

  describe('establishment end to end through the pages', () => {
    let applicationId = '';
    let uscc = '';
    let declaredNameId = '';

    it('declares a name, refuses bad input with the form kept, then submits', async () => {
      const c = page(u.founder!);
      const declared = await c.submit('/enterprise/names/new', '/enterprise/names', {
        division: '成都市',
        tradeName: '天府锦程',
        industry: '网络科技',
        orgForm: '有限公司',
      });
      expect(declared.statusCode).toBe(303);
      const nameUrl = String(declared.headers.location);
      const nameId = nameUrl.split('/').pop()!;
      declaredNameId = nameId;
      expect((await c.get(nameUrl)).body).toContain('成都市天府锦程网络科技有限公司');

      const form = `/enterprise/establish?name=${nameId}`;
      const good: Record<string, string | string[]> = {
        nameId,
        district: '武侯区',
        addressDetail: '天府大道北段1700号5栋1单元1201号',
        scopeCodes: ['software-dev', 'it-consulting'],
        scopeText: '',
        registeredCapital: '100',
        'legalRepresentative.name': people.founder.name,
        'legalRepresentative.idNumber': people.founder.idNumber,
        'shareholders.0.name': people.founder.name,
        'shareholders.0.idNumber': people.founder.idNumber,
        'shareholders.0.contribution': '60',
        'shareholders.1.name': people.partner.name,
        'shareholders.1.idNumber': people.partner.idNumber,
        'shareholders.1.contribution': '40',
        'officers.executiveDirector.name': people.founder.name,
        'officers.executiveDirector.idNumber': people.founder.idNumber,
        'officers.manager.name': people.founder.name,
        'officers.manager.idNumber': people.founder.idNumber,
        'officers.supervisor.name': people.partner.name,
        'officers.supervisor.idNumber': people.partner.idNumber,
      };
      const badId = people.partner.idNumber.slice(0, 17) + (people.partner.idNumber[17] === '1' ? '2' : '1');
      const bad = await c.submit(form, '/enterprise/establish', {
        ...good,
        'shareholders.1.idNumber': badId,
        'shareholders.1.contribution': '30',
        'officers.supervisor.idNumber': people.founder.idNumber,
        district: '朝阳区',
      });
      expect(bad.statusCode).toBe(400);
      expect(bad.body).toContain('error-summary');
      expect(bad.body).toContain('href="#shareholders.1.idNumber"');
      expect(bad.body).toContain('href="#district"');
      expect(bad.body).toContain('href="#officers.supervisor.idNumber"');
      expect(bad.body).toContain(`value="${badId}"`);
      const sumWrong = await c.submit(form, '/enterprise/establish', { ...good, 'shareholders.1.contribution': '30' });
      expect(sumWrong.statusCode).toBe(400);
      expect(sumWrong.body).toContain('股东认缴出资额之和应当等于注册资本');

      const ok = await c.submit(form, '/enterprise/establish', good);
      expect(ok.statusCode).toBe(303);
      applicationId = String(ok.headers.location).split('/').pop()!.split('?')[0]!;
      const status = await api(u.founder!).get(`/api/v1/enterprise/applications/${applicationId}`);
      expect(status.json()).toMatchObject({ status: 'awaiting_confirmation' });
      expect(status.json<{ confirmations: unknown[] }>().confirmations).toHaveLength(2);
    });

    it('does not let the same declared name go into a second establishment', async () => {
      const res = await post(u.founder!, '/api/v1/enterprise/establishments', {
        nameId: declaredNameId,
        address: { district: '武侯区', detail: '天府大道北段1700号5栋' },
        businessScope: { items: ['software-dev'] },
        registeredCapitalYuan: 100_000,
        legalRepresentative: people.founder,
        shareholders: [{ ...people.founder, contributionYuan: 100_000 }],
        officers: { executiveDirector: people.founder, supervisor: people.partner, manager: people.founder },
      });
      expect(res.statusCode).toBe(400);
      expect(res.json<{ errors: Record<string, string> }>().errors).toEqual({ nameId: 'enterprise.est.error.nameInUse' });
    });

    it('waits for every person to confirm by signing in; a stranger cannot confirm', async () => {
      expect((await page(u.watcher!).get(`/enterprise/confirm/${applicationId}`)).statusCode).toBe(404);
      expect((await post(u.watcher!, `/api/v1/enterprise/applications/${applicationId}/confirm`, {})).statusCode).toBe(404);
      const founder = page(u.founder!);
      expect((await founder.get('/enterprise')).body).toContain(`/enterprise/confirm/${applicationId}`);
      const r1 = await founder.submit(`/enterprise/confirm/${applicationId}`, `/enterprise/confirm/${applicationId}`, {});
      expect(r1.statusCode).toBe(303);
      expect((await api(u.founder!).get(`/api/v1/enterprise/applications/${applicationId}`)).json()).toMatchObject({ status: 'awaiting_confirmation' });
      expect((await post(u.founder!, `/api/v1/enterprise/applications/${applicationId}/confirm`, {})).statusCode).toBe(409);
      const partnerPage = await page(u.partner!).get(`/enterprise/confirm/${applicationId}`);
      expect(partnerPage.body).toContain('监事');
      const r2 = await page(u.partner!).submit(`/enterprise/confirm/${applicationId}`, `/enterprise/confirm/${applicationId}`, {});
      expect(r2.statusCode).toBe(303);
      expect((await api(u.founder!).get(`/api/v1/enterprise/applications/${applicationId}`)).json()).toMatchObject({ status: 'submitted' });
    });

    it('is accepted by an AMR clerk and approved by an approver; the credit code is assigned and the licence issued', async () => {
      // The approver cannot approve before acceptance; the clerk cannot approve at all.
      expect((await post(approver, `/api/v1/enterprise/applications/${applicationId}/approve`, {})).statusCode).toBe(409);
      const c = page(clerk);
      expect((await c.get('/staff/enterprise')).body).toContain('成都市天府锦程网络科技有限公司');
      expect((await c.submit(`/staff/enterprise/applications/${applicationId}`, `/staff/enterprise/applications/${applicationId}/accept`, {})).statusCode).toBe(
        303,
      );
      expect((await post(clerk, `/api/v1/enterprise/applications/${applicationId}/approve`, {})).statusCode).toBe(403);
      const a = page(approver);
      expect(
        (await a.submit(`/staff/enterprise/applications/${applicationId}`, `/staff/enterprise/applications/${applicationId}/approve`, {})).statusCode,
      ).toBe(303);

      let body: { status: string; company: { uscc: string } | null; licence: { id: string } | null } = { status: '', company: null, licence: null };
      await waitFor(async () => {
        body = (await api(u.founder!).get(`/api/v1/enterprise/applications/${applicationId}`)).json();
        return body.status === 'completed';
      }, 20_000);
      uscc = body.company!.uscc;
      expect(checkUscc(uscc).ok).toBe(true);
      expect(uscc.slice(0, 8)).toBe('91510107');
      expect(orgCodeCheckChar(uscc.slice(8, 16))).toBe(uscc[16]);
      const licence = await getLicence(ctx.db, body.licence!.id);
      expect(licence).toMatchObject({ uscc, state: 'active' });
      expect(licence!.fields).toMatchObject({ name: '成都市天府锦程网络科技有限公司', legalRepresentative: people.founder.name });
      // The applicant is told in their inbox.
      const inbox = await ctx.notify.inbox.list(u.founder!.id, 'zh-CN');
      expect(inbox.map((n) => n.body).join('\n')).toContain(uscc);
      // The legal representative now acts for the company; the name is registered and blocks others.
      const company = await findEnterpriseByUscc(ctx.db, uscc);
      expect((await listEnterprisesOf(ctx.db, u.founder!.id)).find((m) => m.id === company!.id)?.role).toBe('legal_representative');
      const again = await post(u.watcher!, '/api/v1/enterprise/names/check', {
        division: '成都',
        tradeName: '天府锦程',
        industry: '网络科技',
        orgForm: '有限公司',
      });
      expect(again.json()).toMatchObject({ ok: false });
      // Approval was audited as a member of staff's, the registration as the system's.
      const audits = await ctx.db.select().from(auditLog).where(eq(auditLog.resourceId, applicationId));
      expect(audits.map((r) => r.action)).toEqual(expect.arrayContaining(['enterprise.application.accept', 'enterprise.application.approve']));
    });

    it('shows the company in the public register, found in Chinese and by code, without any ID number', async () => {
      const anon = new TestClient(app);
      const list = await anon.get(`/enterprises?q=${encodeURIComponent('锦程')}`);
      expect(list.statusCode).toBe(200);
      expect(list.body).toContain('成都市天府锦程网络科技有限公司');
      expect(list.body).not.toContain(demo.name);
      const byCode = await anon.get(`/api/v1/enterprises?q=${uscc.slice(0, 12)}`);
      expect(byCode.json<{ items: { uscc: string }[] }>().items.map((i) => i.uscc)).toContain(uscc);
      const shown = [await anon.get(`/enterprises/${uscc}`), await anon.get(`/api/v1/enterprises/${uscc}`), await anon.get(`/enterprises/${demo.uscc}`), list];
      for (const res of shown) {
        expect(res.statusCode).toBe(200);
        for (const p of [...Object.values(people), { idNumber: '51010519750608001X' }, { idNumber: '510104198807210031' }]) {
          expect(res.body).not.toContain(p.idNumber);
          expect(res.body).not.toContain(p.idNumber.slice(6, 14));
        }
      }
      expect(shown[0]!.body).toContain(people.founder.name);
      expect((await anon.get('/enterprises/91510107MA6CBX7Q6X')).statusCode).toBe(404);
      expect((await anon.get(`/api/v1/enterprises?q=${'蜀'.repeat(61)}`)).statusCode).toBe(400);
    });

    it('serves the register as the exchange product: the VAT invoice form is prefilled from it and the read recorded', async () => {
      const company = (await findEnterpriseByUscc(ctx.db, uscc))!;
      const item = (await getCurrentItem(ctx.db, 'vat-invoice-stock'))!;
      const actor = {
        userId: u.founder!.id,
        kind: 'citizen' as const,
        realName: people.founder.name,
        departmentCode: null,
        roles: [],
        actingFor: { enterpriseId: company.id, uscc, name: company.name, role: 'legal_representative' as const },
        sessionId: 'x',
        via: 'cookie' as const,
        pendingSecondFactor: false,
      };
      const result = await prefillFor(ctx.db, { serviceCode: 'vat-invoice-stock', formDefinition: item.content.formDefinition, actor });
      expect(result.values).toMatchObject({ uscc, companyName: '成都市天府锦程网络科技有限公司' });
      const log = await ctx.db
        .select()
        .from(accessLog)
        .where(and(eq(accessLog.subjectEnterpriseId, company.id), eq(accessLog.product, 'enterprise.registration')));
      expect(log.length).toBeGreaterThan(0);
    });
  });

  describe('change registration', () => {
    let rep: TestUser;
    beforeAll(async () => {
      rep = await createUser(ctx, { realName: '陈建国' });
      const company = (await findEnterpriseByUscc(ctx.db, demo.uscc))!;
      await registerEnterprise(ctx.db, company, [{ userId: rep.id, role: 'legal_representative' }]);
    });
    const change = (body: object) => post(rep, `/api/v1/enterprise/companies/${demo.uscc}/changes`, body);
    const demoScope = ['textile-sales', 'crafts-sales', 'clothing-sales', 'daily-goods-sales', 'import-export-goods'];
    const completed = async (id: string) => {
      let body: { status: string; licence: { id: string } | null } = { status: '', licence: null };
      await waitFor(async () => {
        body = (await api(rep).get(`/api/v1/enterprise/applications/${id}`)).json();
        return body.status === 'completed';
      }, 20_000);
      return body;
    };

    it('decides a scope change without a prior-permit item by itself within seconds, and revokes the previous licence on the next change', async () => {
      const seeded = await latestLicenceOf(ctx.db, demo.uscc);
      expect(seeded?.state).toBe('active');
      const started = Date.now();
      const first = await change({ businessScope: { items: [...demoScope, 'software-dev'] } });
      expect(first.statusCode).toBe(201);
      expect(first.json()).toMatchObject({ status: 'approved', decidedBy: 'system', rule: 'scope-without-prior-permit' });
      const done1 = await completed(first.json<{ id: string }>().id);
      expect(Date.now() - started).toBeLessThan(5_000);
      const licence1 = await getLicence(ctx.db, done1.licence!.id);
      expect(licence1).toMatchObject({ state: 'active', uscc: demo.uscc });
      expect(licence1!.fields.businessScope).toContain('软件开发');
      expect((await getLicence(ctx.db, seeded!.credentialId))!.state).toBe('revoked');
      const system = await ctx.db
        .select()
        .from(auditLog)
        .where(and(eq(auditLog.action, 'enterprise.change.approve'), eq(auditLog.resourceId, first.json<{ id: string }>().id)));
      expect(system).toHaveLength(1);
      expect(system[0]!.actorType).toBe('system');

      const second = await change({ businessScope: { items: [...demoScope, 'software-dev', 'marketing'], text: '' } });
      expect(second.json()).toMatchObject({ status: 'approved', decidedBy: 'system' });
      const done2 = await completed(second.json<{ id: string }>().id);
      expect((await getLicence(ctx.db, done1.licence!.id))!.state).toBe('revoked');
      expect((await getLicence(ctx.db, done2.licence!.id))!.state).toBe('active');
      const pub = await new TestClient(app).get(`/api/v1/enterprises/${demo.uscc}`);
      const changes = pub.json<{ changes: { item: string; after: string }[] }>().changes;
      expect(changes).toHaveLength(2);
      expect(changes[0]!.after).toContain('市场营销策划');
    });

    it('sends a scope change adding a prior-permit item, and a capital change, to a reviewer', async () => {
      const permit = await change({ businessScope: { items: [...demoScope, 'software-dev', 'marketing', 'catering-services'] } });
      expect(permit.statusCode).toBe(201);
      expect(permit.json()).toMatchObject({ status: 'submitted', decidedBy: null });
      // One change at a time per company.
      expect((await change({ registeredCapitalYuan: 2_000_000 })).statusCode).toBe(409);
      const id = permit.json<{ id: string }>().id;
      expect((await page(clerk).get('/staff/enterprise')).body).toContain(`/staff/enterprise/applications/${id}`);
      await new Promise((r) => setTimeout(r, 1500));
      expect((await api(rep).get(`/api/v1/enterprise/applications/${id}`)).json()).toMatchObject({ status: 'submitted' });
      const refuse = await post(clerk, `/api/v1/enterprise/applications/${id}/reject`, { reason: '缺少食品经营许可证' });
      expect(refuse.json()).toMatchObject({ status: 'rejected' });
      expect((await ctx.notify.inbox.list(rep.id, 'zh-CN')).map((n) => n.body).join('\n')).toContain('缺少食品经营许可证');
      const capital = await change({ registeredCapitalYuan: 2_000_000 });
      expect(capital.json()).toMatchObject({ status: 'submitted' });
    });

    it('refuses bad change requests clearly', async () => {
      expect((await post(u.watcher!, `/api/v1/enterprise/companies/${demo.uscc}/changes`, { registeredCapitalYuan: 5 })).statusCode).toBe(404);
      expect((await change({ businessScope: { items: ['no-such-item'] } })).statusCode).toBe(400);
      expect((await change({ businessScope: { items: [] } })).statusCode).toBe(400);
      expect((await change({ address: { district: '朝阳区', detail: '某路1号' } })).statusCode).toBe(400);
      expect(
        (await change({ legalRepresentative: { name: '王五', idNumber: '510107199001010010' } })).json<{ errors: Record<string, string> }>().errors,
      ).toMatchObject({
        'legalRepresentative.idNumber': 'identity.idNumber.checksum',
      });
      expect((await change({ registeredCapitalYuan: -1 })).statusCode).toBe(400);
      expect((await change({ extra: 1 })).statusCode).toBe(400);
      expect((await post(rep, '/api/v1/enterprise/companies/NOT-A-CODE/changes', {})).statusCode).toBe(404);
    });
  });

  it("leads the catalogue's registration items to these journeys", async () => {
    const anon = new TestClient(app);
    expect((await anon.get('/services/company-establishment')).body).toContain('href="/enterprise/names/new"');
    expect((await anon.get('/services/business-scope-change')).body).toContain('href="/enterprise"');
    expect((await anon.get('/services/vat-invoice-stock')).body).toContain('href="/services/vat-invoice-stock/apply"');
  });

  it('refuses malformed establishment requests with 4xx, never a 500', async () => {
    const bodies = [
      {},
      { nameId: 'x' },
      {
        nameId: '00000000-0000-0000-0000-000000000000',
        address: { district: '武侯区', detail: '某路1号1栋' },
        businessScope: { items: ['software-dev'] },
        registeredCapitalYuan: 100,
        legalRepresentative: people.watcher,
        shareholders: [{ ...people.watcher, contributionYuan: 100 }],
        officers: { executiveDirector: people.watcher, supervisor: people.partner, manager: people.watcher },
      },
    ];
    for (const b of bodies) {
      const res = await post(u.watcher!, '/api/v1/enterprise/establishments', b);
      expect(res.statusCode).toBe(400);
    }
    expect((await post(u.watcher!, '/api/v1/enterprise/applications/not-a-uuid/confirm', {})).statusCode).toBe(404);
    expect((await api(u.watcher!).get('/api/v1/enterprise/applications/00000000-0000-0000-0000-000000000000')).statusCode).toBe(404);
  });
});
