import { Type, type Static } from '@sinclair/typebox';
import type { FastifyRequest } from 'fastify';
import type { Actor } from '../../platform/auth/actor.js';
import type { AppContext } from '../../platform/context.js';
import { ForbiddenError, NotFoundError, UnauthorizedError, ValidationError } from '../../platform/http/errors.js';
import { createLimiter } from '../../platform/http/rate-limit.js';
import type { App } from '../../platform/http/types.js';
import {
  addInternalNote,
  addPublicComment,
  assignApplication,
  attachMaterial,
  caseStatuses,
  claimApplication,
  deleteCalendarDay,
  getApplication,
  listCalendar,
  listFollowUps,
  listMyApplications,
  listQueue,
  listShipments,
  lookupStatus,
  rateApplication,
  resubmitApplication,
  setCalendarDay,
  setDelivery,
  startPayment,
  submitApplication,
  takeAction,
  withdrawApplication,
  type ApplicationDetail,
  type ApplicationSummary,
} from './cases.service.js';
import { ProblemSchema as Problem } from '../../platform/http/problem-schema.js';

const tags = ['applications'];
const security = [{ bearer: [] }];
const IdParams = Type.Object({ id: Type.String({ maxLength: 64 }) });
const Status = Type.Union(caseStatuses.map((s) => Type.Literal(s)));
const DateTime = Type.String({ format: 'date-time' });
const Nullable = <T extends Parameters<typeof Type.Union>[0][number]>(t: T) => Type.Union([t, Type.Null()]);

const Address = Type.Object({ district: Type.String({ maxLength: 20 }), detail: Type.String({ maxLength: 200 }) });
const Delivery = Type.Union([
  Type.Object({
    method: Type.String({ maxLength: 20, description: 'window | courier | electronic (one the item offers)' }),
    recipientName: Type.Optional(Type.String({ maxLength: 100 })),
    phone: Type.Optional(Type.String({ maxLength: 20 })),
    address: Type.Optional(Address),
  }),
  Type.String({ maxLength: 20 }),
]);
const DeliveryOut = Type.Object({
  method: Type.String(),
  recipientName: Type.Optional(Type.String()),
  phone: Type.Optional(Type.String()),
  address: Type.Optional(Address),
});

const TimelineEntry = Type.Object({
  at: DateTime,
  status: Status,
  action: Type.String(),
  actor: Type.String({ description: "Who acted: a person's name, 'system' or 'courier'" }),
  actorKind: Type.String({ description: 'applicant | staff | system' }),
  note: Nullable(Type.String()),
  detail: Nullable(Type.Record(Type.String(), Type.Unknown())),
});

const Summary = Type.Object({
  id: Type.String({ format: 'uuid' }),
  receiptNo: Nullable(Type.String()),
  serviceCode: Type.String(),
  itemVersion: Type.Integer(),
  status: Status,
  actingFor: Nullable(Type.Object({ uscc: Type.String(), name: Type.String() })),
  submittedAt: Nullable(DateTime),
  promisedBy: Nullable(DateTime),
  legalBy: Nullable(DateTime),
  paused: Type.Boolean(),
  overdue: Type.Boolean(),
  assignedTo: Nullable(Type.Object({ id: Type.String(), name: Type.String() })),
  updatedAt: DateTime,
});

const Detail = Type.Composite([
  Summary,
  Type.Object({
    data: Type.Record(Type.String(), Type.Unknown()),
    delivery: Nullable(DeliveryOut),
    feeFen: Type.Integer(),
    paid: Type.Boolean(),
    correction: Nullable(Type.Array(Type.Object({ field: Type.Optional(Type.String()), material: Type.Optional(Type.String()), reason: Type.String() }))),
    timeline: Type.Array(TimelineEntry),
    materials: Type.Array(Type.Object({ fileId: Type.String(), material: Type.String(), field: Nullable(Type.String()) })),
    rating: Nullable(Type.Object({ value: Type.Integer(), comment: Nullable(Type.String()), at: DateTime })),
    completedAt: Nullable(DateTime),
    can: Type.Object({
      actions: Type.Array(Type.String()),
      withdraw: Type.Boolean(),
      resubmit: Type.Boolean(),
      pay: Type.Boolean(),
      rate: Type.Boolean(),
      changeDelivery: Type.Boolean(),
      claim: Type.Boolean(),
      assign: Type.Boolean(),
    }),
    internalNotes: Nullable(Type.Array(Type.Object({ at: DateTime, author: Type.String(), body: Type.String() }))),
  }),
]);

