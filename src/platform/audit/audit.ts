import { createHash } from 'node:crypto';
import { asc, gt, sql, type SQL } from 'drizzle-orm';
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

/**
 * The log is several hash chains side by side: each transaction appends to one chain (its transaction id modulo
 * `auditChains`), and only appends to the same chain wait for each other. One chain serialised every transaction
 * that audits (nearly all writes) from its first audit record to its commit, fsync included.
 */
export const auditChains = 8;

/** The first record of chain 0 links to zeros (the log was one chain before); each other chain has its own start. */
export const genesisHash = '0'.repeat(64);
export const genesisOf = (chain: number): string => (chain === 0 ? genesisHash : createHash('sha256').update(`servicehall audit chain ${chain}`).digest('hex'));

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
 * The call that appends `entry` to the hash-chained audit log, as an SQL expression (its value is the record's seq),
 * for a statement that writes the change it describes in the same transaction (cases' submission does).
 * platform_audit_append (migration 0013) takes the transaction's chain lock, held until the transaction ends, then
 * reads the chain's last hash and the next seq in a query that sees the previous holder's commit (so two writers
 * never link to the same record), and inserts the record. It is sent the record's canonical JSON without seq,
 * which sorts last, and hashes exactly what hashRecord hashes.
 */
export function auditAppend(entry: AuditEntry): SQL {
  return appendCall(auditArguments(entry));
}

/** platform_audit_append's arguments for `entry`, in order. */
function auditArguments(entry: AuditEntry): unknown[] {
  const at = new Date();
  const fields: Omit<HashedFields, 'seq'> = {
    at,
    actorType: entry.actorType,
    actorId: entry.actorId ?? null,
    action: entry.action,
    resourceType: entry.resourceType ?? null,
    resourceId: entry.resourceId ?? null,
    outcome: entry.outcome,
    detail: entry.detail ?? {},
    ip: entry.ip ?? null,
  };
  const body = canonical({ ...fields, at: at.toISOString() }).slice(0, -1);
  const { actorType, actorId, action, resourceType, resourceId, outcome, detail, ip } = fields;
  return [auditChains, at.toISOString(), actorType, actorId, action, resourceType, resourceId, outcome, JSON.stringify(detail), ip, body];
}

const appendCall = (a: unknown[]): SQL =>
  sql`platform_audit_append(${a[0]}, ${a[1]}::timestamptz, ${a[2]}, ${a[3]}, ${a[4]}, ${a[5]}, ${a[6]}, ${a[7]}, ${a[8]}::jsonb, ${a[9]}, ${a[10]})`;

const auditPlaceholderNames = Array.from({ length: 11 }, (_, i) => `audit${i}`);

/**
 * auditAppend for a statement prepared once (see prepared()): `auditAppendPlaceholders` goes in the statement
 * where auditAppend's SQL would, and `auditPlaceholders(entry)` among the values it is executed with.
 */
export const auditAppendPlaceholders: SQL = appendCall(auditPlaceholderNames.map((name) => sql.placeholder(name)));
export const auditPlaceholders = (entry: AuditEntry): Record<string, unknown> =>
  Object.fromEntries(auditArguments(entry).map((value, i) => [auditPlaceholderNames[i], value]));

/**
 * Appends to the hash-chained audit log. Pass the business transaction so the record commits (or not) with the
 * change it describes; a transaction's records all go to the same chain (so one lock each, and no deadlock).
 * Outside a transaction the one statement is a transaction of its own.
 */
export async function recordAudit(executor: Executor, entry: AuditEntry): Promise<void> {
  await executor.execute(sql`SELECT ${auditAppend(entry)}`);
}

/** Drizzle's execute() returns rows directly on some drivers and {rows} on others. */
export function rowsOf<T>(result: unknown): T[] {
  if (Array.isArray(result)) return result as T[];
  return ((result as { rows?: T[] }).rows ?? []) as T[];
}

export interface ChainReport {
  ok: boolean;
  checked: number;
  /** The first record that was altered, inserted, or whose predecessor was removed. */
  firstBadSeq: number | null;
  reason: string | null;
  /**
   * One hash over the last intact record of every chain (in chain order); operators may note it elsewhere to
   * detect removal of the newest records. `heads` has each chain's own.
   */
  headHash: string;
  heads: Record<number, string>;
}

interface ChainState {
  prevHash: string;
  beforePrev: string | null;
  lastSeq: number;
}

/**
 * Recomputes every hash in order and names the first record that does not fit its chain: altered (its hash does
 * not match its content), inserted (the next record of its chain links past it), or following a removed record
 * (its link points at nothing we have seen). Removing the newest records of a chain leaves a shorter valid chain;
 * compare headHash with a noted value to catch that.
 */
export async function verifyAuditChain(executor: Executor, batchSize = 1000): Promise<ChainReport> {
  const chains = new Map<number, ChainState>();
  const heads = (): Record<number, string> => Object.fromEntries([...chains].sort(([a], [b]) => a - b).map(([c, st]) => [c, st.prevHash]));
  const report = (bad: Pick<ChainReport, 'checked' | 'firstBadSeq' | 'reason'> & { ok: boolean }): ChainReport => {
    const h = heads();
    const headHash = createHash('sha256').update(Object.values(h).join('\n')).digest('hex');
    return { ...bad, headHash, heads: h };
  };
  let afterSeq = 0;
  let checked = 0;
  for (;;) {
    const rows = await executor.select().from(auditLog).where(gt(auditLog.seq, afterSeq)).orderBy(asc(auditLog.seq)).limit(batchSize);
    if (rows.length === 0) return report({ ok: true, checked, firstBadSeq: null, reason: null });
    for (const row of rows) {
      const st = chains.get(row.chain) ?? { prevHash: genesisOf(row.chain), beforePrev: null, lastSeq: 0 };
      chains.set(row.chain, st);
      if (row.prevHash !== st.prevHash) {
        // It links to the record before the previous one of its chain: the previous one was slipped in.
        if (st.beforePrev && row.prevHash === st.beforePrev) {
          st.prevHash = st.beforePrev;
          return report({ ok: false, checked: checked - 1, firstBadSeq: st.lastSeq, reason: 'record was inserted (the next record links past it)' });
        }
        return report({
          ok: false,
          checked,
          firstBadSeq: row.seq,
          reason: 'link to the previous record is broken (a record before it was removed or altered)',
        });
      }
      const expected = hashRecord(st.prevHash, {
        seq: row.seq,
        at: row.at,
        actorType: row.actorType,
        actorId: row.actorId,
        action: row.action,
        resourceType: row.resourceType,
        resourceId: row.resourceId,
        outcome: row.outcome,
        detail: row.detail,
        ip: row.ip,
      });
      if (expected !== row.hash)
        return report({ ok: false, checked, firstBadSeq: row.seq, reason: 'content does not match its hash (the record was altered)' });
      st.beforePrev = st.prevHash;
      st.prevHash = row.hash;
      st.lastSeq = row.seq;
      afterSeq = row.seq;
      checked++;
    }
  }
}
