import type { ComponentChildren } from 'preact';
import { formatDateTime, type Locale } from '../../../platform/i18n/i18n.js';
import { Layout } from '../../../platform/views/layout.js';
import { Button, CsrfField, ErrorSummary, Field, Notice, type FieldErrors } from '../../../platform/views/components.js';
import { usePage } from '../../../platform/views/page-context.js';
import type { Account, AnnouncementView, DepartmentFigures, PostKind, PostSummary, PostThread, QueueItem, Similar } from '../hall.service.js';

/** The hall's pages. Every page works without JavaScript; /hall/static/hall.js only adds live updates and suggestions. */

const when = (locale: Locale, d: Date) => formatDateTime(locale, d);
const nameOf = (accounts: Account[], code: string | null, locale: Locale) => {
  const a = accounts.find((x) => x.code === code);
  return a ? (locale === 'en' ? a.nameEn : a.nameZh) : (code ?? '');
};

function HallNav() {
  const { t, actor } = usePage();
  return (
    <nav aria-label={t('hall.name')} class="tags">
      <a href="/hall">{t('hall.nav.home')}</a> · <a href="/hall/accounts">{t('hall.nav.accounts')}</a>
      {actor?.kind === 'citizen' && (
        <>
          {' '}
          · <a href="/hall/new">{t('hall.nav.new')}</a> · <a href="/hall/mine">{t('hall.nav.mine')}</a>
        </>
      )}
      {actor?.kind === 'staff' && (
        <>
          {' '}
          · <a href="/staff/hall">{t('hall.staff.title')}</a>
        </>
      )}
    </nav>
  );
}

function PostCard({ p, accounts }: { p: PostSummary; accounts: Account[] }) {
  const { t, locale } = usePage();
  return (
    <li class="card">
      <h3>
        <a href={`/hall/posts/${p.number}`}>{p.title}</a>
      </h3>
      <p class="meta">
        {t(`hall.kind.${p.kind}`)} · {t(`hall.status.${p.status}`)} · {p.number} · {when(locale, p.createdAt)}
        {p.departmentCode && <> · {nameOf(accounts, p.departmentCode, locale)}</>}
      </p>
      {p.statusNote && <p>{p.statusNote.length > 140 ? `${p.statusNote.slice(0, 140)}…` : p.statusNote}</p>}
    </li>
  );
}

function PostList({ posts, accounts }: { posts: PostSummary[]; accounts: Account[] }) {
  const { t } = usePage();
  if (!posts.length) return <p class="empty-state">{t('hall.home.none')}</p>;
  return (
    <ul class="card-list">
      {posts.map((p) => (
        <PostCard key={p.id} p={p} accounts={accounts} />
      ))}
    </ul>
  );
}

function Announcements({ items, accounts }: { items: AnnouncementView[]; accounts: Account[] }) {
  const { t, locale } = usePage();
  if (!items.length) return <p class="empty-state">{t('hall.home.none')}</p>;
  return (
    <ul class="card-list">
      {items.map((a) => (
        <li class="card" key={a.id}>
          <h3>{a.title}</h3>
          <p class="meta">
            <a href={`/hall/accounts/${a.departmentCode}`}>{nameOf(accounts, a.departmentCode, locale)}</a> · {when(locale, a.createdAt)}
          </p>
          <p class="hall-text">{a.body}</p>
        </li>
      ))}
    </ul>
  );
}

export function HallHomePage(v: {
  accounts: Account[];
  announcements: AnnouncementView[];
  followed: AnnouncementView[] | null;
  recent: PostSummary[];
  faqs: PostSummary[];
}) {
  const { t } = usePage();
  return (
    <Layout title={t('hall.name')}>
      <h1>{t('hall.name')}</h1>
      <p>{t('hall.intro')}</p>
      <HallNav />
      <p>
        <a class="button button-primary" href="/hall/new">
          {t('hall.nav.new')}
        </a>
      </p>
      {v.followed && (
        <section aria-labelledby="followed">
          <h2 id="followed">{t('hall.home.followed')}</h2>
          <Announcements items={v.followed} accounts={v.accounts} />
        </section>
      )}
      <section aria-labelledby="announcements">
        <h2 id="announcements">{t('hall.home.announcements')}</h2>
        <Announcements items={v.announcements} accounts={v.accounts} />
      </section>
      <section aria-labelledby="faq">
        <h2 id="faq">{t('hall.home.faq')}</h2>
        <PostList posts={v.faqs} accounts={v.accounts} />
      </section>
      <section aria-labelledby="recent">
        <h2 id="recent">{t('hall.home.recent')}</h2>
        <PostList posts={v.recent} accounts={v.accounts} />
      </section>
    </Layout>
  );
}

