import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, manualClock, TestClient, type TestContext } from '../../../test/helpers.js';
import { createUser, type TestUser } from '../../../test/factories.js';
import type { App } from '../../platform/http/types.js';
import { sessions, users } from '../../platform/db/schema.js';
import { calendarOf, chinaCalendar2026, deadline } from '../../platform/calendar/working-time.js';
import { eq } from 'drizzle-orm';
import { seedCatalog } from '../catalog/index.js';
import { defineHallJobs } from './hall.jobs.js';
import { departmentFigures, runSlaCheck } from './hall.service.js';

// Friday 27 November 2026, 10:00 in Chengdu.
const clock = manualClock(new Date('2026-11-27T02:00:00Z'));
const calendar = calendarOf(chinaCalendar2026);
let app: App;
let ctx: TestContext;
let citizen: TestUser;
let busAdmin: TestUser;
let busClerkEn: TestUser;
let busClerkZh: TestUser;
let housingAdmin: TestUser;
let housingClerk: TestUser;

const browserOf = (user: TestUser) => {
  const b = new TestClient(app);
  const [name, value] = user.cookie.split('=') as [string, string];
  b.cookies.set(name, value);
  return b;
};

const keepSessions = () => ctx.db.update(sessions).set({ expiresAt: new Date('2030-01-01T00:00:00Z') });

const form = (values: Record<string, [string, string]>) => {
  const all: Record<string, [string, string]> = {
    question: ['3', 'working_days'],
    complaint: ['12', 'hours'],
    suggestion: ['3', 'working_days'],
    report: ['12', 'hours'],
    ...values,
  };
  return Object.fromEntries(Object.entries(all).flatMap(([k, [v, u]]) => [[`${k}Value`, v] as const, [`${k}Unit`, u] as const]));
};

async function newPost(kind: string, department: string, title = '公交车司机态度差'): Promise<{ id: string; number: string }> {
  const res = await app.inject({
    method: 'POST',
    url: '/api/v1/hall/posts',
    headers: { authorization: citizen.authorization },
    payload: { kind, title, body: `乘坐公交车时司机态度很差。 @${department}` },
  });
  expect(res.statusCode).toBe(201);
  return res.json();
}

const answerDueOf = async (id: string): Promise<Date> => {
  const r = await ctx.database.query(`SELECT answer_due FROM hall_posts WHERE id = $1`, [id]);
  return new Date(r.rows[0]!.answer_due as Date | string);
};

const promiseRows = async (department: string) =>
  (await ctx.database.query(`SELECT kind, value, unit FROM hall_promises WHERE department_code = $1 ORDER BY kind`, [department])).rows;

beforeAll(async () => {
  ({ app, ctx } = await createTestApp({ clock, env: { HALL_POST_LIMIT: '50' } }));
  await seedCatalog(ctx.db);
  await defineHallJobs(ctx);
  citizen = await createUser(ctx, { realName: '张丽' });
  busAdmin = await createUser(ctx, { kind: 'staff', departmentCode: 'bus-group', roles: ['dept_admin'] });
  busClerkEn = await createUser(ctx, { kind: 'staff', departmentCode: 'bus-group', roles: ['clerk'] });
  busClerkZh = await createUser(ctx, { kind: 'staff', departmentCode: 'bus-group', roles: ['clerk'] });
  housingAdmin = await createUser(ctx, { kind: 'staff', departmentCode: 'housing', roles: ['dept_admin'] });
  housingClerk = await createUser(ctx, { kind: 'staff', departmentCode: 'housing', roles: ['clerk'] });
  await ctx.db.update(users).set({ locale: 'en' }).where(eq(users.id, busClerkEn.id));
  await keepSessions();
});

afterAll(async () => {
  await app.close();
  await ctx.cleanup();
});

