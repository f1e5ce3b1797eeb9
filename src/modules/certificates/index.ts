import type { AppModule } from '../../platform/module.js';
import { runWithApp } from '../../platform/db/change-feed.js';
import { feedOf } from './certificates.feed.js';
import { certificatesMessages } from './certificates.messages.js';
import { registerCertificatesRoutes } from './certificates.routes.js';

/**
 * Certificates: electronic licences as W3C Verifiable Credentials (VCDM 2.0, secured as vc+jwt with ES256),
 * the issuer's keys (JWKS), Bitstring Status Lists for revocation and suspension, verification (API and
 * the public /verify page), and the licence documents (PDF with QR code, mobile view). Other modules use
 * only what is exported here.
 */
export const certificatesModule: AppModule = {
  name: 'certificates',
  messages: certificatesMessages,
  async register(app, ctx) {
    // Verifications use cached status lists while the feed of their changes is live.
    runWithApp(app, ctx, feedOf(ctx));
    await registerCertificatesRoutes(app, ctx);
  },
};

export {
  issueBusinessLicence,
  revokeCredential,
  suspendCredential,
  reinstateCredential,
  latestLicenceOf,
  listLicencesOf,
  getLicence,
  rotateSigningKey,
  verifyUrl,
  type ActingParty,
  type LicenceInput,
  type LicenceSummary,
} from './certificates.service.js';
export type { CredentialState, LicenceFields } from './certificates.schema.js';
