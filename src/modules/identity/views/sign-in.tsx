import { Layout } from '../../../platform/views/layout.js';
import { Button, CsrfField, ErrorSummary, Field, Notice, type FieldErrors } from '../../../platform/views/components.js';
import { usePage } from '../../../platform/views/page-context.js';

export interface SignInProps {
  phone: string;
  codePhone: string;
  /** The masked number a code was just sent to. */
  codeSentTo?: string | undefined;
  returnTo: string;
  errors: FieldErrors;
  params?: Record<string, string | number>;
  notice?: string | undefined;
}

/** Two ways to sign in on one page, both working without JavaScript: password, or a code by text message. */
export function SignInPage({ phone, codePhone, codeSentTo, returnTo, errors, params, notice }: SignInProps) {
  const { t } = usePage();
  const showCodeForm = Boolean(codeSentTo) || errors.code !== undefined;
  return (
    <Layout title={t('identity.signIn.title')}>
      <ErrorSummary errors={errors} params={params} />
      {notice && <Notice kind="success">{t(notice)}</Notice>}
      <h1>{t('identity.signIn.title')}</h1>

      <section aria-labelledby="by-password">
        <h2 id="by-password">{t('identity.signIn.byPassword')}</h2>
        <form method="post" action="/sign-in" novalidate>
          <CsrfField />
          <input type="hidden" name="method" value="password" />
          <input type="hidden" name="return" value={returnTo} />
          <Field
            name="phone"
            type="tel"
            inputmode="numeric"
            autocomplete="username"
            label={t('identity.field.phone')}
            value={phone}
            error={errors.phone}
            maxLength={20}
            required
          />
          <Field
            name="password"
            type="password"
            autocomplete="current-password"
            label={t('identity.field.password')}
            error={errors.password}
            maxLength={128}
            required
          />
          <Button>{t('identity.signIn.submit')}</Button>
        </form>
      </section>

      <section aria-labelledby="by-code" id="code-section">
        <h2 id="by-code">{t('identity.signIn.byCode')}</h2>
        {codeSentTo && <Notice>{t('identity.signIn.codeSent', { phone: codeSentTo })}</Notice>}
        <form method="post" action="/sign-in/code" novalidate>
          <CsrfField />
          <input type="hidden" name="return" value={returnTo} />
          <Field
            name="codePhone"
            type="tel"
            inputmode="numeric"
            autocomplete="tel-national"
            label={t('identity.field.phone')}
            value={codePhone}
            error={errors.codePhone}
            maxLength={20}
            required
          />
          <Button variant={showCodeForm ? 'secondary' : 'primary'}>{t('identity.signIn.sendCode')}</Button>
        </form>
        {showCodeForm && (
          <form method="post" action="/sign-in" novalidate>
            <CsrfField />
            <input type="hidden" name="method" value="code" />
            <input type="hidden" name="return" value={returnTo} />
            <input type="hidden" name="codePhone" value={codePhone} />
            <Field
              name="code"
              inputmode="numeric"
              autocomplete="one-time-code"
              label={t('identity.field.code')}
              hint={t('identity.hint.code')}
              error={errors.code}
              maxLength={6}
              required
            />
            <Button>{t('identity.signIn.submit')}</Button>
          </form>
        )}
      </section>

      <p>
        <a href="/sign-up">{t('identity.signIn.noAccount')}</a>
      </p>
      <p>
        <a href="/staff">{t('identity.signIn.staff')}</a>
      </p>
    </Layout>
  );
}
