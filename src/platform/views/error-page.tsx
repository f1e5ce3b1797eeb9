import { Layout } from './layout.js';
import { usePage } from './page-context.js';

export function ErrorPage({
  status,
  messageKey,
  params,
  reference,
}: {
  status: number;
  messageKey: string;
  params?: Record<string, string | number>;
  reference?: string | undefined;
}) {
  const { t } = usePage();
  return (
    <Layout title={t('error.title')}>
      <h1>{t('error.title')}</h1>
      <p>{t(messageKey, params)}</p>
      {reference && (
        <p class="meta">
          {status} · {reference}
        </p>
      )}
      <p>
        <a href="/">{t('error.back')}</a>
      </p>
    </Layout>
  );
}
