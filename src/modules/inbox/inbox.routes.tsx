import { Type } from '@sinclair/typebox';
import type { AppContext } from '../../platform/context.js';
import { NotFoundError, UnauthorizedError } from '../../platform/http/errors.js';
import type { App } from '../../platform/http/types.js';
import type { InboxNotice } from '../../platform/notify/notify.js';
import { sendPage } from '../../platform/views/render.js';
import { InboxPage } from './views/inbox-page.js';
import { ProblemSchema as Problem } from '../../platform/http/problem-schema.js';

const NoticeView = Type.Object({
  id: Type.String({ format: 'uuid' }),
  template: Type.String(),
  subject: Type.String(),
  body: Type.String(),
  createdAt: Type.String({ format: 'date-time' }),
  read: Type.Boolean(),
});

const IdParams = Type.Object({ id: Type.String({ format: 'uuid' }) });

const toView = (n: InboxNotice) => ({ ...n, createdAt: n.createdAt.toISOString() });

/** The signed-in person's in-app notices: a page for people and a JSON list for apps. Owner only. */
export async function registerInboxRoutes(app: App, ctx: AppContext): Promise<void> {
  const userOf = (actor: { userId: string } | null) => {
    if (!actor) throw new UnauthorizedError();
    return actor.userId;
  };

  app.get('/account/inbox', { config: { access: 'signed-in' } }, async (request, reply) => {
    const userId = userOf(request.actor);
    const [notices, unread] = await Promise.all([ctx.notify.inbox.list(userId, request.locale), ctx.notify.inbox.unreadCount(userId)]);
    const marked = (request.query as Record<string, unknown>).marked === '1';
    return sendPage(request, reply, <InboxPage notices={notices} unread={unread} marked={marked} />);
  });

  app.post<{ Params: { id: string } }>(
    '/account/inbox/:id/read',
    { config: { access: 'signed-in' }, schema: { hide: true, params: IdParams } },
    async (request, reply) => {
      // Someone else's notice reads as missing, so ids cannot be probed.
      if (!(await ctx.notify.inbox.markRead(ctx.db, userOf(request.actor), request.params.id))) throw new NotFoundError();
      return reply.redirect('/account/inbox?marked=1', 303);
    },
  );

  app.post('/account/inbox/read-all', { config: { access: 'signed-in' } }, async (request, reply) => {
    await ctx.notify.inbox.markAllRead(ctx.db, userOf(request.actor));
    return reply.redirect('/account/inbox?marked=1', 303);
  });

  app.get(
    '/api/v1/inbox',
    {
      config: { access: 'signed-in' },
      schema: {
        tags: ['inbox'],
        summary: "The signed-in person's inbox notices, newest first",
        security: [{ bearer: [] }],
        querystring: Type.Object({ limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 200, default: 50 })) }),
        response: { 200: Type.Object({ unread: Type.Integer(), items: Type.Array(NoticeView) }), 401: Problem },
      },
    },
    async (request) => {
      const userId = userOf(request.actor);
      const { limit } = request.query as { limit?: number };
      const [notices, unread] = await Promise.all([
        ctx.notify.inbox.list(userId, request.locale, { limit: limit ?? 50 }),
        ctx.notify.inbox.unreadCount(userId),
      ]);
      return { unread, items: notices.map(toView) };
    },
  );

  app.post<{ Params: { id: string } }>(
    '/api/v1/inbox/:id/read',
    {
      config: { access: 'signed-in' },
      schema: {
        tags: ['inbox'],
        summary: 'Marks one of your notices read',
        security: [{ bearer: [] }],
        params: IdParams,
        response: { 204: Type.Null(), 401: Problem, 404: Problem },
      },
    },
    async (request, reply) => {
      if (!(await ctx.notify.inbox.markRead(ctx.db, userOf(request.actor), request.params.id))) throw new NotFoundError();
      return reply.status(204).send();
    },
  );
}
