import { randomUUID } from 'node:crypto';
import type { Actor } from '../../platform/auth/actor.js';
import { uuidV5 } from '../../platform/uuid.js';
import { cachedApplicationWithHistory } from './cases.cache.js';
import { actorFields, recordAudit, type AuditEntry } from '../../platform/audit/audit.js';
import type { AppContext } from '../../platform/context.js';
import type { Executor, Tx } from '../../platform/db/db.js';
import { ConflictError, ForbiddenError, NotFoundError, ValidationError } from '../../platform/http/errors.js';
import type { Locale } from '../../platform/i18n/i18n.js';
import { localDate } from '../../platform/calendar/working-time.js';
import { chengduDistricts } from '../catalog/catalog.definitions.js';
import { cachedCurrentItem, getCurrentItem, getItemVersion, type CatalogItem, type DeliveryOption } from '../catalog/index.js';
import { checkMobile, checkUscc, getUserById, listEnterprisesOf, listStaffOf } from '../identity/index.js';
import {
  accessLogJson,
  insertAccessLogs,
  prefillFor,
  prefillLookups,
  readData,
  userOf,
  type ApplicationCheck,
  type DeferredAccessLogRow,
  type ReadOptions,
} from '../exchange/index.js';
import { fileFields, validateFormData, type FormErrors } from './cases.forms.js';
import * as repo from './cases.repository.js';
import type { ApplicationRow } from './cases.repository.js';
import type { CaseStatus, CorrectionItem, DeliveryChoice } from './cases.schema.js';
import { calendarSeed, followUpDue, forgetCalendar, loadCalendar, resumeClock, startClock } from './cases.sla.js';
import { availableActions, canWithdraw, planAutoDecision, transition, workflowRolesOf, type WorkflowActor } from './cases.workflow.js';

export type { CaseStatus, CorrectionItem, DeliveryChoice } from './cases.schema.js';

export const caseStatuses: readonly CaseStatus[] = [
  'draft',
  'submitted',
  'accepted',
  'refused',
  'correction_requested',
  'under_review',
  'approved',
  'rejected',
  'completed',
  'withdrawn',
];

/** Drafts are kept this long after their last change. */
export const draftDays = 30;
export const slaWarnQueue = 'cases.sla.warn';
export const slaBreachQueue = 'cases.sla.breach';
export const refundQueue = 'cases.refund';
export const completedEvent = 'cases.application_completed';

const uuidPattern = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
// eslint-disable-next-line no-control-regex
const controlChars = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/;

// --- view models -----------------------------------------------------------------------------------

export interface TimelineEntryView {
  at: Date;
  status: CaseStatus;
  action: string;
  actor: { kind: 'applicant' | 'staff' | 'system'; display: string };
  note: string | null;
  /** Correction items, tracking numbers and the like. */
  detail: Record<string, unknown> | null;
}

export interface ApplicationSummary {
  id: string;
  receiptNo: string | null;
  serviceCode: string;
  itemVersion: number;
  departmentCode: string;
  status: CaseStatus;
  actingFor: { uscc: string; name: string } | null;
  createdAt: Date;
  updatedAt: Date;
  submittedAt: Date | null;
  promisedBy: Date | null;
  legalBy: Date | null;
  /** The clock is stopped (waiting for a correction). */
  paused: boolean;
  overdue: boolean;
  assignedTo: { id: string; name: string } | null;
}

export interface ApplicationDetail extends ApplicationSummary {
  applicantId: string;
  data: Record<string, unknown>;
  delivery: DeliveryChoice | null;
  feeFen: number;
  paid: boolean;
  paidAt: Date | null;
  correction: CorrectionItem[] | null;
  timeline: TimelineEntryView[];
  materials: { fileId: string; material: string; field: string | null }[];
  rating: { value: number; comment: string | null; at: Date } | null;
  completedAt: Date | null;
  /** What the viewer may do now. */
  can: { actions: string[]; withdraw: boolean; resubmit: boolean; pay: boolean; rate: boolean; changeDelivery: boolean; claim: boolean; assign: boolean };
  /** Staff only: internal notes. */
  internalNotes: { at: Date; author: string; body: string }[] | null;
}

function summary(row: ApplicationRow, now: Date): ApplicationSummary {
  return {
    id: row.id,
    receiptNo: row.receiptNo,
    serviceCode: row.serviceCode,
    itemVersion: row.itemVersion,
    departmentCode: row.departmentCode,
    status: row.status,
    actingFor: row.actingForUscc ? { uscc: row.actingForUscc, name: row.actingForName ?? '' } : null,
    createdAt: row.createdAt,
    updatedAt: row.updatedAt,
    submittedAt: row.submittedAt,
    promisedBy: row.promisedBy,
    legalBy: row.legalBy,
    paused: row.pausedAt !== null,
    overdue: repo.runningStatuses.includes(row.status) && row.pausedAt === null && row.promisedBy !== null && row.promisedBy < now,
    assignedTo: row.assignedTo ? { id: row.assignedTo, name: row.assignedName ?? '' } : null,
  };
}

function timelineView(row: repo.TimelineRow): TimelineEntryView {
  return {
    at: row.at,
    status: row.status,
    action: row.action,
    actor: { kind: row.actorKind, display: row.actorDisplay },
    note: row.note,
    detail: row.detail ?? null,
  };
}

// --- helpers ---------------------------------------------------------------------------------------

type ActorKind = 'applicant' | 'staff' | 'system';

interface TimelineActor {
  kind: ActorKind;
  id: string | null;
  display: string;
}

const systemActor: TimelineActor = { kind: 'system', id: null, display: 'system' };

function timelineActor(actor: Actor, row: ApplicationRow): TimelineActor {
  if (actor.kind === 'staff') return { kind: 'staff', id: actor.userId, display: actor.realName };
  return { kind: 'applicant', id: actor.userId, display: row.applicantId === actor.userId ? actor.realName : actor.realName };
}

/** Item versions never change once written, so a process may keep them (bounded). */
const versionCache = new Map<string, CatalogItem>();

function remember(item: CatalogItem): CatalogItem {
  const key = `${item.code}@${item.version}`;
  const hit = versionCache.get(key);
  if (hit) return hit;
  if (versionCache.size > 500) versionCache.clear();
  versionCache.set(key, item);
  return item;
}

async function itemOf(_ctx: AppContext, ex: Executor, row: Pick<ApplicationRow, 'serviceCode' | 'itemVersion'>): Promise<CatalogItem> {
  const hit = versionCache.get(`${row.serviceCode}@${row.itemVersion}`);
  if (hit) return hit;
  const item = await getItemVersion(ex, row.serviceCode, row.itemVersion);
  if (!item) throw new Error(`Item ${row.serviceCode} v${row.itemVersion} is missing`);
  return remember(item);
}

function isStaffOf(actor: Actor, row: ApplicationRow): boolean {
  return actor.kind === 'staff' && (actor.departmentCode === row.departmentCode || actor.roles.includes('platform_admin'));
}

async function isApplicantSide(ex: Executor, actor: Actor, row: ApplicationRow): Promise<boolean> {
  if (actor.kind !== 'citizen') return false;
  if (row.applicantId === actor.userId) return true;
  if (!row.actingForEnterpriseId) return false;
  const companies = await listEnterprisesOf(ex, actor.userId);
  return companies.some((c) => c.id === row.actingForEnterpriseId);
}

/** Loads an application the actor may see; anything else is "not found", so ids cannot be probed. */
async function visibleApplication(ctx: AppContext, ex: Executor, actor: Actor, id: string): Promise<{ row: ApplicationRow; side: 'applicant' | 'staff' }> {
  if (!uuidPattern.test(id)) throw new NotFoundError('No such application');
  return sideOf(ex, actor, await repo.findApplication(ex, id));
}

/** Which side the actor sees the application from; "not found" when neither. */
async function sideOf(ex: Executor, actor: Actor, row: ApplicationRow | undefined): Promise<{ row: ApplicationRow; side: 'applicant' | 'staff' }> {
  if (!row) throw new NotFoundError('No such application');
  if (isStaffOf(actor, row)) {
    if (row.status === 'draft') throw new NotFoundError('No such application');
    return { row, side: 'staff' };
  }
  if (await isApplicantSide(ex, actor, row)) return { row, side: 'applicant' };
  throw new NotFoundError('No such application');
}

function checkText(value: unknown, field: string, max: number, required: boolean): string | null {
  if (value === undefined || value === null || (typeof value === 'string' && value.trim() === '')) {
    if (required) throw new ValidationError({ [field]: 'cases.error.required' });
    return null;
  }
  if (typeof value !== 'string') throw new ValidationError({ [field]: 'cases.error.invalid' });
  const text = value.trim();
  if (text.length > max) throw new ValidationError({ [field]: 'cases.error.tooLong' });
  if (controlChars.test(text)) throw new ValidationError({ [field]: 'cases.error.invalid' });
  return text;
}

/**
 * The id of the application an applicant submits with an Idempotency-Key: a name-based UUID of the applicant and
 * the key, in a namespace of its own.
 */
export const keyedApplicationId = (applicantId: string, key: string): string => uuidV5('5e1c0a9e-4d1b-4c2a-8f3e-7b6d2c1a0f99', `${applicantId}\n${key}`);

/** Receipt number: local date, a sequence number and a check digit (ISO 7064 MOD 11-10 over the digits). */
export function receiptNumber(at: Date, seq: number): string {
  const body = `${localDate(at).replace(/-/g, '')}${String(seq).padStart(7, '0')}`;
  return body + receiptCheckDigit(body);
}

