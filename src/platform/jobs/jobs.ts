import { sql, type SQL } from 'drizzle-orm';
import PgBoss from 'pg-boss';
import type { Logger } from 'pino';
import type { Database, Executor } from '../db/db.js';

export interface JobInfo {
  id: string;
  /** 0 on the first attempt, 1 on the first retry, and so on. */
  retryCount: number;
  retryLimit: number;
}

export type JobHandler<T> = (data: T, job: JobInfo) => Promise<void>;

export interface SendOptions {
  /** Delay before the job may run. */
  startAfterSeconds?: number;
  /** With singletonSeconds: at most one job with this key per window (throttling). */
  singletonKey?: string;
  singletonSeconds?: number;
  retryLimit?: number;
  /**
   * Queue the job inside this transaction: it becomes visible to workers when the transaction
   * commits and vanishes if it rolls back (pg-boss keeps its jobs in the same database).
   */
  executor?: Executor;
}

export interface DefineOptions {
  retryLimit?: number;
  retryDelaySeconds?: number;
  /** Exponential backoff between retries (default true). */
  retryBackoff?: boolean;
  /** How long one attempt may run before pg-boss counts it as failed. */
  expireInSeconds?: number;
}

/** Durable jobs on the platform database (pg-boss): retried, scheduled, surviving restarts. */
export interface Jobs {
  define<T extends object>(queue: string, handler: JobHandler<T>, options?: DefineOptions): Promise<void>;
  send<T extends object>(queue: string, data: T, options?: SendOptions): Promise<string | null>;
  /** Runs `queue` on a cron schedule (minute granularity); pg-boss makes one instance send it. */
  schedule(queue: string, cron: string, data?: object): Promise<void>;
  /** Starts working the defined queues (the serve and worker roles do; tests call it when they need it). */
  work(): Promise<void>;
  stop(): Promise<void>;
}

/** Turns pg-boss's `$n` SQL into a Drizzle query, so it runs on the caller's transaction. */
function toDrizzle(text: string, values: unknown[] = []): SQL {
  const parts = text.split(/\$(\d+)/);
  const chunks: SQL[] = [];
  parts.forEach((part, i) => {
    if (i % 2 === 0) chunks.push(sql.raw(part));
    else {
      const value = values[Number(part) - 1];
      // Objects go to the driver as JSON text, exactly as pg-boss would send them itself.
      chunks.push(sql`${value !== null && typeof value === 'object' && !(value instanceof Date) ? JSON.stringify(value) : (value ?? null)}`);
    }
  });
  return sql.join(chunks);
}

function executorDb(executor: Executor) {
  return {
    executeSql: async (text: string, values?: unknown[]) => {
      const result: unknown = await executor.execute(toDrizzle(text, values));
      return { rows: Array.isArray(result) ? (result as unknown[]) : ((result as { rows?: unknown[] }).rows ?? []) };
    },
  };
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
    await boss.work<object>(queue, { pollingIntervalSeconds: 0.5, batchSize: 1, includeMetadata: true }, async ([job]) => {
      if (!job) return;
      try {
        await handler(job.data, { id: job.id, retryCount: job.retryCount, retryLimit: job.retryLimit });
      } catch (error) {
        log.warn({ err: error, queue, jobId: job.id, retryCount: job.retryCount }, 'job failed; pg-boss retries it if attempts remain');
        throw error;
      }
    });
  };

  return {
    async define(queue, handler, options = {}) {
      await boss.createQueue(queue, {
        name: queue,
        retryLimit: options.retryLimit ?? 5,
        retryDelay: options.retryDelaySeconds ?? 5,
        retryBackoff: options.retryBackoff ?? true,
        ...(options.expireInSeconds ? { expireInSeconds: options.expireInSeconds } : {}),
      });
      handlers.set(queue, handler as JobHandler<object>);
      if (working) await attach(queue, handler as JobHandler<object>);
    },
    async send(queue, data, options = {}) {
      return boss.send(queue, data, {
        ...(options.startAfterSeconds ? { startAfter: options.startAfterSeconds } : {}),
        ...(options.singletonKey ? { singletonKey: options.singletonKey } : {}),
        ...(options.singletonSeconds ? { singletonSeconds: options.singletonSeconds } : {}),
        ...(options.retryLimit !== undefined ? { retryLimit: options.retryLimit } : {}),
        ...(options.executor ? { db: executorDb(options.executor) } : {}),
      });
    },
    async schedule(queue, cron, data = {}) {
      await boss.schedule(queue, cron, data);
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
