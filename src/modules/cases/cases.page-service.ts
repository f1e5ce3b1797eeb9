import type { Actor } from '../../platform/auth/actor.js';
import { actorFields, recordAudit } from '../../platform/audit/audit.js';
import { workingMinutesBetween } from '../../platform/calendar/working-time.js';
import type { AppContext } from '../../platform/context.js';
import type { Db, Executor } from '../../platform/db/db.js';
import type { Locale } from '../../platform/i18n/i18n.js';
import type { PaymentView } from '../../platform/payments/index.js';
import type { ShipmentView } from '../../platform/delivery/index.js';
import {
  findServices,
  getCurrentItem,
  getItemVersion,
  listDepartments,
  type ApplicantKind,
  type CatalogItem,
  type DeliveryOption,
  type FormDefinition,
  type Material,
  type WorkflowDefinition,
} from '../catalog/index.js';
import { dataProducts, parsePrefillSource, prefillFor } from '../exchange/index.js';
import { getUserById } from '../identity/index.js';
import * as repo from './cases.repository.js';
import type { ApplicationRow } from './cases.repository.js';
import type { CaseStatus, CorrectionItem, DeliveryChoice } from './cases.schema.js';
import { loadCalendar } from './cases.sla.js';
import { isFinal } from './cases.workflow.js';
import * as service from './cases.service.js';
import { ConflictError, ForbiddenError, ValidationError } from '../../platform/http/errors.js';

/**
 * What the application pages need beyond the case service: drafts and their answers (a page concept:
 * the API submits in one go), view-ready loads of an application with its item version, the staff queue
 * with SLA countdowns, and the file policy that lets the handling department read uploaded materials.
 * State changes of a submitted application go through cases.service.ts.
 */

/** The purpose of uploads that are an application's materials (the API's uploads use the same). */
export const materialPurpose = 'application';
const draftDays = 30;

type Named = (locale: Locale) => string;
const named =
  (zh: string, en: string): Named =>
  (locale) =>
    locale === 'zh-CN' ? zh : en;

/** An application with what its pages need from its item version. */
export interface OwnApplication {
  id: string;
  serviceCode: string;
  itemVersion: number;
  departmentCode: string;
  applicantId: string;
  actingForEnterpriseId: string | null;
  actingForName: string | null;
  actingForUscc: string | null;
  status: CaseStatus;
  version: number;
  receiptNo: string | null;
  data: Record<string, unknown>;
  delivery: DeliveryChoice | null;
  feeFen: number;
  paymentId: string | null;
  paidAt: Date | null;
  promisedBy: Date | null;
  submittedAt: Date | null;
  updatedAt: Date;
  correction: CorrectionItem[] | null;
  correctionNote: string | null;
  rating: number | null;
  ratingComment: string | null;
  ratedAt: Date | null;
  assignedTo: string | null;
  assignedName: string | null;
  form: FormDefinition;
  workflow: WorkflowDefinition;
  materials: Material[];
  deliveryOptions: DeliveryOption[];
  serviceName: Named;
  statusLabel: Named;
  final: boolean;
}

export interface StaffApplication extends OwnApplication {
  applicantDisplay: string;
  /** Working minutes to the promised date (negative when overdue); null when the clock does not run. */
  slaMinutesLeft: number | null;
}

/* ---------- loading ---------- */

const itemCache = new Map<string, CatalogItem>();

/** Item versions never change, so a version once read is kept. */
async function itemVersion(ex: Executor, code: string, version: number): Promise<CatalogItem | null> {
  const key = `${code}@${version}`;
  const hit = itemCache.get(key);
  if (hit) return hit;
  const item = await getItemVersion(ex, code, version);
  if (item) itemCache.set(key, item);
  return item;
}

