import type { Actor } from '../../platform/auth/actor.js';

/** Why a read was refused; recorded in the audit log. */
export type RefusalReason =
  | 'no-purpose'
  | 'unknown-purpose'
  | 'no-requester'
  | 'unknown-requester'
  | 'not-own-data'
  | 'not-acting-for-enterprise'
  | 'not-own-child'
  | 'wrong-department'
  | 'no-application'
  | 'application-not-of-department'
  | 'subject-kind';

export interface ReadFacts {
  /** Who asked: a signed-in person, a member of staff, or a department's system (no person). */
  requester: { kind: 'citizen'; userId: string } | { kind: 'staff'; userId: string; departmentCode: string | null } | { kind: 'system' } | null;
  /** The department named in the request, if any. */
  requestedDepartment: string | null;
  subject: { userId: string } | { enterpriseId: string };
  /** Companies the requesting citizen may act for. */
  actsFor: readonly string[];
  hasPurpose: boolean;
  applicationId: string | null;
  /** The answer of the cases module's check that the application belongs to the department; null if not asked. */
  applicationOfDepartment: boolean | null;
}

export type Decision = { ok: true; readerDepartment: string | null } | { ok: false; reason: RefusalReason };

/**
 * Who may cause a read, default deny:
 * - a person: about themself or a company they act for, with a purpose; the platform reads on their behalf;
 * - staff (or a department's system): only for an application of their own department, which the cases
 *   module confirms, so a purpose cannot be made up.
 */
export function decideRead(f: ReadFacts): Decision {
  if (!f.hasPurpose) return { ok: false, reason: 'no-purpose' };
  const r = f.requester;
  if (!r) return { ok: false, reason: f.requestedDepartment ? 'unknown-requester' : 'no-requester' };
  if (r.kind === 'citizen') {
    if (f.requestedDepartment) return { ok: false, reason: 'wrong-department' };
    if ('userId' in f.subject) return f.subject.userId === r.userId ? { ok: true, readerDepartment: null } : { ok: false, reason: 'not-own-data' };
    return f.actsFor.includes(f.subject.enterpriseId) ? { ok: true, readerDepartment: null } : { ok: false, reason: 'not-acting-for-enterprise' };
  }
  const department = r.kind === 'staff' ? r.departmentCode : f.requestedDepartment;
  if (!department) return { ok: false, reason: 'no-requester' };
  if (r.kind === 'staff' && f.requestedDepartment && f.requestedDepartment !== department) return { ok: false, reason: 'wrong-department' };
  if (!f.applicationId) return { ok: false, reason: 'no-application' };
  if (f.applicationOfDepartment !== true) return { ok: false, reason: 'application-not-of-department' };
  return { ok: true, readerDepartment: department };
}

/** Only the subject sees their own log; a platform administrator may look with a stated reason (audited). */
export function canViewDataUseOf(actor: Actor | null, userId: string): 'own' | 'with-reason' | false {
  if (!actor || actor.pendingSecondFactor) return false;
  if (actor.kind === 'citizen') return actor.userId === userId ? 'own' : false;
  return actor.roles.includes('platform_admin') ? 'with-reason' : false;
}