function FiguresList({ f }: { f: DepartmentFigures | undefined }) {
  const { t } = usePage();
  return (
    <dl class="summary-list">
      <dt>{t('hall.figures.posts')}</dt>
      <dd>{f?.posts ?? 0}</dd>
      <dt>{t('hall.figures.median')}</dt>
      <dd>{f?.medianFirstReplyMinutes != null ? t('hall.figures.minutes', { n: f.medianFirstReplyMinutes }) : t('hall.figures.none')}</dd>
      <dt>{t('hall.figures.within')}</dt>
      <dd>{f?.withinPromiseShare != null ? `${Math.round(f.withinPromiseShare * 100)}%` : t('hall.figures.none')}</dd>
      <dt>{t('hall.figures.reopened')}</dt>
      <dd>{f?.reopened ?? 0}</dd>
    </dl>
  );
}

export function AccountsPage({ accounts, figures }: { accounts: Account[]; figures: DepartmentFigures[] }) {
  const { t, locale } = usePage();
  return (
    <Layout title={t('hall.accounts.title')}>
      <h1>{t('hall.accounts.title')}</h1>
      <HallNav />
      <div class="table-scroll">
        <table>
          <caption class="visually-hidden">{t('hall.accounts.title')}</caption>
          <thead>
            <tr>
              <th scope="col">{t('hall.nav.accounts')}</th>
              <th scope="col">{t('hall.figures.posts')}</th>
              <th scope="col">{t('hall.figures.median')}</th>
              <th scope="col">{t('hall.figures.within')}</th>
            </tr>
          </thead>
          <tbody>
            {accounts.map((a) => {
              const f = figures.find((x) => x.departmentCode === a.code);
              return (
                <tr key={a.code}>
                  <th scope="row">
                    <a href={`/hall/accounts/${a.code}`}>{nameOf(accounts, a.code, locale)}</a>
                  </th>
                  <td>{f?.posts ?? 0}</td>
                  <td>{f?.medianFirstReplyMinutes != null ? t('hall.figures.minutes', { n: f.medianFirstReplyMinutes }) : t('hall.figures.none')}</td>
                  <td>{f?.withinPromiseShare != null ? `${Math.round(f.withinPromiseShare * 100)}%` : t('hall.figures.none')}</td>
                </tr>
              );
            })}
          </tbody>
        </table>
      </div>
    </Layout>
  );
}

export function AccountPage(v: {
  account: Account;
  accounts: Account[];
  figures: DepartmentFigures | undefined;
  followers: number;
  following: boolean | null;
  announcements: AnnouncementView[];
  answered: PostSummary[];
}) {
  const { t, locale } = usePage();
  const name = nameOf(v.accounts, v.account.code, locale);
  return (
    <Layout title={name}>
      <h1>{name}</h1>
      <HallNav />
      <p class="meta">
        @{v.account.code} · {t('hall.account.followers', { n: v.followers })}
      </p>
      {v.following !== null && (
        <form method="post" action={`/hall/accounts/${v.account.code}/follow`} class="inline-form">
          <CsrfField />
          <input type="hidden" name="on" value={v.following ? '0' : '1'} />
          <Button variant="secondary">{v.following ? t('hall.account.unfollow') : t('hall.account.follow')}</Button>
        </form>
      )}
      <section aria-labelledby="figures">
        <h2 id="figures">{t('hall.account.figures')}</h2>
        <FiguresList f={v.figures} />
      </section>
      <section aria-labelledby="ann">
        <h2 id="ann">{t('hall.account.announcements')}</h2>
        <Announcements items={v.announcements} accounts={v.accounts} />
      </section>
      <section aria-labelledby="answered">
        <h2 id="answered">{t('hall.account.answered')}</h2>
        <PostList posts={v.answered} accounts={v.accounts} />
      </section>
    </Layout>
  );
}

