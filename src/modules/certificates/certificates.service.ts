import { randomUUID } from 'node:crypto';
import { CompactSign } from 'jose';
import type { AppContext } from '../../platform/context.js';
import type { Executor } from '../../platform/db/db.js';
import { recordAudit, type AuditEntry } from '../../platform/audit/audit.js';
import { ValidationError, NotFoundError, ConflictError, ForbiddenError } from '../../platform/http/errors.js';
import type { Actor } from '../../platform/auth/actor.js';
import { actorFields } from '../../platform/audit/audit.js';
import { mayChangeLicenceState } from './certificates.policy.js';
import { checkUscc } from '../identity/index.js';
import { feedOf } from './certificates.feed.js';
import * as repo from './certificates.repository.js';
import { activeSigningKey, rotateKey, signingAlg } from './certificates.keys.js';
import { subjectClaims, type CredentialState, type LicenceFields, type StatusPurpose } from './certificates.schema.js';
import { assignStatusIndex, statusListUrl } from './certificates.status.js';

export const credentialsContext = 'https://www.w3.org/ns/credentials/v2';
/** The platform's own context: every term of the licence maps to a URL under it. */
export const licenceContextPath = '/ns/business-licence/v1';
export const vcJwtType = 'vc+jwt';

/** Who did it, for the audit log; a system action when absent (e.g. an automatic approval). */
export interface ActingParty {
  actorType: AuditEntry['actorType'];
  actorId?: string | null | undefined;
  ip?: string | null;
}

/** What issuing a licence takes: its fields (type 类型, establishedOn 成立日期 YYYY-MM-DD, authority 登记机关) and more. */
export interface LicenceInput extends LicenceFields {
  /** End of the business term (营业期限); absent for an unlimited term. RFC 3339 date or date-time. */
  validUntil?: string | Date | undefined;
  /** The audit actor; the system when absent. */
  by?: ActingParty | undefined;
}

const system: ActingParty = { actorType: 'system', actorId: null };

export function issuerId(ctx: AppContext): string {
  return ctx.config.publicUrl;
}

export function issuerName(): { 'zh-CN': string; en: string } {
  return { 'zh-CN': '成都市市场监督管理局', en: 'Chengdu Administration for Market Regulation' };
}

export function credentialUrn(id: string): string {
  return `urn:uuid:${id}`;
}

/** The verify link the QR code carries (short: the id, not the whole JWT). */
export function verifyUrl(ctx: AppContext, id: string): string {
  return `${ctx.config.publicUrl}/verify?credential=${id}`;
}

function checkLicence(licence: LicenceInput): LicenceFields {
  const errors: Record<string, string> = {};
  const uscc = checkUscc(String(licence.uscc ?? ''));
  if (!uscc.ok) errors.uscc = uscc.error;
  const text = (key: keyof LicenceFields, max: number) => {
    const v = String(licence[key] ?? '').trim();
    if (v === '') errors[key] = 'certificates.field.required';
    else if (v.length > max) errors[key] = 'certificates.field.too_long';
    return v;
  };
  const fields: LicenceFields = {
    uscc: uscc.ok ? uscc.value : '',
    name: text('name', 100),
    type: text('type', 100),
    legalRepresentative: text('legalRepresentative', 50),
    registeredCapital: text('registeredCapital', 100),
    establishedOn: text('establishedOn', 10),
    address: text('address', 300),
    businessScope: text('businessScope', 4000),
    authority: text('authority', 100),
  };
  if (fields.establishedOn && !/^\d{4}-\d{2}-\d{2}$/.test(fields.establishedOn)) errors.establishedOn = 'certificates.field.date';
  if (Object.keys(errors).length) throw new ValidationError(errors);
  return fields;
}

function toDate(value: string | Date): Date {
  const d = value instanceof Date ? value : new Date(/^\d{4}-\d{2}-\d{2}$/.test(value) ? `${value}T23:59:59+08:00` : value);
  if (Number.isNaN(d.getTime())) throw new ValidationError({ validUntil: 'certificates.field.date' });
  return d;
}

/** RFC 3339 without milliseconds. */
export function rfc3339(d: Date): string {
  return d.toISOString().replace(/\.\d{3}Z$/, 'Z');
}

/**
 * Issues an electronic business licence as a VCDM 2.0 credential secured as vc+jwt (ES256), with a
 * revocation and a suspension entry in Bitstring Status Lists. Runs in the caller's transaction.
 */
