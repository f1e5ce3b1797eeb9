import { Layout } from '../../../platform/views/layout.js';
import { Button, CsrfField, ErrorSummary, Notice, type FieldErrors } from '../../../platform/views/components.js';
import { usePage } from '../../../platform/views/page-context.js';
import { FormField, PrefilledList, type FormFieldView, type PrefilledView } from './form-fields.js';

export interface ApplyStartView {
  code: string;
  serviceName: string;
  /** Who the application is made for: the person, or the company they act for. */
  applicantName: string;
  forCompany: boolean;
  /** The item is for companies and the person acts for none (or the reverse): they cannot start. */
  blocked?: 'needsCompany' | 'citizensOnly' | undefined;
  steps: string[];
  promised: string;
  fee: string | null;
  drafts: { href: string; updated: string }[];
}

/** The entry point of an application: what it takes, for whom, and a button that opens a draft. */
export function ApplyStartPage({ v }: { v: ApplyStartView }) {
  const { t } = usePage();
  return (
    <Layout title={t('cases.page.start.title', { name: v.serviceName })}>
      <p class="meta">
        <a href={`/services/${encodeURIComponent(v.code)}`}>{v.serviceName}</a>
      </p>
      <h1>{t('cases.page.start.title', { name: v.serviceName })}</h1>
      {v.blocked ? (
        <>
          <Notice>{t(`cases.page.start.${v.blocked}`)}</Notice>
          <p>
            <a href="/account">{t('cases.page.start.switch')}</a>
          </p>
        </>
      ) : (
        <>
          <p>
            <strong>{t(v.forCompany ? 'cases.page.start.forCompany' : 'cases.page.start.forSelf', { name: v.applicantName })}</strong>
          </p>
          <h2>{t('cases.page.start.steps')}</h2>
          <ol>
            {v.steps.map((s) => (
              <li key={s}>{s}</li>
            ))}
          </ol>
          <dl class="summary-list">
            <dt>{t('cases.page.promised')}</dt>
            <dd>{v.promised}</dd>
            {v.fee && (
              <>
                <dt>{t('cases.page.fee')}</dt>
                <dd>{v.fee}</dd>
              </>
            )}
          </dl>
          <p class="hint">{t('cases.page.start.saved')}</p>
          {v.drafts.length > 0 && (
            <>
              <h2>{t('cases.page.start.drafts')}</h2>
              <ul>
                {v.drafts.map((d) => (
                  <li key={d.href}>
                    <a href={d.href}>{t('cases.page.start.continueDraft', { updated: d.updated })}</a>
                  </li>
                ))}
              </ul>
            </>
          )}
          <form method="post" action={`/services/${encodeURIComponent(v.code)}/apply`}>
            <CsrfField />
            <Button>{t('cases.page.start.button')}</Button>
          </form>
        </>
      )}
    </Layout>
  );
}

export interface StepView {
  applicationId: string;
  serviceName: string;
  stepNo: number;
  stepCount: number;
  title: string;
  pageId: string;
  fields: FormFieldView[];
  prefilled: PrefilledView[];
  backHref: string;
  /** multipart (with the CSRF token in the query, since the body is read only by the handler). */
  multipart: boolean;
  errors: FieldErrors;
}

/** One page of the application form: its fields, what the government already holds, Continue and Back. */
export function StepPage({ v }: { v: StepView }) {
  const { t, csrfToken } = usePage();
  const action = `/account/applications/${v.applicationId}/steps/${encodeURIComponent(v.pageId)}`;
  return (
    <Layout title={`${v.title} - ${v.serviceName}`}>
      <p>
        <a href={v.backHref} class="cases-back">
          {t('cases.page.back')}
        </a>
      </p>
      <ErrorSummary errors={v.errors} />
      <p class="meta">
        {v.serviceName} · {t('cases.page.stepOf', { n: v.stepNo, total: v.stepCount })}
      </p>
      <h1>{v.title}</h1>
      <PrefilledList items={v.prefilled} />
      {v.multipart ? (
        <form method="post" action={`${action}?_csrf=${encodeURIComponent(csrfToken)}`} enctype="multipart/form-data" novalidate>
          {v.fields.map((f) => (
            <FormField key={f.name} f={f} />
          ))}
          <Button>{t('cases.page.continue')}</Button>
        </form>
      ) : (
        <form method="post" action={action} novalidate>
          <CsrfField />
          {v.fields.map((f) => (
            <FormField key={f.name} f={f} />
          ))}
          <Button>{t('cases.page.continue')}</Button>
        </form>
      )}
      <p class="hint">{t('cases.page.savedDraft')}</p>
    </Layout>
  );
}

