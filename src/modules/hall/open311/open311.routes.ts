/** Open311 GeoReport v2 at /open311/v2 (JSON and XML by suffix), and the API to issue api_keys. */
import { Type } from '@sinclair/typebox';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { AppContext } from '../../../platform/context.js';
import { UnauthorizedError } from '../../../platform/http/errors.js';
import type { App } from '../../../platform/http/types.js';
import {
  JURISDICTION_ID,
  Open311Error,
  clientOfKey,
  createRequest,
  getRequest,
  issueApiKey,
  listApiClients,
  listServices,
  open311ErrorOf,
  queryRequests,
  requestIdOfToken,
  revokeApiKey,
  serviceDefinition,
  type CreateRequestInput,
} from './open311.service.js';
import { xmlList, xmlObject } from './open311.xml.js';

export const OPEN311_PREFIX = '/open311/v2';
type Format = 'json' | 'xml';

const formatOf = (value: string): Format => {
  if (value === 'json' || value === 'xml') return value;
  throw new Open311Error(404, 'open311.error.format');
};

type Shape = { kind: 'list'; root: string; item: string } | { kind: 'object'; root: string };
const REQUESTS: Shape = { kind: 'list', root: 'service_requests', item: 'request' };

function send(reply: FastifyReply, format: Format, shape: Shape, body: unknown, status = 200) {
  reply.status(status);
  if (format === 'json') return reply.type('application/json; charset=utf-8').send(body);
  const xml = shape.kind === 'list' ? xmlList(shape.root, shape.item, body as unknown[]) : xmlObject(shape.root, body as Record<string, unknown>);
  return reply.type('text/xml; charset=utf-8').send(xml);
}

/** Every error under /open311/v2 is `[{code, description}]` (or its XML) with the matching status. */
function sendOpen311Error(error: unknown, request: FastifyRequest, reply: FastifyReply) {
  const fastifyStatus = (error as { statusCode?: unknown }).statusCode;
  const mapped = open311ErrorOf(error, request.locale);
  // Fastify's own 4xx (a body it cannot parse, one too large) keep their status.
  const status = mapped.status === 500 && typeof fastifyStatus === 'number' && fastifyStatus >= 400 && fastifyStatus < 500 ? fastifyStatus : mapped.status;
  const description = status === mapped.status ? mapped.description : (error as Error).message;
  if (status >= 500) request.log.error({ err: error }, 'open311 request failed');
  const suffix = /\.(json|xml)(\?|$)/u.exec(request.url)?.[1];
  const retryAfter = (error as { extra?: { retryAfter?: unknown } }).extra?.retryAfter;
  if (typeof retryAfter === 'number') reply.header('retry-after', String(retryAfter));
  return send(reply, suffix === 'xml' ? 'xml' : 'json', { kind: 'list', root: 'errors', item: 'error' }, [{ code: status, description }], status);
}

const str = (v: unknown): string | undefined => (typeof v === 'string' ? v : Array.isArray(v) && typeof v[0] === 'string' ? v[0] : undefined);

/** Reads the POST fields (form-encoded as the spec says, or JSON), `attribute[code]` included. */
function createInputOf(fields: Record<string, unknown>): CreateRequestInput {
  const attributes: Record<string, string | string[]> = {};
  for (const [key, value] of Object.entries(fields)) {
    const m = /^attribute\[([^\]]{1,60})\](\[\])?$/u.exec(key);
    if (!m?.[1]) continue;
    if (typeof value === 'string') attributes[m[1]] = value;
    else if (Array.isArray(value)) attributes[m[1]] = value.filter((v): v is string => typeof v === 'string');
  }
  const nested = fields.attribute;
  if (nested && typeof nested === 'object' && !Array.isArray(nested))
    for (const [k, v] of Object.entries(nested as Record<string, unknown>)) if (typeof v === 'string') attributes[k] = v;
  return {
    jurisdictionId: str(fields.jurisdiction_id),
    serviceCode: str(fields.service_code),
    lat: str(fields.lat) ?? (typeof fields.lat === 'number' ? String(fields.lat) : undefined),
    long: str(fields.long) ?? (typeof fields.long === 'number' ? String(fields.long) : undefined),
    addressString: str(fields.address_string),
    addressId: str(fields.address_id),
    description: str(fields.description),
    attributes,
    contact: {
      email: str(fields.email),
      firstName: str(fields.first_name),
      lastName: str(fields.last_name),
      phone: str(fields.phone),
      deviceId: str(fields.device_id),
      accountId: str(fields.account_id),
    },
    mediaUrl: str(fields.media_url),
  };
}

