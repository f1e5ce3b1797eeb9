import { verifyAuditChain } from '../../platform/audit/audit.js';
import { invalidatePublicCaches } from '../../platform/http/page-cache.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, manualClock, type TestContext } from '../../../test/helpers.js';
import { createUser, waitFor, type TestUser } from '../../../test/factories.js';
import type { App } from '../../platform/http/types.js';
import { sql } from 'drizzle-orm';
import { exchangeModule, listDataUse, resetProductProviders, setProductProvider, type ProductProvider } from '../exchange/index.js';
import { getItemVersion } from '../catalog/index.js';
import { findApplication } from './cases.repository.js';
import { keyedApplicationId, systemFacts } from './cases.service.js';
import { courierTo, createCompany, endorsementData, prepareCases, residentId, setIdNumber, tinyJpeg, tinyPng } from './cases.testkit.js';

let app: App;
let ctx: TestContext;
const clock = manualClock(new Date('2026-11-23T02:00:00Z')); // Monday 10:00 in Chengdu
let citizen: TestUser;
let other: TestUser;
let accountant: TestUser;
let clerk: TestUser;
let clerk2: TestUser;
let reviewer: TestUser;
let approver: TestUser;
let deptAdmin: TestUser;
let taxClerk: TestUser;
let taxReviewer: TestUser;
let taxApprover: TestUser;
let photo: string;
const citizenId = residentId('51010719850312002');
const companyUscc = '91510107MA6CBX7Q6L';

type Json = Record<string, unknown>;

async function call(user: TestUser | null, method: 'GET' | 'POST' | 'PUT' | 'DELETE', url: string, payload?: object, headers: Record<string, string> = {}) {
  const res = await app.inject({
    method,
    url,
    headers: { ...(user ? { authorization: user.authorization } : {}), ...headers },
    ...(payload !== undefined ? { payload } : {}),
  });
  return { status: res.statusCode, body: res.body ? (JSON.parse(res.body) as Json) : {}, headers: res.headers };
}

async function uploadPhoto(user: TestUser, bytes: Buffer, name = 'photo.jpg'): Promise<string> {
  const boundary = '----casesboundary';
  const body = Buffer.concat([
    Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="purpose"\r\n\r\napplication\r\n`),
    Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="${name}"\r\nContent-Type: image/jpeg\r\n\r\n`),
    bytes,
    Buffer.from(`\r\n--${boundary}--\r\n`),
  ]);
  const res = await app.inject({
    method: 'POST',
    url: '/api/v1/files',
    headers: { authorization: user.authorization, 'content-type': `multipart/form-data; boundary=${boundary}` },
    payload: body,
  });
  expect(res.statusCode, res.body).toBe(201);
  return (JSON.parse(res.body) as { id: string }).id;
}

const submitEndorsement = (overrides: Json = {}, key?: string) =>
  call(
    citizen,
    'POST',
    '/api/v1/applications',
    {
      serviceCode: 'hk-macao-endorsement',
      data: endorsementData({ name: '张丽', idNumber: citizenId, phone: citizen.phone ?? '' }, photo, overrides),
      delivery: courierTo('张丽', citizen.phone ?? ''),
    },
    key ? { 'idempotency-key': key } : {},
  );

async function payFor(user: TestUser, id: string): Promise<void> {
  const pay = await call(user, 'POST', `/api/v1/applications/${id}/payment`);
  expect(pay.status, JSON.stringify(pay.body)).toBe(200);
  const chargeId = String(pay.body.payUrl).split('/').pop() ?? '';
  await ctx.sandbox.payments?.settle(chargeId, 'paid');
  await waitFor(async () => (await call(user, 'GET', `/api/v1/applications/${id}`)).body.paid === true, 15_000);
}

beforeAll(async () => {
  ({ app, ctx } = await createTestApp({ clock }));
  await prepareCases(ctx, app);
  // The sandbox registers of the police and the exit-entry administration (张丽 and her son hold valid permits).
  await exchangeModule.seed!(ctx);
  citizen = await createUser(ctx, { realName: '张丽' });
  await setIdNumber(ctx, citizen.id, citizenId);
  other = await createUser(ctx, { realName: '路人' });
  accountant = await createUser(ctx, { realName: '李强' });
  await createCompany(ctx, companyUscc, '成都蜀锦商贸有限公司', [{ userId: accountant.id, role: 'accountant' }]);
  const staff = (dept: string, role: string, name: string) => createUser(ctx, { kind: 'staff', departmentCode: dept, roles: [role], realName: name });
  clerk = await staff('psb-exit-entry', 'clerk', '受理员甲');
  clerk2 = await staff('psb-exit-entry', 'clerk', '受理员乙');
  reviewer = await staff('psb-exit-entry', 'reviewer', '审核员');
  approver = await staff('psb-exit-entry', 'approver', '审批员');
  deptAdmin = await staff('psb-exit-entry', 'dept_admin', '出入境管理员');
  taxClerk = await staff('tax-wuhou', 'clerk', '税务受理员');
  taxReviewer = await staff('tax-wuhou', 'reviewer', '税务审核员');
  taxApprover = await staff('tax-wuhou', 'approver', '税务审批员');
  photo = await uploadPhoto(citizen, tinyJpeg);
}, 60_000);

afterAll(async () => {
  await app?.close();
  await ctx?.cleanup();
});

