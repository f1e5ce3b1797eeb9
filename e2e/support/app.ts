import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { AddressInfo } from 'node:net';
import { loadConfig } from '../../src/config.js';
import { buildApp, modules } from '../../src/app.js';
import { closeContext, createContext } from '../../src/platform/bootstrap.js';
import { fetchTransport } from '../../src/platform/webhooks/webhooks.js';

export interface RunningApp {
  url: string;
  demoPassword: string;
  close(): Promise<void>;
}

/**
 * The real app as `npm start` runs it: embedded PGlite in a fresh DATA_DIR, migrated, demo data
 * seeded by the modules' own seed functions, jobs running, listening on 127.0.0.1 on a free port.
 */
export async function startApp(env: Record<string, string> = {}): Promise<RunningApp> {
  const dataDir = mkdtempSync(path.join(tmpdir(), 'servicehall-e2e-'));
  const config = loadConfig({
    DATA_DIR: dataDir,
    HOST: '127.0.0.1',
    PORT: '0',
    LOG_LEVEL: 'warn',
    STAFF_TOTP_REQUIRED: 'false',
    // Every journey signs in from 127.0.0.1; the per-address limit is tested in the identity module.
    SIGN_IN_LIMIT: '1000',
    // The cheapest password hashing the app allows: journeys sign in a dozen people; hashing strength is tested in identity.
    ARGON2_MEMORY_KIB: '1024',
    ...env,
  });
  const ctx = await createContext(config);
  for (const m of modules) await m.seed?.(ctx);
  for (const m of modules) await m.defineJobs?.(ctx);
  await ctx.jobs.work();
  const app = await buildApp(ctx);
  await app.listen({ host: '127.0.0.1', port: 0 });
  const { port } = app.server.address() as AddressInfo;
  const url = `http://127.0.0.1:${port}`;
  // The sandbox providers' signed callbacks go to PUBLIC_URL, which cannot name a port chosen at listen time:
  // point them at the port the app got (before anyone pays or ships anything).
  ctx.webhooks.useTransport(fetchTransport(url));
  return {
    url,
    demoPassword: config.demoPassword,
    async close() {
      await app.close();
      await closeContext(ctx);
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
