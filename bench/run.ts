/**
 * `npm run bench`: loads the real app and a bare Fastify route on 127.0.0.1 with autocannon and prints
 * requests/s and p99 latency for each target, also as a ratio to the bare route measured in the same run.
 *
 * Both servers run in this process, and autocannon fires from a worker thread: the servers get the main
 * event loop (and, for PGlite, the database) to themselves, the load generator gets the other core, and the
 * bare route is measured under exactly the conditions the app is, so the ratio is the app's own cost.
 * A child process for the bare route would give it a different process and scheduler share than the app.
 *
 * Issue 3 adds submissions (POST /api/v1/applications as the demo citizen 13800000001 with a bearer token and a
 * fresh Idempotency-Key per request, for tax-payment-record: free, no uploads, name and ID number prefilled
 * through the exchange) and status reads (GET /api/v1/applications/{id}, round 200 of the citizen's applications), each twice: as fast as
 * the server answers (its most requests/s, autocannon), then offered at the target rate (300/s, 3,000/s) for the p99 a
 * person gets at that load: open-loop Poisson arrivals timed from when each request was due (bench/open-loop.ts; why
 * not autocannon's overallRate is said there). At saturation p99 only says how many connections the load generator
 * keeps waiting (50 connections at 439/s queue ~114 ms each on average).
 *
 * Environment: BENCH_DURATION (seconds per target, default 10), BENCH_WARMUP (seconds, default 2),
 * BENCH_CONNECTIONS (default 50), DATABASE_URL (also run on that PostgreSQL server), LOG_LEVEL (default warn).
 */
