import { and, desc, eq, inArray, isNull, sql } from 'drizzle-orm';
import type { Logger } from 'pino';
import type { Db, Executor } from '../db/db.js';
import { isLocale, type Locale } from '../i18n/i18n.js';
import type { Jobs } from '../jobs/jobs.js';
import { notifications } from '../platform.schema.js';
import type { InboxNotice, NoticeStatus, Notifier } from './notify.js';
import { ProviderError, SandboxProvider, type MessageProvider } from './providers.js';
import { renderNotice } from './templates.js';

export const deliverQueue = 'platform.notify.deliver';
export const receiptQueue = 'platform.notify.receipt';

export interface NotifierOptions {
  /** Real providers; the sandbox is used for a channel without one. */
  providers?: { sms?: MessageProvider; email?: MessageProvider };
  /** Recipients the sandbox reports undeliverable (NOTIFY_SANDBOX_FAIL). */
  sandboxFailList?: string[];
  /** Attempts before a notice is given up as failed. */
  maxAttempts?: number;
  retryDelaySeconds?: number;
}

/** Creates the notification service and defines its delivery and receipt jobs. */
export async function createNotifier(db: Db, jobs: Jobs, log: Logger, options: NotifierOptions = {}): Promise<Notifier> {
  const maxAttempts = options.maxAttempts ?? 5;
  const sandbox = {
    sms: new SandboxProvider('sms', options.sandboxFailList ?? []),
    email: new SandboxProvider('email', options.sandboxFailList ?? []),
  };
  const providers: Record<'sms' | 'email', MessageProvider> = {
    sms: options.providers?.sms ?? sandbox.sms,
    email: options.providers?.email ?? sandbox.email,
  };
  const usesSandbox = providers.sms === sandbox.sms || providers.email === sandbox.email;

  const deliver = async (id: string): Promise<void> => {
    const [row] = await db.select().from(notifications).where(eq(notifications.id, id));
    // Sent, delivered or given up: a repeated job never sends again.
    if (!row || (row.status !== 'queued' && row.status !== 'retrying')) return;
    if (row.channel !== 'sms' && row.channel !== 'email') return;
    const provider = providers[row.channel];
    const attempts = row.attempts + 1;
    try {
      const { providerRef } = await provider.send({ id: row.id, channel: row.channel, to: row.recipient, subject: row.subject, body: row.body });
      await db.transaction(async (tx) => {
        const updated = await tx
          .update(notifications)
          .set({ status: 'sent', attempts, providerRef, sentAt: new Date(), lastError: null })
          .where(and(eq(notifications.id, id), inArray(notifications.status, ['queued', 'retrying'])))
          .returning({ id: notifications.id });
        if (updated.length) await jobs.send(receiptQueue, { notificationId: id }, { executor: tx, startAfterSeconds: 1 });
      });
    } catch (error) {
      const permanent = error instanceof ProviderError && error.permanent;
      const giveUp = permanent || attempts >= maxAttempts;
      const message = error instanceof Error ? error.message : String(error);
      await db
        .update(notifications)
        .set({ status: giveUp ? 'failed' : 'retrying', attempts, lastError: message.slice(0, 1000) })
        .where(and(eq(notifications.id, id), inArray(notifications.status, ['queued', 'retrying'])));
      log.warn({ notificationId: id, channel: row.channel, attempts, giveUp, err: error }, 'notice delivery failed');
      // Throwing hands the retry (with backoff) to pg-boss.
      if (!giveUp) throw error;
    }
  };

  const checkReceipt = async (id: string): Promise<NoticeStatus | null> => {
    const [row] = await db.select().from(notifications).where(eq(notifications.id, id));
    if (!row) return null;
    if (row.status !== 'sent' || !row.providerRef || (row.channel !== 'sms' && row.channel !== 'email')) return row.status as NoticeStatus;
    const status = await providers[row.channel].status(row.providerRef);
    if (status === 'delivered')
      await db
        .update(notifications)
        .set({ status: 'delivered', deliveredAt: new Date() })
        .where(and(eq(notifications.id, id), eq(notifications.status, 'sent')));
    else if (status === 'failed')
      await db
        .update(notifications)
        .set({ status: 'failed', lastError: 'reported undeliverable by the provider' })
        .where(and(eq(notifications.id, id), eq(notifications.status, 'sent')));
    return status;
  };

  await jobs.define<{ notificationId: string }>(deliverQueue, async ({ notificationId }) => deliver(notificationId), {
    // One more than maxAttempts, so the row (not pg-boss) decides when to give up.
    retryLimit: maxAttempts,
    retryDelaySeconds: options.retryDelaySeconds ?? 2,
  });
  await jobs.define<{ notificationId: string }>(
    receiptQueue,
    async ({ notificationId }) => {
      // Still in flight at the provider: ask again later.
      if ((await checkReceipt(notificationId)) === 'sent') throw new Error('no delivery report yet');
    },
    { retryLimit: 10, retryDelaySeconds: 5 },
  );

  const toInboxNotice = (
    row: Pick<typeof notifications.$inferSelect, 'id' | 'template' | 'params' | 'subject' | 'body' | 'createdAt' | 'readAt'>,
    locale: Locale,
  ): InboxNotice => {
    let subject = row.subject ?? '';
    let body = row.body;
    // Shown in the reader's language when the template still exists; otherwise as it was sent.
    try {
      ({ subject, body } = renderNotice(row.template, locale, row.params));
    } catch {
      /* the stored text stands */
    }
    return { id: row.id, template: row.template, subject, body, createdAt: row.createdAt, read: row.readAt !== null };
  };

  return {
    async send(executor: Executor, notice) {
      const rendered = renderNotice(notice.template, notice.locale, notice.params);
      const ids: string[] = [];
      for (const channel of [...new Set(notice.channels)]) {
        const recipient = channel === 'sms' ? notice.phone : channel === 'email' ? notice.email : notice.userId;
        if (!recipient) continue;
        const inbox = channel === 'inbox';
        const [row] = await executor
          .insert(notifications)
          .values({
            userId: notice.userId,
            channel,
            recipient,
            template: notice.template,
            locale: notice.locale,
            params: notice.params ?? {},
            subject: channel === 'sms' ? null : rendered.subject,
            body: channel === 'sms' ? rendered.sms : rendered.body,
            // The inbox is a table: writing the row is the delivery.
            status: inbox ? 'delivered' : 'queued',
            ...(inbox ? { deliveredAt: new Date() } : {}),
          })
          .returning({ id: notifications.id });
        if (!row) continue;
        ids.push(row.id);
        // In the caller's transaction: the job exists only if the notice does.
        if (!inbox) await jobs.send(deliverQueue, { notificationId: row.id }, { executor });
      }
      return ids;
    },
    deliver,
    checkReceipt,
    inbox: {
      async list(userId, locale, { limit = 50 } = {}) {
        const rows = await db
          .select()
          .from(notifications)
          .where(and(eq(notifications.userId, userId), eq(notifications.channel, 'inbox')))
          .orderBy(desc(notifications.createdAt), desc(notifications.id))
          .limit(Math.min(Math.max(limit, 1), 200));
        return rows.map((r) => toInboxNotice(r, isLocale(locale) ? locale : 'zh-CN'));
      },
      async unreadCount(userId) {
        const [row] = await db
          .select({ n: sql<number>`count(*)::int` })
          .from(notifications)
          .where(and(eq(notifications.userId, userId), eq(notifications.channel, 'inbox'), isNull(notifications.readAt)));
        return Number(row?.n ?? 0);
      },
      async markRead(executor, userId, noticeId) {
        const [row] = await executor
          .select({ readAt: notifications.readAt })
          .from(notifications)
          .where(and(eq(notifications.id, noticeId), eq(notifications.userId, userId), eq(notifications.channel, 'inbox')));
        if (!row) return false;
        if (!row.readAt) await executor.update(notifications).set({ readAt: new Date() }).where(eq(notifications.id, noticeId));
        return true;
      },
      async markAllRead(executor, userId) {
        const rows = await executor
          .update(notifications)
          .set({ readAt: new Date() })
          .where(and(eq(notifications.userId, userId), eq(notifications.channel, 'inbox'), isNull(notifications.readAt)))
          .returning({ id: notifications.id });
        return rows.length;
      },
    },
    sandbox: usesSandbox ? sandbox : null,
  };
}
