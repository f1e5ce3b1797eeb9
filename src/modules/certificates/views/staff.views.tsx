import { Layout } from '../../../platform/views/layout.js';
import { usePage } from '../../../platform/views/page-context.js';
import { CsrfField, ErrorSummary, Field, Notice, type FieldErrors } from '../../../platform/views/components.js';
import type { CredentialState } from '../certificates.schema.js';
import type { LicenceAction } from '../certificates.service.js';

export interface StaffLicenceRow {
  credentialId: string;
  name: string;
  uscc: string;
  state: CredentialState;
  issuedOn: string;
}

/** The staff's entry: find a company's licences by its credit code. */
export function StaffLicencesPage({ uscc, rows, searched }: { uscc: string; rows: StaffLicenceRow[]; searched: boolean }) {
  const { t } = usePage();
  return (
    <Layout title={t('certificates.staff.list.title')} area="staff">
      <h1>{t('certificates.staff.list.title')}</h1>
      <form method="get" action="/staff/certificates/licences">
        <Field name="uscc" label={t('certificates.licence.uscc')} value={uscc} maxLength={18} required />
        <button type="submit" class="button button-secondary">
          {t('certificates.staff.list.search')}
        </button>
      </form>
      {searched && rows.length === 0 && <p>{t('certificates.staff.list.none')}</p>}
      {rows.length > 0 && (
        <div class="table-scroll">
          <table>
            <caption class="visually-hidden">{t('certificates.staff.list.title')}</caption>
            <thead>
              <tr>
                <th scope="col">{t('certificates.licence.name')}</th>
                <th scope="col">{t('certificates.licence.issuedOn')}</th>
                <th scope="col">{t('certificates.licence.state')}</th>
              </tr>
            </thead>
            <tbody>
              {rows.map((r) => (
                <tr key={r.credentialId}>
                  <td>
                    <a href={`/staff/certificates/licences/${r.credentialId}`}>{r.name}</a>
                  </td>
                  <td>{r.issuedOn}</td>
                  <td data-state={r.state}>{t(`certificates.licence.state.${r.state}`)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </Layout>
  );
}

export interface StaffLicenceView {
  credentialId: string;
  state: CredentialState;
  issuedOn: string;
  stateChangedAt: string | null;
  stateReason: string | null;
  subject: { label: string; value: string }[];
  actions: LicenceAction[];
}

/**
 * One licence for the registration authority: its fields and status, and one form whose buttons withdraw,
 * suspend or reinstate it (whichever the state allows) with the reason given. Works without JavaScript.
 */
export function StaffLicencePage({ v, errors, reason, done }: { v: StaffLicenceView; errors: FieldErrors; reason: string; done: LicenceAction | null }) {
  const { t } = usePage();
  const base = `/staff/certificates/licences/${v.credentialId}`;
  return (
    <Layout title={t('certificates.staff.licence.title')} area="staff">
      <ErrorSummary errors={errors} />
      {done && <Notice kind="success">{t(`certificates.staff.done.${done}`)}</Notice>}
      <h1>{t('certificates.staff.licence.title')}</h1>
      <dl class="summary-list">
        <dt>{t('certificates.verify.credentialId')}</dt>
        <dd>{v.credentialId}</dd>
        <dt>{t('certificates.licence.state')}</dt>
        <dd id="licence-state" data-state={v.state}>
          {t(`certificates.licence.state.${v.state}`)}
        </dd>
        {v.stateReason && (
          <>
            <dt>{t('certificates.staff.reasonGiven')}</dt>
            <dd>
              {v.stateReason}
              {v.stateChangedAt ? `（${v.stateChangedAt}）` : ''}
            </dd>
          </>
        )}
        <dt>{t('certificates.licence.issuedOn')}</dt>
        <dd>{v.issuedOn}</dd>
        {v.subject.map((f) => (
          <>
            <dt>{f.label}</dt>
            <dd>{f.value}</dd>
          </>
        ))}
      </dl>
      {v.actions.length > 0 ? (
        <form method="post" action={`${base}/${v.actions[0]}`} novalidate>
          <h2>{t('certificates.staff.change')}</h2>
          <CsrfField />
          <Field
            name="reason"
            label={t('certificates.staff.reason')}
            hint={t('certificates.staff.reason.hint')}
            value={reason}
            error={errors.reason}
            required
            multiline
            maxLength={500}
          />
          <div class="button-group">
            {v.actions.map((a) => (
              <button key={a} type="submit" formaction={`${base}/${a}`} class={a === 'reinstate' ? 'button button-primary' : 'button button-secondary'}>
                {t(`certificates.staff.action.${a}`)}
              </button>
            ))}
          </div>
        </form>
      ) : (
        <p>{t('certificates.staff.final')}</p>
      )}
      <p>
        <a href={`/verify?credential=${v.credentialId}`}>{t('certificates.licence.verify')}</a> ·{' '}
        <a href={`/staff/certificates/licences?uscc=${encodeURIComponent(v.subject[0]?.value ?? '')}`}>{t('certificates.staff.back')}</a>
      </p>
    </Layout>
  );
}
