import type { AppContext } from '../../platform/context.js';
import type { Executor } from '../../platform/db/db.js';
import type { Actor, StaffRole } from '../../platform/auth/actor.js';
import { recordAudit } from '../../platform/audit/audit.js';
import { TooManyRequestsError, UnauthorizedError } from '../../platform/http/errors.js';
import { createLimiter, type Limiter } from '../../platform/http/rate-limit.js';
import type { Locale } from '../../platform/i18n/i18n.js';
import * as repo from './identity.repository.js';
import {
  checkTotp,
  hashPassword,
  hashSmsCode,
  hashToken,
  newSmsCode,
  newToken,
  newTotpSecret,
  openTotpSecret,
  sameHash,
  sealTotpSecret,
  totpFor,
  verifyPassword,
} from './identity.crypto.js';
import { canActFor } from './identity.policy.js';
import { checkMobile, checkPassword, checkRealName, checkResidentId, checkStaffLogin, maskPhone } from './identity.validators.js';

export const smsCodeTtlMs = 5 * 60_000;
export const smsCodeMaxTries = 5;
export const pendingSecondFactorTtlMs = 10 * 60_000;
const smsCodePurpose = 'sign-in';

export type FieldErrors = Record<string, string>;
export type Outcome<T> = ({ ok: true } & T) | { ok: false; errors: FieldErrors; retryAfter?: number };

/** Where a request came from, for rate limits, audit and the language of messages. */
export interface RequestMeta {
  ip: string;
  userAgent: string | null;
  locale: Locale;
}

export interface IssuedSession {
  token: string;
  tokenHash: string;
  expiresAt: Date;
}

/** Rate limiters of one app instance: attempts per number/login and per address. */
export interface Limiters {
  signIn: Limiter;
  codes: Limiter;
}

export function createLimiters(ctx: AppContext): Limiters {
  return {
    signIn: createLimiter(ctx.config.signInLimit, ctx.config.signInWindowSeconds),
    codes: createLimiter(ctx.config.signInLimit, ctx.config.signInWindowSeconds),
  };
}

/** Runs the limiter; a refusal becomes a form error with the wait, and is audited. */
async function limit(ctx: AppContext, limiter: Limiter, keys: string[], action: string, meta: RequestMeta): Promise<number | undefined> {
  try {
    await limiter.consume(...keys);
    return undefined;
  } catch (e) {
    if (!(e instanceof TooManyRequestsError)) throw e;
    await recordAudit(ctx.db, { actorType: 'anonymous', action, outcome: 'denied', detail: { reason: 'rate-limited' }, ip: meta.ip });
    return e.retryAfterSeconds;
  }
}

const rateLimited = (retryAfter: number) => ({ ok: false as const, errors: { _form: 'identity.rateLimited' }, retryAfter });

// --- sessions ----------------------------------------------------------------------------------

export async function issueSession(
  ctx: AppContext,
  ex: Executor,
  userId: string,
  kind: 'web' | 'api',
  meta: RequestMeta,
  pendingSecondFactor = false,
): Promise<IssuedSession> {
  const { token, tokenHash } = newToken();
  const now = ctx.clock.now();
  const hours = kind === 'web' ? ctx.config.sessionTtlHours : ctx.config.apiTokenTtlHours;
  // A half-finished staff sign-in (password given, TOTP owed) is only good for a few minutes.
  const ttlMs = pendingSecondFactor ? pendingSecondFactorTtlMs : hours * 3600_000;
  const expiresAt = new Date(now.getTime() + ttlMs);
  await repo.insertSession(ex, {
    tokenHash,
    userId,
    kind,
    pendingSecondFactor,
    createdAt: now,
    expiresAt,
    ip: meta.ip,
    userAgent: meta.userAgent?.slice(0, 512) ?? null,
  });
  return { token, tokenHash, expiresAt };
}

/** The actor behind a cookie or bearer secret, with roles and the company they act for; null if none is live. */
export async function resolveActor(ctx: AppContext, token: string, via: 'cookie' | 'bearer'): Promise<Actor | null> {
  if (token.length < 20 || token.length > 100) return null;
  const session = await repo.findLiveSession(ctx.db, hashToken(token), via === 'cookie' ? 'web' : 'api', ctx.clock.now());
  if (!session) return null;
  const roles: StaffRole[] = session.user.kind === 'staff' ? await repo.listRoles(ctx.db, session.user.id) : [];
  // Membership is checked on every request, so removing someone from a company takes effect at once.
  const actingFor = session.actingForEnterpriseId ? ((await repo.findMembership(ctx.db, session.user.id, session.actingForEnterpriseId)) ?? null) : null;
  return {
    userId: session.user.id,
    kind: session.user.kind,
    realName: session.user.realName,
    departmentCode: session.user.departmentCode,
    roles,
    actingFor,
    sessionId: session.tokenHash,
    via,
    pendingSecondFactor: session.pendingSecondFactor,
  };
}

