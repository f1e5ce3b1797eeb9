import { Type, type Static } from '@sinclair/typebox';
import type { AppContext } from '../../platform/context.js';
import type { App } from '../../platform/http/types.js';
import { ForbiddenError, NotFoundError } from '../../platform/http/errors.js';
import { sendPage } from '../../platform/views/render.js';
import { getCurrentItem } from '../catalog/index.js';
import { canViewDataUseOf } from './exchange.policy.js';
import { dataProducts, productCodes } from './exchange.products.js';
import { presentDataUse } from './exchange.presenters.js';
import { isUuid, listDataUse, listDataUseAsAdmin, prefillFor } from './exchange.service.js';
import { DataUsePage } from './views/data-use.js';
import { ProblemSchema as Problem } from '../../platform/http/problem-schema.js';

// A string, not Type.Integer: ajv coerces a 400-digit number to Infinity, which passes `maximum` and reaches the database.
const PageParam = Type.String({ pattern: '^[1-9][0-9]{0,3}$', description: 'Page number, 1 to 9999' });
const PageQuery = Type.Object({ page: Type.Optional(PageParam) }, { additionalProperties: true });
const pageOf = (value: string | undefined): number => (value ? Number(value) : 1);

const DataUseItem = Type.Object({
  id: Type.String({ format: 'uuid' }),
  at: Type.String({ format: 'date-time' }),
  product: Type.String({ description: 'Data product code, e.g. person.identity' }),
  productName: Type.String(),
  reader: Type.Object({
    kind: Type.Union([Type.Literal('department'), Type.Literal('platform')], { description: 'platform: read at the person’s own request' }),
    departmentCode: Type.Union([Type.String(), Type.Null()]),
    name: Type.String(),
  }),
  holder: Type.Object({ departmentCode: Type.Union([Type.String(), Type.Null()]), name: Type.String() }),
  purpose: Type.Object({ serviceCode: Type.String(), serviceName: Type.String(), applicationId: Type.Union([Type.String(), Type.Null()]) }),
  subject: Type.Object({
    kind: Type.Union([Type.Literal('person'), Type.Literal('enterprise'), Type.Literal('child')], {
      description: 'child: about a minor child of the person, who applied for the child as guardian',
    }),
    enterpriseId: Type.Union([Type.String(), Type.Null()]),
    name: Type.Union([Type.String(), Type.Null()], { description: "The company's name, or the child's masked resident ID number" }),
  }),
  fields: Type.Array(Type.Object({ code: Type.String(), name: Type.String() })),
});
const DataUseList = Type.Object({ items: Type.Array(DataUseItem), page: Type.Integer(), hasNext: Type.Boolean() });

const PrefillBody = Type.Object(
  {
    serviceCode: Type.String({ pattern: '^[a-z0-9-]{1,64}$' }),
    applicationId: Type.Optional(Type.String({ minLength: 1, maxLength: 64, pattern: '^[A-Za-z0-9_-]+$' })),
    childIdNumber: Type.Optional(Type.String({ pattern: '^[0-9]{17}[0-9Xx]$' })),
  },
  { additionalProperties: false },
);
const PrefillReply = Type.Object({
  values: Type.Record(Type.String(), Type.Unknown()),
  sources: Type.Array(Type.Object({ field: Type.String(), product: Type.String(), department: Type.Union([Type.String(), Type.Null()]) })),
  unresolved: Type.Array(Type.String()),
});

