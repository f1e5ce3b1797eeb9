import { Type, type Static } from '@sinclair/typebox';
import type { FastifyRequest } from 'fastify';
import type { AppContext } from '../../platform/context.js';
import type { App } from '../../platform/http/types.js';
import { actorFields, recordAudit } from '../../platform/audit/audit.js';
import { ForbiddenError, NotFoundError } from '../../platform/http/errors.js';
import { sendPage } from '../../platform/views/render.js';
import { listEnterprisesOf } from '../identity/index.js';
import { licencePdf, qrSvg } from './certificates.documents.js';
import { feedOf } from './certificates.feed.js';
import { invalidateKeyCache, listPublicKeys } from './certificates.keys.js';
import { canDownloadLicence } from './certificates.policy.js';
import { registerLicenceStaffRoutes } from './certificates.staff.js';
import { getLicence, issuerId, licenceContextPath, listLicencesOf, rotateSigningKey, verifyUrl } from './certificates.service.js';
import {
  statusListCredential,
  verifyCredential,
  verifyCredentialById,
  verifyLicenceOfUscc,
  maxCredentialLength,
  type VerificationResult,
} from './certificates.verify.js';
import { KeysPage, LicencePage, LicencesPage, VerifyPage, type LicenceListItem } from './views/certificates.views.js';
import { subjectClaims } from './certificates.schema.js';

const Problem = Type.Object(
  { type: Type.String(), title: Type.String(), status: Type.Integer(), detail: Type.Optional(Type.String()), instance: Type.Optional(Type.String()) },
  { additionalProperties: true, description: 'RFC 9457 problem details' },
);

const VerifyBody = Type.Object(
  { credential: Type.String({ maxLength: maxCredentialLength, description: 'The credential as a compact vc+jwt' }) },
  { additionalProperties: false },
);

const Verdict = Type.Union(['valid', 'revoked', 'suspended', 'expired', 'invalid'].map((v) => Type.Literal(v)));
const VerifyReply = Type.Object({
  verdict: Verdict,
  reason: Type.String({ description: 'A stable code: ok, malformed, bad_signature, unknown_key, expired, revoked, suspended, …' }),
  message: Type.String({ description: 'The reason in words, in the language asked for' }),
  subject: Type.Union([Type.Record(Type.String(), Type.Unknown()), Type.Null()], { description: 'credentialSubject, once the signature checked out' }),
  credentialId: Type.Union([Type.String(), Type.Null()]),
  validFrom: Type.Union([Type.String(), Type.Null()]),
  validUntil: Type.Union([Type.String(), Type.Null()]),
  kid: Type.Union([Type.String(), Type.Null()]),
});

const Jwk = Type.Object({
  kty: Type.String(),
  crv: Type.String(),
  x: Type.String(),
  y: Type.String(),
  kid: Type.String(),
  alg: Type.String(),
  use: Type.String(),
});

const uuidPattern = '^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$';
const LicenceParams = Type.Object({ id: Type.String({ pattern: uuidPattern }) });

const dateIn = (d: Date) => new Date(d.getTime() + 8 * 3600_000).toISOString().slice(0, 10); // Beijing time
const dateTimeIn = (d: Date) => new Date(d.getTime() + 8 * 3600_000).toISOString().slice(0, 19).replace('T', ' ');