export async function signOut(ctx: AppContext, actor: Actor, meta: RequestMeta): Promise<void> {
  await ctx.db.transaction(async (tx) => {
    await repo.revokeSession(tx, actor.sessionId, ctx.clock.now());
    await recordAudit(tx, {
      actorType: actor.kind,
      actorId: actor.userId,
      action: actor.via === 'bearer' ? 'identity.api-token.revoke' : 'identity.sign-out',
      resourceType: 'user',
      resourceId: actor.userId,
      outcome: 'ok',
      ip: meta.ip,
    });
  });
}

/** Revokes every web session and API token of the person, this one included. */
export async function signOutEverywhere(ctx: AppContext, actor: Actor, meta: RequestMeta): Promise<number> {
  return ctx.db.transaction(async (tx) => {
    const count = await repo.revokeAllSessions(tx, actor.userId, ctx.clock.now());
    await recordAudit(tx, {
      actorType: actor.kind,
      actorId: actor.userId,
      action: 'identity.sign-out-everywhere',
      resourceType: 'user',
      resourceId: actor.userId,
      outcome: 'ok',
      detail: { revoked: count },
      ip: meta.ip,
    });
    return count;
  });
}

// --- sign-up -----------------------------------------------------------------------------------

export interface SignUpInput {
  phone: string;
  realName: string;
  idNumber: string;
  password: string;
  confirmPassword: string;
}

function isUniqueViolation(e: unknown): boolean {
  const seen = new Set<unknown>();
  for (let cur: unknown = e; cur && typeof cur === 'object' && !seen.has(cur); cur = (cur as { cause?: unknown }).cause) {
    seen.add(cur);
    if ((cur as { code?: unknown }).code === '23505') return true;
  }
  return false;
}

/** Creates a citizen account and signs them in, or says what is wrong with each field; writes nothing on error. */
export async function signUp(ctx: AppContext, input: SignUpInput, meta: RequestMeta): Promise<Outcome<{ userId: string; session: IssuedSession }>> {
  const errors: FieldErrors = {};
  const phone = checkMobile(input.phone);
  if (!phone.ok) errors.phone = phone.error;
  const realName = checkRealName(input.realName);
  if (!realName.ok) errors.realName = realName.error;
  const idNumber = checkResidentId(input.idNumber, ctx.clock.now());
  if (!idNumber.ok) errors.idNumber = idNumber.error;
  const password = checkPassword(input.password, {
    phone: phone.ok ? phone.value : input.phone,
    idNumber: idNumber.ok ? idNumber.value.number : input.idNumber,
  });
  if (!password.ok) errors.password = password.error;
  else if (input.confirmPassword !== input.password) errors.confirmPassword = 'identity.confirmPassword.mismatch';
  if (!phone.ok || !realName.ok || !idNumber.ok || !password.ok || errors.confirmPassword) return { ok: false, errors };

  const duplicates = async (ex: Executor): Promise<FieldErrors> => {
    const found: FieldErrors = {};
    if (await repo.phoneTaken(ex, phone.value)) found.phone = 'identity.phone.taken';
    if (await repo.idNumberTaken(ex, idNumber.value.number)) found.idNumber = 'identity.idNumber.taken';
    return found;
  };
  const early = await duplicates(ctx.db);
  if (Object.keys(early).length) return { ok: false, errors: early };

  const passwordHash = await hashPassword(password.value, ctx.config.argon2MemoryKib);
  try {
    return await ctx.db.transaction(async (tx) => {
      const userId = await repo.insertUser(tx, {
        kind: 'citizen',
        phone: phone.value,
        realName: realName.value,
        idNumber: idNumber.value.number,
        passwordHash,
        locale: meta.locale,
        createdAt: ctx.clock.now(),
      });
      const session = await issueSession(ctx, tx, userId, 'web', meta);
      await recordAudit(tx, {
        actorType: 'citizen',
        actorId: userId,
        action: 'identity.sign-up',
        resourceType: 'user',
        resourceId: userId,
        outcome: 'ok',
        ip: meta.ip,
      });
      await recordAudit(tx, {
        actorType: 'citizen',
        actorId: userId,
        action: 'identity.sign-in',
        resourceType: 'user',
        resourceId: userId,
        outcome: 'ok',
        detail: { method: 'sign-up' },
        ip: meta.ip,
      });
      return { ok: true as const, userId, session };
    });
  } catch (e) {
    // Someone else took the number or ID in the meantime: the same answer as the check above.
    if (isUniqueViolation(e)) return { ok: false, errors: await duplicates(ctx.db) };
    throw e;
  }
}

