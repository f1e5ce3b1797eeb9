import { randomUUID } from 'node:crypto';
import type { Actor } from '../../platform/auth/actor.js';
import { recordAudit } from '../../platform/audit/audit.js';
import type { Executor } from '../../platform/db/db.js';
import { ForbiddenError, NotFoundError, ValidationError } from '../../platform/http/errors.js';
import { getCurrentItem, listDepartments, type FormDefinition, type FormFieldUi } from '../catalog/index.js';
import { getEnterpriseById, getUserById, listEnterprisesOf, maskIdNumber } from '../identity/index.js';
import { decideRead, type ReadFacts, type RefusalReason } from './exchange.policy.js';
import { dataProducts, isProductCode, providerOf, type Child, type ProductCode, type ResolvedSubject } from './exchange.products.js';
import * as repo from './exchange.repository.js';
import type { DeferredAccessLogRow } from './exchange.repository.js';

export interface Purpose {
  /** The service item applied for. */
  serviceCode: string;
  /** The application, when there is one; required for reads by staff. */
  applicationId?: string | undefined;
}

/**
 * Whom a read is about: a person, a company, or a person's minor child (`childIdNumber`: the person applies for
 * the child as their guardian; only products `ofBeneficiary`, and only once person.children confirms the guardian).
 */
export type SubjectRef = { userId: string; childIdNumber?: string | undefined } | { enterpriseId: string };

export interface ReadRequest {
  product: ProductCode;
  subject: SubjectRef;
  /** Required; a read without one is refused and audited. */
  purpose: Purpose | null | undefined;
  requestedBy: { departmentCode?: string | undefined; actorUserId?: string | undefined };
  /** Only these fields (data minimisation); all of the product's fields when absent. */
  fields?: readonly string[] | undefined;
}

/** The cases module's answer to "is this application one of this department's, for this service and subject?" */
export type ApplicationCheck = (
  ex: Executor,
  q: { applicationId: string; serviceCode: string; departmentCode: string; subject: SubjectRef },
) => Promise<boolean>;

export interface ReadOptions {
  /** Needed for reads by staff or a department's system. */
  verifyApplication?: ApplicationCheck | undefined;
  now?: Date | undefined;
  ip?: string | null | undefined;
  /** Lookups shared by the reads of one prefill (the same person and item for every product). */
  memo?: Map<string, Promise<unknown>> | undefined;
  /**
   * Where each read's access-log row goes instead of an insert of its own: the caller writes them with its work
   * (`accessLogInsertFrom` in its statement, or `insertAccessLogs`), so the read and what it was for share one
   * commit. The caller must write them on every path, failures included.
   */
  deferLog?: DeferredAccessLogRow[] | undefined;
}

/**
 * Lookups for one prefill, shared with its caller: the item the caller already read is not read again, and the
 * caller can take the person the prefill read (`userOf`) instead of a query of its own.
 */
export function prefillLookups(known: { serviceCode: string; item: unknown }): Map<string, Promise<unknown>> {
  return new Map([[`item:${known.serviceCode}`, Promise.resolve(known.item)]]);
}

/** The person (a user id) through the prefill's lookups: read at most once for both. */
export function userOf(ex: Executor, memo: Map<string, Promise<unknown>>, userId: string): ReturnType<typeof getUserById> {
  return once({ memo }, `user:${userId}`, () => getUserById(ex, userId));
}

/** The same lookup once per prefill, not once per product read. */
function once<T>(options: ReadOptions, key: string, load: () => Promise<T>): Promise<T> {
  if (!options.memo) return load();
  let value = options.memo.get(key) as Promise<T> | undefined;
  if (!value) options.memo.set(key, (value = load()));
  return value;
}

export interface ReadResult {
  product: ProductCode;
  holderDepartment: string | null;
  /** Null when the holder has no record about the subject (the read is still recorded). */
  data: Record<string, unknown> | null;
  fields: string[];
  logId: string;
}

