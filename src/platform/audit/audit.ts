import { createHash } from 'node:crypto';
import { asc, desc, gt, sql } from 'drizzle-orm';
import type { Executor } from '../db/db.js';
import { auditLog } from '../platform.schema.js';
import type { Actor } from '../auth/actor.js';

export interface AuditEntry {
  actorType: 'citizen' | 'staff' | 'system' | 'anonymous';
  actorId?: string | null;
  action: string;
  resourceType?: string | null;
  resourceId?: string | null;
  /** ok: done; denied: refused by policy; failed: tried and failed (e.g. a wrong password). */
  outcome: 'ok' | 'denied' | 'failed';
  detail?: Record<string, unknown>;
  ip?: string | null;
}

export const genesisHash = '0'.repeat(64);

/** JSON with sorted keys, so the same record always hashes the same. */
function canonical(value: unknown): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value ?? null);
  if (value instanceof Date) return JSON.stringify(value.toISOString());
  if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`;
  const entries = Object.entries(value as Record<string, unknown>)
    .filter(([, v]) => v !== undefined)
    .sort(([a], [b]) => (a < b ? -1 : 1));
  return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonical(v)}`).join(',')}}`;
}

interface HashedFields {
  seq: number;
  at: Date;
  actorType: string;
  actorId: string | null;
  action: string;
  resourceType: string | null;
  resourceId: string | null;
  outcome: string;
  detail: Record<string, unknown>;
  ip: string | null;
}

export function hashRecord(prevHash: string, r: HashedFields): string {
  const body = canonical({ ...r, at: r.at.toISOString() });
  return createHash('sha256').update(prevHash).update('\n').update(body).digest('hex');
}

export function actorFields(actor: Actor | null): Pick<AuditEntry, 'actorType' | 'actorId'> {
  return actor ? { actorType: actor.kind, actorId: actor.userId } : { actorType: 'anonymous', actorId: null };
}

/**
 * Appends to the hash-chained audit log. Pass the business transaction so the record commits (or not)
 * with the change it describes. Appends are serialised by a transaction-scoped advisory lock.
 */
export async function recordAudit(executor: Executor, entry: AuditEntry): Promise<void> {
  const write = async (tx: Executor) => {
    await tx.execute(sql`SELECT pg_advisory_xact_lock(727101)`);
    const [last] = await tx.select({ seq: auditLog.seq, hash: auditLog.hash }).from(auditLog).orderBy(desc(auditLog.seq)).limit(1);
    const [{ seq } = { seq: 0 }] = await tx
      .execute<{ seq: number }>(sql`SELECT nextval(pg_get_serial_sequence('platform_audit_log', 'seq'))::int AS seq`)
      .then((r) => rowsOf<{ seq: number }>(r));
    const prevHash = last?.hash ?? genesisHash;
    const fields: HashedFields = {
      seq,
      at: new Date(),
      actorType: entry.actorType,
      actorId: entry.actorId ?? null,
      action: entry.action,
      resourceType: entry.resourceType ?? null,
      resourceId: entry.resourceId ?? null,
      outcome: entry.outcome,
      detail: entry.detail ?? {},
      ip: entry.ip ?? null,
    };
    await tx.insert(auditLog).values({ ...fields, prevHash, hash: hashRecord(prevHash, fields) });
  };
  // Inside a transaction already? Then write there; otherwise open one for the lock.
  if ('rollback' in executor) await write(executor);
  else await executor.transaction(write);
}

/** Drizzle's execute() returns rows directly on some drivers and {rows} on others. */
export function rowsOf<T>(result: unknown): T[] {
  if (Array.isArray(result)) return result as T[];
  return ((result as { rows?: T[] }).rows ?? []) as T[];
}

export interface ChainReport {
  ok: boolean;
  checked: number;
  /** The first record whose hash does not match, or whose link to the previous record is broken. */
  firstBadSeq: number | null;
  reason: string | null;
}

/** Recomputes every hash in order; names the first record that was altered, inserted or removed. */
export async function verifyAuditChain(executor: Executor, batchSize = 1000): Promise<ChainReport> {
  let prevHash = genesisHash;
  let afterSeq = 0;
  let checked = 0;
  for (;;) {
    const rows = await executor.select().from(auditLog).where(gt(auditLog.seq, afterSeq)).orderBy(asc(auditLog.seq)).limit(batchSize);
    if (rows.length === 0) return { ok: true, checked, firstBadSeq: null, reason: null };
    for (const row of rows) {
      if (row.prevHash !== prevHash)
        return { ok: false, checked, firstBadSeq: row.seq, reason: 'link to the previous record is broken (a record was removed or inserted)' };
      const expected = hashRecord(prevHash, row);
      if (expected !== row.hash) return { ok: false, checked, firstBadSeq: row.seq, reason: 'content does not match its hash (the record was altered)' };
      prevHash = row.hash;
      afterSeq = row.seq;
      checked++;
    }
  }
}