// --- passwords -----------------------------------------------------------------------------------

let dummyHash: Promise<string> | undefined;

/** Compares against a throw-away hash when there is no such user, so timing does not reveal who has an account. */
async function checkCredentials(ctx: AppContext, user: repo.UserRow | undefined, password: string): Promise<repo.UserRow | undefined> {
  dummyHash ??= hashPassword('no-such-user-placeholder', ctx.config.argon2MemoryKib);
  const valid = await verifyPassword(user?.passwordHash ?? (await dummyHash), password);
  return valid && user && !user.disabledAt ? user : undefined;
}

/** Looks up a citizen by phone number or staff by login. */
async function findByLogin(ctx: AppContext, login: string): Promise<{ user: repo.UserRow | undefined; key: string }> {
  const phone = checkMobile(login);
  if (phone.ok) return { user: await repo.findUserByPhone(ctx.db, phone.value), key: phone.value };
  const staff = checkStaffLogin(login);
  if (staff.ok) return { user: await repo.findUserByLogin(ctx.db, staff.value), key: staff.value };
  return { user: undefined, key: login.trim().toLowerCase().slice(0, 64) };
}

/** Audit keeps only a masked login for failed attempts: it must not become a list of people's numbers. */
const maskedLogin = (key: string) => (/^1\d{10}$/.test(key) ? maskPhone(key) : key);

async function auditFailedSignIn(ctx: AppContext, user: repo.UserRow | undefined, key: string, method: string, reason: string, meta: RequestMeta) {
  // Not signed in, so the actor is anonymous; the account tried (if any) is the resource.
  await recordAudit(ctx.db, {
    actorType: 'anonymous',
    actorId: null,
    action: 'identity.sign-in',
    resourceType: 'user',
    resourceId: user?.id ?? null,
    outcome: 'failed',
    detail: { method, reason, login: maskedLogin(key) },
    ip: meta.ip,
  });
}

async function finishSignIn(
  ctx: AppContext,
  user: repo.UserRow,
  kind: 'web' | 'api',
  method: string,
  meta: RequestMeta,
  pendingSecondFactor = false,
  previousSession?: string,
): Promise<IssuedSession> {
  return ctx.db.transaction(async (tx) => {
    // A new secret on every sign-in (no session fixation); the old session of this browser ends.
    if (previousSession) await repo.revokeSession(tx, previousSession, ctx.clock.now());
    const session = await issueSession(ctx, tx, user.id, kind, meta, pendingSecondFactor);
    await recordAudit(tx, {
      actorType: user.kind,
      actorId: user.id,
      action: kind === 'api' ? 'identity.api-token.issue' : 'identity.sign-in',
      resourceType: 'user',
      resourceId: user.id,
      outcome: 'ok',
      detail: { method, ...(pendingSecondFactor ? { pendingSecondFactor: true } : {}) },
      ip: meta.ip,
    });
    return session;
  });
}

/** Citizen sign-in with mobile number and password (web). */
export async function signInWithPassword(
  ctx: AppContext,
  limiters: Limiters,
  input: { phone: string; password: string },
  meta: RequestMeta,
  previousSession?: string,
): Promise<Outcome<{ session: IssuedSession; userId: string }>> {
  const phone = checkMobile(input.phone);
  const errors: FieldErrors = {};
  if (!phone.ok) errors.phone = phone.error;
  if (input.password === '') errors.password = 'identity.password.required';
  else if (input.password.length > 1024) errors.password = 'identity.password.tooLong';
  if (!phone.ok || Object.keys(errors).length) return { ok: false, errors };
  const wait = await limit(ctx, limiters.signIn, [`signin:login:${phone.value}`, `signin:ip:${meta.ip}`], 'identity.sign-in', meta);
  if (wait) return rateLimited(wait);
  const candidate = await repo.findUserByPhone(ctx.db, phone.value);
  const user = await checkCredentials(ctx, candidate, input.password);
  if (!user) {
    await auditFailedSignIn(ctx, candidate, phone.value, 'password', 'bad-credentials', meta);
    return { ok: false, errors: { _form: 'identity.signIn.failed' } };
  }
  await limiters.signIn.reset(`signin:login:${phone.value}`);
  return { ok: true, userId: user.id, session: await finishSignIn(ctx, user, 'web', 'password', meta, false, previousSession) };
}

