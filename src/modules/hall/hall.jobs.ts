import type { AppContext } from '../../platform/context.js';
import { runSlaCheck, slaQueue } from './hall.service.js';

/** The hall's queue: the first-reply check, the department's reminder (80% of the promise) and escalation. */
export async function defineHallJobs(ctx: AppContext): Promise<void> {
  await ctx.jobs.define<{ postId: string; generation: number; kind: 'first-reply' | 'warn' | 'breach' }>(slaQueue, async ({ postId, generation, kind }) => {
    await runSlaCheck(ctx, postId, generation, kind);
  });
}
