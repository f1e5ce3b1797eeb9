import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, TestClient, type TestContext } from '../../../test/helpers.js';
import { createUser, waitFor } from '../../../test/factories.js';
import type { App } from '../../platform/http/types.js';
import { modules } from '../../app.js';
import { recordingTransport } from '../sandbox/test-support.js';

// The application pages end to end, as a browser without JavaScript uses them.

let app: App;
let ctx: TestContext;

beforeAll(async () => {
  ({ app, ctx } = await createTestApp());
  ctx.webhooks.useTransport(recordingTransport(app));
  for (const m of modules) if (m.seed) await m.seed(ctx);
  await ctx.jobs.work();
});
afterAll(async () => {
  await app?.close();
  await ctx?.cleanup();
});

// Sign-in is rate limited per address, so each person signs in once and keeps the session.
const signedIn = new Map<string, TestClient>();

async function signIn(phone: string): Promise<TestClient> {
  const known = signedIn.get(phone);
  if (known) return known;
  const client = new TestClient(app);
  signedIn.set(phone, client);
  const res = await client.submit('/sign-in', '/sign-in', { method: 'password', phone, password: ctx.config.demoPassword });
  expect(res.statusCode).toBe(303);
  return client;
}

/** A member of staff as a real row with a session (`<department>.<role>` as in the demo logins); sign-in itself is tested by identity. */
async function staff(login: string): Promise<TestClient> {
  const known = signedIn.get(login);
  if (known) return known;
  const [department = '', kind = ''] = login.split('.');
  const role = kind === 'admin' ? 'dept_admin' : kind;
  const user =
    login === 'admin'
      ? await createUser(ctx, { kind: 'staff', departmentCode: 'gov-service', roles: ['platform_admin'] })
      : await createUser(ctx, { kind: 'staff', departmentCode: department, roles: [role] });
  const client = new TestClient(app);
  client.cookies.set('sh_session', user.cookie.split('=')[1]!);
  signedIn.set(login, client);
  return client;
}

const location = (res: { headers: Record<string, unknown> }) => String(res.headers.location ?? '');

/** Follows redirects (GET) and returns the last response. */
async function follow(client: TestClient, res: { statusCode: number; headers: Record<string, unknown>; body: string }) {
  let current = res;
  for (let i = 0; i < 5 && current.statusCode >= 300 && current.statusCode < 400; i++) current = await client.get(location(current));
  return current;
}

const jpeg = Buffer.concat([
  Buffer.from([0xff, 0xd8, 0xff, 0xe0, 0x00, 0x10, 0x4a, 0x46, 0x49, 0x46, 0x00, 0x01]),
  Buffer.alloc(200, 1),
  Buffer.from([0xff, 0xd9]),
]);
const png = Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13, 0x49, 0x48, 0x44, 0x52]), Buffer.alloc(100, 0)]);

/** A multipart post like a browser's, with the CSRF token in the query (the body is read by the handler only). */
async function postMultipart(
  client: TestClient,
  pageUrl: string,
  fields: Record<string, string>,
  files: { name: string; filename: string; type: string; bytes: Buffer }[],
) {
  const token = await client.csrf(pageUrl);
  const boundary = '----servicehall-test-boundary';
  const parts: Buffer[] = [];
  for (const [k, v] of Object.entries(fields)) parts.push(Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="${k}"\r\n\r\n${v}\r\n`));
  for (const f of files) {
    parts.push(Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="${f.name}"; filename="${f.filename}"\r\nContent-Type: ${f.type}\r\n\r\n`));
    parts.push(f.bytes, Buffer.from('\r\n'));
  }
  parts.push(Buffer.from(`--${boundary}--\r\n`));
  const url = `${pageUrl.split('?')[0]}?_csrf=${encodeURIComponent(token)}`;
  return client.request('POST', url, Buffer.concat(parts), { 'content-type': `multipart/form-data; boundary=${boundary}` });
}

