/**
 * `npm run bench`: every benchmark, one after another, each in its own process so one capability's load
 * never colours another's figures. `BENCH_ONLY=cases,transit` runs some of them; the other BENCH_*
 * variables and DATABASE_URL pass through (see each script's header).
 */
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));

/** name → script, in the order the issues came. */
const benchmarks: [string, string][] = [
  ['cases', 'run.ts'],
  ['enterprise', 'enterprise.ts'],
  ['certificates', 'certificates.ts'],
  ['hall', 'hall.ts'],
  ['routing', 'routing.ts'],
  ['transit', 'transit.ts'],
  ['transit-static', 'transit-static.ts'],
];

const only = process.env.BENCH_ONLY?.split(',')
  .map((s) => s.trim())
  .filter(Boolean);
const chosen = benchmarks.filter(([name]) => !only || only.includes(name));
if (only && chosen.length !== only.length) {
  console.error(`BENCH_ONLY names: ${benchmarks.map(([name]) => name).join(', ')}`);
  process.exit(2);
}
const failed: string[] = [];
for (const [name, script] of chosen) {
  console.log(`\n=== ${name} (bench/${script}) ===`);
  const run = spawnSync(process.execPath, ['--import', 'tsx', path.join(here, script)], { stdio: 'inherit', env: process.env });
  if (run.status !== 0) failed.push(name);
}
console.log(`\n${chosen.length - failed.length} benchmarks ran${failed.length ? `, failed: ${failed.join(', ')}` : ''}`);
process.exit(failed.length ? 1 : 0);