export interface DeliveryView {
  applicationId: string;
  serviceName: string;
  options: ('window' | 'courier' | 'electronic')[];
  chosen: string;
  recipientName: string;
  phone: string;
  district: string;
  detail: string;
  districts: { value: string; label: string }[];
  backHref: string;
  errors: FieldErrors;
}

/** How the result reaches the applicant, limited to the item's options; courier needs an address. */
export function DeliveryPage({ v }: { v: DeliveryView }) {
  const { t } = usePage();
  const err = (k: string) => (v.errors[k] ? ('true' as const) : undefined);
  return (
    <Layout title={`${t('cases.page.delivery.title')} - ${v.serviceName}`}>
      <p>
        <a href={v.backHref} class="cases-back">
          {t('cases.page.back')}
        </a>
      </p>
      <ErrorSummary errors={v.errors} />
      <p class="meta">{v.serviceName}</p>
      <h1>{t('cases.page.delivery.title')}</h1>
      <form method="post" action={`/account/applications/${v.applicationId}/delivery`} novalidate>
        <CsrfField />
        <div class={v.errors.method ? 'field field-error' : 'field'}>
          <fieldset aria-describedby={v.errors.method ? 'method-error' : undefined}>
            <legend>{t('cases.page.delivery.legend')}</legend>
            {v.errors.method && (
              <p id="method-error" class="error-message">
                {t(v.errors.method)}
              </p>
            )}
            {v.options.map((o, i) => (
              <div class="cases-radio" key={o}>
                <input type="radio" id={i === 0 ? 'method' : `method-${o}`} name="method" value={o} checked={v.chosen === o} aria-invalid={err('method')} />
                <label for={i === 0 ? 'method' : `method-${o}`}>
                  {t(`cases.page.delivery.${o}`)}
                  <span class="hint cases-option-hint"> {t(`cases.page.delivery.${o}Hint`)}</span>
                </label>
              </div>
            ))}
          </fieldset>
        </div>
        {v.options.includes('courier') && (
          <fieldset>
            <legend>{t('cases.page.delivery.courierAddress')}</legend>
            <p class="hint">{t('cases.page.delivery.courierOnly')}</p>
            {(
              [
                ['recipientName', 'text', v.recipientName, 'name', 50],
                ['phone', 'tel', v.phone, 'tel-national', 11],
              ] as const
            ).map(([name, type, value, ac, max]) => (
              <div class={v.errors[name] ? 'field field-error' : 'field'} key={name}>
                <label for={name}>{t(`cases.page.delivery.${name}`)}</label>
                {v.errors[name] && (
                  <p id={`${name}-error`} class="error-message">
                    {t(v.errors[name])}
                  </p>
                )}
                <input
                  id={name}
                  name={name}
                  type={type}
                  value={value}
                  autocomplete={ac}
                  maxLength={max}
                  class={v.errors[name] ? 'input input-error' : 'input'}
                  aria-invalid={err(name)}
                  aria-describedby={v.errors[name] ? `${name}-error` : undefined}
                />
              </div>
            ))}
            <div class={v.errors.district ? 'field field-error' : 'field'}>
              <label for="district">{t('cases.page.address.district')}</label>
              {v.errors.district && (
                <p id="district-error" class="error-message">
                  {t(v.errors.district)}
                </p>
              )}
              <select
                id="district"
                name="district"
                class={v.errors.district ? 'input input-error' : 'input'}
                aria-invalid={err('district')}
                aria-describedby={v.errors.district ? 'district-error' : undefined}
              >
                <option value="">{t('cases.page.choose')}</option>
                {v.districts.map((d) => (
                  <option key={d.value} value={d.value} selected={d.value === v.district}>
                    {d.label}
                  </option>
                ))}
              </select>
            </div>
            <div class={v.errors.detail ? 'field field-error' : 'field'}>
              <label for="detail">{t('cases.page.address.detail')}</label>
              {v.errors.detail && (
                <p id="detail-error" class="error-message">
                  {t(v.errors.detail)}
                </p>
              )}
              <input
                id="detail"
                name="detail"
                type="text"
                value={v.detail}
                maxLength={120}
                autocomplete="street-address"
                class={v.errors.detail ? 'input input-error' : 'input'}
                aria-invalid={err('detail')}
                aria-describedby={v.errors.detail ? 'detail-error' : undefined}
              />
            </div>
          </fieldset>
        )}
        <Button>{t('cases.page.continue')}</Button>
      </form>
    </Layout>
  );
}

export interface AnswerRow {
  key: string;
  label: string;
  value: string;
  changeHref?: string | undefined;
  /** From the department that holds it (not changeable). */
  heldBy?: string | undefined;
}

export interface CheckView {
  applicationId: string;
  serviceName: string;
  applicantName: string;
  sections: { title: string; rows: AnswerRow[] }[];
  delivery: AnswerRow[];
  fee: string | null;
  backHref: string;
  errors: FieldErrors;
}