// --- one-time SMS codes ----------------------------------------------------------------------------

/**
 * Sends a six-digit code to a registered number (valid 5 minutes, 5 tries, one live code per number).
 * The answer is the same whether or not the number is registered.
 */
export async function requestSignInCode(ctx: AppContext, limiters: Limiters, rawPhone: string, meta: RequestMeta): Promise<Outcome<{ phone: string }>> {
  const phone = checkMobile(rawPhone);
  if (!phone.ok) return { ok: false, errors: { codePhone: phone.error } };
  const wait = await limit(ctx, limiters.codes, [`code:phone:${phone.value}`, `code:ip:${meta.ip}`], 'identity.sign-in-code', meta);
  if (wait) return rateLimited(wait);
  const user = await repo.findUserByPhone(ctx.db, phone.value);
  if (!user || user.disabledAt) return { ok: true, phone: phone.value };
  const code = newSmsCode();
  const now = ctx.clock.now();
  await ctx.db.transaction(async (tx) => {
    await repo.retireCodes(tx, phone.value, smsCodePurpose, now);
    await repo.insertCode(tx, {
      phone: phone.value,
      purpose: smsCodePurpose,
      codeHash: hashSmsCode(ctx.config.sessionSecret, phone.value, code),
      createdAt: now,
      expiresAt: new Date(now.getTime() + smsCodeTtlMs),
    });
    await ctx.notify.send(tx, {
      userId: user.id,
      channels: ['sms'],
      phone: phone.value,
      template: 'sign-in-code',
      params: { code, minutes: smsCodeTtlMs / 60_000 },
      locale: meta.locale,
    });
  });
  return { ok: true, phone: phone.value };
}

export async function signInWithCode(
  ctx: AppContext,
  limiters: Limiters,
  input: { phone: string; code: string },
  meta: RequestMeta,
  previousSession?: string,
): Promise<Outcome<{ session: IssuedSession; userId: string }>> {
  const phone = checkMobile(input.phone);
  const code = input.code.trim();
  const errors: FieldErrors = {};
  if (!phone.ok) errors.codePhone = phone.error;
  if (code === '') errors.code = 'identity.code.required';
  else if (!/^\d{6}$/.test(code)) errors.code = 'identity.code.format';
  if (!phone.ok || Object.keys(errors).length) return { ok: false, errors };
  const wait = await limit(ctx, limiters.signIn, [`signin:login:${phone.value}`, `signin:ip:${meta.ip}`], 'identity.sign-in', meta);
  if (wait) return rateLimited(wait);

  const now = ctx.clock.now();
  const failed = async (reason: string, errorKey: string) => {
    await auditFailedSignIn(ctx, undefined, phone.value, 'sms-code', reason, meta);
    return { ok: false as const, errors: { code: errorKey } };
  };
  const open = await repo.latestOpenCode(ctx.db, phone.value, smsCodePurpose);
  if (!open) return failed('no-code', 'identity.code.none');
  if (open.expiresAt.getTime() <= now.getTime()) return failed('expired', 'identity.code.expired');
  const tries = await repo.countCodeTry(ctx.db, open.id, smsCodeMaxTries);
  if (tries === undefined) return failed('too-many-tries', 'identity.code.tooManyTries');
  if (!sameHash(open.codeHash, hashSmsCode(ctx.config.sessionSecret, phone.value, code))) {
    return failed('wrong-code', tries >= smsCodeMaxTries ? 'identity.code.tooManyTries' : 'identity.code.wrong');
  }
  const user = await repo.findUserByPhone(ctx.db, phone.value);
  if (!user || user.disabledAt || !(await repo.consumeCode(ctx.db, open.id, now))) return failed('used', 'identity.code.none');
  await limiters.signIn.reset(`signin:login:${phone.value}`);
  return { ok: true, userId: user.id, session: await finishSignIn(ctx, user, 'web', 'sms-code', meta, false, previousSession) };
}

// --- staff -----------------------------------------------------------------------------------------

