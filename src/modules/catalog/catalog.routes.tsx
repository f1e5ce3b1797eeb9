import { Type, type Static } from '@sinclair/typebox';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { actorFields, recordAudit } from '../../platform/audit/audit.js';
import type { Actor } from '../../platform/auth/actor.js';
import type { AppContext } from '../../platform/context.js';
import { ConflictError, ForbiddenError, NotFoundError } from '../../platform/http/errors.js';
import type { App } from '../../platform/http/types.js';
import { sendPage } from '../../platform/views/render.js';
import { can } from './catalog.policy.js';
import {
  departmentName,
  presentApiDepartments,
  presentApiServiceDetail,
  presentApiServiceSummary,
  presentDepartmentLinks,
  presentLifeEventLinks,
  presentServiceCard,
  presentServiceDetail,
} from './catalog.presenters.js';
import type { DepartmentRow, LifeEventRow } from './catalog.repository.js';
import {
  cachedCurrentItem,
  findServices,
  getCurrentItem,
  ItemValidationError,
  itemsManagedBy,
  listDepartments,
  listLifeEvents,
  saveItem,
  type CatalogItem,
} from './catalog.service.js';
import { codePattern, type ItemInput, type ItemValidation } from './catalog.validation.js';
import { defaultWorkflow } from './catalog.definitions.js';
import { HomePage, ServiceItemPage, ServiceNotFoundPage, ServicesPage } from './views/public.js';
import { ItemFormPage, StaffHomePage, type ItemFormValues, type MaterialFormValues } from './views/staff.js';

/* ---------- API schemas ---------- */

const TimeLimitSchema = Type.Object({
  value: Type.Integer({ minimum: 1, maximum: 10000 }),
  unit: Type.Union([Type.Literal('working_days'), Type.Literal('working_hours'), Type.Literal('days'), Type.Literal('hours')]),
});
const Code = Type.String({ minLength: 1, maxLength: 60, pattern: '^[a-z0-9]+(-[a-z0-9]+)*$' });
const AnyObject = Type.Object({}, { additionalProperties: true });
const ApplicantKinds = Type.Array(Type.Union([Type.Literal('citizen'), Type.Literal('enterprise')]));
const DeliveryOptions = Type.Array(Type.Union([Type.Literal('window'), Type.Literal('courier'), Type.Literal('electronic')]));

const ServiceSummary = Type.Object({
  code: Type.String(),
  version: Type.Integer(),
  nameZh: Type.String(),
  nameEn: Type.String(),
  descriptionZh: Type.String(),
  descriptionEn: Type.String(),
  departmentCode: Type.String(),
  applicantKinds: ApplicantKinds,
  legalLimit: TimeLimitSchema,
  promisedLimit: TimeLimitSchema,
  feeFen: Type.Integer({ description: 'Fee in fen (1/100 yuan); 0 means free' }),
  deliveryOptions: DeliveryOptions,
  lifeEvents: Type.Array(Type.String()),
  url: Type.String(),
});

const MaterialSchema = Type.Object({
  code: Type.String(),
  nameZh: Type.String(),
  nameEn: Type.String(),
  heldByGovernment: Type.Boolean({ description: 'The government already holds it: never uploaded' }),
  heldBy: Type.Union([Type.String(), Type.Null()]),
  required: Type.Boolean(),
  noteZh: Type.Union([Type.String(), Type.Null()]),
  noteEn: Type.Union([Type.String(), Type.Null()]),
});

const ServiceDetail = Type.Composite([
  ServiceSummary,
  Type.Object({
    department: Type.Object({ code: Type.String(), nameZh: Type.String(), nameEn: Type.String() }),
    materials: Type.Array(MaterialSchema),
    feeNoteZh: Type.Union([Type.String(), Type.Null()]),
    feeNoteEn: Type.Union([Type.String(), Type.Null()]),
    keywords: Type.Array(Type.String()),
    formDefinition: AnyObject,
    workflowDefinition: AnyObject,
    updatedAt: Type.String({ format: 'date-time' }),
  }),
]);

