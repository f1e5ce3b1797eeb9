import type { Logger } from 'pino';
import type { Config } from '../config.js';
import type { Database, Db } from './db/db.js';
import type { Jobs } from './jobs/jobs.js';
import type { Notifier } from './notify/notify.js';
import type { Outbox } from './outbox/outbox.js';
import type { Files } from './files/files.js';
import type { Webhooks } from './webhooks/webhooks.js';
import type { Payments } from './payments/payments.js';
import type { SandboxPaymentProvider } from './payments/sandbox.js';
import type { Delivery } from './delivery/delivery.js';
import type { SandboxCourier } from './delivery/sandbox.js';

/** A source of the current time, injectable so tests can move it. */
export interface Clock {
  now(): Date;
}

export const systemClock: Clock = { now: () => new Date() };

/** What the platform hands to every module. */
export interface AppContext {
  config: Config;
  database: Database;
  db: Db;
  log: Logger;
  clock: Clock;
  jobs: Jobs;
  notify: Notifier;
  /** Domain events written in the business transaction, dispatched by jobs. */
  outbox: Outbox;
  /** Uploaded files under DATA_DIR/files. */
  files: Files;
  /** Signed, retried callbacks (sent by the sandbox providers, verified by the callback routes). */
  webhooks: Webhooks;
  /** The payment port. */
  payments: Payments;
  /** The courier port. */
  delivery: Delivery;
  /** The offline providers, when they are in use (their pages and test commands). */
  sandbox: { payments: SandboxPaymentProvider | null; courier: SandboxCourier | null };
}