const maxText = 64;
const uuidPattern = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * Reads a data product about a person or a company for a stated purpose. The read is recorded in
 * exchange_access_log through the executor given, so it commits (or not) with the caller's work.
 * A refusal is written to the audit log through the same executor and thrown as a ForbiddenError.
 */
export async function readData(ex: Executor, request: ReadRequest, options: ReadOptions = {}): Promise<ReadResult> {
  const now = options.now ?? new Date();
  if (!isProductCode(request.product)) throw new ValidationError({ product: 'exchange.error.unknownProduct' });
  const product = dataProducts[request.product];
  const wanted = request.fields ? [...new Set(request.fields)] : [...product.fields];
  if (wanted.length === 0 || wanted.some((f) => !product.fields.includes(f))) throw new ValidationError({ fields: 'exchange.error.unknownField' });

  const purpose = request.purpose;
  const serviceCode = typeof purpose?.serviceCode === 'string' ? purpose.serviceCode.trim() : '';
  const applicationId = typeof purpose?.applicationId === 'string' && purpose.applicationId.trim() !== '' ? purpose.applicationId.trim() : null;
  const requestedDepartment = request.requestedBy.departmentCode?.trim() || null;
  const actorUserId = request.requestedBy.actorUserId?.trim() || null;

  const requesterUser = actorUserId ? await once(options, `user:${actorUserId}`, () => getUserById(ex, actorUserId)) : undefined;
  const requester: ReadFacts['requester'] = requesterUser
    ? requesterUser.disabled
      ? null
      : requesterUser.kind === 'citizen'
        ? { kind: 'citizen', userId: requesterUser.id }
        : { kind: 'staff', userId: requesterUser.id, departmentCode: requesterUser.departmentCode }
    : actorUserId
      ? null
      : requestedDepartment
        ? { kind: 'system' }
        : null;

  const refuse = async (reason: RefusalReason): Promise<never> => {
    await recordAudit(ex, {
      actorType: requester?.kind ?? (actorUserId ? 'anonymous' : 'system'),
      actorId: actorUserId && actorUserId.length <= maxText ? actorUserId : null,
      action: 'exchange.read',
      resourceType: 'data-product',
      resourceId: product.code,
      outcome: 'denied',
      detail: {
        reason,
        serviceCode: serviceCode.slice(0, maxText) || null,
        applicationId: applicationId?.slice(0, maxText) ?? null,
        requestedDepartment: requestedDepartment?.slice(0, maxText) ?? null,
        subject: subjectLabel(request.subject),
      },
      ip: options.ip ?? null,
    });
    throw new ForbiddenError(`Data read refused: ${reason}`);
  };

  if (serviceCode === '' || serviceCode.length > maxText) return refuse('no-purpose');
  const subjectKind = 'userId' in request.subject ? 'person' : 'enterprise';
  if (!product.subjects.includes(subjectKind)) return refuse('subject-kind');
  const rawChild = 'userId' in request.subject ? request.subject.childIdNumber : undefined;
  const childIdNumber = typeof rawChild === 'string' && rawChild.trim() !== '' ? rawChild.trim().toUpperCase() : null;
  if (rawChild !== undefined && (!childIdNumber || childIdNumber.length > maxText)) return refuse('not-own-child');
  if (childIdNumber && !product.ofBeneficiary) return refuse('subject-kind');
  const actsFor = requester?.kind === 'citizen' && 'enterpriseId' in request.subject ? (await listEnterprisesOf(ex, requester.userId)).map((m) => m.id) : [];
  let applicationOfDepartment: boolean | null = null;
  const department = requester?.kind === 'staff' ? requester.departmentCode : requester?.kind === 'system' ? requestedDepartment : null;
  if (department && applicationId && options.verifyApplication)
    applicationOfDepartment = await options.verifyApplication(ex, { applicationId, serviceCode, departmentCode: department, subject: request.subject });
  const decision = decideRead({
    requester,
    requestedDepartment,
    subject: request.subject,
    actsFor,
    hasPurpose: true,
    applicationId,
    applicationOfDepartment,
  });
  if (!decision.ok) return refuse(decision.reason);
  // The purpose must name a real service item, or any string would pass as a reason.
  if (!(await once(options, `item:${serviceCode}`, () => getCurrentItem(ex, serviceCode)))) return refuse('unknown-purpose');

  let subject = await resolveSubject(ex, request.subject, options);
  if (childIdNumber && subject.kind === 'person') {
    // A child's data only after the population register confirms the guardian: a recorded person.children read
    // with the same purpose and requester (shared with the prefill that named the child).
    const children = await childrenRead(ex, subject.userId, { serviceCode, applicationId: applicationId ?? undefined }, request.requestedBy, options);
    const child = children.find((c) => c.idNumber === childIdNumber);
    if (!child) return refuse('not-own-child');
    subject = { kind: 'person', userId: subject.userId, idNumber: child.idNumber, realName: child.realName, childOf: subject.userId };
  }
  const all = await providerOf(product.code).read(ex, subject, now);
  const data = all ? Object.fromEntries(wanted.filter((f) => f in all).map((f) => [f, all[f]])) : null;
  const fields = data ? Object.keys(data) : [];
  const entry: Omit<DeferredAccessLogRow, 'id'> = {
    at: now,
    product: product.code,
    holderDepartment: product.holder,
    requesterDepartment: decision.readerDepartment,
    actorUserId: requester && requester.kind !== 'system' ? requester.userId : null,
    actorKind: requester?.kind ?? 'system',
    subjectKind: subject.kind,
    subjectUserId: subject.kind === 'person' ? subject.userId : null,
    subjectEnterpriseId: subject.kind === 'enterprise' ? subject.enterpriseId : null,
    subjectChildIdNumber: subject.kind === 'person' && subject.childOf ? subject.idNumber : null,
    purposeServiceCode: serviceCode,
    purposeApplicationId: applicationId,
    fields,
  };
  let logId: string;
  if (options.deferLog) {
    logId = randomUUID();
    options.deferLog.push({ id: logId, ...entry });
  } else logId = await repo.insertAccessLog(ex, entry);
  return { product: product.code, holderDepartment: product.holder, data, fields, logId };
}

