import { sql } from 'drizzle-orm';
import { bigint, boolean, date, index, integer, jsonb, pgSequence, pgTable, primaryKey, text, timestamp, uniqueIndex, uuid } from 'drizzle-orm/pg-core';

/** Words a company name may not contain (企业名称禁限用字词); administrators of the AMR edit them. */
export const enterpriseForbiddenWords = pgTable(
  'enterprise_forbidden_words',
  {
    id: uuid('id')
      .primaryKey()
      .default(sql`gen_random_uuid()`),
    word: text('word').notNull(),
    /** Why it is refused, shown to the applicant (both languages). */
    reasonZh: text('reason_zh').notNull(),
    reasonEn: text('reason_en').notNull(),
    createdAt: timestamp('created_at', { withTimezone: true, mode: 'date' }).notNull().defaultNow(),
  },
  (t) => [uniqueIndex('enterprise_forbidden_words_word_key').on(t.word)],
);

/** The standard business-scope list (经营范围规范表述), and which items need a permit before registration (前置许可). */
export const enterpriseScopeItems = pgTable('enterprise_scope_items', {
  code: text('code').primaryKey(),
  nameZh: text('name_zh').notNull(),
  nameEn: text('name_en').notNull(),
  needsPermit: boolean('needs_permit').notNull(),
  /** The permit and its authority, when needsPermit. */
  permitZh: text('permit_zh'),
  permitEn: text('permit_en'),
  sortOrder: integer('sort_order').notNull().default(0),
});

/** Declared names (名称自主申报): reserved for a short time, then registered with the company or expired. */
export const enterpriseNames = pgTable(
  'enterprise_names',
  {
    id: uuid('id')
      .primaryKey()
      .default(sql`gen_random_uuid()`),
    fullName: text('full_name').notNull(),
    division: text('division').notNull(),
    tradeName: text('trade_name').notNull(),
    industry: text('industry').notNull(),
    orgForm: text('org_form').notNull(),
    status: text('status').$type<'reserved' | 'registered' | 'released'>().notNull(),
    declaredBy: uuid('declared_by'),
    reservedUntil: timestamp('reserved_until', { withTimezone: true, mode: 'date' }),
    createdAt: timestamp('created_at', { withTimezone: true, mode: 'date' }).notNull().defaultNow(),
  },
  (t) => [index('enterprise_names_division_industry_idx').on(t.division, t.industry), index('enterprise_names_full_idx').on(t.fullName)],
);

/** A natural person named in a registration; the ID number is kept for the register, never shown in public. */
export interface PersonRecord {
  name: string;
  idNumber: string;
}

export interface ShareholderRecord extends PersonRecord {
  /** Subscribed contribution in yuan. */
  contributionYuan: number;
}

export interface Officers {
  executiveDirector: PersonRecord;
  supervisor: PersonRecord;
  manager: PersonRecord;
}

/** The enterprise register (市场主体登记). */
export const enterpriseCompanies = pgTable(
  'enterprise_companies',
  {
    id: uuid('id')
      .primaryKey()
      .default(sql`gen_random_uuid()`),
    uscc: text('uscc').notNull(),
    name: text('name').notNull(),
    nameId: uuid('name_id'),
    /** 企业类型 as registered, e.g. 有限责任公司（自然人投资或控股）. */
    entityType: text('entity_type').notNull(),
    legalRepresentative: jsonb('legal_representative').$type<PersonRecord>().notNull(),
    registeredCapitalYuan: bigint('registered_capital_yuan', { mode: 'number' }).notNull(),
    district: text('district').notNull(),
    addressDetail: text('address_detail').notNull(),
    scopeCodes: jsonb('scope_codes').$type<string[]>().notNull(),
    scopeText: text('scope_text').notNull().default(''),
    shareholders: jsonb('shareholders').$type<ShareholderRecord[]>().notNull(),
    officers: jsonb('officers').$type<Officers | null>(),
    establishedOn: date('established_on', { mode: 'string' }).notNull(),
    registrationAuthority: text('registration_authority').notNull(),
    status: text('status').$type<'active' | 'deregistered'>().notNull().default('active'),
    /** The current electronic business licence (a credential of the certificates module). */
    licenceId: text('licence_id'),
    createdAt: timestamp('created_at', { withTimezone: true, mode: 'date' }).notNull().defaultNow(),
    updatedAt: timestamp('updated_at', { withTimezone: true, mode: 'date' }).notNull().defaultNow(),
  },
  (t) => [uniqueIndex('enterprise_companies_uscc_key').on(t.uscc), uniqueIndex('enterprise_companies_name_key').on(t.name)],
);

