import type { InboxNotice } from '../../../platform/notify/notify.js';
import { formatDateTime } from '../../../platform/i18n/i18n.js';
import { CsrfField, Notice } from '../../../platform/views/components.js';
import { Layout } from '../../../platform/views/layout.js';
import { usePage } from '../../../platform/views/page-context.js';

export function InboxPage({ notices, unread, marked }: { notices: InboxNotice[]; unread: number; marked: boolean }) {
  const { t, locale, actor } = usePage();
  return (
    <Layout title={t('inbox.title')} area={actor?.kind === 'staff' ? 'staff' : 'public'}>
      <h1>{t('inbox.title')}</h1>
      {marked && <Notice kind="success">{t('inbox.marked')}</Notice>}
      <p>{unread > 0 ? t('inbox.summary', { count: unread }) : t('inbox.allRead')}</p>
      {unread > 0 && (
        <form method="post" action="/account/inbox/read-all">
          <CsrfField />
          <button type="submit" class="button button-secondary">
            {t('inbox.markAllRead')}
          </button>
        </form>
      )}
      {notices.length === 0 ? (
        <p>{t('inbox.empty')}</p>
      ) : (
        <ul class="inbox-list">
          {notices.map((n) => (
            <li key={n.id} class={n.read ? 'inbox-item' : 'inbox-item inbox-unread'}>
              <article aria-labelledby={`notice-${n.id}`}>
                <h2 id={`notice-${n.id}`}>
                  {!n.read && <strong class="tag">{t('inbox.unread')}</strong>} {n.subject}
                </h2>
                <p>{n.body}</p>
                <p class="meta">
                  {t('inbox.receivedAt')}: <time dateTime={n.createdAt.toISOString()}>{formatDateTime(locale, n.createdAt)}</time>
                </p>
                {!n.read && (
                  <form method="post" action={`/account/inbox/${n.id}/read`}>
                    <CsrfField />
                    <button type="submit" class="link-button">
                      {t('inbox.markRead')}
                      <span class="visually-hidden">: {n.subject}</span>
                    </button>
                  </form>
                )}
              </article>
            </li>
          ))}
        </ul>
      )}
      <p>
        <a href={actor?.kind === 'staff' ? '/staff/home' : '/account'}>{t('inbox.back')}</a>
      </p>
    </Layout>
  );
}