async function present(ex: Executor, row: ApplicationRow): Promise<OwnApplication | null> {
  const item = await itemVersion(ex, row.serviceCode, row.itemVersion);
  if (!item) return null;
  const c = item.content;
  const state = c.workflowDefinition.states[row.status];
  const timeline = row.status === 'correction_requested' ? await repo.listTimeline(ex, row.id) : [];
  const lastCorrection = [...timeline].reverse().find((e) => e.status === 'correction_requested');
  return {
    id: row.id,
    serviceCode: row.serviceCode,
    itemVersion: row.itemVersion,
    departmentCode: row.departmentCode,
    applicantId: row.applicantId,
    actingForEnterpriseId: row.actingForEnterpriseId,
    actingForName: row.actingForName,
    actingForUscc: row.actingForUscc,
    status: row.status,
    version: row.version,
    receiptNo: row.receiptNo,
    data: row.data,
    delivery: row.delivery ?? null,
    feeFen: row.feeFen,
    paymentId: row.paymentId,
    paidAt: row.paidAt,
    promisedBy: row.promisedBy,
    submittedAt: row.submittedAt,
    updatedAt: row.updatedAt,
    correction: row.correction ?? null,
    correctionNote: lastCorrection?.note ?? null,
    rating: row.rating,
    ratingComment: row.ratingComment,
    ratedAt: row.ratedAt,
    assignedTo: row.assignedTo,
    assignedName: row.assignedName,
    form: c.formDefinition,
    workflow: c.workflowDefinition,
    materials: c.materials,
    deliveryOptions: c.deliveryOptions,
    serviceName: named(c.nameZh, c.nameEn),
    statusLabel: named(state?.labelZh ?? row.status, state?.labelEn ?? row.status),
    final: isFinal(c.workflowDefinition, row.status),
  };
}

/** The applicant sees their own applications and those filed for a company they act for now. */
function ownedBy(actor: Actor, row: ApplicationRow): boolean {
  if (row.actingForEnterpriseId) return actor.actingFor?.enterpriseId === row.actingForEnterpriseId || row.applicantId === actor.userId;
  return row.applicantId === actor.userId;
}

export async function loadOwn(ctx: AppContext, actor: Actor, id: string): Promise<OwnApplication | null> {
  const row = await repo.findApplication(ctx.db, id);
  if (!row || !ownedBy(actor, row)) return null;
  if (row.status === 'draft' && row.updatedAt.getTime() < ctx.clock.now().getTime() - draftDays * 86_400_000) return null;
  return present(ctx.db, row);
}

export async function listMine(ctx: AppContext, actor: Actor): Promise<OwnApplication[]> {
  const rows = await repo.listApplications(ctx.db, {
    applicantId: actor.userId,
    enterpriseIds: actor.actingFor ? [actor.actingFor.enterpriseId] : [],
    limit: 200,
  });
  const cutoff = ctx.clock.now().getTime() - draftDays * 86_400_000;
  const out: OwnApplication[] = [];
  for (const row of rows) {
    if (row.status === 'draft' && (row.updatedAt.getTime() < cutoff || row.applicantId !== actor.userId)) continue;
    const a = await present(ctx.db, row);
    if (a) out.push(a);
  }
  return out;
}

export async function draftsFor(ctx: AppContext, actor: Actor, serviceCode: string): Promise<OwnApplication[]> {
  return (await listMine(ctx, actor)).filter(
    (a) => a.status === 'draft' && a.serviceCode === serviceCode && a.actingForEnterpriseId === (actor.actingFor?.enterpriseId ?? null),
  );
}

export async function publishedItem(db: Db, code: string): Promise<CatalogItem | null> {
  if (!/^[a-z0-9]+(-[a-z0-9]+)*$/.test(code) || code.length > 60) return null;
  const item = await getCurrentItem(db, code);
  return item && item.status === 'published' ? item : null;
}

/** Why this person cannot apply for the item as they are acting now, if they cannot. */
export function applicantBlock(kinds: ApplicantKind[], actor: Actor): 'needsCompany' | 'citizensOnly' | undefined {
  if (actor.actingFor && !kinds.includes('enterprise')) return 'citizensOnly';
  if (!actor.actingFor && !kinds.includes('citizen')) return 'needsCompany';
  return undefined;
}

export async function departmentNames(ex: Executor): Promise<Map<string, { nameZh: string; nameEn: string }>> {
  return new Map((await listDepartments(ex)).map((d) => [d.code, { nameZh: d.nameZh, nameEn: d.nameEn }]));
}

/** Display names of the files an application's answers refer to. */
export async function fileNames(ctx: AppContext, a: OwnApplication): Promise<Map<string, string>> {
  const out = new Map<string, string>();
  for (const [name, ui] of Object.entries(a.form['x-ui'].fields)) {
    const id = a.data[name];
    if (ui.widget !== 'file' || typeof id !== 'string') continue;
    const file = await ctx.files.find(id);
    if (file) out.set(id, file.originalName);
  }
  return out;
}

