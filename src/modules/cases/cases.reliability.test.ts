import { randomBytes } from 'node:crypto';
import { rm } from 'node:fs/promises';
import path from 'node:path';
import pg from 'pg';
import pino from 'pino';
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestContext, manualClock, testConfig, testDatabaseUrl, type TestContext } from '../../../test/helpers.js';
import { createUser } from '../../../test/factories.js';
import type { Actor } from '../../platform/auth/actor.js';
import { closeContext, createContext } from '../../platform/bootstrap.js';
import { openDatabase, type Database } from '../../platform/db/db.js';
import { notifications } from '../../platform/platform.schema.js';
import { exchangeModule } from '../exchange/index.js';
import { seedCatalog } from '../catalog/index.js';
import { applications, timeline } from './cases.schema.js';
import { defineCaseJobs } from './cases.jobs.js';
import {
  getApplication,
  getDraft,
  purgeOldDrafts,
  saveDraft,
  runSlaCheck,
  seedCalendar,
  startPayment,
  submitApplication,
  sweepSla,
  takeAction,
  resubmitApplication,
} from './cases.service.js';
import { actorOf, endorsementData, residentId, sampleFor, setIdNumber, tinyJpeg } from './cases.testkit.js';

describe('SLA clock: warning, escalation, pause', () => {
  const clock = manualClock(new Date('2026-11-23T02:00:00Z')); // Monday 10:00 in Chengdu
  let ctx: TestContext;
  let citizen: Actor;
  let clerk: Actor;
  let adminId: string;
  let clerkId: string;

  beforeAll(async () => {
    ctx = await createTestContext({ clock });
    await seedCatalog(ctx.db);
    await seedCalendar(ctx);
    const c = await createUser(ctx, { realName: '王芳' });
    await setIdNumber(ctx, c.id, residentId('51018219900215004'));
    citizen = await actorOf(ctx, c.id);
    clerkId = (await createUser(ctx, { kind: 'staff', departmentCode: 'tax', roles: ['clerk'], realName: '受理员' })).id;
    clerk = await actorOf(ctx, clerkId);
    adminId = (await createUser(ctx, { kind: 'staff', departmentCode: 'tax', roles: ['dept_admin'], realName: '科长' })).id;
  }, 60_000);
  afterAll(async () => ctx?.cleanup());

  const noticesOf = async (userId: string, template: string) =>
    (await ctx.db.select().from(notifications).where(eq(notifications.userId, userId))).filter((n) => n.template === template);

  const submit = async (key: string) => {
    const r = await submitApplication(ctx, citizen, {
      serviceCode: 'tax-payment-record',
      data: await sampleFor(ctx, citizen),
      delivery: { method: 'electronic' },
      idempotencyKey: key,
    });
    return (await ctx.db.select().from(applications).where(eq(applications.id, r.id)))[0]!;
  };

  it('warns the handling staff at 80% and escalates to the department admin on breach, once each', async () => {
    clock.set(new Date('2026-11-23T02:00:00Z'));
    const row = await submit('sla-1');
    expect(row.warnAt!.getTime()).toBeLessThan(row.promisedBy!.getTime());
    clock.set(new Date(row.warnAt!.getTime() - 60_000));
    expect(await runSlaCheck(ctx, 'warn', row.id, row.slaGeneration)).toBe(false);
    expect(await sweepSla(ctx)).toBe(0);
    clock.set(new Date(row.warnAt!.getTime() + 1000));
    // The minute's sweep is what warns: a submission queues no job of its own.
    expect(await sweepSla(ctx)).toBeGreaterThanOrEqual(1);
    expect(await runSlaCheck(ctx, 'warn', row.id, row.slaGeneration)).toBe(false);
    expect(await noticesOf(clerkId, 'cases-sla-warning')).toHaveLength(1);
    expect(await noticesOf(adminId, 'cases-sla-breach')).toHaveLength(0);
    expect(await runSlaCheck(ctx, 'breach', row.id, row.slaGeneration)).toBe(false);
    clock.set(new Date(row.promisedBy!.getTime() + 1000));
    // The sweep finds the breach even without the job.
    expect(await sweepSla(ctx)).toBeGreaterThanOrEqual(1);
    expect(await runSlaCheck(ctx, 'breach', row.id, row.slaGeneration)).toBe(false);
    expect(await noticesOf(adminId, 'cases-sla-breach')).toHaveLength(1);
    const view = await getApplication(ctx, clerk, row.id);
    expect(view.overdue).toBe(true);
  });

  it('stops during a correction: no warning while paused, old jobs do nothing, the deadline moves on resubmission', async () => {
    clock.set(new Date('2026-11-23T02:00:00Z'));
    const row = await submit('sla-2');
    await takeAction(ctx, clerk, row.id, { action: 'request_correction', comment: '请补正', items: [{ field: 'purpose', reason: '用途不明确' }] });
    clock.set(new Date(row.promisedBy!.getTime() + 86_400_000));
    expect(await sweepSla(ctx)).toBe(0);
    expect(await runSlaCheck(ctx, 'breach', row.id)).toBe(false);
    expect(await runSlaCheck(ctx, 'warn', row.id)).toBe(false);
    await resubmitApplication(ctx, citizen, row.id, { data: {} });
    const after = (await ctx.db.select().from(applications).where(eq(applications.id, row.id)))[0]!;
    expect(after.promisedBy!.getTime()).toBeGreaterThan(clock.now().getTime());
    expect(after.slaGeneration).toBeGreaterThan(row.slaGeneration);
    // A job of the generation before the pause does nothing even once its time has come.
    clock.set(new Date(after.promisedBy!.getTime() + 1000));
    expect(await runSlaCheck(ctx, 'breach', row.id, row.slaGeneration)).toBe(false);
    expect(await runSlaCheck(ctx, 'breach', row.id, after.slaGeneration)).toBe(true);
  });

  it('runs the SLA sweep every minute as a pg-boss schedule (kept across restarts)', async () => {
    await defineCaseJobs(ctx);
    const { rows } = await ctx.database.query(`SELECT cron FROM pgboss.schedule WHERE name = 'cases.sla.sweep'`);
    expect(rows.map((r) => r.cron)).toEqual(['* * * * *']);
  });

  it('keeps drafts for 30 days after their last change', async () => {
    clock.set(new Date('2026-11-23T02:00:00Z'));
    const draft = await saveDraft(ctx, citizen, { serviceCode: 'tax-payment-record', data: { purpose: '贷款', unknown: 'dropped' } });
    expect(draft.data).toEqual({ purpose: '贷款' });
    expect(await getDraft(ctx, citizen, draft.id)).not.toBeNull();
    expect(await getDraft(ctx, clerk, draft.id)).toBeNull();
    clock.set(new Date('2026-12-22T02:00:00Z'));
    expect(await purgeOldDrafts(ctx)).toBe(0);
    clock.set(new Date('2026-12-24T02:00:00Z'));
    expect(await purgeOldDrafts(ctx)).toBe(1);
    expect(await getDraft(ctx, citizen, draft.id)).toBeNull();
  });
});

