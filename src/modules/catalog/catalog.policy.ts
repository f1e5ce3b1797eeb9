import type { Actor } from '../../platform/auth/actor.js';

/** Who may do what with the catalogue. Default deny. */
export type CatalogAction = 'item.create' | 'item.edit' | 'items.manage';

/**
 * A department admin manages the items of their own department; a platform admin manages every item.
 * `departmentCode` is the department of the item (for an edit, the department it has now and the one it
 * is moved to are both checked by the service).
 */
export function can(actor: Actor | null, action: CatalogAction, departmentCode?: string): boolean {
  if (!actor || actor.kind !== 'staff' || actor.pendingSecondFactor) return false;
  if (actor.roles.includes('platform_admin')) return true;
  if (!actor.roles.includes('dept_admin')) return false;
  if (action === 'items.manage') return true;
  return departmentCode !== undefined && actor.departmentCode === departmentCode;
}