const DepartmentNode = Type.Recursive(
  (Self) =>
    Type.Object({
      code: Type.String(),
      parentCode: Type.Union([Type.String(), Type.Null()]),
      level: Type.String(),
      nameZh: Type.String(),
      nameEn: Type.String(),
      children: Type.Array(Self),
    }),
  { $id: 'CatalogDepartment' },
);

// Loose string limits here: the service gives field-specific messages for lengths and markup.
const Text = (max: number) => Type.String({ maxLength: max });
const ItemBody = Type.Object({
  departmentCode: Text(60),
  nameZh: Text(20_000),
  nameEn: Text(20_000),
  descriptionZh: Text(20_000),
  descriptionEn: Text(20_000),
  applicantKinds: Type.Array(Text(20), { maxItems: 5 }),
  materials: Type.Array(
    Type.Object({
      code: Type.Optional(Text(200)),
      nameZh: Text(20_000),
      nameEn: Text(20_000),
      heldByGovernment: Type.Boolean(),
      heldBy: Type.Optional(Type.Union([Text(60), Type.Null()])),
      required: Type.Boolean(),
      noteZh: Type.Optional(Type.Union([Text(20_000), Type.Null()])),
      noteEn: Type.Optional(Type.Union([Text(20_000), Type.Null()])),
    }),
    { maxItems: 100 },
  ),
  legalLimit: Type.Object({ value: Type.Integer(), unit: Text(20) }),
  promisedLimit: Type.Object({ value: Type.Integer(), unit: Text(20) }),
  feeFen: Type.Integer({ description: 'Fee in fen (1/100 yuan)' }),
  feeNoteZh: Type.Optional(Type.Union([Text(20_000), Type.Null()])),
  feeNoteEn: Type.Optional(Type.Union([Text(20_000), Type.Null()])),
  deliveryOptions: Type.Array(Text(20), { maxItems: 5 }),
  lifeEvents: Type.Array(Text(60), { maxItems: 50 }),
  keywords: Type.Array(Text(200), { maxItems: 200 }),
  formDefinition: AnyObject,
  workflowDefinition: AnyObject,
  baseVersion: Type.Optional(Type.Integer({ minimum: 1, description: 'The version the edit starts from; a newer current version gives 409' })),
});
type ItemBodyT = Static<typeof ItemBody>;

const SaveResult = Type.Object({ code: Type.String(), version: Type.Integer() });

const bodyToInput = (b: ItemBodyT, code?: string): ItemInput => ({
  ...b,
  code,
  feeNoteZh: b.feeNoteZh ?? undefined,
  feeNoteEn: b.feeNoteEn ?? undefined,
  materials: b.materials.map((m) => ({ ...m, heldBy: m.heldBy ?? undefined, noteZh: m.noteZh ?? undefined, noteEn: m.noteEn ?? undefined })),
});

/* ---------- form handling ---------- */

type FormBody = Record<string, string | string[] | undefined>;
const str = (body: FormBody, key: string): string => {
  const v = body[key];
  return (Array.isArray(v) ? (v[0] ?? '') : (v ?? '')).slice(0, 200_000);
};
const list = (body: FormBody, key: string): string[] => {
  const v = body[key];
  return (Array.isArray(v) ? v : v === undefined ? [] : [v]).slice(0, 100);
};
const blankMaterial = (): MaterialFormValues => ({ code: '', nameZh: '', nameEn: '', noteZh: '', noteEn: '', held: false, heldBy: '', required: true });