const FormatParams = Type.Object({ format: Type.String({ maxLength: 10 }) });
const hidden = { hide: true };

export async function registerOpen311(app: App, ctx: AppContext): Promise<void> {
  await app.register(
    async (scope) => {
      scope.setErrorHandler((error, request, reply) => sendOpen311Error(error, request, reply));
      scope.setNotFoundHandler((request, reply) => sendOpen311Error(new Open311Error(404, 'open311.error.not_found'), request, reply));

      scope.get<{ Params: { format: string } }>(
        '/discovery.:format',
        { config: { access: 'public' }, schema: { ...hidden, params: FormatParams } },
        async (request, reply) => {
          const format = formatOf(request.params.format);
          const base = new URL(OPEN311_PREFIX + '/', ctx.config.publicUrl).toString();
          return send(
            reply,
            format,
            { kind: 'object', root: 'discovery' },
            {
              changeset: '2026-11-27T00:00:00Z',
              contact: '12345 · gov-service, ServiceHall Chengdu',
              key_service: `${new URL('/api/v1/hall/open311/clients', ctx.config.publicUrl).toString()} (api_key issued by the platform administrators)`,
              endpoints: [
                {
                  specification: 'http://wiki.open311.org/GeoReport_v2',
                  url: base,
                  changeset: '2026-11-27T00:00:00Z',
                  type: 'production',
                  formats: ['application/json', 'text/xml'],
                },
              ],
            },
          );
        },
      );

      scope.get<{ Params: { format: string }; Querystring: Record<string, string> }>(
        '/services.:format',
        { config: { access: 'public' }, schema: { ...hidden, params: FormatParams } },
        async (request, reply) => {
          const format = formatOf(request.params.format);
          const q = request.query as Record<string, unknown>;
          if (str(q.jurisdiction_id) && str(q.jurisdiction_id) !== JURISDICTION_ID) throw new Open311Error(404, 'open311.error.jurisdiction');
          return send(reply, format, { kind: 'list', root: 'services', item: 'service' }, await listServices(ctx, request.locale));
        },
      );

      scope.get<{ Params: { code: string; format: string } }>(
        '/services/:code.:format',
        {
          config: { access: 'public' },
          schema: { ...hidden, params: Type.Object({ code: Type.String({ maxLength: 100 }), format: Type.String({ maxLength: 10 }) }) },
        },
        async (request, reply) => {
          const format = formatOf(request.params.format);
          return send(reply, format, { kind: 'object', root: 'service_definition' }, await serviceDefinition(ctx, request.params.code, request.locale));
        },
      );

      scope.post<{ Params: { format: string } }>(
        '/requests.:format',
        { config: { access: 'public' }, schema: { ...hidden, params: FormatParams } },
        async (request, reply) => {
          const format = formatOf(request.params.format);
          const body = (request.body && typeof request.body === 'object' ? request.body : {}) as Record<string, unknown>;
          const query = request.query as Record<string, unknown>;
          // The spec passes api_key as a parameter: the form field, or the query string.
          const client = await clientOfKey(ctx, str(body.api_key) ?? str(query.api_key));
          const idempotencyKey = request.headers['idempotency-key'];
          const created = await createRequest(ctx, client, createInputOf({ ...query, ...body }), request.locale, {
            ip: request.ip,
            ...(typeof idempotencyKey === 'string' ? { idempotencyKey } : {}),
          });
          return send(reply, format, REQUESTS, [created]);
        },
      );

      scope.get<{ Params: { format: string } }>(
        '/requests.:format',
        { config: { access: 'public' }, schema: { ...hidden, params: FormatParams } },
        async (request, reply) => {
          const format = formatOf(request.params.format);
          const q = request.query as Record<string, unknown>;
          const requests = await queryRequests(
            ctx,
            {
              jurisdictionId: str(q.jurisdiction_id),
              serviceRequestId: str(q.service_request_id),
              serviceCode: str(q.service_code),
              startDate: str(q.start_date),
              endDate: str(q.end_date),
              status: str(q.status),
            },
            request.locale,
          );
          return send(reply, format, REQUESTS, requests);
        },
      );

      scope.get<{ Params: { id: string; format: string } }>(
        '/requests/:id.:format',
        {
          config: { access: 'public' },
          schema: { ...hidden, params: Type.Object({ id: Type.String({ maxLength: 100 }), format: Type.String({ maxLength: 10 }) }) },
        },
        async (request, reply) => {
          const format = formatOf(request.params.format);
          return send(reply, format, REQUESTS, [await getRequest(ctx, request.params.id, request.locale)]);
        },
      );

      scope.get<{ Params: { token: string; format: string } }>(
        '/tokens/:token.:format',
        {
          config: { access: 'public' },
          schema: { ...hidden, params: Type.Object({ token: Type.String({ maxLength: 100 }), format: Type.String({ maxLength: 10 }) }) },
        },
        async (request, reply) => {
          const format = formatOf(request.params.format);
          return send(reply, format, REQUESTS, [await requestIdOfToken(ctx, request.params.token)]);
        },
      );
    },
    { prefix: OPEN311_PREFIX },
  );

  // --- api keys, for the platform administrators (bearer API; problem+json errors) ------------------
  const admin = { staff: ['platform_admin' as const] };
  const tags = ['open311'];
  const security = [{ bearer: [] }];
  const ClientJson = Type.Object({
    id: Type.String(),
    name: Type.String(),
    contactEmail: Type.Union([Type.String(), Type.Null()]),
    keyPrefix: Type.String(),
    createdAt: Type.String({ format: 'date-time' }),
    revokedAt: Type.Union([Type.String({ format: 'date-time' }), Type.Null()]),
  });
  const clientJson = (c: Awaited<ReturnType<typeof listApiClients>>[number]) => ({
    ...c,
    createdAt: c.createdAt.toISOString(),
    revokedAt: c.revokedAt ? c.revokedAt.toISOString() : null,
  });
  const actorOf = (request: FastifyRequest) => {
    if (!request.actor) throw new UnauthorizedError();
    return request.actor;
  };

  app.post<{ Body: { name: string; contactEmail?: string } }>(
    '/api/v1/hall/open311/clients',
    {
      config: { access: admin },
      schema: {
        tags,
        security,
        summary: 'Issue an Open311 api_key to an API client (shown once)',
        body: Type.Object({ name: Type.String({ maxLength: 200 }), contactEmail: Type.Optional(Type.String({ maxLength: 300 })) }),
        response: { 201: Type.Composite([ClientJson, Type.Object({ apiKey: Type.String() })]) },
      },
    },
    async (request, reply) => {
      const { client, apiKey } = await issueApiKey(ctx, actorOf(request), request.body, { ip: request.ip });
      return reply.status(201).send({ ...clientJson(client), apiKey });
    },
  );

  app.get(
    '/api/v1/hall/open311/clients',
    { config: { access: admin }, schema: { tags, security, summary: 'List Open311 API clients', response: { 200: Type.Array(ClientJson) } } },
    async () => (await listApiClients(ctx)).map(clientJson),
  );

  app.delete<{ Params: { id: string } }>(
    '/api/v1/hall/open311/clients/:id',
    {
      config: { access: admin },
      schema: {
        tags,
        security,
        summary: "Revoke an Open311 client's api_key",
        params: Type.Object({ id: Type.String({ maxLength: 64 }) }),
        response: { 200: ClientJson },
      },
    },
    async (request) => clientJson(await revokeApiKey(ctx, actorOf(request), request.params.id, { ip: request.ip })),
  );
}