/**
 * The guardian's children in person.children, read once for one purpose and requester (through the memo), so
 * a prefill that names a child and then reads the child's permit records the guardianship read once.
 */
function childrenRead(ex: Executor, guardianUserId: string, purpose: Purpose, requestedBy: ReadRequest['requestedBy'], options: ReadOptions): Promise<Child[]> {
  const key = [
    'children',
    guardianUserId,
    purpose.serviceCode,
    purpose.applicationId ?? '',
    requestedBy.actorUserId ?? '',
    requestedBy.departmentCode ?? '',
  ].join(':');
  return once(options, key, async () => {
    const result = await readData(ex, { product: 'person.children', subject: { userId: guardianUserId }, purpose, requestedBy, fields: ['children'] }, options);
    return (result.data?.children ?? []) as Child[];
  });
}

function subjectLabel(subject: SubjectRef): string {
  const id = 'userId' in subject ? subject.userId : subject.enterpriseId;
  const child = 'userId' in subject && typeof subject.childIdNumber === 'string' ? `:child:${maskIdNumber(subject.childIdNumber.slice(0, maxText))}` : '';
  return `${'userId' in subject ? 'person' : 'enterprise'}:${String(id).slice(0, maxText)}${child}`;
}

async function resolveSubject(ex: Executor, ref: SubjectRef, options: ReadOptions): Promise<ResolvedSubject> {
  if ('userId' in ref) {
    const user = await once(options, `user:${ref.userId}`, () => getUserById(ex, ref.userId));
    if (!user || user.kind !== 'citizen') throw new NotFoundError('No such person');
    return { kind: 'person', userId: user.id, idNumber: user.idNumber, realName: user.realName };
  }
  const enterprise = await getEnterpriseById(ex, ref.enterpriseId);
  if (!enterprise) throw new NotFoundError('No such enterprise');
  return { kind: 'enterprise', enterpriseId: enterprise.id, uscc: enterprise.uscc, name: enterprise.name };
}

