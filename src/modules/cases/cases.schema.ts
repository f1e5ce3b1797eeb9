import { sql } from 'drizzle-orm';
import { index, integer, jsonb, pgSequence, pgTable, text, timestamp, uniqueIndex, uuid } from 'drizzle-orm/pg-core';

const ts = (name: string) => timestamp(name, { withTimezone: true, mode: 'date' });

export type CaseStatus =
  'draft' | 'submitted' | 'accepted' | 'refused' | 'correction_requested' | 'under_review' | 'approved' | 'rejected' | 'completed' | 'withdrawn';

export type DeliveryChoice =
  { method: 'window' } | { method: 'electronic' } | { method: 'courier'; recipientName: string; phone: string; address: { district: string; detail: string } };

/** One item of a correction notice (一次性告知): a field or material and what is wrong with it. */
export interface CorrectionItem {
  field?: string | undefined;
  material?: string | undefined;
  reason: string;
}

/** Receipt numbers come from a sequence: never blocks concurrent submissions, gaps are harmless. */
export const receiptSequence = pgSequence('cases_receipt_seq', { startWith: 1, increment: 1 });

/** An application (申请) made under one version of a service item. */
export const applications = pgTable(
  'cases_applications',
  {
    id: uuid('id')
      .primaryKey()
      .default(sql`gen_random_uuid()`),
    receiptNo: text('receipt_no'),
    serviceCode: text('service_code').notNull(),
    itemVersion: integer('item_version').notNull(),
    departmentCode: text('department_code').notNull(),
    applicantId: uuid('applicant_id').notNull(),
    actingForEnterpriseId: uuid('acting_for_enterprise_id'),
    actingForUscc: text('acting_for_uscc'),
    actingForName: text('acting_for_name'),
    /** The client's Idempotency-Key of the submission; unique per applicant. */
    idempotencyKey: text('idempotency_key'),
    status: text('status').$type<CaseStatus>().notNull(),
    /** Bumped by every change of status: the optimistic-concurrency token. */
    version: integer('version').notNull().default(1),
    data: jsonb('data').$type<Record<string, unknown>>().notNull(),
    delivery: jsonb('delivery').$type<DeliveryChoice | null>(),
    /** Last four digits of the contact phone, for the public status check. */
    phoneLast4: text('phone_last4'),
    feeFen: integer('fee_fen').notNull().default(0),
    paymentId: uuid('payment_id'),
    paidAt: ts('paid_at'),
    assignedTo: uuid('assigned_to'),
    assignedName: text('assigned_name'),
    correction: jsonb('correction').$type<CorrectionItem[] | null>(),
    submittedAt: ts('submitted_at'),
    promisedBy: ts('promised_by'),
    legalBy: ts('legal_by'),
    warnAt: ts('warn_at'),
    pausedAt: ts('paused_at'),
    /** Bumped whenever the SLA clock is (re)scheduled; jobs of an older generation do nothing. */
    slaGeneration: integer('sla_generation').notNull().default(0),
    slaWarnedAt: ts('sla_warned_at'),
    slaEscalatedAt: ts('sla_escalated_at'),
    decidedAt: ts('decided_at'),
    completedAt: ts('completed_at'),
    rating: integer('rating'),
    ratingComment: text('rating_comment'),
    ratedAt: ts('rated_at'),
    createdAt: ts('created_at').notNull().defaultNow(),
    updatedAt: ts('updated_at').notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex('cases_applications_receipt_key').on(t.receiptNo),
    uniqueIndex('cases_applications_idempotency_key').on(t.applicantId, t.idempotencyKey),
    index('cases_applications_applicant_idx').on(t.applicantId, t.createdAt),
    index('cases_applications_enterprise_idx').on(t.actingForEnterpriseId),
    index('cases_applications_queue_idx').on(t.departmentCode, t.status, t.promisedBy),
    // The minute's SLA sweep reads only the running clocks not yet warned or escalated.
    index('cases_applications_sla_warn_idx')
      .on(t.warnAt)
      .where(sql`sla_warned_at IS NULL AND paused_at IS NULL`),
    index('cases_applications_sla_breach_idx')
      .on(t.promisedBy)
      .where(sql`sla_escalated_at IS NULL AND paused_at IS NULL`),
  ],
);

/** The public history of an application: what happened, when, by whom, with a public comment. */
export const timeline = pgTable(
  'cases_timeline',
  {
    id: uuid('id')
      .primaryKey()
      .default(sql`gen_random_uuid()`),
    applicationId: uuid('application_id')
      .notNull()
      .references(() => applications.id, { onDelete: 'cascade' }),
    at: ts('at').notNull(),
    status: text('status').$type<CaseStatus>().notNull(),
    action: text('action').notNull(),
    actorKind: text('actor_kind').$type<'applicant' | 'staff' | 'system'>().notNull(),
    actorId: uuid('actor_id'),
    actorDisplay: text('actor_display').notNull(),
    note: text('note'),
    detail: jsonb('detail').$type<Record<string, unknown>>(),
    /** Set for entries that must appear once only (a shipment status, a payment). */
    dedupeKey: text('dedupe_key'),
  },
  (t) => [index('cases_timeline_application_idx').on(t.applicationId, t.at), uniqueIndex('cases_timeline_dedupe_key').on(t.applicationId, t.dedupeKey)],
);

/** Notes between staff, never shown to the applicant. */
export const internalNotes = pgTable(
  'cases_internal_notes',
  {
    id: uuid('id')
      .primaryKey()
      .default(sql`gen_random_uuid()`),
    applicationId: uuid('application_id')
      .notNull()
      .references(() => applications.id, { onDelete: 'cascade' }),
    at: ts('at').notNull(),
    authorId: uuid('author_id').notNull(),
    authorName: text('author_name').notNull(),
    body: text('body').notNull(),
  },
  (t) => [index('cases_internal_notes_application_idx').on(t.applicationId, t.at)],
);

/** Files uploaded as an application's materials. */
export const materials = pgTable(
  'cases_materials',
  {
    applicationId: uuid('application_id')
      .notNull()
      .references(() => applications.id, { onDelete: 'cascade' }),
    fileId: uuid('file_id').notNull(),
    material: text('material').notNull(),
    field: text('field'),
    createdAt: ts('created_at').notNull().defaultNow(),
  },
  (t) => [uniqueIndex('cases_materials_key').on(t.applicationId, t.fileId)],
);

/** China's holidays and make-up working days, editable by a platform admin. */
export const calendarDays = pgTable('cases_calendar_days', {
  date: text('date').primaryKey(),
  kind: text('kind').$type<'holiday' | 'workday'>().notNull(),
  name: text('name').notNull(),
});

/** A follow-up task opened by a poor rating (差评), due in 15 working days. */
export const followUps = pgTable(
  'cases_follow_ups',
  {
    id: uuid('id')
      .primaryKey()
      .default(sql`gen_random_uuid()`),
    applicationId: uuid('application_id')
      .notNull()
      .references(() => applications.id, { onDelete: 'cascade' }),
    departmentCode: text('department_code').notNull(),
    rating: integer('rating').notNull(),
    comment: text('comment'),
    status: text('status').$type<'open' | 'closed'>().notNull().default('open'),
    dueAt: ts('due_at').notNull(),
    createdAt: ts('created_at').notNull().defaultNow(),
    closedAt: ts('closed_at'),
  },
  (t) => [uniqueIndex('cases_follow_ups_application_key').on(t.applicationId), index('cases_follow_ups_department_idx').on(t.departmentCode, t.status)],
);
