/** Training and evaluation pipelines behind `npm run hall:train` and `npm run hall:evaluate`. */
import { CATEGORIES, CATEGORY_DEPARTMENTS, isCategory } from './categories.js';
import { tokensOfSegmented, tokensOfRaw } from './routing.features.js';
import { loadModel, predictTokens, type LoadedModel, type RoutingModel } from './routing.model.js';
import { DEFAULT_TRAIN_OPTIONS, scoreLabels, stratifiedSplit, trainModel, type TrainingDocument, type TrainOptions } from './routing.train.js';
import { routeWith } from './index.js';
import type { LabelledText } from './routing.data.js';

/** An answered post of the hall: its text and the department that finally answered it. */
export interface AnsweredPost {
  text: string;
  departmentCode: string;
}

/** Posts of a department outside the seven categories need this many examples to become a label. */
export const MIN_POSTS_FOR_NEW_DEPARTMENT = 5;

/** Departments that answer for a category's department (a child account such as bus-group). */
const PARENT_DEPARTMENT: Record<string, string> = { 'bus-group': 'transport', 'xinjin-transport': 'transport' };

/**
 * The label a post teaches: the category when its department answers exactly one category; otherwise
 * the department code itself (the model then learns departments the training data does not know).
 */
export function labelOfPost(departmentCode: string): string {
  const code = PARENT_DEPARTMENT[departmentCode] ?? departmentCode;
  const categories = CATEGORIES.filter((c) => CATEGORY_DEPARTMENTS[c].includes(code));
  return categories.length === 1 && categories[0] ? categories[0] : code;
}

export interface TrainingRun {
  model: RoutingModel;
  heldOut: LabelledText[];
  heldOutAccuracy: number;
}

/**
 * Holds out a stratified share of the CSV rows (fixed seed), fits the softmax temperature on a part of
 * the rest, then trains on all the rest plus the answered posts.
 */
export function runTraining(
  rows: readonly LabelledText[],
  posts: readonly AnsweredPost[],
  options: { heldOutShare: number; seed: number; train?: TrainOptions },
): TrainingRun {
  const train = options.train ?? DEFAULT_TRAIN_OPTIONS;
  const valid = rows.filter((r) => isCategory(r.label) && r.text.trim().length > 0);
  const { train: trainRows, heldOut } = stratifiedSplit(valid, (r) => r.label, options.heldOutShare, options.seed);
  const postDocs = posts.map((p) => ({ label: labelOfPost(p.departmentCode), text: p.text }));
  const labelCounts = new Map<string, number>();
  for (const p of postDocs) labelCounts.set(p.label, (labelCounts.get(p.label) ?? 0) + 1);
  const labels = [
    ...CATEGORIES,
    ...[...labelCounts.entries()]
      .filter(([l, n]) => !isCategory(l) && n >= MIN_POSTS_FOR_NEW_DEPARTMENT)
      .map(([l]) => l)
      .sort(),
  ];
  const known = new Set<string>();
  const csvDocs: TrainingDocument[] = trainRows.map((r) => ({ tokens: tokensOfSegmented(r.text), label: r.label }));
  for (const d of csvDocs) for (const t of d.tokens) known.add(t);
  const docs: TrainingDocument[] = [
    ...csvDocs,
    ...postDocs.filter((p) => labels.includes(p.label)).map((p) => ({ tokens: tokensOfRaw(p.text, known), label: p.label })),
  ];

  // Temperature: fitted on a tenth of the training part that the first fit did not see.
  const inner = stratifiedSplit(docs, (d) => d.label, 0.1, options.seed + 1);
  const probe = trainModel(inner.train, labels, train);
  const temperature = fitTemperature(loadModel(probe), inner.heldOut);

  const model = { ...trainModel(docs, labels, train, posts.length), temperature };
  const loaded = loadModel(model);
  const correct = heldOut.filter((r) => {
    const p = predictTokens(loaded, tokensOfSegmented(r.text));
    return model.labels[p.indexOf(Math.max(...p))] === r.label;
  }).length;
  return { model, heldOut, heldOutAccuracy: heldOut.length ? correct / heldOut.length : 0 };
}

/** The temperature that minimises the negative log-likelihood of the held documents (grid search). */
export function fitTemperature(loaded: LoadedModel, documents: readonly TrainingDocument[]): number {
  if (documents.length === 0) return 1;
  const scored = documents.map((d) => ({ logits: logitsOf(loaded, d.tokens), y: loaded.model.labels.indexOf(d.label) }));
  let best = { t: 1, nll: Infinity };
  for (let t = 0.25; t <= 6; t += 0.05) {
    let nll = 0;
    for (const { logits, y } of scored) {
      const max = Math.max(...logits);
      const sum = logits.reduce((s, l) => s + Math.exp((l - max) / t), 0);
      nll -= ((logits[y] ?? 0) - max) / t - Math.log(sum);
    }
    if (nll < best.nll) best = { t: Math.round(t * 100) / 100, nll };
  }
  return best.t;
}

/** Log-probabilities at temperature 1 are the logits up to a constant, which softmax ignores. */
const logitsOf = (loaded: LoadedModel, tokens: readonly string[]): number[] => {
  const unit = { ...loaded, model: { ...loaded.model, temperature: 1 } };
  return predictTokens(unit, tokens).map((p) => Math.log(Math.max(p, 1e-300)));
};

export interface Evaluation {
  accuracy: number;
  macroF1: number;
  n: number;
}

/** Routes every row; a row is correct when the chosen department is one its category maps to. */
export function evaluateRows(loaded: LoadedModel, rows: readonly LabelledText[]): Evaluation {
  const truth: string[] = [];
  const predicted: string[] = [];
  for (const row of rows) {
    const result = routeWith(loaded, row.text);
    const correct = isCategory(row.label) && CATEGORY_DEPARTMENTS[row.label].includes(result.departmentCode);
    truth.push(row.label);
    predicted.push(correct ? row.label : result.category || result.departmentCode);
  }
  const { accuracy, macroF1 } = scoreLabels(truth, predicted);
  return { accuracy, macroF1, n: rows.length };
}

export const formatEvaluation = (e: Evaluation): string => `accuracy=${e.accuracy.toFixed(4)} macro_f1=${e.macroF1.toFixed(4)} n=${e.n}`;