// --- prefill ----------------------------------------------------------------------------------------

/** A form field's source: `product#field`, e.g. `person.identity#realName`. */
export interface PrefillSource {
  product: ProductCode;
  field: string;
}

/**
 * The names the catalogue's seed definitions already use, mapped onto products. The canonical form is
 * `product#field`; these stay so that items saved before it keep working.
 */
const sourceAliases: Record<string, string> = {
  'identity.realName': 'person.identity#realName',
  'identity.idNumber': 'person.identity#idNumber',
  'identity.actingFor.uscc': 'enterprise.registration#uscc',
  'enterprise.name': 'enterprise.registration#name',
  'enterprise.uscc': 'enterprise.registration#uscc',
  'household.address': 'person.household#address',
  'exitEntry.permitNumber': 'person.exitPermit#permitNumber',
};

export function parsePrefillSource(source: unknown): PrefillSource | null {
  if (typeof source !== 'string' || source.length > 100) return null;
  const canonical = sourceAliases[source] ?? source;
  const [product, field, ...rest] = canonical.split('#');
  if (rest.length > 0 || !isProductCode(product) || !field) return null;
  if (product === 'person.children') return ['realName', 'idNumber', 'sex', 'birthDate'].includes(field) ? { product, field } : null;
  return dataProducts[product].fields.includes(field) ? { product, field } : null;
}

export interface PrefillRequest {
  serviceCode: string;
  formDefinition: FormDefinition;
  /** Who is filling in the form: the applicant, or staff filling it in for them. */
  actor: Actor;
  applicationId?: string | undefined;
  /** Whose data: the actor (and the company they act for) by default; staff must name the applicant. */
  applicant?: { userId: string; enterpriseId?: string | null | undefined } | undefined;
  /** The child the applicant applies for (a resident ID number from person.children); child fields stay empty without it. */
  childIdNumber?: string | undefined;
}

export interface PrefillResult {
  values: Record<string, unknown>;
  sources: { field: string; product: ProductCode; department: string | null }[];
  /** Fields marked as held by the government that could not be filled (no product, no record, no company, no child chosen). */
  unresolved: string[];
}

interface Planned {
  formField: string;
  source: PrefillSource;
  ui: FormFieldUi;
}

/**
 * Fills the fields of a form that the government already holds, one read per product (recorded with the
 * purpose), asking each holder only for the fields the form needs.
 */
