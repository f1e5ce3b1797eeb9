/**
 * `npm run hall:train [-- --data <csv>] [--seed n] [--held-out-share x]`: trains the routing model from the
 * complaints CSV and, when DATABASE_URL or DATA_DIR is set, from the hall's answered posts; writes the
 * model into the project and the held-out rows to data/held-out.csv.
 * `npm run hall:evaluate -- <file.csv>`: routes every row with the shipped model; the last line is
 * `accuracy=<0..1> macro_f1=<0..1> n=<rows>`.
 */
import { existsSync, readFileSync, writeFileSync, mkdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import { parseArgs } from 'node:util';
import { MODEL_FILE, readModelFile } from './index.js';
import { CsvInputError, parseLabelledCsv, toLabelledCsv } from './routing.data.js';
import { loadModel } from './routing.model.js';
import { evaluateRows, formatEvaluation, runTraining, type AnsweredPost } from './routing.pipeline.js';

class UsageError extends Error {}

export const HELD_OUT_FILE = fileURLToPath(new URL('./data/held-out.csv', import.meta.url));

/** The training CSV: --data, else HALL_TRAINING_CSV, else shared/data beside the project or its parent. */
function trainingCsv(explicit: string | undefined): string {
  const candidates = [
    explicit,
    process.env.HALL_TRAINING_CSV,
    '../shared/data/complaints/messages-train.csv',
    '../../shared/data/complaints/messages-train.csv',
  ];
  for (const c of candidates) if (c && existsSync(c)) return c;
  throw new CsvInputError('Training data not found: pass --data <messages-train.csv> or set HALL_TRAINING_CSV');
}

/** The hall's answered posts, read from the configured database (only when one is configured). */
async function answeredPosts(): Promise<AnsweredPost[]> {
  if (!process.env.DATABASE_URL && !process.env.DATA_DIR) return [];
  const { loadConfig } = await import('../../../config.js');
  const { createContext, closeContext } = await import('../../../platform/bootstrap.js');
  const { listAnsweredPostsForTraining } = await import('../index.js');
  const ctx = await createContext(loadConfig());
  try {
    return (await listAnsweredPostsForTraining(ctx.db)).filter((p) => p.text.trim() && p.departmentCode);
  } finally {
    await closeContext(ctx);
  }
}

async function train(argv: string[]): Promise<number> {
  const { values } = parseArgs({
    args: argv,
    options: {
      data: { type: 'string' },
      seed: { type: 'string', default: '42' },
      'held-out-share': { type: 'string', default: '0.2' },
      out: { type: 'string' },
      'held-out-out': { type: 'string' },
    },
  });
  const seed = Number(values.seed);
  const share = Number(values['held-out-share']);
  if (!Number.isInteger(seed) || !(share >= 0 && share < 1)) throw new UsageError('--seed must be an integer and --held-out-share in [0, 1)');
  const csv = trainingCsv(values.data);
  const rows = parseLabelledCsv(readFileSync(csv));
  const posts = await answeredPosts();
  const started = Date.now();
  const run = runTraining(rows, posts, { heldOutShare: share, seed });
  const out = values.out ?? fileURLToPath(MODEL_FILE);
  writeFileSync(out, gzipSync(JSON.stringify(run.model), { level: 9 }));
  const heldOutFile = values['held-out-out'] ?? HELD_OUT_FILE;
  mkdirSync(path.dirname(heldOutFile), { recursive: true });
  writeFileSync(heldOutFile, toLabelledCsv(run.heldOut));
  console.log(`Trained on ${run.model.trainedOn.documents} documents (${posts.length} answered posts) from ${csv} in ${Date.now() - started} ms`);
  console.log(`Labels: ${run.model.labels.join(', ')}; features: ${run.model.features.length}; temperature: ${run.model.temperature}`);
  console.log(`Model written to ${out}; ${run.heldOut.length} held-out rows written to ${heldOutFile}`);
  console.log(`held_out_category_accuracy=${run.heldOutAccuracy.toFixed(4)}`);
  return 0;
}

function evaluate(argv: string[]): number {
  const file = argv.find((a) => a !== '--');
  if (!file) {
    console.error('Usage: npm run hall:evaluate -- <file.csv>   (UTF-8, columns text,label)');
    return 2;
  }
  if (!existsSync(file)) {
    console.error(`No such file: ${file}`);
    return 2;
  }
  const rows = parseLabelledCsv(readFileSync(file));
  const loaded = loadModel(readModelFile());
  const started = performance.now();
  const result = evaluateRows(loaded, rows);
  const ms = performance.now() - started;
  console.log(`Routed ${rows.length} rows in ${ms.toFixed(0)} ms (${rows.length ? (ms / rows.length).toFixed(2) : '0'} ms per row)`);
  console.log(formatEvaluation(result));
  return 0;
}

export async function main(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  try {
    if (command === 'train') return await train(rest);
    if (command === 'evaluate') return evaluate(rest);
    console.error('Usage: routing.cli.ts train|evaluate …');
    return 2;
  } catch (error) {
    if (
      error instanceof CsvInputError ||
      error instanceof UsageError ||
      (error instanceof Error && 'code' in error && String(error.code).startsWith('ERR_PARSE_ARGS'))
    ) {
      console.error(error.message);
      return 2;
    }
    throw error;
  }
}

if (process.argv[1] && fileURLToPath(import.meta.url) === path.resolve(process.argv[1])) {
  main(process.argv.slice(2)).then(
    (code) => process.exit(code),
    (error: unknown) => {
      console.error(error);
      process.exit(1);
    },
  );
}
