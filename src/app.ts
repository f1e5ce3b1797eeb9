import { readFileSync } from 'node:fs';
import Fastify, { type FastifyError, type FastifyReply, type FastifyRequest } from 'fastify';
import fastifyCookie from '@fastify/cookie';
import fastifyCsrf from '@fastify/csrf-protection';
import fastifyFormbody from '@fastify/formbody';
import fastifyMultipart from '@fastify/multipart';
import fastifySwagger from '@fastify/swagger';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import { h } from 'preact';
import { Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import { randomUUID } from 'node:crypto';
import type { AppContext } from './platform/context.js';
import { allows } from './platform/auth/actor.js';
import { actorFields, recordAudit } from './platform/audit/audit.js';
import { HttpError, problemOf, type Problem } from './platform/http/errors.js';
import type { App } from './platform/http/types.js';
import { isLocale, negotiateLocale, registerMessages, translator } from './platform/i18n/i18n.js';
import { platformMessages } from './platform/i18n/platform.messages.js';
import { ErrorPage } from './platform/views/error-page.js';
import { sendPage } from './platform/views/render.js';
import { identityModule } from './modules/identity/index.js';
import { catalogModule } from './modules/catalog/index.js';
import { exchangeModule } from './modules/exchange/index.js';
import { inboxModule } from './modules/inbox/index.js';
import { filesModule } from './platform/files/files.routes.js';
import { sandboxModule } from './modules/sandbox/index.js';
import { casesModule } from './modules/cases/index.js';
import { certificatesModule } from './modules/certificates/index.js';
import { enterpriseModule } from './modules/enterprise/index.js';
import { hallModule } from './modules/hall/index.js';
import { open311Module } from './modules/hall/open311/index.js';
import { transitModule } from './modules/transit/index.js';
import { transitLiveModule } from './modules/transit/live/index.js';
import type { AppModule } from './platform/module.js';
import { registerPageCache } from './platform/http/page-cache.js';
import { sessionCookie } from './modules/identity/identity.routes.js';

export const modules: AppModule[] = [
  identityModule,
  catalogModule,
  exchangeModule,
  inboxModule,
  filesModule,
  sandboxModule,
  casesModule,
  certificatesModule,
  enterpriseModule,
  hallModule,
  open311Module,
  transitModule,
  transitLiveModule,
];

registerMessages(platformMessages);
for (const m of modules) if (m.messages) registerMessages(m.messages);

const css = readFileSync(new URL('./platform/views/app.css', import.meta.url), 'utf8');

const isApi = (request: FastifyRequest) => request.url.startsWith('/api/');

/** Builds the whole platform as a Fastify instance; tests call it and use app.inject(). */
export async function buildApp(ctx: AppContext): Promise<App> {
  const app = Fastify({
    loggerInstance: ctx.log,
    genReqId: (req) =>
      typeof req.headers['x-request-id'] === 'string' && req.headers['x-request-id'].length <= 64 ? req.headers['x-request-id'] : randomUUID(),
    bodyLimit: 1024 * 1024,
    trustProxy: ctx.config.trustProxy,
    ajv: { customOptions: { allErrors: true, coerceTypes: 'array', removeAdditional: false } },
  }).withTypeProvider<TypeBoxTypeProvider>() as unknown as App;

  // Default deny: a route that does not say who may use it is a programming error, caught at start-up.
  app.addHook('onRoute', (route) => {
    if (!route.config?.access) throw new Error(`Route ${String(route.method)} ${route.url} does not declare config.access`);
  });

  await app.register(fastifyCookie, { secret: ctx.config.sessionSecret });
  await app.register(fastifyFormbody);
  await app.register(fastifyMultipart, { limits: { fileSize: ctx.config.uploadMaxBytes, files: 5, fields: 50 } });
  await app.register(fastifyCsrf, {
    cookieKey: 'sh_csrf',
    cookieOpts: { signed: true, httpOnly: true, sameSite: 'lax', path: '/', secure: ctx.config.cookieSecure },
    getToken: (req) => {
      const body = req.body as Record<string, unknown> | undefined;
      const query = req.query as Record<string, unknown> | undefined;
      const fromBody = typeof body?._csrf === 'string' ? body._csrf : undefined;
      const fromQuery = typeof query?._csrf === 'string' ? query._csrf : undefined;
      const fromHeader = req.headers['x-csrf-token'];
      return fromBody ?? fromQuery ?? (typeof fromHeader === 'string' ? fromHeader : undefined);
    },
  });
  await app.register(fastifySwagger, {
    openapi: {
      openapi: '3.1.0',
      info: { title: 'ServiceHall API', version: ctx.config.version, description: "A city's one-stop online government service platform." },
      components: { securitySchemes: { bearer: { type: 'http', scheme: 'bearer' } } },
    },
    // Only the API is documented; pages are for people.
    hideUntagged: false,
    transform: ({ schema, url }) => ({ schema: url.startsWith('/api/') ? schema : { ...schema, hide: true }, url }),
  });

  // Metrics: a registry per app so tests can build many apps in one process.
  const registry = new Registry();
  collectDefaultMetrics({ register: registry });
  const httpDuration = new Histogram({
    name: 'http_request_duration_seconds',
    help: 'HTTP request duration by route and status',
    labelNames: ['method', 'route', 'status'],
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5],
    registers: [registry],
  });
  app.addHook('onResponse', async (request, reply) => {
    httpDuration.observe(
      { method: request.method, route: request.routeOptions.url ?? 'unmatched', status: String(reply.statusCode) },
      reply.elapsedTime / 1000,
    );
  });

  // Language, then the actor, then the access check: in this order on every request.
  app.decorateRequest('actor', null);
  app.decorateRequest('locale', 'zh-CN');
  app.decorateRequest('t', null as unknown as FastifyRequest['t']);
  app.addHook('onRequest', async (request) => {
    const query = request.query as Record<string, unknown>;
    request.locale = negotiateLocale(query?.lang, request.cookies.lang, request.headers['accept-language']);
    request.t = translator(request.locale);
  });
  for (const m of modules) if (m.authenticate) app.addHook('onRequest', m.authenticate(ctx));
  // After language and authentication: an anonymous hit on a public page skips everything below.
  registerPageCache(app, { ttlSeconds: ctx.config.publicPageCacheSeconds, sessionCookie });
  app.addHook('preHandler', async (request, reply) => {
    const access = request.routeOptions.config.access;
    if (!access) return; // 404s have no route config
    if (allows(access, request.actor)) return;
    if (!request.actor && !isApi(request) && request.method === 'GET') {
      const target = request.url.startsWith('/staff') ? '/staff' : '/sign-in';
      return reply.redirect(`${target}?return=${encodeURIComponent(request.url)}`);
    }
    if (request.actor?.pendingSecondFactor && !isApi(request) && request.method === 'GET') return reply.redirect('/staff/second-factor');
    if (request.actor) {
      await recordAudit(ctx.db, {
        ...actorFields(request.actor),
        action: 'access.denied',
        resourceType: 'route',
        resourceId: `${request.method} ${request.routeOptions.url}`,
        outcome: 'denied',
        ip: request.ip,
      });
    }
    throw new HttpError(request.actor ? 403 : 401, request.actor ? 'forbidden' : 'unauthorized', request.actor ? 'You may not do this' : 'Sign-in required');
  });
  // ajv coerces an over-long number ("999…9", "1e400") to Infinity and then skips minimum/maximum;
  // refuse any non-finite number after validation so it never reaches a handler or the database.
  app.addHook('preHandler', async (request) => {
    if (hasNonFinite(request.query) || hasNonFinite(request.params) || hasNonFinite(request.body)) {
      throw new HttpError(400, 'bad_request', 'A number in the request is out of range');
    }
  });
  // CSRF on every form post (the API authenticates with bearer tokens, which a browser never sends by itself).
  app.addHook('preHandler', (request, reply, done) => {
    // Open311 clients authenticate with an api_key parameter, never a cookie: no CSRF there either.
    if (request.method === 'GET' || request.method === 'HEAD' || isApi(request) || request.url.startsWith('/open311/')) return done();
    app.csrfProtection(request, reply, done);
  });

  app.setErrorHandler((error: FastifyError | HttpError, request, reply) => sendError(error, request, reply));
  app.setNotFoundHandler({}, (request, reply) => sendError(new HttpError(404, 'not_found', 'Not found'), request, reply));

  // Operational endpoints.
  app.get(
    '/healthz',
    {
      config: { access: 'public' },
      schema: {
        hide: true,
        response: {
          200: Type.Object({ status: Type.Literal('ok'), database: Type.Union([Type.Literal('pglite'), Type.Literal('postgresql')]), version: Type.String() }),
        },
      },
    },
    async () => {
      await ctx.database.query('SELECT 1');
      return { status: 'ok' as const, database: ctx.database.kind, version: ctx.config.version };
    },
  );
  app.get('/metrics', { config: { access: 'public' }, schema: { hide: true } }, async (_request, reply) => {
    reply.type(registry.contentType);
    return registry.metrics();
  });
  app.get('/api/openapi.json', { config: { access: 'public' }, schema: { hide: true } }, async () => app.swagger());
  app.get('/static/app.css', { config: { access: 'public' }, schema: { hide: true } }, async (_request, reply) =>
    reply.type('text/css; charset=utf-8').header('cache-control', 'public, max-age=3600').send(css),
  );
  app.get<{ Params: { locale: string }; Querystring: { return?: string } }>(
    '/lang/:locale',
    { config: { access: 'public' }, schema: { hide: true } },
    async (request, reply) => {
      const { locale } = request.params;
      if (isLocale(locale))
        reply.setCookie('lang', locale, { path: '/', sameSite: 'lax', httpOnly: true, maxAge: 365 * 24 * 3600, secure: ctx.config.cookieSecure });
      const back = request.query.return;
      // Only local paths, so the switch cannot be used to send people elsewhere.
      return reply.redirect(back && back.startsWith('/') && !back.startsWith('//') ? back : '/');
    },
  );

  for (const m of modules) await m.register(app, ctx);
  return app;
}