export async function prefillFor(ex: Executor, request: PrefillRequest, options: ReadOptions = {}): Promise<PrefillResult> {
  const { actor } = request;
  const applicantUserId = request.applicant?.userId ?? (actor.kind === 'citizen' ? actor.userId : null);
  const enterpriseId = request.applicant ? (request.applicant.enterpriseId ?? null) : (actor.actingFor?.enterpriseId ?? null);
  const uiFields = request.formDefinition['x-ui']?.fields ?? {};
  const planned: Planned[] = [];
  const unresolved: string[] = [];
  for (const [formField, ui] of Object.entries(uiFields)) {
    if (!ui?.prefill) continue;
    const source = parsePrefillSource(ui.prefill.source);
    if (!source) unresolved.push(formField);
    else planned.push({ formField, source, ui });
  }

  const byProduct = new Map<ProductCode, Planned[]>();
  // Naming a child is a claim to be their guardian: it is checked against person.children even when the form
  // takes nothing from it, so an application cannot be made for someone else's child.
  const childIdNumber = request.childIdNumber?.trim().toUpperCase() || undefined;
  if (childIdNumber) byProduct.set('person.children', []);
  for (const p of planned) byProduct.set(p.source.product, [...(byProduct.get(p.source.product) ?? []), p]);
  const purpose = { serviceCode: request.serviceCode, applicationId: request.applicationId };
  const requestedBy = actor.kind === 'staff' ? { departmentCode: actor.departmentCode ?? undefined, actorUserId: actor.userId } : { actorUserId: actor.userId };
  const values: Record<string, unknown> = {};
  const sources: PrefillResult['sources'] = [];
  const shared: ReadOptions = { ...options, memo: options.memo ?? new Map() };

  // person.children first (a Map keeps insertion order), so a child's data is read only after the guardian check.
  for (const [product, wanted] of byProduct) {
    const forEnterprise = dataProducts[product].subjects[0] === 'enterprise';
    // A product about the person applied for is the child's once one is named (readData checks the guardian).
    const person = applicantUserId ? { userId: applicantUserId, ...(childIdNumber && dataProducts[product].ofBeneficiary ? { childIdNumber } : {}) } : null;
    const subject: SubjectRef | null = forEnterprise ? (enterpriseId ? { enterpriseId } : null) : person;
    // Child fields are read only once the applicant has said which child: nothing is read "just in case".
    if (!subject || (product === 'person.children' && !childIdNumber)) {
      unresolved.push(...wanted.map((w) => w.formField));
      continue;
    }
    let record: Record<string, unknown> | null;
    let holderDepartment: string | null;
    if (product === 'person.children' && 'userId' in subject) {
      const children = await childrenRead(ex, subject.userId, purpose, requestedBy, shared);
      holderDepartment = dataProducts[product].holder;
      const child = children.find((c) => c.idNumber === childIdNumber);
      if (!child) {
        await recordAudit(ex, {
          actorType: actor.kind,
          actorId: actor.userId,
          action: 'exchange.read',
          resourceType: 'data-product',
          resourceId: product,
          outcome: 'denied',
          detail: { reason: 'not-own-child', serviceCode: request.serviceCode },
          ip: options.ip ?? null,
        });
        throw new ForbiddenError('Not a child of the applicant');
      }
      record = { ...child };
    } else {
      const fields = [...new Set(wanted.flatMap((w) => productFieldsFor(w)))];
      const result = await readData(ex, { product, subject, purpose, requestedBy, fields }, shared);
      record = result.data;
      holderDepartment = result.holderDepartment;
    }
    for (const w of wanted) {
      const value = record ? valueFor(w, record) : undefined;
      if (value === undefined) {
        unresolved.push(w.formField);
        continue;
      }
      values[w.formField] = value;
      sources.push({ field: w.formField, product, department: holderDepartment });
    }
  }
  return { values, sources, unresolved };
}

/** The product fields a form field needs: an address widget takes the district and the rest separately. */
function productFieldsFor(p: Planned): string[] {
  if (p.source.product === 'person.household' && p.source.field === 'address' && p.ui.widget === 'chengduAddress') return ['district', 'addressDetail'];
  return [p.source.field];
}

function valueFor(p: Planned, record: Record<string, unknown>): unknown {
  if (p.source.product === 'person.household' && p.source.field === 'address' && p.ui.widget === 'chengduAddress') {
    return typeof record.district === 'string' && typeof record.addressDetail === 'string'
      ? { district: record.district, detail: record.addressDetail }
      : undefined;
  }
  const value = record[p.source.field];
  return value === null ? undefined : value;
}

/** The applicant's children (person.children), read for the purpose of the service applied for, e.g. to choose whom an endorsement is for. */
export async function childrenOf(ex: Executor, actor: Actor, purpose: Purpose, options: ReadOptions = {}): Promise<Child[]> {
  const result = await readData(
    ex,
    { product: 'person.children', subject: { userId: actor.userId }, purpose, requestedBy: { actorUserId: actor.userId } },
    options,
  );
  return (result.data?.children ?? []) as Child[];
}

export const isUuid = (value: string): boolean => uuidPattern.test(value);

// --- "Who used my data" -----------------------------------------------------------------------------

