import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { and, count, desc, eq } from 'drizzle-orm';
import type { App } from '../../platform/http/types.js';
import { auditLog, notifications } from '../../platform/platform.schema.js';
import { createTestApp, manualClock, TestClient, type TestContext } from '../../../test/helpers.js';
import { identityModule, listEnterprisesOf, findEnterpriseByUscc, getUserById } from './index.js';
import { otpCodes, sessions, users } from './identity.schema.js';
import { residentIdCheckChar } from './identity.validators.js';
import { demoCompany } from './identity.seed.js';

// Web journeys of citizens: sign-up, sign-in by password and by SMS code, account page, acting for a company.

let app: App;
let ctx: TestContext;
const clock = manualClock();
const password = 'Chengdu#2026';

beforeAll(async () => {
  ({ app, ctx } = await createTestApp({ clock, env: { SIGN_IN_LIMIT: '1000' } }));
  await identityModule.seed!(ctx);
});
afterAll(async () => {
  await app.close();
  await ctx.cleanup();
});

const idWithCheck = (first17: string) => first17 + residentIdCheckChar(first17);
let serial = 100;
/** A fresh, valid citizen each call, so tests do not depend on each other. */
function newPerson() {
  serial += 1;
  return {
    phone: `1390000${String(serial).padStart(4, '0')}`,
    realName: '赵敏',
    idNumber: idWithCheck(`510107199001${String((serial % 28) + 1).padStart(2, '0')}${String(serial).padStart(3, '0')}`),
  };
}
function signUpFields(p: ReturnType<typeof newPerson>, extra: Record<string, string> = {}) {
  return { phone: p.phone, realName: p.realName, idNumber: p.idNumber, password, confirmPassword: password, ...extra };
}
const userCount = async () => (await ctx.db.select({ n: count() }).from(users))[0]!.n;

async function latestCode(phone: string): Promise<string> {
  const [row] = await ctx.db
    .select({ params: notifications.params, body: notifications.body })
    .from(notifications)
    .where(and(eq(notifications.recipient, phone), eq(notifications.channel, 'sms'), eq(notifications.template, 'sign-in-code')))
    .orderBy(desc(notifications.createdAt))
    .limit(1);
  const code = row?.params.code ?? /\d{6}/.exec(row?.body ?? '')?.[0];
  if (!code) throw new Error(`no code sent to ${phone}`);
  return String(code);
}