describe('POST /api/v1/applications', () => {
  it('creates an application: 201 {id, receiptNo, status}', async () => {
    const res = await submitEndorsement({}, 'k-create');
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    expect(Object.keys(res.body).sort()).toEqual(['id', 'receiptNo', 'status']);
    expect(res.body.status).toBe('submitted');
    expect(String(res.body.receiptNo)).toMatch(/^20261123\d{8}$/);
  });

  it('returns the same application for a retried key, also when the retries race', async () => {
    const first = await submitEndorsement({}, 'k-retry');
    const again = await submitEndorsement({}, 'k-retry');
    expect(again.status).toBe(201);
    expect(again.body).toEqual(first.body);
    // Its id is named by the applicant and the key: a retry finds it by primary key (see the VAT test: another
    // applicant's 'k-retry' is an application of their own).
    expect(first.body.id).toBe(keyedApplicationId(citizen.id, 'k-retry'));
    const racing = await Promise.all([1, 2, 3, 4, 5].map(() => submitEndorsement({}, 'k-race')));
    expect(new Set(racing.map((r) => r.status))).toEqual(new Set([201]));
    expect(new Set(racing.map((r) => r.body.id)).size).toBe(1);
    const mine = await call(citizen, 'GET', '/api/v1/applications?limit=200');
    const items = mine.body.items as Json[];
    expect(items.filter((i) => i.id === racing[0]!.body.id)).toHaveLength(1);
    expect(items.filter((i) => i.id === first.body.id)).toHaveLength(1);
    // The application and its first timeline entry are written together: the losers of the race wrote neither.
    const raced = await call(citizen, 'GET', `/api/v1/applications/${String(racing[0]!.body.id)}`);
    expect((raced.body.timeline as Json[]).map((t) => t.status)).toEqual(['submitted']);
    expect((raced.body.timeline as Json[])[0]).toMatchObject({ actorKind: 'applicant', status: 'submitted' });
    // ... and no audit record: one cases.submit for the application, in an intact chain.
    const { rows } = await ctx.database.query(`SELECT count(*)::int AS n FROM platform_audit_log WHERE action = 'cases.submit' AND resource_id = $1`, [
      String(racing[0]!.body.id),
    ]);
    expect(Number(rows[0]?.n)).toBe(1);
    expect((await verifyAuditChain(ctx.db)).ok).toBe(true);
  });

  it("applies for the applicant's own child (checked against the police's register), and refuses someone else's child as a wrong answer", async () => {
    // The police's register of residents and guardians (the demo's 刘子轩 is a child of 510107198503120028, this 张丽).
    expect(citizenId).toBe('510107198503120028');
    await exchangeModule.seed!(ctx);
    const own = await submitEndorsement({ applyFor: 'child', childName: '刘子轩', childIdNumber: '510107201605200031' }, 'k-child');
    expect(own.status, JSON.stringify(own.body)).toBe(201);
    const detail = await call(citizen, 'GET', `/api/v1/applications/${String(own.body.id)}`);
    expect(detail.body.data).toMatchObject({ applyFor: 'child', childName: '刘子轩', childIdNumber: '510107201605200031' });
    const { entries } = await listDataUse(ctx.db, citizen.id);
    expect(entries.some((u) => u.product === 'person.children' && u.purpose.serviceCode === 'hk-macao-endorsement')).toBe(true);

    // A valid resident ID number, but not a child of 张丽 in the register.
    const stranger = await submitEndorsement({ applyFor: 'child', childName: '王小明', childIdNumber: residentId('51010720160520005') }, 'k-stranger');
    expect(stranger.status, JSON.stringify(stranger.body)).toBe(400);
    expect(String(stranger.headers['content-type'])).toContain('application/problem+json');
    expect(stranger.body.errors).toEqual({ 'data.childIdNumber': 'cases.error.notYourChild' });
  });

  it('answers invalid form data with field errors (problem+json 400), never a 500', async () => {
    const res = await submitEndorsement({ applicantIdNumber: '510107198503120029', destination: 'taiwan', contactPhone: '123' });
    expect(res.status).toBe(400);
    expect(String(res.headers['content-type'])).toContain('application/problem+json');
    expect(res.body.errors).toMatchObject({
      'data.applicantIdNumber': 'cases.form.idNumber',
      'data.destination': 'cases.form.choice',
      'data.contactPhone': 'cases.form.phone',
    });
    const bad = [
      { serviceCode: 'no-such-service', data: {} },
      { serviceCode: 'x'.repeat(10_000), data: {} },
      { serviceCode: 'hk-macao-endorsement', data: 'text' },
      { serviceCode: 'hk-macao-endorsement' },
      {
        serviceCode: 'hk-macao-endorsement',
        data: endorsementData({ name: '张丽', idNumber: citizenId, phone: citizen.phone ?? '' }, photo),
        delivery: { method: 'drone' },
      },
      {
        serviceCode: 'hk-macao-endorsement',
        data: endorsementData({ name: '张丽', idNumber: citizenId, phone: citizen.phone ?? '' }, photo),
        delivery: { method: 'courier', address: { district: '朝阳区', detail: 'x' } },
      },
      { serviceCode: 'vat-invoice-stock', data: {} },
    ];
    for (const payload of bad) {
      const r = await call(citizen, 'POST', '/api/v1/applications', payload);
      expect(r.status, JSON.stringify(payload).slice(0, 80)).toBe(400);
      expect(r.body.status).toBe(400);
    }
  });

  it('fills what the government holds when the request leaves it out (once only), and records the read', async () => {
    const data = endorsementData({ name: '张丽', idNumber: citizenId, phone: citizen.phone ?? '' }, photo);
    const { applicantName: _n, applicantIdNumber: _i, ...rest } = data;
    const res = await call(
      citizen,
      'POST',
      '/api/v1/applications',
      { serviceCode: 'hk-macao-endorsement', data: rest, delivery: { method: 'window' } },
      { 'idempotency-key': 'k-prefill' },
    );
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    const detail = await call(citizen, 'GET', `/api/v1/applications/${String(res.body.id)}`);
    expect(detail.body.data).toMatchObject({ applicantName: '张丽', applicantIdNumber: citizenId });
    const used = await listDataUse(ctx.db, citizen.id);
    expect(used.entries.some((e) => e.purpose.serviceCode === 'hk-macao-endorsement' && e.product === 'person.identity')).toBe(true);
  });

  it('records each read once: with the application, not again for a retry, and also when the submission is refused after it', async () => {
    const { applicantName: _n, applicantIdNumber: _i, ...rest } = endorsementData({ name: '张丽', idNumber: citizenId, phone: citizen.phone ?? '' }, photo);
    const identityReads = async () =>
      Number(
        (
          await ctx.database.query(
            `SELECT count(*) AS n FROM exchange_access_log WHERE subject_user_id = $1 AND product = 'person.identity' AND purpose_service_code = 'hk-macao-endorsement'`,
            [citizen.id],
          )
        ).rows[0]?.n,
      );
    const before = await identityReads();
    const apply = (data: Record<string, unknown>, key: string) =>
      call(citizen, 'POST', '/api/v1/applications', { serviceCode: 'hk-macao-endorsement', data, delivery: { method: 'window' } }, { 'idempotency-key': key });
    const first = await apply(rest, 'k-reads');
    expect(first.status, JSON.stringify(first.body)).toBe(201);
    expect(await identityReads()).toBe(before + 1);
    // The retry finds the application before reading anything.
    const retry = await apply(rest, 'k-reads');
    expect(retry.body.id).toBe(first.body.id);
    expect(await identityReads()).toBe(before + 1);
    // Refused after the name and ID number were read (a wrong phone number): the read still happened.
    const refused = await apply({ ...rest, contactPhone: '123' }, 'k-reads-refused');
    expect(refused.status).toBe(400);
    expect(await identityReads()).toBe(before + 2);
  });

  it('checks an uploaded photo: someone else’s file or the wrong type is a field error', async () => {
    const png = await uploadPhoto(citizen, tinyPng, 'photo.png');
    const wrongType = await submitEndorsement({ photo: png });
    expect(wrongType.status).toBe(400);
    expect(wrongType.body.errors).toMatchObject({ 'data.photo': 'cases.form.fileType' });
    const theirs = await uploadPhoto(other, tinyJpeg);
    const notMine = await submitEndorsement({ photo: theirs });
    expect(notMine.body.errors).toMatchObject({ 'data.photo': 'cases.form.file' });
  });

  it('refuses acting for a company one is not a member of (403) and requires a company for company items', async () => {
    const res = await call(other, 'POST', '/api/v1/applications', {
      serviceCode: 'vat-invoice-stock',
      actingFor: companyUscc,
      data: {},
      delivery: { method: 'window' },
    });
    expect(res.status).toBe(403);
    expect((await call(null, 'POST', '/api/v1/applications', { serviceCode: 'vat-invoice-stock', data: {} })).status).toBe(401);
    expect((await call(clerk, 'POST', '/api/v1/applications', { serviceCode: 'vat-invoice-stock', data: {} })).status).toBe(403);
  });
});

