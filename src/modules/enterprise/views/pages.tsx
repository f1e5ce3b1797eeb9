import { Button, CsrfField, ErrorSummary, Field, Notice, type FieldErrors } from '../../../platform/views/components.js';
import { Layout } from '../../../platform/views/layout.js';
import { usePage } from '../../../platform/views/page-context.js';
import { Checkboxes, Select } from './controls.js';

type Options = { value: string; label: string; note?: string | undefined }[];
export type FormValues = Record<string, string | string[]>;

const str = (v: FormValues, k: string): string => {
  const x = v[k];
  return typeof x === 'string' ? x : '';
};
const list = (v: FormValues, k: string): string[] => {
  const x = v[k];
  return Array.isArray(x) ? x : typeof x === 'string' && x !== '' ? [x] : [];
};

// --- citizen hub ----------------------------------------------------------------------------------------

export interface HubView {
  names: { id: string; fullName: string; status: string; until: string }[];
  applications: { id: string; title: string; status: string; submittedAt: string }[];
  confirmations: { id: string; name: string; roles: string }[];
  companies: { uscc: string; name: string; mayChange: boolean }[];
}

export function EnterpriseHomePage({ v }: { v: HubView }) {
  const { t } = usePage();
  return (
    <Layout title={t('enterprise.home.title')}>
      <h1>{t('enterprise.home.title')}</h1>
      <p>{t('enterprise.home.intro')}</p>
      <p>
        <a class="button button-primary" href="/enterprise/names/new">
          {t('enterprise.home.declare')}
        </a>
      </p>
      {v.confirmations.length > 0 && (
        <section aria-labelledby="confirm-h">
          <h2 id="confirm-h">{t('enterprise.home.toConfirm')}</h2>
          <ul>
            {v.confirmations.map((c) => (
              <li key={c.id}>
                <a href={`/enterprise/confirm/${c.id}`}>{t('enterprise.home.confirmLink', { name: c.name })}</a> · {c.roles}
              </li>
            ))}
          </ul>
        </section>
      )}
      <section aria-labelledby="names-h">
        <h2 id="names-h">{t('enterprise.home.names')}</h2>
        {v.names.length === 0 ? (
          <p>{t('enterprise.home.noNames')}</p>
        ) : (
          <ul>
            {v.names.map((n) => (
              <li key={n.id}>
                <a href={`/enterprise/names/${n.id}`}>{n.fullName}</a> · {n.status} {n.until}
              </li>
            ))}
          </ul>
        )}
      </section>
      <section aria-labelledby="apps-h">
        <h2 id="apps-h">{t('enterprise.home.applications')}</h2>
        {v.applications.length === 0 ? (
          <p>{t('enterprise.home.noApplications')}</p>
        ) : (
          <ul>
            {v.applications.map((a) => (
              <li key={a.id}>
                <a href={`/enterprise/applications/${a.id}`}>{a.title}</a> · {a.status} · {a.submittedAt}
              </li>
            ))}
          </ul>
        )}
      </section>
      {v.companies.length > 0 && (
        <section aria-labelledby="companies-h">
          <h2 id="companies-h">{t('enterprise.home.companies')}</h2>
          <p>
            <a href="/licences">{t('enterprise.home.licences')}</a>
          </p>
          <ul>
            {v.companies.map((c) => (
              <li key={c.uscc}>
                <a href={`/enterprises/${c.uscc}`}>{c.name}</a> ({c.uscc})
                {c.mayChange && (
                  <>
                    {' · '}
                    <a href={`/enterprise/companies/${c.uscc}/change`}>{t('enterprise.home.change')}</a>
                  </>
                )}
              </li>
            ))}
          </ul>
        </section>
      )}
    </Layout>
  );
}

// --- name declaration ------------------------------------------------------------------------------------