/** The address the government holds for the person, to suggest for courier delivery. */
export function defaultAddress(a: OwnApplication): { district: string; detail: string } {
  for (const [name, ui] of Object.entries(a.form['x-ui'].fields)) {
    const v = a.data[name];
    if (ui.widget === 'chengduAddress' && v && typeof v === 'object') {
      const x = v as { district?: unknown; detail?: unknown };
      if (typeof x.district === 'string' && typeof x.detail === 'string') return { district: x.district, detail: x.detail };
    }
  }
  return { district: '', detail: '' };
}

/* ---------- drafts ---------- */

/**
 * Opens a draft and fills in what the government already holds: one purpose-bound read per data product,
 * recorded by the exchange module in the same transaction as the draft (the purpose names the draft).
 */
export async function startDraft(ctx: AppContext, actor: Actor, serviceCode: string, ip: string): Promise<string> {
  const item = await publishedItem(ctx.db, serviceCode);
  if (!item) throw new Error('No such item');
  const user = await getUserById(ctx.db, actor.userId);
  return ctx.db.transaction(async (tx) => {
    const now = ctx.clock.now();
    const row = await repo.insertApplication(tx, {
      serviceCode: item.code,
      itemVersion: item.version,
      departmentCode: item.departmentCode,
      applicantId: actor.userId,
      actingForEnterpriseId: actor.actingFor?.enterpriseId ?? null,
      actingForUscc: actor.actingFor?.uscc ?? null,
      actingForName: actor.actingFor?.name ?? null,
      status: 'draft',
      data: {},
      feeFen: item.content.feeFen,
      createdAt: now,
      updatedAt: now,
    });
    if (!row) throw new Error('Draft insert returned nothing');
    const form = item.content.formDefinition;
    const prefill = await prefillFor(tx, { serviceCode: item.code, formDefinition: form, actor, applicationId: row.id }, { now, ip });
    const data: Record<string, unknown> = { ...prefill.values };
    // The contact phone is the account's own verified number: the platform holds it, no department is asked.
    for (const [name, ui] of Object.entries(form['x-ui'].fields))
      if (ui.prefill?.source === 'identity.phone' && user?.phone && data[name] === undefined) data[name] = user.phone;
    await repo.updateApplication(tx, row.id, { data, updatedAt: now });
    return row.id;
  });
}

const draftOnly = (a: OwnApplication) => a.status === 'draft' || a.status === 'correction_requested';

/** Who the application is for: the child named (`applyFor: 'child'`), or null for the applicant. */
function childOf(data: Record<string, unknown>): string | null {
  return data.applyFor === 'child' && typeof data.childIdNumber === 'string' && data.childIdNumber.trim() !== ''
    ? data.childIdNumber.trim().toUpperCase()
    : null;
}

/** Fields about the person the application is for (a product `ofBeneficiary`, e.g. the travel permit number). */
function beneficiaryFields(form: FormDefinition): string[] {
  return Object.entries(form['x-ui'].fields).flatMap(([name, ui]) => {
    const source = ui.prefill ? parsePrefillSource(ui.prefill.source) : null;
    return source && dataProducts[source.product].ofBeneficiary ? [name] : [];
  });
}

/**
 * Saves a step's answers (a draft, or an application awaiting correction); keeps the draft 30 more days. When
 * the person the application is for changes (the applicant chooses their child, another child, or themself
 * again), the fields about that person are read again for them, with the draft as purpose: the child's only once
 * person.children confirms the guardian. A child who is not the applicant's is an error on `childIdNumber` (the
 * exchange audits the refusal; the answers are not saved).
 */
export async function saveAnswers(
  ctx: AppContext,
  actor: Actor,
  a: OwnApplication,
  data: Record<string, unknown>,
  ip: string | null = null,
): Promise<{ errors: Record<string, string> }> {
  if (!draftOnly(a)) return { errors: {} };
  const fields = beneficiaryFields(a.form);
  const child = childOf(data);
  if (fields.length === 0 || child === childOf(a.data)) {
    await repo.updateApplication(ctx.db, a.id, { data, updatedAt: ctx.clock.now() });
    return { errors: {} };
  }
  const refused = await ctx.db.transaction(async (tx) => {
    const now = ctx.clock.now();
    // Values carried over from the previous person go; one typed on this step stays unless the register has one.
    const next = Object.fromEntries(Object.entries(data).filter(([k, v]) => !(fields.includes(k) && v === a.data[k])));
    const only: FormDefinition = { ...a.form, 'x-ui': { ...a.form['x-ui'], fields: Object.fromEntries(fields.map((f) => [f, a.form['x-ui'].fields[f]!])) } };
    try {
      const pre = await prefillFor(
        tx,
        { serviceCode: a.serviceCode, formDefinition: only, actor, applicationId: a.id, ...(child ? { childIdNumber: child } : {}) },
        { now, ip },
      );
      Object.assign(next, pre.values);
    } catch (error) {
      // The refusal is audited in this transaction, which commits; the answers stay as they were.
      if (error instanceof ForbiddenError && child) return true;
      throw error;
    }
    await repo.updateApplication(tx, a.id, { data: next, updatedAt: now });
    return false;
  });
  return { errors: refused ? { childIdNumber: 'cases.error.notYourChild' } : {} };
}