export function receiptCheckDigit(digits: string): string {
  let p = 10;
  for (const ch of digits) {
    let s = (Number(ch) + p) % 10;
    if (s === 0) s = 10;
    p = (s * 2) % 11;
  }
  return String((11 - p) % 10);
}

export function isValidReceiptNo(value: string): boolean {
  return /^\d{16,20}$/.test(value) && receiptCheckDigit(value.slice(0, -1)) === value.slice(-1);
}

/** The delivery choice, checked against the item's options. */
export function checkDelivery(raw: unknown, options: readonly DeliveryOption[], defaults: { name: string; phone: string | null }): DeliveryChoice {
  const input = typeof raw === 'string' ? { method: raw } : raw;
  if (typeof input !== 'object' || input === null || Array.isArray(input)) throw new ValidationError({ delivery: 'cases.error.delivery' });
  const d = input as Record<string, unknown>;
  const method = d.method;
  if (method !== 'window' && method !== 'courier' && method !== 'electronic') throw new ValidationError({ delivery: 'cases.error.delivery' });
  if (!options.includes(method)) throw new ValidationError({ delivery: 'cases.error.deliveryNotOffered' });
  if (method !== 'courier') return { method };
  const address = (typeof d.address === 'object' && d.address !== null ? d.address : {}) as Record<string, unknown>;
  const district = typeof address.district === 'string' ? address.district.trim() : '';
  if (!chengduDistricts.includes(district)) throw new ValidationError({ 'delivery.address.district': 'cases.form.district' });
  const detail = checkText(address.detail, 'delivery.address.detail', 120, true) ?? '';
  if (detail.length < 2) throw new ValidationError({ 'delivery.address.detail': 'cases.form.address' });
  const recipientName = checkText(d.recipientName ?? defaults.name, 'delivery.recipientName', 50, true) ?? '';
  const phoneRaw = checkText(d.phone ?? defaults.phone, 'delivery.phone', 20, true) ?? '';
  const phone = checkMobile(phoneRaw);
  if (!phone.ok) throw new ValidationError({ 'delivery.phone': 'cases.form.phone' });
  return { method, recipientName, phone: phone.value, address: { district, detail } };
}

async function localeOf(ex: Executor, userId: string): Promise<{ locale: Locale; phone: string | null; email: string | null }> {
  const user = await getUserById(ex, userId);
  return { locale: user?.locale === 'en' ? 'en' : 'zh-CN', phone: user?.phone ?? null, email: user?.email ?? null };
}

const itemName = (item: CatalogItem, locale: Locale) => (locale === 'en' ? item.content.nameEn : item.content.nameZh);

/** A notice to the applicant on every channel they have (inbox, SMS, and e-mail when they gave one). */
async function noticeToApplicant(
  ctx: AppContext,
  tx: Tx,
  row: ApplicationRow,
  item: CatalogItem,
  template: string,
  params: Record<string, string | number> = {},
) {
  const who = await localeOf(tx, row.applicantId);
  await ctx.notify.send(tx, {
    userId: row.applicantId,
    channels: ['inbox', ...(who.phone ? (['sms'] as const) : []), ...(who.email ? (['email'] as const) : [])],
    phone: who.phone,
    email: who.email,
    template,
    locale: who.locale,
    params: { receiptNo: row.receiptNo ?? '', item: itemName(item, who.locale), ...params },
  });
}

async function noticeToStaff(
  ctx: AppContext,
  tx: Tx,
  userIds: string[],
  row: ApplicationRow,
  item: CatalogItem,
  template: string,
  params: Record<string, string | number>,
) {
  for (const userId of [...new Set(userIds)]) {
    const who = await localeOf(tx, userId);
    await ctx.notify.send(tx, {
      userId,
      channels: ['inbox'],
      template,
      locale: who.locale,
      params: { receiptNo: row.receiptNo ?? '', item: itemName(item, who.locale), ...params },
    });
  }
}

const formatTime = (at: Date) => `${localDate(at)} ${new Date(at.getTime() + 8 * 3600_000).toISOString().slice(11, 16)}`;

// --- SLA checks --------------------------------------------------------------------------------------

/**
 * The SLA check: warns the handling staff at 80% of the promised time, escalates to the department admin
 * at the promised deadline. Idempotent; a check of an older clock generation (the clock was paused or
 * resumed since) or one that runs early (the clock moved) does nothing.
 */
export async function runSlaCheck(ctx: AppContext, kind: 'warn' | 'breach', applicationId: string, generation?: number): Promise<boolean> {
  return ctx.db.transaction(async (tx) => {
    const row = await repo.findApplication(tx, applicationId);
    if (!row || !repo.runningStatuses.includes(row.status) || row.pausedAt) return false;
    if (generation !== undefined && generation !== row.slaGeneration) return false;
    const now = ctx.clock.now();
    const due = kind === 'warn' ? row.warnAt : row.promisedBy;
    if (!due || due > now) return false;
    const marked = await repo.updateApplication(
      tx,
      row.id,
      kind === 'warn' ? { slaWarnedAt: now } : { slaEscalatedAt: now },
      kind === 'warn' ? repo.notMarked('warn') : repo.notMarked('breach'),
    );
    if (!marked) return false;
    const item = await itemOf(ctx, tx, row);
    const recipients =
      kind === 'warn'
        ? row.assignedTo
          ? [row.assignedTo]
          : (await listStaffOf(tx, row.departmentCode, ['clerk', 'reviewer', 'approver'])).map((s) => s.id)
        : (await listStaffOf(tx, row.departmentCode, ['dept_admin'])).map((s) => s.id);
    await noticeToStaff(ctx, tx, recipients, row, item, kind === 'warn' ? 'cases-sla-warning' : 'cases-sla-breach', {
      due: formatTime(row.promisedBy ?? now),
    });
    await recordAudit(tx, {
      actorType: 'system',
      action: kind === 'warn' ? 'cases.sla.warning' : 'cases.sla.escalation',
      resourceType: 'application',
      resourceId: row.id,
      outcome: 'ok',
      detail: { promisedBy: row.promisedBy?.toISOString() ?? null, recipients: recipients.length },
    });
    return true;
  });
}

/**
 * Runs every minute (a pg-boss schedule, so it survives restarts and runs on one instance at a time): every
 * passed warning or breach point not handled yet. The deadlines live on the application rows (`warn_at`,
 * `promised_by`, moved by a pause), so a submission queues no job of its own and a restored backup misses none.
 */
export async function sweepSla(ctx: AppContext): Promise<number> {
  let done = 0;
  for (const kind of ['warn', 'breach'] as const) {
    for (const row of await repo.listSlaDue(ctx.db, kind, ctx.clock.now())) if (await runSlaCheck(ctx, kind, row.id)) done++;
  }
  return done;
}

// --- submission --------------------------------------------------------------------------------------

export interface SubmitInput {
  serviceCode: unknown;
  actingFor?: unknown;
  data: unknown;
  delivery?: unknown;
  idempotencyKey?: string | null | undefined;
  /** Submit this draft (the pages' save-and-return) instead of creating a new application. */
  draftId?: string | null | undefined;
}

export interface SubmitResult {
  id: string;
  receiptNo: string;
  status: CaseStatus;
  /** false when the idempotency key had been used: this is the earlier application. */
  created: boolean;
}

interface Prepared {
  item: CatalogItem;
  enterprise: { id: string; uscc: string; name: string } | null;
  data: Record<string, unknown>;
  delivery: DeliveryChoice;
  /** The applicant's own phone, for the status check when the form names no contact number. */
  applicantPhone: string | null;
}

async function prepare(
  ctx: AppContext,
  actor: Actor,
  input: { serviceCode: unknown; actingFor?: unknown; data: unknown; delivery?: unknown },
  reads: DeferredAccessLogRow[],
): Promise<Prepared> {
  if (actor.kind !== 'citizen') throw new ForbiddenError('Only citizens and people acting for a company apply');
  if (typeof input.serviceCode !== 'string' || !/^[a-z0-9-]{1,60}$/.test(input.serviceCode))
    throw new ValidationError({ serviceCode: 'cases.error.unknownService' });
  // As the item page shows it (a few seconds' cache; an edit here clears it), not read again per submission.
  const current = await cachedCurrentItem(ctx.db, ctx.config.publicPageCacheSeconds)(input.serviceCode);
  if (!current || current.status !== 'published') throw new ValidationError({ serviceCode: 'cases.error.unknownService' });
  // The same object for the same version, so the compiled form validator is found by identity.
  const item = remember(current);
  let enterprise: Prepared['enterprise'] = null;
  if (input.actingFor !== undefined && input.actingFor !== null && input.actingFor !== '') {
    if (typeof input.actingFor !== 'string') throw new ValidationError({ actingFor: 'cases.error.uscc' });
    const uscc = checkUscc(input.actingFor);
    if (!uscc.ok) throw new ValidationError({ actingFor: 'cases.error.uscc' });
    const membership = (await listEnterprisesOf(ctx.db, actor.userId)).find((c) => c.uscc === uscc.value);
    if (!membership) {
      await recordAudit(ctx.db, {
        ...actorFields(actor),
        action: 'cases.submit',
        resourceType: 'enterprise',
        resourceId: uscc.value,
        outcome: 'denied',
        detail: { reason: 'not a member' },
      });
      throw new ForbiddenError('You do not act for this company');
    }
    enterprise = { id: membership.id, uscc: membership.uscc, name: membership.name };
  }
  const kinds = item.content.applicantKinds;
  if (enterprise && !kinds.includes('enterprise')) throw new ValidationError({ actingFor: 'cases.error.notForCompanies' });
  if (!enterprise && !kinds.includes('citizen')) throw new ValidationError({ actingFor: 'cases.error.companyRequired' });
  // The item and the applicant are read once for the prefill and for this preparation.
  const lookups = prefillLookups({ serviceCode: item.code, item: current });
  const answers = await withGovernmentData(ctx, actor, item, enterprise, input.data, { memo: lookups, deferLog: reads });
  const checked = validateFormData(item.content.formDefinition, answers);
  if (!checked.ok) throw new ValidationError(prefixed(checked.errors), 'The form has errors');
  const fileErrors = await checkFiles(ctx, actor, item, checked.value);
  if (Object.keys(fileErrors).length) throw new ValidationError(prefixed(fileErrors), 'The form has errors');
  const user = await userOf(ctx.db, lookups, actor.userId);
  const contact = typeof checked.value.contactPhone === 'string' ? checked.value.contactPhone : (user?.phone ?? null);
  const delivery = checkDelivery(input.delivery ?? { method: item.content.deliveryOptions[0] }, item.content.deliveryOptions, {
    name: actor.realName,
    phone: contact,
  });
  return { item, enterprise, data: checked.value, delivery, applicantPhone: user?.phone ?? null };
}