function hasNonFinite(value: unknown, depth = 0): boolean {
  if (typeof value === 'number') return !Number.isFinite(value);
  if (value === null || typeof value !== 'object' || depth > 32) return false;
  for (const v of Array.isArray(value) ? value : Object.values(value)) if (hasNonFinite(v, depth + 1)) return true;
  return false;
}

function statusOf(error: FastifyError | HttpError): number {
  if (error instanceof HttpError) return error.status;
  const code = (error as FastifyError).code;
  if (code?.startsWith('FST_CSRF')) return 403;
  const status = (error as FastifyError).statusCode;
  return status && status >= 400 && status < 600 ? status : 500;
}

function idOf(error: FastifyError | HttpError, status: number): string {
  if (error instanceof HttpError) return error.id;
  const code = (error as FastifyError).code ?? '';
  if (code.startsWith('FST_CSRF')) return 'csrf';
  if ((error as FastifyError).validation) return 'validation';
  return (
    {
      400: 'bad_request',
      401: 'unauthorized',
      403: 'forbidden',
      404: 'not_found',
      406: 'bad_request',
      409: 'conflict',
      413: 'payload_too_large',
      415: 'unsupported_media_type',
      429: 'too_many_requests',
    }[status] ?? (status >= 500 ? 'internal' : 'bad_request')
  );
}