export async function saveDelivery(ctx: AppContext, _actor: Actor, a: OwnApplication, delivery: DeliveryChoice): Promise<void> {
  if (a.status !== 'draft') return;
  await repo.updateApplication(ctx.db, a.id, { delivery, updatedAt: ctx.clock.now() });
}

/** Stores an upload already checked against the field (type by content, size) and records it as a material. */
export async function storeMaterial(ctx: AppContext, actor: Actor, a: OwnApplication, field: string, bytes: Buffer, filename: string): Promise<string> {
  const ui = a.form['x-ui'].fields[field];
  return ctx.db.transaction(async (tx) => {
    const stored = await ctx.files.store(tx, {
      bytes,
      originalName: filename,
      purpose: materialPurpose,
      ownerUserId: actor.userId,
      ownerEnterpriseId: a.actingForEnterpriseId,
    });
    await repo.insertMaterial(tx, { applicationId: a.id, fileId: stored.id, material: ui?.material ?? field, field });
    return stored.id;
  });
}

/** Staff of the handling department may read the materials of its applications (the files port's purpose policy). */
export function registerMaterialPolicy(ctx: AppContext): void {
  try {
    ctx.files.registerPolicy(materialPurpose, (actor, file) => service.staffMayReadMaterial(ctx, actor, file.id));
  } catch {
    // The case API registered it already: one policy per purpose is enough.
  }
}

/* ---------- submitted applications ---------- */

export async function paymentOf(ctx: AppContext, a: OwnApplication): Promise<PaymentView | null> {
  if (a.feeFen <= 0) return null;
  if (a.paymentId) return ctx.payments.getPayment(a.paymentId);
  const list = await ctx.payments.listForOrder(a.id);
  return list[0] ?? null;
}

export async function shipmentOf(ctx: AppContext, a: OwnApplication): Promise<ShipmentView | null> {
  const list = await ctx.delivery.listForOrder(a.id);
  return list[0] ?? null;
}

export interface TimelineView {
  at: Date;
  label: Named;
  actor: string;
  note: string | null;
  internal: boolean;
}

export async function publicTimeline(ctx: AppContext, a: OwnApplication): Promise<TimelineView[]> {
  const rows = await repo.listTimeline(ctx.db, a.id);
  return rows.map((r) => {
    const state = a.workflow.states[r.status];
    const action = a.workflow.actions.find((x) => x.name === r.action);
    const zh = action ? action.labelZh : (state?.labelZh ?? r.status);
    const en = action ? action.labelEn : (state?.labelEn ?? r.status);
    return { at: r.at, label: named(zh, en), actor: r.actorDisplay, note: r.note, internal: false };
  });
}

export async function staffHistory(ctx: AppContext, a: OwnApplication): Promise<TimelineView[]> {
  const [pub, notes] = await Promise.all([publicTimeline(ctx, a), repo.listNotes(ctx.db, a.id)]);
  const internal = notes.map((n) => ({ at: n.at, label: named('内部备注', 'Internal note'), actor: n.authorName, note: n.body, internal: true }));
  return [...pub, ...internal].sort((x, y) => x.at.getTime() - y.at.getTime());
}

/** The public status check: no personal data, only the item, status and dates. */
export async function publicStatus(
  ctx: AppContext,
  receiptNo: string,
  phoneLast4: string,
): Promise<{ receiptNo: string; serviceName: Named; status: string; statusLabel: Named; promisedBy: Date | null; updatedAt: Date } | null> {
  const row = await repo.findByReceipt(ctx.db, receiptNo);
  if (!row || row.status === 'draft' || !row.phoneLast4 || row.phoneLast4 !== phoneLast4) return null;
  const a = await present(ctx.db, row);
  if (!a || !a.receiptNo) return null;
  return {
    receiptNo: a.receiptNo,
    serviceName: a.serviceName,
    status: a.status,
    statusLabel: a.statusLabel,
    promisedBy: a.promisedBy,
    updatedAt: row.updatedAt,
  };
}

