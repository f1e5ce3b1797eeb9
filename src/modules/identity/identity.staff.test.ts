import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { and, eq } from 'drizzle-orm';
import type { App } from '../../platform/http/types.js';
import { auditLog } from '../../platform/platform.schema.js';
import { createTestApp, manualClock, TestClient, type TestContext } from '../../../test/helpers.js';
import { identityModule } from './index.js';
import { totpFor } from './identity.crypto.js';
import { users } from './identity.schema.js';

// Staff sign-in at /staff, with the TOTP second factor switched off (the demo) and on (STAFF_TOTP_REQUIRED).

const password = 'Chengdu#2026';

describe('staff sign-in without a second factor', () => {
  let app: App;
  let ctx: TestContext;
  beforeAll(async () => {
    ({ app, ctx } = await createTestApp({ env: { STAFF_TOTP_REQUIRED: 'false', SIGN_IN_LIMIT: '1000' } }));
    await identityModule.seed!(ctx);
  });
  afterAll(async () => {
    await app.close();
    await ctx.cleanup();
  });

  it('signs in a department clerk and sends them to /staff/home', async () => {
    const client = new TestClient(app);
    const page = await client.get('/staff');
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('name="login"');
    const res = await client.submit('/staff', '/staff', { login: 'psb-exit-entry.clerk', password });
    expect(res.statusCode).toBe(303);
    expect(res.headers.location).toBe('/staff/home');
    // Signed in: the sign-in page now forwards to the staff home.
    const again = await client.get('/staff');
    expect(again.statusCode).toBe(303);
    expect(again.headers.location).toBe('/staff/home');
    // A member of staff is not a citizen.
    expect((await client.get('/account')).statusCode).toBe(403);
  });

  it('accepts the login in any case and honours ?return=', async () => {
    const client = new TestClient(app);
    const res = await client.submit('/staff?return=%2Fstaff%2Fitems', '/staff', { login: 'Tax.Admin', password, return: '/staff/items' });
    expect(res.statusCode).toBe(303);
    expect(res.headers.location).toBe('/staff/items');
  });

  it('refuses a wrong password or unknown login with one message', async () => {
    for (const login of ['psb.clerk', 'nobody.clerk']) {
      const res = await new TestClient(app).submit('/staff', '/staff', { login, password: 'Wrong#password1' });
      expect(res.statusCode).toBe(400);
      expect(res.body).toContain('工作账号或密码不正确');
    }
    const empty = await new TestClient(app).submit('/staff', '/staff', { login: '', password: '' });
    expect(empty.statusCode).toBe(400);
    expect(empty.body).toContain('href="#login"');
    expect(empty.body).toContain('href="#password"');
  });

  it('does not let a citizen in at /staff', async () => {
    const res = await new TestClient(app).submit('/staff', '/staff', { login: '13800000001', password });
    expect(res.statusCode).toBe(400);
  });
});

