import { Layout } from '../../../platform/views/layout.js';
import { usePage } from '../../../platform/views/page-context.js';
import { CsrfField, Notice } from '../../../platform/views/components.js';
import type { VerificationResult } from '../certificates.verify.js';
import type { CredentialState } from '../certificates.schema.js';

/** The subject fields in the order of the paper licence, with their message keys. */
const subjectFields = [
  ['uscc', 'certificates.licence.uscc'],
  ['name', 'certificates.licence.name'],
  ['entityType', 'certificates.licence.entityType'],
  ['legalRepresentative', 'certificates.licence.legalRepresentative'],
  ['registeredCapital', 'certificates.licence.registeredCapital'],
  ['establishedOn', 'certificates.licence.establishedOn'],
  ['address', 'certificates.licence.address'],
  ['businessScope', 'certificates.licence.businessScope'],
  ['registrationAuthority', 'certificates.licence.registrationAuthority'],
] as const;

function SubjectList({ subject }: { subject: Record<string, unknown> }) {
  const { t } = usePage();
  return (
    <dl class="summary-list licence-fields">
      {subjectFields.map(([key, label]) =>
        typeof subject[key] === 'string' ? (
          <>
            <dt>{t(label)}</dt>
            <dd data-field={key}>{subject[key] as string}</dd>
          </>
        ) : null,
      )}
    </dl>
  );
}

export function VerifyPage({ input, result, checkedAt }: { input: string; result: VerificationResult | null; checkedAt: string }) {
  const { t } = usePage();
  return (
    <Layout title={t('certificates.verify.title')}>
      <h1>{t('certificates.verify.title')}</h1>
      <p>{t('certificates.verify.intro')}</p>
      {result && (
        <section aria-labelledby="verdict-title" class={`verdict verdict-${result.verdict}`}>
          <h2 id="verdict-title">{t('certificates.verify.result')}</h2>
          <Notice kind={result.verdict === 'valid' ? 'success' : 'info'}>
            <p class="verdict-text" data-verdict={result.verdict}>
              <strong>{t(`certificates.verdict.${result.verdict}`)}</strong>
            </p>
            <p class="verdict-reason">{t(`certificates.reason.${result.reason}`)}</p>
            <p class="meta">{t('certificates.verify.checkedAt', { at: checkedAt })}</p>
          </Notice>
          {result.subject && (
            <>
              <SubjectList subject={result.subject} />
              <dl class="summary-list">
                {result.credentialId && (
                  <>
                    <dt>{t('certificates.verify.credentialId')}</dt>
                    <dd>{result.credentialId}</dd>
                  </>
                )}
                <dt>{t('certificates.verify.validUntil')}</dt>
                <dd>{result.validUntil ? result.validUntil.slice(0, 10) : t('certificates.verify.validUntil.none')}</dd>
                {result.kid && (
                  <>
                    <dt>{t('certificates.verify.kid')}</dt>
                    <dd class="kid">{result.kid}</dd>
                  </>
                )}
              </dl>
            </>
          )}
        </section>
      )}
      <form method="get" action="/verify" class="verify-form">
        <div class="field">
          <label for="credential">{t('certificates.verify.label')}</label>
          <p id="credential-hint" class="hint">
            {t('certificates.verify.hint')}
          </p>
          <textarea id="credential" name="credential" class="input" rows={5} aria-describedby="credential-hint" spellcheck={false}>
            {input}
          </textarea>
        </div>
        <button type="submit" class="button button-primary">
          {t('certificates.verify.submit')}
        </button>
      </form>
      <p class="meta">{t('certificates.verify.offline')}</p>
    </Layout>
  );
}

export interface LicenceView {
  credentialId: string;
  state: CredentialState;
  issuedOn: string;
  subject: Record<string, string>;
  qrSvg: string;
  verifyHref: string;
}

