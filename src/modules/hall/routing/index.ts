/**
 * Routing: which department a citizen's post belongs to, suggested from its text by the shipped model
 * (routing.model.json.gz, trained by `npm run hall:train`). See README.md.
 */
import { readFileSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';
import { CATEGORY_DEPARTMENTS, departmentFor, isCategory } from './categories.js';
import { tokensOfRaw } from './routing.features.js';
import { applyHints } from './routing.hints.js';
import { loadModel, predictTokens, type LoadedModel, type RoutingModel } from './routing.model.js';

export { CATEGORIES, CATEGORY_DEPARTMENTS, isCategory, type Category } from './categories.js';

/** Below this confidence a post goes to the gov-service operators' triage queue instead of a department. */
export const ROUTING_THRESHOLD = 0.6;

export interface RoutingAlternative {
  departmentCode: string;
  confidence: number;
}

export interface RoutingResult {
  /** The department the text suggests (a catalogue department code). */
  departmentCode: string;
  /** Probability (0..1) that the category, and so the department, is right. */
  confidence: number;
  /** The training data's category (one of CATEGORIES). */
  category: string;
  /** The other departments, most likely first. */
  alternatives: RoutingAlternative[];
}

export const MODEL_FILE = new URL('./routing.model.json.gz', import.meta.url);

export const readModelFile = (file: URL | string = MODEL_FILE): RoutingModel => JSON.parse(gunzipSync(readFileSync(file)).toString('utf8')) as RoutingModel;

let shipped: LoadedModel | undefined;
/** The shipped model, read once on first use. */
const shippedModel = (): LoadedModel => (shipped ??= loadModel(readModelFile()));

/** Routes with a given model (tests, evaluation of a freshly trained model). */
export function routeWith(loaded: LoadedModel, text: string): RoutingResult {
  const p = applyHints(text, loaded.model.labels, predictTokens(loaded, tokensOfRaw(text, loaded.known)));
  const ranked = loaded.model.labels.map((label, i) => ({ label, p: p[i] ?? 0 })).sort((a, b) => b.p - a.p);
  const byDepartment = new Map<string, { confidence: number; category: string }>();
  for (const { label, p: confidence } of ranked) {
    // A label that is not a category is a department learnt from the hall's answered posts.
    const code = isCategory(label) ? departmentFor(label, text) : label;
    const seen = byDepartment.get(code);
    if (seen) seen.confidence += confidence;
    else byDepartment.set(code, { confidence, category: label });
  }
  const departments = [...byDepartment.entries()].map(([departmentCode, v]) => ({ departmentCode, ...v })).sort((a, b) => b.confidence - a.confidence);
  const best = departments[0];
  if (!best) return { departmentCode: 'gov-service', confidence: 0, category: '', alternatives: [] };
  const round = (x: number) => Math.round(x * 1e4) / 1e4;
  return {
    departmentCode: best.departmentCode,
    confidence: round(best.confidence),
    category: best.category,
    alternatives: departments.slice(1).map((d) => ({ departmentCode: d.departmentCode, confidence: round(d.confidence) })),
  };
}

/** Suggests the department for a post's text (title and body). Never throws on any string. */
export function routePost(text: string): RoutingResult {
  return routeWith(shippedModel(), typeof text === 'string' ? text : '');
}

/** True when the department is one the category maps to (how evaluation counts a row correct). */
export const departmentMatches = (category: string, departmentCode: string): boolean =>
  isCategory(category) && CATEGORY_DEPARTMENTS[category].includes(departmentCode);

/** Reads the model and the segmenter's dictionary now (about a second) rather than on the first post. */
export function preloadRouting(): void {
  routePost('预热');
}
