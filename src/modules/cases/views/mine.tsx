import { Layout } from '../../../platform/views/layout.js';
import { Button, CsrfField, ErrorSummary, Notice, type FieldErrors } from '../../../platform/views/components.js';
import { usePage } from '../../../platform/views/page-context.js';

export interface ApplicationCard {
  id: string;
  href: string;
  serviceName: string;
  receiptNo: string | null;
  status: string;
  statusCode: string;
  updated: string;
  promisedBy: string | null;
  /** Something the applicant must do now (pay, correct, rate). */
  todo: string | null;
}

/** My applications: drafts to continue, then everything submitted, newest first. */
export function MyApplicationsPage({ drafts, submitted, notice }: { drafts: ApplicationCard[]; submitted: ApplicationCard[]; notice?: string | undefined }) {
  const { t } = usePage();
  return (
    <Layout title={t('cases.page.mine.title')}>
      {notice && <Notice kind="success">{t(notice)}</Notice>}
      <h1>{t('cases.page.mine.title')}</h1>
      <h2>{t('cases.page.mine.drafts')}</h2>
      {drafts.length === 0 ? (
        <p class="empty-state">{t('cases.page.mine.noDrafts')}</p>
      ) : (
        <>
          <p class="hint">{t('cases.page.mine.draftsKept')}</p>
          <ul class="card-list">
            {drafts.map((d) => (
              <li class="card" key={d.id}>
                <h3>
                  <a href={d.href}>{d.serviceName}</a>
                </h3>
                <p class="meta">{t('cases.page.mine.savedAt', { at: d.updated })}</p>
              </li>
            ))}
          </ul>
        </>
      )}
      <h2>{t('cases.page.mine.submitted')}</h2>
      {submitted.length === 0 ? (
        <p class="empty-state">
          {t('cases.page.mine.none')} <a href="/services">{t('cases.page.mine.find')}</a>
        </p>
      ) : (
        <ul class="card-list">
          {submitted.map((a) => (
            <li class="card" key={a.id}>
              <h3>
                <a href={a.href}>{a.serviceName}</a>
              </h3>
              <p class="meta">
                {t('cases.page.receiptNo')}: {a.receiptNo}
              </p>
              <p>
                <span class={`cases-status cases-status-${a.statusCode}`}>{a.status}</span>
                {a.promisedBy && <span class="meta"> · {t('cases.page.promisedByShort', { date: a.promisedBy })}</span>}
              </p>
              {a.todo && <p class="cases-todo">{a.todo}</p>}
            </li>
          ))}
        </ul>
      )}
    </Layout>
  );
}

export interface TimelineEntry {
  at: string;
  status: string;
  actor: string;
  note: string | null;
}

export interface ApplicationDetailView {
  id: string;
  serviceName: string;
  receiptNo: string | null;
  status: string;
  statusCode: string;
  promisedBy: string | null;
  clockPaused: boolean;
  delivery: string | null;
  timeline: TimelineEntry[];
  correction: { note: string | null; items: { label: string; reason: string }[]; href: string } | null;
  canWithdraw: boolean;
  payment: { amount: string; status: string; statusCode: string; canPay: boolean } | null;
  shipment: { trackingNo: string; status: string; events: { at: string; status: string; note: string | null }[] } | null;
  canRate: boolean;
  rating: { score: number; label: string; comment: string | null; at: string } | null;
  answers: { label: string; value: string }[];
}

