import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { inject } from 'vitest';
import pino from 'pino';
import pg from 'pg';
import { loadConfig, type Config } from '../src/config.js';
import { buildApp } from '../src/app.js';
import { createContext, closeContext } from '../src/platform/bootstrap.js';
import type { AppContext, Clock } from '../src/platform/context.js';
import { openDatabase, type Database } from '../src/platform/db/db.js';
import type { App } from '../src/platform/http/types.js';

/**
 * Tests run on embedded PGlite in memory, or on a PostgreSQL server when TEST_DATABASE_URL is set
 * (CI runs the same data tests on both). On a server each test file gets a database of its own.
 */
export const testDatabaseUrl = process.env.TEST_DATABASE_URL || undefined;

export function testConfig(env: Record<string, string> = {}): Config {
  return loadConfig({
    STAFF_TOTP_REQUIRED: 'false',
    ARGON2_MEMORY_KIB: '1024',
    LOG_LEVEL: 'silent',
    DATA_DIR: `/tmp/servicehall-test-${process.pid}-${randomBytes(4).toString('hex')}`,
    ...env,
  });
}

async function openTestDatabase(): Promise<{ database: Database; drop: () => Promise<void> }> {
  if (!testDatabaseUrl) {
    const template = inject('pgliteTemplate');
    const loadDataDir = template ? new Blob([readFileSync(template)]) : undefined;
    return { database: await openDatabase({ loadDataDir }), drop: async () => undefined };
  }
  const name = `sh_test_${process.pid}_${randomBytes(4).toString('hex')}`;
  const template = inject('pgTemplateDatabase');
  const admin = new pg.Client({ connectionString: testDatabaseUrl });
  await admin.connect();
  // Copies of one template may collide for a moment ("source database is being accessed"): retry.
  for (let attempt = 0; ; attempt++) {
    try {
      await admin.query(`CREATE DATABASE ${name}${template ? ` TEMPLATE ${template}` : ''}`);
      break;
    } catch (error) {
      if (attempt >= 20) throw error;
      await new Promise((r) => setTimeout(r, 100 + Math.random() * 200));
    }
  }
  await admin.end();
  const url = new URL(testDatabaseUrl);
  url.pathname = `/${name}`;
  const database = await openDatabase({ databaseUrl: url.toString() });
  return {
    database,
    drop: async () => {
      const c = new pg.Client({ connectionString: testDatabaseUrl });
      await c.connect();
      await c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await c.end();
    },
  };
}

export interface TestContext extends AppContext {
  cleanup(): Promise<void>;
}

/** A migrated database and the platform services, with a controllable clock when asked for. */
export async function createTestContext(options: { env?: Record<string, string>; clock?: Clock } = {}): Promise<TestContext> {
  const { database, drop } = await openTestDatabase();
  const ctx = await createContext(testConfig(options.env), { database, log: pino({ level: 'silent' }), ...(options.clock ? { clock: options.clock } : {}) });
  return {
    ...ctx,
    async cleanup() {
      await closeContext(ctx);
      await drop();
    },
  };
}

export async function createTestApp(options: { env?: Record<string, string>; clock?: Clock } = {}): Promise<{ app: App; ctx: TestContext }> {
  const ctx = await createTestContext(options);
  const app = await buildApp(ctx);
  await app.ready();
  return { app, ctx };
}

/** A clock tests can move. */
export function manualClock(start = new Date('2026-11-27T02:00:00Z')): Clock & { advance(ms: number): void; set(d: Date): void } {
  let now = start.getTime();
  return {
    now: () => new Date(now),
    advance(ms) {
      now += ms;
    },
    set(d) {
      now = d.getTime();
    },
  };
}

interface Response {
  statusCode: number;
  body: string;
  headers: Record<string, string | string[] | number | undefined>;
  json<T = Record<string, unknown>>(): T;
}

/** A browser-like client over app.inject: keeps cookies, reads the CSRF token from the last form page. */
export class TestClient {
  cookies = new Map<string, string>();
  constructor(
    readonly app: App,
    readonly headers: Record<string, string> = {},
  ) {}

  private cookieHeader(): string {
    return [...this.cookies].map(([k, v]) => `${k}=${v}`).join('; ');
  }

  private keep(setCookie: string | string[] | number | undefined) {
    if (!setCookie || typeof setCookie === 'number') return;
    for (const c of Array.isArray(setCookie) ? setCookie : [setCookie]) {
      const [pair = ''] = c.split(';');
      const i = pair.indexOf('=');
      const name = pair.slice(0, i);
      const value = pair.slice(i + 1);
      if (/max-age=0|expires=thu, 01 jan 1970/i.test(c) || value === '') this.cookies.delete(name);
      else this.cookies.set(name, value);
    }
  }

  async request(
    method: 'GET' | 'POST' | 'PUT' | 'DELETE',
    url: string,
    payload?: string | object,
    extraHeaders: Record<string, string> = {},
  ): Promise<Response> {
    const res = await this.app.inject({
      method,
      url,
      headers: { ...this.headers, cookie: this.cookieHeader(), ...extraHeaders },
      ...(payload !== undefined ? { payload } : {}),
    });
    this.keep(res.headers['set-cookie']);
    return res as unknown as Response;
  }

  get(url: string) {
    return this.request('GET', url);
  }

  /** The CSRF token of the form on the page at `pageUrl`. */
  async csrf(pageUrl: string): Promise<string> {
    const page = await this.get(pageUrl);
    const token = /name="_csrf" value="([^"]+)"/.exec(page.body)?.[1];
    if (!token) throw new Error(`No CSRF token on ${pageUrl} (status ${page.statusCode})`);
    return token;
  }

  /** Loads the form page, then posts the fields with its CSRF token, like a browser. */
  async submit(pageUrl: string, actionUrl: string, fields: Record<string, string | string[]>): Promise<Response> {
    const token = await this.csrf(pageUrl);
    const body = new URLSearchParams();
    for (const [k, v] of Object.entries({ ...fields, _csrf: token })) for (const one of Array.isArray(v) ? v : [v]) body.append(k, one);
    return this.request('POST', actionUrl, body.toString(), { 'content-type': 'application/x-www-form-urlencoded' });
  }
}
