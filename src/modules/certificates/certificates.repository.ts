import { and, asc, desc, eq, sql } from 'drizzle-orm';
import type { Executor } from '../../platform/db/db.js';
import { statusChannel } from './certificates.feed.js';
import { credentials, signingKeys, statusEntries, statusLists, type CredentialState, type StatusPurpose } from './certificates.schema.js';

// The only file of the certificates module that speaks SQL.

export type SigningKeyRow = typeof signingKeys.$inferSelect;
export type CredentialRow = typeof credentials.$inferSelect;
export type NewCredential = typeof credentials.$inferInsert;
export type StatusListRow = typeof statusLists.$inferSelect;

// --- keys ------------------------------------------------------------------------------------------

export async function listSigningKeys(ex: Executor): Promise<SigningKeyRow[]> {
  return ex.select().from(signingKeys).orderBy(desc(signingKeys.createdAt));
}

export async function findSigningKey(ex: Executor, kid: string): Promise<SigningKeyRow | undefined> {
  const [row] = await ex.select().from(signingKeys).where(eq(signingKeys.kid, kid)).limit(1);
  return row;
}

export async function findActiveSigningKey(ex: Executor): Promise<SigningKeyRow | undefined> {
  const [row] = await ex.select().from(signingKeys).where(eq(signingKeys.status, 'active')).limit(1);
  return row;
}

export async function findActiveKid(ex: Executor): Promise<string | undefined> {
  const [row] = await ex.select({ kid: signingKeys.kid }).from(signingKeys).where(eq(signingKeys.status, 'active')).limit(1);
  return row?.kid;
}

/** Inserts a key; a concurrent creator of the first active key makes this a no-op. */
export async function insertSigningKey(ex: Executor, row: typeof signingKeys.$inferInsert): Promise<void> {
  await ex.insert(signingKeys).values(row).onConflictDoNothing();
}

export async function retireSigningKey(ex: Executor, kid: string, at: Date): Promise<void> {
  await ex
    .update(signingKeys)
    .set({ status: 'retired', retiredAt: at })
    .where(and(eq(signingKeys.kid, kid), eq(signingKeys.status, 'active')));
}

// --- credentials -----------------------------------------------------------------------------------

export async function insertCredential(ex: Executor, row: NewCredential): Promise<void> {
  await ex.insert(credentials).values(row);
}

export async function findCredential(ex: Executor, id: string, forUpdate = false): Promise<CredentialRow | undefined> {
  const q = ex.select().from(credentials).where(eq(credentials.id, id)).limit(1);
  const [row] = forUpdate ? await q.for('update') : await q;
  return row;
}

export async function latestCredentialOf(ex: Executor, uscc: string): Promise<CredentialRow | undefined> {
  const [row] = await ex.select().from(credentials).where(eq(credentials.subjectUscc, uscc)).orderBy(desc(credentials.issuedAt), desc(credentials.id)).limit(1);
  return row;
}

export async function listCredentialsOf(ex: Executor, uscc: string): Promise<CredentialRow[]> {
  return ex.select().from(credentials).where(eq(credentials.subjectUscc, uscc)).orderBy(desc(credentials.issuedAt));
}

export async function setCredentialState(ex: Executor, id: string, state: CredentialState, at: Date, reason: string | null): Promise<void> {
  await ex.update(credentials).set({ state, stateChangedAt: at, stateReason: reason }).where(eq(credentials.id, id));
}

// --- status lists ----------------------------------------------------------------------------------

/** The newest list of a purpose with the number of entries assigned in it. */
export async function latestStatusList(ex: Executor, purpose: StatusPurpose): Promise<{ list: StatusListRow; used: number } | undefined> {
  const [list] = await ex
    .select()
    .from(statusLists)
    .where(eq(statusLists.purpose, purpose))
    .orderBy(desc(statusLists.createdAt), desc(statusLists.id))
    .limit(1);
  if (!list) return undefined;
  const [count] = await ex
    .select({ used: sql<number>`count(*)::int` })
    .from(statusEntries)
    .where(eq(statusEntries.listId, list.id));
  return { list, used: Number(count?.used ?? 0) };
}

export async function countStatusLists(ex: Executor, purpose: StatusPurpose): Promise<number> {
  const [row] = await ex
    .select({ n: sql<number>`count(*)::int` })
    .from(statusLists)
    .where(eq(statusLists.purpose, purpose));
  return Number(row?.n ?? 0);
}

export async function insertStatusList(ex: Executor, row: { id: string; purpose: StatusPurpose; capacity: number }): Promise<void> {
  await ex.insert(statusLists).values(row).onConflictDoNothing();
}

export async function findStatusList(ex: Executor, id: string): Promise<StatusListRow | undefined> {
  const [row] = await ex.select().from(statusLists).where(eq(statusLists.id, id)).limit(1);
  return row;
}

export async function statusListVersion(ex: Executor, id: string): Promise<number | undefined> {
  const [row] = await ex.select({ version: statusLists.version }).from(statusLists).where(eq(statusLists.id, id)).limit(1);
  return row?.version;
}

/** Claims an index; false when another credential holds it already. */
export async function claimStatusIndex(ex: Executor, listId: string, idx: number, credentialId: string): Promise<boolean> {
  const rows = await ex.insert(statusEntries).values({ listId, idx, credentialId }).onConflictDoNothing().returning({ idx: statusEntries.idx });
  return rows.length > 0;
}

export async function entriesOfCredential(
  ex: Executor,
  credentialId: string,
): Promise<{ listId: string; idx: number; bit: boolean; purpose: StatusPurpose }[]> {
  return ex
    .select({ listId: statusEntries.listId, idx: statusEntries.idx, bit: statusEntries.bit, purpose: statusLists.purpose })
    .from(statusEntries)
    .innerJoin(statusLists, eq(statusLists.id, statusEntries.listId))
    .where(eq(statusEntries.credentialId, credentialId));
}

/** Sets or clears a credential's bit and bumps the list's version, so caches see the change at once. */
export async function setStatusBit(ex: Executor, listId: string, credentialId: string, bit: boolean, at: Date): Promise<void> {
  await ex
    .update(statusEntries)
    .set({ bit })
    .where(and(eq(statusEntries.listId, listId), eq(statusEntries.credentialId, credentialId)));
  await ex
    .update(statusLists)
    .set({ version: sql`${statusLists.version} + 1`, updatedAt: at })
    .where(eq(statusLists.id, listId));
  // Delivered at commit to every instance listening (certificates.feed.ts), so caches drop this list.
  await ex.execute(sql`SELECT pg_notify(${statusChannel}, ${listId})`);
}

export async function setBitsOf(ex: Executor, listId: string): Promise<number[]> {
  const rows = await ex
    .select({ idx: statusEntries.idx })
    .from(statusEntries)
    .where(and(eq(statusEntries.listId, listId), eq(statusEntries.bit, true)))
    .orderBy(asc(statusEntries.idx));
  return rows.map((r) => r.idx);
}
