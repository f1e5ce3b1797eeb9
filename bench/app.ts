/**
 * The app as `npm start` runs it, for the benchmarks: a fresh data folder, the environment's DATABASE_URL
 * (PGlite when empty), on a free port of 127.0.0.1. `seed` loads the demo data and runs the jobs, as
 * `npm start` does; `beforeListen` may add hooks; `close()` is bounded so a backlog cannot hold a bench open.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { AddressInfo } from 'node:net';
import type { FastifyInstance } from 'fastify';
import { loadConfig, type Config } from '../src/config.js';
import { buildApp, modules } from '../src/app.js';
import { closeContext, createContext } from '../src/platform/bootstrap.js';
import type { AppContext } from '../src/platform/context.js';

export interface BenchApp {
  ctx: AppContext;
  app: FastifyInstance;
  config: Config;
  base: string;
  close(): Promise<void>;
}

export async function startBenchApp(options: {
  name: string;
  databaseUrl?: string | undefined;
  env?: Record<string, string>;
  seed?: boolean;
  beforeListen?: (app: FastifyInstance) => void;
}): Promise<BenchApp> {
  const dataDir = mkdtempSync(path.join(tmpdir(), `servicehall-bench-${options.name}-`));
  const config = loadConfig({
    ...process.env,
    DATABASE_URL: options.databaseUrl ?? process.env.DATABASE_URL ?? '',
    DATA_DIR: dataDir,
    HOST: '127.0.0.1',
    PORT: '0',
    LOG_LEVEL: process.env.LOG_LEVEL || 'warn',
    ...(options.seed === false ? { SEED_DEMO: 'false' } : {}),
    ...options.env,
  });
  const ctx = await createContext(config);
  if (options.seed !== false) {
    for (const m of modules) await m.seed?.(ctx);
    for (const m of modules) await m.defineJobs?.(ctx);
    await ctx.jobs.work();
  }
  const app = await buildApp(ctx);
  options.beforeListen?.(app);
  await app.listen({ host: '127.0.0.1', port: 0 });
  return {
    ctx,
    app,
    config,
    base: `http://127.0.0.1:${(app.server.address() as AddressInfo).port}`,
    async close() {
      await Promise.race([app.close(), new Promise((resolve) => setTimeout(resolve, 20_000).unref())]);
      await closeContext(ctx);
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
