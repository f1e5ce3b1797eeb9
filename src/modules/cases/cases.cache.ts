import type { FastifyInstance } from 'fastify';
import { changeFeed, runWithApp, type ChangeFeed } from '../../platform/db/change-feed.js';
import type { AppContext } from '../../platform/context.js';
import * as repo from './cases.repository.js';

/** The channel migration 0015's triggers announce a committed change of an application on, with its id. */
export const changeChannel = 'cases_changed';

export const casesFeed = (ctx: AppContext): ChangeFeed => changeFeed(ctx, changeChannel, 'cases');

type WithHistory = NonNullable<Awaited<ReturnType<typeof repo.findApplicationWithHistory>>>;

interface Entry {
  generation: number;
  value: WithHistory;
  readAt: number;
}

/** Applications kept per instance (the oldest read goes first); a few KiB each. */
const maxEntries = 10_000;
/** Even with the feed live, an entry is read again after this long (a notification lost without a dropped connection). */
const rereadMs = 60_000;
const caches = new WeakMap<AppContext, Map<string, Entry>>();

/**
 * An application with its timeline and materials, for a status read: from this instance's cache while the change
 * feed is live and has announced no change of it, else from the database. Every committed change is announced by
 * the database itself (triggers of migration 0015), whichever instance or job made it, so an entry is never served
 * after the notification of a change arrived. The value is shared between requests: callers must not change it.
 */
export async function cachedApplicationWithHistory(ctx: AppContext, id: string): Promise<WithHistory | undefined> {
  const feed = casesFeed(ctx);
  let cache = caches.get(ctx);
  if (!cache) caches.set(ctx, (cache = new Map()));
  const hit = cache.get(id);
  if (hit && feed.live && hit.generation === feed.generation(id) && Date.now() - hit.readAt < rereadMs) return hit.value;
  // Taken before reading: a change announced while we read makes this entry stale at once.
  const generation = feed.generation(id);
  const value = await repo.findApplicationWithHistory(ctx.db, id);
  cache.delete(id);
  if (value && feed.live) {
    cache.set(id, { generation, value, readAt: Date.now() });
    if (cache.size > maxEntries) cache.delete(cache.keys().next().value!);
  }
  return value;
}

/**
 * Starts the feed with the app, and after each request that may have changed an application named in its path
 * (`:id`, answered once its transaction committed) marks it changed here at once: the person who acted reads their
 * own change even before the database's notification reaches this instance.
 */
export function registerCaseCache(app: FastifyInstance, ctx: AppContext): void {
  const feed = casesFeed(ctx);
  runWithApp(app, ctx, feed);
  app.addHook('onSend', async (request, _reply, payload) => {
    const id = (request.params as { id?: unknown } | undefined)?.id;
    if (request.method !== 'GET' && request.method !== 'HEAD' && typeof id === 'string') feed.touch(id);
    return payload;
  });
}
