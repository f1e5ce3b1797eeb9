import { CsrfField, ErrorSummary, Notice } from '../../../platform/views/components.js';
import { Layout } from '../../../platform/views/layout.js';
import { usePage } from '../../../platform/views/page-context.js';

export interface ParcelModel {
  trackingNo: string;
  recipientName: string;
  district: string;
  itemDescription: string;
  status: string;
  /** The status "advance" leads to; null when the parcel has finished. */
  nextStatus: string | null;
  canFail: boolean;
  updatedAt: string;
}

export interface CourierConsoleModel {
  parcels: ParcelModel[];
  notice?: { key: string; trackingNo: string; status: string };
  error?: string;
}

/** The sandbox courier's operator console: one card per parcel with its two commands. */
export function CourierConsolePage({ model }: { model: CourierConsoleModel }) {
  const { t } = usePage();
  return (
    <Layout title={t('sandbox.courier.title')}>
      <h1>{t('sandbox.courier.title')}</h1>
      {model.error && <ErrorSummary errors={{ _form: model.error }} />}
      {model.notice && (
        <Notice kind="success">{t(model.notice.key, { trackingNo: model.notice.trackingNo, status: t(`delivery.status.${model.notice.status}`) })}</Notice>
      )}
      <p class="hint">{t('sandbox.banner')}</p>
      <p>{t('sandbox.courier.intro')}</p>
      {model.parcels.length === 0 ? (
        <p class="empty-state">{t('sandbox.courier.empty')}</p>
      ) : (
        <ul class="card-list">
          {model.parcels.map((p) => (
            <li class="card" key={p.trackingNo}>
              <h2 id={`parcel-${p.trackingNo}`}>
                <span class="visually-hidden">{t('sandbox.courier.trackingNo')} </span>
                {p.trackingNo}
              </h2>
              <dl class="summary-list">
                <div>
                  <dt>{t('sandbox.courier.status')}</dt>
                  <dd>{t(`delivery.status.${p.status}`)}</dd>
                </div>
                <div>
                  <dt>{t('sandbox.courier.recipient')}</dt>
                  <dd>{p.recipientName}</dd>
                </div>
                <div>
                  <dt>{t('sandbox.courier.district')}</dt>
                  <dd>{p.district}</dd>
                </div>
                <div>
                  <dt>{t('sandbox.courier.item')}</dt>
                  <dd>{p.itemDescription}</dd>
                </div>
              </dl>
              {p.nextStatus || p.canFail ? (
                <form method="post" action={`/sandbox/courier/${p.trackingNo}`} aria-labelledby={`parcel-${p.trackingNo}`}>
                  <CsrfField />
                  {p.nextStatus && (
                    <button type="submit" name="command" value="advance" class="button button-primary">
                      {t('sandbox.courier.advance', { status: t(`delivery.status.${p.nextStatus}`) })}
                      <span class="visually-hidden"> {p.trackingNo}</span>
                    </button>
                  )}{' '}
                  {p.canFail && (
                    <button type="submit" name="command" value="fail" class="button button-secondary">
                      {t('sandbox.courier.fail')}
                      <span class="visually-hidden"> {p.trackingNo}</span>
                    </button>
                  )}
                </form>
              ) : (
                <p class="meta">{t('sandbox.courier.finished')}</p>
              )}
            </li>
          ))}
        </ul>
      )}
    </Layout>
  );
}
