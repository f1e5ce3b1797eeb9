import { eq, sql } from 'drizzle-orm';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { outboxEvents, outboxHandled } from '../src/platform/platform.schema.js';
import { createOutbox, type OutboxEvent } from '../src/platform/outbox/outbox.js';
import { createTestContext, type TestContext } from './helpers.js';
import { waitFor } from './factories.js';

let ctx: TestContext;
beforeAll(async () => {
  ctx = await createTestContext();
  // A table standing in for a module's own data, written by handlers in the dispatch transaction.
  await ctx.database.query('CREATE TABLE test_outbox_effects (event_id uuid NOT NULL, handler text NOT NULL)');
  await ctx.jobs.work();
});
afterAll(async () => {
  await ctx.cleanup();
});

async function effects(eventId: string, handler?: string): Promise<number> {
  const { rows } = await ctx.database.query(
    `SELECT count(*)::int AS n FROM test_outbox_effects WHERE event_id = $1 ${handler ? 'AND handler = $2' : ''}`,
    handler ? [eventId, handler] : [eventId],
  );
  return Number(rows[0]?.n);
}

async function pendingRow(id: string) {
  const [row] = await ctx.db.select().from(outboxEvents).where(eq(outboxEvents.id, id));
  return row;
}

describe('outbox', () => {
  it('dispatches a committed event to each handler of its type, once', async () => {
    const seen: string[] = [];
    ctx.outbox.on('test.committed', 'a', async (event) => void seen.push(`a:${String(event.payload.n)}`));
    ctx.outbox.on('test.committed', 'b', async (event) => void seen.push(`b:${String(event.payload.n)}`));
    const id = await ctx.db.transaction(async (tx) => ctx.outbox.emit(tx, 'test.committed', { n: 1 }));
    await waitFor(async () => (await pendingRow(id))?.dispatchedAt != null);
    expect(seen.sort()).toEqual(['a:1', 'b:1']);
    // Dispatching again (a duplicate job, the sweep) applies nothing twice.
    await ctx.outbox.dispatch(id);
    await ctx.outbox.sweep(0);
    expect(seen).toHaveLength(2);
  });

  it('never dispatches an event emitted in a rolled-back transaction', async () => {
    const seen: OutboxEvent[] = [];
    ctx.outbox.on('test.rolledback', 'a', async (event) => void seen.push(event));
    let emittedId = '';
    await ctx.db
      .transaction(async (tx) => {
        emittedId = await ctx.outbox.emit(tx, 'test.rolledback', { n: 2 });
        tx.rollback();
      })
      .catch(() => undefined);
    expect(emittedId).not.toBe('');
    await ctx.outbox.sweep(0);
    await new Promise((r) => setTimeout(r, 1500)); // give a wrongly queued dispatch job its chance
    expect(seen).toEqual([]);
    expect(await pendingRow(emittedId)).toBeUndefined();
    const { rows } = await ctx.database.query(`SELECT count(*)::int AS n FROM pgboss.job WHERE data->>'eventId' = $1`, [emittedId]);
    expect(Number(rows[0]?.n)).toBe(0);
  });

  it('retries a handler that throws, without re-running the handlers that succeeded', async () => {
    let flakyCalls = 0;
    let steadyCalls = 0;
    ctx.outbox.on('test.flaky', 'steady', async () => void steadyCalls++);
    ctx.outbox.on('test.flaky', 'flaky', async (event, tx) => {
      flakyCalls++;
      await tx.execute(sql`INSERT INTO test_outbox_effects VALUES (${event.id}, 'flaky')`);
      if (flakyCalls === 1) throw new Error('downstream unavailable');
    });
    const id = await ctx.db.transaction(async (tx) => ctx.outbox.emit(tx, 'test.flaky', { n: 3 }));
    // The dispatch job fails once, then pg-boss runs it again after a backoff.
    await waitFor(async () => (await pendingRow(id))?.dispatchedAt != null, 15_000);
    expect(flakyCalls).toBe(2);
    expect(steadyCalls).toBe(1);
    // The failed attempt's writes were rolled back with it.
    expect(await effects(id, 'flaky')).toBe(1);
    const row = await pendingRow(id);
    expect(row?.attempts).toBe(2);
    expect(row?.lastError).toBeNull();
  }, 20_000);

  it('does not apply twice when the process dies between handling and marking', async () => {
    let crashes = 1;
    // A second dispatcher on the same database, with a fault injected after the handler ran.
    const outbox = await createOutbox(ctx.db, ctx.jobs, pino({ level: 'silent' }), {
      defineJobs: false,
      beforeMark: async () => {
        if (crashes-- > 0) throw new Error('simulated crash before the completion was committed');
      },
    });
    const external = new Set<string>();
    outbox.on('test.crash', 'writer', async (event, tx) => {
      await tx.execute(sql`INSERT INTO test_outbox_effects VALUES (${event.id}, 'writer')`);
      external.add(event.id); // an outside effect keyed by the event id is idempotent by construction
    });
    // Emitted without its nudge job, so only this dispatcher (with the fault) handles it.
    const [row] = await ctx.db
      .insert(outboxEvents)
      .values({ type: 'test.crash', payload: { n: 4 } })
      .returning({ id: outboxEvents.id });
    const id = row?.id ?? '';
    await expect(outbox.dispatch(id)).rejects.toThrow(/simulated crash/);
    expect(await effects(id)).toBe(0);
    expect((await pendingRow(id))?.dispatchedAt).toBeNull();
    // The retry applies it once, and later duplicates (even concurrent ones) change nothing.
    await outbox.dispatch(id);
    await Promise.all([outbox.dispatch(id), outbox.dispatch(id), outbox.sweep(0)]);
    expect(await effects(id)).toBe(1);
    expect(external.size).toBe(1);
    const handled = await ctx.db.select().from(outboxHandled).where(eq(outboxHandled.eventId, id));
    expect(handled.map((h) => h.handler)).toEqual(['writer']);
    expect((await pendingRow(id))?.dispatchedAt).toBeInstanceOf(Date);
  });

  it('the sweep dispatches events whose job was lost', async () => {
    const seen: string[] = [];
    ctx.outbox.on('test.lost', 'a', async (event) => void seen.push(event.id));
    // Written without the nudge job, as if it had exhausted its retries.
    const [row] = await ctx.db.insert(outboxEvents).values({ type: 'test.lost', payload: {} }).returning({ id: outboxEvents.id });
    expect(await ctx.outbox.sweep(0)).toBeGreaterThanOrEqual(1);
    expect(seen).toEqual([row?.id]);
  });
});
