/**
 * Training: TF-IDF over word and character n-gram features, multinomial logistic regression fitted by
 * stochastic gradient descent with L2 regularisation; deterministic for a given seed.
 */
import { seededRandom } from '../../../platform/random.js';
import { extractFeatures, type FeatureOptions } from './routing.features.js';
import { loadModel, predictTokens, softmax, vectorize, type RoutingModel } from './routing.model.js';

export interface TrainingDocument {
  tokens: string[];
  label: string;
}

export interface TrainOptions {
  features: FeatureOptions;
  /** A feature must occur in at least this many documents. */
  minDocumentFrequency: number;
  /** Keep at most this many features (the ones with the largest weights) in the shipped model. */
  maxFeatures: number;
  epochs: number;
  learningRate: number;
  l2: number;
  seed: number;
  /** Average the weights at the end of each epoch from this epoch on (0-based; ≥ epochs: no averaging). */
  averageFrom: number;
}

export const DEFAULT_TRAIN_OPTIONS: TrainOptions = {
  features: { charNgrams: [2], wordBigrams: false },
  minDocumentFrequency: 2,
  maxFeatures: 40_000,
  epochs: 20,
  learningRate: 0.5,
  l2: 1e-6,
  seed: 20201,
  averageFrom: 1000,
};

export function shuffle<T>(items: T[], random: () => number): T[] {
  for (let i = items.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [items[i], items[j]] = [items[j] as T, items[i] as T];
  }
  return items;
}

/** Splits documents per label so that each label keeps its share in both parts. */
export function stratifiedSplit<T>(items: readonly T[], labelOf: (item: T) => string, heldOutShare: number, seed: number): { train: T[]; heldOut: T[] } {
  const random = seededRandom(seed);
  const byLabel = new Map<string, T[]>();
  for (const item of items) {
    const list = byLabel.get(labelOf(item)) ?? [];
    list.push(item);
    byLabel.set(labelOf(item), list);
  }
  const train: T[] = [];
  const heldOut: T[] = [];
  for (const label of [...byLabel.keys()].sort()) {
    const list = shuffle([...(byLabel.get(label) ?? [])], random);
    const cut = Math.round(list.length * heldOutShare);
    heldOut.push(...list.slice(0, cut));
    train.push(...list.slice(cut));
  }
  return { train, heldOut };
}