export async function issueBusinessLicence(executor: Executor, ctx: AppContext, licence: LicenceInput): Promise<{ credentialId: string }> {
  const fields = checkLicence(licence);
  const now = ctx.clock.now();
  const validFrom = new Date(Math.floor(now.getTime() / 1000) * 1000);
  const validUntil = licence.validUntil ? toDate(licence.validUntil) : null;
  const id = randomUUID();
  const revocation = await assignStatusIndex(executor, 'revocation', id);
  const suspension = await assignStatusIndex(executor, 'suspension', id);
  const statusEntry = (purpose: StatusPurpose, at: { listId: string; index: number }) => ({
    id: `${statusListUrl(ctx, at.listId)}#${at.index}`,
    type: 'BitstringStatusListEntry',
    statusPurpose: purpose,
    statusListIndex: String(at.index),
    statusListCredential: statusListUrl(ctx, at.listId),
  });
  const credential = {
    '@context': [credentialsContext, `${ctx.config.publicUrl}${licenceContextPath}`],
    id: credentialUrn(id),
    type: ['VerifiableCredential', 'BusinessLicenceCredential'],
    issuer: { id: issuerId(ctx), name: issuerName()['zh-CN'] },
    name: '营业执照',
    validFrom: rfc3339(validFrom),
    ...(validUntil ? { validUntil: rfc3339(validUntil) } : {}),
    credentialSubject: {
      id: `urn:uscc:${fields.uscc}`,
      type: 'BusinessEntity',
      ...subjectClaims(fields),
    },
    credentialStatus: [statusEntry('revocation', revocation), statusEntry('suspension', suspension)],
  };
  const key = await activeSigningKey(executor, ctx);
  // VC-JOSE-COSE: the payload is the credential itself; iss/iat/jti/sub echo it for JWT libraries.
  const payload = {
    ...credential,
    iss: issuerId(ctx),
    sub: credential.credentialSubject.id,
    jti: credential.id,
    iat: Math.floor(validFrom.getTime() / 1000),
    nbf: Math.floor(validFrom.getTime() / 1000),
    ...(validUntil ? { exp: Math.floor(validUntil.getTime() / 1000) } : {}),
  };
  const jwt = await new CompactSign(new TextEncoder().encode(JSON.stringify(payload)))
    .setProtectedHeader({ alg: signingAlg, kid: key.kid, typ: vcJwtType, cty: 'vc' })
    .sign(key.key);
  await repo.insertCredential(executor, {
    id,
    kind: 'business_licence',
    subjectUscc: fields.uscc,
    subject: fields,
    jwt,
    kid: key.kid,
    validFrom,
    validUntil,
    issuedAt: now,
  });
  await recordAudit(executor, {
    ...(licence.by ?? system),
    action: 'certificates.issue',
    resourceType: 'credential',
    resourceId: id,
    outcome: 'ok',
    detail: { uscc: fields.uscc, kid: key.kid, revocationIndex: revocation.index, suspensionIndex: suspension.index },
  });
  return { credentialId: id };
}

async function changeState(
  executor: Executor,
  ctx: AppContext,
  credentialId: string,
  reason: string,
  by: ActingParty,
  change: { action: string; from: CredentialState[]; to: CredentialState; purpose: StatusPurpose; bit: boolean },
): Promise<void> {
  if (!/^[0-9a-f-]{36}$/i.test(credentialId)) throw new NotFoundError('No such credential');
  // Locked, so two members of staff acting at once see each other's change (e.g. revoke vs reinstate).
  const row = await repo.findCredential(executor, credentialId, true);
  if (!row) throw new NotFoundError('No such credential');
  if (!change.from.includes(row.state)) throw new ConflictError(`The credential is ${row.state}`, { state: row.state });
  const entries = await repo.entriesOfCredential(executor, credentialId);
  const entry = entries.find((e) => e.purpose === change.purpose);
  if (!entry) throw new Error(`Credential ${credentialId} has no ${change.purpose} entry`);
  const now = ctx.clock.now();
  await repo.setStatusBit(executor, entry.listId, credentialId, change.bit, now);
  feedOf(ctx).touch(entry.listId);
  await repo.setCredentialState(executor, credentialId, change.to, now, reason.slice(0, 500) || null);
  await recordAudit(executor, {
    ...by,
    action: change.action,
    resourceType: 'credential',
    resourceId: credentialId,
    outcome: 'ok',
    detail: { uscc: row.subjectUscc, reason: reason.slice(0, 500), list: entry.listId, index: entry.idx },
  });
}