/** Organisation codes (GB 11714 body, positions 9–16 of a USCC) are drawn from this, so two companies never share one. */
export const enterpriseOrgCodeSeq = pgSequence('enterprise_org_code_seq', { startWith: 1, increment: 1 });

export type ApplicationKind = 'establishment' | 'change';
export type ApplicationStatus = 'awaiting_confirmation' | 'submitted' | 'accepted' | 'approved' | 'rejected' | 'completed';

export interface EstablishmentData {
  nameId: string;
  name: string;
  district: string;
  addressDetail: string;
  scopeCodes: string[];
  scopeText: string;
  registeredCapitalYuan: number;
  legalRepresentative: PersonRecord;
  shareholders: ShareholderRecord[];
  officers: Officers;
}

export interface ChangeData {
  scope?: { codes: string[]; text: string };
  address?: { district: string; detail: string };
  legalRepresentative?: PersonRecord;
  registeredCapitalYuan?: number;
}

/** Registration applications: establishment (设立登记) and change (变更登记). */
export const enterpriseApplications = pgTable(
  'enterprise_applications',
  {
    id: uuid('id')
      .primaryKey()
      .default(sql`gen_random_uuid()`),
    kind: text('kind').$type<ApplicationKind>().notNull(),
    applicantId: uuid('applicant_id').notNull(),
    companyId: uuid('company_id'),
    status: text('status').$type<ApplicationStatus>().notNull(),
    data: jsonb('data').$type<EstablishmentData | ChangeData>().notNull(),
    /** Who decided: a member of staff, or the system under a rule (straight-through). */
    decidedBy: text('decided_by').$type<'staff' | 'system'>(),
    decidedByUserId: uuid('decided_by_user_id'),
    rule: text('rule'),
    reason: text('reason'),
    submittedAt: timestamp('submitted_at', { withTimezone: true, mode: 'date' }).notNull(),
    decidedAt: timestamp('decided_at', { withTimezone: true, mode: 'date' }),
    completedAt: timestamp('completed_at', { withTimezone: true, mode: 'date' }),
    /** The licence issued on completion. */
    licenceId: text('licence_id'),
    updatedAt: timestamp('updated_at', { withTimezone: true, mode: 'date' }).notNull(),
  },
  (t) => [index('enterprise_applications_status_idx').on(t.status, t.submittedAt), index('enterprise_applications_applicant_idx').on(t.applicantId)],
);

/** Each natural person named in an establishment confirms it by signing in (实名认证 + 电子签名). */
export const enterpriseConfirmations = pgTable(
  'enterprise_confirmations',
  {
    applicationId: uuid('application_id')
      .notNull()
      .references(() => enterpriseApplications.id, { onDelete: 'cascade' }),
    idNumber: text('id_number').notNull(),
    name: text('name').notNull(),
    roles: jsonb('roles').$type<string[]>().notNull(),
    confirmedAt: timestamp('confirmed_at', { withTimezone: true, mode: 'date' }),
    confirmedBy: uuid('confirmed_by'),
  },
  (t) => [primaryKey({ columns: [t.applicationId, t.idNumber] }), index('enterprise_confirmations_id_number_idx').on(t.idNumber)],
);

/** Public history of a company (变更记录): what changed, when, before and after (never an ID number). */
export const enterpriseChanges = pgTable(
  'enterprise_changes',
  {
    id: uuid('id')
      .primaryKey()
      .default(sql`gen_random_uuid()`),
    companyId: uuid('company_id')
      .notNull()
      .references(() => enterpriseCompanies.id, { onDelete: 'cascade' }),
    applicationId: uuid('application_id'),
    at: timestamp('at', { withTimezone: true, mode: 'date' }).notNull(),
    item: text('item').$type<'scope' | 'address' | 'legalRepresentative' | 'registeredCapital'>().notNull(),
    before: text('before').notNull(),
    after: text('after').notNull(),
  },
  (t) => [index('enterprise_changes_company_idx').on(t.companyId, t.at)],
);
