import type { Logger } from 'pino';
import { notifications } from '../platform.schema.js';
import type { Jobs } from '../jobs/jobs.js';
import type { Notifier } from './notify.js';
import { translate } from '../i18n/i18n.js';

// PLACEHOLDER (to be completed): renders and records notices; delivery jobs and sandbox providers come next.
export async function createNotifier(jobs: Jobs, log: Logger): Promise<Notifier> {
  void jobs;
  void log;
  return {
    async send(executor, notice) {
      const ids: string[] = [];
      for (const channel of notice.channels) {
        const recipient = channel === 'sms' ? notice.phone : channel === 'email' ? notice.email : notice.userId;
        if (!recipient) continue;
        const [row] = await executor
          .insert(notifications)
          .values({
            userId: notice.userId,
            channel,
            recipient,
            template: notice.template,
            locale: notice.locale,
            params: notice.params ?? {},
            subject: translate(notice.locale, `notice.${notice.template}.subject`, notice.params),
            body: translate(notice.locale, `notice.${notice.template}.body`, notice.params),
          })
          .returning({ id: notifications.id });
        if (row) ids.push(row.id);
      }
      return ids;
    },
  };
}