describe('sign-up', () => {
  it('creates the account, signs the person in and shows the account page with masked data', async () => {
    const client = new TestClient(app);
    const p = newPerson();
    const res = await client.submit('/sign-up', '/sign-up', signUpFields(p));
    expect(res.statusCode).toBe(303);
    expect(res.headers.location).toBe('/account');
    const cookie = String(res.headers['set-cookie']);
    expect(cookie).toMatch(/sh_session=[A-Za-z0-9_-]{43}/);
    expect(cookie).toMatch(/HttpOnly/i);
    expect(cookie).toMatch(/SameSite=Lax/i);
    expect(cookie).not.toMatch(/Secure/);
    const account = await client.get('/account');
    expect(account.statusCode).toBe(200);
    expect(account.body).toContain(p.realName);
    expect(account.body).toContain(`${p.idNumber.slice(0, 4)}**********${p.idNumber.slice(-4)}`);
    expect(account.body).not.toContain(p.idNumber);
    expect(account.body).toContain(`${p.phone.slice(0, 3)}****${p.phone.slice(7)}`);
    expect(account.body).toContain('href="/account/inbox"');
    // Only the hash of the cookie secret is stored.
    const token = client.cookies.get('sh_session')!;
    const stored = await ctx.db.select({ tokenHash: sessions.tokenHash }).from(sessions);
    expect(stored.some((s) => s.tokenHash === token)).toBe(false);
    expect(stored.length).toBeGreaterThan(0);
    const audits = await ctx.db
      .select({ action: auditLog.action })
      .from(auditLog)
      .where(eq(auditLog.actorId, (await getUserIdByPhone(p.phone))!));
    expect(audits.map((a) => a.action)).toEqual(expect.arrayContaining(['identity.sign-up', 'identity.sign-in']));
  });

  const bad: [string, (p: ReturnType<typeof newPerson>) => Record<string, string>, string, RegExp][] = [
    ['an invalid ID number', (p) => ({ idNumber: p.idNumber.slice(0, 17) + (p.idNumber.endsWith('1') ? '2' : '1') }), 'idNumber', /校验位不正确/],
    ['an impossible birth date', () => ({ idNumber: idWithCheck('51010719901332001') }), 'idNumber', /出生日期不正确/],
    ['a duplicate phone number', () => ({ phone: '13800000001' }), 'phone', /该手机号码已注册/],
    ['a duplicate ID number', () => ({ idNumber: '510107198503120028' }), 'idNumber', /该身份证号码已注册/],
    ['a common password', () => ({ password: 'password123', confirmPassword: 'password123' }), 'password', /太常见/],
    ['a short password', () => ({ password: 'abc', confirmPassword: 'abc' }), 'password', /至少需要 8 个字符/],
    ['the phone number as password', (p) => ({ password: p.phone, confirmPassword: p.phone }), 'password', /不能包含您的手机号码/],
    ['passwords that differ', () => ({ confirmPassword: 'Chengdu#2027' }), 'confirmPassword', /两次输入的密码不一致/],
    ['a 10 KB name', () => ({ realName: '名'.repeat(10 * 1024) }), 'realName', /不能超过 50 个字符/],
    ['markup in the name', () => ({ realName: '<script>alert(1)</script>' }), 'realName', /姓名只能包含文字/],
    ['a bad mobile number', () => ({ phone: '12345' }), 'phone', /11 位手机号码/],
  ];
  it.each(bad)('refuses %s with 400, a linked error summary and nothing written', async (_label, change, field, message) => {
    const client = new TestClient(app);
    const p = newPerson();
    const before = await userCount();
    const auditBefore = (await ctx.db.select({ n: count() }).from(auditLog))[0]!.n;
    const res = await client.submit('/sign-up', '/sign-up', signUpFields(p, change(p)));
    expect(res.statusCode).toBe(400);
    expect(res.body).toContain('class="error-summary"');
    expect(res.body).toContain(`href="#${field}"`);
    expect(res.body).toMatch(message);
    expect(res.body).not.toContain('<script>alert(1)</script>');
    expect(res.body).not.toContain(password); // passwords are never echoed
    expect(await userCount()).toBe(before);
    expect((await ctx.db.select({ n: count() }).from(auditLog))[0]!.n).toBe(auditBefore);
    expect(client.cookies.has('sh_session')).toBe(false);
  });

  it('keeps the typed values on error and answers in English when asked', async () => {
    const client = new TestClient(app, { 'accept-language': 'en' });
    const p = newPerson();
    const res = await client.submit('/sign-up', '/sign-up', signUpFields(p, { idNumber: '36042619910102009X' }));
    expect(res.statusCode).toBe(400);
    expect(res.body).toContain(`value="${p.phone}"`);
    expect(res.body).toContain('value="36042619910102009X"');
    expect(res.body).toContain('check character does not match');
  });
});

async function getUserIdByPhone(phone: string) {
  const [row] = await ctx.db.select({ id: users.id }).from(users).where(eq(users.phone, phone));
  return row?.id;
}