/** One application: status, promised date, timeline, what to do next (correct, pay, rate), delivery tracking. */
export function ApplicationDetailPage({ v, notice }: { v: ApplicationDetailView; notice?: string | undefined }) {
  const { t } = usePage();
  return (
    <Layout title={`${v.serviceName} - ${t('cases.page.mine.title')}`}>
      <p>
        <a href="/account/applications" class="cases-back">
          {t('cases.page.mine.title')}
        </a>
      </p>
      {notice && <Notice kind="success">{t(notice)}</Notice>}
      <h1>{v.serviceName}</h1>
      <dl class="summary-list">
        <dt>{t('cases.page.receiptNo')}</dt>
        <dd>
          <strong>{v.receiptNo}</strong>
        </dd>
        <dt>{t('cases.page.status')}</dt>
        <dd>
          <span class={`cases-status cases-status-${v.statusCode}`}>{v.status}</span>
        </dd>
        {v.promisedBy && (
          <>
            <dt>{t('cases.page.promisedBy')}</dt>
            <dd>
              {v.promisedBy}
              {v.clockPaused && <p class="hint">{t('cases.page.detail.paused')}</p>}
            </dd>
          </>
        )}
        {v.delivery && (
          <>
            <dt>{t('cases.page.delivery.title')}</dt>
            <dd>{v.delivery}</dd>
          </>
        )}
      </dl>

      {v.correction && (
        <section class="cases-panel cases-correction" aria-labelledby="correction-title">
          <h2 id="correction-title">{t('cases.page.correction.title')}</h2>
          <p>{t('cases.page.correction.intro')}</p>
          {v.correction.note && <p>{v.correction.note}</p>}
          <ol>
            {v.correction.items.map((i) => (
              <li key={i.label}>
                <strong>{i.label}</strong>: {i.reason}
              </li>
            ))}
          </ol>
          <p>
            <a class="button button-primary cases-button-link" href={v.correction.href}>
              {t('cases.page.correction.start')}
            </a>
          </p>
        </section>
      )}

      {v.payment && (
        <section aria-labelledby="payment-title">
          <h2 id="payment-title">{t('cases.page.pay.title')}</h2>
          <p>
            {v.payment.amount} · {v.payment.status}
          </p>
          {v.payment.canPay && (
            <form method="post" action={`/account/applications/${v.id}/pay`}>
              <CsrfField />
              <Button>{t('cases.page.pay.button')}</Button>
            </form>
          )}
        </section>
      )}

      {v.shipment && (
        <section aria-labelledby="shipment-title">
          <h2 id="shipment-title">{t('cases.page.shipment.title')}</h2>
          <p>
            {t('cases.page.shipment.trackingNo')}: <strong>{v.shipment.trackingNo}</strong> · {v.shipment.status}
          </p>
          <ol class="cases-timeline">
            {v.shipment.events.map((e, i) => (
              <li key={i}>
                <span class="meta">{e.at}</span> {e.status}
                {e.note && <span> · {e.note}</span>}
              </li>
            ))}
          </ol>
        </section>
      )}

      {(v.canRate || v.rating) && (
        <section aria-labelledby="rating-title">
          <h2 id="rating-title">{t('cases.page.rating.title')}</h2>
          {v.rating ? (
            <p>
              {t('cases.page.rating.yours', { label: v.rating.label, at: v.rating.at })}
              {v.rating.comment && <span> · {v.rating.comment}</span>}
            </p>
          ) : (
            <p>
              <a href={`/account/applications/${v.id}/rate`}>{t('cases.page.rating.link')}</a>
            </p>
          )}
        </section>
      )}

      <h2>{t('cases.page.detail.timeline')}</h2>
      <ol class="cases-timeline">
        {v.timeline.map((e, i) => (
          <li key={i}>
            <p class="meta">
              {e.at} · {e.actor}
            </p>
            <p>
              <strong>{e.status}</strong>
            </p>
            {e.note && <p>{e.note}</p>}
          </li>
        ))}
      </ol>

      {v.answers.length > 0 && (
        <details class="cases-details">
          <summary>{t('cases.page.detail.answers')}</summary>
          <dl class="summary-list">
            {v.answers.map((a) => (
              <div key={a.label}>
                <dt>{a.label}</dt>
                <dd>{a.value}</dd>
              </div>
            ))}
          </dl>
        </details>
      )}

      {v.canWithdraw && (
        <p>
          <a href={`/account/applications/${v.id}/withdraw`}>{t('cases.page.withdraw.link')}</a>
        </p>
      )}
    </Layout>
  );
}

/** "Are you sure?" before withdrawing: withdrawing cannot be undone. */
export function WithdrawPage({ id, serviceName, receiptNo, errors }: { id: string; serviceName: string; receiptNo: string; errors: FieldErrors }) {
  const { t } = usePage();
  return (
    <Layout title={t('cases.page.withdraw.title')}>
      <p>
        <a href={`/account/applications/${id}`} class="cases-back">
          {t('cases.page.back')}
        </a>
      </p>
      <ErrorSummary errors={errors} />
      <h1>{t('cases.page.withdraw.title')}</h1>
      <p>{t('cases.page.withdraw.text', { name: serviceName, receiptNo })}</p>
      <form method="post" action={`/account/applications/${id}/withdraw`}>
        <CsrfField />
        <input type="hidden" name="confirm" value="yes" />
        <Button>{t('cases.page.withdraw.confirm')}</Button> <a href={`/account/applications/${id}`}>{t('cases.page.withdraw.keep')}</a>
      </form>
    </Layout>
  );
}

