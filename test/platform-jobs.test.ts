import { rm } from 'node:fs/promises';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createContext, closeContext } from '../src/platform/bootstrap.js';
import type { JobInfo } from '../src/platform/jobs/jobs.js';
import { createTestContext, testConfig, type TestContext } from './helpers.js';
import { waitFor } from './factories.js';

let ctx: TestContext;
const runs: { queue: string; data: { n: number }; job: JobInfo }[] = [];
let failFirst = true;

beforeAll(async () => {
  ctx = await createTestContext();
  await ctx.jobs.define<{ n: number }>('test.echo', async (data, job) => void runs.push({ queue: 'test.echo', data, job }));
  await ctx.jobs.define<{ n: number }>(
    'test.flaky',
    async (data, job) => {
      runs.push({ queue: 'test.flaky', data, job });
      if (failFirst) {
        failFirst = false;
        throw new Error('temporary failure');
      }
    },
    { retryLimit: 2, retryDelaySeconds: 1, retryBackoff: false },
  );
  await ctx.jobs.work();
});
afterAll(async () => {
  await ctx.cleanup();
});

describe('jobs', () => {
  it('runs a job that was sent', async () => {
    await ctx.jobs.send('test.echo', { n: 1 });
    await waitFor(() => runs.some((r) => r.queue === 'test.echo' && r.data.n === 1));
    expect(runs.find((r) => r.data.n === 1)?.job.retryCount).toBe(0);
  });

  it('retries a job after a failure', async () => {
    await ctx.jobs.send('test.flaky', { n: 2 });
    await waitFor(() => runs.filter((r) => r.queue === 'test.flaky').length >= 2, 10_000);
    const attempts = runs.filter((r) => r.queue === 'test.flaky');
    expect(attempts.map((a) => a.job.retryCount)).toEqual([0, 1]);
    expect(attempts[0]?.job.id).toBe(attempts[1]?.job.id);
  });

  it('queues a job in a transaction: gone on rollback, run after commit', async () => {
    await ctx.db
      .transaction(async (tx) => {
        await ctx.jobs.send('test.echo', { n: 3 }, { executor: tx });
        tx.rollback();
      })
      .catch(() => undefined);
    await ctx.db.transaction(async (tx) => {
      await ctx.jobs.send('test.echo', { n: 4 }, { executor: tx });
    });
    await waitFor(() => runs.some((r) => r.data.n === 4));
    // Give a wrongly queued n=3 the same chance to run.
    await new Promise((r) => setTimeout(r, 1500));
    expect(runs.some((r) => r.data.n === 3)).toBe(false);
  });
});

describe('jobs across a restart', () => {
  it('runs after a restart a job sent before it', async () => {
    const config = testConfig();
    const log = pino({ level: 'silent' });
    const handler = async () => undefined;
    const first = await createContext(config, { log });
    try {
      await first.jobs.define('test.restart', handler);
      await first.jobs.send('test.restart', { n: 5 }); // nobody works it in this process
    } finally {
      await closeContext(first);
    }
    const second = await createContext(config, { log });
    try {
      const seen: number[] = [];
      await second.jobs.define<{ n: number }>('test.restart', async (data) => void seen.push(data.n));
      await second.jobs.work();
      await waitFor(() => seen.length > 0);
      expect(seen).toEqual([5]);
    } finally {
      await closeContext(second);
      await rm(config.dataDir, { recursive: true, force: true });
    }
  }, 60_000);
});
