import type { AppContext } from '../../platform/context.js';
import { registerCaseEvents } from './cases.events.js';
import { purgeOldDrafts, refundApplication, refundQueue, runSlaCheck, slaBreachQueue, slaWarnQueue, sweepSla } from './cases.service.js';

export const slaSweepQueue = 'cases.sla.sweep';
export const draftPurgeQueue = 'cases.drafts.purge';

/**
 * The cases module's queues: the SLA sweep (every minute), refunds and the draft purge. The per-application
 * warning and breach queues only finish jobs queued by earlier versions (before the sweep took over).
 */
export async function defineCaseJobs(ctx: AppContext): Promise<void> {
  registerCaseEvents(ctx);
  await ctx.jobs.define<{ applicationId: string; generation: number }>(slaWarnQueue, async ({ applicationId, generation }) => {
    await runSlaCheck(ctx, 'warn', applicationId, generation);
  });
  await ctx.jobs.define<{ applicationId: string; generation: number }>(slaBreachQueue, async ({ applicationId, generation }) => {
    await runSlaCheck(ctx, 'breach', applicationId, generation);
  });
  await ctx.jobs.define<{ applicationId: string; reason: string }>(
    refundQueue,
    async ({ applicationId, reason }) => refundApplication(ctx, applicationId, reason),
    {
      retryLimit: 10,
    },
  );
  await ctx.jobs.define(slaSweepQueue, async () => void (await sweepSla(ctx)), { retryLimit: 0 });
  await ctx.jobs.define(draftPurgeQueue, async () => void (await purgeOldDrafts(ctx)), { retryLimit: 1 });
  await ctx.jobs.schedule(slaSweepQueue, '* * * * *');
  await ctx.jobs.schedule(draftPurgeQueue, '17 3 * * *');
}
