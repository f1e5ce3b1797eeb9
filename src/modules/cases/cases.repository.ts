import { and, asc, desc, eq, inArray, isNotNull, isNull, lt, lte, or, sql, type SQL } from 'drizzle-orm';
import type { PgInsertValue } from 'drizzle-orm/pg-core';
import type { Executor } from '../../platform/db/db.js';
import { prepared } from '../../platform/db/prepared.js';
import { auditAppendPlaceholders, auditPlaceholders, rowsOf, type AuditEntry } from '../../platform/audit/audit.js';
import { accessLogInsertFrom } from '../exchange/index.js';
import { applications, calendarDays, followUps, internalNotes, materials, timeline, type CaseStatus } from './cases.schema.js';

// The only file of the cases module that speaks SQL.

export type ApplicationRow = typeof applications.$inferSelect;
export type NewApplication = typeof applications.$inferInsert;
export type TimelineRow = typeof timeline.$inferSelect;
export type NewTimeline = typeof timeline.$inferInsert;
export type NoteRow = typeof internalNotes.$inferSelect;
export type MaterialRow = typeof materials.$inferSelect;
export type FollowUpRow = typeof followUps.$inferSelect;

/** States in which the SLA clock runs. */
export const runningStatuses: CaseStatus[] = ['submitted', 'accepted', 'under_review', 'approved', 'rejected'];

// --- calendar -------------------------------------------------------------------------------------

export async function listCalendarDays(ex: Executor) {
  return ex.select().from(calendarDays).orderBy(asc(calendarDays.date));
}

export async function upsertCalendarDay(ex: Executor, day: { date: string; kind: 'holiday' | 'workday'; name: string }): Promise<void> {
  await ex
    .insert(calendarDays)
    .values(day)
    .onConflictDoUpdate({ target: calendarDays.date, set: { kind: day.kind, name: day.name } });
}

export async function deleteCalendarDay(ex: Executor, date: string): Promise<boolean> {
  const rows = await ex.delete(calendarDays).where(eq(calendarDays.date, date)).returning({ date: calendarDays.date });
  return rows.length > 0;
}

export async function insertCalendarDaysIfAbsent(ex: Executor, days: { date: string; kind: 'holiday' | 'workday'; name: string }[]): Promise<void> {
  if (days.length) await ex.insert(calendarDays).values(days).onConflictDoNothing();
}

// --- applications ---------------------------------------------------------------------------------

const receiptBlocks = new WeakMap<object, number[]>();
const receiptBlockSize = 20;

/**
 * The next receipt sequence number. Numbers are taken from the sequence 20 at a time per database handle (`owner`,
 * the app context) in one round trip and handed out from memory: a sequence never gives a number twice, so
 * instances never collide; a restart or a rolled-back submission leaves gaps, as a rollback did before.
 */
export async function nextReceiptSeq(ex: Executor, owner: object): Promise<number> {
  let block = receiptBlocks.get(owner);
  if (!block?.length) {
    const rows = rowsOf<{ n: number | string }>(
      await ex.execute(sql`SELECT nextval('cases_receipt_seq')::bigint AS n FROM generate_series(1, ${receiptBlockSize})`),
    );
    block = rows.map((r) => Number(r.n)).sort((a, b) => a - b);
    receiptBlocks.set(owner, block);
  }
  return block.shift()!;
}

/** Inserts unless the applicant already used this idempotency key; returns the new row or undefined. */
export async function insertApplication(ex: Executor, values: NewApplication): Promise<ApplicationRow | undefined> {
  const rows = await ex.insert(applications).values(values).onConflictDoNothing().returning();
  return rows[0];
}

/** What a submission writes into the application's columns (the rest keep their defaults). */
const submissionColumns = [
  'id',
  'receiptNo',
  'serviceCode',
  'itemVersion',
  'departmentCode',
  'applicantId',
  'actingForEnterpriseId',
  'actingForUscc',
  'actingForName',
  'idempotencyKey',
  'status',
  'data',
  'delivery',
  'phoneLast4',
  'feeFen',
  'submittedAt',
  'promisedBy',
  'legalBy',
  'warnAt',
  'createdAt',
  'updatedAt',
] as const satisfies readonly (keyof NewApplication)[];
export type NewSubmission = { [K in (typeof submissionColumns)[number]]-?: Exclude<NewApplication[K], SQL | undefined> };

