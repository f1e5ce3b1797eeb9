import { CompactSign, compactVerify, decodeProtectedHeader, type ProtectedHeaderParameters } from 'jose';
import type { AppContext } from '../../platform/context.js';
import type { Executor } from '../../platform/db/db.js';
import { activeSigningKey, findPublicKey, signingAlg } from './certificates.keys.js';
import { checkUscc } from '../identity/index.js';
import { feedOf } from './certificates.feed.js';
import * as repo from './certificates.repository.js';
import type { StatusPurpose } from './certificates.schema.js';
import { credentialsContext, issuerId, issuerName, rfc3339, vcJwtType } from './certificates.service.js';
import { bitAt, bitstringOf, decodeBitstring, encodeBitstring, minimumListBits, statusListIdPattern, statusListUrl } from './certificates.status.js';

export type Verdict = 'valid' | 'revoked' | 'suspended' | 'expired' | 'invalid';

/** A stable code per outcome; pages translate `certificates.reason.<code>`. */
export type ReasonCode =
  | 'ok'
  | 'empty'
  | 'too_large'
  | 'malformed'
  | 'unsupported_alg'
  | 'wrong_type'
  | 'unknown_key'
  | 'bad_signature'
  | 'not_a_credential'
  | 'wrong_issuer'
  | 'not_yet_valid'
  | 'expired'
  | 'status_unavailable'
  | 'revoked'
  | 'suspended'
  | 'unknown_credential'
  | 'invalid_uscc';

export interface VerificationResult {
  verdict: Verdict;
  reason: ReasonCode;
  /** The credential's subject once the signature checked out; null otherwise. */
  subject: Record<string, unknown> | null;
  credentialId: string | null;
  validFrom: string | null;
  validUntil: string | null;
  kid: string | null;
}

/** A compact JWS is three base64url parts; anything longer than this is not one of ours. */
export const maxCredentialLength = 16 * 1024;
const compactJws = /^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$/;

const fail = (verdict: Verdict, reason: ReasonCode, extra: Partial<VerificationResult> = {}): VerificationResult => ({
  verdict,
  reason,
  subject: null,
  credentialId: null,
  validFrom: null,
  validUntil: null,
  kid: null,
  ...extra,
});

// --- status list credentials -----------------------------------------------------------------------

interface CachedList {
  version: number;
  jwt: string;
  bits: Uint8Array;
  purpose: StatusPurpose;
  validUntil: number;
  /** The feed's generation for this list when it was last confirmed current. */
  generation: number;
  confirmedAt: number;
}

const listCaches = new WeakMap<AppContext, Map<string, CachedList>>();
function listCacheOf(ctx: AppContext): Map<string, CachedList> {
  let m = listCaches.get(ctx);
  if (!m) listCaches.set(ctx, (m = new Map()));
  return m;
}

/** How long a served status list credential is valid; verifiers must fetch again after this. */
const listTtlSeconds = 300;
/** Even with the feed up, a cached list is re-confirmed against the database this often. */
const reconfirmMs = 60_000;

/**
 * The status list credential, signed as vc+jwt, and its decoded bits. With the status feed up, a cached list
 * is used without a query until a change to it is announced; otherwise its version is read on every call.
 * It is rebuilt (and signed again) only when the version changed or half its validity has passed.
 */
