import { execFile } from 'node:child_process';
import { rm } from 'node:fs/promises';
import path from 'node:path';
import { promisify } from 'node:util';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { openDatabase } from '../src/platform/db/db.js';
import { genesisHash, genesisOf, hashRecord, recordAudit, verifyAuditChain, type AuditEntry } from '../src/platform/audit/audit.js';
import { createTestContext, testConfig, type TestContext } from './helpers.js';

let ctx: TestContext;
beforeAll(async () => {
  ctx = await createTestContext();
});
afterAll(async () => {
  await ctx.cleanup();
});
beforeEach(async () => {
  await ctx.database.query('DELETE FROM platform_audit_log');
});

const entry = (n: number): AuditEntry => ({
  actorType: 'staff',
  actorId: null,
  action: 'catalog.item.update',
  resourceType: 'service_item',
  resourceId: `item-${n}`,
  outcome: 'ok',
  detail: { n, note: `变更 ${n}`, nested: { b: 2, a: [1, 'x'] } },
  ip: '127.0.0.1',
});

async function seqs(): Promise<number[]> {
  const { rows } = await ctx.database.query('SELECT seq FROM platform_audit_log ORDER BY seq');
  return rows.map((r) => Number(r.seq));
}

/** Five records in one transaction: one chain, so each links to the one before. */
async function writeFive(): Promise<number[]> {
  await ctx.db.transaction(async (tx) => {
    for (let i = 1; i <= 5; i++) await recordAudit(tx, entry(i));
  });
  return seqs();
}