describe('GET /api/v1/applications/{id}', () => {
  it('shows the owner the status, promise and timeline; hides it from others', async () => {
    const { body } = await submitEndorsement({}, 'k-get');
    const res = await call(citizen, 'GET', `/api/v1/applications/${String(body.id)}`);
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ id: body.id, receiptNo: body.receiptNo, serviceCode: 'hk-macao-endorsement', status: 'submitted' });
    // Promised: 5 working days from Monday 23 November → Monday 30 November, close of office (17:00 = 09:00Z).
    expect(res.body.promisedBy).toBe('2026-11-30T09:00:00.000Z');
    const timeline = res.body.timeline as Json[];
    expect(timeline).toHaveLength(1);
    expect(timeline[0]).toMatchObject({ status: 'submitted', actor: '张丽', note: null });
    expect(typeof timeline[0]!.at).toBe('string');
    expect((await call(other, 'GET', `/api/v1/applications/${String(body.id)}`)).status).toBe(404);
    expect((await call(taxClerk, 'GET', `/api/v1/applications/${String(body.id)}`)).status).toBe(404);
    expect((await call(clerk, 'GET', `/api/v1/applications/${String(body.id)}`)).status).toBe(200);
    // Staff of the department read the application's materials; other staff do not.
    const fileAs = async (u: TestUser) =>
      (await app.inject({ method: 'GET', url: `/api/v1/files/${photo}`, headers: { authorization: u.authorization } })).statusCode;
    expect(await fileAs(clerk)).toBe(200);
    expect(await fileAs(taxClerk)).not.toBe(200);
    expect((await call(citizen, 'GET', '/api/v1/applications/not-a-uuid')).status).toBe(404);
  });
});