/** Check your answers: every answer with a Change link, then submit. */
export function CheckAnswersPage({ v }: { v: CheckView }) {
  const { t } = usePage();
  const Rows = ({ rows }: { rows: AnswerRow[] }) => (
    <dl class="summary-list cases-answers">
      {rows.map((r) => (
        // An answer the service refused at submission is the summary's link target and says why.
        <div
          class={v.errors[r.key] ? 'cases-answer field-error' : 'cases-answer'}
          key={r.key}
          id={v.errors[r.key] ? r.key : undefined}
          tabIndex={v.errors[r.key] ? -1 : undefined}
        >
          <dt>{r.label}</dt>
          <dd>
            {v.errors[r.key] && <p class="error-message">{t(v.errors[r.key]!)}</p>}
            {r.value}
            {r.heldBy && <p class="held-by">{t('cases.page.prefilled.from', { department: r.heldBy })}</p>}
          </dd>
          {r.changeHref && (
            <dd class="cases-change">
              <a href={r.changeHref}>
                {t('cases.page.change')}
                <span class="visually-hidden"> {r.label}</span>
              </a>
            </dd>
          )}
        </div>
      ))}
    </dl>
  );
  return (
    <Layout title={`${t('cases.page.check.title')} - ${v.serviceName}`}>
      <p>
        <a href={v.backHref} class="cases-back">
          {t('cases.page.back')}
        </a>
      </p>
      <ErrorSummary errors={v.errors} />
      <p class="meta">{v.serviceName}</p>
      <h1>{t('cases.page.check.title')}</h1>
      <p>{t('cases.page.check.applicant', { name: v.applicantName })}</p>
      {v.sections.map((s) => (
        <section key={s.title}>
          <h2>{s.title}</h2>
          <Rows rows={s.rows} />
        </section>
      ))}
      <h2>{t('cases.page.delivery.title')}</h2>
      <Rows rows={v.delivery} />
      {v.fee && (
        <>
          <h2>{t('cases.page.fee')}</h2>
          <p>{t('cases.page.check.fee', { fee: v.fee })}</p>
        </>
      )}
      <h2>{t('cases.page.check.declare')}</h2>
      <p>{t('cases.page.check.declaration')}</p>
      <form method="post" action={`/account/applications/${v.applicationId}/submit`}>
        <CsrfField />
        <Button>{t('cases.page.check.submit')}</Button>
      </form>
    </Layout>
  );
}

export interface ConfirmationView {
  applicationId: string;
  serviceName: string;
  receiptNo: string;
  promisedBy: string | null;
  status: string;
  payment: { amount: string; status: 'none' | 'pending' | 'paid' | 'failed' | 'refunded' } | null;
}

/** After submission: the receipt number, the promised date, and "Pay now" when a fee is due. */
export function ConfirmationPage({ v }: { v: ConfirmationView }) {
  const { t } = usePage();
  const due = v.payment && v.payment.status !== 'paid' && v.payment.status !== 'refunded';
  return (
    <Layout title={t('cases.page.confirm.title')}>
      <div class="cases-panel" role="status">
        <h1>{t('cases.page.confirm.title')}</h1>
        <p>{t('cases.page.confirm.receipt')}</p>
        <p class="cases-receipt">
          <strong>{v.receiptNo}</strong>
        </p>
      </div>
      <dl class="summary-list">
        <dt>{t('cases.page.service')}</dt>
        <dd>{v.serviceName}</dd>
        <dt>{t('cases.page.status')}</dt>
        <dd>{v.status}</dd>
        {v.promisedBy && (
          <>
            <dt>{t('cases.page.promisedBy')}</dt>
            <dd>{v.promisedBy}</dd>
          </>
        )}
      </dl>
      {v.payment?.status === 'paid' && <Notice kind="success">{t('cases.page.pay.paid', { amount: v.payment.amount })}</Notice>}
      {due && v.payment && (
        <>
          <h2>{t('cases.page.pay.title')}</h2>
          <p>{t('cases.page.pay.due', { amount: v.payment.amount })}</p>
          {v.payment.status === 'failed' && <p class="error-message">{t('cases.page.pay.failed')}</p>}
          <form method="post" action={`/account/applications/${v.applicationId}/pay`}>
            <CsrfField />
            <Button>{t('cases.page.pay.button')}</Button>
          </form>
        </>
      )}
      <h2>{t('cases.page.confirm.next')}</h2>
      <p>{t('cases.page.confirm.nextText')}</p>
      <p>
        <a href={`/account/applications/${v.applicationId}`}>{t('cases.page.confirm.track')}</a>
      </p>
      <p>
        <a href="/account/applications">{t('cases.page.mine.title')}</a>
      </p>
    </Layout>
  );
}