export function valuesFromItem(item: CatalogItem | null, departmentCode: string): ItemFormValues {
  const c = item?.content;
  const json = (v: unknown) => JSON.stringify(v, null, 2);
  return {
    code: item?.code ?? '',
    departmentCode: item?.departmentCode ?? departmentCode,
    nameZh: c?.nameZh ?? '',
    nameEn: c?.nameEn ?? '',
    descriptionZh: c?.descriptionZh ?? '',
    descriptionEn: c?.descriptionEn ?? '',
    applicantKinds: c?.applicantKinds ?? ['citizen'],
    deliveryOptions: c?.deliveryOptions ?? ['electronic'],
    lifeEvents: c?.lifeEvents ?? [],
    keywords: c?.keywords.join('\n') ?? '',
    legalValue: String(c?.legalLimit.value ?? 20),
    legalUnit: c?.legalLimit.unit ?? 'working_days',
    promisedValue: String(c?.promisedLimit.value ?? 10),
    promisedUnit: c?.promisedLimit.unit ?? 'working_days',
    feeYuan: c ? (c.feeFen / 100).toFixed(2) : '0.00',
    feeNoteZh: c?.feeNoteZh ?? '',
    feeNoteEn: c?.feeNoteEn ?? '',
    materials: [
      ...(c?.materials ?? []).map((m) => ({
        code: m.code,
        nameZh: m.nameZh,
        nameEn: m.nameEn,
        noteZh: m.noteZh ?? '',
        noteEn: m.noteEn ?? '',
        held: m.heldByGovernment,
        heldBy: m.heldBy ?? '',
        required: m.required,
      })),
      blankMaterial(),
      blankMaterial(),
    ],
    formDefinition: json(c?.formDefinition ?? { type: 'object', properties: {}, 'x-ui': { pages: [], fields: {} } }),
    workflowDefinition: json(c?.workflowDefinition ?? defaultWorkflow()),
    baseVersion: item ? String(item.currentVersion) : '',
  };
}

function valuesFromBody(body: FormBody): ItemFormValues {
  const materials: MaterialFormValues[] = [];
  for (let i = 0; i < 60 && `material-${i}-nameZh` in body; i++) {
    const p = `material-${i}`;
    materials.push({
      code: str(body, `${p}-code`),
      nameZh: str(body, `${p}-nameZh`),
      nameEn: str(body, `${p}-nameEn`),
      noteZh: str(body, `${p}-noteZh`),
      noteEn: str(body, `${p}-noteEn`),
      held: str(body, `${p}-held`) === '1',
      heldBy: str(body, `${p}-heldBy`),
      required: str(body, `${p}-required`) === '1',
    });
  }
  return {
    code: str(body, 'code'),
    departmentCode: str(body, 'departmentCode'),
    nameZh: str(body, 'nameZh'),
    nameEn: str(body, 'nameEn'),
    descriptionZh: str(body, 'descriptionZh'),
    descriptionEn: str(body, 'descriptionEn'),
    applicantKinds: list(body, 'applicantKinds'),
    deliveryOptions: list(body, 'deliveryOptions'),
    lifeEvents: list(body, 'lifeEvents'),
    keywords: str(body, 'keywords'),
    legalValue: str(body, 'legalLimit'),
    legalUnit: str(body, 'legalUnit'),
    promisedValue: str(body, 'promisedLimit'),
    promisedUnit: str(body, 'promisedUnit'),
    feeYuan: str(body, 'feeFen'),
    feeNoteZh: str(body, 'feeNoteZh'),
    feeNoteEn: str(body, 'feeNoteEn'),
    materials,
    formDefinition: str(body, 'formDefinition'),
    workflowDefinition: str(body, 'workflowDefinition'),
    baseVersion: str(body, 'baseVersion'),
  };
}

const parseJson = (text: string): { ok: true; value: unknown } | { ok: false } => {
  try {
    return { ok: true, value: JSON.parse(text) as unknown };
  } catch {
    return { ok: false };
  }
};

const intOrNaN = (s: string) => (/^\s*\d{1,6}\s*$/.test(s) ? Number(s) : Number.NaN);
/** Yuan with up to two decimals → fen; -1 when it is not a sum of money. */
const yuanToFen = (s: string) => (/^\s*\d{1,7}(\.\d{1,2})?\s*$/.test(s) ? Math.round(Number(s) * 100) : -1);