export interface PostFormValues {
  kind: string;
  title: string;
  body: string;
  departmentCode: string;
  visibility: string;
  anonymous: boolean;
  address: string;
  submissionId: string;
  callerName?: string;
  callerPhone?: string;
}

function SimilarList({ similar, routing, accounts }: { similar: Similar[]; routing: { departmentCode: string } | null; accounts: Account[] }) {
  const { t, locale } = usePage();
  return (
    <>
      {routing && <p>{t('hall.similar.routing', { department: nameOf(accounts, routing.departmentCode, locale) })}</p>}
      {similar.length ? (
        <ul>
          {similar.map((s) => (
            <li key={s.href}>
              <span class="meta">{t(`hall.similar.type.${s.type}`)}</span> <a href={s.href}>{s.title}</a>
            </li>
          ))}
        </ul>
      ) : (
        <p>{t('hall.similar.none')}</p>
      )}
    </>
  );
}

/** The posting form; the hotline console uses it too, with the caller's details. */
export function NewPostPage(v: {
  values: PostFormValues;
  errors: FieldErrors;
  params?: Record<string, string | number>;
  accounts: Account[];
  similar: { items: Similar[]; routing: { departmentCode: string } | null } | null;
  action: string;
  hotline?: boolean;
}) {
  const page = usePage();
  const { t, locale } = page;
  const kinds = ['question', 'complaint', 'suggestion', 'report'];
  const e = v.errors;
  const title = v.hotline ? t('hall.staff.hotline') : t('hall.form.title');
  return (
    <Layout title={title} area={v.hotline ? 'staff' : 'public'}>
      <ErrorSummary errors={e} params={v.params} />
      <h1>{title}</h1>
      {!v.hotline && <HallNav />}
      <form method="post" action={`${v.action}?_csrf=${encodeURIComponent(page.csrfToken)}`} enctype="multipart/form-data" novalidate>
        <CsrfField />
        <input type="hidden" name="submissionId" value={v.values.submissionId} />
        {v.hotline && (
          <>
            <Field name="callerName" label={t('hall.staff.hotline.caller')} value={v.values.callerName} maxLength={100} />
            <Field name="callerPhone" label={t('hall.staff.hotline.phone')} type="tel" value={v.values.callerPhone} maxLength={30} />
          </>
        )}
        <fieldset class={e.kind ? 'field field-error' : 'field'} id="kind">
          <legend>{t('hall.form.kind')}</legend>
          {e.kind && <p class="error-message">{t(e.kind)}</p>}
          {kinds.map((k) => (
            <div class="cases-radio" key={k}>
              <input type="radio" id={`kind-${k}`} name="kind" value={k} checked={v.values.kind === k} />
              <label for={`kind-${k}`}>{t(`hall.kind.${k}`)}</label>
            </div>
          ))}
        </fieldset>
        <Field name="title" label={t('hall.form.subject')} value={v.values.title} error={e.title} required maxLength={100} />
        <Field name="body" label={t('hall.form.body')} value={v.values.body} error={e.body} hint={t('hall.form.bodyHint')} required multiline />
        <section
          aria-labelledby="similar-title"
          class="cases-panel"
          id="similar"
          data-suggest-labels={JSON.stringify({
            faq: t('hall.similar.type.faq'),
            answered: t('hall.similar.type.answered'),
            'open-report': t('hall.similar.type.open-report'),
            service: t('hall.similar.type.service'),
            none: t('hall.similar.none'),
          })}
        >
          <h2 id="similar-title">{t('hall.similar.title')}</h2>
          <div id="similar-results" aria-live="polite">
            {v.similar && <SimilarList similar={v.similar.items} routing={v.similar.routing} accounts={v.accounts} />}
          </div>
          <button type="submit" name="action" value="check" class="button button-secondary">
            {t('hall.form.checkSimilar')}
          </button>
        </section>
        <div class={e.departmentCode ? 'field field-error' : 'field'}>
          <label for="departmentCode">{t('hall.form.department')}</label>
          {e.departmentCode && (
            <p id="departmentCode-error" class="error-message">
              {t(e.departmentCode)}
            </p>
          )}
          <select id="departmentCode" name="departmentCode" class="input">
            <option value="">{t('hall.form.departmentAuto')}</option>
            {v.accounts
              .filter((a) => a.code !== 'release')
              .map((a) => (
                <option key={a.code} value={a.code} selected={v.values.departmentCode === a.code}>
                  {nameOf(v.accounts, a.code, locale)}
                </option>
              ))}
          </select>
        </div>
        <fieldset class="field" id="visibility">
          <legend>{t('hall.form.visibility')}</legend>
          {['public', 'private'].map((vis) => (
            <div class="cases-radio" key={vis}>
              <input type="radio" id={`visibility-${vis}`} name="visibility" value={vis} checked={(v.values.visibility || 'public') === vis} />
              <label for={`visibility-${vis}`}>{t(`hall.visibility.${vis}`)}</label>
            </div>
          ))}
        </fieldset>
        {!v.hotline && (
          <div class="checkbox">
            <input type="checkbox" id="anonymous" name="anonymous" value="on" checked={v.values.anonymous} />
            <label for="anonymous">{t('hall.form.anonymous')}</label>
          </div>
        )}
        <Field name="address" label={t('hall.form.address')} value={v.values.address} error={e.address} maxLength={200} />
        {!v.hotline && (
          <div class={e.photo ? 'field field-error' : 'field'}>
            <label for="photo">
              {t('hall.form.photo')} <span class="optional">{t('form.optional')}</span>
            </label>
            <p id="photo-hint" class="hint">
              {t('hall.form.photoHint')}
            </p>
            {e.photo && (
              <p id="photo-error" class="error-message">
                {t(e.photo)}
              </p>
            )}
            <input type="file" id="photo" name="photo" accept="image/jpeg,image/png" aria-describedby="photo-hint" />
          </div>
        )}
        <Button>{t('hall.form.submit')}</Button>
      </form>
      <script src="/hall/static/hall.js" defer></script>
    </Layout>
  );
}

