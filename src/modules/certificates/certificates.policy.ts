import { hasRole, type Actor } from '../../platform/auth/actor.js';

export interface Membership {
  uscc: string;
  role: string;
}

/**
 * Who may download a company's licence: a citizen who is its legal representative or one of its agents
 * (an accountant acting for it counts as an agent). Everyone else, staff included, is refused: staff see
 * the register, not the holder's copy. Default deny.
 */
export function canDownloadLicence(actor: Actor | null, memberships: Membership[], uscc: string): boolean {
  if (!actor || actor.kind !== 'citizen' || actor.pendingSecondFactor) return false;
  return memberships.some((m) => m.uscc === uscc && ['legal_representative', 'accountant', 'agent'].includes(m.role));
}

/**
 * Who may withdraw (revoke), suspend or reinstate a licence: the registration authority's approvers and its
 * department administrator (department `amr`), or a platform administrator. Clerks, reviewers, other
 * departments and citizens may not. Default deny.
 */
export function mayChangeLicenceState(actor: Actor | null): boolean {
  if (!actor || actor.kind !== 'staff' || actor.pendingSecondFactor) return false;
  if (actor.roles.includes('platform_admin')) return true;
  return actor.departmentCode === 'amr' && hasRole(actor, ['approver', 'dept_admin']);
}
