import { eq, inArray } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { registerMessages } from '../src/platform/i18n/i18n.js';
import { notifications } from '../src/platform/platform.schema.js';
import { checkNoticeBundle, noticeTemplate, renderNotice } from '../src/platform/notify/templates.js';
import type { SandboxProvider } from '../src/platform/notify/providers.js';
import { createTestContext, type TestContext } from './helpers.js';
import { createUser, waitFor, type TestUser } from './factories.js';

const bundle = {
  'zh-CN': {
    'notice.test-accepted.subject': '申请 {ref} 已受理',
    'notice.test-accepted.body': '{name}，您的申请 {ref} 已受理，承诺 {days} 个工作日内办结。',
    'notice.test-accepted.sms': '【成都政务服务网】申请 {ref} 已受理。',
  },
  en: {
    'notice.test-accepted.subject': 'Application {ref} accepted',
    'notice.test-accepted.body': '{name}, your application {ref} was accepted and will be completed within {days} working days.',
    'notice.test-accepted.sms': 'Chengdu Government Services: application {ref} accepted.',
  },
};
registerMessages(bundle);

const failingPhone = '13900000999';
let ctx: TestContext;
let sms: SandboxProvider;
let email: SandboxProvider;
let user: TestUser;

beforeAll(async () => {
  ctx = await createTestContext({ env: { NOTIFY_SANDBOX_FAIL: `${failingPhone},bounce@example.com` } });
  if (!ctx.notify.sandbox) throw new Error('the sandbox providers should be in use');
  ({ sms, email } = ctx.notify.sandbox);
  user = await createUser(ctx);
});
afterAll(async () => {
  await ctx.cleanup();
});

const rowsOf = (ids: string[]) => ctx.db.select().from(notifications).where(inArray(notifications.id, ids));
const rowOf = async (id: string) => (await rowsOf([id]))[0];

let refCounter = 0;
const notice = (over: { phone?: string; email?: string; channels?: ('inbox' | 'sms' | 'email')[]; locale?: 'zh-CN' | 'en' } = {}) => ({
  userId: user.id,
  channels: over.channels ?? (['inbox', 'sms', 'email'] as const).slice(),
  phone: over.phone ?? '13800001111',
  email: over.email ?? 'citizen@example.com',
  template: 'test-accepted',
  params: { ref: `SH-${++refCounter}`, name: '张三', days: 5 },
  locale: over.locale ?? ('zh-CN' as const),
});

describe('templates', () => {
  it('renders both languages, with a shorter text for SMS when the template has one', () => {
    expect(renderNotice('test-accepted', 'en', { ref: 'R1', name: 'Li', days: 3 })).toEqual({
      subject: 'Application R1 accepted',
      body: 'Li, your application R1 was accepted and will be completed within 3 working days.',
      sms: 'Chengdu Government Services: application R1 accepted.',
    });
    expect(renderNotice('test-accepted', 'zh-CN', { ref: 'R1', name: '李四', days: 3 }).subject).toBe('申请 R1 已受理');
    expect(noticeTemplate('test-accepted').placeholders).toEqual(['days', 'name', 'ref']);
  });

  it('refuses an unknown template or a missing placeholder, so no notice shows "{ref}"', async () => {
    expect(() => renderNotice('no-such-template', 'en')).toThrow(/not registered/);
    expect(() => renderNotice('test-accepted', 'en', { ref: 'R1' })).toThrow(/needs days, name/);
    await expect(ctx.notify.send(ctx.db, { ...notice(), params: {} })).rejects.toThrow(/needs/);
  });

  it('checks a bundle: both languages use the same placeholders', () => {
    expect(checkNoticeBundle(bundle)).toEqual([]);
    const broken = { 'zh-CN': { 'notice.x.subject': '{a}', 'notice.x.body': 'b' }, en: { 'notice.x.subject': '{b}', 'notice.x.body': 'b' } };
    expect(checkNoticeBundle(broken)).toEqual(['notice.x.subject uses {a} in zh-CN but {b} in en']);
  });
});

describe('send', () => {
  it("writes one row per channel in the caller's transaction", async () => {
    const ids = await ctx.db.transaction(async (tx) => ctx.notify.send(tx, notice({ locale: 'en' })));
    const rows = await rowsOf(ids);
    expect(rows.map((r) => [r.channel, r.recipient, r.status]).sort()).toEqual(
      [
        ['email', 'citizen@example.com', 'queued'],
        ['inbox', user.id, 'delivered'],
        ['sms', '13800001111', 'queued'],
      ].sort(),
    );
    expect(rows.find((r) => r.channel === 'sms')?.body).toMatch(/^Chengdu Government Services: application SH-\d+ accepted\.$/);
    expect(rows.find((r) => r.channel === 'email')?.subject).toMatch(/^Application SH-\d+ accepted$/);
  });

  it('leaves neither rows nor delivery jobs behind when the transaction rolls back', async () => {
    let ids: string[] = [];
    await ctx.db
      .transaction(async (tx) => {
        ids = await ctx.notify.send(tx, notice());
        tx.rollback();
      })
      .catch(() => undefined);
    expect(ids).toHaveLength(3);
    expect(await rowsOf(ids)).toEqual([]);
    const { rows } = await ctx.database.query(`SELECT count(*)::int AS n FROM pgboss.job WHERE data->>'notificationId' = ANY($1)`, [ids]);
    expect(Number(rows[0]?.n)).toBe(0);
  });
});

