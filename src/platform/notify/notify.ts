import type { Executor } from '../db/db.js';
import type { Locale } from '../i18n/i18n.js';

export type Channel = 'inbox' | 'sms' | 'email';

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

/**
 * The notification port. `send` writes one row per channel in the caller's transaction and queues a
 * delivery job for each, so a notice is never lost and never sent twice.
 */
export interface Notifier {
  send(executor: Executor, notice: NoticeRequest): Promise<string[]>;
}