describe('sign-in with password', () => {
  it('signs in a demo citizen and honours a local ?return=', async () => {
    const client = new TestClient(app);
    const page = await client.get('/sign-in?return=%2Fservices%2Fhk-macao-endorsement');
    expect(page.body).toContain('name="return" value="/services/hk-macao-endorsement"');
    const res = await client.submit('/sign-in?return=%2Fservices%2Fhk-macao-endorsement', '/sign-in', {
      method: 'password',
      phone: '13800000001',
      password,
      return: '/services/hk-macao-endorsement',
    });
    expect(res.statusCode).toBe(303);
    expect(res.headers.location).toBe('/services/hk-macao-endorsement');
    expect((await client.get('/account')).body).toContain('张丽');
  });

  it('ignores a return address on another site', async () => {
    const client = new TestClient(app);
    const res = await client.submit('/sign-in', '/sign-in', { method: 'password', phone: '13800000002', password, return: '//evil.example/' });
    expect(res.headers.location).toBe('/account');
  });

  it('refuses a wrong password and an unknown number with the same message, and audits both', async () => {
    const client = new TestClient(app);
    const wrong = await client.submit('/sign-in', '/sign-in', { method: 'password', phone: '13800000001', password: 'not-the-password' });
    const unknown = await client.submit('/sign-in', '/sign-in', { method: 'password', phone: '13899999999', password });
    for (const res of [wrong, unknown]) {
      expect(res.statusCode).toBe(400);
      expect(res.body).toContain('手机号码或密码不正确');
    }
    expect(client.cookies.has('sh_session')).toBe(false);
    const failed = await ctx.db
      .select({ detail: auditLog.detail })
      .from(auditLog)
      .where(and(eq(auditLog.action, 'identity.sign-in'), eq(auditLog.outcome, 'failed')));
    expect(failed.map((f) => f.detail.login)).toEqual(expect.arrayContaining(['138****0001', '138****9999']));
  });

  it('sends an anonymous visitor of /account to sign-in and back', async () => {
    const res = await app.inject('/account');
    expect(res.statusCode).toBe(302);
    expect(res.headers.location).toBe('/sign-in?return=%2Faccount');
  });
});

describe('sign-in with an SMS code', () => {
  it('sends a 6-digit code through the notification port and signs in with it; the code works once', async () => {
    const client = new TestClient(app);
    const sent = await client.submit('/sign-in', '/sign-in/code', { codePhone: '13800000002' });
    expect(sent.statusCode).toBe(303);
    expect(sent.headers.location).toMatch(/^\/sign-in\?sent=1/);
    const page = await client.get(sent.headers.location as string);
    expect(page.body).toContain('138****0002');
    expect(page.body).toContain('name="code"');
    const code = await latestCode('13800000002');
    expect(code).toMatch(/^\d{6}$/);
    // Stored hashed, never in clear.
    const stored = await ctx.db.select({ codeHash: otpCodes.codeHash }).from(otpCodes).where(eq(otpCodes.phone, '13800000002'));
    expect(stored.every((s) => s.codeHash !== code && s.codeHash.length === 64)).toBe(true);

    const res = await client.submit('/sign-in', '/sign-in', { method: 'code', codePhone: '13800000002', code });
    expect(res.statusCode).toBe(303);
    expect((await client.get('/account')).body).toContain('王芳');

    const again = await new TestClient(app).submit('/sign-in', '/sign-in', { method: 'code', codePhone: '13800000002', code });
    expect(again.statusCode).toBe(400);
  });

  it('keeps only the newest code of a number alive', async () => {
    const client = new TestClient(app);
    await client.submit('/sign-in', '/sign-in/code', { codePhone: '13800000001' });
    const first = await latestCode('13800000001');
    clock.advance(1000);
    await client.submit('/sign-in', '/sign-in/code', { codePhone: '13800000001' });
    const second = await latestCode('13800000001');
    if (first !== second) {
      const old = await client.submit('/sign-in', '/sign-in', { method: 'code', codePhone: '13800000001', code: first });
      expect(old.statusCode).toBe(400);
    }
    const ok = await client.submit('/sign-in', '/sign-in', { method: 'code', codePhone: '13800000001', code: second });
    expect(ok.statusCode).toBe(303);
  });

  it('refuses an expired code with a clear message', async () => {
    const client = new TestClient(app);
    await client.submit('/sign-in', '/sign-in/code', { codePhone: '13800000003' });
    const code = await latestCode('13800000003');
    clock.advance(5 * 60_000 + 1000);
    const res = await client.submit('/sign-in', '/sign-in', { method: 'code', codePhone: '13800000003', code });
    expect(res.statusCode).toBe(400);
    expect(res.body).toContain('验证码已过期，请重新获取');
    expect(client.cookies.has('sh_session')).toBe(false);
  });

  it('allows 5 tries: after 5 wrong codes even the right one is refused', async () => {
    const client = new TestClient(app);
    await client.submit('/sign-in', '/sign-in/code', { codePhone: '13800000004' });
    const code = await latestCode('13800000004');
    const wrong = code === '000000' ? '111111' : '000000';
    for (let i = 1; i <= 5; i++) {
      const res = await client.submit('/sign-in', '/sign-in', { method: 'code', codePhone: '13800000004', code: wrong });
      expect(res.statusCode).toBe(400);
      expect(res.body).toContain(i < 5 ? '验证码不正确' : '验证码输错次数过多');
    }
    const right = await client.submit('/sign-in', '/sign-in', { method: 'code', codePhone: '13800000004', code });
    expect(right.statusCode).toBe(400);
    expect(right.body).toContain('验证码输错次数过多，请重新获取');
  });

  it('gives the same answer for an unregistered number and sends nothing', async () => {
    const client = new TestClient(app);
    const res = await client.submit('/sign-in', '/sign-in/code', { codePhone: '13911112222' });
    expect(res.statusCode).toBe(303);
    const sent = await ctx.db.select({ n: count() }).from(notifications).where(eq(notifications.recipient, '13911112222'));
    expect(sent[0]!.n).toBe(0);
  });

  it('explains a malformed number or code', async () => {
    const client = new TestClient(app);
    const badPhone = await client.submit('/sign-in', '/sign-in/code', { codePhone: '555' });
    expect(badPhone.statusCode).toBe(400);
    expect(badPhone.body).toContain('href="#codePhone"');
    const badCode = await client.submit('/sign-in', '/sign-in', { method: 'code', codePhone: '13800000001', code: '12ab' });
    expect(badCode.statusCode).toBe(400);
    expect(badCode.body).toContain('验证码为 6 位数字');
  });
});

