import { and, desc, eq, isNull } from 'drizzle-orm';
import type { Executor } from '../../../platform/db/db.js';
import { hallOpen311Clients, hallOpen311Requests, type Open311ClientRow, type Open311RequestRow } from './open311.schema.js';

export async function insertClient(ex: Executor, row: typeof hallOpen311Clients.$inferInsert): Promise<Open311ClientRow> {
  const [created] = await ex.insert(hallOpen311Clients).values(row).returning();
  if (!created) throw new Error('insert returned no row');
  return created;
}

export async function findActiveClientByKeyHash(ex: Executor, keyHash: string): Promise<Open311ClientRow | undefined> {
  const [row] = await ex
    .select()
    .from(hallOpen311Clients)
    .where(and(eq(hallOpen311Clients.keyHash, keyHash), isNull(hallOpen311Clients.revokedAt)))
    .limit(1);
  return row;
}

export const listClients = (ex: Executor): Promise<Open311ClientRow[]> => ex.select().from(hallOpen311Clients).orderBy(desc(hallOpen311Clients.createdAt));

export async function revokeClient(ex: Executor, id: string, at: Date): Promise<Open311ClientRow | undefined> {
  const [row] = await ex
    .update(hallOpen311Clients)
    .set({ revokedAt: at })
    .where(and(eq(hallOpen311Clients.id, id), isNull(hallOpen311Clients.revokedAt)))
    .returning();
  return row;
}

export async function insertRequest(ex: Executor, row: Open311RequestRow): Promise<void> {
  // A retried request (same Idempotency-Key) finds the post's existing token instead.
  await ex.insert(hallOpen311Requests).values(row).onConflictDoNothing();
}

export async function findRequestByToken(ex: Executor, token: string): Promise<Open311RequestRow | undefined> {
  const [row] = await ex.select().from(hallOpen311Requests).where(eq(hallOpen311Requests.token, token)).limit(1);
  return row;
}

export async function findRequestByPost(ex: Executor, postId: string): Promise<Open311RequestRow | undefined> {
  const [row] = await ex.select().from(hallOpen311Requests).where(eq(hallOpen311Requests.postId, postId)).limit(1);
  return row;
}
