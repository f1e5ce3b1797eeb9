import type { FastifyReply, FastifyRequest } from 'fastify';
import { LRUCache } from 'lru-cache';
import type { App } from './types.js';

declare module 'fastify' {
  interface FastifyContextConfig {
    /**
     * The page is the same for every anonymous visitor in a language (the public catalogue): its HTML may
     * be micro-cached for a few seconds per (path + query, locale).
     */
    pageCache?: boolean;
  }
}

/**
 * Public data changed in this process (a catalogue item was created or edited, the seed ran): every public
 * cache built here drops what it holds. Other instances keep their copies until the TTL ends.
 * A generation rather than a list of caches, so tests may build many apps without registering them anywhere.
 */
let generation = 0;
export function invalidatePublicCaches(): void {
  generation += 1;
}
export const publicCacheGeneration = (): number => generation;

export interface TtlCache<V extends object> {
  /** The value, or undefined when absent, expired or older than the last invalidation. */
  get(key: string): V | undefined;
  /** Stores a value read at `readGeneration`; a value read before an invalidation is never stored. */
  set(key: string, value: V, readGeneration: number): void;
  clear(): void;
  readonly size: number;
}

/**
 * A bounded (LRU) cache whose entries live `ttlSeconds` and vanish on invalidatePublicCaches().
 * ttlSeconds 0 gives a cache that stores nothing.
 */
export function createTtlCache<V extends object>(o: { ttlSeconds: number; max: number; maxBytes?: number; sizeOf?: (v: V) => number }): TtlCache<V> {
  if (o.ttlSeconds <= 0) return { get: () => undefined, set: () => undefined, clear: () => undefined, size: 0 };
  const lru = new LRUCache<string, V>({
    max: o.max,
    ttl: o.ttlSeconds * 1000,
    // Expiry is checked on read; no timer per entry.
    ttlAutopurge: false,
    ...(o.maxBytes && o.sizeOf ? { maxSize: o.maxBytes, sizeCalculation: (v: V) => Math.max(1, o.sizeOf!(v)) } : {}),
  });
  let seen = generation;
  const sync = () => {
    if (seen !== generation) {
      lru.clear();
      seen = generation;
    }
  };
  return {
    get(key) {
      sync();
      return lru.get(key);
    },
    set(key, value, readGeneration) {
      sync();
      if (readGeneration !== generation) return;
      lru.set(key, value);
    },
    clear: () => lru.clear(),
    get size() {
      sync();
      return lru.size;
    },
  };
}

interface CachedPage {
  html: string;
  contentType: string;
}

const pending = new WeakMap<FastifyRequest, { key: string; generation: number }>();
/** Longer URLs (odd queries) are rendered every time rather than filling the cache. */
const maxUrlLength = 512;

export interface PageCacheOptions {
  ttlSeconds: number;
  /** The session cookie: a request that carries one is never served from, nor stored in, the cache. */
  sessionCookie: string;
  max?: number;
  maxBytes?: number;
}

/**
 * Micro-cache for public pages (routes with `config.pageCache`): the rendered HTML is kept per
 * (path + query, locale) for anonymous GETs answered 200 without Set-Cookie. Signed-in people see their
 * own layout and are never cached. Call after the locale and authentication hooks are added, so a hit
 * skips everything after them (validation, handler, database). Answers carry `x-cache: hit|miss`.
 */
export function registerPageCache(app: App, o: PageCacheOptions): TtlCache<CachedPage> {
  const cache = createTtlCache<CachedPage>({
    ttlSeconds: o.ttlSeconds,
    max: o.max ?? 2000,
    maxBytes: o.maxBytes ?? 64 * 1024 * 1024,
    sizeOf: (p) => p.html.length * 2,
  });
  if (o.ttlSeconds <= 0) return cache;

  const eligible = (request: FastifyRequest) =>
    request.method === 'GET' &&
    request.routeOptions.config?.pageCache === true &&
    request.actor === null &&
    request.cookies[o.sessionCookie] === undefined &&
    request.headers.authorization === undefined &&
    request.url.length <= maxUrlLength;

  app.addHook('onRequest', async (request: FastifyRequest, reply: FastifyReply) => {
    if (!eligible(request)) return;
    const key = `${request.locale}\u0000${request.url}`;
    const hit = cache.get(key);
    if (hit) {
      return reply.code(200).type(hit.contentType).header('cache-control', 'no-store').header('x-cache', 'hit').send(hit.html);
    }
    pending.set(request, { key, generation: publicCacheGeneration() });
    reply.header('x-cache', 'miss');
  });

  app.addHook('onSend', async (request: FastifyRequest, reply: FastifyReply, payload: unknown) => {
    const p = pending.get(request);
    if (!p) return payload;
    pending.delete(request);
    const contentType = reply.getHeader('content-type');
    if (
      reply.statusCode === 200 &&
      !reply.hasHeader('set-cookie') &&
      typeof payload === 'string' &&
      typeof contentType === 'string' &&
      contentType.startsWith('text/html')
    ) {
      cache.set(p.key, { html: payload, contentType }, p.generation);
    }
    return payload;
  });
  return cache;
}