export async function registerCertificatesRoutes(app: App, ctx: AppContext): Promise<void> {
  const { db } = ctx;
  // Status changes committed anywhere reach this process's caches (LISTEN/NOTIFY).
  const feed = feedOf(ctx);
  await feed.start(ctx);
  app.addHook('onClose', async () => feed.close());

  // --- public: keys, status lists, context ---------------------------------------------------------

  app.get(
    '/.well-known/jwks.json',
    {
      config: { access: 'public' },
      schema: {
        tags: ['certificates'],
        summary: 'The issuer’s public keys (active and retired) for verifying vc+jwt credentials',
        response: { 200: Type.Object({ keys: Type.Array(Jwk) }) },
      },
    },
    async (_request, reply) => {
      const keys = await listPublicKeys(db, ctx, true);
      reply.header('cache-control', 'public, max-age=300');
      return {
        keys: keys.map((k) => ({
          kty: String(k.jwk.kty),
          crv: String(k.jwk.crv),
          x: String(k.jwk.x),
          y: String(k.jwk.y),
          kid: k.kid,
          alg: String(k.jwk.alg),
          use: 'sig',
        })),
      };
    },
  );

  app.get<{ Params: { id: string } }>(
    '/credentials/status/:id',
    {
      config: { access: 'public' },
      schema: {
        tags: ['certificates'],
        summary: 'A Bitstring Status List credential (vc+jwt), always current',
        params: Type.Object({ id: Type.String({ maxLength: 40 }) }),
      },
    },
    async (request, reply) => {
      const list = await statusListCredential(db, ctx, request.params.id);
      if (!list) throw new NotFoundError('No such status list');
      const etag = `"${request.params.id}-${list.version}-${list.validUntil}"`;
      reply.header('cache-control', 'public, max-age=0, must-revalidate').header('etag', etag);
      if (request.headers['if-none-match'] === etag) return reply.status(304).send();
      return reply.type('application/vc+jwt').send(list.jwt);
    },
  );

  app.get(licenceContextPath, { config: { access: 'public' }, schema: { hide: true } }, async (_request, reply) => {
    const vocab = `${ctx.config.publicUrl}/ns/business-licence#`;
    const term = (name: string) => ({ '@id': `${vocab}${name}` });
    reply.type('application/ld+json').header('cache-control', 'public, max-age=86400');
    return {
      '@context': {
        '@protected': true,
        BusinessLicenceCredential: term('BusinessLicenceCredential'),
        BusinessEntity: term('BusinessEntity'),
        uscc: term('uscc'),
        entityType: term('entityType'),
        legalRepresentative: term('legalRepresentative'),
        registeredCapital: term('registeredCapital'),
        establishedOn: term('establishedOn'),
        address: term('address'),
        businessScope: term('businessScope'),
        registrationAuthority: term('registrationAuthority'),
      },
    };
  });

  // --- verification --------------------------------------------------------------------------------

  app.post<{ Body: Static<typeof VerifyBody> }>(
    '/api/v1/credentials/verify',
    {
      config: { access: 'public' },
      // Far above any licence, far below the platform's 1 MiB: a larger body is refused before parsing.
      bodyLimit: 64 * 1024,
      schema: {
        tags: ['certificates'],
        summary: 'Verify an electronic licence (vc+jwt): signature, issuer, key, validity dates and status',
        body: VerifyBody,
        response: { 200: VerifyReply, 400: Problem, 413: Problem, 415: Problem },
      },
    },
    async (request) => {
      const result = await verifyCredential(db, ctx, request.body.credential);
      return { ...result, message: request.t(`certificates.reason.${result.reason}`) };
    },
  );

  app.get<{ Querystring: { credential?: string } }>(
    '/verify',
    {
      config: { access: 'public' },
      schema: { hide: true, querystring: Type.Object({ credential: Type.Optional(Type.String()) }, { additionalProperties: true }) },
    },
    async (request, reply) => {
      const input = (request.query.credential ?? '').trim();
      let result: VerificationResult | null = null;
      if (/^[0-9a-f-]{36}$/i.test(input)) result = await verifyCredentialById(db, ctx, input);
      else if (/^[0-9A-Za-z]{18}$/.test(input)) result = await verifyLicenceOfUscc(db, ctx, input);
      else if (input !== '') result = await verifyCredential(db, ctx, input);
      const status = result && ['malformed', 'too_large', 'invalid_uscc'].includes(result.reason) ? 400 : 200;
      return sendPage(
        request,
        reply,
        <VerifyPage input={input.length > maxCredentialLength ? '' : input} result={result} checkedAt={dateTimeIn(ctx.clock.now())} />,
        status,
      );
    },
  );

  // --- licence documents for the company's people ----------------------------------------------------

  /** The licence if the signed-in citizen is its company's legal representative or agent; audited either way. */
  const licenceFor = async (request: FastifyRequest, id: string, what: string) => {
    const licence = await getLicence(db, id);
    if (!licence) throw new NotFoundError('No such licence');
    const actor = request.actor!;
    const memberships = await listEnterprisesOf(db, actor.userId);
    const allowed = canDownloadLicence(actor, memberships, licence.uscc);
    await recordAudit(db, {
      ...actorFields(actor),
      action: `certificates.download.${what}`,
      resourceType: 'credential',
      resourceId: id,
      outcome: allowed ? 'ok' : 'denied',
      detail: { uscc: licence.uscc },
      ip: request.ip,
    });
    if (!allowed) throw new ForbiddenError('Only the company’s legal representative and agents may download its licence');
    return licence;
  };

  app.get('/licences', { config: { access: 'citizen' }, schema: { hide: true } }, async (request, reply) => {
    const memberships = await listEnterprisesOf(db, request.actor!.userId);
    const items: LicenceListItem[] = [];
    for (const m of memberships) {
      for (const l of await listLicencesOf(db, m.uscc)) {
        items.push({ credentialId: l.credentialId, name: l.fields.name, uscc: l.uscc, state: l.state, issuedOn: dateIn(l.issuedAt) });
      }
    }
    return sendPage(request, reply, <LicencesPage items={items} />);
  });

  app.get<{ Params: Static<typeof LicenceParams> }>(
    '/licences/:id',
    { config: { access: 'citizen' }, schema: { hide: true, params: LicenceParams } },
    async (request, reply) => {
      const licence = await licenceFor(request, request.params.id.toLowerCase(), 'view');
      const url = verifyUrl(ctx, licence.credentialId);
      return sendPage(
        request,
        reply,
        <LicencePage
          licence={{
            credentialId: licence.credentialId,
            state: licence.state,
            issuedOn: dateIn(licence.issuedAt),
            subject: subjectClaims(licence.fields),
            qrSvg: await qrSvg(url),
            verifyHref: `/verify?credential=${licence.credentialId}`,
          }}
        />,
      );
    },
  );

  app.get<{ Params: Static<typeof LicenceParams> }>(
    '/licences/:id/licence.pdf',
    { config: { access: 'citizen' }, schema: { hide: true, params: LicenceParams } },
    async (request, reply) => {
      const licence = await licenceFor(request, request.params.id.toLowerCase(), 'pdf');
      const pdf = await licencePdf({
        credentialId: licence.credentialId,
        fields: licence.fields,
        issuedOn: dateIn(licence.issuedAt),
        validUntil: licence.validUntil ? dateIn(licence.validUntil) : null,
        verifyUrl: verifyUrl(ctx, licence.credentialId),
      });
      return reply
        .type('application/pdf')
        .header('cache-control', 'private, no-store')
        .header('content-disposition', `attachment; filename="licence-${licence.uscc}.pdf"`)
        .send(Buffer.from(pdf));
    },
  );

  app.get<{ Params: Static<typeof LicenceParams> }>(
    '/licences/:id/licence.jwt',
    { config: { access: 'citizen' }, schema: { hide: true, params: LicenceParams } },
    async (request, reply) => {
      const licence = await licenceFor(request, request.params.id.toLowerCase(), 'jwt');
      return reply
        .type('application/vc+jwt')
        .header('cache-control', 'private, no-store')
        .header('content-disposition', `attachment; filename="licence-${licence.uscc}.jwt"`)
        .send(licence.jwt);
    },
  );

  // --- staff: withdraw, suspend, reinstate (pages and API) -----------------------------------------

  await registerLicenceStaffRoutes(app, ctx);

  // --- staff: signing keys -------------------------------------------------------------------------

  app.get<{ Querystring: { rotated?: string } }>(
    '/staff/certificates/keys',
    {
      config: { access: { staff: ['platform_admin'] } },
      schema: { hide: true, querystring: Type.Object({ rotated: Type.Optional(Type.String({ maxLength: 64 })) }) },
    },
    async (request, reply) => {
      const keys = await listPublicKeys(db, ctx);
      return sendPage(
        request,
        reply,
        <KeysPage
          keys={keys.map((k) => ({ kid: k.kid, status: k.status, created: dateTimeIn(k.createdAt), retired: k.retiredAt ? dateTimeIn(k.retiredAt) : null }))}
          rotated={request.query.rotated ?? null}
        />,
      );
    },
  );

  app.post('/staff/certificates/keys/rotate', { config: { access: { staff: ['platform_admin'] } }, schema: { hide: true } }, async (request, reply) => {
    const actor = request.actor!;
    const result = await db.transaction((tx) => rotateSigningKey(tx, ctx, { ...actorFields(actor), ip: request.ip }));
    invalidateKeyCache(ctx);
    return reply.redirect(`/staff/certificates/keys?rotated=${encodeURIComponent(result.active)}`, 303);
  });

  app.post(
    '/api/v1/admin/credentials/keys/rotate',
    {
      config: { access: { staff: ['platform_admin'] } },
      schema: {
        tags: ['certificates'],
        summary: 'Rotate the issuer key: the active key is retired (still published) and a new one signs from now on',
        security: [{ bearer: [] }],
        response: {
          200: Type.Object({ retired: Type.Union([Type.String(), Type.Null()]), active: Type.String(), issuer: Type.String() }),
          401: Problem,
          403: Problem,
        },
      },
    },
    async (request) => {
      const actor = request.actor!;
      const result = await db.transaction((tx) => rotateSigningKey(tx, ctx, { ...actorFields(actor), ip: request.ip }));
      invalidateKeyCache(ctx);
      return { ...result, issuer: issuerId(ctx) };
    },
  );
}