describe('delivery attempts (run directly, as the job does)', () => {
  it('never sends twice once sent, even if the process died after the provider accepted', async () => {
    const [id = ''] = await ctx.notify.send(ctx.db, notice({ channels: ['sms'], phone: '13800002222' }));
    // The provider accepted the message, then the process died before recording it.
    await sms.send({ id, channel: 'sms', to: '13800002222', subject: null, body: 'x' });
    await ctx.notify.deliver(id);
    await ctx.notify.deliver(id);
    expect(sms.messages().filter((m) => m.id === id)).toHaveLength(1);
    expect(await rowOf(id)).toMatchObject({ status: 'sent', attempts: 1 });
    expect(await ctx.notify.checkReceipt(id)).toBe('delivered');
    expect((await rowOf(id))?.deliveredAt).toBeInstanceOf(Date);
  });

  it('retries while the gateway is down and gives up after the last attempt', async () => {
    const [id = ''] = await ctx.notify.send(ctx.db, notice({ channels: ['email'], email: 'down@example.com' }));
    email.setRefusing(true);
    try {
      for (let i = 1; i <= 4; i++) {
        await expect(ctx.notify.deliver(id)).rejects.toThrow(/unavailable/);
        expect(await rowOf(id)).toMatchObject({ status: 'retrying', attempts: i });
      }
      await ctx.notify.deliver(id); // the fifth attempt gives up without throwing, so the job ends
      expect(await rowOf(id)).toMatchObject({ status: 'failed', attempts: 5 });
      await ctx.notify.deliver(id);
      expect((await rowOf(id))?.attempts).toBe(5);
    } finally {
      email.setRefusing(false);
    }
    expect(email.messages().filter((m) => m.id === id)).toEqual([]);
  });

  it('fails a malformed recipient at once, without retries', async () => {
    const [id = ''] = await ctx.notify.send(ctx.db, notice({ channels: ['sms'], phone: 'not-a-number' }));
    await ctx.notify.deliver(id);
    expect(await rowOf(id)).toMatchObject({ status: 'failed', attempts: 1 });
  });
});

describe('delivery jobs', () => {
  beforeAll(async () => {
    await ctx.jobs.work();
  });

  it('delivers SMS and e-mail through the sandbox: sent, then delivered', async () => {
    const ids = await ctx.db.transaction(async (tx) => ctx.notify.send(tx, notice({ phone: '13800003333', email: 'ok@example.com' })));
    await waitFor(async () => (await rowsOf(ids)).every((r) => r.status === 'delivered'), 15_000);
    const rows = await rowsOf(ids);
    expect(rows.filter((r) => r.channel !== 'inbox').every((r) => r.sentAt && r.providerRef && r.attempts === 1)).toBe(true);
    expect(sms.lastTo('13800003333')?.body).toMatch(/^【成都政务服务网】申请 SH-\d+ 已受理。$/);
    expect(email.lastTo('ok@example.com')?.subject).toMatch(/^申请 SH-\d+ 已受理$/);
  });

  it('reports a recipient on the fail-list as failed after sending', async () => {
    const ids = await ctx.notify.send(ctx.db, notice({ channels: ['sms', 'email'], phone: failingPhone, email: 'bounce@example.com' }));
    await waitFor(async () => (await rowsOf(ids)).every((r) => r.status === 'failed'), 15_000);
    const rows = await rowsOf(ids);
    expect(rows.every((r) => r.sentAt !== null && r.lastError?.includes('undeliverable'))).toBe(true);
  });

  it('retries a refused send as a job with backoff, and sends it once', async () => {
    sms.failNext(1);
    const [id = ''] = await ctx.notify.send(ctx.db, notice({ channels: ['sms'], phone: '13800004444' }));
    await waitFor(async () => (await rowOf(id))?.status === 'retrying', 5_000);
    await waitFor(async () => (await rowOf(id))?.status === 'delivered', 15_000);
    expect(await rowOf(id)).toMatchObject({ attempts: 2 });
    expect(sms.messages().filter((m) => m.id === id)).toHaveLength(1);
    const [row] = await ctx.db.select({ lastError: notifications.lastError }).from(notifications).where(eq(notifications.id, id));
    expect(row?.lastError).toBeNull();
  }, 20_000);
});
