import { and, count, eq, sql } from 'drizzle-orm';
import { outboxEvents } from '../../platform/platform.schema.js';
import type { AppContext } from '../../platform/context.js';
import { injectTransport, type Injectable, type WebhookTransport } from '../../platform/webhooks/webhooks.js';

export interface Delivered {
  path: string;
  body: string;
  status: number;
  response: string;
}

/**
 * Delivers callbacks through app.inject and records each attempt; `failNext(n)` makes the next n attempts
 * fail as an unreachable receiver would, to exercise the job's retries.
 */
export function recordingTransport(app: Injectable): WebhookTransport & { sent: Delivered[]; failNext(n: number): void } {
  const inner = injectTransport(app);
  const sent: Delivered[] = [];
  let failures = 0;
  return {
    sent,
    failNext(n) {
      failures = n;
    },
    async post(path, body, headers) {
      if (failures > 0) {
        failures--;
        sent.push({ path, body, status: 503, response: 'unavailable' });
        return { status: 503, body: 'unavailable' };
      }
      const res = await inner.post(path, body, headers);
      sent.push({ path, body, status: res.status, response: res.body });
      return res;
    },
  };
}

/** How many outbox events of `type` name this resource (payload field `key` = `id`). */
export async function outboxCount(ctx: Pick<AppContext, 'db'>, type: string, key: string, id: string): Promise<number> {
  const [row] = await ctx.db
    .select({ n: count() })
    .from(outboxEvents)
    .where(and(eq(outboxEvents.type, type), sql`${outboxEvents.payload}->>${key} = ${id}`));
  return row?.n ?? 0;
}