import { readFileSync, readdirSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { performance } from 'node:perf_hooks';
import type { AddressInfo } from 'node:net';
import autocannon from 'autocannon';
import Fastify from 'fastify';
import { startBenchApp } from './app.js';
import { openLoop } from './open-loop.js';

const seconds = (name: string, fallback: number) => {
  const v = Number(process.env[name] ?? fallback);
  if (!Number.isFinite(v) || v <= 0 || v > 600) throw new Error(`${name} must be a number of seconds from 1 to 600`);
  return v;
};
const duration = seconds('BENCH_DURATION', 10);
const warmup = seconds('BENCH_WARMUP', 2);
// Fastify logs two info lines per request (incoming, completed); the bench runs at warn unless told otherwise.
const logLevel = process.env.LOG_LEVEL || 'warn';
const connections = Number(process.env.BENCH_CONNECTIONS ?? 50);
if (!Number.isInteger(connections) || connections < 1 || connections > 1000) throw new Error('BENCH_CONNECTIONS must be an integer from 1 to 1000');

interface Target {
  name: string;
  path: string;
  method?: 'GET' | 'POST';
  body?: string;
  headers?: Record<string, string>;
  /** autocannon replaces `[<id>]` in the request (here: the Idempotency-Key header) with a new id per request. */
  idReplacement?: boolean;
  /** Further paths: the load cycles through `path` and these (each connection in turn; open-loop, request by request). */
  morePaths?: string[];
  /** Requests per second offered as open-loop Poisson arrivals (bench/open-loop.ts); unset: as fast as answered (autocannon). */
  rate?: number;
  /** What a correct answer looks like, checked once before the load. */
  expect: (status: number, body: string) => boolean;
}

interface Measurement {
  name: string;
  requestsPerSecond: number;
  p99: number;
  non2xx: number;
  errors: number;
  /** Requests answered in the measured run. */
  answered: number;
  /** Milliseconds the servers' event loop was busy per answered request (PGlite's work included: it runs there). */
  loopMs?: number;
  /** CPU milliseconds of this machine's PostgreSQL processes per answered request; absent without /proc. */
  postgresMs?: number;
  /** Share of the machine's CPU time the hypervisor gave to others during the run (steal in /proc/stat); absent without it. */
  stealPercent?: number;
}

type LoadTarget = Pick<Target, 'method' | 'body' | 'headers' | 'idReplacement' | 'rate' | 'morePaths'>;

const headersOf = (target: LoadTarget): Record<string, string> => ({
  ...(target.body ? { 'content-type': 'application/json' } : {}),
  ...target.headers,
});

/** Open-loop arrivals at `target.rate`: the warm-up and the measured run are one run of the generator, on the same connections. */
async function offered(url: string, target: LoadTarget & { rate: number }, onMeasuring: () => void): Promise<Omit<Measurement, 'name'>> {
  const others = (target.morePaths ?? []).map((p) => new URL(p, url).href);
  const r = await openLoop(
    {
      url: [url, ...others],
      rate: target.rate,
      warmup,
      duration,
      method: target.method ?? 'GET',
      headers: headersOf(target),
      ...(target.body ? { body: target.body } : {}),
      ...(target.idReplacement ? { idReplacement: true } : {}),
    },
    onMeasuring,
  );
  return { requestsPerSecond: r.requestsPerSecond, p99: r.p99, non2xx: r.non2xx, errors: r.errors, answered: r.answered };
}

/** As many requests as the server answers, from `connections` connections (autocannon). */
async function closedLoop(url: string, target: LoadTarget, time: number): Promise<Omit<Measurement, 'name'>> {
  const headers = headersOf(target);
  const others = (target.morePaths ?? []).map((p) => new URL(p, url).href);
  const r = await autocannon({
    url,
    connections,
    duration: time,
    // A worker thread, so the load generator does not share the servers' event loop.
    workers: 1,
    method: target.method ?? 'GET',
    ...(target.body ? { body: target.body } : {}),
    ...(Object.keys(headers).length ? { headers } : {}),
    ...(target.idReplacement ? { idReplacement: true } : {}),
    ...(others.length ? { requests: [url, ...others].map((u) => ({ path: new URL(u).pathname })) } : {}),
  });
  return { requestsPerSecond: r.requests.average, p99: r.latency.p99, non2xx: r.non2xx, errors: r.errors + r.timeouts, answered: r.requests.total };
}

/** Waits until the server has answered every request it took (autocannon stops without waiting for them). */
type Drain = () => Promise<void>;
const noDrain: Drain = async () => undefined;

/** What the event loop, PostgreSQL and the machine have used so far; taken as the measured run starts. */
const readings = () => ({ loop: performance.eventLoopUtilization(), postgres: postgresCpuMs(), cpu: machineCpu() });

async function measure(name: string, url: string, target: LoadTarget = {}, drain: Drain = noDrain): Promise<Measurement> {
  process.stderr.write(`  ${name} ...`);
  let before = readings();
  let r: Omit<Measurement, 'name'>;
  if (target.rate) {
    r = await offered(url, { ...target, rate: target.rate }, () => (before = readings()));
  } else {
    await closedLoop(url, target, warmup);
    // Sign-in queues argon2 work: let the warm-up's backlog finish so it does not slow the measured run.
    await drain();
    before = readings();
    r = await closedLoop(url, target, duration);
  }
  await drain();
  const busy = performance.eventLoopUtilization(before.loop).active;
  const postgres = postgresCpuMs();
  const cpu = machineCpu();
  process.stderr.write(` ${Math.round(r.requestsPerSecond)} req/s\n`);
  const per = (ms: number) => (r.answered ? ms / r.answered : 0);
  return {
    name,
    ...r,
    loopMs: per(busy),
    ...(before.postgres && postgres ? { postgresMs: per(postgresCpuBetween(before.postgres, postgres)) } : {}),
    ...(before.cpu && cpu && cpu.total > before.cpu.total ? { stealPercent: (100 * (cpu.steal - before.cpu.steal)) / (cpu.total - before.cpu.total) } : {}),
  };
}

/**
 * The machine's CPU ticks so far, in all and stolen (time a virtual machine's CPUs waited while the host ran
 * others), from the first line of /proc/stat; null where there is none. A run whose p99 jumps while steal is high
 * measured the host, not the app.
 */
function machineCpu(): { total: number; steal: number } | null {
  try {
    const ticks = readFileSync('/proc/stat', 'utf8').split('\n', 1)[0]!.trim().split(/\s+/).slice(1, 9).map(Number);
    return { total: ticks.reduce((a, b) => a + b, 0), steal: ticks[7] ?? 0 };
  } catch {
    return null;
  }
}

/**
 * CPU milliseconds used so far by each of this machine's PostgreSQL processes (utime and stime in /proc, at the
 * usual 100 ticks a second), or null where there is no /proc. With the server on 127.0.0.1 that is the database's
 * share of each request; PGlite runs in the event loop instead.
 */
function postgresCpuMs(): Map<string, number> | null {
  const byPid = new Map<string, number>();
  try {
    for (const pid of readdirSync('/proc')) {
      if (!/^\d+$/.test(pid)) continue;
      let stat: string;
      try {
        stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
      } catch {
        continue; // ended meanwhile
      }
      if (!stat.includes('(postgres)')) continue;
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      byPid.set(pid, (Number(fields[11]) + Number(fields[12])) * 10);
    }
  } catch {
    return null;
  }
  return byPid;
}

/** CPU milliseconds the PostgreSQL processes used between two readings (a process that ended meanwhile is not counted). */
function postgresCpuBetween(before: Map<string, number>, after: Map<string, number>): number {
  let ms = 0;
  for (const [pid, used] of after) ms += used - (before.get(pid) ?? 0);
  return ms;
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
  // Requests the server is still working on, so a target's leftovers never spill into the next one.
  const open = new WeakSet<object>();
  let inflight = 0;
  const started = await startBenchApp({
    name: 'http',
    databaseUrl: databaseUrl ?? '',
    // API sign-in is loaded from one address with one number; the limiter would answer 429 after 10.
    env: { LOG_LEVEL: logLevel, SIGN_IN_LIMIT: '10000' },
    beforeListen(app) {
      app.addHook('onRequest', async (request) => {
        open.add(request);
        inflight += 1;
      });
      app.addHook('onSend', async (request, _reply, payload) => {
        if (open.delete(request)) inflight -= 1;
        return payload;
      });
    },
  });
  const drain: Drain = async () => {
    const deadline = Date.now() + 120_000;
    while (inflight > 0 && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 50));
  };
  const { config } = started;
  return {
    drain,
    base: started.base,
    kind: started.ctx.database.kind,
    demoPassword: config.demoPassword,
    argon2MemoryKib: config.argon2MemoryKib,
    pageCacheSeconds: config.publicPageCacheSeconds,
    async close() {
      await drain();
      await started.close();
    },
  };
}