/** Staff sign-in; with TOTP required the session waits for the second factor. */
export async function staffSignIn(
  ctx: AppContext,
  limiters: Limiters,
  input: { login: string; password: string },
  meta: RequestMeta,
  previousSession?: string,
): Promise<Outcome<{ session: IssuedSession; pendingSecondFactor: boolean }>> {
  const errors: FieldErrors = {};
  const login = checkStaffLogin(input.login);
  if (input.login.trim() === '') errors.login = 'identity.login.required';
  else if (!login.ok) errors.login = login.error;
  if (input.password === '') errors.password = 'identity.password.required';
  else if (input.password.length > 1024) errors.password = 'identity.password.tooLong';
  if (!login.ok || Object.keys(errors).length) return { ok: false, errors };
  const wait = await limit(ctx, limiters.signIn, [`signin:login:${login.value}`, `signin:ip:${meta.ip}`], 'identity.sign-in', meta);
  if (wait) return rateLimited(wait);
  const candidate = await repo.findUserByLogin(ctx.db, login.value);
  const user = await checkCredentials(ctx, candidate, input.password);
  if (!user) {
    await auditFailedSignIn(ctx, candidate, login.value, 'staff-password', 'bad-credentials', meta);
    return { ok: false, errors: { _form: 'identity.staff.failed' } };
  }
  await limiters.signIn.reset(`signin:login:${login.value}`);
  const pending = ctx.config.staffTotpRequired;
  return { ok: true, pendingSecondFactor: pending, session: await finishSignIn(ctx, user, 'web', 'staff-password', meta, pending, previousSession) };
}

export interface SecondFactorState {
  enrolled: boolean;
  /** Only while enrolling: what the authenticator app needs. */
  uri?: string;
  secret?: string;
}

/** What the second-factor page shows; on the first visit without a secret one is created (not yet enabled). */
export async function secondFactorState(ctx: AppContext, userId: string): Promise<SecondFactorState> {
  const user = await repo.findUserById(ctx.db, userId);
  if (!user) return { enrolled: false };
  if (user.totpEnabled && user.totpSecret) return { enrolled: true };
  let secret = user.totpSecret ? openTotpSecret(ctx.config.sessionSecret, user.totpSecret) : undefined;
  if (!secret) {
    secret = newTotpSecret();
    await repo.setTotpSecret(ctx.db, user.id, sealTotpSecret(ctx.config.sessionSecret, secret));
  }
  return { enrolled: false, secret, uri: totpFor(user.login ?? user.id, secret).toString() };
}

/** Checks the TOTP code; on success the pending session is replaced by a full one (and enrolment completes). */
export async function completeSecondFactor(
  ctx: AppContext,
  limiters: Limiters,
  actor: Actor,
  rawCode: string,
  meta: RequestMeta,
): Promise<Outcome<{ session: IssuedSession }>> {
  const code = rawCode.replace(/\s/g, '');
  if (code === '') return { ok: false, errors: { code: 'identity.code.required' } };
  if (!/^\d{6}$/.test(code)) return { ok: false, errors: { code: 'identity.code.format' } };
  const wait = await limit(ctx, limiters.signIn, [`totp:${actor.userId}`, `signin:ip:${meta.ip}`], 'identity.second-factor', meta);
  if (wait) return rateLimited(wait);
  const user = await repo.findUserById(ctx.db, actor.userId);
  const secret = user?.totpSecret ? openTotpSecret(ctx.config.sessionSecret, user.totpSecret) : undefined;
  const step = user && secret ? checkTotp(user.login ?? user.id, secret, code, ctx.clock.now()) : undefined;
  if (!user || step === undefined) {
    await auditFailedSignIn(ctx, user, user?.login ?? '', 'totp', 'wrong-code', meta);
    return { ok: false, errors: { code: 'identity.totp.wrong' } };
  }
  const enrolling = !user.totpEnabled;
  const result = await ctx.db.transaction(async (tx) => {
    if (!(await repo.acceptTotpStep(tx, user.id, step, enrolling))) return undefined; // replayed code
    await repo.revokeSession(tx, actor.sessionId, ctx.clock.now());
    const session = await issueSession(ctx, tx, user.id, 'web', meta);
    if (enrolling)
      await recordAudit(tx, {
        actorType: 'staff',
        actorId: user.id,
        action: 'identity.totp.enrol',
        resourceType: 'user',
        resourceId: user.id,
        outcome: 'ok',
        ip: meta.ip,
      });
    await recordAudit(tx, {
      actorType: 'staff',
      actorId: user.id,
      action: 'identity.sign-in',
      resourceType: 'user',
      resourceId: user.id,
      outcome: 'ok',
      detail: { method: 'totp' },
      ip: meta.ip,
    });
    return session;
  });
  if (!result) {
    await auditFailedSignIn(ctx, user, user.login ?? '', 'totp', 'replayed-code', meta);
    return { ok: false, errors: { code: 'identity.totp.wrong' } };
  }
  await limiters.signIn.reset(`totp:${actor.userId}`);
  return { ok: true, session: result };
}

