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

interface DriverClient {
  query(text: string, values?: unknown[]): Promise<{ rows?: unknown[] } | { rows?: unknown[] }[]>;
}

/**
 * pg-boss's SQL run on the caller's transaction. It goes to the driver connection that Drizzle holds
 * for the transaction (a pg PoolClient or a PGlite transaction), not through Drizzle's query builder:
 * pg-boss repeats `$n` parameters, which Drizzle would split into separately typed parameters.
 */
function executorDb(executor: Executor) {
  const client = (executor as unknown as { session?: { client?: DriverClient } }).session?.client;
  if (!client || typeof client.query !== 'function') throw new Error('Cannot find the driver connection of this transaction');
  return {
    executeSql: async (text: string, values?: unknown[]) => {
      const result = await client.query(text, values);
      const last = Array.isArray(result) ? result[result.length - 1] : result;
      return { rows: last?.rows ?? [] };
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