/**
 * Issue 3: submissions and status reads as the demo citizen through the API. Signs in once for a bearer
 * token and submits one application whose status is then read under load.
 */
async function caseTargets(base: string, demoPassword: string): Promise<Target[]> {
  const signIn = await fetch(`${base}/api/v1/session`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ login: '13800000001', password: demoPassword }),
  });
  if (signIn.status !== 200) throw new Error(`The demo citizen could not sign in (${signIn.status}): ${await signIn.text()}`);
  const { token } = (await signIn.json()) as { token: string };
  const auth = { authorization: `Bearer ${token}` };
  // tax-payment-record: free, no uploads; the name and ID number come from the exchange (once only), not the body.
  const body = JSON.stringify({ serviceCode: 'tax-payment-record', data: { from: '2025-01-01', to: '2025-12-31' }, delivery: { method: 'electronic' } });
  const first = await fetch(`${base}/api/v1/applications`, {
    method: 'POST',
    headers: { ...auth, 'content-type': 'application/json', 'idempotency-key': `bench-seed-${Date.now()}` },
    body,
  });
  const created = (await first.json()) as { id?: string };
  if (first.status !== 201 || !created.id) throw new Error(`The benchmark application was refused (${first.status}): ${JSON.stringify(created)}`);
  // Status reads go round 200 applications, not one: a cache must hold them all to answer without the database.
  const ids = [created.id];
  for (let i = 1; i < statusApplications; i++) {
    const res = await fetch(`${base}/api/v1/applications`, {
      method: 'POST',
      headers: { ...auth, 'content-type': 'application/json', 'idempotency-key': `bench-seed-${Date.now()}-${i}` },
      body,
    });
    ids.push(((await res.json()) as { id: string }).id);
  }
  const submit: Target = {
    name: 'POST /api/v1/applications (submit)',
    path: '/api/v1/applications',
    method: 'POST',
    body,
    headers: { ...auth, 'idempotency-key': 'bench-[<id>]' },
    idReplacement: true,
    expect: (s, b) => s === 201 && b.includes('"receiptNo"'),
  };
  const status: Target = {
    name: 'GET /api/v1/applications/{id} (status)',
    path: `/api/v1/applications/${created.id}`,
    morePaths: ids.slice(1).map((id) => `/api/v1/applications/${id}`),
    headers: auth,
    expect: (s, b) => s === 200 && b.includes('"timeline"'),
  };
  // As fast as answered (the most the server takes), then at the target rate (the latency people get at that load:
  // at saturation p99 is set by how many connections the load generator keeps waiting, not by the server).
  return [
    submit,
    status,
    { ...submit, name: `POST submit at ${submitTarget}/s offered`, rate: submitTarget },
    { ...status, name: `GET status at ${statusTarget}/s offered`, rate: statusTarget },
  ];
}

