import { readFileSync } from 'node:fs';
import { eq } from 'drizzle-orm';
import type { AppContext } from '../../platform/context.js';
import { importGtfs } from './transit.import.js';
import { feeds } from './transit.schema.js';
import { serviceDateOf } from './transit.time.js';

/** The demo timetable: a small real feed (USF Bull Runner, Apache-2.0; see demo/SOURCE.txt) for bus-group. */
export const demoFeed = new URL('./demo/bullrunner-gtfs.zip', import.meta.url);
export const demoAgency = 'bus-group';

/** Imports the demo feed once (idempotent: an agency with an active feed is left alone). */
export async function seedTransit(ctx: AppContext): Promise<void> {
  const [active] = await ctx.db.select({ id: feeds.id }).from(feeds).where(eq(feeds.agencyCode, demoAgency)).limit(1);
  if (active) return;
  const result = await importGtfs(ctx.db, readFileSync(demoFeed), {
    agencyCode: demoAgency,
    sourceName: 'bullrunner-gtfs.zip (demo)',
    audit: { actorType: 'system' },
    // The feed's calendar ended in 2020: move it to cover today so the demo has buses.
    rebaseCalendarTo: serviceDateOf(Math.floor(ctx.clock.now().getTime() / 1000), 'America/New_York'),
  });
  if (!result.ok) ctx.log.warn({ problems: result.problems }, 'transit demo feed did not import');
}