/**
 * Once only: fields the government already holds that the request left out are filled from the holding
 * department through the exchange module (each read recorded with the item as its purpose). What the
 * applicant sent is kept; a child named on the form must be the applicant's own (exchange checks it).
 */
async function withGovernmentData(
  ctx: AppContext,
  actor: Actor,
  item: CatalogItem,
  enterprise: { id: string } | null,
  raw: unknown,
  options: ReadOptions,
): Promise<unknown> {
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) return raw;
  const data = { ...(raw as Record<string, unknown>) };
  const form = item.content.formDefinition;
  const missing = Object.entries(form['x-ui'].fields)
    .filter(([name, ui]) => ui.prefill && (data[name] === undefined || data[name] === null || data[name] === ''))
    .map(([name]) => name);
  const childIdNumber = data.applyFor === 'child' && typeof data.childIdNumber === 'string' ? data.childIdNumber : undefined;
  if (!missing.length && !childIdNumber) return data;
  try {
    const pre = await prefillFor(
      ctx.db,
      {
        serviceCode: item.code,
        formDefinition: form,
        actor,
        applicant: { userId: actor.userId, enterpriseId: enterprise?.id ?? null },
        ...(childIdNumber ? { childIdNumber } : {}),
      },
      options,
    );
    for (const name of missing) if (pre.values[name] !== undefined) data[name] = pre.values[name];
  } catch (error) {
    // The exchange refuses a child who is not the applicant's (and audits it); to the applicant that is a wrong answer.
    if (error instanceof ForbiddenError && childIdNumber)
      throw new ValidationError({ 'data.childIdNumber': 'cases.error.notYourChild' }, 'The form has errors');
    if (error instanceof ForbiddenError || error instanceof ValidationError) throw error;
    // A holder that does not answer leaves the fields to the applicant; validation names what is missing.
    ctx.log.warn({ err: error, serviceCode: item.code }, 'prefill from the exchange failed');
  }
  return data;
}

/** Field errors of the form are reported under `data.<field>` (the request body's shape). */
function prefixed(errors: FormErrors): FormErrors {
  return Object.fromEntries(Object.entries(errors).map(([k, v]) => [`data.${k}`, v]));
}

/** Each file answer must be an upload of the applicant (or their company) of an accepted type and size. */
async function checkFiles(ctx: AppContext, actor: Actor, item: CatalogItem, data: Record<string, unknown>): Promise<FormErrors> {
  const errors: FormErrors = {};
  for (const f of fileFields(item.content.formDefinition)) {
    const id = data[f.name];
    if (typeof id !== 'string') continue;
    const file = await ctx.files.find(id);
    if (!file || !(await ctx.files.mayRead(actor, file))) errors[f.name] = 'cases.form.file';
    else if (f.ui.accept && !f.ui.accept.includes(file.mediaType)) errors[f.name] = 'cases.form.fileType';
    else if (f.ui.maxBytes && file.size > f.ui.maxBytes) errors[f.name] = 'cases.form.fileSize';
  }
  return errors;
}

/** The facts the exit-entry register establishes (person.exitPermit). */
const permitFactNames = ['system.permitValid', 'system.noExitRestriction'];

/**
 * Facts the system establishes itself for auto-decision rules (`system.*` conditions), from the register that
 * holds them, read through the exchange by the handling department's system with the item and the application
 * as purpose (recorded, so it shows on the applicant's "Who used my data"). For a child (`applyFor: 'child'`) the
 * permit is the child's, read only once person.children confirms the applicant is the guardian.
 * - system.permitValid: the register has a permit for the person applied for, its number is the one on the form,
 *   and it is valid after today (Beijing date of ctx.clock; a permit that ends today cannot carry an endorsement);
 * - system.noExitRestriction: the register says the person is not barred from leaving (不准出境).
 * The register is read only when a rule whose form conditions hold needs these facts (a family-visit endorsement
 * reads nothing). No record, a refusal or a holder that does not answer leaves both false: the application goes
 * to the department's staff, never approved on an assumption.
 */
export async function systemFacts(ctx: AppContext, tx: Tx, row: ApplicationRow, item: CatalogItem): Promise<Record<string, unknown>> {
  const facts: Record<string, unknown> = { 'system.permitValid': false, 'system.noExitRestriction': false };
  const needed = (item.content.workflowDefinition.autoDecisions ?? []).some(
    (rule) =>
      rule.conditions.some((c) => permitFactNames.includes(c.field)) &&
      rule.conditions.every((c) => c.field.startsWith('system.') || row.data[c.field] === c.equals),
  );
  if (!needed) return facts;
  const child = row.data.applyFor === 'child' && typeof row.data.childIdNumber === 'string' ? row.data.childIdNumber.trim().toUpperCase() : undefined;
  // The exchange asks whether a department's read is for one of its applications: this one, about its applicant and child.
  const ofThisApplication: ApplicationCheck = async (_ex, q) =>
    q.applicationId === row.id &&
    q.departmentCode === row.departmentCode &&
    q.serviceCode === row.serviceCode &&
    'userId' in q.subject &&
    q.subject.userId === row.applicantId &&
    (q.subject.childIdNumber === undefined || q.subject.childIdNumber.trim().toUpperCase() === child);
  let permit: Record<string, unknown> | null = null;
  try {
    // In a savepoint, so a holder failing mid-read leaves the submission's transaction usable; a refusal is
    // answered (its audit record kept) and counts as no record.
    permit = await tx.transaction(async (sp) => {
      try {
        const read = await readData(
          sp,
          {
            product: 'person.exitPermit',
            subject: { userId: row.applicantId, ...(child ? { childIdNumber: child } : {}) },
            purpose: { serviceCode: row.serviceCode, applicationId: row.id },
            requestedBy: { departmentCode: row.departmentCode },
            fields: ['permitNumber', 'permitValidUntil', 'exitRestricted'],
          },
          { now: ctx.clock.now(), verifyApplication: ofThisApplication },
        );
        return read.data;
      } catch (error) {
        if (!(error instanceof ForbiddenError)) throw error;
        ctx.log.warn({ applicationId: row.id, reason: error.message }, 'exit-permit read refused; the application goes to staff');
        return null;
      }
    });
  } catch (error) {
    ctx.log.warn({ err: error, applicationId: row.id }, 'the exit-entry register did not answer; the application goes to staff');
    return facts;
  }
  if (!permit) return facts;
  const onForm = typeof row.data.permitNumber === 'string' ? row.data.permitNumber.trim().toUpperCase() : null;
  const today = localDate(ctx.clock.now());
  facts['system.permitValid'] =
    typeof permit.permitNumber === 'string' &&
    permit.permitNumber.toUpperCase() === onForm &&
    typeof permit.permitValidUntil === 'string' &&
    permit.permitValidUntil > today;
  facts['system.noExitRestriction'] = permit.exitRestricted === false;
  return facts;
}

/**
 * Submits an application (申报). With an idempotency key, a retried request (even a concurrent one)
 * returns the first application: the unique (applicant, key) constraint decides, not a read.
 *
 * The exchange's reads for the prefill are recorded with the application (in its statement or transaction), so a
 * submission waits for one commit, not two; a submission that fails records them on their own.
 */
export async function submitApplication(ctx: AppContext, actor: Actor, input: SubmitInput, meta: { ip?: string | null } = {}): Promise<SubmitResult> {
  const reads: DeferredAccessLogRow[] = [];
  try {
    return await submit(ctx, actor, input, meta, reads);
  } catch (error) {
    // Whatever was read is recorded, whether or not the application came to be (unless its statement recorded it).
    await insertAccessLogs(ctx.db, reads).catch((e: unknown) => ctx.log.error({ err: e }, 'the data reads of a failed submission were not recorded'));
    throw error;
  }
}

