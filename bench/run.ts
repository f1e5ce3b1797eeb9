/**
 * `npm run bench`: loads the real app and a bare Fastify route on 127.0.0.1 with autocannon and prints
 * requests/s and p99 latency for each target, also as a ratio to the bare route measured in the same run.
 *
 * Both servers run in this process, and autocannon fires from a worker thread: the servers get the main
 * event loop (and, for PGlite, the database) to themselves, the load generator gets the other core, and the
 * bare route is measured under exactly the conditions the app is, so the ratio is the app's own cost.
 * A child process for the bare route would give it a different process and scheduler share than the app.
 *
 * Environment: BENCH_DURATION (seconds per target, default 10), BENCH_WARMUP (seconds, default 2),
 * BENCH_CONNECTIONS (default 50), DATABASE_URL (also run on that PostgreSQL server), LOG_LEVEL (default warn).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import path from 'node:path';
import type { AddressInfo } from 'node:net';
import autocannon from 'autocannon';
import Fastify from 'fastify';
import { loadConfig } from '../src/config.js';
import { buildApp, modules } from '../src/app.js';
import { closeContext, createContext } from '../src/platform/bootstrap.js';

const seconds = (name: string, fallback: number) => {
  const v = Number(process.env[name] ?? fallback);
  if (!Number.isFinite(v) || v <= 0 || v > 600) throw new Error(`${name} must be a number of seconds from 1 to 600`);
  return v;
};
const duration = seconds('BENCH_DURATION', 10);
const warmup = seconds('BENCH_WARMUP', 2);
const connections = Number(process.env.BENCH_CONNECTIONS ?? 50);
if (!Number.isInteger(connections) || connections < 1 || connections > 1000) throw new Error('BENCH_CONNECTIONS must be an integer from 1 to 1000');

interface Target {
  name: string;
  path: string;
  method?: 'GET' | 'POST';
  body?: string;
  /** What a correct answer looks like, checked once before the load. */
  expect: (status: number, body: string) => boolean;
}

interface Measurement {
  name: string;
  requestsPerSecond: number;
  p99: number;
  non2xx: number;
  errors: number;
}

async function load(url: string, target: Pick<Target, 'method' | 'body'>, time: number): Promise<autocannon.Result> {
  return autocannon({
    url,
    connections,
    duration: time,
    // A worker thread, so the load generator does not share the servers' event loop.
    workers: 1,
    method: target.method ?? 'GET',
    ...(target.body ? { body: target.body, headers: { 'content-type': 'application/json' } } : {}),
  });
}

/** Waits until the server has answered every request it took (autocannon stops without waiting for them). */
type Drain = () => Promise<void>;
const noDrain: Drain = async () => undefined;

async function measure(name: string, url: string, target: Pick<Target, 'method' | 'body'> = {}, drain: Drain = noDrain): Promise<Measurement> {
  process.stderr.write(`  ${name} ...`);
  await load(url, target, warmup);
  // Sign-in queues argon2 work: let the warm-up's backlog finish so it does not slow the measured run.
  await drain();
  const r = await load(url, target, duration);
  await drain();
  process.stderr.write(` ${Math.round(r.requests.average)} req/s\n`);
  return { name, requestsPerSecond: r.requests.average, p99: r.latency.p99, non2xx: r.non2xx, errors: r.errors + r.timeouts };
}

/** A Fastify instance with one route and nothing else: the ceiling for this machine and this load generator. */
async function startBare(): Promise<{ url: string; close: () => Promise<void> }> {
  const bare = Fastify({ logger: false });
  bare.get('/bare', async () => ({ status: 'ok' }));
  await bare.listen({ host: '127.0.0.1', port: 0 });
  return { url: `http://127.0.0.1:${(bare.server.address() as AddressInfo).port}/bare`, close: () => bare.close() };
}

