import { Type, type Static } from '@sinclair/typebox';
import type { FastifyRequest } from 'fastify';
import type { Actor } from '../../platform/auth/actor.js';
import type { AppContext } from '../../platform/context.js';
import { UnauthorizedError } from '../../platform/http/errors.js';
import type { App } from '../../platform/http/types.js';
import {
  createPost,
  getPost,
  hidePost,
  limitSuggest,
  listPosts,
  postKinds,
  ratePost,
  reopenPost,
  reroutePost,
  staffReply,
  suggest,
  type PostSummary,
  type PostThread,
} from './hall.service.js';

const tags = ['hall'];
const security = [{ bearer: [] }];
const Problem = Type.Object({ type: Type.String(), title: Type.String(), status: Type.Integer() }, { additionalProperties: true });
const Nullable = <T extends Parameters<typeof Type.Union>[0][number]>(t: T) => Type.Union([t, Type.Null()]);
const DateTime = Type.String({ format: 'date-time' });
const Kind = Type.Union(postKinds.map((k) => Type.Literal(k)));
const RoutedTo = Nullable(Type.Object({ departmentCode: Type.String(), confidence: Type.Number() }));
const IdParams = Type.Object({ id: Type.String({ maxLength: 64 }) });

const Created = Type.Object({ id: Type.String({ format: 'uuid' }), number: Type.String(), status: Type.String(), routedTo: RoutedTo });

const PostBody = Type.Object({
  kind: Type.String({ maxLength: 20, description: 'question | complaint | suggestion | report' }),
  title: Type.String({ maxLength: 1000 }),
  // Longer than allowed on purpose, so an over-long post gets the field's own message rather than a schema error.
  body: Type.String({ maxLength: 100_000 }),
  visibility: Type.Optional(Type.String({ maxLength: 20, description: 'public (default) | private' })),
  anonymous: Type.Optional(Type.Boolean()),
  departmentCode: Type.Optional(Type.String({ maxLength: 60, description: 'The department (category) the author chose' })),
  photoFileId: Type.Optional(Type.String({ maxLength: 64, description: 'An image uploaded through /api/v1/files' })),
  location: Type.Optional(
    Type.Object({ lat: Type.Optional(Type.Number()), long: Type.Optional(Type.Number()), address: Type.Optional(Type.String({ maxLength: 1000 })) }),
  ),
  locale: Type.Optional(Type.String({ maxLength: 10 })),
});

const HotlineBody = Type.Composite([
  PostBody,
  Type.Object({ caller: Type.Object({ name: Type.Optional(Type.String({ maxLength: 100 })), phone: Type.Optional(Type.String({ maxLength: 30 })) }) }),
]);

const Summary = Type.Object({
  id: Type.String(),
  number: Type.String(),
  kind: Kind,
  status: Type.String(),
  open: Type.Boolean(),
  title: Type.String(),
  body: Type.String(),
  visibility: Type.String(),
  author: Nullable(Type.String()),
  departmentCode: Nullable(Type.String()),
  channel: Type.String(),
  location: Nullable(Type.Object({ lat: Nullable(Type.Number()), long: Nullable(Type.Number()), address: Nullable(Type.String()) })),
  photoUrl: Nullable(Type.String()),
  createdAt: DateTime,
  updatedAt: DateTime,
  dueAt: Nullable(DateTime),
  statusNote: Nullable(Type.String()),
  reopenCount: Type.Integer(),
  rating: Nullable(Type.String()),
  faq: Type.Boolean(),
});

const Thread = Type.Composite([
  Summary,
  Type.Object({
    routedTo: RoutedTo,
    entries: Type.Array(
      Type.Object({
        at: DateTime,
        kind: Type.String(),
        actorKind: Type.String(),
        department: Nullable(Type.String({ description: 'The department that signs the entry' })),
        body: Nullable(Type.String()),
        detail: Nullable(Type.Record(Type.String(), Type.Unknown())),
      }),
    ),
  }),
]);

const iso = (d: Date | null) => (d ? d.toISOString() : null);

export function summaryJson(p: PostSummary) {
  return {
    id: p.id,
    number: p.number,
    kind: p.kind,
    status: p.status,
    open: p.open,
    title: p.title,
    body: p.body,
    visibility: p.visibility,
    author: p.author,
    departmentCode: p.departmentCode,
    channel: p.channel,
    location: p.location,
    photoUrl: p.photoUrl,
    createdAt: p.createdAt.toISOString(),
    updatedAt: p.updatedAt.toISOString(),
    dueAt: iso(p.dueAt),
    statusNote: p.statusNote,
    reopenCount: p.reopenCount,
    rating: p.rating,
    faq: p.faq,
  };
}

