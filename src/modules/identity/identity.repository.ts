import { and, asc, desc, eq, gt, inArray, isNull, lt, or, sql } from 'drizzle-orm';
import type { Executor } from '../../platform/db/db.js';
import { prepared } from '../../platform/db/prepared.js';
import { LRUCache } from 'lru-cache';
import type { StaffRole } from '../../platform/auth/actor.js';
import { enterpriseMembers, enterprises, otpCodes, sessions, staffRoles, users } from './identity.schema.js';

// The only file of the identity module that speaks SQL.

export type UserRow = typeof users.$inferSelect;
export type NewUser = typeof users.$inferInsert;
export type EnterpriseRow = typeof enterprises.$inferSelect;
export type MemberRole = 'legal_representative' | 'accountant' | 'agent';

export async function findUserById(ex: Executor, id: string): Promise<UserRow | undefined> {
  const [row] = await prepared(ex, 'identity_user', (e) =>
    e
      .select()
      .from(users)
      .where(eq(users.id, sql.placeholder('id')))
      .limit(1),
  ).execute({ id });
  return row;
}

export async function findUserByPhone(ex: Executor, phone: string): Promise<UserRow | undefined> {
  const [row] = await ex
    .select()
    .from(users)
    .where(and(eq(users.phone, phone), eq(users.kind, 'citizen')))
    .limit(1);
  return row;
}

export async function findUserByLogin(ex: Executor, login: string): Promise<UserRow | undefined> {
  const [row] = await ex
    .select()
    .from(users)
    .where(and(eq(users.login, login), eq(users.kind, 'staff')))
    .limit(1);
  return row;
}

export async function phoneTaken(ex: Executor, phone: string): Promise<boolean> {
  const [row] = await ex.select({ id: users.id }).from(users).where(eq(users.phone, phone)).limit(1);
  return row !== undefined;
}

export async function idNumberTaken(ex: Executor, idNumber: string): Promise<boolean> {
  const [row] = await ex.select({ id: users.id }).from(users).where(eq(users.idNumber, idNumber)).limit(1);
  return row !== undefined;
}

export async function insertUser(ex: Executor, values: NewUser): Promise<string> {
  const [row] = await ex.insert(users).values(values).returning({ id: users.id });
  return row!.id;
}

export async function listRoles(ex: Executor, userId: string): Promise<StaffRole[]> {
  const rows = await ex.select({ role: staffRoles.role }).from(staffRoles).where(eq(staffRoles.userId, userId)).orderBy(asc(staffRoles.role));
  return rows.map((r) => r.role as StaffRole);
}

/** Active staff of a department holding one of the roles (for notices such as SLA warnings). */
export async function listStaffOf(ex: Executor, departmentCode: string, roles: StaffRole[]): Promise<{ id: string; realName: string }[]> {
  const rows = await ex
    .selectDistinct({ id: users.id, realName: users.realName })
    .from(users)
    .innerJoin(staffRoles, eq(staffRoles.userId, users.id))
    .where(and(eq(users.kind, 'staff'), eq(users.departmentCode, departmentCode), isNull(users.disabledAt), inArray(staffRoles.role, roles)));
  return rows;
}

// --- sessions and API tokens -------------------------------------------------------------------

export interface NewSession {
  tokenHash: string;
  userId: string;
  kind: 'web' | 'api';
  pendingSecondFactor: boolean;
  createdAt: Date;
  expiresAt: Date;
  ip: string | null;
  userAgent: string | null;
}

export async function insertSession(ex: Executor, values: NewSession): Promise<void> {
  await ex.insert(sessions).values(values);
}

export interface LiveSession {
  tokenHash: string;
  kind: 'web' | 'api';
  pendingSecondFactor: boolean;
  actingForEnterpriseId: string | null;
  expiresAt: Date;
  user: { id: string; kind: 'citizen' | 'staff'; realName: string; departmentCode: string | null };
}

/**
 * Live sessions read in the last two seconds, so a burst of API calls costs one lookup, not one each.
 * This process forgets them whenever it revokes or changes a session; another instance's revocation takes
 * effect here within the two seconds. Expiry is checked on every hit.
 */
const recentSessions = new LRUCache<string, LiveSession>({ max: 20_000, ttl: 2_000 });

export function forgetRecentSessions(): void {
  recentSessions.clear();
}

/** A session that is neither revoked nor expired, of a user who is not disabled. */
export async function findLiveSession(ex: Executor, tokenHash: string, kind: 'web' | 'api', now: Date): Promise<LiveSession | undefined> {
  const key = `${kind}:${tokenHash}`;
  const recent = recentSessions.get(key);
  if (recent) return recent.expiresAt > now ? recent : undefined;
  const found = await readLiveSession(ex, tokenHash, kind, now);
  if (found) recentSessions.set(key, found);
  return found;
}

