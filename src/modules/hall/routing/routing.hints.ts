/**
 * Department hints: phrases whose category the model underrates on raw text. In the training data
 * "公交" (bus) mostly appears in route and stop planning, labelled 城乡建设, so a complaint about a bus
 * driver was sent to housing. A hint names the category its phrase belongs to and the share of training
 * messages with the phrase that carry that category (its measured precision), which becomes the
 * category's probability when the model gave it less.
 */
import type { Category } from './categories.js';

export interface RoutingHint {
  pattern: RegExp;
  category: Category;
  /** Share of training messages matching the pattern that have the category (see README.md). */
  precision: number;
}

export const ROUTING_HINTS: readonly RoutingHint[] = [
  // A driver or conductor of a bus, taxi, coach or ride-hailing car: 67 of the 87 training messages
  // that match (spaces removed) are 交通运输: 0.77.
  { pattern: /(公交|出租|的士|网约车|客车|大巴|长途车)[^。！？!?\n]{0,8}(司机|驾驶员|乘务员|售票员)/u, category: '交通运输', precision: 0.77 },
];

/** Lifts the probability of a hinted category to the hint's precision, scaling the others to fit. */
export function applyHints(text: string, labels: readonly string[], probabilities: readonly number[]): number[] {
  let p = [...probabilities];
  for (const hint of ROUTING_HINTS) {
    const i = labels.indexOf(hint.category);
    const current = p[i];
    if (i < 0 || current === undefined || current >= hint.precision || !hint.pattern.test(text)) continue;
    const scale = current < 1 ? (1 - hint.precision) / (1 - current) : 0;
    p = p.map((x, j) => (j === i ? hint.precision : x * scale));
  }
  return p;
}