async function submit(ctx: AppContext, actor: Actor, input: SubmitInput, meta: { ip?: string | null }, reads: DeferredAccessLogRow[]): Promise<SubmitResult> {
  const key = input.idempotencyKey ?? null;
  if (key !== null && (key.length < 1 || key.length > 200 || controlChars.test(key)))
    throw new ValidationError({ 'Idempotency-Key': 'cases.error.idempotencyKey' });
  const draftId = input.draftId ?? null;
  // A draft keeps its id. A new application's id is named by its applicant and key, so a retry finds it by its
  // primary key: a lookup by (applicant, key) was planned on a near-empty table as a scan of the applicant's
  // applications, and a cached plan stays until the table is analysed (this machine's server never autovacuums).
  const id = draftId ?? (key ? keyedApplicationId(actor.userId, key) : randomUUID());
  if (key && uuidPattern.test(id)) {
    const existing = await repo.findApplication(ctx.db, id);
    if (existing?.receiptNo && existing.applicantId === actor.userId && existing.idempotencyKey === key)
      return { id: existing.id, receiptNo: existing.receiptNo, status: existing.status, created: false };
  }
  const p = await prepare(ctx, actor, input, reads);
  const calendar = await loadCalendar(ctx.db);
  const now = ctx.clock.now();
  const clock = startClock(calendar, now, { promised: p.item.content.promisedLimit, legal: p.item.content.legalLimit });
  const receiptNo = receiptNumber(now, await repo.nextReceiptSeq(ctx.db, ctx));
  const contact = typeof p.data.contactPhone === 'string' ? p.data.contactPhone : p.delivery.method === 'courier' ? p.delivery.phone : null;
  const values = {
    id,
    receiptNo,
    serviceCode: p.item.code,
    itemVersion: p.item.version,
    departmentCode: p.item.departmentCode,
    applicantId: actor.userId,
    actingForEnterpriseId: p.enterprise?.id ?? null,
    actingForUscc: p.enterprise?.uscc ?? null,
    actingForName: p.enterprise?.name ?? null,
    idempotencyKey: key,
    status: 'submitted' as const,
    data: p.data,
    delivery: p.delivery,
    phoneLast4: (contact || p.applicantPhone)?.slice(-4) ?? null,
    feeFen: p.item.content.feeFen,
    submittedAt: now,
    promisedBy: clock.promisedBy,
    legalBy: clock.legalBy,
    warnAt: clock.warnAt,
    createdAt: now,
    updatedAt: now,
  };
  const entry = { at: now, status: 'submitted', action: 'submit', actorKind: 'applicant', actorId: actor.userId, actorDisplay: actor.realName } as const;
  const files = fileFields(p.item.content.formDefinition).flatMap((f) => {
    const fileId = p.data[f.name];
    return typeof fileId === 'string' ? [{ fileId, material: f.ui.material ?? f.name, field: f.name }] : [];
  });
  const audit: AuditEntry = {
    ...actorFields(actor),
    action: 'cases.submit',
    resourceType: 'application',
    resourceId: id,
    outcome: 'ok',
    detail: { serviceCode: p.item.code, version: p.item.version, receiptNo, actingFor: p.enterprise?.uscc ?? null },
    ip: meta.ip ?? null,
  };
  /** When the insert wrote nothing: the application a request with the same key wrote first. */
  const firstWithKey = async (ex: Executor): Promise<SubmitResult> => {
    // Another request with the same key won (it committed before our insert finished waiting).
    const existing = key ? await repo.findByIdempotencyKey(ex, actor.userId, key) : undefined;
    if (!existing?.receiptNo) throw new ConflictError('A request with this Idempotency-Key is still being processed');
    return { id: existing.id, receiptNo: existing.receiptNo, status: existing.status, created: false };
  };
  // No rule can decide at once (none, or a fee still to pay: the rules run when it is paid): one statement, its own
  // transaction. Otherwise the decision commits with the submission.
  const rules = p.item.content.workflowDefinition.autoDecisions ?? [];
  if (!draftId && (rules.length === 0 || p.item.content.feeFen > 0)) {
    const row = await repo.insertSubmission(ctx.db, values, entry, files, audit, accessLogJson(reads));
    reads.length = 0; // committed with the statement, application or not
    return row ? { id: row.id, receiptNo, status: row.status, created: true } : firstWithKey(ctx.db);
  }
  const result = await ctx.db.transaction(async (tx) => {
    let row: ApplicationRow | undefined;
    if (draftId) {
      const draft = uuidPattern.test(draftId) ? await repo.findApplication(tx, draftId) : undefined;
      if (!draft || draft.applicantId !== actor.userId || draft.status !== 'draft') throw new NotFoundError('No such draft');
      row = await repo.updateIfVersion(tx, draft.id, draft.version, { ...values, createdAt: draft.createdAt });
      if (!row) throw new ConflictError('The draft changed meanwhile');
      await repo.insertTimeline(tx, { applicationId: row.id, ...entry });
      for (const f of files) await repo.insertMaterial(tx, { applicationId: row.id, ...f });
      await insertAccessLogs(tx, reads);
      await recordAudit(tx, audit);
    } else {
      row = await repo.insertSubmission(tx, values, entry, files, audit, accessLogJson(reads));
      if (!row) return firstWithKey(tx);
    }
    const final = await runAutoDecisions(ctx, tx, row, p.item);
    return { id: row.id, receiptNo, status: final.status, created: true };
  });
  reads.length = 0; // committed
  return result;
}

// --- drafts (save and return) -----------------------------------------------------------------------

export interface DraftView {
  id: string;
  serviceCode: string;
  itemVersion: number;
  actingFor: { uscc: string; name: string } | null;
  data: Record<string, unknown>;
  delivery: DeliveryChoice | null;
  updatedAt: Date;
  expiresAt: Date;
}

/**
 * Saves answers without validating them fully (a draft may be incomplete); unknown fields are dropped and
 * sizes are bounded. Creates a draft, or updates the actor's own draft `draftId`.
 */
export async function saveDraft(
  ctx: AppContext,
  actor: Actor,
  input: { draftId?: string | null; serviceCode: string; actingFor?: string | null; data: Record<string, unknown>; delivery?: DeliveryChoice | null },
): Promise<DraftView> {
  if (actor.kind !== 'citizen') throw new ForbiddenError('Only citizens save drafts');
  const item = await getCurrentItem(ctx.db, input.serviceCode);
  if (!item || item.status !== 'published') throw new ValidationError({ serviceCode: 'cases.error.unknownService' });
  let enterprise: { id: string; uscc: string; name: string } | null = null;
  if (input.actingFor) {
    const m = (await listEnterprisesOf(ctx.db, actor.userId)).find((c) => c.uscc === input.actingFor);
    if (!m) throw new ForbiddenError('You do not act for this company');
    enterprise = { id: m.id, uscc: m.uscc, name: m.name };
  }
  const known = new Set(Object.keys(item.content.formDefinition.properties));
  const data = Object.fromEntries(Object.entries(input.data).filter(([k, v]) => known.has(k) && JSON.stringify(v ?? null).length <= 10_000));
  const now = ctx.clock.now();
  return ctx.db.transaction(async (tx) => {
    let row: ApplicationRow | undefined;
    if (input.draftId) {
      const draft = uuidPattern.test(input.draftId) ? await repo.findApplication(tx, input.draftId) : undefined;
      if (!draft || draft.applicantId !== actor.userId || draft.status !== 'draft') throw new NotFoundError('No such draft');
      row = await repo.updateApplication(tx, draft.id, { data, delivery: input.delivery ?? draft.delivery, updatedAt: now });
    } else {
      row = await repo.insertApplication(tx, {
        serviceCode: item.code,
        itemVersion: item.version,
        departmentCode: item.departmentCode,
        applicantId: actor.userId,
        actingForEnterpriseId: enterprise?.id ?? null,
        actingForUscc: enterprise?.uscc ?? null,
        actingForName: enterprise?.name ?? null,
        status: 'draft',
        data,
        delivery: input.delivery ?? null,
        feeFen: item.content.feeFen,
        createdAt: now,
        updatedAt: now,
      });
    }
    if (!row) throw new ConflictError('The draft could not be saved');
    return draftView(row);
  });
}

function draftView(row: ApplicationRow): DraftView {
  return {
    id: row.id,
    serviceCode: row.serviceCode,
    itemVersion: row.itemVersion,
    actingFor: row.actingForUscc ? { uscc: row.actingForUscc, name: row.actingForName ?? '' } : null,
    data: row.data,
    delivery: row.delivery,
    updatedAt: row.updatedAt,
    expiresAt: new Date(row.updatedAt.getTime() + draftDays * 86_400_000),
  };
}

/** The actor's own draft, or null. */
export async function getDraft(ctx: AppContext, actor: Actor, id: string): Promise<DraftView | null> {
  if (!uuidPattern.test(id)) return null;
  const row = await repo.findApplication(ctx.db, id);
  if (!row || row.status !== 'draft' || row.applicantId !== actor.userId) return null;
  return draftView(row);
}

export async function deleteDraft(ctx: AppContext, actor: Actor, id: string): Promise<boolean> {
  const draft = await getDraft(ctx, actor, id);
  if (!draft) return false;
  await repo.deleteApplication(ctx.db, id);
  return true;
}

/** Deletes drafts untouched for 30 days (the purge job). */
export async function purgeOldDrafts(ctx: AppContext): Promise<number> {
  return repo.purgeDrafts(ctx.db, new Date(ctx.clock.now().getTime() - draftDays * 86_400_000));
}

// --- reading -----------------------------------------------------------------------------------------

/**
 * The application as `actor` may see it. `cached`: from this instance's cache of applications while no change of
 * it has been announced (cases.cache.ts), for status reads; else from the database.
 */