describe('POST /api/v1/applications/{id}/actions', () => {
  it('403 for a role that may not take the action, 409 when the fee is unpaid', async () => {
    const { body } = await submitEndorsement({}, 'k-roles');
    const id = String(body.id);
    expect((await call(approver, 'POST', `/api/v1/applications/${id}/actions`, { action: 'accept' })).status).toBe(403);
    // The approver may approve, but not yet: the state is wrong, which is a conflict, not a refusal.
    expect((await call(approver, 'POST', `/api/v1/applications/${id}/actions`, { action: 'approve' })).status).toBe(409);
    expect((await call(citizen, 'POST', `/api/v1/applications/${id}/actions`, { action: 'accept' })).status).toBe(403);
    const unpaid = await call(clerk, 'POST', `/api/v1/applications/${id}/actions`, { action: 'accept' });
    expect(unpaid.status).toBe(409);
    expect(unpaid.body.reason).toBe('payment_required');
    expect((await call(clerk, 'POST', `/api/v1/applications/${id}/actions`, { action: 'refuse' })).status).toBe(400);
    expect((await call(clerk, 'POST', `/api/v1/applications/${id}/actions`, { action: 'teleport' })).status).toBe(400);
  });

  it('two clerks at once: exactly one wins, the other gets 409', async () => {
    const { body } = await submitEndorsement({}, 'k-race-staff');
    const id = String(body.id);
    await payFor(citizen, id);
    const [a, b] = await Promise.all([
      call(clerk, 'POST', `/api/v1/applications/${id}/actions`, { action: 'accept' }),
      call(clerk2, 'POST', `/api/v1/applications/${id}/actions`, { action: 'refuse', comment: '不属于本部门' }),
    ]);
    expect([a.status, b.status].sort()).toEqual([200, 409]);
    const after = await call(citizen, 'GET', `/api/v1/applications/${id}`);
    expect((after.body.timeline as Json[]).filter((t) => t.status === 'accepted' || t.status === 'refused')).toHaveLength(1);
  });
});

