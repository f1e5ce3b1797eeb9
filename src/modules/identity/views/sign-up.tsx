import { Layout } from '../../../platform/views/layout.js';
import { Button, CsrfField, ErrorSummary, Field, type FieldErrors } from '../../../platform/views/components.js';
import { usePage } from '../../../platform/views/page-context.js';

export interface SignUpValues {
  phone: string;
  realName: string;
  idNumber: string;
}

/** Citizen sign-up: mobile number, real name, ID number, password twice. Passwords are never echoed back. */
export function SignUpPage({ values, errors, params }: { values: SignUpValues; errors: FieldErrors; params?: Record<string, string | number> }) {
  const { t } = usePage();
  return (
    <Layout title={t('identity.signUp.title')}>
      <ErrorSummary errors={errors} params={params} />
      <h1>{t('identity.signUp.title')}</h1>
      <p>{t('identity.signUp.intro')}</p>
      <form method="post" action="/sign-up" novalidate>
        <CsrfField />
        <Field
          name="phone"
          type="tel"
          inputmode="numeric"
          autocomplete="tel-national"
          label={t('identity.field.phone')}
          hint={t('identity.hint.phone')}
          value={values.phone}
          error={errors.phone}
          maxLength={20}
          required
        />
        <Field
          name="realName"
          autocomplete="name"
          label={t('identity.field.realName')}
          hint={t('identity.hint.realName')}
          value={values.realName}
          error={errors.realName}
          maxLength={50}
          required
        />
        <Field
          name="idNumber"
          autocomplete="off"
          label={t('identity.field.idNumber')}
          hint={t('identity.hint.idNumber')}
          value={values.idNumber}
          error={errors.idNumber}
          maxLength={18}
          required
        />
        <Field
          name="password"
          type="password"
          autocomplete="new-password"
          label={t('identity.field.password')}
          hint={t('identity.hint.password')}
          error={errors.password}
          maxLength={128}
          required
        />
        <Field
          name="confirmPassword"
          type="password"
          autocomplete="new-password"
          label={t('identity.field.confirmPassword')}
          error={errors.confirmPassword}
          maxLength={128}
          required
        />
        <Button>{t('identity.signUp.submit')}</Button>
      </form>
      <p>
        <a href="/sign-in">{t('identity.signUp.haveAccount')}</a>
      </p>
    </Layout>
  );
}