export async function registerExchangeRoutes(app: App, ctx: AppContext): Promise<void> {
  app.get<{ Querystring: Static<typeof PageQuery> }>(
    '/account/data-use',
    { config: { access: 'citizen' }, schema: { querystring: PageQuery } },
    async (request, reply) => {
      const page = pageOf(request.query.page);
      const { entries, hasNext } = await listDataUse(ctx.db, request.actor!.userId, page);
      return sendPage(request, reply, <DataUsePage items={presentDataUse(entries, request.locale, request.t)} page={page} hasNext={hasNext} />);
    },
  );

  app.get(
    '/api/v1/me/data-use',
    {
      config: { access: 'citizen' },
      schema: {
        tags: ['exchange'],
        summary: 'Who used my data: every read about me and the companies I act for',
        description: 'Newest first, 50 a page. Names are in the language asked for (Accept-Language or ?lang).',
        security: [{ bearer: [] }],
        querystring: PageQuery,
        response: { 200: DataUseList, 400: Problem, 401: Problem, 403: Problem },
      },
    },
    async (request) => {
      const page = pageOf(request.query.page);
      const { entries, hasNext } = await listDataUse(ctx.db, request.actor!.userId, page);
      return { items: presentDataUse(entries, request.locale, request.t), page, hasNext };
    },
  );

  app.get(
    '/api/v1/admin/people/:userId/data-use',
    {
      config: { access: { staff: ['platform_admin'] } },
      schema: {
        tags: ['exchange'],
        summary: "A person's data-use log, for a platform administrator with a stated reason (audited)",
        security: [{ bearer: [] }],
        params: Type.Object({ userId: Type.String({ maxLength: 36 }) }),
        querystring: Type.Object({
          reason: Type.String({ minLength: 10, maxLength: 500, description: 'Why the administrator looks, e.g. the complaint answered' }),
          page: Type.Optional(PageParam),
        }),
        response: { 200: DataUseList, 400: Problem, 401: Problem, 403: Problem, 404: Problem },
      },
    },
    async (request) => {
      const { userId } = request.params;
      if (canViewDataUseOf(request.actor, userId) !== 'with-reason') throw new ForbiddenError();
      if (!isUuid(userId)) throw new NotFoundError('No such person');
      const page = pageOf(request.query.page);
      const reason = request.query.reason.replace(/[\p{Cc}]/gu, ' ').trim();
      const { entries, hasNext } = await listDataUseAsAdmin(ctx.db, request.actor!, userId, reason, page, request.ip);
      return { items: presentDataUse(entries, request.locale, request.t), page, hasNext };
    },
  );

  app.post(
    '/api/v1/me/prefill',
    {
      config: { access: 'citizen' },
      schema: {
        tags: ['exchange'],
        summary: 'Prefill a service form with what the government already holds',
        description:
          'Reads, for the purpose of the service named, each data product the form needs (company data for the company the token acts for; a child’s data only for a child named in childIdNumber). Every read is recorded and shown on GET /api/v1/me/data-use.',
        security: [{ bearer: [] }],
        body: PrefillBody,
        response: { 200: PrefillReply, 400: Problem, 401: Problem, 403: Problem, 404: Problem },
      },
    },
    async (request) => {
      const item = await getCurrentItem(ctx.db, request.body.serviceCode);
      if (!item || item.status !== 'published') throw new NotFoundError('No such service');
      // Not one transaction: each read commits its log row, and a refusal's audit record must survive the 403.
      return prefillFor(
        ctx.db,
        {
          serviceCode: item.code,
          formDefinition: item.content.formDefinition,
          actor: request.actor!,
          applicationId: request.body.applicationId,
          childIdNumber: request.body.childIdNumber?.toUpperCase(),
        },
        { ip: request.ip, now: ctx.clock.now() },
      );
    },
  );

  app.get(
    '/api/v1/data-products',
    {
      config: { access: 'public' },
      schema: {
        tags: ['exchange'],
        summary: 'The data products departments share, who holds each, and its fields',
        response: {
          200: Type.Array(
            Type.Object({
              code: Type.String(),
              name: Type.String(),
              holderDepartment: Type.Union([Type.String(), Type.Null()]),
              subjects: Type.Array(Type.String()),
              fields: Type.Array(Type.Object({ code: Type.String(), name: Type.String() })),
            }),
          ),
        },
      },
    },
    async (request) =>
      productCodes.map((code) => {
        const p = dataProducts[code];
        return {
          code,
          name: request.t(`exchange.product.${code}`),
          holderDepartment: p.holder,
          subjects: [...p.subjects],
          fields: p.fields.map((f) => ({ code: f, name: request.t(`exchange.field.${code}.${f}`) })),
        };
      }),
  );
}
