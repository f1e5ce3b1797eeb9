import type { AppContext } from '../../platform/context.js';
import type { Executor } from '../../platform/db/db.js';
import { getLicence, issueBusinessLicence, revokeCredential, type ActingParty, type CredentialState } from '../certificates/index.js';
import type { LicenceSubject } from './enterprise.service.js';

/**
 * The one place that talks to the certificates module: the electronic business licence is issued and revoked
 * in the caller's transaction, so the licence and the register's record of it commit together (once).
 */
export async function issueLicence(ctx: AppContext, ex: Executor, s: LicenceSubject): Promise<{ id: string }> {
  const { credentialId } = await issueBusinessLicence(ex, ctx, {
    uscc: s.uscc,
    name: s.name,
    type: s.entityType,
    legalRepresentative: s.legalRepresentative,
    registeredCapital: s.registeredCapital,
    establishedOn: s.establishedOn,
    address: s.address,
    businessScope: s.businessScope,
    authority: s.registrationAuthority,
  });
  return { id: credentialId };
}

export async function revokeLicence(ctx: AppContext, ex: Executor, credentialId: string, reason: string, by?: ActingParty): Promise<void> {
  await revokeCredential(ex, ctx, credentialId, reason, by);
}

/** The licence's state (active, suspended or revoked), or undefined when there is no such licence. */
export async function licenceState(ex: Executor, credentialId: string): Promise<CredentialState | undefined> {
  return (await getLicence(ex, credentialId))?.state;
}

/** The certificates module's page for a licence (mobile view, with the PDF and the credential to download). */
export const licenceHref = (credentialId: string): string => `/licences/${credentialId}`;
export const licencePdfHref = (credentialId: string): string => `/licences/${credentialId}/licence.pdf`;