/* ---------- staff ---------- */

async function applicantDisplay(ex: Executor, row: ApplicationRow): Promise<string> {
  const user = await getUserById(ex, row.applicantId);
  return user?.realName ?? '';
}

async function toStaff(ctx: AppContext, row: ApplicationRow, now: Date): Promise<StaffApplication | null> {
  const a = await present(ctx.db, row);
  if (!a) return null;
  const calendar = await loadCalendar(ctx.db);
  const running = repo.runningStatuses.includes(row.status) && !row.pausedAt && row.promisedBy;
  const slaMinutesLeft = running
    ? row.promisedBy! > now
      ? workingMinutesBetween(calendar, now, row.promisedBy!)
      : -workingMinutesBetween(calendar, row.promisedBy!, now)
    : null;
  return { ...a, applicantDisplay: await applicantDisplay(ctx.db, row), slaMinutesLeft };
}

const mayHandle = (actor: Actor, row: ApplicationRow) =>
  actor.kind === 'staff' && row.status !== 'draft' && (actor.roles.includes('platform_admin') || row.departmentCode === actor.departmentCode);

export async function loadForStaff(ctx: AppContext, actor: Actor, id: string, ip: string): Promise<StaffApplication | null> {
  const row = await repo.findApplication(ctx.db, id);
  if (!row || row.status === 'draft') return null;
  if (!mayHandle(actor, row)) {
    await recordAudit(ctx.db, {
      ...actorFields(actor),
      action: 'cases.application.view',
      resourceType: 'application',
      resourceId: id,
      outcome: 'denied',
      detail: { department: row.departmentCode },
      ip,
    });
    return null;
  }
  return toStaff(ctx, row, ctx.clock.now());
}

export interface QueueFilter {
  state: string;
  item: string;
  overdue: boolean;
  mine: boolean;
}

const openStatuses: CaseStatus[] = ['submitted', 'accepted', 'correction_requested', 'under_review', 'approved', 'rejected'];
const allStatuses: CaseStatus[] = [...openStatuses, 'refused', 'completed', 'withdrawn'];

export async function staffQueue(
  ctx: AppContext,
  actor: Actor,
  f: QueueFilter,
): Promise<{ rows: StaffApplication[]; states: { value: string; label: Named }[]; items: { value: string; label: Named }[] }> {
  const now = ctx.clock.now();
  const department = actor.departmentCode ?? '';
  const state = allStatuses.find((s) => s === f.state);
  const rows = await repo.listApplications(ctx.db, {
    departmentCode: department,
    statuses: state ? [state] : openStatuses,
    serviceCode: f.item || undefined,
    assignedTo: f.mine ? actor.userId : undefined,
    overdueAt: f.overdue ? now : undefined,
    limit: 200,
  });
  const out: StaffApplication[] = [];
  for (const row of rows) {
    const s = await toStaff(ctx, row, now);
    if (s) out.push(s);
  }
  // The states and items offered as filters: the default workflow's states and the department's items.
  const anyItem = out[0];
  const labels = anyItem?.workflow.states;
  const states = allStatuses.map((s) => ({ value: s, label: labels?.[s] ? named(labels[s].labelZh, labels[s].labelEn) : stateName(s) }));
  const items = await departmentItems(ctx, department);
  return { rows: out, states, items };
}

const stateNames: Record<string, [string, string]> = {
  submitted: ['已提交', 'Submitted'],
  accepted: ['已受理', 'Accepted'],
  refused: ['不予受理', 'Refused'],
  correction_requested: ['待补正', 'Correction requested'],
  under_review: ['审核中', 'Under review'],
  approved: ['已批准', 'Approved'],
  rejected: ['不予批准', 'Rejected'],
  completed: ['已办结', 'Completed'],
  withdrawn: ['已撤回', 'Withdrawn'],
};
const stateName = (s: string): Named => named(stateNames[s]?.[0] ?? s, stateNames[s]?.[1] ?? s);

async function departmentItems(ctx: AppContext, department: string): Promise<{ value: string; label: Named }[]> {
  if (!department) return [];
  const found = await findServices(ctx.db, { department });
  return found.items.filter((i) => i.departmentCode === department).map((i) => ({ value: i.code, label: named(i.content.nameZh, i.content.nameEn) }));
}