export async function getApplication(ctx: AppContext, actor: Actor, id: string, options: { cached?: boolean } = {}): Promise<ApplicationDetail> {
  if (!uuidPattern.test(id)) throw new NotFoundError('No such application');
  const found = options.cached ? await cachedApplicationWithHistory(ctx, id) : await repo.findApplicationWithHistory(ctx.db, id);
  const { row, side } = await sideOf(ctx.db, actor, found?.row);
  const { timeline: entries, materials: files } = found!;
  const item = await itemOf(ctx, ctx.db, row);
  const notes = side === 'staff' ? await repo.listNotes(ctx.db, row.id) : null;
  const def = item.content.workflowDefinition;
  const staffRoles = side === 'staff' ? workflowRolesOf(actor.roles) : [];
  const finished = ['refused', 'rejected', 'completed', 'withdrawn'].includes(row.status);
  // Object.assign, not a spread: V8 built `{ ...summary, … }` through its slow path, 40 of a cached read's 50 µs.
  return Object.assign(summary(row, ctx.clock.now()), {
    applicantId: row.applicantId,
    data: row.data,
    delivery: row.delivery,
    feeFen: row.feeFen,
    paid: row.paidAt !== null,
    paidAt: row.paidAt,
    correction: row.correction ?? null,
    timeline: entries.map(timelineView),
    materials: files.map((m) => ({ fileId: m.fileId, material: m.material, field: m.field })),
    rating: row.rating !== null ? { value: row.rating, comment: row.ratingComment, at: row.ratedAt ?? row.updatedAt } : null,
    completedAt: row.completedAt,
    can: {
      actions: side === 'staff' ? availableActions(def, row.status, staffRoles).map((a) => a.name) : [],
      withdraw: side === 'applicant' && canWithdraw(def, row.status),
      resubmit: side === 'applicant' && row.status === 'correction_requested',
      pay: side === 'applicant' && row.feeFen > 0 && row.paidAt === null && !finished && row.status !== 'draft',
      rate: side === 'applicant' && row.status === 'completed' && row.rating === null,
      changeDelivery: side === 'applicant' && !finished && row.status !== 'approved',
      claim: side === 'staff' && !finished && row.assignedTo !== actor.userId,
      assign: side === 'staff' && !finished && (actor.roles.includes('dept_admin') || actor.roles.includes('platform_admin')),
    },
    internalNotes: notes ? notes.map((n) => ({ at: n.at, author: n.authorName, body: n.body })) : null,
  });
}

/** The actor's applications and those of the companies they act for (drafts included), newest first. */
export async function listMyApplications(
  ctx: AppContext,
  actor: Actor,
  options: { limit?: number; offset?: number; includeDrafts?: boolean } = {},
): Promise<ApplicationSummary[]> {
  if (actor.kind !== 'citizen') return [];
  const companies = await listEnterprisesOf(ctx.db, actor.userId);
  const rows = await repo.listApplications(ctx.db, {
    applicantId: actor.userId,
    enterpriseIds: companies.map((c) => c.id),
    ...(options.includeDrafts ? {} : { excludeStatuses: ['draft'] }),
    limit: Math.min(options.limit ?? 50, 200),
    offset: options.offset ?? 0,
  });
  // A colleague's draft is theirs alone.
  const now = ctx.clock.now();
  return rows.filter((r) => r.status !== 'draft' || r.applicantId === actor.userId).map((r) => summary(r, now));
}

// --- workflow actions --------------------------------------------------------------------------------

export interface ActionInput {
  action: string;
  comment?: string | null | undefined;
  /** request_correction: every missing or wrong item, in one notice (一次性告知). */
  items?: CorrectionItem[] | undefined;
  /** The version the actor saw; a change since then is a conflict. */
  expectedVersion?: number | undefined;
}

function checkCorrectionItems(raw: unknown, comment: string | null): CorrectionItem[] {
  if (raw === undefined || raw === null) return comment ? [{ reason: comment }] : [];
  if (!Array.isArray(raw) || raw.length > 50) throw new ValidationError({ items: 'cases.error.items' });
  return raw.map((it, i) => {
    if (typeof it !== 'object' || it === null) throw new ValidationError({ [`items.${i}`]: 'cases.error.items' });
    const o = it as Record<string, unknown>;
    const field = checkText(o.field, `items.${i}.field`, 100, false);
    const material = checkText(o.material, `items.${i}.material`, 100, false);
    const reason = checkText(o.reason, `items.${i}.reason`, 500, true) ?? '';
    return { ...(field ? { field } : {}), ...(material ? { material } : {}), reason };
  });
}

/**
 * A member of staff takes a workflow action. 403 when their role may never take it, 409 when the
 * application has moved on (another person acted first: the update matches only the version read).
 */
export async function takeAction(
  ctx: AppContext,
  actor: Actor,
  id: string,
  input: ActionInput,
  meta: { ip?: string | null } = {},
): Promise<{ status: CaseStatus; version: number }> {
  if (actor.kind !== 'staff') throw new ForbiddenError('Only staff take workflow actions');
  const { row } = await visibleApplication(ctx, ctx.db, actor, id);
  const item = await itemOf(ctx, ctx.db, row);
  const comment = checkText(input.comment, 'comment', 2000, false);
  if (typeof input.action !== 'string' || input.action.length > 60) throw new ValidationError({ action: 'cases.error.unknownAction' });
  const def = item.content.workflowDefinition;
  const t = transition(def, row.status, input.action, workflowRolesOf(actor.roles), comment);
  const deny = async (reason: string) =>
    recordAudit(ctx.db, {
      ...actorFields(actor),
      action: `cases.action.${input.action}`,
      resourceType: 'application',
      resourceId: row.id,
      outcome: 'denied',
      detail: { reason, status: row.status },
      ip: meta.ip ?? null,
    });
  if (!t.ok) {
    if (t.reason === 'unknown_action') throw new ValidationError({ action: 'cases.error.unknownAction' });
    if (t.reason === 'forbidden') {
      await deny('role');
      throw new ForbiddenError('Your role may not take this action');
    }
    if (t.reason === 'wrong_state') throw new ConflictError(`The application is ${row.status}; it has moved on`, { currentStatus: row.status });
    throw new ValidationError({ comment: 'cases.error.reasonRequired' });
  }
  if (input.expectedVersion !== undefined && input.expectedVersion !== row.version)
    throw new ConflictError('The application changed since you opened it', { currentStatus: row.status });
  if (t.to === 'accepted' && row.feeFen > 0 && row.paidAt === null) {
    await deny('unpaid');
    throw new ConflictError('The fee has not been paid yet; the application cannot be accepted', { reason: 'payment_required', currentStatus: row.status });
  }
  const items = t.to === 'correction_requested' ? checkCorrectionItems(input.items, comment) : [];
  const calendar = await loadCalendar(ctx.db);
  return ctx.db.transaction(async (tx) => {
    const next = await applyTransition(
      ctx,
      tx,
      row,
      item,
      { name: t.action.name, to: t.to as CaseStatus },
      timelineActor(actor, row),
      comment,
      items,
      calendar,
    );
    if (!next) throw new ConflictError('Someone else acted on this application first', { currentStatus: (await repo.findApplication(tx, row.id))?.status });
    await recordAudit(tx, {
      ...actorFields(actor),
      action: `cases.action.${t.action.name}`,
      resourceType: 'application',
      resourceId: row.id,
      outcome: 'ok',
      detail: { from: row.status, to: t.to, ...(comment ? { comment } : {}), ...(items.length ? { items: items.length } : {}) },
      ip: meta.ip ?? null,
    });
    const final = t.to === 'submitted' || t.to === 'accepted' ? await runAutoDecisions(ctx, tx, next, item) : next;
    return { status: final.status, version: final.version };
  });
}

/**
 * Moves the application (only from the version read) and does what the new state implies: clock
 * pause or resume, timeline, notices, refund, completion event. Returns undefined when someone else
 * changed it first.
 */
async function applyTransition(
  ctx: AppContext,
  tx: Tx,
  row: ApplicationRow,
  item: CatalogItem,
  action: { name: string; to: CaseStatus },
  who: TimelineActor,
  comment: string | null,
  items: CorrectionItem[],
  calendar: Awaited<ReturnType<typeof loadCalendar>>,
  extra: Partial<repo.NewApplication> = {},
): Promise<ApplicationRow | undefined> {
  const now = ctx.clock.now();
  const patch: Partial<repo.NewApplication> = { status: action.to, updatedAt: now, ...extra };
  const def = item.content.workflowDefinition;
  const pausing = def.states[action.to]?.pausesClock === true && row.pausedAt === null;
  const resuming = row.pausedAt !== null && def.states[action.to]?.pausesClock !== true;
  if (pausing) Object.assign(patch, { pausedAt: now, slaGeneration: row.slaGeneration + 1, correction: items });
  if (resuming && row.pausedAt && row.promisedBy && row.legalBy) {
    const c = resumeClock(calendar, { promisedBy: row.promisedBy, legalBy: row.legalBy, warnAt: row.warnAt ?? row.promisedBy }, row.pausedAt, now);
    Object.assign(patch, {
      pausedAt: null,
      promisedBy: c.promisedBy,
      legalBy: c.legalBy,
      warnAt: c.warnAt,
      slaGeneration: row.slaGeneration + 1,
      correction: null,
    });
  }
  if (['approved', 'rejected', 'refused'].includes(action.to)) patch.decidedAt = now;
  if (action.to === 'completed') patch.completedAt = now;
  const next = await repo.updateIfVersion(tx, row.id, row.version, patch);
  if (!next) return undefined;
  await repo.insertTimeline(tx, {
    applicationId: row.id,
    at: now,
    status: action.to,
    action: action.name,
    actorKind: who.kind,
    actorId: who.id,
    actorDisplay: who.display,
    note: comment,
    detail: items.length ? { items } : null,
  });
  const locale = (await localeOf(tx, row.applicantId)).locale;
  const label = def.states[action.to] ? (locale === 'en' ? def.states[action.to]!.labelEn : def.states[action.to]!.labelZh) : action.to;
  if (action.to === 'accepted') await noticeToApplicant(ctx, tx, next, item, 'cases-accepted', { promisedBy: formatTime(next.promisedBy ?? now) });
  if (action.to === 'correction_requested')
    await noticeToApplicant(ctx, tx, next, item, 'cases-correction', {
      items: items.map((it, i) => `${i + 1}. ${it.field ?? it.material ?? ''} ${it.reason}`.trim()).join('\n'),
    });
  if (['approved', 'rejected', 'refused'].includes(action.to))
    await noticeToApplicant(ctx, tx, next, item, 'cases-decision', { status: label, reason: comment ?? '' });
  // A refusal (不予受理) or a withdrawal gives the fee back; a rejection after review does not (the service was
  // performed). The refund runs as a job once this commits, outside this transaction.
  if ((action.to === 'refused' || action.to === 'withdrawn') && next.paymentId && next.paidAt)
    await ctx.jobs.send(refundQueue, { applicationId: next.id, reason: comment ?? action.name }, { executor: tx, singletonKey: `refund:${next.id}` });
  if (action.to === 'completed') await ctx.outbox.emit(tx, completedEvent, { applicationId: next.id });
  return next;
}

