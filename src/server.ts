import type { AppContext } from './platform/context.js';
import { closeContext } from './platform/bootstrap.js';
import { buildApp, modules } from './app.js';

/** Listens, and on SIGINT/SIGTERM finishes in-flight requests, stops jobs and closes the database. */
export async function serve(ctx: AppContext): Promise<void> {
  for (const m of modules) await m.defineJobs?.(ctx);
  await ctx.jobs.work();
  const app = await buildApp(ctx);
  await app.listen({ port: ctx.config.port, host: ctx.config.host });

  let closing = false;
  const shutdown = async (signal: string) => {
    if (closing) return;
    closing = true;
    ctx.log.info({ signal }, 'shutting down');
    const force = setTimeout(() => process.exit(1), 15_000);
    force.unref();
    try {
      await app.close();
      await closeContext(ctx);
      process.exit(0);
    } catch (error) {
      ctx.log.error({ err: error }, 'shutdown failed');
      process.exit(1);
    }
  };
  process.once('SIGINT', () => void shutdown('SIGINT'));
  process.once('SIGTERM', () => void shutdown('SIGTERM'));
}