function EntryItem({ e, accounts }: { e: PostThread['entries'][number]; accounts: Account[] }) {
  const { t, locale } = usePage();
  const to = typeof e.detail?.to === 'string' ? e.detail.to : null;
  const rating = typeof e.detail?.rating === 'string' ? e.detail.rating : null;
  return (
    <li class={e.public ? undefined : 'cases-internal'}>
      <p class="meta">
        <strong>{t(`hall.entry.${e.kind}`)}</strong> · {when(locale, e.at)}
        {e.departmentCode && e.actorKind !== 'citizen' && <> · {nameOf(accounts, e.departmentCode, locale)}</>}
      </p>
      {e.kind === 'forward' && to && <p>{t('hall.entry.forwardTo', { department: nameOf(accounts, to, locale) })}</p>}
      {rating && <p>{t(`hall.rating.${rating}`)}</p>}
      {e.body && <p class="hall-text">{e.body}</p>}
    </li>
  );
}

/** The thread's live part: status and entries (replaced in place by the live script). */
function ThreadBody({ post, accounts }: { post: PostThread; accounts: Account[] }) {
  const { t, locale } = usePage();
  return (
    <div data-live-region>
      <dl class="summary-list">
        <dt>{t('hall.thread.number')}</dt>
        <dd>{post.number}</dd>
        <dt>{t('hall.form.kind')}</dt>
        <dd>{t(`hall.kind.${post.kind}`)}</dd>
        <dt>{t('hall.thread.postedBy')}</dt>
        <dd>{post.author ?? (post.channel === 'hotline' ? t('hall.hotlineCaller') : t('hall.anonymous'))}</dd>
        <dt>{t('hall.thread.to')}</dt>
        <dd>
          {post.departmentCode ? (
            <a href={`/hall/accounts/${post.departmentCode}`}>{nameOf(accounts, post.departmentCode, locale)}</a>
          ) : (
            t('hall.status.triage')
          )}
        </dd>
        <dt>{t('hall.thread.status')}</dt>
        <dd class="cases-status">{t(`hall.status.${post.status}`)}</dd>
        {post.dueAt && post.open && (
          <>
            <dt>{t('hall.thread.due')}</dt>
            <dd>{when(locale, post.dueAt)}</dd>
          </>
        )}
        {post.location?.address && (
          <>
            <dt>{t('hall.thread.location')}</dt>
            <dd>{post.location.address}</dd>
          </>
        )}
      </dl>
      {post.reopenCount > 0 && <p>{t('hall.thread.reopened', { n: post.reopenCount })}</p>}
      <h2>{t('hall.thread.history')}</h2>
      <ol class="cases-timeline">
        {post.entries.map((e) => (
          <EntryItem key={e.id} e={e} accounts={accounts} />
        ))}
      </ol>
    </div>
  );
}