/** What a submission writes into its first timeline entry. */
const entryColumns = ['at', 'status', 'action', 'actorKind', 'actorId', 'actorDisplay'] as const satisfies readonly (keyof NewTimeline)[];
export type SubmissionEntry = { [K in (typeof entryColumns)[number]]-?: Exclude<NewTimeline[K], SQL | undefined> };

/**
 * Writes a new application with everything that comes with it in one statement: its first timeline entry, its
 * materials and its audit record, each from what the application insert returned. One statement is atomic on its
 * own, so outside a transaction it needs no BEGIN and COMMIT; when the idempotency key was used already (nothing
 * returned), nothing at all is written. The statement is built and planned once (a prepared statement): building
 * it took a third of a submission's time in the event loop. Returns the new row or undefined.
 */
export async function insertSubmission(
  ex: Executor,
  values: NewSubmission,
  entry: SubmissionEntry,
  files: { fileId: string; material: string; field: string }[],
  audit: AuditEntry,
  /** The exchange's reads for the prefill (`accessLogJson`), recorded by this statement whether or not it inserts. */
  reads: string,
): Promise<ApplicationRow | undefined> {
  const [row] = await prepared(ex, 'cases_insert_submission', (e) => {
    const inserted = e.$with('inserted').as(
      e
        .insert(applications)
        .values(Object.fromEntries(submissionColumns.map((k) => [k, sql.placeholder(k)])) as PgInsertValue<typeof applications>)
        .onConflictDoNothing()
        .returning(),
    );
    const id = sql.identifier('id');
    const names = sql.join(
      [timeline.applicationId, ...entryColumns.map((k) => timeline[k])].map((c) => sql.identifier(c.name)),
      sql`, `,
    );
    const params = sql.join(
      entryColumns.map((k) => sql.param(sql.placeholder(`entry.${k}`), timeline[k])),
      sql`, `,
    );
    const first = e.$with('first_entry', {}).as(sql`insert into ${timeline} (${names}) select ${id}, ${params} from ${inserted}`);
    const attached = e
      .$with('attached', {})
      .as(
        sql`insert into ${materials} (application_id, file_id, material, field) select ${inserted}.${id}, m."fileId", m.material, m.field from ${inserted}, jsonb_to_recordset(${sql.placeholder('files')}::jsonb) as m("fileId" uuid, material text, field text) on conflict do nothing`,
      );
    // A data-modifying WITH runs whether or not the statement reads it.
    const recorded = e.$with('recorded', {}).as(accessLogInsertFrom(sql.placeholder('reads')));
    // A SELECT in WITH runs only when the statement reads it: the row is joined to the audit record's seq.
    const audited = e.$with('audited', { seq: sql<number>`seq`.as('seq') }).as(sql`select ${auditAppendPlaceholders} as seq from ${inserted}`);
    return e
      .with(inserted, first, attached, recorded, audited)
      .select()
      .from(inserted)
      .innerJoin(audited, sql`true`);
  }).execute({
    ...values,
    ...Object.fromEntries(entryColumns.map((k) => [`entry.${k}`, entry[k]])),
    files: JSON.stringify(files),
    reads,
    ...auditPlaceholders(audit),
  });
  return row?.inserted;
}

export async function findByIdempotencyKey(ex: Executor, applicantId: string, key: string): Promise<ApplicationRow | undefined> {
  const [row] = await prepared(ex, 'cases_idempotency', (e) =>
    e
      .select()
      .from(applications)
      .where(and(eq(applications.applicantId, sql.placeholder('applicantId')), eq(applications.idempotencyKey, sql.placeholder('key')))),
  ).execute({ applicantId, key });
  return row;
}

export async function findApplication(ex: Executor, id: string): Promise<ApplicationRow | undefined> {
  const [row] = await prepared(ex, 'cases_application', (e) =>
    e
      .select()
      .from(applications)
      .where(eq(applications.id, sql.placeholder('id'))),
  ).execute({ id });
  return row;
}

export async function findByReceipt(ex: Executor, receiptNo: string): Promise<ApplicationRow | undefined> {
  const [row] = await ex.select().from(applications).where(eq(applications.receiptNo, receiptNo));
  return row;
}

/**
 * Applies a change only if the application is still at `expectedVersion` (optimistic concurrency): of
 * two people acting at once exactly one update matches. Bumps the version.
 */
