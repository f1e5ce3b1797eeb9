import path from 'node:path';
import pino, { type Logger } from 'pino';
import type { Config } from '../config.js';
import { systemClock, type AppContext, type Clock } from './context.js';
import { openDatabase, type Database } from './db/db.js';
import { createJobs } from './jobs/jobs.js';
import { createNotifier } from './notify/notifier.js';
import { createOutbox } from './outbox/outbox.js';
import { createFiles } from './files/files.js';
import { createWebhooks, fetchTransport } from './webhooks/webhooks.js';
import { createPaymentPort } from './payments/index.js';
import { createDeliveryPort } from './delivery/index.js';

export interface ContextOptions {
  /** An already open database (tests); otherwise opened from the config. */
  database?: Database;
  log?: Logger;
  clock?: Clock;
}

/** Opens the database, migrates it and creates the platform services every module uses. */
export async function createContext(config: Config, options: ContextOptions = {}): Promise<AppContext> {
  const log = options.log ?? pino({ level: config.logLevel });
  const database =
    options.database ??
    (await openDatabase({
      databaseUrl: config.databaseUrl,
      poolSize: config.databasePoolSize,
      pgliteDir: path.join(config.dataDir, 'pg'),
      onConnectionLost: (error) => log.warn({ err: error }, 'database connection lost; the pool opens another'),
    }));
  await database.migrate();
  const jobs = await createJobs(database, log);
  const notify = await createNotifier(database.db, jobs, log, { sandboxFailList: config.notifySandboxFail });
  const outbox = await createOutbox(database.db, jobs, log);
  const files = createFiles(database.db, { dataDir: config.dataDir, maxBytes: config.uploadMaxBytes });
  const clock = options.clock ?? systemClock;
  const webhooks = await createWebhooks(jobs, clock, log, {
    secret: config.webhookSecret,
    toleranceSeconds: config.webhookToleranceSeconds,
    transport: fetchTransport(config.publicUrl),
  });
  const paymentPort = createPaymentPort(database.db, outbox, webhooks, clock, config);
  const deliveryPort = await createDeliveryPort(database.db, outbox, webhooks, jobs, clock, config);
  return {
    config,
    database,
    db: database.db,
    log,
    clock,
    jobs,
    notify,
    outbox,
    files,
    webhooks,
    payments: paymentPort.payments,
    delivery: deliveryPort.delivery,
    sandbox: { payments: paymentPort.sandbox, courier: deliveryPort.sandbox },
  };
}

export async function closeContext(ctx: AppContext): Promise<void> {
  await ctx.jobs.stop();
  await ctx.database.close();
}