describe('sessions', () => {
  it('expires after SESSION_TTL_HOURS', async () => {
    const client = new TestClient(app);
    await client.submit('/sign-in', '/sign-in', { method: 'password', phone: '13800000001', password });
    expect((await client.get('/account')).statusCode).toBe(200);
    clock.advance(ctx.config.sessionTtlHours * 3600_000 + 1000);
    const res = await client.get('/account');
    expect(res.statusCode).toBe(302);
    expect(client.cookies.has('sh_session')).toBe(false); // the dead cookie is cleared
  });

  it('signs out: the old cookie no longer works', async () => {
    const client = new TestClient(app);
    await client.submit('/sign-in', '/sign-in', { method: 'password', phone: '13800000001', password });
    const token = client.cookies.get('sh_session')!;
    const res = await client.submit('/account', '/sign-out', {});
    expect(res.statusCode).toBe(303);
    const replay = await app.inject({ url: '/account', headers: { cookie: `sh_session=${token}` } });
    expect(replay.statusCode).toBe(302);
  });

  it('signs out everywhere: every browser session and API token of the person ends', async () => {
    const a = new TestClient(app);
    const b = new TestClient(app);
    await a.submit('/sign-in', '/sign-in', { method: 'password', phone: '13800000002', password });
    await b.submit('/sign-in', '/sign-in', { method: 'password', phone: '13800000002', password });
    const api = await app.inject({ method: 'POST', url: '/api/v1/session', payload: { login: '13800000002', password } });
    const bearer = { authorization: `Bearer ${api.json().token as string}` };
    expect((await app.inject({ url: '/api/v1/me', headers: bearer })).statusCode).toBe(200);
    const other = new TestClient(app);
    await other.submit('/sign-in', '/sign-in', { method: 'password', phone: '13800000001', password });

    const res = await a.submit('/account', '/account/sign-out-everywhere', {});
    expect(res.statusCode).toBe(303);
    expect(res.headers.location).toBe('/sign-in?notice=signed-out-everywhere');
    expect((await a.get('/account')).statusCode).toBe(302);
    expect((await b.get('/account')).statusCode).toBe(302);
    expect((await app.inject({ url: '/api/v1/me', headers: bearer })).statusCode).toBe(401);
    expect((await other.get('/account')).statusCode).toBe(200); // someone else's session is untouched
    const [audit] = await ctx.db.select({ detail: auditLog.detail }).from(auditLog).where(eq(auditLog.action, 'identity.sign-out-everywhere'));
    expect(audit?.detail.revoked).toBe(3);
  });

  it('ignores a session cookie on the API and a bearer token on pages', async () => {
    const client = new TestClient(app);
    await client.submit('/sign-in', '/sign-in', { method: 'password', phone: '13800000001', password });
    expect((await client.get('/api/v1/me')).statusCode).toBe(401);
    const api = await app.inject({ method: 'POST', url: '/api/v1/session', payload: { login: '13800000001', password } });
    const page = await app.inject({ url: '/account', headers: { authorization: `Bearer ${api.json().token as string}` } });
    expect(page.statusCode).toBe(302);
  });
});

