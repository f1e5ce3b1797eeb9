import pg from 'pg';
import { describe, expect, it } from 'vitest';
import { openDatabase } from '../src/platform/db/db.js';
import { testDatabaseUrl } from './helpers.js';

// A PostgreSQL server may drop the connections a pool holds idle (restart, failover, an administrator):
// the process must carry on, not die of an unhandled 'error' event. PGlite has no connections to lose.
describe.runIf(testDatabaseUrl)('a PostgreSQL connection dropped by the server', () => {
  it('is reported, discarded, and the next query opens another', async () => {
    const lost: Error[] = [];
    const database = await openDatabase({ databaseUrl: testDatabaseUrl, onConnectionLost: (error) => lost.push(error) });
    try {
      const [{ pid } = { pid: 0 }] = (await database.query('SELECT pg_backend_pid() AS pid')).rows as { pid: number }[];
      const admin = new pg.Client({ connectionString: testDatabaseUrl });
      await admin.connect();
      await admin.query('SELECT pg_terminate_backend($1)', [pid]);
      await admin.end();
      for (let i = 0; i < 50 && lost.length === 0; i++) await new Promise((resolve) => setTimeout(resolve, 20));
      expect(lost.map((e) => e.message).join()).toMatch(/terminating connection/);
      const again = await database.query('SELECT 1 AS one');
      expect(again.rows).toEqual([{ one: 1 }]);
    } finally {
      await database.close();
    }
  });
});