export function ThreadPage({
  post,
  accounts,
  notice,
  errors,
  staff,
}: {
  post: PostThread;
  accounts: Account[];
  notice?: string | undefined;
  errors?: FieldErrors;
  staff?: ComponentChildren;
}) {
  const { t } = usePage();
  const e = errors ?? {};
  return (
    <Layout title={post.title} area={staff ? 'staff' : 'public'}>
      <ErrorSummary errors={e} />
      {notice && <Notice kind="success">{t(notice)}</Notice>}
      {!staff && <HallNav />}
      <article data-live={staff ? `/staff/hall/events` : `/hall/posts/${post.number}/events`}>
        <h1>{post.title}</h1>
        {post.hidden && <p class="notice">{t('hall.thread.hidden', { reason: post.hidden.reason ?? '' })}</p>}
        {post.visibility === 'private' && <p class="notice">{t('hall.thread.private')}</p>}
        <p class="hall-text">{post.body}</p>
        {post.photoUrl && <img src={post.photoUrl} alt={t('hall.thread.photo')} style="max-width:100%;height:auto" />}
        <p class="visually-hidden">{t('hall.thread.live')}</p>
        <ThreadBody post={post} accounts={accounts} />
      </article>
      {post.can.citizenReply && (
        <form method="post" action={`/hall/posts/${post.number}/reply`} class="cases-panel">
          <h2>{t('hall.citizenReply.title')}</h2>
          <CsrfField />
          <Field name="body" label={t('hall.form.body')} error={e.body} required multiline />
          <Button>{t('hall.citizenReply.submit')}</Button>
        </form>
      )}
      {post.can.rate && (
        <form method="post" action={`/hall/posts/${post.number}/rate`} class="cases-panel">
          <CsrfField />
          <fieldset class={e.rating ? 'field field-error' : 'field'} id="rating">
            <legend>{t('hall.rate.title')}</legend>
            {['satisfied', 'unsatisfied'].map((r) => (
              <div class="cases-radio" key={r}>
                <input type="radio" id={`rating-${r}`} name="rating" value={r} />
                <label for={`rating-${r}`}>{t(`hall.rating.${r}`)}</label>
              </div>
            ))}
          </fieldset>
          <Button>{t('hall.rate.submit')}</Button>
        </form>
      )}
      {post.can.reopen && (
        <form method="post" action={`/hall/posts/${post.number}/reopen`} class="cases-panel">
          <h2>{t('hall.reopen.title')}</h2>
          <p class="hint">{t('hall.reopen.hint')}</p>
          <CsrfField />
          <Field name="reason" label={t('hall.reopen.reason')} error={e.reason} required multiline />
          <Button variant="secondary">{t('hall.reopen.submit')}</Button>
        </form>
      )}
      {staff}
      <script src="/hall/static/hall.js" defer></script>
    </Layout>
  );
}

export function MyPostsPage({ posts, accounts }: { posts: PostSummary[]; accounts: Account[] }) {
  const { t } = usePage();
  return (
    <Layout title={t('hall.mine.title')}>
      <h1>{t('hall.mine.title')}</h1>
      <HallNav />
      {posts.length ? <PostList posts={posts} accounts={accounts} /> : <p class="empty-state">{t('hall.mine.none')}</p>}
    </Layout>
  );
}

function Countdown({ minutes }: { minutes: number | null }) {
  const { t } = usePage();
  if (minutes === null) return <>{t('hall.figures.none')}</>;
  const abs = Math.abs(minutes);
  const params = { h: Math.floor(abs / 60), m: abs % 60 };
  return minutes < 0 ? <span class="cases-overdue">{t('hall.staff.overdue', params)}</span> : <>{t('hall.staff.dueIn', params)}</>;
}