/** Revokes for good (deregistration, licence withdrawn, replaced by a new licence). Takes effect at the next verification. */
export async function revokeCredential(executor: Executor, ctx: AppContext, credentialId: string, reason: string, by: ActingParty = system): Promise<void> {
  await changeState(executor, ctx, credentialId, reason, by, {
    action: 'certificates.revoke',
    from: ['active', 'suspended'],
    to: 'revoked',
    purpose: 'revocation',
    bit: true,
  });
}

/** Suspends (reversible). */
export async function suspendCredential(executor: Executor, ctx: AppContext, credentialId: string, reason: string, by: ActingParty = system): Promise<void> {
  await changeState(executor, ctx, credentialId, reason, by, {
    action: 'certificates.suspend',
    from: ['active'],
    to: 'suspended',
    purpose: 'suspension',
    bit: true,
  });
}

/** Lifts a suspension. */
export async function reinstateCredential(executor: Executor, ctx: AppContext, credentialId: string, reason: string, by: ActingParty = system): Promise<void> {
  await changeState(executor, ctx, credentialId, reason, by, {
    action: 'certificates.reinstate',
    from: ['suspended'],
    to: 'active',
    purpose: 'suspension',
    bit: false,
  });
}

export type LicenceAction = 'revoke' | 'suspend' | 'reinstate';
export const licenceActions: readonly LicenceAction[] = ['revoke', 'suspend', 'reinstate'];

/** Which actions a licence in this state allows. */
export function actionsFor(state: CredentialState): LicenceAction[] {
  if (state === 'active') return ['revoke', 'suspend'];
  if (state === 'suspended') return ['revoke', 'reinstate'];
  return [];
}

/**
 * A member of staff withdraws (revokes), suspends or reinstates a licence, with a reason (required, 2–500
 * characters). Refused (403) unless `mayChangeLicenceState`; 404 for an unknown licence; 409 when its state does
 * not allow the action (e.g. reinstating a revoked one). The bit, the state and the audit record commit together.
 */
export async function changeLicenceState(
  ctx: AppContext,
  actor: Actor,
  credentialId: string,
  action: LicenceAction,
  reason: string,
  ip: string | null,
): Promise<void> {
  if (!mayChangeLicenceState(actor)) throw new ForbiddenError('Only the registration authority’s approvers may change a licence’s status');
  const why = String(reason ?? '')
    .replace(/[\p{Cc}]/gu, ' ')
    .trim();
  if (why.length < 2 || why.length > 500) throw new ValidationError({ reason: 'certificates.staff.error.reason' });
  const id = credentialId.toLowerCase();
  const by: ActingParty = { ...actorFields(actor), ip };
  const run = { revoke: revokeCredential, suspend: suspendCredential, reinstate: reinstateCredential }[action];
  await ctx.db.transaction((tx) => run(tx, ctx, id, why, by));
}

export interface LicenceSummary {
  credentialId: string;
  uscc: string;
  state: CredentialState;
  issuedAt: Date;
  validUntil: Date | null;
  fields: LicenceFields;
  stateChangedAt: Date | null;
  stateReason: string | null;
}

function summaryOf(row: repo.CredentialRow): LicenceSummary {
  return {
    credentialId: row.id,
    uscc: row.subjectUscc,
    state: row.state,
    issuedAt: row.issuedAt,
    validUntil: row.validUntil,
    fields: row.subject,
    stateChangedAt: row.stateChangedAt,
    stateReason: row.stateReason,
  };
}

/** The most recently issued licence of a company (whatever its state), or undefined. */
export async function latestLicenceOf(executor: Executor, uscc: string): Promise<LicenceSummary | undefined> {
  const row = await repo.latestCredentialOf(executor, String(uscc).trim().toUpperCase());
  return row ? summaryOf(row) : undefined;
}

export async function getLicence(executor: Executor, credentialId: string): Promise<(LicenceSummary & { jwt: string }) | undefined> {
  if (!/^[0-9a-f-]{36}$/i.test(credentialId)) return undefined;
  const row = await repo.findCredential(executor, credentialId);
  return row ? { ...summaryOf(row), jwt: row.jwt } : undefined;
}

export async function listLicencesOf(executor: Executor, uscc: string): Promise<LicenceSummary[]> {
  return (await repo.listCredentialsOf(executor, uscc)).map(summaryOf);
}

/** Retires the active issuer key (still published) and starts signing with a new one. Audited. */
export async function rotateSigningKey(executor: Executor, ctx: AppContext, by: ActingParty = system): Promise<{ retired: string | null; active: string }> {
  const result = await rotateKey(executor, ctx);
  await recordAudit(executor, {
    ...by,
    action: 'certificates.rotate_key',
    resourceType: 'signing_key',
    resourceId: result.active,
    outcome: 'ok',
    detail: result,
  });
  return result;
}
