import type pg from 'pg';
import type { AppContext } from '../../platform/context.js';
import { liveChannel } from './hall.service.js';

/** A change of a post, as NOTIFY carries it. */
export interface LiveEvent {
  postId: string;
  number: string;
  departmentCode: string | null;
}

export interface LiveHub {
  subscribe(listener: (event: LiveEvent) => void): Promise<() => void>;
  close(): Promise<void>;
}

interface PgliteLike {
  listen(channel: string, cb: (payload: string) => void): Promise<() => Promise<void>>;
}

function parse(payload: string): LiveEvent | null {
  try {
    const v = JSON.parse(payload) as Partial<LiveEvent>;
    return typeof v.postId === 'string' && typeof v.number === 'string'
      ? { postId: v.postId, number: v.number, departmentCode: v.departmentCode ?? null }
      : null;
  } catch {
    return null;
  }
}

/**
 * Fans PostgreSQL NOTIFYs on the hall channel out to this instance's listeners (SSE streams). The
 * database connection listens only while someone is subscribed. Every instance listens for itself, so
 * a change made through one instance reaches browsers connected to any other.
 */
export function createLiveHub(ctx: AppContext): LiveHub {
  const listeners = new Set<(event: LiveEvent) => void>();
  let stop: (() => Promise<void>) | null = null;
  let starting: Promise<void> | null = null;
  const deliver = (payload: string) => {
    const event = parse(payload);
    if (event) for (const l of listeners) l(event);
  };
  const start = async () => {
    const client = (ctx.db as unknown as { $client: unknown }).$client;
    if (ctx.database.kind === 'pglite') {
      stop = await (client as PgliteLike).listen(liveChannel, deliver);
      return;
    }
    const connection = await (client as pg.Pool).connect();
    connection.on('notification', (n) => {
      if (n.channel === liveChannel && n.payload) deliver(n.payload);
    });
    // A lost listening connection must not end the process: drop it, and the next subscriber listens again.
    const onError = (error: Error) => {
      ctx.log.warn({ err: error }, 'hall: live connection lost');
      if (stop === release) stop = null;
      connection.release(error);
    };
    connection.on('error', onError);
    await connection.query(`LISTEN ${liveChannel}`);
    const release = async () => {
      connection.off('error', onError);
      await connection.query(`UNLISTEN ${liveChannel}`).catch(() => undefined);
      connection.release();
    };
    stop = release;
  };
  const ensure = async () => {
    if (stop) return;
    starting ??= start().finally(() => {
      starting = null;
    });
    await starting;
  };
  const halt = async () => {
    const s = stop;
    stop = null;
    if (s) await s().catch(() => undefined);
  };
  return {
    async subscribe(listener) {
      listeners.add(listener);
      await ensure();
      return () => {
        listeners.delete(listener);
        if (listeners.size === 0) void halt();
      };
    },
    async close() {
      listeners.clear();
      await halt();
    },
  };
}