export async function statusListCredential(executor: Executor, ctx: AppContext, listId: string): Promise<CachedList | undefined> {
  if (!statusListIdPattern.test(listId)) return undefined;
  const cache = listCacheOf(ctx);
  const feed = feedOf(ctx);
  const now = ctx.clock.now().getTime();
  const cached = cache.get(listId);
  const fresh = cached !== undefined && cached.validUntil - now > (listTtlSeconds * 1000) / 2;
  if (fresh && feed.live && cached.generation === feed.generation(listId) && Date.now() - cached.confirmedAt < reconfirmMs) return cached;
  // Taken before reading: a change announced while we read makes this entry stale at once.
  const generation = feed.generation(listId);
  const version = await repo.statusListVersion(executor, listId);
  if (version === undefined) return undefined;
  if (fresh && cached.version === version) {
    cached.generation = generation;
    cached.confirmedAt = Date.now();
    return cached;
  }
  const list = await repo.findStatusList(executor, listId);
  if (!list) return undefined;
  const bits = bitstringOf(list.capacity, await repo.setBitsOf(executor, listId));
  const url = statusListUrl(ctx, listId);
  const validFrom = new Date(Math.floor(now / 1000) * 1000);
  const validUntil = new Date(validFrom.getTime() + listTtlSeconds * 1000);
  const credential = {
    '@context': [credentialsContext],
    id: url,
    type: ['VerifiableCredential', 'BitstringStatusListCredential'],
    issuer: { id: issuerId(ctx), name: issuerName()['zh-CN'] },
    validFrom: rfc3339(validFrom),
    validUntil: rfc3339(validUntil),
    credentialSubject: {
      id: `${url}#list`,
      type: 'BitstringStatusList',
      statusPurpose: list.purpose,
      encodedList: encodeBitstring(bits),
      ttl: listTtlSeconds * 1000,
    },
  };
  const key = await activeSigningKey(executor, ctx);
  const payload = { ...credential, iss: issuerId(ctx), jti: url, iat: validFrom.getTime() / 1000, exp: validUntil.getTime() / 1000 };
  const jwt = await new CompactSign(new TextEncoder().encode(JSON.stringify(payload)))
    .setProtectedHeader({ alg: signingAlg, kid: key.kid, typ: vcJwtType, cty: 'vc' })
    .sign(key.key);
  // Decode what is served, so verification reads exactly what a relying party would.
  const entry: CachedList = {
    version: list.version,
    jwt,
    bits: decodeBitstring(credential.credentialSubject.encodedList),
    purpose: list.purpose,
    validUntil: validUntil.getTime(),
    generation,
    confirmedAt: Date.now(),
  };
  cache.set(listId, entry);
  return entry;
}

// --- credentials -----------------------------------------------------------------------------------

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function parseDate(v: unknown): number | null | 'bad' {
  if (v === undefined) return null;
  if (typeof v !== 'string') return 'bad';
  const t = Date.parse(v);
  return Number.isNaN(t) ? 'bad' : t;
}

/**
 * Verifies a vc+jwt business licence: shape, algorithm and type, a known issuer key, the signature, the
 * data model, the issuer, the validity period and each Bitstring Status List entry. Never throws on input.
 */
