/**
 * `npx tsx bench/hall.ts`: the hall's figures on 127.0.0.1.
 *
 * 1. Post → routed and acknowledged: one citizen posts complaints one after another through
 *    POST /api/v1/hall/posts (real HTTP on loopback); the 201 comes back after the transaction that routes
 *    the post (text classifier), writes the forward and the acknowledgement and schedules the SLA jobs has
 *    committed, so the request's latency is the time to routed-and-acknowledged. Target p99 < 100 ms.
 * 2. Posts/s: autocannon posts complaints with BENCH_CONNECTIONS connections for BENCH_DURATION seconds.
 *
 * Runs on embedded PGlite, and also on PostgreSQL when DATABASE_URL is set (use a scratch database: the
 * bench writes posts and users there). Environment: BENCH_POSTS (sequential posts, default 200),
 * BENCH_DURATION (seconds of load, default 8), BENCH_CONNECTIONS (default 10).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { AddressInfo } from 'node:net';
import autocannon from 'autocannon';
import { loadConfig } from '../src/config.js';
import { buildApp } from '../src/app.js';
import { closeContext, createContext } from '../src/platform/bootstrap.js';
import { seedCatalog } from '../src/modules/catalog/index.js';
import { createUser } from '../test/factories.js';

const int = (name: string, fallback: number, max: number) => {
  const v = Number(process.env[name] ?? fallback);
  if (!Number.isInteger(v) || v < 1 || v > max) throw new Error(`${name} must be an integer from 1 to ${max}`);
  return v;
};
const sequentialPosts = int('BENCH_POSTS', 200, 100_000);
const duration = int('BENCH_DURATION', 8, 600);
const connections = int('BENCH_CONNECTIONS', 10, 1000);

const complaints = [
  { title: '公交司机态度恶劣', body: '今天乘坐 28 路公交车，司机辱骂乘客，希望调查处理。' },
  { title: '小区噪音扰民', body: '附近工地夜间施工噪音很大，影响休息。' },
  { title: '社保缴费问题', body: '公司没有按时给员工缴纳社保，怎么投诉？' },
  { title: '学校收费不合理', body: '孩子学校额外收取资料费，是否合规？' },
];

const quantile = (sorted: number[], q: number) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? NaN;

interface Row {
  database: string;
  /** The same sequential measurement of GET /healthz (one SELECT 1): what the machine gives any request now. */
  baselineP50: number;
  baselineP99: number;
  p50: number;
  p99: number;
  max: number;
  postsPerSecond: number;
  non2xx: number;
}

async function measure(databaseUrl: string | undefined): Promise<Row> {
  const dataDir = mkdtempSync(path.join(tmpdir(), 'servicehall-bench-hall-'));
  const config = loadConfig({
    DATA_DIR: dataDir,
    LOG_LEVEL: process.env.LOG_LEVEL || 'warn',
    HALL_POST_LIMIT: '1000000',
    SEED_DEMO: 'false',
    ...(databaseUrl ? { DATABASE_URL: databaseUrl } : {}),
  });
  const ctx = await createContext(config);
  const app = await buildApp(ctx);
  try {
    await seedCatalog(ctx.db);
    const citizen = await createUser(ctx, { realName: '压测市民' });
    await app.listen({ host: '127.0.0.1', port: 0 });
    const url = `http://127.0.0.1:${(app.server.address() as AddressInfo).port}/api/v1/hall/posts`;
    const headers = { authorization: citizen.authorization, 'content-type': 'application/json' };
    const post = async (i: number) => {
      const c = complaints[i % complaints.length]!;
      const started = performance.now();
      const res = await fetch(url, { method: 'POST', headers, body: JSON.stringify({ kind: 'complaint', ...c }) });
      const took = performance.now() - started;
      const json = (await res.json()) as { status?: string };
      if (res.status !== 201 || !json.status) throw new Error(`post ${i}: ${res.status} ${JSON.stringify(json)}`);
      return took;
    };
    for (let i = 0; i < 20; i++) await post(i); // warm-up: JIT, model, caches
    const times: number[] = [];
    const baseline: number[] = [];
    const health = `http://127.0.0.1:${(app.server.address() as AddressInfo).port}/healthz`;
    // Interleaved, so a busy moment of the machine weighs on both alike.
    for (let i = 0; i < sequentialPosts; i++) {
      times.push(await post(i));
      const started = performance.now();
      await (await fetch(health)).text();
      baseline.push(performance.now() - started);
    }
    times.sort((a, b) => a - b);
    baseline.sort((a, b) => a - b);
    // Every post has its acknowledgement in the thread when the 201 arrives (checked on the last one).
    const list = (await (await fetch(`${url}?limit=1`)).json()) as { items: { id: string }[] };
    const thread = (await (await fetch(`${url}/${list.items[0]!.id}`)).json()) as { entries: { kind: string }[] };
    if (!thread.entries.some((e) => e.kind === 'ack')) throw new Error('a post came back without its acknowledgement');

    const load = await autocannon({
      url,
      method: 'POST',
      connections,
      duration,
      workers: 1,
      headers,
      body: JSON.stringify({ kind: 'complaint', ...complaints[0]! }),
    });
    return {
      database: ctx.database.kind,
      baselineP50: quantile(baseline, 0.5),
      baselineP99: quantile(baseline, 0.99),
      p50: quantile(times, 0.5),
      p99: quantile(times, 0.99),
      max: times[times.length - 1] ?? NaN,
      postsPerSecond: load['2xx'] / duration,
      non2xx: load.non2xx,
    };
  } finally {
    // Requests autocannon sent in its last instant may still be in flight.
    await new Promise((r) => setTimeout(r, 1000));
    await Promise.race([app.close(), new Promise((r) => setTimeout(r, 5000))]);
    await Promise.race([closeContext(ctx), new Promise((r) => setTimeout(r, 5000))]);
    rmSync(dataDir, { recursive: true, force: true });
  }
}

const targets: (string | undefined)[] = [undefined, ...(process.env.DATABASE_URL ? [process.env.DATABASE_URL] : [])];
console.log(`hall bench: ${sequentialPosts} sequential posts, then ${duration} s of load with ${connections} connections`);
console.log('database   | post→routed+ack p50 | p99 (target < 100 ms) | max      | GET /healthz p50 / p99 (baseline) | posts/s | non-2xx');
for (const target of targets) {
  const r = await measure(target);
  console.log(
    `${r.database.padEnd(10)} | ${r.p50.toFixed(1).padStart(16)} ms | ${r.p99.toFixed(1).padStart(18)} ms | ${r.max.toFixed(1).padStart(5)} ms | ${r.baselineP50.toFixed(1).padStart(13)} / ${r.baselineP99.toFixed(1).padStart(6)} ms | ${r.postsPerSecond
      .toFixed(0)
      .padStart(7)} | ${r.non2xx}`,
  );
}
process.exit(0);