export function trainModel(
  documents: readonly TrainingDocument[],
  labels: readonly string[],
  options: TrainOptions = DEFAULT_TRAIN_OPTIONS,
  fromPosts = 0,
): RoutingModel {
  if (documents.length === 0) throw new Error('No training documents');
  const k = labels.length;
  const labelIndex = new Map(labels.map((l, i) => [l, i]));
  const counted = documents.map((d) => ({ counts: extractFeatures(d.tokens, options.features), y: labelIndex.get(d.label) ?? -1 }));
  if (counted.some((d) => d.y < 0)) throw new Error('A training document has an unknown label');

  // Document frequencies; keep features seen in enough documents, in a stable order.
  const df = new Map<string, number>();
  for (const d of counted) for (const key of d.counts.keys()) df.set(key, (df.get(key) ?? 0) + 1);
  const kept = [...df.entries()]
    .filter(([, n]) => n >= options.minDocumentFrequency)
    .map(([key]) => key)
    .sort();
  const index = new Map(kept.map((key, i) => [key, i]));
  const n = counted.length;
  const idf = kept.map((key) => Math.log((1 + n) / (1 + (df.get(key) ?? 0))) + 1);
  const vectors = counted.map((d) => ({ ...vectorize(d.counts, index, idf), y: d.y }));

  const weights = new Float64Array(kept.length * k);
  const bias = new Float64Array(k);
  const random = seededRandom(options.seed);
  const order = vectors.map((_, i) => i);
  let step = 0;
  const scores = new Float64Array(k);
  const sumWeights = new Float64Array(weights.length);
  const sumBias = new Float64Array(k);
  let averaged = 0;
  for (let epoch = 0; epoch < options.epochs; epoch++) {
    shuffle(order, random);
    for (const i of order) {
      const { ids, values, y } = vectors[i] as (typeof vectors)[number];
      const rate = options.learningRate / (1 + options.learningRate * options.l2 * step++);
      scores.set(bias);
      for (let j = 0; j < ids.length; j++) {
        const base = (ids[j] as number) * k;
        const v = values[j] as number;
        for (let c = 0; c < k; c++) scores[c] = (scores[c] as number) + v * (weights[base + c] as number);
      }
      const p = softmax(Array.from(scores));
      for (let c = 0; c < k; c++) {
        const g = (p[c] as number) - (c === y ? 1 : 0);
        bias[c] = (bias[c] as number) - rate * g;
        for (let j = 0; j < ids.length; j++) {
          const w = (ids[j] as number) * k + c;
          weights[w] = (weights[w] as number) * (1 - rate * options.l2) - rate * g * (values[j] as number);
        }
      }
    }
    if (epoch >= options.averageFrom) {
      for (let i = 0; i < weights.length; i++) sumWeights[i] = (sumWeights[i] as number) + (weights[i] as number);
      for (let c = 0; c < k; c++) sumBias[c] = (sumBias[c] as number) + (bias[c] as number);
      averaged++;
    }
  }

  if (averaged > 0) {
    for (let i = 0; i < weights.length; i++) weights[i] = (sumWeights[i] as number) / averaged;
    for (let c = 0; c < k; c++) bias[c] = (sumBias[c] as number) / averaged;
  }

  // Prune to the features with the largest weights; round weights so the file stays small.
  const strength = kept.map((_, f) => {
    let m = 0;
    for (let c = 0; c < k; c++) m = Math.max(m, Math.abs(weights[f * k + c] as number));
    return m;
  });
  const chosen = kept
    .map((_, f) => f)
    .sort((a, b) => (strength[b] as number) - (strength[a] as number) || a - b)
    .slice(0, options.maxFeatures)
    .sort((a, b) => a - b);
  const round = (x: number, digits: number) => Math.round(x * 10 ** digits) / 10 ** digits;
  const vocabulary = new Set<string>();
  for (const d of documents) for (const t of d.tokens) vocabulary.add(t);

  return {
    format: 'servicehall-routing/1',
    labels: [...labels],
    options: options.features,
    vocabulary: [...vocabulary].sort(),
    features: chosen.map((f) => kept[f] as string),
    idf: chosen.map((f) => round(idf[f] as number, 3)),
    weights: chosen.flatMap((f) => Array.from(weights.subarray(f * k, f * k + k), (w) => round(w, 3))),
    bias: Array.from(bias, (b) => round(b, 4)),
    temperature: 1,
    trainedOn: { documents: documents.length, fromPosts, createdAt: new Date(0).toISOString() },
  };
}

/** Top-1 accuracy and macro F1 of a model on labelled token lists. */
export function evaluateTokens(model: RoutingModel, documents: readonly TrainingDocument[]): { accuracy: number; macroF1: number } {
  const loaded = loadModel(model);
  const predicted = documents.map((d) => {
    const p = predictTokens(loaded, d.tokens);
    return model.labels[p.indexOf(Math.max(...p))] ?? '';
  });
  return scoreLabels(
    documents.map((d) => d.label),
    predicted,
  );
}

/** Accuracy and macro-averaged F1 over the labels that occur in truth or prediction. */
export function scoreLabels(truth: readonly string[], predicted: readonly string[]): { accuracy: number; macroF1: number } {
  const labels = [...new Set([...truth, ...predicted])];
  let correct = 0;
  const f1s = labels.map((label) => {
    let tp = 0;
    let fp = 0;
    let fn = 0;
    truth.forEach((t, i) => {
      const p = predicted[i];
      if (t === label && p === label) tp++;
      else if (p === label) fp++;
      else if (t === label) fn++;
    });
    return tp === 0 ? 0 : (2 * tp) / (2 * tp + fp + fn);
  });
  truth.forEach((t, i) => {
    if (t === predicted[i]) correct++;
  });
  return { accuracy: truth.length ? correct / truth.length : 0, macroF1: f1s.length ? f1s.reduce((a, b) => a + b, 0) / f1s.length : 0 };
}