describe('staff sign-in with TOTP (RFC 6238)', () => {
  let app: App;
  let ctx: TestContext;
  const clock = manualClock();
  beforeAll(async () => {
    ({ app, ctx } = await createTestApp({ clock, env: { STAFF_TOTP_REQUIRED: 'true', SIGN_IN_LIMIT: '1000' } }));
    await identityModule.seed!(ctx);
  });
  afterAll(async () => {
    await app.close();
    await ctx.cleanup();
  });

  const codeFor = (login: string, secret: string) => totpFor(login, secret).generate({ timestamp: clock.now().getTime() });

  it('enrols on the first sign-in, then asks for a code each time and refuses a replayed one', async () => {
    const client = new TestClient(app);
    const res = await client.submit('/staff', '/staff', { login: 'amr.admin', password });
    expect(res.statusCode).toBe(303);
    expect(res.headers.location).toBe('/staff/second-factor');

    // Half signed in: no staff or citizen page yet; GET pages send back to the second factor.
    const blocked = await client.get('/account');
    expect(blocked.statusCode).toBe(302);
    expect(blocked.headers.location).toBe('/staff/second-factor');

    const page = await client.get('/staff/second-factor');
    expect(page.statusCode).toBe(200);
    const secret = /data-testid="totp-secret">([A-Z2-7]+)</.exec(page.body)?.[1];
    expect(secret).toBeDefined();
    expect(page.body).toContain('otpauth://totp/ServiceHall:amr.admin?');
    // Reloading shows the same secret (the one already scanned stays valid).
    expect((await client.get('/staff/second-factor')).body).toContain(secret!);
    const [row] = await ctx.db.select({ totpSecret: users.totpSecret }).from(users).where(eq(users.login, 'amr.admin'));
    expect(row?.totpSecret).not.toContain(secret!); // stored sealed

    const wrong = await client.submit('/staff/second-factor', '/staff/second-factor', {
      code: codeFor('amr.admin', secret!) === '123456' ? '654321' : '123456',
    });
    expect(wrong.statusCode).toBe(400);
    expect(wrong.body).toContain('动态验证码不正确');

    const code = codeFor('amr.admin', secret!);
    const ok = await client.submit('/staff/second-factor', '/staff/second-factor', { code });
    expect(ok.statusCode).toBe(303);
    expect(ok.headers.location).toBe('/staff/home');
    expect((await client.get('/staff')).headers.location).toBe('/staff/home');
    const enrolled = await ctx.db
      .select({ n: auditLog.seq })
      .from(auditLog)
      .where(and(eq(auditLog.action, 'identity.totp.enrol'), eq(auditLog.outcome, 'ok')));
    expect(enrolled.length).toBe(1);

    // Next sign-in: no secret shown, and the same code cannot be used twice.
    const second = new TestClient(app);
    await second.submit('/staff', '/staff', { login: 'amr.admin', password });
    const again = await second.get('/staff/second-factor');
    expect(again.body).not.toContain(secret!);
    const replay = await second.submit('/staff/second-factor', '/staff/second-factor', { code });
    expect(replay.statusCode).toBe(400);
    clock.advance(60_000);
    const fresh = await second.submit('/staff/second-factor', '/staff/second-factor', { code: codeFor('amr.admin', secret!) });
    expect(fresh.statusCode).toBe(303);
  });

  it('needs the TOTP code on the API too', async () => {
    const client = new TestClient(app);
    await client.submit('/staff', '/staff', { login: 'health.clerk', password });
    const secret = /data-testid="totp-secret">([A-Z2-7]+)</.exec((await client.get('/staff/second-factor')).body)![1]!;
    expect((await client.submit('/staff/second-factor', '/staff/second-factor', { code: codeFor('health.clerk', secret) })).statusCode).toBe(303);
    clock.advance(60_000);

    const post = (payload: object) =>
      app.inject({ method: 'POST', url: '/api/v1/session', headers: { 'content-type': 'application/json' }, payload: JSON.stringify(payload) });
    expect((await post({ login: 'health.clerk', password })).statusCode).toBe(401);
    const ok = await post({ login: 'health.clerk', password, code: codeFor('health.clerk', secret) });
    expect(ok.statusCode).toBe(200);
    expect(ok.json().user).toMatchObject({ departmentCode: 'health', roles: ['clerk'] });
    // Citizens have no second factor.
    expect((await post({ login: '13800000001', password })).statusCode).toBe(200);
  });

  it('lets a half-finished sign-in lapse after 10 minutes', async () => {
    const client = new TestClient(app);
    await client.submit('/staff', '/staff', { login: 'psb.clerk', password });
    expect((await client.get('/staff/second-factor')).statusCode).toBe(200);
    clock.advance(10 * 60_000 + 1000);
    const res = await client.get('/staff/second-factor');
    expect(res.statusCode).toBe(303);
    expect(res.headers.location).toBe('/staff');
  });

  it('sends someone without a pending sign-in away from the second-factor page', async () => {
    const res = await app.inject('/staff/second-factor');
    expect(res.statusCode).toBe(303);
    expect(res.headers.location).toBe('/staff');
  });
});