/** The app as `npm start` runs it, seeded with the demo data, on a free port of 127.0.0.1. */
async function startApp(databaseUrl: string | undefined) {
  const dataDir = mkdtempSync(path.join(tmpdir(), 'servicehall-bench-'));
  const config = loadConfig({
    ...process.env,
    DATABASE_URL: databaseUrl ?? '',
    DATA_DIR: dataDir,
    HOST: '127.0.0.1',
    PORT: '0',
    LOG_LEVEL: process.env.LOG_LEVEL ?? 'warn',
    // API sign-in is loaded from one address with one number; the limiter would answer 429 after 10.
    SIGN_IN_LIMIT: '10000',
  });
  const ctx = await createContext(config);
  for (const m of modules) await m.seed?.(ctx);
  for (const m of modules) await m.defineJobs?.(ctx);
  await ctx.jobs.work();
  const app = await buildApp(ctx);
  // Requests the server is still working on, so a target's leftovers never spill into the next one.
  const open = new WeakSet<object>();
  let inflight = 0;
  app.addHook('onRequest', async (request) => {
    open.add(request);
    inflight += 1;
  });
  app.addHook('onSend', async (request, _reply, payload) => {
    if (open.delete(request)) inflight -= 1;
    return payload;
  });
  const drain: Drain = async () => {
    const deadline = Date.now() + 120_000;
    while (inflight > 0 && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 50));
  };
  await app.listen({ host: '127.0.0.1', port: 0 });
  return {
    drain,
    base: `http://127.0.0.1:${(app.server.address() as AddressInfo).port}`,
    kind: ctx.database.kind,
    demoPassword: config.demoPassword,
    argon2MemoryKib: config.argon2MemoryKib,
    async close() {
      await drain();
      await app.close();
      await closeContext(ctx);
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

function targets(demoPassword: string): Target[] {
  return [
    { name: 'GET /healthz', path: '/healthz', expect: (s, b) => s === 200 && b.includes('"ok"') },
    { name: 'GET /services', path: '/services', expect: (s, b) => s === 200 && b.includes('hk-macao-endorsement') },
    {
      name: 'GET /services/hk-macao-endorsement',
      path: '/services/hk-macao-endorsement',
      expect: (s, b) => s === 200 && b.includes('<h1'),
    },
    {
      name: 'GET /services?q=发票 (search)',
      path: `/services?q=${encodeURIComponent('发票')}`,
      expect: (s, b) => s === 200 && b.includes('vat-invoice-stock'),
    },
    {
      name: 'POST /api/v1/session (argon2id)',
      path: '/api/v1/session',
      method: 'POST',
      body: JSON.stringify({ login: '13800000001', password: demoPassword }),
      expect: (s, b) => s === 200 && b.includes('"token"'),
    },
  ];
}

const pad = (s: string, n: number) => s + ' '.repeat(Math.max(0, n - [...s].length - [...s].filter((c) => c > '\u2e80').length));
const padLeft = (s: string, n: number) => ' '.repeat(Math.max(0, n - s.length)) + s;

function table(title: string, rows: Measurement[], bare: Measurement): string {
  const header = `${pad('target', 40)}${padLeft('req/s', 10)}${padLeft('p99 ms', 9)}${padLeft('vs bare', 9)}${padLeft('non-2xx', 9)}${padLeft('errors', 8)}`;
  const line = (m: Measurement) =>
    `${pad(m.name, 40)}${padLeft(m.requestsPerSecond.toFixed(0), 10)}${padLeft(m.p99.toFixed(1), 9)}${padLeft(`${((100 * m.requestsPerSecond) / bare.requestsPerSecond).toFixed(1)}%`, 9)}${padLeft(String(m.non2xx), 9)}${padLeft(String(m.errors), 8)}`;
  return [title, header, '-'.repeat(header.length), line(bare), ...rows.map(line)].join('\n');
}

async function main() {
  const databases: (string | undefined)[] = [undefined, ...(process.env.DATABASE_URL ? [process.env.DATABASE_URL] : [])];
  console.log(`ServiceHall benchmark: ${connections} connections, ${duration} s per target after ${warmup} s of warm-up, 127.0.0.1 only`);
  // Other work on the machine moves every figure; the ratios to the bare route move less.
  console.log(`Machine: ${cpus().length} cores, load average ${loadavg()[0]!.toFixed(2)} at start, Node ${process.version}`);
  const bareServer = await startBare();
  let bare: Measurement;
  try {
    process.stderr.write('bare Fastify route\n');
    bare = await measure('GET /bare (bare Fastify)', bareServer.url);
  } finally {
    await bareServer.close();
  }
  const reports: string[] = [];
  for (const databaseUrl of databases) {
    const app = await startApp(databaseUrl);
    try {
      process.stderr.write(`app on ${app.kind}\n`);
      const rows: Measurement[] = [];
      for (const target of targets(app.demoPassword)) {
        const url = app.base + target.path;
        const res = await fetch(url, {
          method: target.method ?? 'GET',
          ...(target.body ? { body: target.body, headers: { 'content-type': 'application/json' } } : {}),
        });
        const body = await res.text();
        if (!target.expect(res.status, body)) {
          process.stderr.write(`  ${target.name}: unexpected answer ${res.status}, measured anyway (see non-2xx)\n`);
        }
        rows.push(await measure(target.name, url, target, app.drain));
      }
      const item = rows.find((r) => r.name.includes('hk-macao'))!;
      const ratio = item.requestsPerSecond / bare.requestsPerSecond;
      const met = ratio >= 0.3 && item.p99 < 50;
      reports.push(
        [
          table(`\nDatabase: ${app.kind} (argon2id memory ${app.argon2MemoryKib} KiB)`, rows, bare),
          `Target (item page >= 30% of bare req/s, p99 < 50 ms): ${met ? 'met' : 'NOT met'} (${(100 * ratio).toFixed(1)}%, p99 ${item.p99.toFixed(1)} ms)`,
        ].join('\n'),
      );
    } finally {
      await app.close();
    }
  }
  console.log(reports.join('\n'));
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    console.error(error);
    process.exit(1);
  },
);
