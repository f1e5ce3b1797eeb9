import { randomBytes } from 'node:crypto';
import { rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import pg from 'pg';
import pino from 'pino';
import type { TestProject } from 'vitest/node';
import { openDatabase, dumpPglite } from '../src/platform/db/db.js';
import { createJobs } from '../src/platform/jobs/jobs.js';

declare module 'vitest' {
  export interface ProvidedContext {
    /** A PGlite data dump, migrated, that each test file starts from (initdb and migrations once per run). */
    pgliteTemplate: string;
    /** On a PostgreSQL server: a migrated template database each test file copies. */
    pgTemplateDatabase: string;
  }
}

/** Migrates once per run; test files then start from a copy instead of running initdb and every migration. */
export default async function setup(project: TestProject) {
  const log = pino({ level: 'silent' });
  const serverUrl = process.env.TEST_DATABASE_URL;
  if (serverUrl) {
    const name = `sh_template_${process.pid}_${randomBytes(3).toString('hex')}`;
    const admin = new pg.Client({ connectionString: serverUrl });
    await admin.connect();
    await admin.query(`CREATE DATABASE ${name}`);
    const url = new URL(serverUrl);
    url.pathname = `/${name}`;
    const database = await openDatabase({ databaseUrl: url.toString() });
    await database.migrate();
    const jobs = await createJobs(database, log);
    await jobs.stop();
    await database.close();
    project.provide('pgTemplateDatabase', name);
    project.provide('pgliteTemplate', '');
    return async () => {
      await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await admin.end();
    };
  }
  const database = await openDatabase({});
  await database.migrate();
  const jobs = await createJobs(database, log);
  await jobs.stop();
  const file = path.join(tmpdir(), `servicehall-template-${process.pid}-${randomBytes(3).toString('hex')}.tar`);
  writeFileSync(file, Buffer.from(await (await dumpPglite(database)).arrayBuffer()));
  await database.close();
  project.provide('pgliteTemplate', file);
  project.provide('pgTemplateDatabase', '');
  return () => rmSync(file, { force: true });
}