export async function updateIfVersion(ex: Executor, id: string, expectedVersion: number, patch: Partial<NewApplication>): Promise<ApplicationRow | undefined> {
  const rows = await ex
    .update(applications)
    .set({ ...patch, version: sql`${applications.version} + 1` })
    .where(and(eq(applications.id, id), eq(applications.version, expectedVersion)))
    .returning();
  return rows[0];
}

/** A change that does not race with status changes (assignment, payment marks, SLA marks). */
export async function updateApplication(ex: Executor, id: string, patch: Partial<NewApplication>, where?: SQL): Promise<ApplicationRow | undefined> {
  const rows = await ex
    .update(applications)
    .set(patch)
    .where(where ? and(eq(applications.id, id), where) : eq(applications.id, id))
    .returning();
  return rows[0];
}

export async function deleteApplication(ex: Executor, id: string): Promise<void> {
  await ex.delete(applications).where(eq(applications.id, id));
}

export interface ListFilter {
  applicantId?: string;
  /** Also the applications filed for these companies. */
  enterpriseIds?: string[];
  departmentCode?: string;
  statuses?: CaseStatus[];
  excludeStatuses?: CaseStatus[];
  serviceCode?: string;
  assignedTo?: string;
  overdueAt?: Date;
  limit: number;
  offset?: number;
}

export async function listApplications(ex: Executor, f: ListFilter): Promise<ApplicationRow[]> {
  const where: (SQL | undefined)[] = [];
  if (f.applicantId) {
    const mine = eq(applications.applicantId, f.applicantId);
    where.push(f.enterpriseIds?.length ? or(mine, inArray(applications.actingForEnterpriseId, f.enterpriseIds)) : mine);
  }
  if (f.departmentCode) where.push(eq(applications.departmentCode, f.departmentCode));
  if (f.statuses?.length) where.push(inArray(applications.status, f.statuses));
  if (f.excludeStatuses?.length)
    where.push(
      sql`${applications.status} NOT IN (${sql.join(
        f.excludeStatuses.map((s) => sql`${s}`),
        sql`, `,
      )})`,
    );
  if (f.serviceCode) where.push(eq(applications.serviceCode, f.serviceCode));
  if (f.assignedTo) where.push(eq(applications.assignedTo, f.assignedTo));
  if (f.overdueAt) where.push(and(inArray(applications.status, runningStatuses), isNull(applications.pausedAt), lt(applications.promisedBy, f.overdueAt)));
  return ex
    .select()
    .from(applications)
    .where(and(...where))
    .orderBy(f.departmentCode ? asc(applications.promisedBy) : desc(applications.createdAt))
    .limit(f.limit)
    .offset(f.offset ?? 0);
}

/** Applications whose warning or breach point has passed and was not yet handled (the periodic sweep). */
export async function listSlaDue(ex: Executor, kind: 'warn' | 'breach', now: Date, limit = 200): Promise<ApplicationRow[]> {
  const base = and(inArray(applications.status, runningStatuses), isNull(applications.pausedAt));
  const due =
    kind === 'warn'
      ? and(isNull(applications.slaWarnedAt), isNotNull(applications.warnAt), lte(applications.warnAt, now))
      : and(isNull(applications.slaEscalatedAt), isNotNull(applications.promisedBy), lte(applications.promisedBy, now));
  return ex.select().from(applications).where(and(base, due)).limit(limit);
}

export async function purgeDrafts(ex: Executor, before: Date): Promise<number> {
  const rows = await ex
    .delete(applications)
    .where(and(eq(applications.status, 'draft'), lt(applications.updatedAt, before)))
    .returning({ id: applications.id });
  return rows.length;
}

// --- timeline, notes, materials, follow-ups -------------------------------------------------------

/** Adds a timeline entry; an entry with a dedupe key already present is skipped (returns false). */
export async function insertTimeline(ex: Executor, entry: NewTimeline): Promise<boolean> {
  const rows = await ex.insert(timeline).values(entry).onConflictDoNothing().returning({ id: timeline.id });
  return rows.length > 0;
}

export async function listTimeline(ex: Executor, applicationId: string): Promise<TimelineRow[]> {
  return prepared(ex, 'cases_timeline', (e) =>
    e
      .select()
      .from(timeline)
      .where(eq(timeline.applicationId, sql.placeholder('applicationId')))
      .orderBy(asc(timeline.at), asc(sql`ctid`)),
  ).execute({ applicationId });
}

type Json<T> = { [K in keyof T]: T[K] extends Date ? string : T[K] extends Date | null ? string | null : T[K] };