/** The input to validate, plus errors the form itself already knows (malformed JSON). */
function inputFromForm(v: ItemFormValues, code: string | undefined): { input: ItemInput; jsonErrors: Record<string, string> } {
  const jsonErrors: Record<string, string> = {};
  const form = parseJson(v.formDefinition);
  const workflow = parseJson(v.workflowDefinition);
  if (!form.ok) jsonErrors.formDefinition = 'catalog.error.json';
  else if (typeof form.value !== 'object' || form.value === null || Array.isArray(form.value)) jsonErrors.formDefinition = 'catalog.error.jsonObject';
  if (!workflow.ok) jsonErrors.workflowDefinition = 'catalog.error.json';
  else if (typeof workflow.value !== 'object' || workflow.value === null || Array.isArray(workflow.value))
    jsonErrors.workflowDefinition = 'catalog.error.jsonObject';
  const materials = v.materials
    .filter((m) => m.nameZh.trim() || m.nameEn.trim() || m.code.trim() || m.noteZh.trim() || m.noteEn.trim())
    .map((m) => ({
      code: m.code,
      nameZh: m.nameZh,
      nameEn: m.nameEn,
      heldByGovernment: m.held,
      heldBy: m.heldBy || undefined,
      required: m.required,
      noteZh: m.noteZh,
      noteEn: m.noteEn,
    }));
  return {
    jsonErrors,
    input: {
      code,
      departmentCode: v.departmentCode,
      nameZh: v.nameZh,
      nameEn: v.nameEn,
      descriptionZh: v.descriptionZh,
      descriptionEn: v.descriptionEn,
      applicantKinds: v.applicantKinds,
      materials,
      legalLimit: { value: intOrNaN(v.legalValue), unit: v.legalUnit },
      promisedLimit: { value: intOrNaN(v.promisedValue), unit: v.promisedUnit },
      feeFen: yuanToFen(v.feeYuan),
      feeNoteZh: v.feeNoteZh,
      feeNoteEn: v.feeNoteEn,
      deliveryOptions: v.deliveryOptions,
      lifeEvents: v.lifeEvents,
      keywords: v.keywords.split(/[\n,，、;；]+/),
      formDefinition: form.ok ? form.value : undefined,
      workflowDefinition: workflow.ok ? workflow.value : undefined,
    },
  };
}

/* ---------- routes ---------- */

