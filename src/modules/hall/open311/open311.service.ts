/**
 * Open311 GeoReport v2 over the hall: services are the departments that answer the seven categories
 * (and an "auto" service routed by text), service requests are hall posts filed by an API client.
 */
import { createHash, randomBytes } from 'node:crypto';
import type { Actor } from '../../../platform/auth/actor.js';
import { actorFields, recordAudit } from '../../../platform/audit/audit.js';
import type { AppContext } from '../../../platform/context.js';
import { HttpError, NotFoundError, TooManyRequestsError, ValidationError } from '../../../platform/http/errors.js';
import { translate, type Locale } from '../../../platform/i18n/i18n.js';
import { createPost, getPost, listAccounts, listPosts, postKinds, type PostKind, type PostSummary } from '../index.js';
import { CATEGORIES, CATEGORY_DEPARTMENTS, type Category } from '../routing/index.js';
import * as repo from './open311.repository.js';
import type { Open311ClientRow } from './open311.schema.js';

/** The jurisdiction this endpoint serves; a request naming another one is refused. */
export const JURISDICTION_ID = 'chengdu.gov.cn';
/** The service whose requests are routed by their text (the hall's classifier) or by the operators. */
export const AUTO_SERVICE = 'gov-service';
export const MAX_DESCRIPTION = 4000;
export const MAX_RESULTS = 1000;
export const MAX_RANGE_DAYS = 90;

/** An error the Open311 way: HTTP status and `[{code, description}]`. */
export class Open311Error extends Error {
  constructor(
    readonly status: number,
    readonly descriptionKey: string,
    readonly params: Record<string, string | number> = {},
  ) {
    super(descriptionKey);
  }
}

// --- services ---------------------------------------------------------------------------------------

interface ServiceSpec {
  code: string;
  categories: Category[];
}

/** Each department that answers a category, the bus group for transport, and the auto service. */
export const SERVICE_SPECS: readonly ServiceSpec[] = (() => {
  const byDepartment = new Map<string, Category[]>();
  for (const category of CATEGORIES) for (const code of CATEGORY_DEPARTMENTS[category]) byDepartment.set(code, [...(byDepartment.get(code) ?? []), category]);
  byDepartment.set('bus-group', ['交通运输']);
  return [...[...byDepartment.entries()].map(([code, categories]) => ({ code, categories })), { code: AUTO_SERVICE, categories: [] }];
})();

const KEYWORDS: Record<Category, string> = {
  城乡建设: '住房,物业,小区,施工,供水,拆迁,道路',
  环境保护: '污染,噪音,排放,垃圾,环保',
  交通运输: '公交,出租车,司机,交通,道路运输',
  教育文体: '学校,幼儿园,招生,文化,体育',
  劳动和社会保障: '工资,社保,养老,就业,医保',
  商贸旅游: '商家,消费,价格,旅游,景区',
  卫生计生: '医院,医生,卫生,生育,疫苗',
};

export interface Open311Service {
  service_code: string;
  service_name: string;
  description: string;
  metadata: boolean;
  type: 'realtime' | 'batch' | 'blackbox';
  keywords: string;
  group: string;
}

export async function listServices(ctx: AppContext, locale: Locale): Promise<Open311Service[]> {
  const accounts = await listAccounts(ctx);
  const nameOf = (code: string) => {
    const a = accounts.find((x) => x.code === code);
    return a ? (locale === 'en' ? a.nameEn : a.nameZh) : code;
  };
  const separator = locale === 'en' ? '; ' : '、';
  return SERVICE_SPECS.filter((s) => accounts.some((a) => a.code === s.code)).map((s) => {
    const groups = s.categories.length
      ? s.categories.map((c) => translate(locale, `open311.category.${c}`)).join(separator)
      : translate(locale, 'open311.category.auto');
    return {
      service_code: s.code,
      service_name: nameOf(s.code),
      description: s.categories.length
        ? translate(locale, 'open311.service.description', { department: nameOf(s.code), groups })
        : translate(locale, 'open311.service.autoDescription'),
      metadata: true,
      // A request becomes a hall post at once and its id is returned: no token needed to wait for.
      type: 'realtime',
      keywords: s.categories.map((c) => KEYWORDS[c]).join(','),
      group: groups,
    };
  });
}

