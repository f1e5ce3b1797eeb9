import { Layout } from '../../../platform/views/layout.js';
import { usePage } from '../../../platform/views/page-context.js';
import type { DataUseItemView } from '../exchange.presenters.js';

/** "Who used my data": each read about the person and their companies, as a list that reads well on a phone. */
export function DataUsePage({ items, page, hasNext }: { items: DataUseItemView[]; page: number; hasNext: boolean }) {
  const { t } = usePage();
  return (
    <Layout title={t('exchange.dataUse.title')}>
      <h1>{t('exchange.dataUse.title')}</h1>
      <p>{t('exchange.dataUse.intro')}</p>
      {items.length === 0 ? (
        <p>{t('exchange.dataUse.empty')}</p>
      ) : (
        <>
          <h2 id="data-use-list">{t('exchange.dataUse.caption')}</h2>
          <p class="meta">{t('exchange.dataUse.count', { count: items.length })}</p>
          <ol class="card-list" aria-labelledby="data-use-list">
            {items.map((item) => (
              <li class="card data-use" key={item.id}>
                <h3>
                  <time datetime={item.at}>{item.atText}</time>
                </h3>
                <dl class="summary-list">
                  <dt>{t('exchange.dataUse.col.reader')}</dt>
                  <dd class="data-use-reader">{item.reader.name}</dd>
                  <dt>{t('exchange.dataUse.col.purpose')}</dt>
                  <dd class="data-use-purpose">
                    {item.purpose.serviceName}
                    {item.purpose.applicationId && (
                      <>
                        <br />
                        <span class="meta">{t('exchange.dataUse.application', { id: item.purpose.applicationId })}</span>
                      </>
                    )}
                  </dd>
                  <dt>{t('exchange.dataUse.col.data')}</dt>
                  <dd class="data-use-data">
                    <p>
                      {item.productName} ·{' '}
                      {item.subject.kind === 'enterprise'
                        ? t('exchange.dataUse.aboutCompany', { name: item.subject.name ?? '' })
                        : item.subject.kind === 'child'
                          ? t('exchange.dataUse.aboutChild', { idNumber: item.subject.name ?? '' })
                          : t('exchange.dataUse.aboutYou')}
                    </p>
                    {item.fields.length === 0 ? (
                      <p>{t('exchange.dataUse.noRecord')}</p>
                    ) : (
                      <ul>
                        {item.fields.map((f) => (
                          <li key={f.code}>{f.name}</li>
                        ))}
                      </ul>
                    )}
                  </dd>
                  <dt>{t('exchange.dataUse.col.holder')}</dt>
                  <dd class="data-use-holder">{item.holder.name}</dd>
                </dl>
              </li>
            ))}
          </ol>
        </>
      )}
      {(page > 1 || hasNext) && (
        <nav aria-label={t('exchange.dataUse.pagination')}>
          <ul class="tags">
            {page > 1 && (
              <li>
                <a href={`/account/data-use?page=${page - 1}`} rel="prev">
                  {t('exchange.dataUse.previous')}
                </a>
              </li>
            )}
            {hasNext && (
              <li>
                <a href={`/account/data-use?page=${page + 1}`} rel="next">
                  {t('exchange.dataUse.next')}
                </a>
              </li>
            )}
          </ul>
        </nav>
      )}
      <p>{t('exchange.dataUse.question')}</p>
      <p>
        <a href="/account">{t('exchange.dataUse.back')}</a>
      </p>
    </Layout>
  );
}
