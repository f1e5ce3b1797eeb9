import { CsrfField, ErrorSummary, Notice } from '../../../platform/views/components.js';
import { Layout } from '../../../platform/views/layout.js';
import { usePage } from '../../../platform/views/page-context.js';

export interface PayPageModel {
  chargeId: string;
  amount: string;
  description: string;
  status: 'open' | 'paid' | 'failed' | 'refunded';
  /** Where "back" leads once the charge is settled. */
  returnHref: string;
  error?: string;
}

/** The sandbox provider's hosted payment page: works without JavaScript, two buttons, one form. */
export function PayPage({ model }: { model: PayPageModel }) {
  const { t } = usePage();
  return (
    <Layout title={t('sandbox.pay.title')}>
      <h1>{t('sandbox.pay.title')}</h1>
      {model.error && <ErrorSummary errors={{ _form: model.error }} />}
      <p class="hint">{t('sandbox.banner')}</p>
      <dl class="summary-list">
        <div>
          <dt>{t('sandbox.pay.description')}</dt>
          <dd>{model.description}</dd>
        </div>
        <div>
          <dt>{t('sandbox.pay.amount')}</dt>
          <dd>
            <strong>{model.amount}</strong>
          </dd>
        </div>
        <div>
          <dt>{t('sandbox.pay.status')}</dt>
          <dd>{t(`payment.status.${model.status}`)}</dd>
        </div>
      </dl>
      {model.status === 'open' ? (
        <form method="post" action={`/sandbox/pay/${model.chargeId}`}>
          <CsrfField />
          <fieldset>
            <legend class="visually-hidden">{t('sandbox.pay.actions')}</legend>
            <button type="submit" name="outcome" value="pay" class="button button-primary">
              {t('sandbox.pay.pay')}
            </button>{' '}
            <button type="submit" name="outcome" value="fail" class="button button-secondary">
              {t('sandbox.pay.fail')}
            </button>
          </fieldset>
        </form>
      ) : (
        <>
          <Notice>{t('sandbox.pay.settled')}</Notice>
          <p>
            <a href={model.returnHref}>{t('sandbox.pay.back')}</a>
          </p>
        </>
      )}
    </Layout>
  );
}
