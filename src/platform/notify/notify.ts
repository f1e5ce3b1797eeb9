import type { Executor } from '../db/db.js';
import type { Locale } from '../i18n/i18n.js';
import type { SandboxProvider } from './providers.js';

export type Channel = 'inbox' | 'sms' | 'email';
export const channels: readonly Channel[] = ['inbox', 'sms', 'email'];

/**
 * queued → sent → delivered on the provider channels (retrying between failed attempts, failed when
 * the attempts run out or the provider reports the message undeliverable); inbox notices are
 * delivered when written.
 */
export type NoticeStatus = 'queued' | 'retrying' | 'sent' | 'delivered' | 'failed';

export interface NoticeRequest {
  /** The account the notice belongs to (shown in their inbox); null for a bare phone number. */
  userId: string | null;
  channels: Channel[];
  /** Where to send: phone for sms, address for email. The inbox needs only userId. */
  phone?: string | null;
  email?: string | null;
  /** Template key; its subject and body are messages `notice.<template>.subject|body`. */
  template: string;
  params?: Record<string, string | number>;
  locale: Locale;
}

/** An inbox notice as pages and the API show it (never the row itself). */
export interface InboxNotice {
  id: string;
  template: string;
  subject: string;
  body: string;
  createdAt: Date;
  read: boolean;
}

export interface Inbox {
  /** The person's inbox notices, newest first, rendered in `locale`. */
  list(userId: string, locale: Locale, options?: { limit?: number }): Promise<InboxNotice[]>;
  unreadCount(userId: string): Promise<number>;
  /** Marks the owner's notice read; false when it is not theirs or does not exist. */
  markRead(executor: Executor, userId: string, noticeId: string): Promise<boolean>;
  markAllRead(executor: Executor, userId: string): Promise<number>;
}

/**
 * The notification port. `send` writes one row per channel in the caller's transaction and queues a
 * delivery job for each in that same transaction, so a notice is never lost, never sent for a
 * rolled-back change, and never sent twice.
 */
export interface Notifier {
  send(executor: Executor, notice: NoticeRequest): Promise<string[]>;
  /** One delivery attempt of a queued notice (what the delivery job runs); safe to repeat. */
  deliver(notificationId: string): Promise<void>;
  /** Asks the provider whether a sent notice arrived (what the receipt job runs). */
  checkReceipt(notificationId: string): Promise<NoticeStatus | null>;
  inbox: Inbox;
  /** The offline providers, when they are in use: what they "sent", and switches to make them fail. */
  sandbox: { sms: SandboxProvider; email: SandboxProvider } | null;
}