export function NameFormPage({
  values,
  errorText,
  divisions,
  industries,
  orgForms,
}: {
  values: FormValues;
  /** The messages, already worded with their parameters (which name conflicts, which word). */
  errorText: Record<string, string>;
  divisions: Options;
  industries: Options;
  orgForms: Options;
}) {
  const { t } = usePage();
  return (
    <Layout title={t('enterprise.name.title')}>
      {Object.keys(errorText).length > 0 && (
        <div class="error-summary" role="alert" aria-labelledby="error-summary-title" tabIndex={-1}>
          <h2 id="error-summary-title">{t('form.errorSummary')}</h2>
          <ul>
            {Object.entries(errorText).map(([field, text]) => (
              <li key={field}>
                <a href={`#${field}`}>{text}</a>
              </li>
            ))}
          </ul>
        </div>
      )}
      <h1>{t('enterprise.name.title')}</h1>
      <p>{t('enterprise.name.intro')}</p>
      <form method="post" action="/enterprise/names" novalidate>
        <CsrfField />
        <Select name="division" label={t('enterprise.name.division')} value={str(values, 'division')} error={errorText.division} options={divisions} />
        <Field
          name="tradeName"
          label={t('enterprise.name.tradeName')}
          hint={t('enterprise.name.tradeNameHint')}
          value={str(values, 'tradeName')}
          error={errorText.tradeName}
          required
          maxLength={20}
        />
        <Select name="industry" label={t('enterprise.name.industry')} value={str(values, 'industry')} error={errorText.industry} options={industries} />
        <Select name="orgForm" label={t('enterprise.name.orgForm')} value={str(values, 'orgForm')} error={errorText.orgForm} options={orgForms} />
        <Button>{t('enterprise.name.submit')}</Button>
      </form>
    </Layout>
  );
}

export function NameReservedPage({ v }: { v: { id: string; fullName: string; until: string; usable: boolean; status: string } }) {
  const { t } = usePage();
  return (
    <Layout title={v.fullName}>
      <h1>{v.fullName}</h1>
      {v.usable ? <Notice kind="success">{t('enterprise.name.reserved', { until: v.until })}</Notice> : <p>{v.status}</p>}
      {v.usable && (
        <p>
          <a class="button button-primary" href={`/enterprise/establish?name=${v.id}`}>
            {t('enterprise.name.startEstablishment')}
          </a>
        </p>
      )}
      <p>
        <a href="/enterprise">{t('enterprise.back')}</a>
      </p>
    </Layout>
  );
}

// --- establishment ---------------------------------------------------------------------------------------

function PersonFields({ prefix, legend, values, errors }: { prefix: string; legend: string; values: FormValues; errors: FieldErrors }) {
  const { t } = usePage();
  return (
    <fieldset>
      <legend>{legend}</legend>
      <Field
        name={`${prefix}.name`}
        label={t('enterprise.person.name')}
        value={str(values, `${prefix}.name`)}
        error={errors[`${prefix}.name`]}
        required
        maxLength={50}
      />
      <Field
        name={`${prefix}.idNumber`}
        label={t('enterprise.person.idNumber')}
        value={str(values, `${prefix}.idNumber`)}
        error={errors[`${prefix}.idNumber`]}
        required
        maxLength={18}
        autocomplete="off"
      />
    </fieldset>
  );
}

export const shareholderRows = 3;