export interface Open311Attribute {
  variable: boolean;
  code: string;
  datatype: 'string' | 'number' | 'datetime' | 'text' | 'singlevaluelist' | 'multivaluelist';
  required: boolean;
  datatype_description: string | null;
  order: number;
  description: string;
  values?: { key: string; name: string }[];
}

/** The attributes every service takes: the kind of post and an optional title. */
export function serviceAttributes(locale: Locale): Open311Attribute[] {
  return [
    {
      variable: true,
      code: 'kind',
      datatype: 'singlevaluelist',
      required: false,
      datatype_description: translate(locale, 'open311.attribute.kind.help'),
      order: 1,
      description: translate(locale, 'open311.attribute.kind'),
      values: postKinds.map((k) => ({ key: k, name: translate(locale, `open311.kind.${k}`) })),
    },
    {
      variable: true,
      code: 'title',
      datatype: 'string',
      required: false,
      datatype_description: translate(locale, 'open311.attribute.title.help'),
      order: 2,
      description: translate(locale, 'open311.attribute.title'),
    },
  ];
}

export async function serviceDefinition(ctx: AppContext, code: string, locale: Locale): Promise<{ service_code: string; attributes: Open311Attribute[] }> {
  const services = await listServices(ctx, locale);
  if (!services.some((s) => s.service_code === code)) throw new Open311Error(404, 'open311.error.service_not_found');
  return { service_code: code, attributes: serviceAttributes(locale) };
}

// --- api keys ---------------------------------------------------------------------------------------

const hashKey = (key: string) => createHash('sha256').update(key).digest('hex');

export interface ClientView {
  id: string;
  name: string;
  contactEmail: string | null;
  keyPrefix: string;
  createdAt: Date;
  revokedAt: Date | null;
}
const clientView = (r: Open311ClientRow): ClientView => ({
  id: r.id,
  name: r.name,
  contactEmail: r.contactEmail,
  keyPrefix: r.keyPrefix,
  createdAt: r.createdAt,
  revokedAt: r.revokedAt,
});

/** Issues an api_key to an API client; the key is returned once and only its hash is stored. */
export async function issueApiKey(
  ctx: AppContext,
  actor: Actor | null,
  input: { name: string; contactEmail?: string | null },
  meta: { ip?: string | null; key?: string } = {},
): Promise<{ client: ClientView; apiKey: string }> {
  const name = input.name.trim();
  const email = input.contactEmail?.trim() || null;
  const errors: Record<string, string> = {};
  if (!name || name.length > 100) errors.name = 'open311.error.invalid';
  if (email && (email.length > 200 || !/^[^\s@]+@[^\s@]+\.[^\s@]+$/u.test(email))) errors.contactEmail = 'open311.error.invalid';
  if (Object.keys(errors).length) throw new ValidationError(errors);
  const apiKey = meta.key ?? `o311_${randomBytes(24).toString('base64url')}`;
  const client = await ctx.db.transaction(async (tx) => {
    const row = await repo.insertClient(tx, {
      name,
      contactEmail: email,
      keyHash: hashKey(apiKey),
      keyPrefix: apiKey.slice(0, 9),
      createdBy: actor?.userId ?? null,
      createdAt: ctx.clock.now(),
    });
    await recordAudit(tx, {
      ...actorFields(actor),
      action: 'hall.open311.key_issued',
      resourceType: 'open311_client',
      resourceId: row.id,
      outcome: 'ok',
      detail: { name, keyPrefix: row.keyPrefix },
      ip: meta.ip ?? null,
    });
    return row;
  });
  return { client: clientView(client), apiKey };
}

