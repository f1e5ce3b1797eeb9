import { and, asc, desc, eq, gt, ilike, inArray, isNull, or, sql } from 'drizzle-orm';
import type { Executor } from '../../platform/db/db.js';
import { rowsOf } from '../../platform/audit/audit.js';
import {
  enterpriseApplications as applications,
  enterpriseChanges as changes,
  enterpriseCompanies as companies,
  enterpriseConfirmations as confirmations,
  enterpriseForbiddenWords as forbiddenWords,
  enterpriseNames as names,
  enterpriseScopeItems as scopeItems,
} from './enterprise.schema.js';

/** The only place with the enterprise module's SQL. */

export type CompanyRow = typeof companies.$inferSelect;
export type ApplicationRow = typeof applications.$inferSelect;
export type NameRow = typeof names.$inferSelect;
export type ScopeItemRow = typeof scopeItems.$inferSelect;
export type ConfirmationRow = typeof confirmations.$inferSelect;
export type ChangeRow = typeof changes.$inferSelect;

// --- reference data -------------------------------------------------------------------------------------

export const listForbiddenWords = (ex: Executor) => ex.select().from(forbiddenWords).orderBy(asc(forbiddenWords.word));

export async function insertForbiddenWord(ex: Executor, w: { word: string; reasonZh: string; reasonEn: string }) {
  const [row] = await ex.insert(forbiddenWords).values(w).onConflictDoNothing().returning();
  return row;
}

export async function deleteForbiddenWord(ex: Executor, id: string) {
  const [row] = await ex.delete(forbiddenWords).where(eq(forbiddenWords.id, id)).returning();
  return row;
}

export const listScopeItems = (ex: Executor) => ex.select().from(scopeItems).orderBy(asc(scopeItems.sortOrder), asc(scopeItems.code));

export async function upsertScopeItems(ex: Executor, rows: (typeof scopeItems.$inferInsert)[]) {
  if (rows.length) await ex.insert(scopeItems).values(rows).onConflictDoNothing();
}

export async function insertForbiddenWords(ex: Executor, rows: (typeof forbiddenWords.$inferInsert)[]) {
  if (rows.length) await ex.insert(forbiddenWords).values(rows).onConflictDoNothing();
}

// --- names ----------------------------------------------------------------------------------------------

/** Names that block a new declaration: registered ones, and reservations still running. */
export function listBlockingNames(ex: Executor, now: Date) {
  return ex
    .select({ id: names.id, fullName: names.fullName, division: names.division, industry: names.industry, tradeName: names.tradeName })
    .from(names)
    .where(or(eq(names.status, 'registered'), and(eq(names.status, 'reserved'), gt(names.reservedUntil, now))));
}

export async function insertName(ex: Executor, row: typeof names.$inferInsert) {
  const [out] = await ex.insert(names).values(row).returning();
  if (!out) throw new Error('name insert returned nothing');
  return out;
}

export async function findName(ex: Executor, id: string) {
  const [row] = await ex.select().from(names).where(eq(names.id, id));
  return row;
}

export async function findNameForUpdate(ex: Executor, id: string) {
  const [row] = await ex.select().from(names).where(eq(names.id, id)).for('update');
  return row;
}

export async function setNameStatus(ex: Executor, id: string, status: NameRow['status']) {
  await ex.update(names).set({ status }).where(eq(names.id, id));
}

export function listNamesOf(ex: Executor, userId: string) {
  return ex.select().from(names).where(eq(names.declaredBy, userId)).orderBy(desc(names.createdAt)).limit(50);
}

/** Serialises name declarations in one division and industry, so two people cannot reserve similar names at once. */
export async function lockNameSpace(ex: Executor, division: string, industry: string) {
  await ex.execute(sql`SELECT pg_advisory_xact_lock(hashtext(${`enterprise-name:${division}:${industry}`}))`);
}

// --- companies ------------------------------------------------------------------------------------------

export async function insertCompany(ex: Executor, row: typeof companies.$inferInsert) {
  const [out] = await ex.insert(companies).values(row).onConflictDoNothing().returning();
  return out;
}

export async function findCompanyByUscc(ex: Executor, uscc: string) {
  const [row] = await ex.select().from(companies).where(eq(companies.uscc, uscc));
  return row;
}

export async function findCompany(ex: Executor, id: string, forUpdate = false) {
  const q = ex.select().from(companies).where(eq(companies.id, id));
  const [row] = forUpdate ? await q.for('update') : await q;
  return row;
}