describe('the endorsement journey of a citizen', () => {
  let client: TestClient;
  let base = '';
  let receiptNo = '';

  it('starts from the item and opens a draft with what the government holds', async () => {
    client = await signIn('13800000001');
    const start = await client.get('/services/hk-macao-endorsement/apply');
    expect(start.statusCode).toBe(200);
    expect(start.body).toContain('<h1>');
    const res = await client.submit('/services/hk-macao-endorsement/apply', '/services/hk-macao-endorsement/apply', {});
    expect(res.statusCode).toBe(303);
    base = location(res).replace(/\/steps\/first$/, '');
    expect(base).toMatch(/^\/account\/applications\/[0-9a-f-]{36}$/);
    const page = await follow(client, res);
    expect(page.statusCode).toBe(200);
    // Name and ID number come from the police, shown read-only: no input for them.
    expect(page.body).toContain('张丽');
    expect(page.body).toContain('无需您提供');
    expect(page.body).not.toContain('name="applicantName"');
    expect(page.body).not.toContain('name="applicantIdNumber"');
    // So is her permit number, from the exit-entry register.
    expect(page.body).toContain('C10573421');
    expect(page.body).toContain('市公安局出入境管理局');
    expect(page.body).not.toContain('name="permitNumber"');
    expect(page.body).toMatch(/<legend>为谁办理/);
    expect(page.body.match(/<h1>/g)).toHaveLength(1);
  });

  it('re-renders a step with 400, a summary linking to each field, and the input kept', async () => {
    const step = `${base}/steps/applicant`;
    const missing = await client.submit(step, step, { childName: '刘子轩' });
    expect(missing.statusCode).toBe(400);
    expect(missing.body).toContain('class="error-summary"');
    expect(missing.body).toContain('href="#applyFor"');
    expect(missing.body).toContain('value="刘子轩"');

    const wrongId = await client.submit(step, step, { applyFor: 'child', childName: '刘子轩', childIdNumber: '510107201605200099' });
    expect(wrongId.statusCode).toBe(400);
    expect(wrongId.body).toContain('href="#childIdNumber"');
    expect(wrongId.body).toContain('value="510107201605200099"');
    expect(wrongId.body).toMatch(/id="applyFor-child"[^>]*checked|checked[^>]*id="applyFor-child"/);

    const ok = await client.submit(step, step, { applyFor: 'self' });
    expect(ok.statusCode).toBe(303);
    expect(location(ok)).toBe(`${base}/steps/endorsement`);
  });

  it('checks the photo by its content, not its name', async () => {
    const step = `${base}/steps/endorsement`;
    const page = await client.get(step);
    expect(page.body).toContain('enctype="multipart/form-data"');
    expect(page.body).toContain('type="file"');
    const fields = { destination: 'hk', endorsementType: 'tourism', trips: 'once', contactPhone: '13800000001' };
    const mislabelled = await postMultipart(client, step, fields, [{ name: 'photo', filename: 'photo.jpg', type: 'image/jpeg', bytes: png }]);
    expect(mislabelled.statusCode).toBe(400);
    expect(mislabelled.body).toContain('href="#photo"');
    expect(mislabelled.body).toMatch(/按文件内容判断/);

    const ok = await postMultipart(client, step, fields, [{ name: 'photo', filename: 'photo.jpg', type: 'image/jpeg', bytes: jpeg }]);
    expect(ok.statusCode).toBe(303);
    expect(location(ok)).toBe(`${base}/delivery`);
  });

  it('chooses courier delivery, checks the answers and submits', async () => {
    const bad = await client.submit(`${base}/delivery`, `${base}/delivery`, {
      method: 'courier',
      recipientName: '张丽',
      phone: '123',
      district: '',
      detail: '',
    });
    expect(bad.statusCode).toBe(400);
    expect(bad.body).toContain('href="#phone"');
    expect(bad.body).toContain('href="#district"');
    const ok = await client.submit(`${base}/delivery`, `${base}/delivery`, {
      method: 'courier',
      recipientName: '张丽',
      phone: '13800000001',
      district: '武侯区',
      detail: '玉林北路12号3栋2单元501号',
    });
    expect(ok.statusCode).toBe(303);
    expect(location(ok)).toBe(`${base}/check`);
    const check = await client.get(`${base}/check`);
    expect(check.statusCode).toBe(200);
    expect(check.body).toContain(`${base}/steps/endorsement?return=check#destination`);
    expect(check.body).toContain('香港');
    expect(check.body).toContain('photo.jpg');
    expect(check.body).toContain('玉林北路12号3栋2单元501号');
    expect(check.body).toContain('C10573421');

    const submitted = await client.submit(`${base}/check`, `${base}/submit`, {});
    expect(submitted.statusCode).toBe(303);
    const confirmation = await follow(client, submitted);
    expect(confirmation.statusCode).toBe(200);
    const match = />([A-Z0-9-]{6,40})<\/strong>/.exec(confirmation.body);
    expect(match).not.toBeNull();
    receiptNo = match![1]!;
    expect(confirmation.body).toContain('立即缴费');
  });

  it('pays on the sandbox page and sees the application in My applications', async () => {
    const pay = await client.submit(`${base}/confirmation`, `${base}/pay`, {});
    expect(pay.statusCode).toBe(303);
    const payUrl = location(pay);
    expect(payUrl).toMatch(/^\/sandbox\/pay\//);
    const back = await client.submit(payUrl, payUrl, { outcome: 'pay' });
    expect(back.statusCode).toBe(303);
    const returned = await client.get(location(back));
    expect(location(returned)).toBe(`${base}?payment=returned`);
    await waitFor(async () => (await client.get(base)).body.includes('已缴费'));

    const mine = await client.get('/account/applications');
    expect(mine.statusCode).toBe(200);
    expect(mine.body).toContain(receiptNo);
    const detail = await client.get(base);
    expect(detail.body).toContain('办理过程');
    expect(detail.body).toContain(receiptNo);
  });

  it('answers the public status check without personal data, and says so when nothing matches', async () => {
    const anon = new TestClient(app);
    const found = await anon.submit('/status', '/status', { receiptNo, phoneLast4: '0001' });
    expect(found.statusCode).toBe(200);
    expect(found.body).toContain(receiptNo);
    expect(found.body).not.toContain('张丽');
    const none = await anon.submit('/status', '/status', { receiptNo, phoneLast4: '9999' });
    expect(none.statusCode).toBe(404);
    expect(none.body).toContain('没有找到匹配的申请');
    const bad = await anon.submit('/status', '/status', { receiptNo: '', phoneLast4: 'ab' });
    expect(bad.statusCode).toBe(400);
    expect(bad.body).toContain('href="#receiptNo"');
  });
});

describe('the VAT invoice journey of the accountant acting for the demo company', () => {
  it('applies for the company with its registration prefilled', async () => {
    const client = await signIn('13800000003');
    const account = await client.get('/account');
    const enterprise = /name="enterprise" value="([0-9a-f-]{36})"/.exec(account.body)?.[1];
    expect(enterprise).toBeDefined();
    expect((await client.submit('/account', '/account/acting-for', { enterprise: enterprise! })).statusCode).toBe(303);

    const res = await client.submit('/services/vat-invoice-stock/apply', '/services/vat-invoice-stock/apply', {});
    expect(res.statusCode).toBe(303);
    const base = location(res).replace(/\/steps\/first$/, '');
    const first = await follow(client, res);
    expect(first.body).toContain('成都蜀锦商贸有限公司');
    expect(first.body).toContain('91510107MA6CBX7Q6L');
    expect(first.body).not.toContain('name="uscc"');
    // Nothing left to type on the taxpayer page but the phone (prefilled from the account).
    const company = await client.submit(`${base}/steps/company`, `${base}/steps/company`, { contactPhone: '13800000003' });
    expect(company.statusCode).toBe(303);
    const invoices = await client.submit(`${base}/steps/invoices`, `${base}/steps/invoices`, {
      invoiceType: 'vat-special',
      quantity: '25',
      'mailingAddress.district': '武侯区',
      'mailingAddress.detail': '人民南路四段12号6栋1单元803号',
    });
    expect(invoices.statusCode).toBe(303);
    const delivery = await client.submit(`${base}/delivery`, `${base}/delivery`, {
      method: 'courier',
      recipientName: '李强',
      phone: '13800000003',
      district: '武侯区',
      detail: '人民南路四段12号6栋1单元803号',
    });
    expect(delivery.statusCode).toBe(303);
    const check = await client.get(`${base}/check`);
    expect(check.body).toContain('成都蜀锦商贸有限公司');
    const submitted = await client.submit(`${base}/check`, `${base}/submit`, {});
    const confirmation = await follow(client, submitted);
    expect(confirmation.statusCode).toBe(200);
    expect(confirmation.body).not.toContain('立即缴费');

    // tax-wuhou's workbench shows it; the clerk accepts, the reviewer starts, the approver approves.
    const clerk = await staff('tax-wuhou.clerk');
    const queue = await clerk.get('/staff/cases');
    expect(queue.statusCode).toBe(200);
    const id = base.split('/').pop()!;
    expect(queue.body).toContain(`/staff/cases/${id}`);
    const filtered = await clerk.get('/staff/cases?state=completed');
    expect(filtered.body).not.toContain(`/staff/cases/${id}`);
    const claim = await clerk.submit(`/staff/cases/${id}`, `/staff/cases/${id}/claim`, {});
    expect(claim.statusCode).toBe(303);
    const mine = await clerk.get('/staff/cases?mine=1');
    expect(mine.body).toContain(`/staff/cases/${id}`);
    const accept = await clerk.submit(`/staff/cases/${id}`, `/staff/cases/${id}/actions`, { action: 'accept', comment: '' });
    expect(accept.statusCode).toBe(303);
    const reviewer = await staff('tax-wuhou.reviewer');
    expect((await reviewer.submit(`/staff/cases/${id}`, `/staff/cases/${id}/actions`, { action: 'start_review' })).statusCode).toBe(303);
    const approver = await staff('tax-wuhou.approver');
    const page = await approver.get(`/staff/cases/${id}`);
    expect(page.body).toContain('value="approve"');
    expect(page.body).not.toContain('value="accept"');
    expect((await approver.submit(`/staff/cases/${id}`, `/staff/cases/${id}/actions`, { action: 'approve' })).statusCode).toBe(303);
    const timeline = await client.get(base);
    expect(timeline.body).toContain('已批准');
  });
});

describe('the staff workbench', () => {
  it('requests a correction of several items at once, requires a comment where the action needs one, and shows a conflict', async () => {
    const citizen = await signIn('13800000002');
    const res = await citizen.submit('/services/tax-payment-record/apply', '/services/tax-payment-record/apply', {});
    const base = location(res).replace(/\/steps\/first$/, '');
    const id = base.split('/').pop()!;
    expect((await citizen.submit(`${base}/steps/request`, `${base}/steps/request`, { from: '2025-01-01', to: '2025-12-31' })).statusCode).toBe(303);
    expect((await citizen.submit(`${base}/delivery`, `${base}/delivery`, { method: 'electronic' })).statusCode).toBe(303);
    expect((await citizen.submit(`${base}/check`, `${base}/submit`, {})).statusCode).toBe(303);

    const clerk = await staff('tax.clerk');
    const refuse = await clerk.submit(`/staff/cases/${id}`, `/staff/cases/${id}/actions`, { action: 'refuse', comment: '' });
    expect(refuse.statusCode).toBe(400);
    expect(refuse.body).toContain('href="#comment"');

    const none = await clerk.submit(`/staff/cases/${id}`, `/staff/cases/${id}/correction`, {});
    expect(none.statusCode).toBe(400);
    expect(none.body).toContain('href="#items"');
    const corr = await clerk.submit(`/staff/cases/${id}`, `/staff/cases/${id}/correction`, {
      items: ['field:from', 'field:to'],
      'reason-field:from': '起始月份早于开始纳税时间',
      'reason-field:to': '截止月份不能晚于上月',
    });
    expect(corr.statusCode).toBe(303);

    // Someone else acted first: the stale form gets a clear 409.
    const stale = await clerk.submit(`/staff/cases/${id}`, `/staff/cases/${id}/actions`, { action: 'accept' });
    expect([403, 409]).toContain(stale.statusCode);

    const detail = await citizen.get(base);
    expect(detail.body).toContain('起始月份早于开始纳税时间');
    expect(detail.body).toContain('截止月份不能晚于上月');
    expect(detail.body).toContain(`${base}/correct`);
    const fix = await citizen.submit(`${base}/steps/request`, `${base}/steps/request`, { from: '2025-06-01', to: '2025-10-31' });
    expect(location(fix)).toBe(`${base}/correct`);
    const resubmit = await citizen.submit(`${base}/correct`, `${base}/resubmit`, {});
    expect(resubmit.statusCode).toBe(303);

    const note = await clerk.submit(`/staff/cases/${id}`, `/staff/cases/${id}/notes`, { note: '已电话核实', visibility: 'internal' });
    expect(note.statusCode).toBe(303);
    expect((await clerk.get(`/staff/cases/${id}`)).body).toContain('已电话核实');
    expect((await citizen.get(base)).body).not.toContain('已电话核实');

    // Another department's staff cannot see it.
    const other = await staff('amr.clerk');
    expect((await other.get(`/staff/cases/${id}`)).statusCode).toBe(404);
  });

  it('lets a platform admin edit the holiday calendar', async () => {
    const admin = await staff('admin');
    const page = await admin.get('/staff/calendar?year=2026');
    expect(page.statusCode).toBe(200);
    const bad = await admin.submit('/staff/calendar', '/staff/calendar', { date: '2026-02-30', kind: 'holiday', name: '' });
    expect(bad.statusCode).toBe(400);
    expect(bad.body).toContain('href="#date"');
    const ok = await admin.submit('/staff/calendar', '/staff/calendar', { date: '2026-12-24', kind: 'holiday', name: '测试假日' });
    expect(ok.statusCode).toBe(303);
    expect((await admin.get('/staff/calendar?year=2026')).body).toContain('测试假日');
    const removed = await admin.submit('/staff/calendar?year=2026', '/staff/calendar/2026-12-24/remove', {});
    expect(removed.statusCode).toBe(303);
    expect((await admin.get('/staff/calendar?year=2026')).body).not.toContain('测试假日');
    const clerk = await staff('tax.clerk');
    expect((await clerk.get('/staff/calendar')).statusCode).toBe(403);
  });
});

describe('rating', () => {
  it('rates a completed application once, with a reason for a poor rating', async () => {
    const citizen = await signIn('13800000001');
    const res = await citizen.submit('/services/tax-payment-record/apply', '/services/tax-payment-record/apply', {});
    const base = location(res).replace(/\/steps\/first$/, '');
    const id = base.split('/').pop()!;
    expect((await citizen.submit(`${base}/steps/request`, `${base}/steps/request`, { from: '2025-01-01', to: '2025-12-31' })).statusCode).toBe(303);
    expect((await citizen.submit(`${base}/delivery`, `${base}/delivery`, { method: 'electronic' })).statusCode).toBe(303);
    expect((await citizen.submit(`${base}/check`, `${base}/submit`, {})).statusCode).toBe(303);
    expect((await citizen.get(`${base}/rate`)).statusCode).toBe(303);

    const steps: [string, string][] = [
      ['tax.clerk', 'accept'],
      ['tax.reviewer', 'start_review'],
      ['tax.approver', 'approve'],
      ['tax.clerk', 'complete'],
    ];
    for (const [login, action] of steps) {
      const s = await staff(login);
      expect((await s.submit(`/staff/cases/${id}`, `/staff/cases/${id}/actions`, { action })).statusCode).toBe(303);
    }
    const detail = await citizen.get(base);
    expect(detail.body).toContain(`${base}/rate`);
    const form = await citizen.get(`${base}/rate`);
    expect(form.body).toContain('非常满意');
    expect(form.body).toContain('非常不满意');
    const none = await citizen.submit(`${base}/rate`, `${base}/rate`, { comment: '' });
    expect(none.statusCode).toBe(400);
    expect(none.body).toContain('href="#score"');
    const poor = await citizen.submit(`${base}/rate`, `${base}/rate`, { score: '2', comment: '' });
    expect(poor.statusCode).toBe(400);
    expect(poor.body).toContain('href="#comment"');
    const ok = await citizen.submit(`${base}/rate`, `${base}/rate`, { score: '2', comment: '等待时间太长' });
    expect(ok.statusCode).toBe(303);
    const after = await citizen.get(base);
    expect(after.body).toContain('不满意');
    expect(after.body).toContain('等待时间太长');
    expect((await citizen.get(`${base}/rate`)).statusCode).toBe(303);

    // English pages carry the English labels.
    const en = await citizen.request('GET', `${base}`, undefined, { 'accept-language': 'en' });
    expect(en.body).toContain('lang="en"');
  });

  it('withdraws only after confirming', async () => {
    const citizen = await signIn('13800000002');
    const res = await citizen.submit('/services/tax-payment-record/apply', '/services/tax-payment-record/apply', {});
    const base = location(res).replace(/\/steps\/first$/, '');
    await citizen.submit(`${base}/steps/request`, `${base}/steps/request`, { from: '2025-01-01', to: '2025-12-31' });
    await citizen.submit(`${base}/delivery`, `${base}/delivery`, { method: 'electronic' });
    await citizen.submit(`${base}/check`, `${base}/submit`, {});
    const confirm = await citizen.get(`${base}/withdraw`);
    expect(confirm.statusCode).toBe(200);
    expect(confirm.body).toContain('确定撤回');
    const done = await citizen.submit(`${base}/withdraw`, `${base}/withdraw`, { confirm: 'yes' });
    expect(done.statusCode).toBe(303);
    expect((await citizen.get(base)).body).toContain('已撤回');
    // Someone else's application is not found, not forbidden.
    const other = await signIn('13800000001');
    expect((await other.get(base)).statusCode).toBe(404);
  });
});

describe('applying for a child (hk-macao-endorsement)', () => {
  /** A draft with the applicant step answered for the child named; the step's response. */
  async function chooseChild(client: TestClient, child: { name: string; idNumber: string }) {
    const res = await client.submit('/services/hk-macao-endorsement/apply', '/services/hk-macao-endorsement/apply', {});
    const base = location(res).replace(/\/steps\/first$/, '');
    // No permit number to type: the register's (the mother's at first, the child's once chosen).
    const applicant = await client.submit(`${base}/steps/applicant`, `${base}/steps/applicant`, {
      applyFor: 'child',
      childName: child.name,
      childIdNumber: child.idNumber,
    });
    return { base, applicant };
  }

  /** A draft filled in up to the check page for the child named. */
  async function draftFor(client: TestClient, child: { name: string; idNumber: string }): Promise<string> {
    const { base, applicant } = await chooseChild(client, child);
    expect(applicant.statusCode).toBe(303);
    const fields = { destination: 'hk', endorsementType: 'family', trips: 'once', contactPhone: '13800000001' };
    expect(
      (await postMultipart(client, `${base}/steps/endorsement`, fields, [{ name: 'photo', filename: 'photo.jpg', type: 'image/jpeg', bytes: jpeg }]))
        .statusCode,
    ).toBe(303);
    const delivery = await client.submit(`${base}/delivery`, `${base}/delivery`, { method: 'window' });
    expect(delivery.statusCode).toBe(303);
    return base;
  }

  it("submits for the applicant's own child with the child's permit from the register", async () => {
    const client = await signIn('13800000001');
    const base = await draftFor(client, { name: '刘子轩', idNumber: '510107201605200031' });
    const check = await client.get(`${base}/check`);
    expect(check.body).toContain('刘子轩');
    // The child's permit, held by the exit-entry administration, not the mother's.
    expect(check.body).toContain('C20981736');
    expect(check.body).not.toContain('C10573421');
    expect(check.body).toContain('市公安局出入境管理局');
    const submitted = await client.submit(`${base}/check`, `${base}/submit`, {});
    expect(submitted.statusCode).toBe(303);
    expect(location(submitted)).toBe(`${base}/confirmation`);
    // Back to herself: her own permit again.
    const again = await chooseChild(client, { name: '刘子轩', idNumber: '510107201605200031' });
    const self = await client.submit(`${again.base}/steps/applicant`, `${again.base}/steps/applicant`, { applyFor: 'self' });
    expect(self.statusCode).toBe(303);
    expect((await client.get(`${again.base}/steps/applicant`)).body).toContain('C10573421');
  });

  it("re-renders the applicant step (400) with a summary linking to the answer when the child is not the applicant's", async () => {
    const client = await signIn('13800000001');
    // A valid resident ID number that is not among 张丽's children.
    const { base, applicant } = await chooseChild(client, { name: '王小明', idNumber: '510107201605200058' });
    expect(applicant.statusCode).toBe(400);
    expect(applicant.body).toContain('class="error-summary"');
    expect(applicant.body).toContain('href="#childIdNumber"');
    expect(applicant.body).toMatch(/id="childIdNumber"/);
    expect(applicant.body).toContain('子女中没有这个公民身份号码');
    expect(applicant.body).toContain('value="王小明"');
    // Nothing of the stranger's was saved: the draft still holds the mother's own permit.
    const saved = await client.get(`${base}/steps/applicant`);
    expect(saved.body).not.toContain('王小明');
    expect(saved.body).toContain('C10573421');
  });
});