function threadJson(t: PostThread) {
  return {
    ...summaryJson(t),
    routedTo: t.departmentCode
      ? { departmentCode: t.departmentCode, confidence: t.routing.departmentCode === t.departmentCode ? (t.routing.confidence ?? 1) : 1 }
      : null,
    entries: t.entries.map((e) => ({
      at: e.at.toISOString(),
      kind: e.kind,
      actorKind: e.actorKind,
      department: e.departmentCode,
      body: e.body,
      detail: e.detail,
    })),
  };
}

function actorOf(request: FastifyRequest): Actor {
  if (!request.actor) throw new UnauthorizedError();
  return request.actor;
}

const keyOf = (request: FastifyRequest) => {
  const k = request.headers['idempotency-key'];
  return typeof k === 'string' ? k : null;
};

/** The hall's JSON API (/api/v1/hall): posts, threads, suggestions while typing, staff and author actions. */
export async function registerHallApi(app: App, ctx: AppContext): Promise<void> {
  const errors = { 400: Problem, 401: Problem, 403: Problem, 404: Problem, 409: Problem, 429: Problem };

  app.post<{ Body: Static<typeof PostBody> }>(
    '/api/v1/hall/posts',
    {
      config: { access: 'citizen' },
      schema: {
        tags,
        security,
        summary:
          'Posts a question, complaint, suggestion or report; routed and acknowledged at once. A retry with the same Idempotency-Key returns the same post',
        headers: Type.Object({ 'idempotency-key': Type.Optional(Type.String({ maxLength: 200 })) }),
        body: PostBody,
        response: { 201: Created, ...errors },
      },
    },
    async (request, reply) => {
      const b = request.body;
      const r = await createPost(
        ctx,
        { kind: 'citizen', actor: actorOf(request) },
        { ...b, locale: b.locale, idempotencyKey: keyOf(request) },
        { ip: request.ip },
      );
      return reply.status(201).send({ id: r.id, number: r.number, status: r.status, routedTo: r.routedTo });
    },
  );

  app.post<{ Body: Static<typeof HotlineBody> }>(
    '/api/v1/hall/hotline-posts',
    {
      config: { access: 'staff' },
      schema: {
        tags,
        security,
        summary: 'A 12345 hotline operator files a post for a caller (shown anonymously; the contact stays with the staff)',
        headers: Type.Object({ 'idempotency-key': Type.Optional(Type.String({ maxLength: 200 })) }),
        body: HotlineBody,
        response: { 201: Created, ...errors },
      },
    },
    async (request, reply) => {
      const { caller, ...b } = request.body;
      const r = await createPost(ctx, { kind: 'hotline', actor: actorOf(request), caller }, { ...b, idempotencyKey: keyOf(request) }, { ip: request.ip });
      return reply.status(201).send({ id: r.id, number: r.number, status: r.status, routedTo: r.routedTo });
    },
  );

  app.get(
    '/api/v1/hall/posts',
    {
      config: { access: 'public' },
      schema: {
        tags,
        summary: 'Public posts, newest first',
        querystring: Type.Object({
          department: Type.Optional(Type.String({ maxLength: 60 })),
          status: Type.Optional(Type.Union([Type.Literal('open'), Type.Literal('closed')])),
          limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 200 })),
          offset: Type.Optional(Type.Integer({ minimum: 0, maximum: 100000 })),
        }),
        response: { 200: Type.Object({ items: Type.Array(Summary) }), 400: Problem },
      },
    },
    async (request) => {
      const q = request.query as { department?: string; status?: 'open' | 'closed'; limit?: number; offset?: number };
      const items = await listPosts(ctx, {
        ...(q.department ? { departmentCodes: [q.department] } : {}),
        ...(q.status ? { status: q.status } : {}),
        limit: q.limit ?? 50,
        offset: q.offset ?? 0,
      });
      return { items: items.map(summaryJson) };
    },
  );

  app.get<{ Params: { id: string } }>(
    '/api/v1/hall/posts/:id',
    {
      config: { access: 'public' },
      schema: {
        tags,
        security,
        summary: 'One post with its thread (by id or number); a private post only for its author and the staff handling it',
        params: IdParams,
        response: { 200: Thread, 404: Problem },
      },
    },
    async (request, reply) => {
      const post = await getPost(ctx, request.params.id, request.actor);
      if (!post) return reply.status(404).type('application/problem+json').send(notFound(request.url));
      return threadJson(post);
    },
  );

  app.post<{ Body: { title?: string; body: string } }>(
    '/api/v1/hall/suggest',
    {
      config: { access: 'public' },
      schema: {
        tags,
        summary:
          'What the posting page shows while the citizen types: the likely department, and similar answered questions, FAQs, open reports and service items',
        body: Type.Object({ title: Type.Optional(Type.String({ maxLength: 1000 })), body: Type.String({ maxLength: 100_000 }) }),
        response: {
          200: Type.Object({
            routing: Type.Object({ departmentCode: Type.String(), confidence: Type.Number() }),
            similar: Type.Array(
              Type.Object({
                type: Type.String({ description: 'faq | answered | open-report | service' }),
                title: Type.String(),
                href: Type.String(),
                number: Type.Optional(Type.String()),
                code: Type.Optional(Type.String()),
                score: Type.Number(),
              }),
            ),
          }),
          400: Problem,
          429: Problem,
        },
      },
    },
    async (request) => {
      await limitSuggest(ctx, request.actor?.userId ?? request.ip);
      return suggest(ctx, request.body, request.locale);
    },
  );

  app.post<{ Params: { id: string }; Body: { kind: string; body?: string; templateId?: string } }>(
    '/api/v1/hall/posts/:id/replies',
    {
      config: { access: 'staff' },
      schema: {
        tags,
        security,
        summary: 'A reply signed by the department: reply | info_request | result (resolves the post)',
        params: IdParams,
        body: Type.Object({
          kind: Type.String({ maxLength: 20 }),
          body: Type.Optional(Type.String({ maxLength: 100_000 })),
          templateId: Type.Optional(Type.String({ maxLength: 64 })),
        }),
        response: { 200: Type.Object({ status: Type.String() }), ...errors },
      },
    },
    async (request) => {
      const row = await staffReply(ctx, actorOf(request), request.params.id, request.body, { ip: request.ip });
      return { status: row.status };
    },
  );

  app.post<{ Params: { id: string }; Body: { departmentCode: string; note?: string } }>(
    '/api/v1/hall/posts/:id/forward',
    {
      config: { access: 'staff' },
      schema: {
        tags,
        security,
        summary: 'Forwards the post to another department (it stays open)',
        params: IdParams,
        body: Type.Object({ departmentCode: Type.String({ maxLength: 60 }), note: Type.Optional(Type.String({ maxLength: 2000 })) }),
        response: { 200: Type.Object({ status: Type.String(), departmentCode: Type.String() }), ...errors },
      },
    },
    async (request) => {
      const row = await reroutePost(ctx, actorOf(request), request.params.id, request.body, { ip: request.ip });
      return { status: row.status, departmentCode: row.departmentCode ?? '' };
    },
  );

  app.post<{ Params: { id: string }; Body: { reason: string } }>(
    '/api/v1/hall/posts/:id/hide',
    {
      config: { access: 'staff' },
      schema: {
        tags,
        security,
        summary: 'Hides the post from the public with a reason (audited; the author is told)',
        params: IdParams,
        body: Type.Object({ reason: Type.String({ maxLength: 2000 }) }),
        response: { 200: Type.Object({ hidden: Type.Boolean() }), ...errors },
      },
    },
    async (request) => {
      await hidePost(ctx, actorOf(request), request.params.id, request.body.reason, { ip: request.ip });
      return { hidden: true };
    },
  );

  app.post<{ Params: { id: string }; Body: { rating: string } }>(
    '/api/v1/hall/posts/:id/rating',
    {
      config: { access: 'citizen' },
      schema: {
        tags,
        security,
        summary: 'The author rates the answer: satisfied | unsatisfied',
        params: IdParams,
        body: Type.Object({ rating: Type.String({ maxLength: 20 }) }),
        response: { 200: Type.Object({ rating: Type.String() }), ...errors },
      },
    },
    async (request) => {
      const row = await ratePost(ctx, actorOf(request), request.params.id, request.body.rating);
      return { rating: row.rating ?? '' };
    },
  );

  app.post<{ Params: { id: string }; Body: { reason: string } }>(
    '/api/v1/hall/posts/:id/reopen',
    {
      config: { access: 'citizen' },
      schema: {
        tags,
        security,
        summary: 'The author reopens a resolved post within 7 days, with a reason',
        params: IdParams,
        body: Type.Object({ reason: Type.String({ maxLength: 10_000 }) }),
        response: { 200: Type.Object({ status: Type.String(), reopenCount: Type.Integer() }), ...errors },
      },
    },
    async (request) => {
      const row = await reopenPost(ctx, actorOf(request), request.params.id, request.body.reason);
      return { status: row.status, reopenCount: row.reopenCount };
    },
  );
}

function notFound(instance: string) {
  return { type: 'https://servicehall.example/problems/not_found', title: 'Not found', status: 404, instance };
}
