import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { and, eq } from 'drizzle-orm';
import type { App } from '../../platform/http/types.js';
import { auditLog } from '../../platform/platform.schema.js';
import { createTestApp, TestClient, type TestContext } from '../../../test/helpers.js';
import { createUser, type TestUser } from '../../../test/factories.js';
import { modules } from '../../app.js';
import { getLicence, issueBusinessLicence, type LicenceInput } from './index.js';
import { findCompanyByUscc } from '../enterprise/enterprise.repository.js';
import { enterpriseRegister } from '../enterprise/index.js';

// Staff withdraw (revoke), suspend and reinstate a licence, through the API and the staff pages, and the change
// shows at the next verification; the enterprise module's deregistration revokes the licence and marks the register.

const demo = { uscc: '91510107MA6CBX7Q6L', name: '成都蜀锦商贸有限公司' };
const licence = (): LicenceInput => ({
  uscc: demo.uscc,
  name: demo.name,
  type: '有限责任公司（自然人投资或控股）',
  legalRepresentative: '陈建国',
  registeredCapital: '500万元人民币',
  establishedOn: '2019-03-12',
  address: '四川省成都市青羊区蜀锦路88号',
  businessScope: '一般项目：纺织品销售。',
  authority: '成都市青羊区市场监督管理局',
});