/** The system's own decisions (auto-decision rules), each step audited and on the timeline as 'system'. */
async function runAutoDecisions(ctx: AppContext, tx: Tx, row: ApplicationRow, item: CatalogItem): Promise<ApplicationRow> {
  // A fee is paid before anything is accepted; the rules run again when the payment arrives.
  if (row.feeFen > 0 && row.paidAt === null) return row;
  const plan = planAutoDecision(item.content.workflowDefinition, row.status, row.data, await systemFacts(ctx, tx, row, item));
  if (!plan) return row;
  const calendar = await loadCalendar(tx);
  let current = row;
  for (const step of plan.steps) {
    const note = `${plan.rule.descriptionZh}`;
    const next = await applyTransition(ctx, tx, current, item, { name: step.action, to: step.to as CaseStatus }, systemActor, note, [], calendar);
    if (!next) break;
    await recordAudit(tx, {
      actorType: 'system',
      action: `cases.action.${step.action}`,
      resourceType: 'application',
      resourceId: row.id,
      outcome: 'ok',
      detail: { from: step.from, to: step.to, rule: plan.rule.id, decidedBy: 'system' },
    });
    current = next;
  }
  return current;
}

/** The applicant withdraws (before a decision). */
export async function withdrawApplication(ctx: AppContext, actor: Actor, id: string, input: { comment?: string | null } = {}): Promise<{ status: CaseStatus }> {
  const { row, side } = await visibleApplication(ctx, ctx.db, actor, id);
  if (side !== 'applicant') throw new ForbiddenError('Only the applicant withdraws');
  const comment = checkText(input.comment, 'comment', 2000, false);
  const item = await itemOf(ctx, ctx.db, row);
  const t = transition(item.content.workflowDefinition, row.status, 'withdraw', ['applicant'], comment);
  if (!t.ok) throw new ConflictError(`The application is ${row.status} and can no longer be withdrawn`, { currentStatus: row.status });
  const calendar = await loadCalendar(ctx.db);
  return ctx.db.transaction(async (tx) => {
    const next = await applyTransition(ctx, tx, row, item, { name: 'withdraw', to: t.to as CaseStatus }, timelineActor(actor, row), comment, [], calendar);
    if (!next) throw new ConflictError('The application changed meanwhile');
    await recordAudit(tx, {
      ...actorFields(actor),
      action: 'cases.withdraw',
      resourceType: 'application',
      resourceId: row.id,
      outcome: 'ok',
      detail: { from: row.status },
    });
    return { status: next.status };
  });
}

/** The applicant resubmits after a correction request with the corrected answers; the clock resumes. */
export async function resubmitApplication(
  ctx: AppContext,
  actor: Actor,
  id: string,
  input: { data: unknown; comment?: string | null },
): Promise<{ status: CaseStatus }> {
  const { row, side } = await visibleApplication(ctx, ctx.db, actor, id);
  if (side !== 'applicant') throw new ForbiddenError('Only the applicant resubmits');
  const item = await itemOf(ctx, ctx.db, row);
  const t = transition(item.content.workflowDefinition, row.status, 'resubmit', ['applicant']);
  if (!t.ok) throw new ConflictError(`The application is ${row.status}; there is nothing to correct`, { currentStatus: row.status });
  const merged =
    typeof input.data === 'object' && input.data !== null && !Array.isArray(input.data)
      ? { ...row.data, ...(input.data as Record<string, unknown>) }
      : input.data;
  const checked = validateFormData(item.content.formDefinition, merged);
  if (!checked.ok) throw new ValidationError(prefixed(checked.errors), 'The form has errors');
  const fileErrors = await checkFiles(ctx, actor, item, checked.value);
  if (Object.keys(fileErrors).length) throw new ValidationError(prefixed(fileErrors), 'The form has errors');
  const comment = checkText(input.comment, 'comment', 2000, false);
  const calendar = await loadCalendar(ctx.db);
  return ctx.db.transaction(async (tx) => {
    const next = await applyTransition(ctx, tx, row, item, { name: 'resubmit', to: t.to as CaseStatus }, timelineActor(actor, row), comment, [], calendar, {
      data: checked.value,
    });
    if (!next) throw new ConflictError('The application changed meanwhile');
    for (const f of fileFields(item.content.formDefinition)) {
      const fileId = checked.value[f.name];
      if (typeof fileId === 'string') await repo.insertMaterial(tx, { applicationId: row.id, fileId, material: f.ui.material ?? f.name, field: f.name });
    }
    await recordAudit(tx, { ...actorFields(actor), action: 'cases.resubmit', resourceType: 'application', resourceId: row.id, outcome: 'ok' });
    const final = await runAutoDecisions(ctx, tx, next, item);
    return { status: final.status };
  });
}

// --- payment -----------------------------------------------------------------------------------------

/** Opens (or returns) the payment of the application's fee; the applicant pays on the provider's page. */
export async function startPayment(ctx: AppContext, actor: Actor, id: string): Promise<{ paymentId: string; payUrl: string; amountFen: number }> {
  const { row, side } = await visibleApplication(ctx, ctx.db, actor, id);
  if (side !== 'applicant') throw new ForbiddenError('Only the applicant pays');
  if (row.feeFen <= 0) throw new ConflictError('This service is free', { reason: 'no_fee' });
  if (row.paidAt) throw new ConflictError('The fee is already paid', { reason: 'already_paid' });
  if (['draft', 'refused', 'rejected', 'completed', 'withdrawn'].includes(row.status))
    throw new ConflictError(`The application is ${row.status}`, { currentStatus: row.status });
  const item = await itemOf(ctx, ctx.db, row);
  const opened = await ctx.payments.createPayment({
    orderRef: row.id,
    amountFen: row.feeFen,
    descriptionZh: `${item.content.nameZh}（${row.receiptNo ?? ''}）`.slice(0, 200),
    descriptionEn: `${item.content.nameEn} (${row.receiptNo ?? ''})`.slice(0, 200),
    payerUserId: actor.userId,
    returnUrl: `/applications/${row.id}`,
  });
  await recordAudit(ctx.db, {
    ...actorFields(actor),
    action: 'cases.payment.start',
    resourceType: 'application',
    resourceId: row.id,
    outcome: 'ok',
    detail: { paymentId: opened.paymentId },
  });
  return { ...opened, amountFen: row.feeFen };
}

/**
 * The outbox handler of 'payment.paid': marks the application paid (once) and lets the system's rules
 * accept it. Runs in the dispatcher's transaction, so a crash before it commits simply runs it again.
 */
export async function onPaymentPaid(ctx: AppContext, tx: Tx, payload: { paymentId?: unknown; orderRef?: unknown; amountFen?: unknown }): Promise<void> {
  if (typeof payload.orderRef !== 'string' || !uuidPattern.test(payload.orderRef) || typeof payload.paymentId !== 'string') return;
  const row = await repo.findApplication(tx, payload.orderRef);
  if (!row || row.paidAt) return;
  const now = ctx.clock.now();
  const paid = await repo.updateApplication(tx, row.id, { paidAt: now, paymentId: payload.paymentId, updatedAt: now }, repo.notPaid());
  if (!paid) return;
  await repo.insertTimeline(tx, {
    applicationId: row.id,
    at: now,
    status: paid.status,
    action: 'paid',
    actorKind: 'system',
    actorDisplay: 'system',
    detail: { amountFen: typeof payload.amountFen === 'number' ? payload.amountFen : paid.feeFen },
    dedupeKey: 'payment:paid',
  });
  await recordAudit(tx, {
    actorType: 'system',
    action: 'cases.paid',
    resourceType: 'application',
    resourceId: row.id,
    outcome: 'ok',
    detail: { paymentId: payload.paymentId },
  });
  const item = await itemOf(ctx, tx, paid);
  if (['refused', 'withdrawn'].includes(paid.status)) {
    // Paid after it ended: give it back.
    await ctx.jobs.send(
      refundQueue,
      { applicationId: paid.id, reason: 'application closed before payment' },
      { executor: tx, singletonKey: `refund:${paid.id}` },
    );
    return;
  }
  await runAutoDecisions(ctx, tx, paid, item);
}