export function EstablishFormPage({
  name,
  values,
  errors,
  districts,
  scope,
}: {
  name: { id: string; fullName: string };
  values: FormValues;
  errors: FieldErrors;
  districts: Options;
  scope: Options;
}) {
  const { t } = usePage();
  return (
    <Layout title={t('enterprise.est.title')}>
      <ErrorSummary errors={errors} />
      <h1>{t('enterprise.est.title')}</h1>
      <p>{t('enterprise.est.intro', { name: name.fullName })}</p>
      <form method="post" action="/enterprise/establish" novalidate>
        <CsrfField />
        <input type="hidden" name="nameId" value={name.id} />
        {errors.nameId && (
          <p id="nameId" class="error-message">
            {t(errors.nameId)}
          </p>
        )}
        <AddressFields values={values} errors={errors} districts={districts} />
        <ScopeFields values={values} errors={errors} scope={scope} hint={t('enterprise.scope.hint')} />
        <CapitalField values={values} errors={errors} hint={t('enterprise.capital.hint')} />
        <h2>{t('enterprise.est.people')}</h2>
        <p>{t('enterprise.est.peopleHint')}</p>
        <PersonFields prefix="legalRepresentative" legend={t('enterprise.role.legalRepresentative')} values={values} errors={errors} />
        {Array.from({ length: shareholderRows }, (_, i) => (
          <fieldset key={i}>
            <legend>{t('enterprise.est.shareholder', { n: i + 1 })}</legend>
            <Field
              name={`shareholders.${i}.name`}
              label={t('enterprise.person.name')}
              value={str(values, `shareholders.${i}.name`)}
              error={errors[`shareholders.${i}.name`]}
              required={i === 0}
              maxLength={50}
            />
            <Field
              name={`shareholders.${i}.idNumber`}
              label={t('enterprise.person.idNumber')}
              value={str(values, `shareholders.${i}.idNumber`)}
              error={errors[`shareholders.${i}.idNumber`]}
              required={i === 0}
              maxLength={18}
              autocomplete="off"
            />
            <Field
              name={`shareholders.${i}.contribution`}
              label={t('enterprise.est.contribution')}
              value={str(values, `shareholders.${i}.contribution`)}
              error={errors[`shareholders.${i}.contribution`]}
              required={i === 0}
              maxLength={14}
            />
          </fieldset>
        ))}
        <PersonFields prefix="officers.executiveDirector" legend={t('enterprise.role.executiveDirector')} values={values} errors={errors} />
        <PersonFields prefix="officers.manager" legend={t('enterprise.role.manager')} values={values} errors={errors} />
        <PersonFields prefix="officers.supervisor" legend={t('enterprise.role.supervisor')} values={values} errors={errors} />
        <Button>{t('enterprise.est.submit')}</Button>
      </form>
    </Layout>
  );
}

// --- an application, as its applicant sees it -----------------------------------------------------------

export interface ApplicationView {
  id: string;
  title: string;
  status: string;
  statusCode: string;
  submittedAt: string;
  decidedBy: string | null;
  reason: string | null;
  details: { label: string; value: string }[];
  confirmations: { name: string; roles: string; confirmed: boolean }[];
  company: { uscc: string; name: string } | null;
  licence: { id: string; href: string } | null;
}

export function ApplicationPage({ v, notice }: { v: ApplicationView; notice?: string | undefined }) {
  const { t } = usePage();
  return (
    <Layout title={v.title}>
      {notice && <Notice kind="success">{notice}</Notice>}
      <h1>{v.title}</h1>
      <dl class="summary-list">
        <dt>{t('enterprise.app.status')}</dt>
        <dd id="application-status" data-status={v.statusCode}>
          {v.status}
        </dd>
        <dt>{t('enterprise.app.submittedAt')}</dt>
        <dd>{v.submittedAt}</dd>
        {v.decidedBy && (
          <>
            <dt>{t('enterprise.app.decidedBy')}</dt>
            <dd>{v.decidedBy}</dd>
          </>
        )}
        {v.reason && (
          <>
            <dt>{t('enterprise.app.reason')}</dt>
            <dd>{v.reason}</dd>
          </>
        )}
        {v.details.map((d) => (
          <>
            <dt>{d.label}</dt>
            <dd>{d.value}</dd>
          </>
        ))}
      </dl>
      {v.confirmations.length > 0 && (
        <section aria-labelledby="conf-h">
          <h2 id="conf-h">{t('enterprise.app.confirmations')}</h2>
          <ul>
            {v.confirmations.map((c) => (
              <li key={c.name + c.roles}>
                {c.name}（{c.roles}）：{c.confirmed ? t('enterprise.app.confirmed') : t('enterprise.app.notConfirmed')}
              </li>
            ))}
          </ul>
        </section>
      )}
      {v.company && (
        <p>
          {t('enterprise.app.registeredAs')} <a href={`/enterprises/${v.company.uscc}`}>{v.company.name}</a> · <span id="company-uscc">{v.company.uscc}</span>
        </p>
      )}
      {v.licence && (
        <p>
          <a id="licence-link" href={v.licence.href}>
            {t('enterprise.app.licence')}
          </a>
        </p>
      )}
      <p>
        <a href="/enterprise">{t('enterprise.back')}</a>
      </p>
    </Layout>
  );
}