export async function revokeApiKey(ctx: AppContext, actor: Actor, id: string, meta: { ip?: string | null } = {}): Promise<ClientView> {
  if (!/^[0-9a-f-]{36}$/iu.test(id)) throw new NotFoundError();
  return ctx.db.transaction(async (tx) => {
    const row = await repo.revokeClient(tx, id, ctx.clock.now());
    if (!row) throw new NotFoundError('No such active API client');
    await recordAudit(tx, {
      ...actorFields(actor),
      action: 'hall.open311.key_revoked',
      resourceType: 'open311_client',
      resourceId: row.id,
      outcome: 'ok',
      detail: { name: row.name },
      ip: meta.ip ?? null,
    });
    return clientView(row);
  });
}

export const listApiClients = async (ctx: AppContext): Promise<ClientView[]> => (await repo.listClients(ctx.db)).map(clientView);

export async function clientOfKey(ctx: AppContext, apiKey: unknown): Promise<Open311ClientRow> {
  if (typeof apiKey !== 'string' || apiKey.length < 8 || apiKey.length > 200) throw new Open311Error(403, 'open311.error.api_key');
  const client = await repo.findActiveClientByKeyHash(ctx.db, hashKey(apiKey));
  if (!client) throw new Open311Error(403, 'open311.error.api_key');
  return client;
}

// --- service requests -------------------------------------------------------------------------------

export interface CreateRequestInput {
  jurisdictionId?: string;
  serviceCode?: string;
  lat?: string;
  long?: string;
  addressString?: string;
  addressId?: string;
  description?: string;
  attributes: Record<string, string | string[]>;
  contact: { email?: string; firstName?: string; lastName?: string; phone?: string; deviceId?: string; accountId?: string };
  mediaUrl?: string;
}

const finiteIn = (value: string | undefined, min: number, max: number): number | undefined => {
  if (value === undefined || value.trim() === '') return undefined;
  const n = Number(value);
  return Number.isFinite(n) && n >= min && n <= max ? n : NaN;
};

export function checkJurisdiction(jurisdictionId: string | undefined): void {
  if (jurisdictionId !== undefined && jurisdictionId !== '' && jurisdictionId !== JURISDICTION_ID) throw new Open311Error(404, 'open311.error.jurisdiction');
}

/** Files a service request as a hall post for the client; answers the Open311 creation reply. */
export async function createRequest(
  ctx: AppContext,
  client: Open311ClientRow,
  input: CreateRequestInput,
  locale: Locale,
  meta: { ip?: string | null; idempotencyKey?: string } = {},
): Promise<{ service_request_id: string; token: string; service_notice: string; account_id: string | null }> {
  checkJurisdiction(input.jurisdictionId);
  const serviceCode = input.serviceCode?.trim();
  if (!serviceCode) throw new Open311Error(400, 'open311.error.service_code');
  if (!SERVICE_SPECS.some((s) => s.code === serviceCode)) throw new Open311Error(404, 'open311.error.unknown_service', { code: serviceCode.slice(0, 60) });
  const lat = finiteIn(input.lat, -90, 90);
  const long = finiteIn(input.long, -180, 180);
  if (Number.isNaN(lat) || Number.isNaN(long) || (lat === undefined) !== (long === undefined)) throw new Open311Error(400, 'open311.error.lat_long');
  const address = input.addressString?.trim() || input.addressId?.trim() || undefined;
  if (lat === undefined && !address) throw new Open311Error(400, 'open311.error.location');
  const description = input.description?.trim() ?? '';
  if (!description || description.length > MAX_DESCRIPTION) throw new Open311Error(400, 'open311.error.description');
  const kindValue = input.attributes.kind;
  const kind = (typeof kindValue === 'string' && kindValue ? kindValue : 'report') as PostKind;
  if (!postKinds.includes(kind)) throw new Open311Error(400, 'open311.error.attribute', { code: 'kind' });
  const titleValue = input.attributes.title;
  if (titleValue !== undefined && typeof titleValue !== 'string') throw new Open311Error(400, 'open311.error.attribute', { code: 'title' });
  const title = titleValue?.trim() || Array.from(description).slice(0, 40).join('');
  const name = [input.contact.lastName, input.contact.firstName].filter(Boolean).join('') || undefined;

  const created = await createPost(
    ctx,
    { kind: 'client', clientId: client.id, clientName: client.name, contact: { name, email: input.contact.email, phone: input.contact.phone } },
    {
      kind,
      title,
      body: description,
      visibility: 'public',
      ...(serviceCode === AUTO_SERVICE ? {} : { departmentCode: serviceCode }),
      location: { ...(lat !== undefined && long !== undefined ? { lat, long } : {}), ...(address ? { address } : {}) },
      locale,
      ...(meta.idempotencyKey ? { idempotencyKey: meta.idempotencyKey } : {}),
    },
    { ip: meta.ip ?? null },
  );
  let record = await repo.findRequestByPost(ctx.db, created.id);
  if (!record) {
    record = {
      token: randomBytes(16).toString('hex'),
      postId: created.id,
      postNumber: created.number,
      clientId: client.id,
      serviceCode,
      attributes: input.attributes,
      createdAt: ctx.clock.now(),
    };
    await repo.insertRequest(ctx.db, record);
    record = (await repo.findRequestByPost(ctx.db, created.id)) ?? record;
  }
  const accounts = await listAccounts(ctx);
  const department = accounts.find((a) => a.code === created.routedTo?.departmentCode);
  const notice = department
    ? translate(locale, 'open311.notice.routed', { department: locale === 'en' ? department.nameEn : department.nameZh })
    : translate(locale, 'open311.notice.triage');
  return { service_request_id: created.number, token: record.token, service_notice: notice, account_id: null };
}