/** The refund job: asks the payment port to refund the application's paid fee (idempotent there). */
export async function refundApplication(ctx: AppContext, applicationId: string, reason: string): Promise<void> {
  const row = await repo.findApplication(ctx.db, applicationId);
  if (!row?.paymentId) return;
  const payment = await ctx.payments.getPayment(row.paymentId);
  if (!payment || payment.status !== 'paid' || payment.refundRequested) return;
  await ctx.payments.refund(row.paymentId, reason.slice(0, 500) || 'refund');
}

export async function onPaymentRefunded(ctx: AppContext, tx: Tx, payload: { orderRef?: unknown; amountFen?: unknown }): Promise<void> {
  if (typeof payload.orderRef !== 'string' || !uuidPattern.test(payload.orderRef)) return;
  const row = await repo.findApplication(tx, payload.orderRef);
  if (!row) return;
  await repo.insertTimeline(tx, {
    applicationId: row.id,
    at: ctx.clock.now(),
    status: row.status,
    action: 'refunded',
    actorKind: 'system',
    actorDisplay: 'system',
    detail: { amountFen: typeof payload.amountFen === 'number' ? payload.amountFen : row.feeFen },
    dedupeKey: 'payment:refunded',
  });
}

// --- delivery ----------------------------------------------------------------------------------------

/** The applicant changes how the result reaches them (before it is on its way). */
export async function setDelivery(ctx: AppContext, actor: Actor, id: string, raw: unknown): Promise<DeliveryChoice> {
  const { row, side } = await visibleApplication(ctx, ctx.db, actor, id);
  if (side !== 'applicant') throw new ForbiddenError('Only the applicant chooses the delivery');
  if (['refused', 'rejected', 'completed', 'withdrawn', 'approved'].includes(row.status))
    throw new ConflictError(`The application is ${row.status}`, { currentStatus: row.status });
  const item = await itemOf(ctx, ctx.db, row);
  const user = await getUserById(ctx.db, actor.userId);
  const delivery = checkDelivery(raw, item.content.deliveryOptions, { name: actor.realName, phone: user?.phone ?? null });
  await ctx.db.transaction(async (tx) => {
    await repo.updateApplication(tx, row.id, { delivery, updatedAt: ctx.clock.now() });
    await recordAudit(tx, {
      ...actorFields(actor),
      action: 'cases.delivery',
      resourceType: 'application',
      resourceId: row.id,
      outcome: 'ok',
      detail: { method: delivery.method },
    });
  });
  return delivery;
}

/** Outbox handler of the completion event: one shipment per application sent by courier. */
export async function onApplicationCompleted(ctx: AppContext, tx: Tx, payload: { applicationId?: unknown }): Promise<void> {
  if (typeof payload.applicationId !== 'string') return;
  const row = await repo.findApplication(tx, payload.applicationId);
  if (!row || row.delivery?.method !== 'courier' || row.status !== 'completed') return;
  const item = await itemOf(ctx, tx, row);
  await ctx.delivery.createShipment(
    {
      orderRef: row.id,
      recipientName: row.delivery.recipientName,
      phone: row.delivery.phone,
      address: row.delivery.address,
      itemDescription: `${item.content.nameZh} ${row.receiptNo ?? ''}`.trim().slice(0, 100),
    },
    tx,
  );
}

const shipmentNotices: Record<string, string> = { created: 'cases-shipped', delivered: 'cases-delivered' };

/** Outbox handler of 'shipment.status_changed': one timeline entry per status, whatever arrives twice. */
export async function onShipmentStatus(ctx: AppContext, tx: Tx, payload: { orderRef?: unknown; status?: unknown; trackingNo?: unknown }): Promise<void> {
  if (typeof payload.orderRef !== 'string' || !uuidPattern.test(payload.orderRef) || typeof payload.status !== 'string') return;
  const row = await repo.findApplication(tx, payload.orderRef);
  if (!row) return;
  const trackingNo = typeof payload.trackingNo === 'string' ? payload.trackingNo : '';
  const added = await repo.insertTimeline(tx, {
    applicationId: row.id,
    at: ctx.clock.now(),
    status: row.status,
    action: `shipment.${payload.status}`,
    actorKind: 'system',
    actorDisplay: 'courier',
    detail: { trackingNo, shipmentStatus: payload.status },
    dedupeKey: `shipment:${trackingNo}:${payload.status}`,
  });
  const template = shipmentNotices[payload.status];
  if (added && template) await noticeToApplicant(ctx, tx, row, await itemOf(ctx, tx, row), template, { trackingNo });
}

/** Shipments of an application (tracking for the applicant and staff). */
export async function listShipments(ctx: AppContext, actor: Actor, id: string) {
  const { row } = await visibleApplication(ctx, ctx.db, actor, id);
  const list = await ctx.delivery.listForOrder(row.id);
  return list.map((s) => ({
    trackingNo: s.trackingNo,
    status: s.status,
    provider: s.provider,
    events: s.events.map((e) => ({ status: e.status, at: e.at, note: e.locationNote })),
  }));
}

// --- materials ---------------------------------------------------------------------------------------

/** Links an uploaded file (the applicant's own) to an application as a material. */
export async function attachMaterial(
  ctx: AppContext,
  actor: Actor,
  id: string,
  input: { fileId: string; material: string; field?: string | null },
): Promise<void> {
  const { row, side } = await visibleApplication(ctx, ctx.db, actor, id);
  if (side !== 'applicant') throw new ForbiddenError('Only the applicant adds materials');
  if (!['submitted', 'correction_requested', 'accepted', 'under_review', 'draft'].includes(row.status))
    throw new ConflictError(`The application is ${row.status}`);
  const material = checkText(input.material, 'material', 100, true) ?? '';
  const file = uuidPattern.test(input.fileId) ? await ctx.files.find(input.fileId) : null;
  if (!file || !(await ctx.files.mayRead(actor, file))) throw new ValidationError({ fileId: 'cases.form.file' });
  await ctx.db.transaction(async (tx) => {
    await repo.insertMaterial(tx, { applicationId: row.id, fileId: file.id, material, field: input.field ?? null });
    await recordAudit(tx, {
      ...actorFields(actor),
      action: 'cases.material',
      resourceType: 'application',
      resourceId: row.id,
      outcome: 'ok',
      detail: { fileId: file.id, material },
    });
  });
}

/** File policy: staff of the handling department may read an application's materials. */
export async function staffMayReadMaterial(ctx: AppContext, actor: Actor, fileId: string): Promise<boolean> {
  if (actor.kind !== 'staff') return false;
  for (const link of await repo.isMaterialOf(ctx.db, fileId)) {
    const row = await repo.findApplication(ctx.db, link.applicationId);
    if (row && isStaffOf(actor, row)) return true;
  }
  return false;
}

// --- rating ------------------------------------------------------------------------------------------

/** 好差评: once per completed application; 1 or 2 opens a follow-up for the department (15 working days). */
export async function rateApplication(
  ctx: AppContext,
  actor: Actor,
  id: string,
  input: { rating: unknown; comment?: unknown },
): Promise<{ rating: number; followUp: boolean }> {
  const { row, side } = await visibleApplication(ctx, ctx.db, actor, id);
  if (side !== 'applicant') throw new ForbiddenError('Only the applicant rates');
  if (typeof input.rating !== 'number' || !Number.isInteger(input.rating) || input.rating < 1 || input.rating > 5)
    throw new ValidationError({ rating: 'cases.error.rating' });
  const rating = input.rating;
  const comment = checkText(input.comment, 'comment', 1000, rating <= 2);
  if (row.status !== 'completed') throw new ConflictError('Only a completed application can be rated', { currentStatus: row.status });
  const calendar = await loadCalendar(ctx.db);
  return ctx.db.transaction(async (tx) => {
    const now = ctx.clock.now();
    const rated = await repo.updateApplication(tx, row.id, { rating, ratingComment: comment, ratedAt: now }, repo.notRated());
    if (!rated) throw new ConflictError('This application has already been rated', { reason: 'already_rated' });
    let followUp = false;
    if (rating <= 2)
      followUp = await repo.insertFollowUp(tx, {
        applicationId: row.id,
        departmentCode: row.departmentCode,
        rating,
        comment,
        dueAt: followUpDue(calendar, now),
        createdAt: now,
      });
    await recordAudit(tx, {
      ...actorFields(actor),
      action: 'cases.rate',
      resourceType: 'application',
      resourceId: row.id,
      outcome: 'ok',
      detail: { rating, followUp },
    });
    return { rating, followUp };
  });
}

export interface FollowUpView {
  id: string;
  applicationId: string;
  rating: number;
  comment: string | null;
  status: 'open' | 'closed';
  dueAt: Date;
  createdAt: Date;
}

export async function listFollowUps(ctx: AppContext, actor: Actor, status?: 'open' | 'closed'): Promise<FollowUpView[]> {
  if (actor.kind !== 'staff' || !actor.departmentCode) return [];
  const rows = await repo.listFollowUps(ctx.db, actor.departmentCode, status);
  return rows.map((r) => ({
    id: r.id,
    applicationId: r.applicationId,
    rating: r.rating,
    comment: r.comment,
    status: r.status,
    dueAt: r.dueAt,
    createdAt: r.createdAt,
  }));
}

