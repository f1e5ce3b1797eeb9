import { sql } from 'drizzle-orm';
import { bigint, boolean, date, index, jsonb, pgTable, primaryKey, text, timestamp, uuid } from 'drizzle-orm/pg-core';

/**
 * Every read of a data product: who read what about whom, and why. The subject sees these rows on the
 * "Who used my data" page, so the log is written in the reader's own transaction and never updated.
 */
export const accessLog = pgTable(
  'exchange_access_log',
  {
    id: uuid('id')
      .primaryKey()
      .default(sql`gen_random_uuid()`),
    at: timestamp('at', { withTimezone: true, mode: 'date' }).notNull(),
    product: text('product').notNull(),
    /** The department that holds the data; null when several issuing departments do (certificates). */
    holderDepartment: text('holder_department'),
    /** The department that read; null when the platform read at the person's own request. */
    requesterDepartment: text('requester_department'),
    /** The signed-in person or member of staff who caused the read; null for a department's system. */
    actorUserId: uuid('actor_user_id'),
    actorKind: text('actor_kind').$type<'citizen' | 'staff' | 'system'>().notNull(),
    subjectKind: text('subject_kind').$type<'person' | 'enterprise'>().notNull(),
    subjectUserId: uuid('subject_user_id'),
    subjectEnterpriseId: uuid('subject_enterprise_id'),
    /**
     * Set when the read was about a minor child of the subject (their guardian, who applied for the child): the
     * child's resident ID number. The child has no account of their own, so the read shows on the guardian's page.
     */
    subjectChildIdNumber: text('subject_child_id_number'),
    purposeServiceCode: text('purpose_service_code').notNull(),
    purposeApplicationId: text('purpose_application_id'),
    /** The product fields that were returned (none when the holder had no record). */
    fields: jsonb('fields').$type<string[]>().notNull(),
  },
  (t) => [index('exchange_access_log_user_idx').on(t.subjectUserId, t.at), index('exchange_access_log_enterprise_idx').on(t.subjectEnterpriseId, t.at)],
);

/**
 * Sandbox of the Public Security Bureau's population system (人口信息系统): one row per registered
 * resident, keyed by resident ID number as the real system is. A real adapter replaces the provider, not this table.
 */
export const psbHousehold = pgTable('exchange_psb_household', {
  idNumber: text('id_number').primaryKey(),
  realName: text('real_name').notNull(),
  /** 户号 */
  householdNumber: text('household_number').notNull(),
  district: text('district').notNull(),
  addressDetail: text('address_detail').notNull(),
  householdHead: text('household_head').notNull(),
  /** 与户主关系, as the register writes it (户主, 子, 女, 妻 …). */
  relationToHead: text('relation_to_head').notNull(),
  updatedAt: timestamp('updated_at', { withTimezone: true, mode: 'date' }).notNull().defaultNow(),
});

/** Sandbox of the population system's guardianship records (监护关系): which minors a resident is guardian of. */
export const psbGuardianship = pgTable(
  'exchange_psb_guardianship',
  {
    guardianIdNumber: text('guardian_id_number').notNull(),
    childIdNumber: text('child_id_number').notNull(),
    relation: text('relation').$type<'mother' | 'father' | 'guardian'>().notNull(),
  },
  (t) => [primaryKey({ columns: [t.guardianIdNumber, t.childIdNumber] })],
);

/** Sandbox of the market regulator's enterprise register (市场主体登记), keyed by USCC; issue 4's enterprise module replaces it. */
export const amrRegister = pgTable('exchange_amr_register', {
  uscc: text('uscc').primaryKey(),
  name: text('name').notNull(),
  legalRepresentative: text('legal_representative').notNull(),
  address: text('address').notNull(),
  /** In yuan. */
  registeredCapitalYuan: bigint('registered_capital_yuan', { mode: 'number' }).notNull(),
  /** 企业类型, as registered. */
  type: text('type').notNull(),
  establishedOn: date('established_on', { mode: 'string' }).notNull(),
  updatedAt: timestamp('updated_at', { withTimezone: true, mode: 'date' }).notNull().defaultNow(),
});

/**
 * Sandbox of the exit-entry administration's register of travel permits (往来港澳通行证) and exit restrictions
 * (不准出境): one row per resident holding a permit, keyed by resident ID number. A real adapter calls the
 * exit-entry system instead; it replaces the provider, not this table.
 */
export const exitEntryPermits = pgTable('exchange_exit_entry_permit', {
  idNumber: text('id_number').primaryKey(),
  permitNumber: text('permit_number').notNull(),
  /** The last day the permit is valid (YYYY-MM-DD, Beijing time). */
  validUntil: date('valid_until', { mode: 'string' }).notNull(),
  /** A court, the police or another authority has barred the person from leaving the mainland (不准出境). */
  exitRestricted: boolean('exit_restricted').notNull().default(false),
  updatedAt: timestamp('updated_at', { withTimezone: true, mode: 'date' }).notNull().defaultNow(),
});