const SubmitBody = Type.Object({
  serviceCode: Type.String({ maxLength: 100 }),
  actingFor: Type.Optional(Nullable(Type.String({ maxLength: 40, description: 'USCC of the company the applicant acts for (must be a member)' }))),
  data: Type.Record(Type.String(), Type.Unknown(), { description: "Answers to the item version's form" }),
  delivery: Type.Optional(Delivery),
});

const ActionBody = Type.Object({
  action: Type.String({ maxLength: 60 }),
  comment: Type.Optional(Nullable(Type.String({ maxLength: 4000 }))),
  items: Type.Optional(
    Type.Array(Type.Object({ field: Type.Optional(Type.String()), material: Type.Optional(Type.String()), reason: Type.String() }), {
      maxItems: 50,
      description: 'request_correction: every missing or wrong item, in one notice',
    }),
  ),
  data: Type.Optional(Type.Record(Type.String(), Type.Unknown(), { description: 'resubmit: the corrected answers' })),
  expectedVersion: Type.Optional(Type.Integer()),
});

const iso = (d: Date | null) => (d ? d.toISOString() : null);

function summaryView(s: ApplicationSummary) {
  return {
    id: s.id,
    receiptNo: s.receiptNo,
    serviceCode: s.serviceCode,
    itemVersion: s.itemVersion,
    status: s.status,
    actingFor: s.actingFor,
    submittedAt: iso(s.submittedAt),
    promisedBy: iso(s.promisedBy),
    legalBy: iso(s.legalBy),
    paused: s.paused,
    overdue: s.overdue,
    assignedTo: s.assignedTo,
    updatedAt: s.updatedAt.toISOString(),
  };
}

function detailView(d: ApplicationDetail) {
  // Object.assign, not a spread (see getApplication).
  return Object.assign(summaryView(d), {
    data: d.data,
    delivery: d.delivery,
    feeFen: d.feeFen,
    paid: d.paid,
    correction: d.correction,
    timeline: d.timeline.map((t) => ({
      at: t.at.toISOString(),
      status: t.status,
      action: t.action,
      actor: t.actor.display,
      actorKind: t.actor.kind,
      note: t.note,
      detail: t.detail,
    })),
    materials: d.materials,
    rating: d.rating ? { ...d.rating, at: d.rating.at.toISOString() } : null,
    completedAt: iso(d.completedAt),
    can: d.can,
    internalNotes: d.internalNotes ? d.internalNotes.map((n) => ({ ...n, at: n.at.toISOString() })) : null,
  });
}

function actorOf(request: FastifyRequest): Actor {
  if (!request.actor) throw new UnauthorizedError();
  return request.actor;
}

