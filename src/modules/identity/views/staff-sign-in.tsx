import { Layout } from '../../../platform/views/layout.js';
import { Button, CsrfField, ErrorSummary, Field, type FieldErrors } from '../../../platform/views/components.js';
import { usePage } from '../../../platform/views/page-context.js';

export function StaffSignInPage({
  login,
  returnTo,
  errors,
  params,
}: {
  login: string;
  returnTo: string;
  errors: FieldErrors;
  params?: Record<string, string | number>;
}) {
  const { t } = usePage();
  return (
    <Layout title={t('identity.staff.title')} area="staff">
      <ErrorSummary errors={errors} params={params} />
      <h1>{t('identity.staff.title')}</h1>
      <p>{t('identity.staff.intro')}</p>
      <form method="post" action="/staff" novalidate>
        <CsrfField />
        <input type="hidden" name="return" value={returnTo} />
        <Field name="login" autocomplete="username" label={t('identity.field.login')} value={login} error={errors.login} maxLength={64} required />
        <Field
          name="password"
          type="password"
          autocomplete="current-password"
          label={t('identity.field.password')}
          error={errors.password}
          maxLength={128}
          required
        />
        <Button>{t('identity.staff.submit')}</Button>
      </form>
      <p>
        <a href="/sign-in">{t('identity.staff.citizen')}</a>
      </p>
    </Layout>
  );
}

export function SecondFactorPage({
  enrol,
  returnTo,
  errors,
  params,
}: {
  enrol?: { uri: string; secret: string } | undefined;
  returnTo: string;
  errors: FieldErrors;
  params?: Record<string, string | number>;
}) {
  const { t } = usePage();
  return (
    <Layout title={t(enrol ? 'identity.totp.enrolTitle' : 'identity.totp.title')} area="staff">
      <ErrorSummary errors={errors} params={params} />
      <h1>{t(enrol ? 'identity.totp.enrolTitle' : 'identity.totp.title')}</h1>
      {enrol ? (
        <>
          <p>{t('identity.totp.enrolIntro')}</p>
          <dl class="summary-list">
            <dt>{t('identity.totp.uri')}</dt>
            <dd>
              <a href={enrol.uri}>
                <code>{enrol.uri}</code>
              </a>
            </dd>
            <dt>{t('identity.totp.secret')}</dt>
            <dd>
              <code data-testid="totp-secret">{enrol.secret}</code>
            </dd>
          </dl>
        </>
      ) : (
        <p>{t('identity.totp.intro')}</p>
      )}
      <form method="post" action="/staff/second-factor" novalidate>
        <CsrfField />
        <input type="hidden" name="return" value={returnTo} />
        <Field
          name="code"
          inputmode="numeric"
          autocomplete="one-time-code"
          label={t('identity.field.totp')}
          hint={t('identity.hint.totp')}
          error={errors.code}
          maxLength={6}
          required
        />
        <Button>{t('identity.totp.submit')}</Button>
      </form>
    </Layout>
  );
}