describe('journeys', () => {
  it('hk-macao-endorsement: submit → pay → accept → review → approve → complete → shipment → delivered', async () => {
    const { body } = await submitEndorsement({ endorsementType: 'business' }, 'k-journey');
    const id = String(body.id);
    await payFor(citizen, id);
    for (const [who, action] of [
      [clerk, 'accept'],
      [reviewer, 'start_review'],
      [approver, 'approve'],
      [clerk, 'complete'],
    ] as const) {
      const r = await call(who, 'POST', `/api/v1/applications/${id}/actions`, { action });
      expect(r.status, `${action}: ${JSON.stringify(r.body)}`).toBe(200);
    }
    // The completion event books a shipment; its creation lands on the timeline.
    await waitFor(async () => ((await call(citizen, 'GET', `/api/v1/applications/${id}/shipments`)).body.items as Json[]).length === 1, 15_000);
    const ship = ((await call(citizen, 'GET', `/api/v1/applications/${id}/shipments`)).body.items as Json[])[0]!;
    const trackingNo = String(ship.trackingNo);
    for (let i = 0; i < 3; i++) await ctx.sandbox.courier?.command(trackingNo, 'advance');
    await waitFor(
      async () => ((await call(citizen, 'GET', `/api/v1/applications/${id}`)).body.timeline as Json[]).some((t) => t.action === 'shipment.delivered'),
      15_000,
    );
    const detail = await call(citizen, 'GET', `/api/v1/applications/${id}`);
    expect(detail.body.status).toBe('completed');
    const actions = (detail.body.timeline as Json[]).map((t) => t.action);
    expect(actions).toEqual([
      'submit',
      'paid',
      'accept',
      'start_review',
      'approve',
      'complete',
      'shipment.created',
      'shipment.picked_up',
      'shipment.in_transit',
      'shipment.delivered',
    ]);
    // A repeated courier event changes nothing.
    await ctx.sandbox.courier?.command(trackingNo, 'advance').catch(() => undefined);
    const again = await call(citizen, 'GET', `/api/v1/applications/${id}`);
    expect((again.body.timeline as Json[]).length).toBe(actions.length);
    const inbox = await call(citizen, 'GET', '/api/v1/inbox?limit=200');
    const templates = (inbox.body.items as Json[]).map((n) => n.template);
    for (const t of ['cases-accepted', 'cases-decision', 'cases-shipped', 'cases-delivered']) expect(templates).toContain(t);
  }, 60_000);

  it('auto decision: a paid tourism renewal is accepted and approved by the system', async () => {
    const { body } = await submitEndorsement({ endorsementType: 'tourism' }, 'k-auto');
    const id = String(body.id);
    expect(body.status).toBe('submitted'); // unpaid: nothing is decided before the fee
    await payFor(citizen, id);
    const detail = await call(citizen, 'GET', `/api/v1/applications/${id}`);
    expect(detail.body.status).toBe('approved');
    const system = (detail.body.timeline as Json[]).filter((t) => t.actorKind === 'system' && t.action !== 'paid');
    expect(system.map((t) => t.action)).toEqual(['accept', 'start_review', 'approve']);
  }, 30_000);

  describe('auto decision from the exit-entry register', () => {
    /** Submits a tourism renewal, pays, and returns the application as the applicant then sees it. */
    async function paidTourism(user: TestUser, data: Json, key: string) {
      const submitted = await call(
        user,
        'POST',
        '/api/v1/applications',
        { serviceCode: 'hk-macao-endorsement', data, delivery: { method: 'window' } },
        {
          'idempotency-key': key,
        },
      );
      expect(submitted.status, JSON.stringify(submitted.body)).toBe(201);
      const id = String(submitted.body.id);
      await payFor(user, id);
      return { id, detail: (await call(user, 'GET', `/api/v1/applications/${id}`)).body };
    }
    const tourismFor = async (user: TestUser, name: string, idNumber: string, overrides: Json = {}) =>
      endorsementData({ name, idNumber, phone: user.phone ?? '' }, await uploadPhoto(user, tinyJpeg), { endorsementType: 'tourism', ...overrides });
    const systemActions = (detail: Json) => (detail.timeline as Json[]).filter((t) => t.actorKind === 'system' && t.action !== 'paid').map((t) => t.action);

    it("approves the mother's own renewal with the permit number and facts from the register, read by psb-exit-entry for the application", async () => {
      // No permit number sent: it is prefilled from the register (once only).
      const data = await tourismFor(citizen, '张丽', citizenId, { permitNumber: undefined });
      const { id, detail } = await paidTourism(citizen, data, 'k-register-own');
      expect(detail.status).toBe('approved');
      expect(systemActions(detail)).toEqual(['accept', 'start_review', 'approve']);
      expect((detail.data as Json).permitNumber).toBe('C10573421');
      const { entries } = await listDataUse(ctx.db, citizen.id);
      const read = entries.find((e) => e.product === 'person.exitPermit' && e.purpose.applicationId === id);
      expect(read).toMatchObject({
        reader: { kind: 'department', code: 'psb-exit-entry' },
        holder: { code: 'psb-exit-entry' },
        purpose: { serviceCode: 'hk-macao-endorsement', applicationId: id },
        subject: { kind: 'person' },
        fields: ['permitNumber', 'permitValidUntil', 'exitRestricted'],
      });
    }, 30_000);

    it('decides a free item whose rule holds within the submission itself (the decision commits with it)', async () => {
      // A new version of the item without a fee (versions never change; the current one is switched back after).
      const item = (await ctx.database.query(`SELECT id, current_version FROM catalog_items WHERE code = 'hk-macao-endorsement'`)).rows[0]!;
      const before = Number(item.current_version);
      await ctx.database.query(
        `INSERT INTO catalog_item_versions (item_id, version, content, search_text)
         SELECT item_id, version + 100, jsonb_set(content, '{feeFen}', '0'), search_text FROM catalog_item_versions WHERE item_id = $1 AND version = $2`,
        [String(item.id), before],
      );
      const setCurrent = async (version: number) => {
        await ctx.database.query(`UPDATE catalog_items SET current_version = $2 WHERE id = $1`, [String(item.id), version]);
        invalidatePublicCaches();
      };
      await setCurrent(before + 100);
      try {
        const submitted = await call(
          citizen,
          'POST',
          '/api/v1/applications',
          {
            serviceCode: 'hk-macao-endorsement',
            data: await tourismFor(citizen, '张丽', citizenId, { permitNumber: undefined }),
            delivery: { method: 'window' },
          },
          { 'idempotency-key': 'k-register-free' },
        );
        expect(submitted.status, JSON.stringify(submitted.body)).toBe(201);
        expect(submitted.body.status).toBe('approved');
        const detail = (await call(citizen, 'GET', `/api/v1/applications/${String(submitted.body.id)}`)).body;
        expect((detail.timeline as Json[]).map((t) => t.status)).toEqual(['submitted', 'accepted', 'under_review', 'approved']);
      } finally {
        await setCurrent(before);
      }
    }, 30_000);

    it('does not approve a permit number that differs from the one in the register: it stays with the staff', async () => {
      const { id, detail } = await paidTourism(citizen, await tourismFor(citizen, '张丽', citizenId, { permitNumber: 'C99999999' }), 'k-register-wrong');
      expect(detail.status).toBe('submitted');
      expect(systemActions(detail)).toEqual([]);
      // The register was asked all the same (the facts came from it, not from the form).
      expect((await listDataUse(ctx.db, citizen.id)).entries.some((e) => e.product === 'person.exitPermit' && e.purpose.applicationId === id)).toBe(true);
    }, 30_000);

    it('sends an expired permit and a person barred from leaving to the staff (submitted, then accepted by a clerk, never approved)', async () => {
      for (const [name, idNumber, key] of [
        ['王芳', '510182199002150047', 'k-register-expired'],
        ['陈建国', '51010519750608001X', 'k-register-restricted'],
      ] as const) {
        const user = await createUser(ctx, { realName: name });
        await setIdNumber(ctx, user.id, idNumber);
        const { id, detail } = await paidTourism(user, await tourismFor(user, name, idNumber, { permitNumber: undefined }), key);
        expect(detail.status, name).toBe('submitted');
        expect((await call(clerk, 'POST', `/api/v1/applications/${id}/actions`, { action: 'accept' })).body).toMatchObject({ status: 'accepted' });
        const after = (await call(user, 'GET', `/api/v1/applications/${id}`)).body;
        expect(after.status, name).toBe('accepted');
        expect(systemActions(after)).toEqual([]);
      }
    }, 60_000);

    it('sends the application to the staff when the register does not answer, or fails inside the transaction', async () => {
      const failures: [string, ProductProvider][] = [
        [
          'k-register-down',
          {
            read: async () => {
              throw new Error('exit-entry system timed out');
            },
          },
        ],
        // A failed statement would abort the payment's transaction on PostgreSQL without the savepoint: never paid.
        ['k-register-broken', { read: async (ex) => (await ex.execute(sql`SELECT * FROM exchange_no_such_register`), null) }],
      ];
      for (const [key, provider] of failures) {
        setProductProvider('person.exitPermit', provider);
        try {
          const { detail } = await paidTourism(citizen, await tourismFor(citizen, '张丽', citizenId), key);
          expect(detail.paid, key).toBe(true);
          expect(detail.status, key).toBe('submitted');
          expect(systemActions(detail)).toEqual([]);
        } finally {
          resetProductProviders();
        }
      }
    }, 60_000);

    it("approves the child's renewal on the child's permit, read after the guardianship check and recorded on the mother's log", async () => {
      const data = await tourismFor(citizen, '张丽', citizenId, {
        applyFor: 'child',
        childName: '刘子轩',
        childIdNumber: '510107201605200031',
        permitNumber: undefined,
      });
      const { id, detail } = await paidTourism(citizen, data, 'k-register-child');
      expect((detail.data as Json).permitNumber).toBe('C20981736');
      expect(detail.status).toBe('approved');
      const reads = (await listDataUse(ctx.db, citizen.id)).entries.filter((e) => e.purpose.applicationId === id);
      expect(reads.map((e) => [e.product, e.subject, e.reader.kind]).sort()).toEqual([
        ['person.children', { kind: 'person' }, 'department'],
        ['person.exitPermit', { kind: 'child', idNumber: '5101**********0031' }, 'department'],
      ]);
      expect(reads.every((e) => e.purpose.serviceCode === 'hk-macao-endorsement')).toBe(true);
      // The mother's own permit number on a child's application is not the child's: staff decide.
      const mixed = await paidTourism(
        citizen,
        await tourismFor(citizen, '张丽', citizenId, { applyFor: 'child', childName: '刘子轩', childIdNumber: '510107201605200031' }),
        'k-register-child-mixed',
      );
      expect(mixed.detail.status).toBe('submitted');
    }, 60_000);

    it('counts a permit as valid for an endorsement only while its last day is after today (Beijing date of the clock)', async () => {
      const submitted = await call(citizen, 'POST', '/api/v1/applications', {
        serviceCode: 'hk-macao-endorsement',
        data: await tourismFor(citizen, '张丽', citizenId),
        delivery: { method: 'window' },
      });
      const row = (await findApplication(ctx.db, String(submitted.body.id)))!;
      const item = (await getItemVersion(ctx.db, row.serviceCode, row.itemVersion))!;
      const saved = clock.now();
      const factsAt = async (at: string) => {
        clock.set(new Date(at));
        try {
          return await ctx.db.transaction((tx) => systemFacts(ctx, tx, row, item));
        } finally {
          clock.set(saved);
        }
      };
      // 张丽's permit is valid until 2031-04-14.
      expect(await factsAt('2031-04-13T15:59:00Z')).toEqual({ 'system.permitValid': true, 'system.noExitRestriction': true }); // 04-13 23:59 in Chengdu
      expect(await factsAt('2031-04-13T16:00:00Z')).toEqual({ 'system.permitValid': false, 'system.noExitRestriction': true }); // 04-14 00:00
      // A family visit names no register fact: nothing is read for it.
      const family = { ...row, data: { ...row.data, endorsementType: 'family' } };
      const before = (await listDataUse(ctx.db, citizen.id)).entries.length;
      expect(await ctx.db.transaction((tx) => systemFacts(ctx, tx, family, item))).toEqual({ 'system.permitValid': false, 'system.noExitRestriction': false });
      expect((await listDataUse(ctx.db, citizen.id)).entries.length).toBe(before);
    });
  });

  it('vat-invoice-stock by the accountant acting for the company, approved and posted', async () => {
    const data = {
      uscc: companyUscc,
      companyName: '成都蜀锦商贸有限公司',
      officerName: '李强',
      contactPhone: accountant.phone,
      invoiceType: 'vat-special',
      quantity: 25,
      mailingAddress: { district: '武侯区', detail: '科华北路 65 号' },
    };
    const res = await call(
      accountant,
      'POST',
      '/api/v1/applications',
      { serviceCode: 'vat-invoice-stock', actingFor: companyUscc, data, delivery: courierTo('李强', accountant.phone ?? '') },
      // The key the citizen used in the retry test: keys are the applicant's own.
      { 'idempotency-key': 'k-retry' },
    );
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    const id = String(res.body.id);
    expect(res.body.status).toBe('submitted');
    expect(id).toBe(keyedApplicationId(accountant.id, 'k-retry'));
    // Promised within 4 working hours.
    const shown = await call(accountant, 'GET', `/api/v1/applications/${id}`);
    expect(new Date(String(shown.body.promisedBy)).getTime() - clock.now().getTime()).toBeLessThanOrEqual(5 * 3600_000);
    for (const [who, action] of [
      [taxClerk, 'accept'],
      [taxReviewer, 'start_review'],
      [taxApprover, 'approve'],
      [taxClerk, 'complete'],
    ] as const) {
      expect((await call(who, 'POST', `/api/v1/applications/${id}/actions`, { action })).status).toBe(200);
    }
    await waitFor(async () => ((await call(accountant, 'GET', `/api/v1/applications/${id}/shipments`)).body.items as Json[]).length === 1, 15_000);
    const mine = await call(accountant, 'GET', '/api/v1/applications');
    expect((mine.body.items as Json[]).find((i) => i.id === id)).toMatchObject({ actingFor: { uscc: companyUscc } });
    // The company's legal representative sees it too; someone outside the company does not.
    const legalRep = await createUser(ctx, { realName: '陈建国' });
    await createCompany(ctx, companyUscc, '成都蜀锦商贸有限公司', [{ userId: legalRep.id, role: 'legal_representative' }]);
    expect((await call(legalRep, 'GET', `/api/v1/applications/${id}`)).status).toBe(200);
    expect((await call(other, 'GET', `/api/v1/applications/${id}`)).status).toBe(404);
  }, 30_000);
});