async function readLiveSession(ex: Executor, tokenHash: string, kind: 'web' | 'api', now: Date): Promise<LiveSession | undefined> {
  // Every signed-in request runs this: prepared once, not rebuilt.
  const [row] = await prepared(ex, 'identity_live_session', (e) =>
    e
      .select({
        tokenHash: sessions.tokenHash,
        kind: sessions.kind,
        pendingSecondFactor: sessions.pendingSecondFactor,
        actingForEnterpriseId: sessions.actingForEnterpriseId,
        expiresAt: sessions.expiresAt,
        userId: users.id,
        userKind: users.kind,
        realName: users.realName,
        departmentCode: users.departmentCode,
      })
      .from(sessions)
      .innerJoin(users, eq(users.id, sessions.userId))
      .where(
        and(
          eq(sessions.tokenHash, sql.placeholder('tokenHash')),
          eq(sessions.kind, sql.placeholder('kind')),
          isNull(sessions.revokedAt),
          gt(sessions.expiresAt, sql.placeholder('now')),
          isNull(users.disabledAt),
        ),
      )
      .limit(1),
  ).execute({ tokenHash, kind, now });
  if (!row) return undefined;
  return {
    tokenHash: row.tokenHash,
    kind: row.kind,
    pendingSecondFactor: row.pendingSecondFactor,
    actingForEnterpriseId: row.actingForEnterpriseId,
    expiresAt: row.expiresAt,
    user: { id: row.userId, kind: row.userKind, realName: row.realName, departmentCode: row.departmentCode },
  };
}

export async function revokeSession(ex: Executor, tokenHash: string, now: Date): Promise<boolean> {
  forgetRecentSessions();
  const rows = await ex
    .update(sessions)
    .set({ revokedAt: now })
    .where(and(eq(sessions.tokenHash, tokenHash), isNull(sessions.revokedAt)))
    .returning({ tokenHash: sessions.tokenHash });
  return rows.length > 0;
}

/** Revokes every live web session and API token of a user; returns how many. */
export async function revokeAllSessions(ex: Executor, userId: string, now: Date): Promise<number> {
  forgetRecentSessions();
  const rows = await ex
    .update(sessions)
    .set({ revokedAt: now })
    .where(and(eq(sessions.userId, userId), isNull(sessions.revokedAt), gt(sessions.expiresAt, now)))
    .returning({ tokenHash: sessions.tokenHash });
  return rows.length;
}

export async function setSessionActingFor(ex: Executor, tokenHash: string, enterpriseId: string | null): Promise<void> {
  forgetRecentSessions();
  await ex.update(sessions).set({ actingForEnterpriseId: enterpriseId }).where(eq(sessions.tokenHash, tokenHash));
}

// --- one-time sign-in codes --------------------------------------------------------------------

export type OtpRow = typeof otpCodes.$inferSelect;

/** Retires every open code of a number, so only the newest one works. */
export async function retireCodes(ex: Executor, phone: string, purpose: string, now: Date): Promise<void> {
  await ex
    .update(otpCodes)
    .set({ consumedAt: now })
    .where(and(eq(otpCodes.phone, phone), eq(otpCodes.purpose, purpose), isNull(otpCodes.consumedAt)));
}

export async function insertCode(ex: Executor, values: { phone: string; purpose: string; codeHash: string; createdAt: Date; expiresAt: Date }): Promise<void> {
  await ex.insert(otpCodes).values(values);
}

/** The newest code not yet used up for a number (it may have expired). */
export async function latestOpenCode(ex: Executor, phone: string, purpose: string): Promise<OtpRow | undefined> {
  const [row] = await ex
    .select()
    .from(otpCodes)
    .where(and(eq(otpCodes.phone, phone), eq(otpCodes.purpose, purpose), isNull(otpCodes.consumedAt)))
    .orderBy(desc(otpCodes.createdAt))
    .limit(1);
  return row;
}

/** Counts one try atomically; undefined when the code has no tries left (or was used meanwhile). */
export async function countCodeTry(ex: Executor, id: string, maxTries: number): Promise<number | undefined> {
  const [row] = await ex
    .update(otpCodes)
    .set({ attempts: sql`${otpCodes.attempts} + 1` })
    .where(and(eq(otpCodes.id, id), isNull(otpCodes.consumedAt), lt(otpCodes.attempts, maxTries)))
    .returning({ attempts: otpCodes.attempts });
  return row?.attempts;
}

export async function consumeCode(ex: Executor, id: string, now: Date): Promise<boolean> {
  const rows = await ex
    .update(otpCodes)
    .set({ consumedAt: now })
    .where(and(eq(otpCodes.id, id), isNull(otpCodes.consumedAt)))
    .returning({ id: otpCodes.id });
  return rows.length > 0;
}