/**
 * An application with its timeline and materials in one round trip (the status read: one statement instead of
 * three). The timeline comes in the order listTimeline gives; timestamps arrive as JSON text and become Dates here.
 */
export async function findApplicationWithHistory(
  ex: Executor,
  id: string,
): Promise<{ row: ApplicationRow; timeline: TimelineRow[]; materials: MaterialRow[] } | undefined> {
  const [hit] = await prepared(ex, 'cases_application_history', (e) =>
    e
      .select({
        row: applications,
        timeline: sql<Json<TimelineRow>[]>`(SELECT coalesce(json_agg(json_build_object(
            'id', t.id, 'applicationId', t.application_id, 'at', t.at, 'status', t.status, 'action', t.action,
            'actorKind', t.actor_kind, 'actorId', t.actor_id, 'actorDisplay', t.actor_display, 'note', t.note,
            'detail', t.detail, 'dedupeKey', t.dedupe_key) ORDER BY t.at, t.ctid), '[]'::json)
          FROM ${timeline} t WHERE t.application_id = "cases_applications"."id")`,
        materials: sql<Json<MaterialRow>[]>`(SELECT coalesce(json_agg(json_build_object(
            'applicationId', m.application_id, 'fileId', m.file_id, 'material', m.material, 'field', m.field,
            'createdAt', m.created_at) ORDER BY m.created_at), '[]'::json)
          FROM ${materials} m WHERE m.application_id = "cases_applications"."id")`,
      })
      .from(applications)
      .where(eq(applications.id, sql.placeholder('id'))),
  ).execute({ id });
  if (!hit) return undefined;
  return {
    row: hit.row,
    timeline: hit.timeline.map((t) => ({ ...t, at: new Date(t.at) })),
    materials: hit.materials.map((m) => ({ ...m, createdAt: new Date(m.createdAt) })),
  };
}

export async function insertNote(ex: Executor, values: typeof internalNotes.$inferInsert): Promise<void> {
  await ex.insert(internalNotes).values(values);
}

export async function listNotes(ex: Executor, applicationId: string): Promise<NoteRow[]> {
  return ex.select().from(internalNotes).where(eq(internalNotes.applicationId, applicationId)).orderBy(asc(internalNotes.at));
}

export async function insertMaterial(ex: Executor, values: typeof materials.$inferInsert): Promise<void> {
  await ex.insert(materials).values(values).onConflictDoNothing();
}

export async function isMaterialOf(ex: Executor, fileId: string): Promise<MaterialRow[]> {
  return ex.select().from(materials).where(eq(materials.fileId, fileId));
}

export async function insertFollowUp(ex: Executor, values: typeof followUps.$inferInsert): Promise<boolean> {
  const rows = await ex.insert(followUps).values(values).onConflictDoNothing().returning({ id: followUps.id });
  return rows.length > 0;
}

export async function listFollowUps(ex: Executor, departmentCode: string, status?: 'open' | 'closed'): Promise<FollowUpRow[]> {
  return ex
    .select()
    .from(followUps)
    .where(and(eq(followUps.departmentCode, departmentCode), status ? eq(followUps.status, status) : undefined))
    .orderBy(asc(followUps.dueAt));
}

export async function closeFollowUp(ex: Executor, id: string, departmentCode: string, now: Date): Promise<boolean> {
  const rows = await ex
    .update(followUps)
    .set({ status: 'closed', closedAt: now })
    .where(and(eq(followUps.id, id), eq(followUps.departmentCode, departmentCode), eq(followUps.status, 'open')))
    .returning({ id: followUps.id });
  return rows.length > 0;
}

export async function countByStatus(ex: Executor, applicantId: string): Promise<number> {
  const [row] = await ex
    .select({ n: sql<number>`count(*)::int` })
    .from(applications)
    .where(eq(applications.applicantId, applicantId));
  return Number(row?.n ?? 0);
}

// --- conditions for guarded updates ----------------------------------------------------------------

export const notMarked = (kind: 'warn' | 'breach'): SQL => (kind === 'warn' ? isNull(applications.slaWarnedAt) : isNull(applications.slaEscalatedAt));
export const notPaid = (): SQL => isNull(applications.paidAt);
export const notRated = (): SQL => and(isNull(applications.rating), eq(applications.status, 'completed')) as SQL;
export const unassignedOr = (userId: string): SQL => or(isNull(applications.assignedTo), eq(applications.assignedTo, userId)) as SQL;