export function StaffQueuePage({ items, view, accounts, operator }: { items: QueueItem[]; view: string; accounts: Account[]; operator: boolean }) {
  const { t, locale, actor } = usePage();
  const views = operator ? ['open', 'triage', 'all'] : ['open', 'all'];
  return (
    <Layout title={t('hall.staff.title')} area="staff">
      <h1>{t('hall.staff.title')}</h1>
      <p class="tags">
        {views.map((v, i) => (
          <>
            {i > 0 && ' · '}
            <a href={`/staff/hall?view=${v}`} aria-current={v === view ? 'page' : undefined}>
              {t(`hall.staff.queue.${v}`)}
            </a>
          </>
        ))}
        {' · '}
        <a href="/staff/hall/templates">{t('hall.staff.templates')}</a> · <a href="/staff/hall/announce">{t('hall.staff.announce')}</a>
        {actor?.kind === 'staff' && actor.roles.includes('dept_admin') && (
          <>
            {' · '}
            <a href="/staff/hall/promises">{t('hall.staff.promises')}</a>
          </>
        )}
        {operator && (
          <>
            {' · '}
            <a href="/staff/hall/hotline">{t('hall.staff.hotline')}</a> · <a href="/staff/hall/words">{t('hall.staff.words')}</a>
          </>
        )}
      </p>
      <div data-live="/staff/hall/events">
        <div data-live-region>
          {items.length ? (
            <div class="table-scroll">
              <table>
                <caption class="visually-hidden">{t(`hall.staff.queue.${view}`)}</caption>
                <thead>
                  <tr>
                    <th scope="col">{t('hall.thread.number')}</th>
                    <th scope="col">{t('hall.form.subject')}</th>
                    <th scope="col">{t('hall.thread.to')}</th>
                    <th scope="col">{t('hall.staff.due')}</th>
                  </tr>
                </thead>
                <tbody>
                  {items.map((p) => (
                    <tr key={p.id}>
                      <td>
                        <a href={`/staff/hall/posts/${p.number}`}>{p.number}</a>
                      </td>
                      <td>
                        {t(`hall.kind.${p.kind}`)}: {p.title} ({t(`hall.status.${p.status}`)}){p.escalated && <strong> · {t('hall.staff.escalated')}</strong>}
                      </td>
                      <td>{p.departmentCode ? nameOf(accounts, p.departmentCode, locale) : t('hall.status.triage')}</td>
                      <td>
                        <Countdown minutes={p.minutesLeft} />
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          ) : (
            <p class="empty-state">{t('hall.staff.queue.empty')}</p>
          )}
        </div>
      </div>
      <script src="/hall/static/hall.js" defer></script>
    </Layout>
  );
}

/** The department console under a thread: reply (with templates), forward, hide, FAQ. */
export function StaffPanel({
  post,
  accounts,
  templates,
  errors,
}: {
  post: PostThread;
  accounts: Account[];
  templates: { id: string; title: string; body: string }[];
  errors: FieldErrors;
}) {
  const { t, locale } = usePage();
  const base = `/staff/hall/posts/${post.number}`;
  const method = t(`hall.method.${post.routing.method}`);
  return (
    <section aria-labelledby="console" class="cases-panel">
      <h2 id="console">{t('hall.staff.title')}</h2>
      {post.staff && (
        <details>
          <summary>{t('hall.staff.original')}</summary>
          <p class="hall-text">{post.staff.title}</p>
          <p class="hall-text">{post.staff.body}</p>
          {post.staff.contact && (
            <p>
              {t('hall.staff.contact')}: {Object.values(post.staff.contact).join(' · ')}
            </p>
          )}
          <p class="meta">{t('hall.staff.routing', { method, confidence: post.routing.confidence ?? '—' })}</p>
        </details>
      )}
      {post.can.handle && (
        <form method="post" action={`${base}/reply`}>
          <h3>{t('hall.staff.reply')}</h3>
          <CsrfField />
          <fieldset class={errors.kind ? 'field field-error' : 'field'} id="kind">
            <legend>{t('hall.staff.replyKind')}</legend>
            {['reply', 'info_request', 'result'].map((k, i) => (
              <div class="cases-radio" key={k}>
                <input type="radio" id={`kind-${k}`} name="kind" value={k} checked={i === 0} />
                <label for={`kind-${k}`}>{t(`hall.staff.kind.${k}`)}</label>
              </div>
            ))}
          </fieldset>
          {templates.length > 0 && (
            <div class="field">
              <label for="templateId">{t('hall.staff.template')}</label>
              <p class="hint" id="templateId-hint">
                {t('hall.staff.templateHint')}
              </p>
              <select id="templateId" name="templateId" class="input" aria-describedby="templateId-hint">
                <option value="">{t('hall.staff.templateNone')}</option>
                {templates.map((tpl) => (
                  <option key={tpl.id} value={tpl.id}>
                    {tpl.title}
                  </option>
                ))}
              </select>
            </div>
          )}
          <Field name="body" label={t('hall.form.body')} error={errors.body} multiline />
          <Button>{t('hall.staff.send')}</Button>
        </form>
      )}
      {post.can.reroute && (
        <form method="post" action={`${base}/forward`}>
          <h3>{t('hall.staff.reroute')}</h3>
          <CsrfField />
          <div class={errors.departmentCode ? 'field field-error' : 'field'}>
            <label for="departmentCode">{t('hall.staff.rerouteTo')}</label>
            {errors.departmentCode && <p class="error-message">{t(errors.departmentCode)}</p>}
            <select id="departmentCode" name="departmentCode" class="input">
              {accounts
                .filter((a) => a.code !== 'release' && a.code !== 'gov-service' && a.code !== post.departmentCode)
                .map((a) => (
                  <option key={a.code} value={a.code} selected={post.routing.departmentCode === a.code}>
                    {nameOf(accounts, a.code, locale)}
                  </option>
                ))}
            </select>
          </div>
          <Field name="note" label={t('hall.staff.note')} maxLength={500} />
          <Button variant="secondary">{t('hall.staff.reroute')}</Button>
        </form>
      )}
      {post.can.promote && (
        <form method="post" action={`${base}/faq`} class="inline-form">
          <CsrfField />
          <Button variant="secondary">{t('hall.staff.faq')}</Button>
        </form>
      )}
      {post.can.hide && (
        <form method="post" action={`${base}/hide`}>
          <h3>{t('hall.staff.hide')}</h3>
          <CsrfField />
          <Field name="reason" label={t('hall.staff.hideReason')} error={errors.reason} required maxLength={500} />
          <Button variant="secondary">{t('hall.staff.hide')}</Button>
        </form>
      )}
    </section>
  );
}

export function TemplatesPage({
  templates,
  errors,
  values,
}: {
  templates: { id: string; title: string; body: string }[];
  errors: FieldErrors;
  values: { title: string; body: string };
}) {
  const { t } = usePage();
  return (
    <Layout title={t('hall.staff.templates')} area="staff">
      <ErrorSummary errors={errors} />
      <h1>{t('hall.staff.templates')}</h1>
      <p>
        <a href="/staff/hall">{t('hall.staff.title')}</a>
      </p>
      <ul class="card-list">
        {templates.map((tpl) => (
          <li class="card" key={tpl.id}>
            <h2>{tpl.title}</h2>
            <p class="hall-text">{tpl.body}</p>
            <form method="post" action={`/staff/hall/templates/${tpl.id}/delete`} class="inline-form">
              <CsrfField />
              <Button variant="secondary">{t('hall.staff.templates.delete')}</Button>
            </form>
          </li>
        ))}
      </ul>
      <form method="post" action="/staff/hall/templates">
        <h2>{t('hall.staff.templates.add')}</h2>
        <CsrfField />
        <Field name="title" label={t('hall.form.subject')} value={values.title} error={errors.title} required maxLength={100} />
        <Field name="body" label={t('hall.form.body')} value={values.body} error={errors.body} required multiline />
        <Button>{t('hall.staff.templates.add')}</Button>
      </form>
    </Layout>
  );
}

export function AnnouncePage({
  accounts,
  errors,
  values,
  done,
}: {
  accounts: Account[];
  errors: FieldErrors;
  values: { departmentCode: string; title: string; body: string };
  done: boolean;
}) {
  const { t, locale } = usePage();
  return (
    <Layout title={t('hall.staff.announce')} area="staff">
      <ErrorSummary errors={errors} />
      {done && <Notice kind="success">{t('hall.staff.done')}</Notice>}
      <h1>{t('hall.staff.announce')}</h1>
      <form method="post" action="/staff/hall/announce">
        <CsrfField />
        <div class="field">
          <label for="departmentCode">{t('hall.staff.announce.account')}</label>
          <select id="departmentCode" name="departmentCode" class="input">
            {accounts.map((a) => (
              <option key={a.code} value={a.code} selected={values.departmentCode === a.code}>
                {nameOf(accounts, a.code, locale)}
              </option>
            ))}
          </select>
        </div>
        <Field name="title" label={t('hall.form.subject')} value={values.title} error={errors.title} required maxLength={100} />
        <Field name="body" label={t('hall.form.body')} value={values.body} error={errors.body} required multiline />
        <Button>{t('hall.staff.announce')}</Button>
      </form>
    </Layout>
  );
}

export function WordsPage({ builtIn, added, errors }: { builtIn: string[]; added: string[]; errors: FieldErrors }) {
  const { t } = usePage();
  return (
    <Layout title={t('hall.staff.words')} area="staff">
      <ErrorSummary errors={errors} />
      <h1>{t('hall.staff.words')}</h1>
      <p>
        {t('hall.staff.words.builtIn')}: {builtIn.length}
      </p>
      <ul>
        {added.map((w) => (
          <li key={w}>
            {w}{' '}
            <form method="post" action="/staff/hall/words" class="inline-form">
              <CsrfField />
              <input type="hidden" name="word" value={w} />
              <input type="hidden" name="on" value="0" />
              <button type="submit" class="link-button">
                {t('hall.staff.words.remove')}
              </button>
            </form>
          </li>
        ))}
      </ul>
      <form method="post" action="/staff/hall/words">
        <CsrfField />
        <input type="hidden" name="on" value="1" />
        <Field name="word" label={t('hall.staff.words.word')} error={errors.word} required maxLength={40} />
        <Button>{t('hall.staff.words.add')}</Button>
      </form>
    </Layout>
  );
}

/**
 * The department admin's page for its promises: per kind of post a whole number and a unit. `values`
 * holds the form fields `<kind>Value` / `<kind>Unit` (kept as typed when the input is refused).
 */
export function PromisesPage({
  kinds,
  defaults,
  values,
  errors,
  saved,
}: {
  kinds: readonly PostKind[];
  /** Kinds for which the department has set nothing (the default is in force). */
  defaults: PostKind[];
  values: Record<string, string>;
  errors: FieldErrors;
  saved: boolean;
}) {
  const { t } = usePage();
  return (
    <Layout title={t('hall.staff.promises')} area="staff">
      <ErrorSummary errors={errors} />
      {saved && <Notice kind="success">{t('hall.staff.promises.saved')}</Notice>}
      <h1>{t('hall.staff.promises')}</h1>
      <p>
        <a href="/staff/hall">{t('hall.staff.title')}</a>
      </p>
      <p>{t('hall.staff.promises.intro')}</p>
      <form method="post" action="/staff/hall/promises">
        <CsrfField />
        {kinds.map((kind) => {
          const label = t(`hall.kind.${kind}`) + (defaults.includes(kind) ? ` ${t('hall.staff.promises.default')}` : '');
          const unitName = `${kind}Unit`;
          const unitError = errors[unitName];
          return (
            <fieldset key={kind}>
              <legend>{label}</legend>
              <Field
                name={`${kind}Value`}
                label={t('hall.staff.promises.value', { kind: t(`hall.kind.${kind}`) })}
                value={values[`${kind}Value`]}
                error={errors[`${kind}Value`]}
                inputmode="numeric"
                required
                maxLength={6}
              />
              <div class={unitError ? 'field field-error' : 'field'}>
                <label for={unitName}>{t('hall.staff.promises.unit', { kind: t(`hall.kind.${kind}`) })}</label>
                {unitError && (
                  <p id={`${unitName}-error`} class="error-message">
                    {t(unitError)}
                  </p>
                )}
                <select id={unitName} name={unitName} class="input" aria-describedby={unitError ? `${unitName}-error` : undefined}>
                  {(['hours', 'working_days'] as const).map((u) => (
                    <option key={u} value={u} selected={values[unitName] === u}>
                      {t(`hall.staff.promises.${u}`)}
                    </option>
                  ))}
                </select>
              </div>
            </fieldset>
          );
        })}
        <Button>{t('hall.staff.promises.save')}</Button>
      </form>
    </Layout>
  );
}