// --- API tokens -------------------------------------------------------------------------------------

export interface ApiUser {
  id: string;
  kind: 'citizen' | 'staff';
  name: string;
  departmentCode: string | null;
  roles: StaffRole[];
}

/**
 * POST /api/v1/session: a phone number (citizen) or staff login with a password; staff add a TOTP code when
 * the second factor is required. One answer (401) for every kind of bad login.
 */
export async function apiSignIn(
  ctx: AppContext,
  limiters: Limiters,
  input: { login: string; password: string; code?: string | undefined },
  meta: RequestMeta,
): Promise<{ token: string; expiresAt: Date; user: ApiUser }> {
  const { user: candidate, key } = await findByLogin(ctx, input.login);
  try {
    await limiters.signIn.consume(`signin:login:${key}`, `signin:ip:${meta.ip}`);
  } catch (e) {
    if (e instanceof TooManyRequestsError)
      await recordAudit(ctx.db, {
        actorType: 'anonymous',
        action: 'identity.api-token.issue',
        outcome: 'denied',
        detail: { reason: 'rate-limited' },
        ip: meta.ip,
      });
    throw e;
  }
  const user = await checkCredentials(ctx, candidate, input.password);
  if (!user) {
    await auditFailedSignIn(ctx, candidate, key, 'api-password', 'bad-credentials', meta);
    throw new UnauthorizedError('The login or password is not correct');
  }
  if (user.kind === 'staff' && ctx.config.staffTotpRequired) {
    const secret = user.totpEnabled && user.totpSecret ? openTotpSecret(ctx.config.sessionSecret, user.totpSecret) : undefined;
    const step = secret && input.code ? checkTotp(user.login ?? user.id, secret, input.code, ctx.clock.now()) : undefined;
    if (step === undefined || !(await repo.acceptTotpStep(ctx.db, user.id, step, false))) {
      await auditFailedSignIn(ctx, user, key, 'api-totp', input.code ? 'wrong-code' : 'code-missing', meta);
      throw new UnauthorizedError('The login or password is not correct, or the second-factor code is missing or wrong');
    }
  }
  await limiters.signIn.reset(`signin:login:${key}`);
  const session = await finishSignIn(ctx, user, 'api', 'api-password', meta);
  return { token: session.token, expiresAt: session.expiresAt, user: await apiUserOf(ctx.db, user) };
}

export async function apiUserOf(ex: Executor, user: Pick<repo.UserRow, 'id' | 'kind' | 'realName' | 'departmentCode'>): Promise<ApiUser> {
  return {
    id: user.id,
    kind: user.kind,
    name: user.realName,
    departmentCode: user.departmentCode,
    roles: user.kind === 'staff' ? await repo.listRoles(ex, user.id) : [],
  };
}

// --- acting for a company -----------------------------------------------------------------------

/** Switches whom a signed-in citizen acts for: themself (null) or a company they belong to. */
export async function setActingFor(ctx: AppContext, actor: Actor, enterpriseId: string | null, meta: RequestMeta): Promise<boolean> {
  const membership = enterpriseId ? await repo.findMembership(ctx.db, actor.userId, enterpriseId) : undefined;
  if (!canActFor(actor, enterpriseId, membership ?? null)) {
    await recordAudit(ctx.db, {
      actorType: actor.kind,
      actorId: actor.userId,
      action: 'identity.acting-for.change',
      resourceType: 'enterprise',
      resourceId: enterpriseId,
      outcome: 'denied',
      ip: meta.ip,
    });
    return false;
  }
  await ctx.db.transaction(async (tx) => {
    await repo.setSessionActingFor(tx, actor.sessionId, membership?.enterpriseId ?? null);
    await recordAudit(tx, {
      actorType: actor.kind,
      actorId: actor.userId,
      action: 'identity.acting-for.change',
      resourceType: membership ? 'enterprise' : 'user',
      resourceId: membership?.enterpriseId ?? actor.userId,
      outcome: 'ok',
      detail: membership ? { uscc: membership.uscc, role: membership.role } : { self: true },
      ip: meta.ip,
    });
  });
  return true;
}
