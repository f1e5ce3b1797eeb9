/**
 * `npx tsx bench/routing.ts [file.csv]`: the hall's routing model on the held-out split (or a given
 * `text,label` CSV): accuracy, macro F1, the share routed at once (confidence ≥ ROUTING_THRESHOLD) and how
 * many of those are right, and the time to route one post (first call, p50, p99, a 20,000-character post).
 * Runs in a few seconds, in-process, no network.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { ROUTING_THRESHOLD, departmentMatches, readModelFile, routePost } from '../src/modules/hall/routing/index.js';
import { parseLabelledCsv } from '../src/modules/hall/routing/routing.data.js';
import { loadModel } from '../src/modules/hall/routing/routing.model.js';
import { evaluateRows } from '../src/modules/hall/routing/routing.pipeline.js';

const file = process.argv[2] ?? fileURLToPath(new URL('../src/modules/hall/routing/data/held-out.csv', import.meta.url));
const rows = parseLabelledCsv(readFileSync(file));

let started = performance.now();
routePost('预热');
const firstMs = performance.now() - started;

const times: number[] = [];
const cpuTimes: number[] = [];
let routed = 0;
let routedRight = 0;
for (const row of rows) {
  started = performance.now();
  const cpu = process.cpuUsage();
  const r = routePost(row.text);
  const used = process.cpuUsage(cpu);
  times.push(performance.now() - started);
  cpuTimes.push((used.user + used.system) / 1000);
  if (r.confidence >= ROUTING_THRESHOLD) {
    routed++;
    if (departmentMatches(row.label, r.departmentCode)) routedRight++;
  }
}
times.sort((a, b) => a - b);
cpuTimes.sort((a, b) => a - b);
const pct = (p: number, list = times) => list[Math.min(list.length - 1, Math.floor((p / 100) * list.length))] ?? 0;
started = performance.now();
routePost('小区物业乱收费，电梯长期故障。'.repeat(1_300));
const longMs = performance.now() - started;

const e = evaluateRows(loadModel(readModelFile()), rows);
const table: [string, string][] = [
  ['rows', String(e.n)],
  ['accuracy (department right)', e.accuracy.toFixed(4)],
  ['macro F1', e.macroF1.toFixed(4)],
  [`routed at once (confidence ≥ ${ROUTING_THRESHOLD})`, `${((100 * routed) / Math.max(1, rows.length)).toFixed(1)}%`],
  ['  of which right', routed ? (routedRight / routed).toFixed(4) : '-'],
  ['first call (model + dictionary load), ms', firstMs.toFixed(0)],
  ['route one post p50 / p99, ms (wall clock)', `${pct(50).toFixed(2)} / ${pct(99).toFixed(2)}`],
  // On a shared machine the wall clock includes time other processes had the core; CPU time does not.
  ['route one post p50 / p99, ms (CPU time)', `${pct(50, cpuTimes).toFixed(2)} / ${pct(99, cpuTimes).toFixed(2)}`],
  ['route a 20,000-character post, ms', longMs.toFixed(2)],
];
const width = Math.max(...table.map(([k]) => k.length));
console.log(`Hall routing (${file})`);
for (const [k, v] of table) console.log(`${k.padEnd(width)}  ${v}`);
