/** `operator`: a transport operator's staff (transit: post vehicle positions, run the operators' console). */
export const staffRoleNames = ['clerk', 'reviewer', 'approver', 'dept_admin', 'platform_admin', 'operator'] as const;
export type StaffRole = (typeof staffRoleNames)[number];

export interface ActingFor {
  enterpriseId: string;
  uscc: string;
  name: string;
  role: 'legal_representative' | 'accountant' | 'agent';
}

/** Who is making the request, resolved from the session cookie or the bearer token. */
export interface Actor {
  userId: string;
  kind: 'citizen' | 'staff';
  realName: string;
  /** Staff only. */
  departmentCode: string | null;
  roles: StaffRole[];
  actingFor: ActingFor | null;
  /** Hash of the session or token secret, to revoke it. */
  sessionId: string;
  via: 'cookie' | 'bearer';
  /** Signed in with a password but the second factor is still owed (staff). */
  pendingSecondFactor: boolean;
}

/**
 * Who may use a route. Every route declares one; a route without it fails at start-up.
 * - public: anyone, signed in or not
 * - signed-in: any signed-in person
 * - citizen / staff: that kind of account
 * - { staff: [...] }: staff holding at least one of the roles (platform_admin holds them all)
 */
export type Access = 'public' | 'signed-in' | 'citizen' | 'staff' | { staff: StaffRole[] };

export function hasRole(actor: Actor | null, roles: StaffRole[]): boolean {
  if (!actor || actor.kind !== 'staff') return false;
  if (actor.roles.includes('platform_admin')) return true;
  return roles.some((r) => actor.roles.includes(r));
}

/** Decides whether an actor meets a route's access rule. Pure, unit-tested. */
export function allows(access: Access, actor: Actor | null): boolean {
  if (access === 'public') return true;
  if (!actor || actor.pendingSecondFactor) return false;
  if (access === 'signed-in') return true;
  if (access === 'citizen') return actor.kind === 'citizen';
  if (access === 'staff') return actor.kind === 'staff';
  return hasRole(actor, access.staff);
}