export async function verifyCredential(executor: Executor, ctx: AppContext, input: unknown): Promise<VerificationResult> {
  if (typeof input !== 'string' || input.trim() === '') return fail('invalid', 'empty');
  const jwt = input.trim();
  if (jwt.length > maxCredentialLength) return fail('invalid', 'too_large');
  if (!compactJws.test(jwt)) return fail('invalid', 'malformed');
  let header: ProtectedHeaderParameters;
  try {
    header = decodeProtectedHeader(jwt);
  } catch {
    return fail('invalid', 'malformed');
  }
  if (header.alg !== signingAlg) return fail('invalid', 'unsupported_alg');
  if (header.typ !== vcJwtType) return fail('invalid', 'wrong_type');
  if (typeof header.kid !== 'string' || header.kid.length > 128) return fail('invalid', 'unknown_key');
  const key = await findPublicKey(executor, ctx, header.kid);
  if (!key) return fail('invalid', 'unknown_key', { kid: header.kid });
  let payload: unknown;
  try {
    const verified = await compactVerify(jwt, key.key, { algorithms: [signingAlg] });
    payload = JSON.parse(new TextDecoder().decode(verified.payload));
  } catch (error) {
    const code = (error as { code?: string }).code;
    return fail('invalid', code === 'ERR_JWS_SIGNATURE_VERIFICATION_FAILED' ? 'bad_signature' : 'malformed', { kid: header.kid });
  }
  if (!isRecord(payload)) return fail('invalid', 'not_a_credential', { kid: header.kid });
  const context = payload['@context'];
  const type = payload.type;
  const subject = payload.credentialSubject;
  if (
    !Array.isArray(context) ||
    context[0] !== credentialsContext ||
    !Array.isArray(type) ||
    !type.includes('VerifiableCredential') ||
    !isRecord(subject) ||
    'vc' in payload
  )
    return fail('invalid', 'not_a_credential', { kid: header.kid });
  const issuer = isRecord(payload.issuer) ? payload.issuer.id : payload.issuer;
  if (issuer !== issuerId(ctx) || (payload.iss !== undefined && payload.iss !== issuer)) return fail('invalid', 'wrong_issuer', { kid: header.kid });
  const validFrom = parseDate(payload.validFrom);
  const validUntil = parseDate(payload.validUntil);
  if (validFrom === 'bad' || validUntil === 'bad') return fail('invalid', 'not_a_credential', { kid: header.kid });
  const found: Partial<VerificationResult> = {
    subject,
    kid: header.kid,
    credentialId: typeof payload.id === 'string' ? payload.id.replace(/^urn:uuid:/, '') : null,
    validFrom: validFrom === null ? null : new Date(validFrom).toISOString(),
    validUntil: validUntil === null ? null : new Date(validUntil).toISOString(),
  };
  const now = ctx.clock.now().getTime();
  if (validFrom !== null && validFrom > now + 60_000) return fail('invalid', 'not_yet_valid', found);
  if (validUntil !== null && validUntil <= now) return fail('expired', 'expired', found);

  const statuses =
    payload.credentialStatus === undefined ? [] : Array.isArray(payload.credentialStatus) ? payload.credentialStatus : [payload.credentialStatus];
  const prefix = `${ctx.config.publicUrl}/credentials/status/`;
  const seen: Partial<Record<StatusPurpose, boolean>> = {};
  for (const status of statuses) {
    if (!isRecord(status) || status.type !== 'BitstringStatusListEntry') return fail('invalid', 'not_a_credential', found);
    const purpose = status.statusPurpose;
    const listUrl = status.statusListCredential;
    const index = typeof status.statusListIndex === 'string' && /^(0|[1-9][0-9]{0,9})$/.test(status.statusListIndex) ? Number(status.statusListIndex) : NaN;
    if ((purpose !== 'revocation' && purpose !== 'suspension') || typeof listUrl !== 'string' || !Number.isInteger(index))
      return fail('invalid', 'not_a_credential', found);
    if (!listUrl.startsWith(prefix)) return fail('invalid', 'status_unavailable', found);
    const list = await statusListCredential(executor, ctx, listUrl.slice(prefix.length));
    if (!list || list.purpose !== purpose || list.bits.length * 8 < minimumListBits || index >= list.bits.length * 8)
      return fail('invalid', 'status_unavailable', found);
    seen[purpose] = bitAt(list.bits, index);
  }
  if (seen.revocation) return fail('revoked', 'revoked', found);
  if (seen.suspension) return fail('suspended', 'suspended', found);
  return { ...fail('valid', 'ok', found), verdict: 'valid' };
}

/**
 * Verifies the current licence of a company by its unified social credit code (typed on the verify page).
 * A code with a wrong check character or letters outside the standard's set is answered as such.
 */
export async function verifyLicenceOfUscc(executor: Executor, ctx: AppContext, input: string): Promise<VerificationResult> {
  const checked = checkUscc(input);
  if (!checked.ok) return fail('invalid', 'invalid_uscc');
  const row = await repo.latestCredentialOf(executor, checked.value);
  if (!row) return fail('invalid', 'unknown_credential');
  return verifyCredential(executor, ctx, row.jwt);
}

/** Verifies a stored credential by its id (the QR code carries the id). */
export async function verifyCredentialById(executor: Executor, ctx: AppContext, id: string): Promise<VerificationResult> {
  if (!/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(id)) return fail('invalid', 'unknown_credential');
  const row = await repo.findCredential(executor, id.toLowerCase());
  if (!row) return fail('invalid', 'unknown_credential');
  return verifyCredential(executor, ctx, row.jwt);
}