const submitTarget = 300;
const statusApplications = 200;
const statusTarget = 3000;

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
  const header = `${pad('target', 40)}${padLeft('req/s', 10)}${padLeft('p99 ms', 9)}${padLeft('vs bare', 9)}${padLeft('non-2xx', 9)}${padLeft('errors', 8)}${padLeft('loop ms/req', 13)}${padLeft('pg ms/req', 11)}${padLeft('steal', 8)}`;
  const ms = (v: number | undefined) => (v === undefined ? '-' : v.toFixed(3));
  const line = (m: Measurement) =>
    `${pad(m.name, 40)}${padLeft(m.requestsPerSecond.toFixed(0), 10)}${padLeft(m.p99.toFixed(1), 9)}${padLeft(`${((100 * m.requestsPerSecond) / bare.requestsPerSecond).toFixed(1)}%`, 9)}${padLeft(String(m.non2xx), 9)}${padLeft(String(m.errors), 8)}${padLeft(ms(m.loopMs), 13)}${padLeft(ms(m.postgresMs), 11)}${padLeft(m.stealPercent === undefined ? '-' : `${m.stealPercent.toFixed(1)}%`, 8)}`;
  return [title, header, '-'.repeat(header.length), line(bare), ...rows.map(line)].join('\n');
}

async function main() {
  const databases: (string | undefined)[] = [undefined, ...(process.env.DATABASE_URL ? [process.env.DATABASE_URL] : [])];
  console.log(
    `ServiceHall benchmark: ${connections} connections, ${duration} s per target after ${warmup} s of warm-up, 127.0.0.1 only, LOG_LEVEL=${logLevel} (per-request logs off below info)`,
  );
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
  for (const databaseUrl of databases) {
    const app = await startApp(databaseUrl);
    try {
      process.stderr.write(`app on ${app.kind}\n`);
      const rows: Measurement[] = [];
      const all = [...targets(app.demoPassword), ...(await caseTargets(app.base, app.demoPassword))];
      for (const target of all) {
        const url = app.base + target.path;
        const res = await fetch(url, {
          method: target.method ?? 'GET',
          ...(target.body ? { body: target.body } : {}),
          // The one check request gets a key of its own (autocannon fills `[<id>]` only under load).
          headers: Object.fromEntries(Object.entries(headersOf(target)).map(([k, v]) => [k, v.replace('[<id>]', 'check')])),
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
      const submit = rows.find((r) => r.name.startsWith('POST /api/v1/applications'))!;
      const status = rows.find((r) => r.name.startsWith('GET /api/v1/applications'))!;
      const submitAtRate = rows.find((r) => r.name.startsWith('POST submit at'))!;
      const statusAtRate = rows.find((r) => r.name.startsWith('GET status at'))!;
      // The rates are taken (as fast as answered ≥ the target), and at the target rate p99 < 100 ms with the rate kept.
      const casesMet =
        submit.requestsPerSecond >= submitTarget &&
        status.requestsPerSecond >= statusTarget &&
        submitAtRate.requestsPerSecond >= 0.95 * submitTarget &&
        statusAtRate.requestsPerSecond >= 0.95 * statusTarget &&
        submitAtRate.p99 < 100 &&
        statusAtRate.p99 < 100 &&
        [submit, status, submitAtRate, statusAtRate].every((m) => m.non2xx + m.errors === 0);
      // Printed as soon as each database is done, so a later failure or a kill keeps these figures.
      console.log(
        [
          table(`\nDatabase: ${app.kind} (argon2id memory ${app.argon2MemoryKib} KiB, public page cache ${app.pageCacheSeconds} s)`, rows, bare),
          `Target (item page >= 30% of bare req/s, p99 < 50 ms): ${met ? 'met' : 'NOT met'} (${(100 * ratio).toFixed(1)}%, p99 ${item.p99.toFixed(1)} ms)`,
          `Target, issue 3 (on PostgreSQL: >= 300 submissions/s, >= 3,000 status reads/s, p99 < 100 ms)${app.kind === 'postgresql' ? '' : ' [set for PostgreSQL; shown for reference]'}: ${casesMet ? 'met' : 'NOT met'} (${submit.requestsPerSecond.toFixed(0)} submissions/s, p99 ${submitAtRate.p99.toFixed(1)} ms at ${submitTarget}/s; ${status.requestsPerSecond.toFixed(0)} status reads/s, p99 ${statusAtRate.p99.toFixed(1)} ms at ${statusTarget}/s)`,
        ].join('\n'),
      );
    } finally {
      // Bounded: a backlog of slow requests or the job runner's shutdown must not keep the bench running.
      await app.close();
    }
  }
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    console.error(error);
    process.exit(1);
  },
);