export async function updateCompany(ex: Executor, id: string, set: Partial<typeof companies.$inferInsert>) {
  const [row] = await ex.update(companies).set(set).where(eq(companies.id, id)).returning();
  return row;
}

const escapeLike = (s: string) => s.replace(/[\\%_]/g, (c) => `\\${c}`);

/** The public register: by name (any part, Chinese included) or by credit code (from its start). */
export function searchCompanies(ex: Executor, q: string, limit: number, offset: number) {
  const where = q === '' ? undefined : or(ilike(companies.name, `%${escapeLike(q)}%`), ilike(companies.uscc, `${escapeLike(q.toUpperCase())}%`));
  return ex.select().from(companies).where(where).orderBy(desc(companies.establishedOn), asc(companies.name)).limit(limit).offset(offset);
}

export async function nextOrgCodeSequence(ex: Executor): Promise<number> {
  const [row] = rowsOf<{ n: number | string }>(await ex.execute(sql`SELECT nextval('enterprise_org_code_seq')::bigint AS n`));
  return Number(row?.n);
}

export const listChanges = (ex: Executor, companyId: string) => ex.select().from(changes).where(eq(changes.companyId, companyId)).orderBy(desc(changes.at));

export async function insertChanges(ex: Executor, rows: (typeof changes.$inferInsert)[]) {
  if (rows.length) await ex.insert(changes).values(rows);
}

// --- applications ---------------------------------------------------------------------------------------

export async function insertApplication(ex: Executor, row: typeof applications.$inferInsert) {
  const [out] = await ex.insert(applications).values(row).returning();
  if (!out) throw new Error('application insert returned nothing');
  return out;
}

export async function findApplication(ex: Executor, id: string, forUpdate = false) {
  const q = ex.select().from(applications).where(eq(applications.id, id));
  const [row] = forUpdate ? await q.for('update') : await q;
  return row;
}

export async function updateApplication(ex: Executor, id: string, set: Partial<typeof applications.$inferInsert>) {
  const [row] = await ex.update(applications).set(set).where(eq(applications.id, id)).returning();
  if (!row) throw new Error('application update returned nothing');
  return row;
}

export const listApplicationsOf = (ex: Executor, userId: string) =>
  ex.select().from(applications).where(eq(applications.applicantId, userId)).orderBy(desc(applications.submittedAt)).limit(50);

export const listQueue = (ex: Executor) =>
  ex
    .select()
    .from(applications)
    .where(inArray(applications.status, ['submitted', 'accepted']))
    .orderBy(asc(applications.submittedAt))
    .limit(200);

export const hasOpenChange = async (ex: Executor, companyId: string) => {
  const [row] = await ex
    .select({ id: applications.id })
    .from(applications)
    .where(and(eq(applications.companyId, companyId), inArray(applications.status, ['submitted', 'accepted', 'approved'])))
    .limit(1);
  return Boolean(row);
};

// --- confirmations --------------------------------------------------------------------------------------

export async function insertConfirmations(ex: Executor, rows: (typeof confirmations.$inferInsert)[]) {
  if (rows.length) await ex.insert(confirmations).values(rows);
}

export const listConfirmations = (ex: Executor, applicationId: string) =>
  ex.select().from(confirmations).where(eq(confirmations.applicationId, applicationId)).orderBy(asc(confirmations.name));

export async function confirm(ex: Executor, applicationId: string, idNumber: string, userId: string, at: Date) {
  const [row] = await ex
    .update(confirmations)
    .set({ confirmedAt: at, confirmedBy: userId })
    .where(and(eq(confirmations.applicationId, applicationId), eq(confirmations.idNumber, idNumber), isNull(confirmations.confirmedAt)))
    .returning();
  return row;
}

/** Establishments waiting for this person's confirmation. */
export const listPendingConfirmationsFor = (ex: Executor, idNumber: string) =>
  ex
    .select({ applicationId: confirmations.applicationId, roles: confirmations.roles, data: applications.data, submittedAt: applications.submittedAt })
    .from(confirmations)
    .innerJoin(applications, eq(applications.id, confirmations.applicationId))
    .where(and(eq(confirmations.idNumber, idNumber), isNull(confirmations.confirmedAt), eq(applications.status, 'awaiting_confirmation')));

/** Whether an establishment that is not refused already uses this declared name. */
export async function nameInUse(ex: Executor, nameId: string): Promise<boolean> {
  const [row] = await ex
    .select({ id: applications.id })
    .from(applications)
    .where(and(eq(applications.kind, 'establishment'), sql`${applications.data}->>'nameId' = ${nameId}`, sql`${applications.status} <> 'rejected'`))
    .limit(1);
  return Boolean(row);
}
