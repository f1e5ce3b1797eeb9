import type { Actor } from '../../platform/auth/actor.js';
import type { Membership } from './identity.repository.js';

/**
 * Who may do what in the identity module. Default deny; pure, unit-tested.
 * - A signed-in citizen may act for themself (enterpriseId null) or for a company they are a member of.
 * - Staff never act for a company.
 */
export function canActFor(actor: Actor | null, enterpriseId: string | null, membership: Membership | null): boolean {
  if (!actor || actor.kind !== 'citizen' || actor.pendingSecondFactor) return false;
  if (enterpriseId === null) return true;
  return membership !== null && membership.enterpriseId === enterpriseId;
}

/** Only a local path may follow sign-in (`?return=`), so the page cannot send anyone to another site. */
export function safeReturnPath(value: unknown, fallback: string): string {
  if (typeof value !== 'string' || value.length > 2048) return fallback;
  if (!value.startsWith('/') || value.startsWith('//') || value.startsWith('/\\')) return fallback;
  // Control characters (e.g. a tab inside "/\t/evil.example") are ignored by browsers when parsing URLs.
  // eslint-disable-next-line no-control-regex
  if (/[\u0000-\u001f\u007f\\]/.test(value)) return fallback;
  return value;
}