describe('acting for a company', () => {
  it('lets the accountant switch to the company; the layout shows it; switching back works', async () => {
    const client = new TestClient(app);
    await client.submit('/sign-in', '/sign-in', { method: 'password', phone: '13800000003', password });
    const account = await client.get('/account');
    expect(account.body).toContain(demoCompany.name);
    expect(account.body).toContain(demoCompany.uscc);
    expect(account.body).toContain('财务负责人');
    const company = await findEnterpriseByUscc(ctx.db, demoCompany.uscc);
    const res = await client.submit('/account', '/account/acting-for', { enterprise: company!.id });
    expect(res.statusCode).toBe(303);
    const after = await client.get('/account');
    expect(after.body).toContain(`正在代表 ${demoCompany.name} 办事`);
    const back = await client.submit('/account', '/account/acting-for', { enterprise: '' });
    expect(back.statusCode).toBe(303);
    expect((await client.get('/account')).body).not.toContain('正在代表');
    const changes = await ctx.db.select({ outcome: auditLog.outcome }).from(auditLog).where(eq(auditLog.action, 'identity.acting-for.change'));
    expect(changes.filter((c) => c.outcome === 'ok').length).toBeGreaterThanOrEqual(2);
  });

  it('refuses a company the person does not belong to (403, audited)', async () => {
    const client = new TestClient(app);
    await client.submit('/sign-in', '/sign-in', { method: 'password', phone: '13800000001', password });
    const company = await findEnterpriseByUscc(ctx.db, demoCompany.uscc);
    const res = await client.submit('/account', '/account/acting-for', { enterprise: company!.id });
    expect(res.statusCode).toBe(403);
    const denied = await ctx.db
      .select({ n: count() })
      .from(auditLog)
      .where(and(eq(auditLog.action, 'identity.acting-for.change'), eq(auditLog.outcome, 'denied')));
    expect(denied[0]!.n).toBeGreaterThan(0);
    expect((await client.get('/account')).body).not.toContain('正在代表');
  });

  it('exports the service functions other modules use', async () => {
    const accountantId = (await getUserIdByPhone('13800000003'))!;
    expect(await listEnterprisesOf(ctx.db, accountantId)).toEqual([expect.objectContaining({ uscc: demoCompany.uscc, role: 'accountant' })]);
    expect(await getUserById(ctx.db, accountantId)).toMatchObject({ kind: 'citizen', realName: '李强', roles: [] });
    expect(await getUserById(ctx.db, 'not-a-uuid')).toBeUndefined();
  });
});

describe('seed', () => {
  it('is idempotent', async () => {
    const before = await userCount();
    await identityModule.seed!(ctx);
    expect(await userCount()).toBe(before);
    const lines = identityModule.demoAccounts!(ctx);
    expect(lines.join('\n')).toContain('13800000003');
    expect(lines.join('\n')).toContain(ctx.config.demoPassword);
  });
});