export interface DataUseEntry {
  id: string;
  at: Date;
  product: ProductCode;
  holder: { code: string; nameZh: string; nameEn: string } | null;
  /** A department read it, or the platform read it at the person's (or their company's) own request. */
  reader: { kind: 'department'; code: string; nameZh: string; nameEn: string } | { kind: 'platform' };
  purpose: { serviceCode: string; nameZh: string | null; nameEn: string | null; applicationId: string | null };
  /** About the person, a company they act for, or their minor child (masked ID number) they applied for as guardian. */
  subject: { kind: 'person' } | { kind: 'enterprise'; enterpriseId: string; name: string } | { kind: 'child'; idNumber: string };
  fields: string[];
}

export const dataUsePageSize = 50;

/** The reads about a person and the companies they act for, newest first. */
export async function listDataUse(ex: Executor, userId: string, page = 1): Promise<{ entries: DataUseEntry[]; hasNext: boolean }> {
  const companies = await listEnterprisesOf(ex, userId);
  const rows = await repo.listAccessLog(ex, {
    userId,
    enterpriseIds: companies.map((c) => c.id),
    limit: dataUsePageSize + 1,
    offset: (Math.max(1, page) - 1) * dataUsePageSize,
  });
  const hasNext = rows.length > dataUsePageSize;
  const shown = rows.slice(0, dataUsePageSize);
  const departments = new Map((await listDepartments(ex)).map((d) => [d.code, d]));
  const items = new Map<string, { nameZh: string; nameEn: string } | null>();
  for (const code of new Set(shown.map((r) => r.purposeServiceCode))) {
    const item = await getCurrentItem(ex, code);
    items.set(code, item ? { nameZh: item.content.nameZh, nameEn: item.content.nameEn } : null);
  }
  const companyNames = new Map(companies.map((c) => [c.id, c.name]));
  const dept = (code: string | null) => {
    if (!code) return null;
    const d = departments.get(code);
    return { code, nameZh: d?.nameZh ?? code, nameEn: d?.nameEn ?? code };
  };
  const entries = shown.flatMap((r): DataUseEntry[] => {
    if (!isProductCode(r.product)) return [];
    const reader = dept(r.requesterDepartment);
    const item = items.get(r.purposeServiceCode) ?? null;
    return [
      {
        id: r.id,
        at: r.at,
        product: r.product,
        holder: dept(r.holderDepartment),
        reader: reader ? { kind: 'department', ...reader } : { kind: 'platform' },
        purpose: { serviceCode: r.purposeServiceCode, nameZh: item?.nameZh ?? null, nameEn: item?.nameEn ?? null, applicationId: r.purposeApplicationId },
        subject:
          r.subjectKind === 'enterprise' && r.subjectEnterpriseId
            ? { kind: 'enterprise', enterpriseId: r.subjectEnterpriseId, name: companyNames.get(r.subjectEnterpriseId) ?? '' }
            : r.subjectChildIdNumber
              ? { kind: 'child', idNumber: maskIdNumber(r.subjectChildIdNumber) }
              : { kind: 'person' },
        fields: r.fields.filter((f) => typeof f === 'string'),
      },
    ];
  });
  return { entries, hasNext };
}

/**
 * A platform administrator looks at a person's log (e.g. answering a complaint); the reason is required
 * and the look is audited, so the subject's privacy is not traded away silently.
 */
export async function listDataUseAsAdmin(
  ex: Executor,
  admin: Actor,
  userId: string,
  reason: string,
  page = 1,
  ip: string | null = null,
): Promise<{ entries: DataUseEntry[]; hasNext: boolean }> {
  const person = isUuid(userId) ? await getUserById(ex, userId) : undefined;
  if (!person || person.kind !== 'citizen') throw new NotFoundError('No such person');
  await recordAudit(ex, {
    actorType: 'staff',
    actorId: admin.userId,
    action: 'exchange.data-use.view',
    resourceType: 'person',
    resourceId: person.id,
    outcome: 'ok',
    detail: { reason },
    ip,
  });
  return listDataUse(ex, person.id, page);
}
