/**
 * `npx tsx bench/certificates.ts`: verifications per second through the API (issue 4; target ≥ 2,000/s).
 *
 * The app runs as `npm start` runs it on 127.0.0.1; one electronic business licence is issued, then
 * autocannon (in a worker thread, so it does not share the server's event loop) posts it to
 * POST /api/v1/credentials/verify. Every request does the whole check: JWS shape and header, the key by kid
 * (parsed keys cached in memory), the ES256 signature, the data model, issuer, validity dates, and both status
 * list entries (decoded lists cached in memory until LISTEN/NOTIFY announces a change to them, so a revocation
 * committed by any instance shows at the next verification). A second target verifies a revoked licence; each
 * answer is checked once before the load. A bare Fastify route measured in the same run gives the machine's
 * ceiling, so the figure can be read on a loaded machine.
 *
 * Environment: BENCH_DURATION (seconds per target, default 10), BENCH_WARMUP (seconds, default 2),
 * BENCH_CONNECTIONS (default 20), DATABASE_URL (a PostgreSQL server instead of PGlite), LOG_LEVEL (default warn).
 */
import { cpus, loadavg } from 'node:os';
import type { AddressInfo } from 'node:net';
import autocannon from 'autocannon';
import Fastify from 'fastify';
import { startBenchApp } from './app.js';
import { issueBusinessLicence, getLicence, revokeCredential } from '../src/modules/certificates/index.js';

const seconds = (name: string, fallback: number) => {
  const v = Number(process.env[name] ?? fallback);
  if (!Number.isFinite(v) || v <= 0 || v > 600) throw new Error(`${name} must be a number of seconds from 1 to 600`);
  return v;
};
const duration = seconds('BENCH_DURATION', 10);
const warmup = seconds('BENCH_WARMUP', 2);
const connections = Number(process.env.BENCH_CONNECTIONS ?? 20);
if (!Number.isInteger(connections) || connections < 1 || connections > 1000) throw new Error('BENCH_CONNECTIONS must be an integer from 1 to 1000');
const target = 2_000;

const licence = {
  uscc: '91510107MA6CBX7Q6L',
  name: '成都蜀锦商贸有限公司',
  type: '有限责任公司（自然人投资或控股）',
  legalRepresentative: '陈建国',
  registeredCapital: '500万元人民币',
  establishedOn: '2019-03-12',
  address: '四川省成都市青羊区蜀锦路88号',
  businessScope: '一般项目：纺织品销售；服装服饰批发；服装服饰零售。',
  authority: '成都市青羊区市场监督管理局',
};

async function main(): Promise<void> {
  const { ctx, base, close } = await startBenchApp({ name: 'certificates', seed: false });
  const url = `${base}/api/v1/credentials/verify`;
  try {
    const valid = await ctx.db.transaction((tx) => issueBusinessLicence(tx, ctx, licence));
    const revoked = await ctx.db.transaction((tx) => issueBusinessLicence(tx, ctx, licence));
    await ctx.db.transaction((tx) => revokeCredential(tx, ctx, revoked.credentialId, 'bench'));
    const rows: Record<string, Record<string, string | number>> = {};
    // The machine's ceiling in this run: a bare Fastify route answering a fixed JSON body to the same POST.
    const bare = Fastify({ logger: false });
    bare.post('/', async () => ({ verdict: 'valid' }));
    await bare.listen({ host: '127.0.0.1', port: 0 });
    const bareUrl = `http://127.0.0.1:${(bare.server.address() as AddressInfo).port}/`;
    const bareBody = JSON.stringify({ credential: 'x' });
    await autocannon({
      url: bareUrl,
      connections,
      duration: warmup,
      workers: 1,
      method: 'POST',
      body: bareBody,
      headers: { 'content-type': 'application/json' },
    });
    const bareResult = await autocannon({
      url: bareUrl,
      connections,
      duration,
      workers: 1,
      method: 'POST',
      body: bareBody,
      headers: { 'content-type': 'application/json' },
    });
    await bare.close();
    const ceiling = bareResult.requests.average;
    rows['bare Fastify route (ceiling)'] = {
      'verifications/s': Math.round(ceiling),
      'p99 latency (ms)': bareResult.latency.p99,
      'non-2xx': bareResult.non2xx,
      errors: bareResult.errors,
      'target /s': '-',
      'meets target': '-',
      'share of ceiling': '100%',
    };
    for (const [name, id, verdict] of [
      ['valid licence', valid.credentialId, 'valid'],
      ['revoked licence', revoked.credentialId, 'revoked'],
    ] as const) {
      const jwt = (await getLicence(ctx.db, id))!.jwt;
      const body = JSON.stringify({ credential: jwt });
      const check = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body });
      const answer = (await check.json()) as { verdict?: string };
      if (check.status !== 200 || answer.verdict !== verdict) throw new Error(`${name}: expected ${verdict}, got ${check.status} ${JSON.stringify(answer)}`);
      const run = (time: number) =>
        autocannon({ url, connections, duration: time, workers: 1, method: 'POST', body, headers: { 'content-type': 'application/json' } });
      await run(warmup);
      const result = await run(duration);
      const perSecond = result.requests.average;
      rows[name] = {
        'verifications/s': Math.round(perSecond),
        'p99 latency (ms)': result.latency.p99,
        'non-2xx': result.non2xx,
        errors: result.errors,
        'target /s': target,
        'meets target': perSecond >= target && result.non2xx === 0 && result.errors === 0 ? 'yes' : 'no',
        'share of ceiling': `${Math.round((perSecond / ceiling) * 100)}%`,
      };
      console.log(`${name}: ${Math.round(perSecond)} verifications/s, p99 ${result.latency.p99} ms`);
    }
    console.log(`\nPOST /api/v1/credentials/verify (${ctx.database.kind}, ${connections} connections, ${duration} s each)`);
    console.table(rows);
    console.log(`Machine load average (1 min): ${loadavg()[0]!.toFixed(1)} on ${cpus().length} cores`);
  } finally {
    await close();
  }
}

await main();