export async function closeFollowUp(ctx: AppContext, actor: Actor, id: string): Promise<boolean> {
  if (actor.kind !== 'staff' || !actor.departmentCode || !uuidPattern.test(id)) return false;
  return ctx.db.transaction(async (tx) => {
    const ok = await repo.closeFollowUp(tx, id, actor.departmentCode ?? '', ctx.clock.now());
    if (ok) await recordAudit(tx, { ...actorFields(actor), action: 'cases.followup.close', resourceType: 'follow_up', resourceId: id, outcome: 'ok' });
    return ok;
  });
}

// --- public status check -----------------------------------------------------------------------------

export interface PublicStatus {
  receiptNo: string;
  serviceCode: string;
  itemName: { zh: string; en: string };
  status: CaseStatus;
  submittedAt: Date | null;
  promisedBy: Date | null;
  completedAt: Date | null;
  updatedAt: Date;
}

/** Status by receipt number and the last four digits of the phone: no personal data in the answer. */
export async function lookupStatus(ctx: AppContext, receiptNo: string, phoneLast4: string): Promise<PublicStatus | null> {
  if (typeof receiptNo !== 'string' || typeof phoneLast4 !== 'string') return null;
  const r = receiptNo.trim();
  if (!isValidReceiptNo(r) || !/^\d{4}$/.test(phoneLast4.trim())) return null;
  const row = await repo.findByReceipt(ctx.db, r);
  if (!row || row.status === 'draft' || row.phoneLast4 !== phoneLast4.trim()) return null;
  const item = await itemOf(ctx, ctx.db, row);
  return {
    receiptNo: r,
    serviceCode: row.serviceCode,
    itemName: { zh: item.content.nameZh, en: item.content.nameEn },
    status: row.status,
    submittedAt: row.submittedAt,
    promisedBy: row.promisedBy,
    completedAt: row.completedAt,
    updatedAt: row.updatedAt,
  };
}

// --- staff queue -------------------------------------------------------------------------------------

export interface QueueFilter {
  status?: CaseStatus | undefined;
  serviceCode?: string | undefined;
  overdue?: boolean | undefined;
  mine?: boolean | undefined;
  limit?: number | undefined;
  offset?: number | undefined;
}

/** The department's applications, soonest deadline first. */
export async function listQueue(ctx: AppContext, actor: Actor, filter: QueueFilter = {}): Promise<ApplicationSummary[]> {
  if (actor.kind !== 'staff' || !actor.departmentCode) throw new ForbiddenError('Staff of a department only');
  const now = ctx.clock.now();
  const rows = await repo.listApplications(ctx.db, {
    departmentCode: actor.departmentCode,
    ...(filter.status && caseStatuses.includes(filter.status) ? { statuses: [filter.status] } : {}),
    excludeStatuses: ['draft'],
    ...(filter.serviceCode ? { serviceCode: filter.serviceCode } : {}),
    ...(filter.mine ? { assignedTo: actor.userId } : {}),
    ...(filter.overdue ? { overdueAt: now } : {}),
    limit: Math.min(Math.max(filter.limit ?? 50, 1), 200),
    offset: Math.max(filter.offset ?? 0, 0),
  });
  return rows.map((r) => summary(r, now));
}

/** Takes an application to handle; one already taken by someone else is a conflict (dept_admin reassigns). */
export async function claimApplication(ctx: AppContext, actor: Actor, id: string): Promise<void> {
  const { row, side } = await visibleApplication(ctx, ctx.db, actor, id);
  if (side !== 'staff') throw new ForbiddenError('Staff only');
  await ctx.db.transaction(async (tx) => {
    const claimed = await repo.updateApplication(
      tx,
      row.id,
      { assignedTo: actor.userId, assignedName: actor.realName, updatedAt: ctx.clock.now() },
      repo.unassignedOr(actor.userId),
    );
    if (!claimed) throw new ConflictError('Someone else is handling this application', { assignedTo: row.assignedName });
    await recordAudit(tx, { ...actorFields(actor), action: 'cases.claim', resourceType: 'application', resourceId: row.id, outcome: 'ok' });
  });
}

/** A department admin assigns an application to a member of staff of the department. */
export async function assignApplication(ctx: AppContext, actor: Actor, id: string, staffUserId: string): Promise<void> {
  const { row, side } = await visibleApplication(ctx, ctx.db, actor, id);
  if (side !== 'staff' || !(actor.roles.includes('dept_admin') || actor.roles.includes('platform_admin'))) {
    await recordAudit(ctx.db, { ...actorFields(actor), action: 'cases.assign', resourceType: 'application', resourceId: row.id, outcome: 'denied' });
    throw new ForbiddenError('Only a department admin assigns');
  }
  const target = await getUserById(ctx.db, staffUserId);
  if (!target || target.kind !== 'staff' || target.disabled || target.departmentCode !== row.departmentCode)
    throw new ValidationError({ staffUserId: 'cases.error.staff' });
  await ctx.db.transaction(async (tx) => {
    await repo.updateApplication(tx, row.id, { assignedTo: target.id, assignedName: target.realName, updatedAt: ctx.clock.now() });
    await recordAudit(tx, {
      ...actorFields(actor),
      action: 'cases.assign',
      resourceType: 'application',
      resourceId: row.id,
      outcome: 'ok',
      detail: { to: target.id },
    });
  });
}

/** Staff of a department who may be assigned applications (for the assign control). */
export async function listAssignableStaff(ctx: AppContext, actor: Actor): Promise<{ id: string; realName: string }[]> {
  if (actor.kind !== 'staff' || !actor.departmentCode) return [];
  return listStaffOf(ctx.db, actor.departmentCode, ['clerk', 'reviewer', 'approver', 'dept_admin']);
}

export async function addInternalNote(ctx: AppContext, actor: Actor, id: string, body: unknown): Promise<void> {
  const { row, side } = await visibleApplication(ctx, ctx.db, actor, id);
  if (side !== 'staff') throw new ForbiddenError('Staff only');
  const text = checkText(body, 'body', 2000, true) ?? '';
  await ctx.db.transaction(async (tx) => {
    await repo.insertNote(tx, { applicationId: row.id, at: ctx.clock.now(), authorId: actor.userId, authorName: actor.realName, body: text });
    await recordAudit(tx, { ...actorFields(actor), action: 'cases.note', resourceType: 'application', resourceId: row.id, outcome: 'ok' });
  });
}

/** A comment the applicant sees on the timeline (no change of state). */
export async function addPublicComment(ctx: AppContext, actor: Actor, id: string, body: unknown): Promise<void> {
  const { row, side } = await visibleApplication(ctx, ctx.db, actor, id);
  if (side !== 'staff') throw new ForbiddenError('Staff only');
  const text = checkText(body, 'body', 2000, true) ?? '';
  await ctx.db.transaction(async (tx) => {
    await repo.insertTimeline(tx, {
      applicationId: row.id,
      at: ctx.clock.now(),
      status: row.status,
      action: 'comment',
      actorKind: 'staff',
      actorId: actor.userId,
      actorDisplay: actor.realName,
      note: text,
    });
    await recordAudit(tx, { ...actorFields(actor), action: 'cases.comment', resourceType: 'application', resourceId: row.id, outcome: 'ok' });
  });
}

// --- holiday calendar --------------------------------------------------------------------------------

export interface CalendarDayView {
  date: string;
  kind: 'holiday' | 'workday';
  name: string;
}

export async function listCalendar(ctx: AppContext): Promise<CalendarDayView[]> {
  return (await repo.listCalendarDays(ctx.db)).map((d) => ({ date: d.date, kind: d.kind, name: d.name }));
}

function checkDate(date: string): string {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(date) || Number.isNaN(Date.parse(`${date}T00:00:00Z`)) || new Date(`${date}T00:00:00Z`).toISOString().slice(0, 10) !== date)
    throw new ValidationError({ date: 'cases.error.date' });
  return date;
}

/** A platform admin marks a date as a holiday or a make-up working day. */
export async function setCalendarDay(ctx: AppContext, actor: Actor, date: string, input: { kind: unknown; name: unknown }): Promise<CalendarDayView> {
  if (!actor.roles.includes('platform_admin')) throw new ForbiddenError('Platform admins only');
  const d = checkDate(date);
  if (input.kind !== 'holiday' && input.kind !== 'workday') throw new ValidationError({ kind: 'cases.error.dayKind' });
  const name = checkText(input.name, 'name', 50, true) ?? '';
  const day: CalendarDayView = { date: d, kind: input.kind, name };
  await ctx.db.transaction(async (tx) => {
    await repo.upsertCalendarDay(tx, day);
    await recordAudit(tx, {
      ...actorFields(actor),
      action: 'cases.calendar.set',
      resourceType: 'calendar_day',
      resourceId: d,
      outcome: 'ok',
      detail: { kind: day.kind, name },
    });
  });
  forgetCalendar();
  return day;
}

export async function deleteCalendarDay(ctx: AppContext, actor: Actor, date: string): Promise<boolean> {
  if (!actor.roles.includes('platform_admin')) throw new ForbiddenError('Platform admins only');
  const d = checkDate(date);
  const removed = await ctx.db.transaction(async (tx) => {
    const ok = await repo.deleteCalendarDay(tx, d);
    if (ok) await recordAudit(tx, { ...actorFields(actor), action: 'cases.calendar.delete', resourceType: 'calendar_day', resourceId: d, outcome: 'ok' });
    return ok;
  });
  forgetCalendar();
  return removed;
}

/** Seeds the holiday calendar once (existing rows, possibly edited, are kept). */
export async function seedCalendar(ctx: AppContext): Promise<void> {
  await repo.insertCalendarDaysIfAbsent(ctx.db, calendarSeed());
  forgetCalendar();
}

export type { WorkflowActor };