export function ConfirmPage({ v, mine, done }: { v: ApplicationView; mine: string; done: boolean }) {
  const { t } = usePage();
  return (
    <Layout title={t('enterprise.confirm.title')}>
      <h1>{t('enterprise.confirm.title')}</h1>
      <p>{t('enterprise.confirm.intro', { roles: mine })}</p>
      <dl class="summary-list">
        {v.details.map((d) => (
          <>
            <dt>{d.label}</dt>
            <dd>{d.value}</dd>
          </>
        ))}
      </dl>
      {done ? (
        <Notice kind="success">{t('enterprise.confirm.done')}</Notice>
      ) : (
        <form method="post" action={`/enterprise/confirm/${v.id}`}>
          <CsrfField />
          <p>{t('enterprise.confirm.statement')}</p>
          <Button>{t('enterprise.confirm.submit')}</Button>
        </form>
      )}
    </Layout>
  );
}

// --- change registration --------------------------------------------------------------------------------

export function ChangeFormPage({
  company,
  values,
  errors,
  districts,
  scope,
}: {
  company: { uscc: string; name: string };
  values: FormValues;
  errors: FieldErrors;
  districts: Options;
  scope: Options;
}) {
  const { t } = usePage();
  return (
    <Layout title={t('enterprise.change.title')}>
      <ErrorSummary errors={errors} />
      <h1>{t('enterprise.change.title')}</h1>
      <p>{t('enterprise.change.intro', { name: company.name, uscc: company.uscc })}</p>
      {errors._form && <p class="error-message">{t(errors._form)}</p>}
      <form method="post" action={`/enterprise/companies/${company.uscc}/change`} novalidate>
        <CsrfField />
        <ScopeFields values={values} errors={errors} scope={scope} hint={t('enterprise.change.scopeHint')} />
        <AddressFields values={values} errors={errors} districts={districts} />
        <CapitalField values={values} errors={errors} />
        <h2>{t('enterprise.role.legalRepresentative')}</h2>
        <p class="hint">{t('enterprise.change.legalRepHint')}</p>
        <PersonFields prefix="legalRepresentative" legend={t('enterprise.change.newLegalRep')} values={values} errors={errors} />
        <Button>{t('enterprise.change.submit')}</Button>
      </form>
    </Layout>
  );
}

type SectionProps = { values: FormValues; errors: FieldErrors };

/** The registered address: a district of Chengdu and the rest of the address (establishment and change). */
function AddressFields({ values, errors, districts }: SectionProps & { districts: Options }) {
  const { t } = usePage();
  return (
    <>
      <h2>{t('enterprise.est.address')}</h2>
      <Select name="district" label={t('enterprise.address.district')} value={str(values, 'district')} error={errors.district} options={districts} />
      <Field
        name="addressDetail"
        label={t('enterprise.address.detail')}
        value={str(values, 'addressDetail')}
        error={errors.addressDetail}
        required
        maxLength={100}
      />
    </>
  );
}

