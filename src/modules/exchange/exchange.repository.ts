import { desc, eq, inArray, or, sql, type Placeholder, type SQL } from 'drizzle-orm';
import type { Executor } from '../../platform/db/db.js';
import { prepared } from '../../platform/db/prepared.js';
import { accessLog, amrRegister, exitEntryPermits, psbGuardianship, psbHousehold } from './exchange.schema.js';

export type AccessLogRow = typeof accessLog.$inferSelect;
export type NewAccessLogRow = typeof accessLog.$inferInsert;
export type HouseholdRow = typeof psbHousehold.$inferSelect;
export type RegisterRow = typeof amrRegister.$inferSelect;
export type ExitPermitRow = typeof exitEntryPermits.$inferSelect;

// --- access log -----------------------------------------------------------------------------------

const accessLogColumns = [
  'at',
  'product',
  'holderDepartment',
  'requesterDepartment',
  'actorUserId',
  'actorKind',
  'subjectKind',
  'subjectUserId',
  'subjectEnterpriseId',
  'subjectChildIdNumber',
  'purposeServiceCode',
  'purposeApplicationId',
  'fields',
] as const;

/** Every read writes one: built once per database handle (a prepared statement), not per read. */
export async function insertAccessLog(ex: Executor, row: Omit<NewAccessLogRow, 'id'>): Promise<string> {
  const [inserted] = await prepared(ex, 'exchange_access_log_insert', (e) =>
    e
      .insert(accessLog)
      .values(Object.fromEntries(accessLogColumns.map((c) => [c, sql.placeholder(c)])) as unknown as NewAccessLogRow)
      .returning({ id: accessLog.id }),
  ).execute(Object.fromEntries(accessLogColumns.map((c) => [c, row[c] ?? null])));
  return inserted!.id;
}

/** A read recorded later, with the caller's own write (ReadOptions.deferLog): its id is chosen when the read is made. */
export type DeferredAccessLogRow = Omit<NewAccessLogRow, 'id'> & { id: string };

/**
 * Deferred reads as the one JSON parameter `accessLogInsertFrom` takes (any number of rows, so a statement prepared
 * once can carry them), keyed by column name.
 */
export function accessLogJson(rows: DeferredAccessLogRow[]): string {
  return JSON.stringify(rows.map((row) => Object.fromEntries((['id', ...accessLogColumns] as const).map((c) => [accessLog[c].name, row[c] ?? null]))));
}

/**
 * SQL that writes the rows of `accessLogJson` given as `json` (a parameter or a prepared statement's placeholder):
 * a statement of its own, or a WITH clause of the caller's statement so the reads commit with what they were for.
 */
export function accessLogInsertFrom(json: string | Placeholder): SQL {
  return sql`insert into ${accessLog} select * from jsonb_populate_recordset(null::${accessLog}, ${json}::jsonb)`;
}

/** Writes deferred reads in a statement of their own (none: nothing). */
export async function insertAccessLogs(ex: Executor, rows: DeferredAccessLogRow[]): Promise<void> {
  if (rows.length) await ex.execute(accessLogInsertFrom(accessLogJson(rows)));
}

export interface AccessLogQuery {
  /** Reads about this person. */
  userId: string;
  /** And about these companies (those the person acts for). */
  enterpriseIds: string[];
  limit: number;
  offset: number;
}

/** A person's reads, newest first; one more row than asked tells the caller whether a next page exists. */
export async function listAccessLog(ex: Executor, q: AccessLogQuery): Promise<AccessLogRow[]> {
  const about: SQL[] = [eq(accessLog.subjectUserId, q.userId)];
  if (q.enterpriseIds.length > 0) about.push(inArray(accessLog.subjectEnterpriseId, q.enterpriseIds));
  return ex
    .select()
    .from(accessLog)
    .where(or(...about))
    .orderBy(desc(accessLog.at), desc(accessLog.id))
    .limit(q.limit)
    .offset(q.offset);
}

// --- sandbox: the population system of the Public Security Bureau --------------------------------

export async function findResident(ex: Executor, idNumber: string): Promise<HouseholdRow | undefined> {
  const [row] = await prepared(ex, 'exchange_resident', (e) =>
    e
      .select()
      .from(psbHousehold)
      .where(eq(psbHousehold.idNumber, sql.placeholder('idNumber'))),
  ).execute({ idNumber });
  return row;
}

export async function listChildrenOf(ex: Executor, guardianIdNumber: string): Promise<(HouseholdRow & { relation: string })[]> {
  const rows = await ex
    .select({ resident: psbHousehold, relation: psbGuardianship.relation })
    .from(psbGuardianship)
    .innerJoin(psbHousehold, eq(psbHousehold.idNumber, psbGuardianship.childIdNumber))
    .where(eq(psbGuardianship.guardianIdNumber, guardianIdNumber))
    .orderBy(psbHousehold.idNumber);
  return rows.map((r) => ({ ...r.resident, relation: r.relation }));
}

export async function upsertResidents(ex: Executor, rows: (typeof psbHousehold.$inferInsert)[]): Promise<void> {
  if (rows.length === 0) return;
  await ex.insert(psbHousehold).values(rows).onConflictDoNothing();
}

export async function upsertGuardianships(ex: Executor, rows: (typeof psbGuardianship.$inferInsert)[]): Promise<void> {
  if (rows.length === 0) return;
  await ex.insert(psbGuardianship).values(rows).onConflictDoNothing();
}

// --- sandbox: the enterprise register of the Administration for Market Regulation -----------------

export async function findRegistration(ex: Executor, uscc: string): Promise<RegisterRow | undefined> {
  const [row] = await ex.select().from(amrRegister).where(eq(amrRegister.uscc, uscc));
  return row;
}

export async function upsertRegistrations(ex: Executor, rows: (typeof amrRegister.$inferInsert)[]): Promise<void> {
  if (rows.length === 0) return;
  await ex.insert(amrRegister).values(rows).onConflictDoNothing();
}

// --- sandbox: the exit-entry administration's permit register ---------------------------------------

export async function findExitPermit(ex: Executor, idNumber: string): Promise<ExitPermitRow | undefined> {
  const [row] = await ex.select().from(exitEntryPermits).where(eq(exitEntryPermits.idNumber, idNumber));
  return row;
}

export async function upsertExitPermits(ex: Executor, rows: (typeof exitEntryPermits.$inferInsert)[]): Promise<void> {
  if (rows.length === 0) return;
  await ex.insert(exitEntryPermits).values(rows).onConflictDoNothing();
}
