import type { AppModule } from '../../platform/module.js';
import type { Executor } from '../../platform/db/db.js';
import type { StaffRole } from '../../platform/auth/actor.js';
import * as repo from './identity.repository.js';
import { identityMessages } from './identity.messages.js';
import { registerIdentityRoutes, sessionCookie } from './identity.routes.js';
import { resolveActor } from './identity.service.js';

/** Resolves a bearer token to its actor (for transports other than HTTP, e.g. MQTT position ingest). */
export { resolveActor };
import { demoAccountLines, seedIdentity } from './identity.seed.js';

/**
 * Identity: citizens, enterprises and their members, staff and roles, sign-up and sign-in (password, SMS
 * code, TOTP for staff), cookie sessions and API bearer tokens. Other modules use only what is exported here.
 */
export const identityModule: AppModule = {
  name: 'identity',
  messages: identityMessages,
  authenticate: (ctx) => async (request, reply) => {
    if (request.url.startsWith('/static/')) return;
    // The API trusts only bearer tokens and pages only the cookie, so a browser's cookie can never drive the API (no CSRF there).
    if (request.url.startsWith('/api/')) {
      const match = /^Bearer ([A-Za-z0-9_-]{20,100})$/.exec(request.headers.authorization ?? '');
      if (match) request.actor = await resolveActor(ctx, match[1]!, 'bearer');
      return;
    }
    const token = request.cookies[sessionCookie];
    if (!token) return;
    request.actor = await resolveActor(ctx, token, 'cookie');
    // A cookie whose session ended (expired, signed out elsewhere) is removed rather than sent forever.
    if (!request.actor) reply.clearCookie(sessionCookie, { path: '/' });
  },
  register: registerIdentityRoutes,
  seed: seedIdentity,
  demoAccounts: demoAccountLines,
};

// --- what other modules may use ------------------------------------------------------------------

export interface UserView {
  id: string;
  kind: 'citizen' | 'staff';
  realName: string;
  /** Citizens only. */
  phone: string | null;
  /** Citizens only; other modules may prefill forms with it (the government already holds it). */
  idNumber: string | null;
  email: string | null;
  locale: string;
  /** Staff only. */
  login: string | null;
  departmentCode: string | null;
  roles: StaffRole[];
  disabled: boolean;
}

export interface EnterpriseView {
  id: string;
  uscc: string;
  name: string;
}

export interface EnterpriseMembership extends EnterpriseView {
  role: repo.MemberRole;
}

export async function getUserById(ex: Executor, id: string): Promise<UserView | undefined> {
  if (!/^[0-9a-f-]{36}$/i.test(id)) return undefined;
  const user = await repo.findUserById(ex, id);
  if (!user) return undefined;
  return {
    id: user.id,
    kind: user.kind,
    realName: user.realName,
    phone: user.phone,
    idNumber: user.idNumber,
    email: user.email,
    locale: user.locale,
    login: user.login,
    departmentCode: user.departmentCode,
    roles: user.kind === 'staff' ? await repo.listRoles(ex, user.id) : [],
    disabled: user.disabledAt !== null,
  };
}

export async function findEnterpriseByUscc(ex: Executor, uscc: string): Promise<EnterpriseView | undefined> {
  const row = await repo.findEnterpriseByUscc(ex, uscc.trim().toUpperCase());
  return row ? { id: row.id, uscc: row.uscc, name: row.name } : undefined;
}

export async function getEnterpriseById(ex: Executor, id: string): Promise<EnterpriseView | undefined> {
  if (!/^[0-9a-f-]{36}$/i.test(id)) return undefined;
  const row = await repo.findEnterpriseById(ex, id);
  return row ? { id: row.id, uscc: row.uscc, name: row.name } : undefined;
}

/** The companies a citizen may act for, with their role in each. */
export async function listEnterprisesOf(ex: Executor, userId: string): Promise<EnterpriseMembership[]> {
  const rows = await repo.listMemberships(ex, userId);
  return rows.map((r) => ({ id: r.enterpriseId, uscc: r.uscc, name: r.name, role: r.role }));
}

export async function listEnterpriseMembers(ex: Executor, enterpriseId: string): Promise<{ userId: string; role: repo.MemberRole }[]> {
  return repo.listMembers(ex, enterpriseId);
}

/**
 * Records a company that registration has just created, and who may act for it (issue 4: the enterprise module
 * calls this in its own transaction when a company is established). Existing rows are left alone.
 */
export async function registerEnterprise(
  ex: Executor,
  company: { uscc: string; name: string },
  members: { userId: string; role: repo.MemberRole }[],
): Promise<EnterpriseView> {
  const id = await repo.insertEnterpriseIfAbsent(ex, company.uscc, company.name);
  await repo.insertMembersIfAbsent(
    ex,
    members.map((m) => ({ enterpriseId: id, userId: m.userId, role: m.role })),
  );
  return { id, uscc: company.uscc, name: company.name };
}

/** A citizen's id by phone number (demo seeds of other modules). */
export async function findCitizenIdByPhone(ex: Executor, phone: string): Promise<string | undefined> {
  const user = await repo.findUserByPhone(ex, phone);
  return user?.kind === 'citizen' ? user.id : undefined;
}

/** A member of staff's id by login (demo seeds of other modules). */
export async function findStaffIdByLogin(ex: Executor, login: string): Promise<string | undefined> {
  const user = await repo.findUserByLogin(ex, login);
  return user?.kind === 'staff' ? user.id : undefined;
}

/** Active staff of a department holding one of the roles. */
export async function listStaffOf(ex: Executor, departmentCode: string, roles: StaffRole[]): Promise<{ id: string; realName: string }[]> {
  return repo.listStaffOf(ex, departmentCode, roles);
}

export { checkMobile, checkPassword, checkRealName, checkResidentId, checkUscc, maskIdNumber, maskPhone } from './identity.validators.js';
export { safeReturnPath } from './identity.policy.js';
