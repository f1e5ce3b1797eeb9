import type { ComponentChildren } from 'preact';
import { usePage } from './page-context.js';

export interface LayoutProps {
  title: string;
  children: ComponentChildren;
  /** Staff pages show the staff navigation. */
  area?: 'public' | 'staff';
}

/** The frame of every page: skip link, header with navigation and language switch, main, footer. */
export function Layout({ title, children, area = 'public' }: LayoutProps) {
  // `page.csrfToken` is a getter that mints a token and sets its cookie: read it only where a form needs it
  // (destructuring it would read it on every page, and a Set-Cookie makes a public page uncacheable).
  const page = usePage();
  const { t, locale, actor, path } = page;
  const otherLocale = locale === 'zh-CN' ? 'en' : 'zh-CN';
  const langHref = `/lang/${otherLocale}?return=${encodeURIComponent(path)}`;
  return (
    <html lang={locale}>
      <head>
        <meta charset="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <title>{`${title} - ${t('site.name')}`}</title>
        <link rel="stylesheet" href="/static/app.css" />
      </head>
      <body>
        <a class="skip-link" href="#main">
          {t('nav.skip')}
        </a>
        <header class="site-header">
          <div class="container header-row">
            <a class="brand" href={area === 'staff' ? '/staff/home' : '/'}>
              {t('site.name')}
            </a>
            {/* The accessible name must contain the visible text (WCAG 2.5.3), so the purpose is hidden text, not aria-label. */}
            <a class="lang" href={langHref} hreflang={otherLocale}>
              <span class="visually-hidden">{t('nav.languageLabel')}: </span>
              <span lang={otherLocale}>{t('nav.language')}</span>
            </a>
          </div>
          <nav class="container site-nav" aria-label={t('nav.main')}>
            <ul>
              {area === 'public' && (
                <>
                  <li>
                    <a href="/">{t('nav.home')}</a>
                  </li>
                  <li>
                    <a href="/services">{t('nav.services')}</a>
                  </li>
                </>
              )}
              {actor && !actor.pendingSecondFactor ? (
                <>
                  <li>
                    <a href={actor.kind === 'staff' ? '/staff/home' : '/account'}>{t('nav.account')}</a>
                  </li>
                  <li>
                    <form method="post" action="/sign-out" class="inline-form">
                      <input type="hidden" name="_csrf" value={page.csrfToken} />
                      <button type="submit" class="link-button">
                        {t('nav.signOut')}
                      </button>
                    </form>
                  </li>
                </>
              ) : (
                <>
                  <li>
                    <a href="/sign-in">{t('nav.signIn')}</a>
                  </li>
                  <li>
                    <a href="/sign-up">{t('nav.signUp')}</a>
                  </li>
                </>
              )}
            </ul>
          </nav>
          {actor?.actingFor && (
            <p class="container acting-for">
              <a href="/account">{t('nav.actingFor', { name: actor.actingFor.name })}</a>
            </p>
          )}
        </header>
        <main id="main" class="container" tabIndex={-1}>
          {children}
        </main>
        <footer class="site-footer">
          <div class="container">
            <p>{t('footer.text')}</p>
            <p>
              <a href="/staff">{t('nav.staff')}</a>
            </p>
          </div>
        </footer>
      </body>
    </html>
  );
}