export async function requestIdOfToken(ctx: AppContext, token: string): Promise<{ service_request_id: string; token: string }> {
  const record = token.length <= 100 ? await repo.findRequestByToken(ctx.db, token) : undefined;
  if (!record) throw new Open311Error(404, 'open311.error.token_not_found');
  return { service_request_id: record.postNumber, token: record.token };
}

export interface Open311Request {
  service_request_id: string;
  status: 'open' | 'closed';
  status_notes: string | null;
  service_name: string | null;
  service_code: string;
  description: string | null;
  agency_responsible: string | null;
  service_notice: string | null;
  requested_datetime: string;
  updated_datetime: string | null;
  expected_datetime: string | null;
  address: string | null;
  address_id: string | null;
  zipcode: string | null;
  lat: number | null;
  long: number | null;
  media_url: string | null;
}

/** A hall post as an Open311 service request (public text only, masked as on the thread page). */
export function toOpen311(post: PostSummary, locale: Locale, publicUrl: string): Open311Request {
  const department = post.departmentName ? (locale === 'en' ? post.departmentName.en : post.departmentName.zh) : null;
  return {
    service_request_id: post.number,
    status: post.open ? 'open' : 'closed',
    status_notes: post.statusNote,
    service_name: department,
    service_code: post.departmentCode ?? AUTO_SERVICE,
    description: Array.from(post.body).slice(0, MAX_DESCRIPTION).join(''),
    agency_responsible: department,
    service_notice: department ? translate(locale, 'open311.notice.routed', { department }) : translate(locale, 'open311.notice.triage'),
    requested_datetime: post.createdAt.toISOString(),
    updated_datetime: post.updatedAt.toISOString(),
    expected_datetime: post.dueAt ? post.dueAt.toISOString() : null,
    address: post.location?.address ?? null,
    address_id: null,
    zipcode: null,
    lat: post.location?.lat ?? null,
    long: post.location?.long ?? null,
    media_url: post.photoUrl ? new URL(post.photoUrl, publicUrl).toString() : null,
  };
}

export interface RequestsQuery {
  jurisdictionId?: string;
  serviceRequestId?: string;
  serviceCode?: string;
  startDate?: string;
  endDate?: string;
  status?: string;
}

const parseDate = (value: string | undefined, field: string): Date | undefined => {
  if (value === undefined || value === '') return undefined;
  // ISO 8601 / W3C date-time, as the spec asks; a bare date is taken as midnight UTC.
  if (!/^\d{4}-\d{2}-\d{2}([T ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})?)?$/u.test(value)) throw new Open311Error(400, 'open311.error.date', { field });
  const d = new Date(value);
  if (Number.isNaN(d.getTime())) throw new Open311Error(400, 'open311.error.date', { field });
  return d;
};
const list = (value: string | undefined) =>
  (value ?? '')
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean)
    .slice(0, MAX_RESULTS);