describe("a department's promises", () => {
  it('shows the defaults to the department admin, in zh-CN and en; others may not open the page', async () => {
    const admin = browserOf(busAdmin);
    const zh = await admin.get('/staff/hall/promises');
    expect(zh.statusCode).toBe(200);
    expect(zh.body).toContain('办理时限承诺');
    expect(zh.body).toMatch(/id="complaintValue"[^>]*value="12"|value="12"[^>]*id="complaintValue"/);
    expect(zh.body).toContain('（默认）');
    const en = await admin.get('/staff/hall/promises?lang=en');
    expect(en.body).toContain('Response-time promises');
    expect(en.body).toContain('working days');
    // The console links to it for the admin only.
    expect((await admin.get('/staff/hall')).body).toContain('/staff/hall/promises');
    expect((await browserOf(busClerkZh).get('/staff/hall')).body).not.toContain('/staff/hall/promises');
    expect((await browserOf(busClerkZh).get('/staff/hall/promises')).statusCode).toBe(403);
    expect((await browserOf(citizen).get('/staff/hall/promises')).statusCode).toBe(403);
    const anonymous = await app.inject({ method: 'GET', url: '/staff/hall/promises' });
    expect([302, 303, 401]).toContain(anonymous.statusCode);
  });

  it('refuses zero, negative, absurdly large, non-numeric values and unknown units with an error summary, storing nothing', async () => {
    const admin = browserOf(busAdmin);
    const bad: [Record<string, [string, string]>, string, string][] = [
      [{ complaint: ['0', 'hours'] }, 'complaintValue', '1 到 720'],
      [{ complaint: ['-3', 'hours'] }, 'complaintValue', '请填写大于 0 的整数'],
      [{ complaint: ['100000', 'hours'] }, 'complaintValue', '1 到 720'],
      [{ complaint: ['721', 'hours'] }, 'complaintValue', '1 到 720'],
      [{ suggestion: ['61', 'working_days'] }, 'suggestionValue', '1 到 60'],
      [{ question: ['abc', 'working_days'] }, 'questionValue', '请填写大于 0 的整数'],
      [{ question: ['2.5', 'working_days'] }, 'questionValue', '请填写大于 0 的整数'],
      [{ report: ['', 'hours'] }, 'reportValue', '请填写大于 0 的整数'],
      [{ report: ['12', 'minutes'] }, 'reportUnit', '请选择小时或工作日'],
      [{ complaint: ['99999999999999999999', 'hours'] }, 'complaintValue', '请填写大于 0 的整数'],
    ];
    for (const [values, field, message] of bad) {
      const res = await admin.submit('/staff/hall/promises', '/staff/hall/promises', form(values));
      expect(res.statusCode, JSON.stringify(values)).toBe(400);
      expect(res.body).toContain('error-summary');
      expect(res.body).toContain(`href="#${field}"`);
      expect(res.body).toContain(message);
    }
    // The input is kept as typed.
    const kept = await admin.submit('/staff/hall/promises', '/staff/hall/promises', form({ complaint: ['-3', 'hours'] }));
    expect(kept.body).toMatch(/value="-3"/);
    // In English too.
    const en = await admin.submit('/staff/hall/promises?lang=en', '/staff/hall/promises?lang=en', form({ complaint: ['0', 'hours'] }));
    expect(en.statusCode).toBe(400);
    expect(en.body).toContain('enter a whole number from 1 to 720');
    expect(await promiseRows('bus-group')).toEqual([]);
    // Without the CSRF token: refused.
    const forged = await admin.request('POST', '/staff/hall/promises', new URLSearchParams(form({ complaint: ['2', 'hours'] })).toString(), {
      'content-type': 'application/x-www-form-urlencoded',
    });
    expect(forged.statusCode).toBe(403);
    // A clerk cannot set them.
    const clerk = await browserOf(busClerkZh).submit('/staff/hall', '/staff/hall/promises', form({ complaint: ['2', 'hours'] }));
    expect(clerk.statusCode).toBe(403);
    expect(await promiseRows('bus-group')).toEqual([]);
  });

  it('saves the promises (audited); new posts get the deadline of the promise in force, other departments keep the defaults', async () => {
    const admin = browserOf(busAdmin);
    const res = await admin.submit('/staff/hall/promises', '/staff/hall/promises', form({ complaint: ['2', 'hours'], suggestion: ['1', 'working_days'] }));
    expect(res.statusCode).toBe(303);
    expect(res.headers.location).toBe('/staff/hall/promises?saved=1');
    const page = await admin.get('/staff/hall/promises?saved=1');
    expect(page.body).toContain('已保存');
    expect(page.body).toMatch(/id="complaintValue"[^>]*value="2"|value="2"[^>]*id="complaintValue"/);
    expect(await promiseRows('bus-group')).toContainEqual({ kind: 'complaint', value: 2, unit: 'hours' });
    const audit = await ctx.database.query(`SELECT actor_id, detail FROM platform_audit_log WHERE action = 'hall.promise.save' AND resource_id = 'bus-group'`);
    expect(audit.rows).toHaveLength(1);
    expect(audit.rows[0]!.actor_id).toBe(busAdmin.id);
    expect((audit.rows[0]!.detail as { after: Record<string, string> }).after.complaint).toBe('2 hours');

    const now = clock.now();
    const complaint = await newPost('complaint', 'bus-group');
    expect((await answerDueOf(complaint.id)).getTime()).toBe(now.getTime() + 2 * 3600_000);
    const suggestion = await newPost('suggestion', 'bus-group', '建议增加夜班公交');
    // One working day from Friday 10:00: Monday, not the default three working days.
    const oneDay = deadline(calendar, now, 1, 'working_days');
    expect((await answerDueOf(suggestion.id)).getTime()).toBe(oneDay.getTime());
    expect(oneDay.getTime()).toBeLessThan(deadline(calendar, now, 3, 'working_days').getTime());
    // Questions keep the default (3 working days); another department keeps 12 hours.
    const question = await newPost('question', 'bus-group', '公交卡怎么办理');
    expect((await answerDueOf(question.id)).getTime()).toBe(deadline(calendar, now, 3, 'working_days').getTime());
    const elsewhere = await newPost('complaint', 'housing', '小区物业不作为');
    expect((await answerDueOf(elsewhere.id)).getTime()).toBe(now.getTime() + 12 * 3600_000);
  });

  it('counts each post against the promise in force when it was routed, in the public figures', async () => {
    const admin = browserOf(housingAdmin);
    const setComplaint = async (hours: string) =>
      expect((await admin.submit('/staff/hall/promises', '/staff/hall/promises', form({ complaint: [hours, 'hours'] }))).statusCode).toBe(303);
    const before = (await departmentFigures(ctx, 'housing'))[0];
    await setComplaint('1');
    const tight = await newPost('complaint', 'housing', '楼道灯不亮');
    await setComplaint('48');
    const loose = await newPost('complaint', 'housing', '电梯经常坏');
    clock.advance(3 * 3600_000);
    for (const post of [tight, loose]) {
      const reply = await app.inject({
        method: 'POST',
        url: `/api/v1/hall/posts/${post.id}/replies`,
        headers: { authorization: housingClerk.authorization },
        payload: { kind: 'reply', body: '已安排物业公司检查处理。' },
      });
      expect(reply.statusCode).toBe(200);
    }
    const figures = (await departmentFigures(ctx, 'housing'))[0]!;
    // The earlier housing post (12 h default, unanswered, not yet due) does not count; of the two answered
    // 3 hours after routing, the one promised within an hour was late.
    expect(before?.withinPromiseShare ?? null).toBeNull();
    expect(figures.withinPromiseShare).toBe(0.5);
    // The public account page shows the same figure.
    const pageZh = await app.inject({ method: 'GET', url: '/hall/accounts/housing' });
    expect(pageZh.body).toContain('50%');
  });
});

