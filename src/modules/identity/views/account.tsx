import { Layout } from '../../../platform/views/layout.js';
import { Button, CsrfField, Notice } from '../../../platform/views/components.js';
import { usePage } from '../../../platform/views/page-context.js';

export interface AccountView {
  realName: string;
  maskedIdNumber: string;
  maskedPhone: string;
  companies: { id: string; name: string; uscc: string; role: 'legal_representative' | 'accountant' | 'agent' }[];
  actingForId: string | null;
}

/** The citizen's own page: personal data (masked), companies they act for, whom they act for now, security. */
export function AccountPage({ account, notice }: { account: AccountView; notice?: string | undefined }) {
  const { t } = usePage();
  const acting = account.companies.find((c) => c.id === account.actingForId);
  return (
    <Layout title={t('identity.account.title')}>
      {notice && <Notice kind="success">{t(notice)}</Notice>}
      <h1>{t('identity.account.title')}</h1>
      <p>
        <strong>{t('identity.account.actingForNow', { name: acting ? acting.name : account.realName })}</strong>
      </p>
      <ul class="tags">
        <li>
          <a href="/account/applications">{t('identity.account.applications')}</a>
        </li>
        <li>
          <a href="/account/inbox">{t('identity.account.inbox')}</a>
        </li>
        <li>
          <a href="/account/data-use">{t('identity.account.dataUse')}</a>
        </li>
      </ul>

      <h2>{t('identity.account.personal')}</h2>
      <dl class="summary-list">
        <dt>{t('identity.account.name')}</dt>
        <dd>{account.realName}</dd>
        <dt>{t('identity.account.idNumber')}</dt>
        <dd>{account.maskedIdNumber}</dd>
        <dt>{t('identity.account.phone')}</dt>
        <dd>{account.maskedPhone}</dd>
      </dl>

      <h2>{t('identity.account.companies')}</h2>
      {account.companies.length === 0 ? (
        <p>{t('identity.account.noCompanies')}</p>
      ) : (
        <ul class="card-list">
          {account.companies.map((c) => (
            <li class="card" key={c.id}>
              <h3>{c.name}</h3>
              <p class="meta">
                {t('identity.account.uscc')}: {c.uscc}
              </p>
              <p class="meta">
                {t('identity.account.role')}: {t(`identity.role.${c.role}`)}
              </p>
            </li>
          ))}
        </ul>
      )}

      <form method="post" action="/account/acting-for">
        <CsrfField />
        <fieldset>
          <legend>{t('identity.account.actingFor')}</legend>
          <div>
            <input type="radio" id="acting-self" name="enterprise" value="" checked={!acting} />
            <label for="acting-self">{t('identity.account.actingForSelf', { name: account.realName })}</label>
          </div>
          {account.companies.map((c) => (
            <div key={c.id}>
              <input type="radio" id={`acting-${c.id}`} name="enterprise" value={c.id} checked={acting?.id === c.id} />
              <label for={`acting-${c.id}`}>{t('identity.account.actingForCompany', { name: c.name, role: t(`identity.role.${c.role}`) })}</label>
            </div>
          ))}
        </fieldset>
        <Button variant="secondary">{t('identity.account.switch')}</Button>
      </form>

      <h2>{t('identity.account.security')}</h2>
      <p>{t('identity.account.signOutEverywhereHint')}</p>
      <form method="post" action="/account/sign-out-everywhere">
        <CsrfField />
        <Button variant="secondary">{t('identity.account.signOutEverywhere')}</Button>
      </form>
    </Layout>
  );
}