describe('correction, withdrawal, rating, status check, calendar', () => {
  it('lists every item in one notice and pauses the clock until resubmission', async () => {
    const { body } = await submitEndorsement({}, 'k-correct');
    const id = String(body.id);
    const before = await call(citizen, 'GET', `/api/v1/applications/${id}`);
    const items = [
      { field: 'photo', reason: '照片背景不是白色' },
      { field: 'permitNumber', reason: '通行证号码与证件不符' },
    ];
    const r = await call(clerk, 'POST', `/api/v1/applications/${id}/actions`, { action: 'request_correction', comment: '请补正以下两项', items });
    expect(r.body).toEqual({ status: 'correction_requested' });
    const paused = await call(citizen, 'GET', `/api/v1/applications/${id}`);
    expect(paused.body).toMatchObject({ status: 'correction_requested', paused: true, correction: items });
    const inbox = (await call(citizen, 'GET', '/api/v1/inbox?limit=200')).body.items as Json[];
    const notices = inbox.filter((n) => n.template === 'cases-correction' && String(n.body).includes(String(body.receiptNo)));
    expect(notices).toHaveLength(1);
    expect(String(notices[0]!.body)).toContain('照片背景不是白色');
    expect(String(notices[0]!.body)).toContain('通行证号码与证件不符');
    clock.advance(3 * 86_400_000); // the applicant takes three days (Thursday)
    const bad = await call(citizen, 'POST', `/api/v1/applications/${id}/actions`, { action: 'resubmit', data: { permitNumber: '' } });
    expect(bad.status).toBe(400);
    const ok = await call(citizen, 'POST', `/api/v1/applications/${id}/actions`, { action: 'resubmit', data: { permitNumber: 'C87654321' } });
    expect(ok.body).toEqual({ status: 'submitted' });
    const after = await call(citizen, 'GET', `/api/v1/applications/${id}`);
    expect(after.body.paused).toBe(false);
    expect(new Date(String(after.body.promisedBy)).getTime()).toBeGreaterThan(new Date(String(before.body.promisedBy)).getTime());
    expect((after.body.data as Json).permitNumber).toBe('C87654321');
    clock.advance(-3 * 86_400_000);
  });

  it('links uploaded files to an application as materials (own files only)', async () => {
    const { body } = await submitEndorsement({}, 'k-material');
    const id = String(body.id);
    const extra = await uploadPhoto(citizen, tinyJpeg, 'extra.jpg');
    expect((await call(citizen, 'POST', `/api/v1/applications/${id}/materials`, { fileId: extra, material: 'photo' })).status).toBe(204);
    const detail = await call(clerk, 'GET', `/api/v1/applications/${id}`);
    expect((detail.body.materials as Json[]).map((m) => m.fileId)).toEqual(expect.arrayContaining([photo, extra]));
    const theirs = await uploadPhoto(other, tinyJpeg);
    expect((await call(citizen, 'POST', `/api/v1/applications/${id}/materials`, { fileId: theirs, material: 'photo' })).status).toBe(400);
    expect((await call(other, 'POST', `/api/v1/applications/${id}/materials`, { fileId: theirs, material: 'photo' })).status).toBe(404);
  });

  it('withdrawal before a decision; not after', async () => {
    const { body } = await submitEndorsement({}, 'k-withdraw');
    const id = String(body.id);
    expect((await call(other, 'POST', `/api/v1/applications/${id}/actions`, { action: 'withdraw' })).status).toBe(404);
    expect((await call(citizen, 'POST', `/api/v1/applications/${id}/actions`, { action: 'withdraw', comment: '行程取消' })).body).toEqual({
      status: 'withdrawn',
    });
    expect((await call(citizen, 'POST', `/api/v1/applications/${id}/actions`, { action: 'withdraw' })).status).toBe(409);
    expect((await call(clerk, 'POST', `/api/v1/applications/${id}/actions`, { action: 'accept' })).status).toBe(409);
  });

  it('a refusal of a paid application refunds the fee', async () => {
    const { body } = await submitEndorsement({}, 'k-refund');
    const id = String(body.id);
    await payFor(citizen, id);
    expect((await call(clerk, 'POST', `/api/v1/applications/${id}/actions`, { action: 'refuse', comment: '材料不属于本事项' })).body).toEqual({
      status: 'refused',
    });
    await waitFor(
      async () => ((await call(citizen, 'GET', `/api/v1/applications/${id}`)).body.timeline as Json[]).some((t) => t.action === 'refunded'),
      20_000,
    );
    const payments = await ctx.payments.listForOrder(id);
    expect(payments.map((p) => p.status)).toEqual(['refunded']);
  }, 30_000);

  it('rating once after completion; a poor rating opens a follow-up due in 15 working days', async () => {
    const { body } = await submitEndorsement({ endorsementType: 'tourism' }, 'k-rate');
    const id = String(body.id);
    expect((await call(citizen, 'POST', `/api/v1/applications/${id}/rating`, { rating: 5 })).status).toBe(409);
    await payFor(citizen, id);
    expect((await call(clerk, 'POST', `/api/v1/applications/${id}/actions`, { action: 'complete' })).status).toBe(200);
    expect((await call(citizen, 'POST', `/api/v1/applications/${id}/rating`, { rating: 9 })).status).toBe(400);
    const rated = await call(citizen, 'POST', `/api/v1/applications/${id}/rating`, { rating: 2, comment: '等待时间太长' });
    expect(rated.body).toEqual({ rating: 2, followUp: true });
    expect((await call(citizen, 'POST', `/api/v1/applications/${id}/rating`, { rating: 5 })).status).toBe(409);
    const tasks = (await call(clerk, 'GET', '/api/v1/workbench/follow-ups')).body.items as Json[];
    const task = tasks.find((t) => t.applicationId === id);
    expect(task).toMatchObject({ rating: 2, status: 'open' });
    // 15 working days from Monday 23 November 2026 → Monday 14 December, 17:00.
    expect(task?.dueAt).toBe('2026-12-14T09:00:00.000Z');
  }, 30_000);

  it('public status by receipt number and phone digits, without personal data; rate limited', async () => {
    const { body } = await submitEndorsement({}, 'k-status');
    const last4 = (citizen.phone ?? '').slice(-4);
    const res = await call(null, 'GET', `/api/v1/status?receiptNo=${String(body.receiptNo)}&phoneLast4=${last4}`);
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ receiptNo: body.receiptNo, status: 'submitted', itemName: { zh: '往来港澳通行证签注' } });
    expect(JSON.stringify(res.body)).not.toContain('张丽');
    expect((await call(null, 'GET', `/api/v1/status?receiptNo=${String(body.receiptNo)}&phoneLast4=0000`)).status).toBe(404);
    expect((await call(null, 'GET', `/api/v1/status?receiptNo=abc&phoneLast4=12`)).status).toBe(400);
    let limited = false;
    for (let i = 0; i < 40 && !limited; i++) limited = (await call(null, 'GET', `/api/v1/status?receiptNo=1&phoneLast4=0000`)).status === 429;
    expect(limited).toBe(true);
  });

  it('staff queue with filters, claim and notes', async () => {
    const { body } = await submitEndorsement({}, 'k-queue');
    const id = String(body.id);
    const queue = await call(clerk, 'GET', '/api/v1/workbench/applications?status=submitted');
    expect((queue.body.items as Json[]).some((i) => i.id === id)).toBe(true);
    expect((await call(clerk, 'POST', `/api/v1/workbench/applications/${id}/claim`)).status).toBe(204);
    expect((await call(clerk2, 'POST', `/api/v1/workbench/applications/${id}/claim`)).status).toBe(409);
    const mine = await call(clerk, 'GET', '/api/v1/workbench/applications?mine=true');
    expect((mine.body.items as Json[]).map((i) => i.id)).toContain(id);
    expect((await call(clerk, 'POST', `/api/v1/workbench/applications/${id}/notes`, { body: '核对照片' })).status).toBe(204);
    expect((await call(clerk, 'POST', `/api/v1/workbench/applications/${id}/comments`, { body: '已收到，正在核对' })).status).toBe(204);
    const staffView = await call(clerk, 'GET', `/api/v1/applications/${id}`);
    expect(staffView.body.internalNotes).toMatchObject([{ body: '核对照片' }]);
    const applicantView = await call(citizen, 'GET', `/api/v1/applications/${id}`);
    expect(applicantView.body.internalNotes).toBeNull();
    expect((applicantView.body.timeline as Json[]).some((t) => t.note === '已收到，正在核对')).toBe(true);
    expect((await call(clerk, 'POST', `/api/v1/workbench/applications/${id}/assign`, { staffUserId: clerk2.id })).status).toBe(403);
    expect((await call(deptAdmin, 'POST', `/api/v1/workbench/applications/${id}/assign`, { staffUserId: taxClerk.id })).status).toBe(400);
    expect((await call(deptAdmin, 'POST', `/api/v1/workbench/applications/${id}/assign`, { staffUserId: clerk2.id })).status).toBe(204);
    const reassigned = await call(clerk2, 'GET', '/api/v1/workbench/applications?mine=true');
    expect((reassigned.body.items as Json[]).map((i) => i.id)).toContain(id);
    // The applicant changes the delivery to one the item offers.
    expect((await call(citizen, 'PUT', `/api/v1/applications/${id}/delivery`, { method: 'window' })).body).toEqual({ method: 'window' });
    expect((await call(citizen, 'PUT', `/api/v1/applications/${id}/delivery`, { method: 'pigeon' })).status).toBe(400);
    expect(
      (await call(citizen, 'PUT', `/api/v1/applications/${id}/delivery`, { method: 'courier', address: { district: '锦江区', detail: '红星路 1 号' } })).body,
    ).toMatchObject({
      method: 'courier',
      recipientName: '张丽',
      address: { district: '锦江区' },
    });
  });

  it('the holiday calendar is edited by a platform admin only', async () => {
    const admin = await createUser(ctx, { kind: 'staff', roles: ['platform_admin'], realName: '平台管理员' });
    expect((await call(clerk, 'PUT', '/api/v1/calendar/2026-12-31', { kind: 'holiday', name: '测试' })).status).toBe(403);
    expect((await call(admin, 'PUT', '/api/v1/calendar/2026-12-31', { kind: 'holiday', name: '测试' })).status).toBe(200);
    expect((await call(admin, 'PUT', '/api/v1/calendar/2026-02-30', { kind: 'holiday', name: '测试' })).status).toBe(400);
    const list = await call(null, 'GET', '/api/v1/calendar');
    expect((list.body.items as Json[]).find((d) => d.date === '2026-12-31')).toEqual({ date: '2026-12-31', kind: 'holiday', name: '测试' });
    expect((list.body.items as Json[]).find((d) => d.date === '2026-10-01')).toMatchObject({ kind: 'holiday' });
    expect((await call(admin, 'DELETE', '/api/v1/calendar/2026-12-31')).status).toBe(204);
    expect((await call(admin, 'DELETE', '/api/v1/calendar/2026-12-31')).status).toBe(404);
  });

  it('is in the OpenAPI document', async () => {
    const doc = (await call(null, 'GET', '/api/openapi.json')).body as { paths: Record<string, Record<string, { tags?: string[] }>> };
    for (const p of [
      '/api/v1/applications',
      '/api/v1/applications/{id}',
      '/api/v1/applications/{id}/actions',
      '/api/v1/applications/{id}/payment',
      '/api/v1/status',
    ])
      expect(Object.values(doc.paths[p] ?? {})[0]?.tags).toEqual(['applications']);
  });
});