/** The mobile view of a licence: fields, state, QR code and downloads. */
export function LicencePage({ licence }: { licence: LicenceView }) {
  const { t } = usePage();
  const base = `/licences/${licence.credentialId}`;
  return (
    <Layout title={`${t('certificates.licence.title')} - ${licence.subject.name ?? ''}`}>
      <h1>{t('certificates.licence.title')}</h1>
      <article class="card licence">
        <h2>{licence.subject.name}</h2>
        <p>
          {t('certificates.licence.state')}: <strong data-state={licence.state}>{t(`certificates.licence.state.${licence.state}`)}</strong>
        </p>
        <SubjectList subject={licence.subject} />
        <dl class="summary-list">
          <dt>{t('certificates.licence.issuedOn')}</dt>
          <dd>{licence.issuedOn}</dd>
          <dt>{t('certificates.verify.credentialId')}</dt>
          <dd>{licence.credentialId}</dd>
        </dl>
        <figure class="licence-qr">
          {/* The SVG comes from the qrcode library for our own URL; it carries no user text. */}
          <div role="img" aria-label={t('certificates.licence.qr')} style="max-width:200px" dangerouslySetInnerHTML={{ __html: licence.qrSvg }} />
          <figcaption>{t('certificates.licence.qr')}</figcaption>
        </figure>
      </article>
      <ul class="actions">
        <li>
          <a href={`${base}/licence.pdf`}>{t('certificates.licence.downloadPdf')}</a>
        </li>
        <li>
          <a href={`${base}/licence.jwt`}>{t('certificates.licence.downloadJwt')}</a>
        </li>
        <li>
          <a href={licence.verifyHref}>{t('certificates.licence.verify')}</a>
        </li>
      </ul>
    </Layout>
  );
}

export interface LicenceListItem {
  credentialId: string;
  name: string;
  uscc: string;
  state: CredentialState;
  issuedOn: string;
}

export function LicencesPage({ items }: { items: LicenceListItem[] }) {
  const { t } = usePage();
  return (
    <Layout title={t('certificates.licences.title')}>
      <h1>{t('certificates.licences.title')}</h1>
      <p>{t('certificates.licences.intro')}</p>
      {items.length === 0 ? (
        <p>{t('certificates.licences.empty')}</p>
      ) : (
        <ul class="card-list">
          {items.map((item) => (
            <li class="card" key={item.credentialId}>
              <h2>{item.name}</h2>
              <p>
                {t('certificates.licence.uscc')}: {item.uscc}
              </p>
              <p>
                {t('certificates.licence.issuedOn')}: {item.issuedOn} · {t(`certificates.licence.state.${item.state}`)}
              </p>
              <p>
                <a href={`/licences/${item.credentialId}`}>
                  {t('certificates.licences.open')}
                  <span class="visually-hidden">
                    : {item.name} {item.issuedOn}
                  </span>
                </a>
              </p>
            </li>
          ))}
        </ul>
      )}
    </Layout>
  );
}

export interface KeyRow {
  kid: string;
  status: 'active' | 'retired';
  created: string;
  retired: string | null;
}

export function KeysPage({ keys, rotated }: { keys: KeyRow[]; rotated: string | null }) {
  const { t } = usePage();
  return (
    <Layout title={t('certificates.keys.title')} area="staff">
      <h1>{t('certificates.keys.title')}</h1>
      {rotated && <Notice kind="success">{t('certificates.keys.rotated', { kid: rotated })}</Notice>}
      <p>{t('certificates.keys.intro')}</p>
      {keys.length === 0 ? (
        <p>{t('certificates.keys.none')}</p>
      ) : (
        <table class="table">
          <thead>
            <tr>
              <th scope="col">{t('certificates.keys.kid')}</th>
              <th scope="col">{t('certificates.keys.status')}</th>
              <th scope="col">{t('certificates.keys.created')}</th>
              <th scope="col">{t('certificates.keys.retired')}</th>
            </tr>
          </thead>
          <tbody>
            {keys.map((k) => (
              <tr key={k.kid}>
                <td class="kid">{k.kid}</td>
                <td>{t(`certificates.keys.status.${k.status}`)}</td>
                <td>{k.created}</td>
                <td>{k.retired ?? '-'}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <form method="post" action="/staff/certificates/keys/rotate">
        <CsrfField />
        <button type="submit" class="button button-secondary">
          {t('certificates.keys.rotate')}
        </button>
      </form>
    </Layout>
  );
}