/** Staff of the same department an admin may assign to. */
export async function assignableStaff(ctx: AppContext, actor: Actor): Promise<{ value: string; label: string }[]> {
  return (await service.listAssignableStaff(ctx, actor)).map((p) => ({ value: p.id, label: p.realName }));
}

/* ---------- calendar ---------- */

export async function calendarYear(ctx: AppContext, year: number): Promise<{ date: string; kind: 'holiday' | 'workday'; name: string }[]> {
  const days = await repo.listCalendarDays(ctx.db);
  return days.filter((d) => d.date.startsWith(`${year}-`)).map((d) => ({ date: d.date, kind: d.kind, name: d.name }));
}

/* ---------- changes through the case service ---------- */

/** Submits the draft through the case service (validation, receipt number, SLA clock, automatic decisions). */
export async function submitDraft(ctx: AppContext, actor: Actor, a: OwnApplication, ip: string): Promise<void> {
  await service.submitApplication(
    ctx,
    actor,
    { serviceCode: a.serviceCode, actingFor: a.actingForUscc ?? undefined, data: a.data, delivery: a.delivery ?? undefined, draftId: a.id },
    { ip },
  );
}

/** Opens (or reopens) the payment of the fee and returns the provider's hosted page. */
export async function startPayment(ctx: AppContext, actor: Actor, a: OwnApplication): Promise<string | null> {
  try {
    return (await service.startPayment(ctx, actor, a.id)).payUrl;
  } catch (error) {
    // Already paid, or no longer payable: the application page says so.
    if (error instanceof ConflictError) return null;
    throw error;
  }
}

export async function withdraw(ctx: AppContext, actor: Actor, a: OwnApplication, _ip: string): Promise<void> {
  await service.withdrawApplication(ctx, actor, a.id, {});
}

export async function rate(ctx: AppContext, actor: Actor, a: OwnApplication, score: number, comment: string | null, _ip: string): Promise<void> {
  await service.rateApplication(ctx, actor, a.id, { rating: score, comment });
}

export async function resubmit(ctx: AppContext, actor: Actor, a: OwnApplication, _ip: string): Promise<void> {
  await service.resubmitApplication(ctx, actor, a.id, { data: a.data });
}

/** Claims (to oneself) or assigns; false when the person named may not be assigned. */
export async function assign(ctx: AppContext, actor: Actor, s: StaffApplication, to: string, _ip: string): Promise<boolean> {
  if (to === actor.userId && s.assignedTo !== actor.userId) {
    await service.claimApplication(ctx, actor, s.id);
    return true;
  }
  try {
    await service.assignApplication(ctx, actor, s.id, to);
    return true;
  } catch (error) {
    if (error instanceof ValidationError) return false;
    throw error;
  }
}

/** A workflow action from the version the member of staff saw: a change since then is a 409. */
export async function act(
  ctx: AppContext,
  actor: Actor,
  s: StaffApplication,
  action: string,
  comment: string | null,
  ip: string,
  seenVersion?: number,
): Promise<void> {
  await service.takeAction(ctx, actor, s.id, { action, comment, expectedVersion: seenVersion ?? s.version }, { ip });
}

export async function requestCorrection(
  ctx: AppContext,
  actor: Actor,
  s: StaffApplication,
  items: CorrectionItem[],
  note: string | null,
  ip: string,
  seenVersion?: number,
): Promise<void> {
  // The action needs a public comment: the explanation, or else the reasons themselves.
  const comment = note ?? items.map((i) => i.reason).join('；');
  await service.takeAction(ctx, actor, s.id, { action: 'request_correction', comment, items, expectedVersion: seenVersion ?? s.version }, { ip });
}

export async function addNote(ctx: AppContext, actor: Actor, s: StaffApplication, text: string, visibility: 'internal' | 'public', _ip: string): Promise<void> {
  if (visibility === 'public') await service.addPublicComment(ctx, actor, s.id, text);
  else await service.addInternalNote(ctx, actor, s.id, text);
}

export async function setCalendarDay(
  ctx: AppContext,
  actor: Actor,
  day: { date: string; kind: 'holiday' | 'workday'; name: string },
  _ip: string,
): Promise<void> {
  await service.setCalendarDay(ctx, actor, day.date, { kind: day.kind, name: day.name });
}

export async function removeCalendarDay(ctx: AppContext, actor: Actor, date: string, _ip: string): Promise<void> {
  await service.deleteCalendarDay(ctx, actor, date);
}
