/** The routing model: TF-IDF features and a multinomial logistic regression over the categories. */
import { extractFeatures, type FeatureOptions } from './routing.features.js';

export interface RoutingModel {
  format: 'servicehall-routing/1';
  /** Class labels (categories), in weight order. */
  labels: string[];
  options: FeatureOptions;
  /** Words seen in training; a raw text's unknown short words are dropped as stopwords. */
  vocabulary: string[];
  /** Feature keys, their inverse document frequency, and per feature one weight per label. */
  features: string[];
  idf: number[];
  weights: number[];
  bias: number[];
  /** Softmax temperature fitted on data not used for the weights (1 = none). */
  temperature: number;
  trainedOn: { documents: number; fromPosts: number; createdAt: string };
}

/** A model ready for fast scoring: maps instead of arrays. */
export interface LoadedModel {
  model: RoutingModel;
  index: Map<string, number>;
  known: Set<string>;
}

export const loadModel = (model: RoutingModel): LoadedModel => ({
  model,
  index: new Map(model.features.map((f, i) => [f, i])),
  known: new Set(model.vocabulary),
});

/** Sparse TF-IDF vector (sublinear tf, L2-normalised) over the model's features. */
export function vectorize(counts: Map<string, number>, index: Map<string, number>, idf: readonly number[]): { ids: number[]; values: number[] } {
  const ids: number[] = [];
  const values: number[] = [];
  let norm = 0;
  for (const [key, count] of counts) {
    const id = index.get(key);
    if (id === undefined) continue;
    const v = (1 + Math.log(count)) * (idf[id] ?? 0);
    ids.push(id);
    values.push(v);
    norm += v * v;
  }
  norm = Math.sqrt(norm);
  if (norm > 0) for (let i = 0; i < values.length; i++) values[i] = (values[i] ?? 0) / norm;
  return { ids, values };
}

/** Probability per label for a token list. */
export function predictTokens(loaded: LoadedModel, tokens: readonly string[]): number[] {
  const { model, index } = loaded;
  const k = model.labels.length;
  const { ids, values } = vectorize(extractFeatures(tokens, model.options), index, model.idf);
  const scores = model.bias.slice();
  for (let j = 0; j < ids.length; j++) {
    const base = (ids[j] ?? 0) * k;
    const v = values[j] ?? 0;
    for (let c = 0; c < k; c++) scores[c] = (scores[c] ?? 0) + v * (model.weights[base + c] ?? 0);
  }
  return softmax(scores, model.temperature);
}

export function softmax(scores: readonly number[], temperature = 1): number[] {
  const max = Math.max(...scores);
  const exps = scores.map((s) => Math.exp((s - max) / temperature));
  const sum = exps.reduce((a, b) => a + b, 0);
  return exps.map((e) => e / sum);
}