describe('reminders and escalations in the staff member’s language', () => {
  it('sends the reminder and the escalation in English to staff who chose English, in Chinese to the others', async () => {
    const post = await newPost('complaint', 'bus-group', '司机不让老人上车');
    // The bus group promises 2 hours for complaints: the reminder comes at 96 minutes.
    clock.advance(97 * 60_000);
    expect(await runSlaCheck(ctx, post.id, 0, 'warn')).toBe(true);
    clock.advance(30 * 60_000);
    expect(await runSlaCheck(ctx, post.id, 0, 'breach')).toBe(true);
    const sent = async (userId: string) =>
      (
        await ctx.database.query(
          `SELECT template, locale, subject, body FROM platform_notifications WHERE user_id = $1 AND channel = 'inbox' AND params->>'number' = $2 ORDER BY template`,
          [userId, post.number],
        )
      ).rows as { template: string; locale: string; subject: string; body: string }[];
    const en = await sent(busClerkEn.id);
    expect(en.map((n) => [n.template, n.locale])).toEqual([
      ['hall-sla-breach', 'en'],
      ['hall-sla-warn', 'en'],
    ]);
    expect(en[1]!.subject).toContain('is nearly due');
    // The deadline in Chengdu time, not an ISO string.
    const due = await answerDueOf(post.id);
    const local = new Date(due.getTime() + 8 * 3600_000).toISOString();
    expect(en[1]!.body).toContain(`${local.slice(0, 10)} ${local.slice(11, 16)} (UTC+8)`);
    const zh = await sent(busClerkZh.id);
    expect(zh.map((n) => [n.template, n.locale])).toEqual([
      ['hall-sla-breach', 'zh-CN'],
      ['hall-sla-warn', 'zh-CN'],
    ]);
    expect(zh[1]!.subject).toContain('即将超过承诺时限');
  });
});