describe('audit chain', () => {
  it('verifies intact chains, written inside and outside transactions', async () => {
    for (let i = 1; i <= 5; i++) await recordAudit(ctx.db, entry(i));
    await ctx.db.transaction(async (tx) => recordAudit(tx, entry(6)));
    await writeFive();
    const report = await verifyAuditChain(ctx.db, 2); // small batches cross batch borders
    expect(report).toMatchObject({ ok: true, checked: 11, firstBadSeq: null });
    // Separate transactions spread over the chains; a transaction's records stay in one chain, each linking to the one before.
    const { rows } = await ctx.database.query('SELECT chain, prev_hash, hash FROM platform_audit_log ORDER BY seq');
    expect(new Set(rows.slice(0, 6).map((r) => r.chain)).size).toBeGreaterThan(1);
    const last5 = rows.slice(6);
    expect(new Set(last5.map((r) => r.chain)).size).toBe(1);
    for (let i = 1; i < 5; i++) expect(last5[i]?.prev_hash).toBe(last5[i - 1]?.hash);
    // Each chain starts from its own genesis (chain 0 from zeros, as when the log was one chain).
    const firsts = new Map<number, string>();
    for (const r of rows) if (!firsts.has(Number(r.chain))) firsts.set(Number(r.chain), String(r.prev_hash));
    for (const [chain, prev] of firsts) expect(prev).toBe(genesisOf(chain));
    expect(genesisOf(0)).toBe(genesisHash);
    expect(Object.keys(report.heads).length).toBe(firsts.size);
  });

  it('names an altered record in any chain, and the head hash changes when a chain loses its newest record', async () => {
    for (let i = 1; i <= 8; i++) await recordAudit(ctx.db, entry(i));
    const intact = await verifyAuditChain(ctx.db);
    const s = await seqs();
    await ctx.database.query('DELETE FROM platform_audit_log WHERE seq = $1', [s[7]]);
    const shorter = await verifyAuditChain(ctx.db);
    expect(shorter).toMatchObject({ ok: true, checked: 7 });
    expect(shorter.headHash).not.toBe(intact.headHash);
    await ctx.database.query(`UPDATE platform_audit_log SET outcome = 'denied' WHERE seq = $1`, [s[4]]);
    expect(await verifyAuditChain(ctx.db)).toMatchObject({ ok: false, firstBadSeq: s[4] });
  });

  it('an audit record written in a rolled-back transaction leaves the chain intact', async () => {
    await writeFive();
    await expect(
      ctx.db.transaction(async (tx) => {
        await recordAudit(tx, entry(99));
        throw new Error('business failure');
      }),
    ).rejects.toThrow('business failure');
    await recordAudit(ctx.db, entry(6));
    expect(await verifyAuditChain(ctx.db)).toMatchObject({ ok: true, checked: 6 });
  });

  it('names a record whose detail was altered', async () => {
    const s = await writeFive();
    await ctx.database.query(`UPDATE platform_audit_log SET detail = '{"n": 3, "note": "forged"}' WHERE seq = $1`, [s[2]]);
    const report = await verifyAuditChain(ctx.db);
    expect(report).toMatchObject({ ok: false, firstBadSeq: s[2], checked: 2 });
    expect(report.reason).toContain('altered');
  });

  it('names the record after a removed middle record', async () => {
    const s = await writeFive();
    await ctx.database.query('DELETE FROM platform_audit_log WHERE seq = $1', [s[2]]);
    const report = await verifyAuditChain(ctx.db);
    expect(report).toMatchObject({ ok: false, firstBadSeq: s[3] });
    expect(report.reason).toContain('removed');
  });

  it('names a forged record slipped into a gap, even when its hash was recomputed', async () => {
    await ctx.db.transaction(async (tx) => {
      await recordAudit(tx, entry(1));
      // A rolled-back append (here a savepoint) leaves a free seq between the two real records of the chain.
      await tx
        .transaction(async (inner) => {
          await recordAudit(inner, entry(2));
          inner.rollback();
        })
        .catch(() => undefined);
      await recordAudit(tx, entry(3));
    });
    const [first, third] = await seqs();
    expect(third! - first!).toBe(2);
    const { rows } = await ctx.database.query('SELECT hash, chain FROM platform_audit_log WHERE seq = $1', [first]);
    const prevHash = String(rows[0]?.hash);
    const chain = Number(rows[0]?.chain);
    const forged = {
      ...entry(2),
      seq: first! + 1,
      at: new Date(),
      actorId: null,
      resourceType: 'service_item',
      resourceId: 'item-2',
      ip: null,
      detail: { forged: true },
    };
    await ctx.database.query(
      `INSERT INTO platform_audit_log (seq, at, actor_type, action, resource_type, resource_id, outcome, detail, prev_hash, hash, chain)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)`,
      [
        forged.seq,
        forged.at.toISOString(),
        forged.actorType,
        forged.action,
        forged.resourceType,
        forged.resourceId,
        forged.outcome,
        JSON.stringify(forged.detail),
        prevHash,
        hashRecord(prevHash, forged),
        chain,
      ],
    );
    const report = await verifyAuditChain(ctx.db);
    expect(report).toMatchObject({ ok: false, firstBadSeq: forged.seq, checked: 1 });
    expect(report.reason).toContain('inserted');

    // A clumsier forgery (a made-up hash) is named too.
    await ctx.database.query('UPDATE platform_audit_log SET hash = $1 WHERE seq = $2', ['f'.repeat(64), forged.seq]);
    expect(await verifyAuditChain(ctx.db)).toMatchObject({ ok: false, firstBadSeq: forged.seq });
  });

  it('does not fork the chain under parallel appends', async () => {
    await Promise.all(Array.from({ length: 20 }, (_, i) => recordAudit(ctx.db, entry(i))));
    await Promise.all(Array.from({ length: 10 }, (_, i) => ctx.db.transaction(async (tx) => recordAudit(tx, entry(100 + i)))));
    const report = await verifyAuditChain(ctx.db);
    expect(report).toMatchObject({ ok: true, checked: 30 });
    const { rows } = await ctx.database.query('SELECT count(DISTINCT prev_hash)::int AS n FROM platform_audit_log');
    expect(Number(rows[0]?.n)).toBe(30);
  });

  it('refuses to append from a REPEATABLE READ transaction, whose snapshot could fork the chain', async () => {
    // The database function refuses it (the driver's error is the cause of the query error).
    await expect(ctx.db.transaction(async (tx) => recordAudit(tx, entry(1)), { isolationLevel: 'repeatable read' })).rejects.toMatchObject({
      cause: { message: expect.stringMatching(/needs a READ COMMITTED transaction/) },
    });
    expect(await seqs()).toEqual([]);
  });
});

describe('npm run audit:verify', () => {
  it('exits 1 and names the first tampered record', async () => {
    const config = testConfig();
    // The database the CLI will open: PGlite under DATA_DIR/pg, as `npm start` makes it.
    const database = await openDatabase({ pgliteDir: path.join(config.dataDir, 'pg') });
    try {
      await database.migrate();
      for (let i = 1; i <= 3; i++) await recordAudit(database.db, entry(i));
      await database.db.execute(sql`UPDATE platform_audit_log SET action = 'tampered' WHERE seq = 2`);
    } finally {
      await database.close();
    }
    const run = promisify(execFile);
    const env = { ...process.env, DATA_DIR: config.dataDir, LOG_LEVEL: 'silent', DATABASE_URL: '' };
    const failed = await run(process.execPath, ['--import', 'tsx', 'src/main.ts', 'audit-verify'], { env }).then(
      () => null,
      (error: { code: number; stderr: string }) => error,
    );
    expect(failed?.code).toBe(1);
    expect(failed?.stderr).toContain('Audit chain broken at record 2');
    await rm(config.dataDir, { recursive: true, force: true });
  }, 60_000);
});
