import { Type, type Static } from '@sinclair/typebox';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { AppContext } from '../../platform/context.js';
import type { App } from '../../platform/http/types.js';
import { ConflictError, ForbiddenError, NotFoundError, ValidationError } from '../../platform/http/errors.js';
import { sendPage } from '../../platform/views/render.js';
import { mayChangeLicenceState } from './certificates.policy.js';
import { actionsFor, changeLicenceState, getLicence, licenceActions, listLicencesOf, type LicenceAction } from './certificates.service.js';
import { subjectClaims } from './certificates.schema.js';
import { StaffLicencePage, StaffLicencesPage } from './views/staff.views.js';

// Withdrawing (revoking), suspending and reinstating a licence: the staff pages and the API.

const Problem = Type.Object(
  { type: Type.String(), title: Type.String(), status: Type.Integer(), detail: Type.Optional(Type.String()), instance: Type.Optional(Type.String()) },
  { additionalProperties: true, description: 'RFC 9457 problem details' },
);
/** Any id up to 64 characters: one that is not a licence's is a 404, not a 400. */
const IdParam = Type.Object({ id: Type.String({ maxLength: 64 }) });
const ReasonBody = Type.Object(
  { reason: Type.String({ maxLength: 500, description: 'Why (2–500 characters); kept with the licence and in the audit log' }) },
  { additionalProperties: false },
);
const UsccQuery = Type.Object({ uscc: Type.Optional(Type.String({ maxLength: 30 })) });
const DoneQuery = Type.Object({ done: Type.Optional(Type.String({ maxLength: 20 })) });

const staffAccess = { access: { staff: ['approver' as const, 'dept_admin' as const] } };
const dateIn = (d: Date) => new Date(d.getTime() + 8 * 3600_000).toISOString().slice(0, 10); // Beijing time
const dateTimeIn = (d: Date) => new Date(d.getTime() + 8 * 3600_000).toISOString().slice(0, 16).replace('T', ' ');
const reasonOf = (request: FastifyRequest): string => {
  const b = request.body && typeof request.body === 'object' ? (request.body as Record<string, unknown>) : {};
  return typeof b.reason === 'string' ? b.reason.slice(0, 2000) : '';
};

export async function registerLicenceStaffRoutes(app: App, ctx: AppContext): Promise<void> {
  const { db } = ctx;
  const guard = (request: FastifyRequest) => {
    if (!mayChangeLicenceState(request.actor)) throw new ForbiddenError('Only the registration authority’s approvers may change a licence’s status');
  };

  const licencePage = async (
    request: FastifyRequest,
    reply: FastifyReply,
    id: string,
    opts: { errors?: Record<string, string>; reason?: string; done?: LicenceAction | null; status?: number } = {},
  ) => {
    const licence = await getLicence(db, id.toLowerCase());
    if (!licence) throw new NotFoundError('No such licence');
    const subject = subjectClaims(licence.fields);
    const labels: Record<string, string> = {
      uscc: 'certificates.licence.uscc',
      name: 'certificates.licence.name',
      legalRepresentative: 'certificates.licence.legalRepresentative',
      address: 'certificates.licence.address',
      businessScope: 'certificates.licence.businessScope',
    };
    return sendPage(
      request,
      reply,
      <StaffLicencePage
        v={{
          credentialId: licence.credentialId,
          state: licence.state,
          issuedOn: dateIn(licence.issuedAt),
          stateChangedAt: licence.stateChangedAt ? dateTimeIn(licence.stateChangedAt) : null,
          stateReason: licence.stateReason,
          subject: Object.entries(labels).map(([k, label]) => ({ label: request.t(label), value: subject[k] ?? '' })),
          actions: actionsFor(licence.state),
        }}
        errors={opts.errors ?? {}}
        reason={opts.reason ?? ''}
        done={opts.done ?? null}
      />,
      opts.status ?? 200,
    );
  };

  app.get<{ Querystring: Static<typeof UsccQuery> }>(
    '/staff/certificates/licences',
    { config: staffAccess, schema: { hide: true, querystring: UsccQuery } },
    async (request, reply) => {
      guard(request);
      const uscc = (request.query.uscc ?? '').trim().toUpperCase();
      const rows = uscc ? await listLicencesOf(db, uscc) : [];
      return sendPage(
        request,
        reply,
        <StaffLicencesPage
          uscc={uscc}
          searched={uscc !== ''}
          rows={rows.map((l) => ({ credentialId: l.credentialId, name: l.fields.name, uscc: l.uscc, state: l.state, issuedOn: dateIn(l.issuedAt) }))}
        />,
      );
    },
  );

  app.get<{ Params: Static<typeof IdParam>; Querystring: Static<typeof DoneQuery> }>(
    '/staff/certificates/licences/:id',
    { config: staffAccess, schema: { hide: true, params: IdParam, querystring: DoneQuery } },
    async (request, reply) => {
      guard(request);
      const done = licenceActions.find((a) => a === request.query.done) ?? null;
      return licencePage(request, reply, request.params.id, { done });
    },
  );

  for (const action of licenceActions) {
    app.post<{ Params: Static<typeof IdParam> }>(
      `/staff/certificates/licences/:id/${action}`,
      { config: staffAccess, schema: { hide: true, params: IdParam } },
      async (request, reply) => {
        guard(request);
        const reason = reasonOf(request);
        try {
          await changeLicenceState(ctx, request.actor!, request.params.id, action, reason, request.ip);
        } catch (error) {
          if (error instanceof ValidationError) return licencePage(request, reply, request.params.id, { errors: error.fields, reason, status: 400 });
          if (error instanceof ConflictError)
            return licencePage(request, reply, request.params.id, { errors: { _form: `certificates.staff.error.${action}` }, reason, status: 409 });
          throw error;
        }
        return reply.redirect(`/staff/certificates/licences/${request.params.id.toLowerCase()}?done=${action}`, 303);
      },
    );

    app.post<{ Params: Static<typeof IdParam>; Body: Static<typeof ReasonBody> }>(
      `/api/v1/credentials/:id/${action}`,
      {
        config: staffAccess,
        schema: {
          tags: ['certificates'],
          summary: {
            revoke: 'Withdraw (revoke) a licence for good; the next verification says "revoked"',
            suspend: 'Suspend a licence; the next verification says "suspended"',
            reinstate: 'Lift a suspension; the next verification says "valid" again',
          }[action],
          security: [{ bearer: [] }],
          params: IdParam,
          body: ReasonBody,
          response: {
            200: Type.Object({ id: Type.String(), state: Type.String(), reason: Type.Union([Type.String(), Type.Null()]) }),
            400: Problem,
            401: Problem,
            403: Problem,
            404: Problem,
            409: Problem,
          },
        },
      },
      async (request) => {
        await changeLicenceState(ctx, request.actor!, request.params.id, action, request.body.reason, request.ip);
        const licence = (await getLicence(db, request.params.id.toLowerCase()))!;
        return { id: licence.credentialId, state: licence.state, reason: licence.stateReason };
      },
    );
  }
}
