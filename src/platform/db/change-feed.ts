import type { PGlite } from '@electric-sql/pglite';
import type { FastifyInstance } from 'fastify';
import type pg from 'pg';
import type { AppContext } from '../context.js';

/**
 * Which keys changed, learned from PostgreSQL LISTEN/NOTIFY on one channel (PGlite has it too; NOTIFY is
 * delivered only when its transaction commits). A cache records a key's `generation` when it starts reading
 * and may use the entry while the generation is the same and the feed is `live`: the entry then needs no query
 * and still sees a change committed by any instance. Without the subscription (not yet started, or the
 * connection dropped) the feed is not live and callers read from the database.
 */
export class ChangeFeed {
  private generations = new Map<string, number>();
  /** Bumped when the subscription is lost: every generation handed out before no longer matches. */
  private epoch = 0;
  private connected = false;
  private stop: (() => Promise<void>) | null = null;

  constructor(
    readonly channel: string,
    private readonly label: string,
  ) {}

  get live(): boolean {
    return this.connected;
  }

  /** A counter per key, bumped by each notification. */
  generation(key: string): number {
    return this.epoch * 1_000_000_000 + (this.generations.get(key) ?? 0);
  }

  /**
   * Marks a key changed in this process at once (called by the change itself, once committed), so this process
   * never waits for its own notification; other instances learn it when the NOTIFY arrives, milliseconds later.
   */
  touch(key: string): void {
    this.generations.set(key, (this.generations.get(key) ?? 0) + 1);
  }

  async start(ctx: AppContext): Promise<void> {
    if (this.stop) return;
    const client = (ctx.database.db as unknown as { $client: unknown }).$client;
    if (ctx.database.kind === 'pglite') {
      const unlisten = await (client as PGlite).listen(this.channel, (payload) => this.touch(payload));
      this.connected = true;
      // `live` stays as it was on close: the process is ending, and requests still draining must not fall
      // back to a database that is about to close.
      this.stop = async () => {
        await unlisten().catch(() => undefined);
      };
      return;
    }
    // One pooled connection is kept for the subscription.
    const connection = await (client as pg.Pool).connect();
    const onNotification = (message: pg.Notification) => {
      if (message.channel === this.channel && message.payload) this.touch(message.payload);
    };
    const onError = (error: Error) => {
      // Fall back to the database; everything cached so far may be stale.
      this.connected = false;
      this.epoch += 1;
      ctx.log.warn({ err: error }, `${this.label}: change feed lost; reading from the database`);
    };
    connection.on('notification', onNotification);
    connection.on('error', onError);
    await connection.query(`LISTEN ${this.channel}`);
    this.connected = true;
    this.stop = async () => {
      connection.off('notification', onNotification);
      await connection.query(`UNLISTEN ${this.channel}`).catch(() => undefined);
      connection.release();
    };
  }

  async close(): Promise<void> {
    const stop = this.stop;
    this.stop = null;
    await stop?.();
  }
}

const feeds = new WeakMap<AppContext, Map<string, ChangeFeed>>();

/** The app's feed of `channel` (one per context and channel; `label` names it in logs). */
export function changeFeed(ctx: AppContext, channel: string, label: string): ChangeFeed {
  let byChannel = feeds.get(ctx);
  if (!byChannel) feeds.set(ctx, (byChannel = new Map()));
  let feed = byChannel.get(channel);
  if (!feed) byChannel.set(channel, (feed = new ChangeFeed(channel, label)));
  return feed;
}

/** Subscribes `feed` when the app is ready and unsubscribes when it closes. */
export function runWithApp(app: FastifyInstance, ctx: AppContext, feed: ChangeFeed): void {
  app.addHook('onReady', async () => feed.start(ctx));
  app.addHook('onClose', async () => feed.close());
}