export async function registerCatalogRoutes(app: App, ctx: AppContext): Promise<void> {
  const { db } = ctx;
  const pick = (request: FastifyRequest, zh: string, en: string) => (request.locale === 'zh-CN' ? zh : en);
  // The current version of an item for reading (the item page for everyone, the API): kept as long as a
  // public page; an edit in this process drops it (saveItem invalidates), other instances see it within the TTL.
  const currentItemView = cachedCurrentItem(db, ctx.config.publicPageCacheSeconds);

  // Public pages are the same for every anonymous visitor in a language: micro-cached (see page-cache.ts).
  app.get('/', { config: { access: 'public', pageCache: true } }, async (request, reply) => {
    const found = await findServices(db, { limit: 6 });
    return sendPage(
      request,
      reply,
      <HomePage
        popular={found.items.map((i) => presentServiceCard(request.t, request.locale, i, found.departments))}
        lifeEvents={presentLifeEventLinks(request.locale, found.lifeEvents)}
        departments={presentDepartmentLinks(request.locale, found.departments)}
      />,
    );
  });

  // Query values are not limited by the schema: an over-long search is shortened and said so, never refused.
  const PageQuery = Type.Object({ q: Type.Optional(Type.String()), department: Type.Optional(Type.String()), event: Type.Optional(Type.String()) });
  app.get('/services', { config: { access: 'public', pageCache: true }, schema: { querystring: PageQuery } }, async (request, reply) => {
    const q = (request.query.q ?? '').trim();
    const department = request.query.department?.slice(0, 60) || undefined;
    const event = request.query.event?.slice(0, 60) || undefined;
    const found = await findServices(db, { q, department, event });
    const shownQ = q.slice(0, 100);
    return sendPage(
      request,
      reply,
      <ServicesPage
        q={shownQ}
        truncated={found.truncated}
        services={found.items.map((i) => presentServiceCard(request.t, request.locale, i, found.departments))}
        department={found.department ? { code: found.department.code, name: pick(request, found.department.nameZh, found.department.nameEn), href: '' } : null}
        event={found.event ? { code: found.event.code, name: pick(request, found.event.nameZh, found.event.nameEn), href: '' } : null}
        departments={presentDepartmentLinks(request.locale, found.departments)}
        lifeEvents={presentLifeEventLinks(request.locale, found.lifeEvents)}
      />,
    );
  });

  app.get(
    '/services/:code',
    { config: { access: 'public', pageCache: true }, schema: { params: Type.Object({ code: Type.String() }) } },
    async (request, reply) => {
      const code = request.params.code.slice(0, 60);
      const item = codePattern.test(code) ? await currentItemView(code) : null;
      if (!item || item.status !== 'published') return sendPage(request, reply, <ServiceNotFoundPage code={code} />, 404);
      const [departments, events] = await Promise.all([listDepartments(db), listLifeEvents(db)]);
      return sendPage(request, reply, <ServiceItemPage item={presentServiceDetail(request.t, request.locale, item, departments, events)} />);
    },
  );

  /* ----- public API ----- */

  app.get(
    '/api/v1/services',
    {
      config: { access: 'public' },
      schema: {
        tags: ['catalog'],
        summary: 'Search and browse service items',
        querystring: Type.Object({
          q: Type.Optional(Type.String({ maxLength: 200, description: 'Search terms, Chinese or English, separated by spaces' })),
          department: Type.Optional(Type.String({ maxLength: 60, description: 'Department code; includes its sub-departments' })),
          event: Type.Optional(Type.String({ maxLength: 60, description: 'Life event code' })),
        }),
        response: { 200: Type.Object({ total: Type.Integer(), items: Type.Array(ServiceSummary) }) },
      },
    },
    async (request) => {
      const found = await findServices(db, { q: request.query.q, department: request.query.department, event: request.query.event });
      return { total: found.items.length, items: found.items.map(presentApiServiceSummary) };
    },
  );

  app.get(
    '/api/v1/services/:code',
    {
      config: { access: 'public' },
      schema: {
        tags: ['catalog'],
        summary: 'One service item: materials, time limits, fee, form and workflow definitions',
        params: Type.Object({ code: Type.String({ maxLength: 60 }) }),
        response: { 200: ServiceDetail },
      },
    },
    async (request) => {
      const item = codePattern.test(request.params.code) ? await currentItemView(request.params.code) : null;
      if (!item || item.status !== 'published') throw new NotFoundError('No such service item');
      return presentApiServiceDetail(item, await listDepartments(db));
    },
  );

  app.get(
    '/api/v1/departments',
    {
      config: { access: 'public' },
      schema: {
        tags: ['catalog'],
        summary: 'Departments as a tree (city → district or county → town)',
        response: { 200: Type.Object({ items: Type.Array(DepartmentNode) }) },
      },
    },
    async () => ({ items: presentApiDepartments(await listDepartments(db)) }),
  );

  const saveFromApi = (request: FastifyRequest, body: ItemBodyT, code?: string) =>
    saveItem(db, { actor: request.actor!, code, input: bodyToInput(body, code), baseVersion: body.baseVersion, ip: request.ip, now: ctx.clock.now() });

  app.put(
    '/api/v1/services/:code',
    {
      config: { access: { staff: ['dept_admin'] } },
      schema: {
        tags: ['catalog'],
        summary: "Edit a service item (a department admin, their department's items only); writes a new version",
        security: [{ bearer: [] }],
        params: Type.Object({ code: Code }),
        body: ItemBody,
        response: { 200: SaveResult },
      },
    },
    async (request) => saveFromApi(request, request.body, request.params.code),
  );

  app.post(
    '/api/v1/services',
    {
      config: { access: { staff: ['dept_admin'] } },
      schema: {
        tags: ['catalog'],
        summary: 'Create a service item in your department',
        security: [{ bearer: [] }],
        body: Type.Composite([Type.Object({ code: Code }), ItemBody]),
        response: { 201: SaveResult },
      },
    },
    async (request, reply) => {
      const { code, ...rest } = request.body;
      const result = await saveItem(db, { actor: request.actor!, input: bodyToInput(rest, code), ip: request.ip, now: ctx.clock.now() });
      return reply.status(201).send(result);
    },
  );

  /* ----- staff pages ----- */

  app.get('/staff/home', { config: { access: 'staff' } }, async (request, reply) => {
    const actor = request.actor!;
    const { items, departments } = await itemsManagedBy(db, actor);
    return sendPage(
      request,
      reply,
      <StaffHomePage
        name={actor.realName}
        departmentName={actor.departmentCode ? departmentName(request.locale, departments, actor.departmentCode) : null}
        roles={actor.roles}
        canManage={can(actor, 'items.manage')}
        items={items.map((i) => ({
          code: i.code,
          name: pick(request, i.content.nameZh, i.content.nameEn),
          departmentName: departmentName(request.locale, departments, i.departmentCode),
          version: i.version,
          status: i.status,
          editHref: `/staff/items/${encodeURIComponent(i.code)}/edit`,
          viewHref: `/services/${encodeURIComponent(i.code)}`,
        }))}
      />,
    );
  });

  const renderForm = async (
    request: FastifyRequest,
    reply: FastifyReply,
    o: {
      mode: 'new' | 'edit';
      code?: string;
      item?: CatalogItem | null;
      values: ItemFormValues;
      errors?: Record<string, string>;
      problems?: ItemValidation['problems'];
      status?: number;
      saved?: number;
    },
  ) => {
    const actor = request.actor!;
    const [departments, events] = await Promise.all([listDepartments(db), listLifeEvents(db)]);
    const option = (d: DepartmentRow | LifeEventRow) => ({ value: d.code, label: pick(request, d.nameZh, d.nameEn) });
    // A department admin may only place items in their own department.
    const choices = departments.filter((d) => can(actor, 'item.edit', d.code) || d.code === o.values.departmentCode).map(option);
    const name = o.item ? pick(request, o.item.content.nameZh, o.item.content.nameEn) : '';
    return sendPage(
      request,
      reply,
      <ItemFormPage
        mode={o.mode}
        {...(o.code ? { code: o.code } : {})}
        title={o.mode === 'new' ? request.t('catalog.edit.titleNew') : request.t('catalog.edit.title', { name })}
        values={o.values}
        errors={o.errors ?? {}}
        problems={o.problems ?? {}}
        departmentChoices={choices}
        allDepartments={departments.map(option)}
        lifeEvents={events.map(option)}
        saved={o.saved}
      />,
      o.status ?? 200,
    );
  };

  const refuseView = async (request: FastifyRequest, actor: Actor, code: string, departmentCode: string): Promise<never> => {
    await recordAudit(db, {
      ...actorFields(actor),
      action: 'catalog.item.edit',
      resourceType: 'catalog_item',
      resourceId: code,
      outcome: 'denied',
      detail: { itemDepartment: departmentCode, actorDepartment: actor.departmentCode },
      ip: request.ip,
    });
    throw new ForbiddenError('You may only manage the items of your own department');
  };

  const loadForEdit = async (request: FastifyRequest, rawCode: string): Promise<CatalogItem> => {
    const code = rawCode.slice(0, 60);
    const item = codePattern.test(code) ? await getCurrentItem(db, code) : null;
    if (!item) throw new NotFoundError('No such service item');
    if (!can(request.actor, 'item.edit', item.departmentCode)) await refuseView(request, request.actor!, code, item.departmentCode);
    return item;
  };

  const EditParams = Type.Object({ code: Type.String() });
  const SavedQuery = Type.Object({ saved: Type.Optional(Type.Integer({ minimum: 1 })) });

  app.get('/staff/items/new', { config: { access: { staff: ['dept_admin'] } } }, async (request, reply) =>
    renderForm(request, reply, { mode: 'new', values: valuesFromItem(null, request.actor!.departmentCode ?? '') }),
  );

  app.post('/staff/items/new', { config: { access: { staff: ['dept_admin'] } } }, async (request, reply) => {
    const values = valuesFromBody((request.body ?? {}) as FormBody);
    const { input, jsonErrors } = inputFromForm(values, values.code);
    try {
      const result = await saveItem(db, { actor: request.actor!, input, ip: request.ip, now: ctx.clock.now() });
      return reply.redirect(`/staff/items/${encodeURIComponent(result.code)}/edit?saved=${result.version}`, 303);
    } catch (error) {
      if (!(error instanceof ItemValidationError)) throw error;
      return renderForm(request, reply, { mode: 'new', values, ...mergeErrors(error, jsonErrors), status: 400 });
    }
  });

  app.get(
    '/staff/items/:code/edit',
    { config: { access: { staff: ['dept_admin'] } }, schema: { params: EditParams, querystring: SavedQuery } },
    async (request, reply) => {
      const item = await loadForEdit(request, request.params.code);
      return renderForm(request, reply, { mode: 'edit', code: item.code, item, values: valuesFromItem(item, item.departmentCode), saved: request.query.saved });
    },
  );

  app.post('/staff/items/:code/edit', { config: { access: { staff: ['dept_admin'] } }, schema: { params: EditParams } }, async (request, reply) => {
    const item = await loadForEdit(request, request.params.code);
    const values = valuesFromBody((request.body ?? {}) as FormBody);
    const { input, jsonErrors } = inputFromForm(values, undefined);
    const baseVersion = intOrNaN(values.baseVersion);
    try {
      // Malformed JSON reaches saveItem as undefined: the policy is checked first, then every problem is reported at once.
      const result = await saveItem(db, {
        actor: request.actor!,
        code: item.code,
        input,
        baseVersion: Number.isNaN(baseVersion) ? undefined : baseVersion,
        ip: request.ip,
        now: ctx.clock.now(),
      });
      return reply.redirect(`/staff/items/${encodeURIComponent(result.code)}/edit?saved=${result.version}`, 303);
    } catch (error) {
      if (error instanceof ItemValidationError)
        return renderForm(request, reply, { mode: 'edit', code: item.code, item, values, ...mergeErrors(error, jsonErrors), status: 400 });
      if (error instanceof ConflictError)
        return renderForm(request, reply, { mode: 'edit', code: item.code, item, values, errors: { _form: 'catalog.error.conflict' }, status: 409 });
      throw error;
    }
  });
}

/** Malformed JSON replaces the structural message for that field; the structural problems then mean nothing. */
function mergeErrors(error: ItemValidationError, jsonErrors: Record<string, string>): { errors: Record<string, string>; problems: ItemValidation['problems'] } {
  const errors = { ...error.validation.errors, ...jsonErrors };
  const p = error.validation.problems;
  const problems = {
    ...(p.formDefinition && !jsonErrors.formDefinition ? { formDefinition: p.formDefinition } : {}),
    ...(p.workflowDefinition && !jsonErrors.workflowDefinition ? { workflowDefinition: p.workflowDefinition } : {}),
  };
  return { errors, problems };
}
