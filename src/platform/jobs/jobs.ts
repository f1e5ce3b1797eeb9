import PgBoss from 'pg-boss';
import type { Logger } from 'pino';
import type { Database } from '../db/db.js';

export type JobHandler<T> = (data: T, job: { id: string; retryCount: number }) => Promise<void>;

export interface SendOptions {
  /** Delay before the job may run. */
  startAfterSeconds?: number;
  /** Only one job with this key is queued at a time (idempotent scheduling). */
  singletonKey?: string;
  retryLimit?: number;
}

/** Durable jobs on the platform database (pg-boss): retried, scheduled, surviving restarts. */
export interface Jobs {
  define<T extends object>(queue: string, handler: JobHandler<T>, options?: { retryLimit?: number; retryDelaySeconds?: number }): Promise<void>;
  send<T extends object>(queue: string, data: T, options?: SendOptions): Promise<string | null>;
  /** Starts working the defined queues (the serve and worker roles do; tests call it when they need it). */
  work(): Promise<void>;
  stop(): Promise<void>;
}

export async function createJobs(database: Database, log: Logger): Promise<Jobs> {
  const boss = new PgBoss({
    db: { executeSql: (text: string, values?: unknown[]) => database.query(text, values) },
    schema: 'pgboss',
    // Maintenance and cron run in every instance; pg-boss coordinates them through the database.
    supervise: true,
    schedule: true,
  });
  boss.on('error', (error: Error) => log.error({ err: error }, 'job runner error'));
  await boss.start();
  const handlers = new Map<string, JobHandler<object>>();
  let working = false;

  const attach = async (queue: string, handler: JobHandler<object>) => {
    await boss.work<object>(queue, { pollingIntervalSeconds: 0.5, batchSize: 1 }, async ([job]) => {
      if (!job) return;
      await handler(job.data, { id: job.id, retryCount: (job as unknown as { retryCount?: number }).retryCount ?? 0 });
    });
  };

  return {
    async define(queue, handler, options = {}) {
      await boss.createQueue(queue, { name: queue, retryLimit: options.retryLimit ?? 5, retryDelay: options.retryDelaySeconds ?? 5, retryBackoff: true });
      handlers.set(queue, handler as JobHandler<object>);
      if (working) await attach(queue, handler as JobHandler<object>);
    },
    async send(queue, data, options = {}) {
      return boss.send(queue, data, {
        ...(options.startAfterSeconds ? { startAfter: options.startAfterSeconds } : {}),
        ...(options.singletonKey ? { singletonKey: options.singletonKey } : {}),
        ...(options.retryLimit !== undefined ? { retryLimit: options.retryLimit } : {}),
      });
    },
    async work() {
      if (working) return;
      working = true;
      for (const [queue, handler] of handlers) await attach(queue, handler);
    },
    async stop() {
      await boss.stop({ graceful: true, wait: true, timeout: 10_000 });
    },
  };
}