/** GET requests: by id (other filters ignored, as the spec says), else by service, dates and status. */
export async function queryRequests(ctx: AppContext, query: RequestsQuery, locale: Locale): Promise<Open311Request[]> {
  checkJurisdiction(query.jurisdictionId);
  const ids = list(query.serviceRequestId);
  const publicUrl = ctx.config.publicUrl;
  if (ids.length) {
    const posts = await listPosts(ctx, { ids, limit: MAX_RESULTS });
    return posts.map((p) => toOpen311(p, locale, publicUrl));
  }
  // status may be a comma-separated list; both values together filter nothing.
  const statuses = [...new Set(list(query.status))];
  if (statuses.some((v) => v !== 'open' && v !== 'closed')) throw new Open311Error(400, 'open311.error.status');
  const status = statuses.length === 1 ? (statuses[0] as 'open' | 'closed') : undefined;
  const now = ctx.clock.now();
  const day = 24 * 3600 * 1000;
  let from = parseDate(query.startDate, 'start_date');
  let to = parseDate(query.endDate, 'end_date');
  if (from && to && to.getTime() - from.getTime() > MAX_RANGE_DAYS * day) throw new Open311Error(400, 'open311.error.range');
  if (from && to && to < from) throw new Open311Error(400, 'open311.error.range');
  if (!from && !to) from = new Date(now.getTime() - MAX_RANGE_DAYS * day);
  else if (!from && to) from = new Date(to.getTime() - MAX_RANGE_DAYS * day);
  else if (from && !to) to = new Date(from.getTime() + MAX_RANGE_DAYS * day);
  const codes = list(query.serviceCode);
  const departmentCodes = codes.filter((c) => c !== AUTO_SERVICE);
  const posts = await listPosts(ctx, {
    ...(codes.length && departmentCodes.length === codes.length ? { departmentCodes } : {}),
    ...(status ? { status } : {}),
    ...(from ? { from } : {}),
    ...(to ? { to } : {}),
    limit: MAX_RESULTS,
  });
  // The auto service names the posts still in triage; mixed with departments, filter here.
  const wanted = codes.length && departmentCodes.length !== codes.length ? posts.filter((p) => codes.includes(p.departmentCode ?? AUTO_SERVICE)) : posts;
  return wanted.map((p) => toOpen311(p, locale, publicUrl));
}

export async function getRequest(ctx: AppContext, id: string, locale: Locale): Promise<Open311Request> {
  const post = id.length <= 64 ? await getPostAny(ctx, id) : null;
  if (!post) throw new Open311Error(404, 'open311.error.not_found');
  return toOpen311(post, locale, ctx.config.publicUrl);
}

const getPostAny = async (ctx: AppContext, id: string): Promise<PostSummary | null> => {
  const [found] = await listPosts(ctx, { ids: [id], limit: 1 });
  if (found) return found;
  return /^[0-9a-f-]{36}$/iu.test(id) ? getPost(ctx, id, null) : null;
};

/** Maps the hall's typed errors to Open311 errors (status and a translated description). */
export function open311ErrorOf(error: unknown, locale: Locale): { status: number; description: string } {
  if (error instanceof Open311Error) return { status: error.status, description: translate(locale, error.descriptionKey, error.params) };
  if (error instanceof ValidationError) {
    const fields = Object.entries(error.fields)
      .map(([field, key]) => `${field}: ${translate(locale, key)}`)
      .join('; ');
    return { status: 400, description: translate(locale, 'open311.error.invalid', { fields }) };
  }
  if (error instanceof TooManyRequestsError) return { status: 429, description: translate(locale, 'open311.error.too_many') };
  if (error instanceof HttpError && error.status < 500) return { status: error.status, description: error.message };
  return { status: 500, description: translate(locale, 'open311.error.internal') };
}
