import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { PGlite } from '@electric-sql/pglite';
import type { ExtractTablesWithRelations } from 'drizzle-orm';
import type { PgDatabase, PgQueryResultHKT, PgTransaction } from 'drizzle-orm/pg-core';
import { drizzle as drizzlePglite } from 'drizzle-orm/pglite';
import { migrate as migratePglite } from 'drizzle-orm/pglite/migrator';
import { drizzle as drizzlePg } from 'drizzle-orm/node-postgres';
import { migrate as migratePg } from 'drizzle-orm/node-postgres/migrator';
import pg from 'pg';
import * as schema from './schema.js';

export type Schema = typeof schema;
export type Db = PgDatabase<PgQueryResultHKT, Schema, ExtractTablesWithRelations<Schema>>;
export type Tx = PgTransaction<PgQueryResultHKT, Schema, ExtractTablesWithRelations<Schema>>;
/** A database handle or an open transaction: repositories accept either. */
export type Executor = Db | Tx;

export interface SqlResult {
  rows: Record<string, unknown>[];
}

export interface Database {
  kind: 'pglite' | 'postgresql';
  db: Db;
  /** Raw SQL with $1-style parameters, for pg-boss and the few statements Drizzle cannot express. */
  query(text: string, values?: unknown[]): Promise<SqlResult>;
  migrate(): Promise<void>;
  close(): Promise<void>;
}

export const migrationsFolder = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../migrations');

export interface OpenOptions {
  databaseUrl?: string | undefined;
  /** Directory for PGlite; undefined means in memory. */
  pgliteDir?: string | undefined;
  /** A PGlite data dump to start from (tests start from a migrated template). */
  loadDataDir?: Blob | File | undefined;
  /** Connections to the PostgreSQL server (default 20). */
  poolSize?: number | undefined;
  /** Told when the server drops a connection the pool holds idle (restart, failover, an administrator). */
  onConnectionLost?: ((error: Error) => void) | undefined;
}

export async function openDatabase(options: OpenOptions): Promise<Database> {
  if (options.databaseUrl) {
    const pool = new pg.Pool({ connectionString: options.databaseUrl, max: options.poolSize ?? 20 });
    // Without a listener a dropped idle connection would end the process; the pool discards it and opens
    // another on demand, and a server that is really gone fails the next query instead.
    pool.on('error', (error) => options.onConnectionLost?.(error));
    const db = drizzlePg(pool, { schema }) as unknown as Db;
    return {
      kind: 'postgresql',
      db,
      query: async (text, values) => {
        const r = await pool.query(text, values as unknown[] | undefined);
        // A multi-statement string returns one result per statement; the caller wants the last.
        const last = Array.isArray(r) ? (r[r.length - 1] as pg.QueryResult) : r;
        return { rows: last?.rows ?? [] };
      },
      migrate: async () => {
        // Several instances may start at once: one migrates, the others wait on the lock.
        const client = await pool.connect();
        try {
          await client.query('SELECT pg_advisory_lock(727100)');
          await migratePg(drizzlePg(client), { migrationsFolder });
        } finally {
          await client.query('SELECT pg_advisory_unlock(727100)').catch(() => undefined);
          client.release();
        }
      },
      close: () => pool.end(),
    };
  }
  if (options.pgliteDir) mkdirSync(options.pgliteDir, { recursive: true });
  const client = await PGlite.create({
    ...(options.pgliteDir ? { dataDir: options.pgliteDir } : {}),
    ...(options.loadDataDir ? { loadDataDir: options.loadDataDir } : {}),
  });
  const db = drizzlePglite(client, { schema }) as unknown as Db;
  return {
    kind: 'pglite',
    db,
    query: async (text, values) => {
      if (values && values.length > 0) return (await client.query(text, values)) as SqlResult;
      const results = await client.exec(text);
      return (results[results.length - 1] as SqlResult | undefined) ?? { rows: [] };
    },
    migrate: () => migratePglite(drizzlePglite(client), { migrationsFolder }),
    close: () => client.close(),
  };
}

export async function dumpPglite(database: Database): Promise<Blob> {
  const client = (database.db as unknown as { $client: PGlite }).$client;
  return client.dumpDataDir('none');
}
