import { Layout } from '../../../platform/views/layout.js';
import { Button, CsrfField, ErrorSummary, Notice, type FieldErrors } from '../../../platform/views/components.js';
import { usePage } from '../../../platform/views/page-context.js';

export interface PublicStatusView {
  receiptNo: string;
  serviceName: string;
  status: string;
  statusCode: string;
  promisedBy: string | null;
  updated: string;
}

/** The public status check: receipt number and the last four digits of the phone; shows no personal data. */
export function StatusCheckPage({
  values,
  errors,
  result,
  params,
}: {
  values: { receiptNo: string; phoneLast4: string };
  errors: FieldErrors;
  result: PublicStatusView | null;
  params?: Record<string, string | number>;
}) {
  const { t } = usePage();
  const field = (name: 'receiptNo' | 'phoneLast4', extra: { inputMode?: 'numeric'; maxLength: number; autocomplete?: string }) => (
    <div class={errors[name] ? 'field field-error' : 'field'}>
      <label for={name}>{t(`cases.page.statusCheck.${name}`)}</label>
      <p id={`${name}-hint`} class="hint">
        {t(`cases.page.statusCheck.${name}Hint`)}
      </p>
      {errors[name] && (
        <p id={`${name}-error`} class="error-message">
          {t(errors[name], params)}
        </p>
      )}
      <input
        id={name}
        name={name}
        type="text"
        value={values[name]}
        class={errors[name] ? 'input input-error' : 'input'}
        inputMode={extra.inputMode}
        maxLength={extra.maxLength}
        autocomplete={extra.autocomplete ?? 'off'}
        aria-invalid={errors[name] ? 'true' : undefined}
        aria-describedby={errors[name] ? `${name}-hint ${name}-error` : `${name}-hint`}
      />
    </div>
  );
  return (
    <Layout title={t('cases.page.statusCheck.title')}>
      <ErrorSummary errors={errors} params={params} />
      <h1>{t('cases.page.statusCheck.title')}</h1>
      {result && (
        <section class="cases-panel" aria-labelledby="status-result" role="status">
          <h2 id="status-result">{t('cases.page.statusCheck.result', { receiptNo: result.receiptNo })}</h2>
          <dl class="summary-list">
            <dt>{t('cases.page.service')}</dt>
            <dd>{result.serviceName}</dd>
            <dt>{t('cases.page.status')}</dt>
            <dd>
              <span class={`cases-status cases-status-${result.statusCode}`}>{result.status}</span>
            </dd>
            {result.promisedBy && (
              <>
                <dt>{t('cases.page.promisedBy')}</dt>
                <dd>{result.promisedBy}</dd>
              </>
            )}
            <dt>{t('cases.page.statusCheck.updated')}</dt>
            <dd>{result.updated}</dd>
          </dl>
        </section>
      )}
      {!result && <p>{t('cases.page.statusCheck.intro')}</p>}
      <form method="post" action="/status" novalidate>
        <CsrfField />
        {field('receiptNo', { maxLength: 40 })}
        {field('phoneLast4', { inputMode: 'numeric', maxLength: 4 })}
        <Button>{t('cases.page.statusCheck.submit')}</Button>
      </form>
      <Notice>{t('cases.page.statusCheck.signInHint')}</Notice>
    </Layout>
  );
}