describe('licence status by staff', () => {
  let app: App;
  let ctx: TestContext;
  let approver: TestUser;
  let amrAdmin: TestUser;
  let clerk: TestUser;
  let otherApprover: TestUser;
  let citizen: TestUser;

  const issue = async () => (await ctx.db.transaction((tx) => issueBusinessLicence(tx, ctx, licence()))).credentialId;
  const act = (who: TestUser, id: string, action: string, body: unknown = { reason: '虚假登记，依法撤销' }) =>
    app.inject({ method: 'POST', url: `/api/v1/credentials/${id}/${action}`, payload: body as object, headers: { authorization: who.authorization } });
  const verdictOf = async (id: string) => {
    const jwt = (await getLicence(ctx.db, id))!.jwt;
    const res = await app.inject({ method: 'POST', url: '/api/v1/credentials/verify', payload: { credential: jwt } });
    expect(res.statusCode).toBe(200);
    return res.json<{ verdict: string }>().verdict;
  };
  const page = (who: TestUser) => {
    const c = new TestClient(app);
    const [k, v] = who.cookie.split('=') as [string, string];
    c.cookies.set(k, v);
    return c;
  };
  const audits = (id: string, action: string) =>
    ctx.db
      .select()
      .from(auditLog)
      .where(and(eq(auditLog.resourceId, id), eq(auditLog.action, action)));

  beforeAll(async () => {
    ({ app, ctx } = await createTestApp({ env: { SIGN_IN_LIMIT: '1000' } }));
    for (const m of modules) await m.seed?.(ctx);
    approver = await createUser(ctx, { kind: 'staff', departmentCode: 'amr', roles: ['approver'] });
    amrAdmin = await createUser(ctx, { kind: 'staff', departmentCode: 'amr', roles: ['dept_admin'] });
    clerk = await createUser(ctx, { kind: 'staff', departmentCode: 'amr', roles: ['clerk'] });
    otherApprover = await createUser(ctx, { kind: 'staff', departmentCode: 'tax', roles: ['approver'] });
    citizen = await createUser(ctx);
    await ctx.jobs.work();
  }, 240_000);
  afterAll(async () => {
    await app.close();
    await ctx.cleanup();
  });

  describe('API', () => {
    it('suspend → suspended, reinstate → valid, revoke → revoked at the next verification; audited with the reason', async () => {
      const id = await issue();
      expect(await verdictOf(id)).toBe('valid');

      const s = await act(approver, id, 'suspend', { reason: '涉嫌虚假登记，暂停使用' });
      expect(s.statusCode).toBe(200);
      expect(s.json()).toEqual({ id, state: 'suspended', reason: '涉嫌虚假登记，暂停使用' });
      expect(await verdictOf(id)).toBe('suspended');

      const r = await act(amrAdmin, id, 'reinstate', { reason: '核查无误，恢复' });
      expect(r.statusCode).toBe(200);
      expect(await verdictOf(id)).toBe('valid');

      const v = await act(approver, id, 'revoke', { reason: '依法吊销营业执照' });
      expect(v.statusCode).toBe(200);
      expect(v.json().state).toBe('revoked');
      expect(await verdictOf(id)).toBe('revoked');

      const suspendAudit = await audits(id, 'certificates.suspend');
      expect(suspendAudit).toHaveLength(1);
      expect(suspendAudit[0]!.actorId).toBe(approver.id);
      expect(suspendAudit[0]!.detail).toMatchObject({ reason: '涉嫌虚假登记，暂停使用' });
      expect(await audits(id, 'certificates.reinstate')).toHaveLength(1);
      expect((await audits(id, 'certificates.revoke'))[0]!.actorId).toBe(approver.id);
    });

    it('answers 409 when the state does not allow it: reinstate or suspend a revoked licence, reinstate an active one', async () => {
      const id = await issue();
      const active = await act(approver, id, 'reinstate');
      expect(active.statusCode).toBe(409);
      expect(active.headers['content-type']).toMatch(/application\/problem\+json/);
      expect((await act(approver, id, 'revoke')).statusCode).toBe(200);
      for (const action of ['reinstate', 'suspend', 'revoke']) {
        const res = await act(approver, id, action);
        expect(res.statusCode).toBe(409);
        expect(res.json()).toMatchObject({ status: 409 });
      }
      expect(await verdictOf(id)).toBe('revoked');
    });

    it('refuses a clerk, another department’s approver and a citizen (403), and changes nothing', async () => {
      const id = await issue();
      for (const who of [clerk, otherApprover, citizen]) {
        for (const action of ['revoke', 'suspend']) {
          const res = await act(who, id, action);
          expect(res.statusCode).toBe(403);
          expect(res.headers['content-type']).toMatch(/application\/problem\+json/);
        }
      }
      const anonymous = await app.inject({ method: 'POST', url: `/api/v1/credentials/${id}/revoke`, payload: { reason: '理由理由' } });
      expect(anonymous.statusCode).toBe(401);
      expect(await verdictOf(id)).toBe('valid');
    });

    it('answers 404 for an unknown licence and 400 for a missing, blank or one-character reason', async () => {
      expect((await act(approver, '00000000-0000-4000-8000-000000000000', 'revoke')).statusCode).toBe(404);
      expect((await act(approver, 'not-a-licence', 'suspend')).statusCode).toBe(404);
      const id = await issue();
      for (const body of [{}, { reason: '' }, { reason: '   ' }, { reason: '吊' }, { reason: 'x'.repeat(501) }, { reason: { text: '吊销执照' } }]) {
        const res = await act(approver, id, 'revoke', body);
        expect(res.statusCode).toBe(400);
        expect(res.headers['content-type']).toMatch(/application\/problem\+json/);
      }
      expect(await verdictOf(id)).toBe('valid');
    });
  });

  describe('staff pages', () => {
    it('suspends, reinstates and withdraws from the licence page with a reason (CSRF form), in zh-CN and en', async () => {
      const id = await issue();
      const c = page(approver);
      const list = await c.request('GET', `/staff/certificates/licences?uscc=${demo.uscc}`);
      expect(list.statusCode).toBe(200);
      expect(list.body).toContain(`/staff/certificates/licences/${id}`);

      const url = `/staff/certificates/licences/${id}`;
      const shown = await c.request('GET', url);
      expect(shown.statusCode).toBe(200);
      expect(shown.body).toContain('暂停执照');
      expect(shown.body).not.toContain('恢复执照');

      const suspended = await c.submit(url, `${url}/suspend`, { reason: '涉嫌虚假登记' });
      expect(suspended.statusCode).toBe(303);
      expect(await verdictOf(id)).toBe('suspended');
      const after = await c.request('GET', String(suspended.headers.location));
      expect(after.body).toContain('执照已暂停');
      expect(after.body).toContain('data-state="suspended"');
      expect(after.body).toContain('恢复执照');

      expect((await c.submit(url, `${url}/reinstate`, { reason: '核查无误' })).statusCode).toBe(303);
      expect(await verdictOf(id)).toBe('valid');

      const en = await c.request('GET', `${url}?lang=en`);
      expect(en.body).toContain('Withdraw the licence');
      expect((await c.submit(`${url}?lang=en`, `${url}/revoke?lang=en`, { reason: 'Licence withdrawn by decision 2026-17' })).statusCode).toBe(303);
      expect(await verdictOf(id)).toBe('revoked');
      const final = await c.request('GET', `${url}?lang=en`);
      expect(final.body).toContain('Licence withdrawn by decision 2026-17');
      expect(final.body).not.toContain('formaction');
    });

    it('re-renders the form with an error summary when the reason is missing (400), and says why a state forbids it (409)', async () => {
      const id = await issue();
      const c = page(amrAdmin);
      const url = `/staff/certificates/licences/${id}`;
      const missing = await c.submit(url, `${url}/revoke`, { reason: ' ' });
      expect(missing.statusCode).toBe(400);
      expect(missing.body).toContain('error-summary');
      expect(missing.body).toContain('请填写理由');
      expect(missing.body).toContain('href="#reason"');
      const en = await c.submit(`${url}?lang=en`, `${url}/suspend?lang=en`, { reason: '' });
      expect(en.statusCode).toBe(400);
      expect(en.body).toContain('Give a reason');
      expect(await verdictOf(id)).toBe('valid');

      const wrong = await c.submit(url, `${url}/reinstate`, { reason: '恢复使用' });
      expect(wrong.statusCode).toBe(409);
      expect(wrong.body).toContain('只有已暂停的执照可以恢复');
    });

    it('refuses a clerk and a citizen, and a form without the CSRF token', async () => {
      const id = await issue();
      const url = `/staff/certificates/licences/${id}`;
      expect((await page(clerk).request('GET', url)).statusCode).toBe(403);
      const byClerk = await page(clerk).request('POST', `${url}/revoke`, 'reason=abc', { 'content-type': 'application/x-www-form-urlencoded' });
      expect(byClerk.statusCode).toBe(403);
      expect((await page(citizen).request('GET', url)).statusCode).toBe(403);
      const noCsrf = await page(approver).request('POST', `${url}/revoke`, 'reason=abcdef', { 'content-type': 'application/x-www-form-urlencoded' });
      expect(noCsrf.statusCode).toBe(403);
      expect(await verdictOf(id)).toBe('valid');
      expect((await page(approver).request('GET', '/staff/certificates/licences/00000000-0000-4000-8000-000000000000')).statusCode).toBe(404);
    });
  });

  describe('deregistration (注销登记, enterprise module)', () => {
    it('is refused to a clerk and needs a reason; then revokes the current licence and marks the register', async () => {
      const company = (await findCompanyByUscc(ctx.db, demo.uscc))!;
      expect(company.status).toBe('active');
      const current = company.licenceId!;
      expect(await verdictOf(current)).toBe('valid');
      const url = `/staff/enterprise/companies/${demo.uscc}`;

      // The workbench finds the company by its code; a clerk sees it but may not deregister.
      const found = await page(clerk).request('GET', `/staff/enterprise/companies?uscc=${demo.uscc.toLowerCase()}`);
      expect(found.statusCode).toBe(303);
      expect(found.headers.location).toBe(url);
      const byClerk = await page(clerk).request('GET', url);
      expect(byClerk.statusCode).toBe(200);
      expect(byClerk.body).not.toContain('/deregister');
      const clerkPost = await page(clerk).submit(url, `${url}/deregister`, { reason: '公司决议解散' });
      expect(clerkPost.statusCode).toBe(403);
      expect((await page(citizen).request('GET', url)).statusCode).toBe(403);

      const c = page(approver);
      const shown = await c.request('GET', url);
      expect(shown.body).toContain(`/staff/certificates/licences/${current}`);
      const missing = await c.submit(url, `${url}/deregister`, { reason: '' });
      expect(missing.statusCode).toBe(400);
      expect(missing.body).toContain('error-summary');
      expect(await verdictOf(current)).toBe('valid');

      const done = await c.submit(url, `${url}/deregister`, { reason: '公司决议解散，清算完毕' });
      expect(done.statusCode).toBe(303);
      expect(await verdictOf(current)).toBe('revoked');
      expect((await findCompanyByUscc(ctx.db, demo.uscc))!.status).toBe('deregistered');
      expect((await getLicence(ctx.db, current))!.stateReason).toContain('公司决议解散');
      const audit = await audits(demo.uscc, 'enterprise.deregister');
      expect(audit).toHaveLength(1);
      expect(audit[0]!.actorId).toBe(approver.id);
      expect((await audits(current, 'certificates.revoke'))[0]!.actorId).toBe(approver.id);

      // The public register says so; the exchange's register product no longer answers for it.
      const pub = await app.inject({ method: 'GET', url: `/enterprises/${demo.uscc}` });
      expect(pub.body).toContain('注销');
      expect(pub.body).toContain('已撤销');
      const list = await app.inject({ method: 'GET', url: `/enterprises?q=${encodeURIComponent('蜀锦')}&lang=en` });
      expect(list.body).toContain('Deregistered');
      expect(await enterpriseRegister.findByUscc(ctx.db, demo.uscc)).toBeNull();

      // Once is enough.
      const again = await c.submit(url, `${url}/deregister`, { reason: '再次注销' });
      expect(again.statusCode).toBe(409);
      expect(again.body).toContain('现在不能注销');
    });
  });
});