/**
 * SIGKILL between "payment confirmed" and "application accepted": the payment's outbox event is committed,
 * the cases handler has not completed (here it crashes once, then the process is gone). A new process on
 * the same database dispatches the pending event: the application is paid and decided once, nothing lost
 * and nothing duplicated.
 */
describe('crash between payment and acceptance', () => {
  const dir = `/tmp/servicehall-crash-${process.pid}-${randomBytes(4).toString('hex')}`;
  let dbName: string | null = null;
  const clock = manualClock(new Date('2026-11-23T02:00:00Z'));

  const open = async (): Promise<Database> => {
    if (!testDatabaseUrl) return openDatabase({ pgliteDir: path.join(dir, 'pg') });
    const url = new URL(testDatabaseUrl);
    url.pathname = `/${dbName}`;
    return openDatabase({ databaseUrl: url.toString() });
  };
  const start = async () => createContext(testConfig({ DATA_DIR: dir }), { database: await open(), log: pino({ level: 'silent' }), clock });

  beforeAll(async () => {
    if (testDatabaseUrl) {
      dbName = `sh_crash_${process.pid}_${randomBytes(4).toString('hex')}`;
      const admin = new pg.Client({ connectionString: testDatabaseUrl });
      await admin.connect();
      await admin.query(`CREATE DATABASE ${dbName}`);
      await admin.end();
    }
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
    if (dbName && testDatabaseUrl) {
      const admin = new pg.Client({ connectionString: testDatabaseUrl });
      await admin.connect();
      await admin.query(`DROP DATABASE IF EXISTS ${dbName} WITH (FORCE)`);
      await admin.end();
    }
  });

  it('completes the pending step after a restart, once', async () => {
    // --- the first process: submit, pay, then die while applying the payment to the application
    const first = await start();
    await seedCatalog(first.db);
    // The exit-entry register the system's decision reads (this 张丽's permit is valid).
    await exchangeModule.seed!(first);
    await seedCalendar(first);
    const u = await createUser(first, { realName: '张丽' });
    const idNumber = residentId('51010719850312002');
    await setIdNumber(first, u.id, idNumber);
    const citizen = await actorOf(first, u.id);
    const photo = await first.files.store(first.db, { bytes: tinyJpeg, originalName: 'p.jpg', purpose: 'application', ownerUserId: u.id });
    const submitted = await submitApplication(first, citizen, {
      serviceCode: 'hk-macao-endorsement',
      data: endorsementData({ name: '张丽', idNumber, phone: u.phone ?? '' }, photo.id, { endorsementType: 'tourism' }),
      delivery: { method: 'window' },
      idempotencyKey: 'crash-1',
    });
    const { payUrl } = await startPayment(first, citizen, submitted.id);
    const chargeId = payUrl.split('/').pop() ?? '';
    await first.sandbox.payments?.settle(chargeId, 'paid');
    const paid = await first.payments.applyCallback('sandbox', {
      eventId: `${chargeId}:1`,
      providerRef: chargeId,
      type: 'paid',
      amountFen: 1500,
      occurredAt: clock.now(),
    });
    expect(paid.status).toBe('paid');
    let crashes = 0;
    first.outbox.on('payment.paid', 'cases.mark-paid', async () => {
      crashes++;
      throw new Error('SIGKILL');
    });
    const pendingEvent = await first.database.query(`SELECT id FROM platform_outbox_events WHERE type = 'payment.paid' AND dispatched_at IS NULL`);
    expect(pendingEvent.rows).toHaveLength(1);
    await expect(first.outbox.dispatch(String(pendingEvent.rows[0]!.id))).rejects.toThrow('SIGKILL');
    expect(crashes).toBe(1);
    expect((await getApplication(first, citizen, submitted.id)).status).toBe('submitted');
    await closeContext(first);

    // --- the restart: the pending event is dispatched to the real handlers
    const second = await start();
    try {
      await defineCaseJobs(second);
      await second.outbox.sweep(0);
      await second.outbox.sweep(0);
      // The provider's callback arrives again (it was queued before the crash): nothing changes.
      const again = await second.payments.applyCallback('sandbox', {
        eventId: `${chargeId}:1`,
        providerRef: chargeId,
        type: 'paid',
        amountFen: 1500,
        occurredAt: clock.now(),
      });
      expect(again).toEqual(paid);
      const events = await second.database.query(`SELECT id FROM platform_outbox_events WHERE type = 'payment.paid'`);
      expect(events.rows).toHaveLength(1);
      const view = await getApplication(second, citizen, submitted.id);
      expect(view.paid).toBe(true);
      expect(view.status).toBe('approved');
      expect(view.timeline.map((t) => t.action)).toEqual(['submit', 'paid', 'accept', 'start_review', 'approve']);
      expect((await second.payments.listForOrder(submitted.id)).map((p) => p.status)).toEqual(['paid']);
      expect(await second.db.select().from(applications).where(eq(applications.applicantId, u.id))).toHaveLength(1);
      expect(await second.db.select().from(timeline).where(eq(timeline.applicationId, submitted.id))).toHaveLength(5);
      // The same submission retried after the restart is still the same application.
      const retried = await submitApplication(second, citizen, { serviceCode: 'hk-macao-endorsement', data: {}, idempotencyKey: 'crash-1' });
      expect(retried).toMatchObject({ id: submitted.id, created: false });
    } finally {
      await closeContext(second);
    }
  }, 60_000);
});
