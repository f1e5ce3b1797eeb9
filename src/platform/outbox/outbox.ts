import { and, asc, eq, isNull, lte, sql } from 'drizzle-orm';
import type { Logger } from 'pino';
import type { Db, Executor, Tx } from '../db/db.js';
import type { Jobs } from '../jobs/jobs.js';
import { outboxEvents, outboxHandled } from '../platform.schema.js';

export interface OutboxEvent {
  id: string;
  type: string;
  payload: Record<string, unknown>;
  createdAt: Date;
}

/**
 * Applies one event. It runs in a transaction that also records its completion, so its own writes
 * through `tx` happen exactly once. Effects outside the database must be idempotent (key them by
 * event.id), or be queued as jobs with `jobs.send(..., { executor: tx })`, which commit with the mark.
 */
export type OutboxHandler = (event: OutboxEvent, tx: Tx) => Promise<void>;

export interface Outbox {
  /** Records a domain event in the business transaction; it is dispatched only if that commits. */
  emit(executor: Executor, type: string, payload: Record<string, unknown>): Promise<string>;
  /** Registers a handler by a stable name (the name keys its completion records). */
  on(type: string, name: string, handler: OutboxHandler): void;
  /** Dispatches one event to every handler that has not applied it yet; throws if any handler failed. */
  dispatch(eventId: string): Promise<void>;
  /** Dispatches every pending event older than `olderThanSeconds` (the periodic sweep); returns how many were done. */
  sweep(olderThanSeconds?: number): Promise<number>;
}

export const outboxDispatchQueue = 'platform.outbox.dispatch';
export const outboxSweepQueue = 'platform.outbox.sweep';

export interface OutboxOptions {
  retryLimit?: number;
  retryDelaySeconds?: number;
  /** Test seam: called after a handler ran and before its completion is committed (to simulate a crash there). */
  beforeMark?: (event: OutboxEvent, handlerName: string) => Promise<void>;
  /** Define the dispatch and sweep jobs (default true; a test's second dispatcher leaves them to the first). */
  defineJobs?: boolean;
}

/**
 * The transactional outbox. `emit` writes the event and, in the same transaction, queues a pg-boss
 * job that dispatches it: the nudge becomes visible exactly when the business transaction commits
 * (pg-boss keeps its jobs in the same database), so there is no window where the event exists but
 * nobody is told, and nothing is dispatched for a rolled-back transaction. A sweep every minute picks
 * up events whose job ran out of retries.
 */
export async function createOutbox(db: Db, jobs: Jobs, log: Logger, options: OutboxOptions = {}): Promise<Outbox> {
  const handlers = new Map<string, { name: string; handler: OutboxHandler }[]>();

  const dispatch = async (eventId: string): Promise<void> => {
    const [event] = await db.select().from(outboxEvents).where(eq(outboxEvents.id, eventId));
    if (!event || event.dispatchedAt) return;
    const list = handlers.get(event.type) ?? [];
    const failures: string[] = [];
    for (const { name, handler } of list) {
      try {
        await db.transaction(async (tx) => {
          // Serialises dispatchers of the same event (two instances, a retry and the sweep).
          await tx.select({ id: outboxEvents.id }).from(outboxEvents).where(eq(outboxEvents.id, event.id)).for('update');
          const [done] = await tx
            .select({ handler: outboxHandled.handler })
            .from(outboxHandled)
            .where(and(eq(outboxHandled.eventId, event.id), eq(outboxHandled.handler, name)));
          if (done) return;
          await handler(event, tx);
          await options.beforeMark?.(event, name);
          await tx.insert(outboxHandled).values({ eventId: event.id, handler: name });
        });
      } catch (error) {
        failures.push(`${name}: ${error instanceof Error ? error.message : String(error)}`);
        log.warn({ err: error, eventId, type: event.type, handler: name }, 'outbox handler failed; it will be retried');
      }
    }
    if (failures.length) {
      await db
        .update(outboxEvents)
        .set({ attempts: sql`${outboxEvents.attempts} + 1`, lastError: failures.join('; ').slice(0, 2000) })
        .where(eq(outboxEvents.id, event.id));
      throw new Error(`Outbox event ${event.id} (${event.type}): ${failures.join('; ')}`);
    }
    await db
      .update(outboxEvents)
      .set({ dispatchedAt: new Date(), attempts: sql`${outboxEvents.attempts} + 1`, lastError: null })
      .where(eq(outboxEvents.id, event.id));
  };

  const sweep = async (olderThanSeconds = 60): Promise<number> => {
    // The database's clock, not this process's: created_at has microseconds (a JS Date only milliseconds,
    // so an event written in the same millisecond looked newer than a 0-second cutoff), and in server mode
    // the two clocks may differ.
    const cutoff = sql`now() - make_interval(secs => ${olderThanSeconds})`;
    const pending = await db
      .select({ id: outboxEvents.id })
      .from(outboxEvents)
      .where(and(isNull(outboxEvents.dispatchedAt), lte(outboxEvents.createdAt, cutoff)))
      .orderBy(asc(outboxEvents.createdAt))
      .limit(500);
    let done = 0;
    for (const { id } of pending) {
      try {
        await dispatch(id);
        done++;
      } catch {
        // Logged in dispatch; the next sweep tries again.
      }
    }
    return done;
  };

  if (options.defineJobs ?? true) {
    await jobs.define<{ eventId: string }>(outboxDispatchQueue, async ({ eventId }) => dispatch(eventId), {
      retryLimit: options.retryLimit ?? 8,
      retryDelaySeconds: options.retryDelaySeconds ?? 2,
    });
    await jobs.define(outboxSweepQueue, async () => void (await sweep()), { retryLimit: 0 });
    await jobs.schedule(outboxSweepQueue, '* * * * *');
  }

  return {
    async emit(executor, type, payload) {
      const [row] = await executor.insert(outboxEvents).values({ type, payload }).returning({ id: outboxEvents.id });
      if (!row) throw new Error('Outbox insert returned nothing');
      await jobs.send(outboxDispatchQueue, { eventId: row.id }, { executor });
      return row.id;
    },
    on(type, name, handler) {
      const list = handlers.get(type) ?? [];
      if (list.some((h) => h.name === name)) throw new Error(`Outbox handler "${name}" is already registered for ${type}`);
      list.push({ name, handler });
      handlers.set(type, list);
    },
    dispatch,
    sweep,
  };
}