/** The business scope: items from the catalogue of scope entries and free text. */
function ScopeFields({ values, errors, scope, hint }: SectionProps & { scope: Options; hint: string }) {
  const { t } = usePage();
  return (
    <>
      <h2>{t('enterprise.est.scope')}</h2>
      <Checkboxes
        name="scopeCodes"
        legend={t('enterprise.scope.items')}
        hint={hint}
        values={list(values, 'scopeCodes')}
        error={errors.scopeCodes}
        options={scope}
      />
      <Field name="scopeText" label={t('enterprise.scope.text')} value={str(values, 'scopeText')} error={errors.scopeText} multiline maxLength={500} />
    </>
  );
}

function CapitalField({ values, errors, hint }: SectionProps & { hint?: string }) {
  const { t } = usePage();
  return (
    <>
      <h2>{t('enterprise.est.capital')}</h2>
      <Field
        name="registeredCapital"
        label={t('enterprise.capital.label')}
        hint={hint}
        value={str(values, 'registeredCapital')}
        error={errors.registeredCapital}
        required
        inputmode="text"
        maxLength={14}
      />
    </>
  );
}

// --- staff ----------------------------------------------------------------------------------------------

export function StaffQueuePage({ rows }: { rows: { id: string; title: string; status: string; submittedAt: string }[] }) {
  const { t } = usePage();
  return (
    <Layout title={t('enterprise.staff.title')} area="staff">
      <h1>{t('enterprise.staff.title')}</h1>
      <p>
        <a href="/staff/enterprise/forbidden-words">{t('enterprise.words.title')}</a>
      </p>
      <form method="get" action="/staff/enterprise/companies">
        <Field name="uscc" label={t('enterprise.staffCompany.find')} maxLength={18} required />
        <Button variant="secondary">{t('enterprise.staffCompany.open')}</Button>
      </form>
      {rows.length === 0 ? (
        <p>{t('enterprise.staff.empty')}</p>
      ) : (
        <div class="table-scroll">
          <table>
            <caption class="visually-hidden">{t('enterprise.staff.title')}</caption>
            <thead>
              <tr>
                <th scope="col">{t('enterprise.staff.col.application')}</th>
                <th scope="col">{t('enterprise.app.status')}</th>
                <th scope="col">{t('enterprise.app.submittedAt')}</th>
              </tr>
            </thead>
            <tbody>
              {rows.map((r) => (
                <tr key={r.id}>
                  <td>
                    <a href={`/staff/enterprise/applications/${r.id}`}>{r.title}</a>
                  </td>
                  <td>{r.status}</td>
                  <td>{r.submittedAt}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </Layout>
  );
}

export function StaffApplicationPage({ v, actions, errors }: { v: ApplicationView; actions: ('accept' | 'approve' | 'reject')[]; errors: FieldErrors }) {
  const { t } = usePage();
  return (
    <Layout title={v.title} area="staff">
      <ErrorSummary errors={errors} />
      <h1>{v.title}</h1>
      <dl class="summary-list">
        <dt>{t('enterprise.app.status')}</dt>
        <dd id="application-status" data-status={v.statusCode}>
          {v.status}
        </dd>
        {v.details.map((d) => (
          <>
            <dt>{d.label}</dt>
            <dd>{d.value}</dd>
          </>
        ))}
      </dl>
      {actions.includes('accept') && (
        <form method="post" action={`/staff/enterprise/applications/${v.id}/accept`}>
          <CsrfField />
          <Button>{t('enterprise.staff.accept')}</Button>
        </form>
      )}
      {actions.includes('approve') && (
        <form method="post" action={`/staff/enterprise/applications/${v.id}/approve`}>
          <CsrfField />
          <Button>{t('enterprise.staff.approve')}</Button>
        </form>
      )}
      {actions.includes('reject') && (
        <form method="post" action={`/staff/enterprise/applications/${v.id}/reject`}>
          <CsrfField />
          <Field name="reason" label={t('enterprise.staff.reason')} error={errors.reason} required multiline maxLength={500} />
          <Button variant="secondary">{t('enterprise.staff.reject')}</Button>
        </form>
      )}
      <p>
        <a href="/staff/enterprise">{t('enterprise.back')}</a>
      </p>
    </Layout>
  );
}

export function ForbiddenWordsPage({
  words,
  values,
  errors,
  notice,
}: {
  words: { id: string; word: string; reason: string }[];
  values: FormValues;
  errors: FieldErrors;
  notice?: string | undefined;
}) {
  const { t } = usePage();
  return (
    <Layout title={t('enterprise.words.title')} area="staff">
      <ErrorSummary errors={errors} />
      {notice && <Notice kind="success">{notice}</Notice>}
      <h1>{t('enterprise.words.title')}</h1>
      <p>{t('enterprise.words.intro')}</p>
      <form method="post" action="/staff/enterprise/forbidden-words" novalidate>
        <CsrfField />
        <Field name="word" label={t('enterprise.words.word')} value={str(values, 'word')} error={errors.word} required maxLength={20} />
        <Field name="reasonZh" label={t('enterprise.words.reasonZh')} value={str(values, 'reasonZh')} error={errors.reasonZh} required maxLength={200} />
        <Field name="reasonEn" label={t('enterprise.words.reasonEn')} value={str(values, 'reasonEn')} error={errors.reasonEn} required maxLength={200} />
        <Button>{t('enterprise.words.add')}</Button>
      </form>
      <h2>{t('enterprise.words.list')}</h2>
      <ul>
        {words.map((w) => (
          <li key={w.id}>
            <strong>{w.word}</strong> · {w.reason}
            <form method="post" action={`/staff/enterprise/forbidden-words/${w.id}/delete`} class="inline-form">
              <CsrfField />
              <button type="submit" class="link-button">
                {t('enterprise.words.remove')}
                <span class="visually-hidden"> {w.word}</span>
              </button>
            </form>
          </li>
        ))}
      </ul>
    </Layout>
  );
}

// --- publicity ------------------------------------------------------------------------------------------

export function RegisterPage({
  q,
  rows,
  page,
  hasNext,
}: {
  q: string;
  rows: { uscc: string; name: string; legalRep: string; establishedOn: string; status: string }[];
  page: number;
  hasNext: boolean;
}) {
  const { t } = usePage();
  return (
    <Layout title={t('enterprise.register.title')}>
      <h1>{t('enterprise.register.title')}</h1>
      <p>{t('enterprise.register.intro')}</p>
      <form method="get" action="/enterprises" role="search">
        <Field name="q" type="search" label={t('enterprise.register.search')} value={q} maxLength={60} />
        <Button>{t('enterprise.register.searchButton')}</Button>
      </form>
      <h2 id="results">{t('enterprise.register.results', { count: rows.length })}</h2>
      {rows.length === 0 ? (
        <p>{t('enterprise.register.none')}</p>
      ) : (
        <ul class="card-list" aria-labelledby="results">
          {rows.map((r) => (
            <li class="card" key={r.uscc}>
              <h3>
                <a href={`/enterprises/${r.uscc}`}>{r.name}</a>
              </h3>
              <p>
                {t('enterprise.field.uscc')}：{r.uscc} · {t('enterprise.field.legalRepresentative')}：{r.legalRep} · {t('enterprise.field.establishedOn')}：
                {r.establishedOn} · {r.status}
              </p>
            </li>
          ))}
        </ul>
      )}
      <p>
        {page > 1 && <a href={`/enterprises?q=${encodeURIComponent(q)}&page=${page - 1}`}>{t('enterprise.register.prev')}</a>}{' '}
        {hasNext && <a href={`/enterprises?q=${encodeURIComponent(q)}&page=${page + 1}`}>{t('enterprise.register.next')}</a>}
      </p>
    </Layout>
  );
}

export function CompanyPage({
  v,
}: {
  v: { name: string; fields: { label: string; value: string }[]; changes: { at: string; item: string; before: string; after: string }[] };
}) {
  const { t } = usePage();
  return (
    <Layout title={v.name}>
      <h1>{v.name}</h1>
      <dl class="summary-list">
        {v.fields.map((f) => (
          <>
            <dt>{f.label}</dt>
            <dd>{f.value}</dd>
          </>
        ))}
      </dl>
      <h2 id="changes-h">{t('enterprise.company.changes')}</h2>
      {v.changes.length === 0 ? (
        <p>{t('enterprise.company.noChanges')}</p>
      ) : (
        // A list, not a four-column table: it reads well on a 360-px phone.
        <ol class="card-list" aria-labelledby="changes-h">
          {v.changes.map((c, i) => (
            <li class="card" key={i}>
              <h3>
                {c.at} · {c.item}
              </h3>
              <dl class="summary-list">
                <dt>{t('enterprise.company.before')}</dt>
                <dd>{c.before}</dd>
                <dt>{t('enterprise.company.after')}</dt>
                <dd>{c.after}</dd>
              </dl>
            </li>
          ))}
        </ol>
      )}
      <p>
        <a href="/enterprises">{t('enterprise.register.back')}</a>
      </p>
    </Layout>
  );
}

export interface StaffCompanyView {
  uscc: string;
  name: string;
  status: 'active' | 'deregistered';
  fields: { label: string; value: string }[];
  licences: { id: string; issuedOn: string; state: string; stateCode: string; current: boolean }[];
}

/** A company for the registration authority: its licences (each with the page to withdraw or suspend it) and 注销登记. */
export function StaffCompanyPage({
  v,
  mayDeregister,
  errors,
  reason,
  notice,
}: {
  v: StaffCompanyView;
  mayDeregister: boolean;
  errors: FieldErrors;
  reason: string;
  notice?: string | undefined;
}) {
  const { t } = usePage();
  return (
    <Layout title={v.name} area="staff">
      <ErrorSummary errors={errors} />
      {notice && <Notice kind="success">{notice}</Notice>}
      <h1>{v.name}</h1>
      <dl class="summary-list">
        {v.fields.map((f) => (
          <>
            <dt>{f.label}</dt>
            <dd>{f.value}</dd>
          </>
        ))}
        <dt>{t('enterprise.field.status')}</dt>
        <dd id="company-status" data-status={v.status}>
          {t(`enterprise.companyStatus.${v.status}`)}
        </dd>
      </dl>
      <h2>{t('enterprise.staffCompany.licences')}</h2>
      {v.licences.length === 0 ? (
        <p>{t('enterprise.staffCompany.noLicence')}</p>
      ) : (
        <ul>
          {v.licences.map((l) => (
            <li key={l.id}>
              <a href={`/staff/certificates/licences/${l.id}`}>{t('enterprise.staffCompany.licenceOf', { date: l.issuedOn })}</a> ·{' '}
              <span data-state={l.stateCode}>{l.state}</span>
              {l.current ? ` · ${t('enterprise.staffCompany.current')}` : ''}
            </li>
          ))}
        </ul>
      )}
      {v.status === 'active' && mayDeregister && (
        <form method="post" action={`/staff/enterprise/companies/${v.uscc}/deregister`} novalidate>
          <h2>{t('enterprise.staffCompany.deregister')}</h2>
          <p>{t('enterprise.staffCompany.deregisterIntro')}</p>
          <CsrfField />
          <Field name="reason" label={t('enterprise.staff.reason')} value={reason} error={errors.reason} required multiline maxLength={500} />
          <Button variant="secondary">{t('enterprise.staffCompany.deregister')}</Button>
        </form>
      )}
      <p>
        <a href={`/enterprises/${v.uscc}`}>{t('enterprise.staffCompany.public')}</a> · <a href="/staff/enterprise">{t('enterprise.back')}</a>
      </p>
    </Layout>
  );
}