/** One place turns every error into problem+json (API) or an error page (people); 5xx hide internals. */
function sendError(error: FastifyError | HttpError, request: FastifyRequest, reply: FastifyReply) {
  const status = statusOf(error);
  const id = idOf(error, status);
  if (status >= 500) request.log.error({ err: error }, 'request failed');
  else request.log.info({ status, id, msg: error.message }, 'request refused');
  const retryAfter = error instanceof HttpError ? error.extra.retryAfter : undefined;
  if (typeof retryAfter === 'number') reply.header('retry-after', String(retryAfter));
  const wantsJson = isApi(request) || request.url === '/healthz' || (request.headers.accept ?? '').includes('application/json');
  if (wantsJson) {
    const problem: Problem =
      error instanceof HttpError
        ? problemOf(error, request.url)
        : {
            type: `https://servicehall.example/problems/${id}`,
            title: status >= 500 ? 'Internal error' : error.message,
            status,
            instance: request.url,
            ...((error as FastifyError).validation
              ? { errors: (error as FastifyError).validation?.map((v) => ({ path: v.instancePath, message: v.message })) }
              : {}),
          };
    if (status >= 500) problem.detail = `Reference ${request.id}`;
    return reply.status(status).type('application/problem+json').send(problem);
  }
  return sendPage(
    request,
    reply,
    h(ErrorPage, {
      status,
      messageKey: `error.${id}`,
      params: { seconds: typeof retryAfter === 'number' ? retryAfter : 60 },
      reference: status >= 500 ? request.id : undefined,
    }),
    status,
  );
}