// --- TOTP ----------------------------------------------------------------------------------------

export async function setTotpSecret(ex: Executor, userId: string, secret: string): Promise<void> {
  await ex.update(users).set({ totpSecret: secret, totpEnabled: false, totpLastStep: null }).where(eq(users.id, userId));
}

/** Records an accepted time step only if it is newer than the last one: a replayed code changes nothing. */
export async function acceptTotpStep(ex: Executor, userId: string, step: number, enable: boolean): Promise<boolean> {
  const rows = await ex
    .update(users)
    .set({ totpLastStep: step, ...(enable ? { totpEnabled: true } : {}) })
    .where(and(eq(users.id, userId), or(isNull(users.totpLastStep), lt(users.totpLastStep, step))))
    .returning({ id: users.id });
  return rows.length > 0;
}

// --- enterprises -------------------------------------------------------------------------------

export async function findEnterpriseByUscc(ex: Executor, uscc: string): Promise<EnterpriseRow | undefined> {
  const [row] = await ex.select().from(enterprises).where(eq(enterprises.uscc, uscc)).limit(1);
  return row;
}

export async function findEnterpriseById(ex: Executor, id: string): Promise<EnterpriseRow | undefined> {
  const [row] = await ex.select().from(enterprises).where(eq(enterprises.id, id)).limit(1);
  return row;
}

export interface Membership {
  enterpriseId: string;
  uscc: string;
  name: string;
  role: MemberRole;
}

export async function listMemberships(ex: Executor, userId: string): Promise<Membership[]> {
  return ex
    .select({ enterpriseId: enterprises.id, uscc: enterprises.uscc, name: enterprises.name, role: enterpriseMembers.role })
    .from(enterpriseMembers)
    .innerJoin(enterprises, eq(enterprises.id, enterpriseMembers.enterpriseId))
    .where(eq(enterpriseMembers.userId, userId))
    .orderBy(asc(enterprises.name));
}

export async function findMembership(ex: Executor, userId: string, enterpriseId: string): Promise<Membership | undefined> {
  const [row] = await ex
    .select({ enterpriseId: enterprises.id, uscc: enterprises.uscc, name: enterprises.name, role: enterpriseMembers.role })
    .from(enterpriseMembers)
    .innerJoin(enterprises, eq(enterprises.id, enterpriseMembers.enterpriseId))
    .where(and(eq(enterpriseMembers.userId, userId), eq(enterpriseMembers.enterpriseId, enterpriseId)))
    .limit(1);
  return row;
}

export async function listMembers(ex: Executor, enterpriseId: string): Promise<{ userId: string; role: MemberRole }[]> {
  return ex
    .select({ userId: enterpriseMembers.userId, role: enterpriseMembers.role })
    .from(enterpriseMembers)
    .where(eq(enterpriseMembers.enterpriseId, enterpriseId))
    .orderBy(asc(enterpriseMembers.createdAt));
}

// --- seed (idempotent: existing rows are left as they are) -----------------------------------------

export async function insertUsersIfAbsent(ex: Executor, rows: NewUser[]): Promise<void> {
  if (rows.length) await ex.insert(users).values(rows).onConflictDoNothing();
}

export async function userIdsByLogin(ex: Executor, logins: string[]): Promise<Map<string, string>> {
  if (!logins.length) return new Map();
  const rows = await ex.select({ id: users.id, login: users.login }).from(users).where(inArray(users.login, logins));
  return new Map(rows.map((r) => [r.login!, r.id]));
}

export async function userIdsByPhone(ex: Executor, phones: string[]): Promise<Map<string, string>> {
  if (!phones.length) return new Map();
  const rows = await ex.select({ id: users.id, phone: users.phone }).from(users).where(inArray(users.phone, phones));
  return new Map(rows.map((r) => [r.phone!, r.id]));
}

export async function insertRolesIfAbsent(ex: Executor, rows: { userId: string; role: StaffRole }[]): Promise<void> {
  if (rows.length) await ex.insert(staffRoles).values(rows).onConflictDoNothing();
}

export async function insertEnterpriseIfAbsent(ex: Executor, uscc: string, name: string): Promise<string> {
  await ex.insert(enterprises).values({ uscc, name }).onConflictDoNothing();
  return (await findEnterpriseByUscc(ex, uscc))!.id;
}

export async function insertMembersIfAbsent(ex: Executor, rows: { enterpriseId: string; userId: string; role: MemberRole }[]): Promise<void> {
  if (rows.length) await ex.insert(enterpriseMembers).values(rows).onConflictDoNothing();
}