export const ratingScores = [5, 4, 3, 2, 1] as const;

/** The 好差评 form: five levels, a comment. */
export function RatePage({
  id,
  serviceName,
  values,
  errors,
}: {
  id: string;
  serviceName: string;
  values: { score: string; comment: string };
  errors: FieldErrors;
}) {
  const { t } = usePage();
  return (
    <Layout title={t('cases.page.rating.title')}>
      <p>
        <a href={`/account/applications/${id}`} class="cases-back">
          {t('cases.page.back')}
        </a>
      </p>
      <ErrorSummary errors={errors} />
      <p class="meta">{serviceName}</p>
      <h1>{t('cases.page.rating.title')}</h1>
      <form method="post" action={`/account/applications/${id}/rate`} novalidate>
        <CsrfField />
        <div class={errors.score ? 'field field-error' : 'field'}>
          <fieldset aria-describedby={errors.score ? 'score-error' : undefined}>
            <legend>{t('cases.page.rating.legend')}</legend>
            {errors.score && (
              <p id="score-error" class="error-message">
                {t(errors.score)}
              </p>
            )}
            {ratingScores.map((s, i) => (
              <div class="cases-radio" key={s}>
                <input type="radio" id={i === 0 ? 'score' : `score-${s}`} name="score" value={String(s)} checked={values.score === String(s)} />
                <label for={i === 0 ? 'score' : `score-${s}`}>{t(`cases.page.rating.score${s}`)}</label>
              </div>
            ))}
          </fieldset>
        </div>
        <div class={errors.comment ? 'field field-error' : 'field'}>
          <label for="comment">
            {t('cases.page.rating.comment')} <span class="optional">{t('form.optional')}</span>
          </label>
          <p id="comment-hint" class="hint">
            {t('cases.page.rating.commentHint')}
          </p>
          {errors.comment && (
            <p id="comment-error" class="error-message">
              {t(errors.comment)}
            </p>
          )}
          <textarea
            id="comment"
            name="comment"
            rows={4}
            maxLength={500}
            class={errors.comment ? 'input input-error' : 'input'}
            aria-describedby={errors.comment ? 'comment-hint comment-error' : 'comment-hint'}
          >
            {values.comment}
          </textarea>
        </div>
        <Button>{t('cases.page.rating.submit')}</Button>
      </form>
    </Layout>
  );
}

/** The correction notice and the fields to fix, each linked to its step; then resubmit. */
export function CorrectionPage({
  id,
  serviceName,
  items,
  note,
  errors,
}: {
  id: string;
  serviceName: string;
  note: string | null;
  items: { label: string; reason: string; href: string | null; value: string }[];
  errors: FieldErrors;
}) {
  const { t } = usePage();
  return (
    <Layout title={t('cases.page.correction.pageTitle')}>
      <p>
        <a href={`/account/applications/${id}`} class="cases-back">
          {t('cases.page.back')}
        </a>
      </p>
      <ErrorSummary errors={errors} />
      <p class="meta">{serviceName}</p>
      <h1>{t('cases.page.correction.pageTitle')}</h1>
      {note && <p>{note}</p>}
      <dl class="summary-list cases-answers">
        {items.map((i) => (
          <div class="cases-answer" key={i.label}>
            <dt>{i.label}</dt>
            <dd>
              <p class="error-message">{i.reason}</p>
              {i.value}
            </dd>
            {i.href && (
              <dd class="cases-change">
                <a href={i.href}>
                  {t('cases.page.change')}
                  <span class="visually-hidden"> {i.label}</span>
                </a>
              </dd>
            )}
          </div>
        ))}
      </dl>
      <form method="post" action={`/account/applications/${id}/resubmit`}>
        <CsrfField />
        <Button>{t('cases.page.correction.resubmit')}</Button>
      </form>
    </Layout>
  );
}
