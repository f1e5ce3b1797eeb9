/**
 * Text → tokens → features. The training messages come word-segmented (jieba style), with stopwords,
 * digits and punctuation removed; citizens write raw text. A raw text is cut into words with jieba
 * (@node-rs/jieba), each word keeps only its Chinese characters, and words the training copy never
 * contains (stopwords, mostly) are dropped unless they are long, so both sides yield alike features.
 */
import { Jieba } from '@node-rs/jieba';
import { dict } from '@node-rs/jieba/dict.js';

const NON_CJK = /[^\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]+/gu;

/** Keeps the Chinese characters of a word (NFKC first, so full-width forms fold). */
export const cleanWord = (word: string): string => word.normalize('NFKC').replace(NON_CJK, '');

let jieba: Jieba | undefined;
/** The segmenter, built once on first use (about 200 ms). */
const segmenter = (): Jieba => (jieba ??= Jieba.withDict(dict));

/** Words of an already segmented training text (space-separated). */
export function tokensOfSegmented(text: string): string[] {
  return text
    .split(/\s+/u)
    .map(cleanWord)
    .filter((w) => w.length > 0);
}

/** Longest text we look at; a longer post is judged on its beginning (it keeps routing fast). */
export const MAX_TEXT_CHARS = 4000;

/**
 * Words of a raw text. `known` is the training vocabulary: an unknown word of one or two characters is
 * most likely a stopword the training copy had removed, so it is dropped.
 */
export function tokensOfRaw(text: string, known: ReadonlySet<string>): string[] {
  const words = segmenter().cut(text.slice(0, MAX_TEXT_CHARS), true);
  const out: string[] = [];
  for (const raw of words) {
    const w = cleanWord(raw);
    if (w.length === 0) continue;
    if (w.length <= 2 && !known.has(w)) continue;
    out.push(w);
  }
  return out;
}

export interface FeatureOptions {
  /** Character n-gram sizes taken inside each word (1 = single characters). */
  charNgrams: readonly number[];
  /** Also pairs of neighbouring words. */
  wordBigrams: boolean;
}

export const DEFAULT_FEATURES: FeatureOptions = { charNgrams: [1, 2], wordBigrams: false };

/** Counts the features of a token list: whole words ("w" prefix), character n-grams, word pairs. */
export function extractFeatures(tokens: readonly string[], options: FeatureOptions = DEFAULT_FEATURES): Map<string, number> {
  const counts = new Map<string, number>();
  const add = (key: string) => counts.set(key, (counts.get(key) ?? 0) + 1);
  let previous: string | undefined;
  for (const token of tokens) {
    add(`w${token}`);
    const chars = Array.from(token);
    for (const n of options.charNgrams) {
      if (n >= chars.length) continue; // the whole word is already a feature
      for (let i = 0; i + n <= chars.length; i++) add(`c${chars.slice(i, i + n).join('')}`);
    }
    if (options.wordBigrams && previous !== undefined) add(`b${previous}_${token}`);
    previous = token;
  }
  return counts;
}