/** The applications API (/api/v1/applications), the public status check and the holiday calendar. */
export async function registerCaseApi(app: App, ctx: AppContext): Promise<void> {
  const statusLimiter = createLimiter(30, 60);
  const errors = { 400: Problem, 401: Problem, 403: Problem, 404: Problem, 409: Problem };

  app.post<{ Body: Static<typeof SubmitBody> }>(
    '/api/v1/applications',
    {
      config: { access: 'citizen' },
      schema: {
        tags,
        security,
        summary: 'Submits an application; retries with the same Idempotency-Key return the same application',
        headers: Type.Object({ 'idempotency-key': Type.Optional(Type.String({ maxLength: 200 })) }),
        body: SubmitBody,
        response: {
          200: Type.Object({ id: Type.String(), receiptNo: Type.String(), status: Status }),
          201: Type.Object({ id: Type.String(), receiptNo: Type.String(), status: Status }),
          ...errors,
        },
      },
    },
    async (request, reply) => {
      const key = request.headers['idempotency-key'];
      const result = await submitApplication(
        ctx,
        actorOf(request),
        { ...request.body, idempotencyKey: typeof key === 'string' ? key : null },
        { ip: request.ip },
      );
      // A retry answers like the first request did, so a client cannot tell them apart (and need not).
      return reply.status(201).send({ id: result.id, receiptNo: result.receiptNo, status: result.status });
    },
  );

  app.get(
    '/api/v1/applications',
    {
      config: { access: 'citizen' },
      schema: {
        tags,
        security,
        summary: "The signed-in person's applications and those of the companies they act for",
        querystring: Type.Object({
          limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 200 })),
          offset: Type.Optional(Type.Integer({ minimum: 0, maximum: 100000 })),
        }),
        response: { 200: Type.Object({ items: Type.Array(Summary) }), 401: Problem, 403: Problem },
      },
    },
    async (request) => {
      const q = request.query as { limit?: number; offset?: number };
      const items = await listMyApplications(ctx, actorOf(request), { limit: q.limit ?? 50, offset: q.offset ?? 0 });
      return { items: items.map(summaryView) };
    },
  );

  app.get<{ Params: { id: string } }>(
    '/api/v1/applications/:id',
    {
      config: { access: 'signed-in' },
      schema: {
        tags,
        security,
        summary: 'One application with its timeline (the applicant, members of the company it was filed for, staff of the department)',
        params: IdParams,
        response: { 200: Detail, 401: Problem, 404: Problem },
      },
    },
    async (request) => detailView(await getApplication(ctx, actorOf(request), request.params.id, { cached: true })),
  );

  app.post<{ Params: { id: string }; Body: Static<typeof ActionBody> }>(
    '/api/v1/applications/:id/actions',
    {
      config: { access: 'signed-in' },
      schema: {
        tags,
        security,
        summary:
          'Takes a workflow action: staff (accept, refuse, request_correction, start_review, approve, reject, complete) or the applicant (withdraw, resubmit)',
        description: '403 when the role may not take the action; 409 when the application has moved on (another person acted first) or the fee is unpaid.',
        params: IdParams,
        body: ActionBody,
        response: { 200: Type.Object({ status: Status }), ...errors },
      },
    },
    async (request) => {
      const actor = actorOf(request);
      const body = request.body;
      if (actor.kind === 'citizen') {
        if (body.action === 'withdraw') return withdrawApplication(ctx, actor, request.params.id, { comment: body.comment ?? null });
        if (body.action === 'resubmit') return resubmitApplication(ctx, actor, request.params.id, { data: body.data ?? {}, comment: body.comment ?? null });
        // The applicant may see it but take no staff action: refused, after proving they may see it.
        await getApplication(ctx, actor, request.params.id);
        throw new ForbiddenError('Applicants may only withdraw or resubmit');
      }
      const result = await takeAction(
        ctx,
        actor,
        request.params.id,
        { action: body.action, comment: body.comment ?? null, items: body.items, expectedVersion: body.expectedVersion },
        { ip: request.ip },
      );
      return { status: result.status };
    },
  );

  app.post<{ Params: { id: string } }>(
    '/api/v1/applications/:id/payment',
    {
      config: { access: 'citizen' },
      schema: {
        tags,
        security,
        summary: "Opens the payment of the application's fee; send the payer to payUrl (the provider's hosted page)",
        params: IdParams,
        response: { 200: Type.Object({ paymentId: Type.String(), payUrl: Type.String(), amountFen: Type.Integer() }), ...errors },
      },
    },
    async (request) => startPayment(ctx, actorOf(request), request.params.id),
  );

  app.put<{ Params: { id: string }; Body: Static<typeof Delivery> }>(
    '/api/v1/applications/:id/delivery',
    {
      config: { access: 'citizen' },
      schema: {
        tags,
        security,
        summary: 'Chooses how the result arrives: window, courier (with address) or electronic',
        params: IdParams,
        body: Delivery,
        response: { 200: DeliveryOut, ...errors },
      },
    },
    async (request) => setDelivery(ctx, actorOf(request), request.params.id, request.body),
  );

  app.post<{ Params: { id: string }; Body: { fileId: string; material: string; field?: string } }>(
    '/api/v1/applications/:id/materials',
    {
      config: { access: 'citizen' },
      schema: {
        tags,
        security,
        summary: 'Links an uploaded file (POST /api/v1/files, purpose "application") to the application as a material',
        params: IdParams,
        body: Type.Object({
          fileId: Type.String({ maxLength: 64 }),
          material: Type.String({ maxLength: 100 }),
          field: Type.Optional(Type.String({ maxLength: 100 })),
        }),
        response: { 204: Type.Null(), ...errors },
      },
    },
    async (request, reply) => {
      await attachMaterial(ctx, actorOf(request), request.params.id, {
        fileId: request.body.fileId,
        material: request.body.material,
        field: request.body.field ?? null,
      });
      return reply.status(204).send();
    },
  );

  app.post<{ Params: { id: string }; Body: { rating: number; comment?: string } }>(
    '/api/v1/applications/:id/rating',
    {
      config: { access: 'citizen' },
      schema: {
        tags,
        security,
        summary: 'Rates a completed application 1–5 (好差评), once; 1 or 2 opens a follow-up for the department',
        params: IdParams,
        body: Type.Object({ rating: Type.Integer(), comment: Type.Optional(Type.String({ maxLength: 4000 })) }),
        response: { 200: Type.Object({ rating: Type.Integer(), followUp: Type.Boolean() }), ...errors },
      },
    },
    async (request) => rateApplication(ctx, actorOf(request), request.params.id, request.body),
  );

  app.get<{ Params: { id: string } }>(
    '/api/v1/applications/:id/shipments',
    {
      config: { access: 'signed-in' },
      schema: {
        tags,
        security,
        summary: 'Courier tracking of the application',
        params: IdParams,
        response: {
          200: Type.Object({
            items: Type.Array(
              Type.Object({
                trackingNo: Type.String(),
                status: Type.String(),
                provider: Type.String(),
                events: Type.Array(Type.Object({ status: Type.String(), at: DateTime, note: Nullable(Type.String()) })),
              }),
            ),
          }),
          401: Problem,
          404: Problem,
        },
      },
    },
    async (request) => {
      const items = await listShipments(ctx, actorOf(request), request.params.id);
      return { items: items.map((s) => ({ ...s, events: s.events.map((e) => ({ ...e, at: e.at.toISOString() })) })) };
    },
  );

  // --- staff workbench ----------------------------------------------------------------------------

  app.get(
    '/api/v1/workbench/applications',
    {
      config: { access: 'staff' },
      schema: {
        tags,
        security,
        summary: "The department's queue, soonest deadline first",
        querystring: Type.Object({
          status: Type.Optional(Status),
          serviceCode: Type.Optional(Type.String({ maxLength: 100 })),
          overdue: Type.Optional(Type.Boolean()),
          mine: Type.Optional(Type.Boolean()),
          limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 200 })),
          offset: Type.Optional(Type.Integer({ minimum: 0, maximum: 100000 })),
        }),
        response: { 200: Type.Object({ items: Type.Array(Summary) }), 401: Problem, 403: Problem },
      },
    },
    async (request) => {
      const q = request.query as {
        status?: ApplicationSummary['status'];
        serviceCode?: string;
        overdue?: boolean;
        mine?: boolean;
        limit?: number;
        offset?: number;
      };
      return { items: (await listQueue(ctx, actorOf(request), q)).map(summaryView) };
    },
  );

  app.post<{ Params: { id: string } }>(
    '/api/v1/workbench/applications/:id/claim',
    {
      config: { access: 'staff' },
      schema: { tags, security, summary: 'Takes the application to handle', params: IdParams, response: { 204: Type.Null(), ...errors } },
    },
    async (request, reply) => {
      await claimApplication(ctx, actorOf(request), request.params.id);
      return reply.status(204).send();
    },
  );

  app.post<{ Params: { id: string }; Body: { staffUserId: string } }>(
    '/api/v1/workbench/applications/:id/assign',
    {
      config: { access: { staff: ['dept_admin'] } },
      schema: {
        tags,
        security,
        summary: 'Assigns the application (department admin)',
        params: IdParams,
        body: Type.Object({ staffUserId: Type.String({ maxLength: 64 }) }),
        response: { 204: Type.Null(), ...errors },
      },
    },
    async (request, reply) => {
      await assignApplication(ctx, actorOf(request), request.params.id, request.body.staffUserId);
      return reply.status(204).send();
    },
  );

  app.post<{ Params: { id: string }; Body: { body: string } }>(
    '/api/v1/workbench/applications/:id/notes',
    {
      config: { access: 'staff' },
      schema: {
        tags,
        security,
        summary: 'Adds an internal note (never shown to the applicant)',
        params: IdParams,
        body: Type.Object({ body: Type.String({ maxLength: 4000 }) }),
        response: { 204: Type.Null(), ...errors },
      },
    },
    async (request, reply) => {
      await addInternalNote(ctx, actorOf(request), request.params.id, request.body.body);
      return reply.status(204).send();
    },
  );

  app.post<{ Params: { id: string }; Body: { body: string } }>(
    '/api/v1/workbench/applications/:id/comments',
    {
      config: { access: 'staff' },
      schema: {
        tags,
        security,
        summary: 'Adds a public comment to the timeline',
        params: IdParams,
        body: Type.Object({ body: Type.String({ maxLength: 4000 }) }),
        response: { 204: Type.Null(), ...errors },
      },
    },
    async (request, reply) => {
      await addPublicComment(ctx, actorOf(request), request.params.id, request.body.body);
      return reply.status(204).send();
    },
  );

  app.get(
    '/api/v1/workbench/follow-ups',
    {
      config: { access: 'staff' },
      schema: {
        tags,
        security,
        summary: "The department's follow-up tasks opened by poor ratings",
        response: {
          200: Type.Object({
            items: Type.Array(
              Type.Object({
                id: Type.String(),
                applicationId: Type.String(),
                rating: Type.Integer(),
                comment: Nullable(Type.String()),
                status: Type.String(),
                dueAt: DateTime,
                createdAt: DateTime,
              }),
            ),
          }),
          401: Problem,
        },
      },
    },
    async (request) => {
      const items = await listFollowUps(ctx, actorOf(request));
      return { items: items.map((f) => ({ ...f, dueAt: f.dueAt.toISOString(), createdAt: f.createdAt.toISOString() })) };
    },
  );

  // --- public status check ------------------------------------------------------------------------

  app.get(
    '/api/v1/status',
    {
      config: { access: 'public' },
      schema: {
        tags,
        summary: 'Public status check by receipt number and the last four digits of the phone number (no personal data)',
        querystring: Type.Object({ receiptNo: Type.String({ maxLength: 40 }), phoneLast4: Type.String({ maxLength: 8 }) }),
        response: {
          200: Type.Object({
            receiptNo: Type.String(),
            serviceCode: Type.String(),
            itemName: Type.Object({ zh: Type.String(), en: Type.String() }),
            status: Status,
            submittedAt: Nullable(DateTime),
            promisedBy: Nullable(DateTime),
            completedAt: Nullable(DateTime),
            updatedAt: DateTime,
          }),
          400: Problem,
          404: Problem,
          429: Problem,
        },
      },
    },
    async (request) => {
      await statusLimiter.consume(`status:${request.ip}`);
      const q = request.query as { receiptNo: string; phoneLast4: string };
      if (!/^\d{4}$/.test(q.phoneLast4)) throw new ValidationError({ phoneLast4: 'cases.error.invalid' });
      const found = await lookupStatus(ctx, q.receiptNo, q.phoneLast4);
      if (!found) throw new NotFoundError('No application matches this receipt number and phone');
      return {
        ...found,
        submittedAt: iso(found.submittedAt),
        promisedBy: iso(found.promisedBy),
        completedAt: iso(found.completedAt),
        updatedAt: found.updatedAt.toISOString(),
      };
    },
  );

  // --- holiday calendar ---------------------------------------------------------------------------

  const Day = Type.Object({ date: Type.String(), kind: Type.Union([Type.Literal('holiday'), Type.Literal('workday')]), name: Type.String() });

  app.get(
    '/api/v1/calendar',
    {
      config: { access: 'public' },
      schema: { tags, summary: 'Holidays and make-up working days used for time limits', response: { 200: Type.Object({ items: Type.Array(Day) }) } },
    },
    async () => ({
      items: await listCalendar(ctx),
    }),
  );

  app.put<{ Params: { date: string }; Body: { kind: string; name: string } }>(
    '/api/v1/calendar/:date',
    {
      config: { access: { staff: ['platform_admin'] } },
      schema: {
        tags,
        security,
        summary: 'Marks a date as a holiday or a make-up working day (platform admin)',
        params: Type.Object({ date: Type.String({ maxLength: 10 }) }),
        body: Type.Object({ kind: Type.String({ maxLength: 10 }), name: Type.String({ maxLength: 200 }) }),
        response: { 200: Day, ...errors },
      },
    },
    async (request) => setCalendarDay(ctx, actorOf(request), request.params.date, request.body),
  );

  app.delete<{ Params: { date: string } }>(
    '/api/v1/calendar/:date',
    {
      config: { access: { staff: ['platform_admin'] } },
      schema: {
        tags,
        security,
        summary: 'Removes a date from the calendar (platform admin)',
        params: Type.Object({ date: Type.String({ maxLength: 10 }) }),
        response: { 204: Type.Null(), ...errors },
      },
    },
    async (request, reply) => {
      if (!(await deleteCalendarDay(ctx, actorOf(request), request.params.date))) throw new NotFoundError('No such date in the calendar');
      return reply.status(204).send();
    },
  );
}
