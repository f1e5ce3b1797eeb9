import type { PGlite } from '@electric-sql/pglite';
import type pg from 'pg';
import type { AppContext } from '../../platform/context.js';

/** The channel a status change is announced on; NOTIFY is delivered only when its transaction commits. */
export const statusChannel = 'certificates_status';

/**
 * Which status lists changed, learned from PostgreSQL LISTEN/NOTIFY (PGlite has it too). While the
 * subscription is up, a cached status list stays good until a notification for it arrives, so a
 * verification needs no query and still sees a revocation committed by any instance. Without it (not yet
 * started, or the connection dropped) every verification re-reads the list's version.
 */
export class StatusFeed {
  private generations = new Map<string, number>();
  /** Bumped when the subscription is lost: every generation handed out before no longer matches. */
  private epoch = 0;
  private connected = false;
  private stop: (() => Promise<void>) | null = null;

  get live(): boolean {
    return this.connected;
  }

  /** A counter per list, bumped by each notification: a cache entry records it when it starts reading. */
  generation(listId: string): number {
    return this.epoch * 1_000_000_000 + (this.generations.get(listId) ?? 0);
  }

  /**
   * Marks a list changed in this process at once (called by the change itself), so this process never waits
   * for its own notification; other instances learn it when the NOTIFY arrives, milliseconds after the commit.
   */
  touch(listId: string): void {
    this.changed(listId);
  }

  private changed(listId: string): void {
    this.generations.set(listId, (this.generations.get(listId) ?? 0) + 1);
  }

  async start(ctx: AppContext): Promise<void> {
    if (this.stop) return;
    const client = (ctx.database.db as unknown as { $client: unknown }).$client;
    if (ctx.database.kind === 'pglite') {
      const unlisten = await (client as PGlite).listen(statusChannel, (payload) => this.changed(payload));
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
      if (message.channel === statusChannel && message.payload) this.changed(message.payload);
    };
    const onError = (error: Error) => {
      // Fall back to reading versions; everything cached so far may be stale.
      this.connected = false;
      this.epoch += 1;
      ctx.log.warn({ err: error }, 'certificates: status feed lost; verifications read list versions');
    };
    connection.on('notification', onNotification);
    connection.on('error', onError);
    await connection.query(`LISTEN ${statusChannel}`);
    this.connected = true;
    this.stop = async () => {
      connection.off('notification', onNotification);
      await connection.query(`UNLISTEN ${statusChannel}`).catch(() => undefined);
      connection.release();
    };
  }

  async close(): Promise<void> {
    const stop = this.stop;
    this.stop = null;
    await stop?.();
  }
}

const feeds = new WeakMap<AppContext, StatusFeed>();
export function feedOf(ctx: AppContext): StatusFeed {
  let feed = feeds.get(ctx);
  if (!feed) feeds.set(ctx, (feed = new StatusFeed()));
  return feed;
}
