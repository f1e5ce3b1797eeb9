/** Text rules of the hall: masking for public display, mentions, blocked words, similarity terms. */

/** A resident ID number (18 characters, or the old 15 digits) standing on its own. */
const idNumberPattern = /(?<![0-9A-Za-z])(\d{6})(\d{8})(\d{3}[\dXx])(?![0-9A-Za-z])/g;
const oldIdNumberPattern = /(?<![0-9A-Za-z])(\d{6})(\d{6})(\d{3})(?![0-9A-Za-z])/g;
/** A mainland mobile number, optionally with +86 / 86 before it. */
const mobilePattern = /(?<![0-9])((?:\+?86[- ]?)?1[3-9]\d)[- ]?(\d{4})[- ]?(\d{4})(?![0-9])/g;
/** A landline with its area code: 028-12345678 or 02812345678. */
const landlinePattern = /(?<![0-9])(0\d{2,3})-?(\d{3,4})(\d{4})(?![0-9])/g;

/** ID and phone numbers masked, so a public page never shows them (the platform keeps the original). */
export function maskPublicText(text: string): string {
  return text
    .replace(idNumberPattern, (_m, head: string, middle: string, tail: string) => `${head}${'*'.repeat(middle.length)}${tail.toUpperCase()}`)
    .replace(oldIdNumberPattern, (_m, head: string, middle: string, tail: string) => `${head}${'*'.repeat(middle.length)}${tail}`)
    .replace(mobilePattern, (_m, head: string, _mid: string, tail: string) => `${head}****${tail}`)
    .replace(landlinePattern, (_m, area: string, mid: string, tail: string) => `${area}-${'*'.repeat(mid.length)}${tail}`);
}

export interface AccountName {
  code: string;
  nameZh: string;
  nameEn: string;
}

export interface Mentions {
  /** Department codes mentioned, in order, without repeats. */
  codes: string[];
  /** What followed an @ that names no account. */
  unknown: string[];
}

/** Names by which a department may be mentioned: its code, its names, and the Chinese name without 市. */
function aliasesOf(a: AccountName): string[] {
  const list = [a.code, a.nameZh, a.nameEn, a.nameEn.replace(/\s+/g, '')];
  if (a.nameZh.startsWith('市')) list.push(a.nameZh.slice(1));
  if (a.nameZh.startsWith('成都')) list.push(a.nameZh.slice(2));
  return list.filter((s) => s.length >= 2);
}

/**
 * Mentions (@code or @name) of department accounts. An @ counts only at the start or after a space or
 * punctuation (so an e-mail address is not a mention); the longest account name that follows wins, so
 * "@成都公交集团司机" mentions bus-group.
 */
export function parseMentions(text: string, accounts: AccountName[]): Mentions {
  const aliases = accounts
    .flatMap((a) => aliasesOf(a).map((alias) => ({ alias: alias.toLowerCase(), code: a.code })))
    .sort((x, y) => y.alias.length - x.alias.length);
  const codes: string[] = [];
  const unknown: string[] = [];
  const lower = text.toLowerCase();
  for (let i = lower.indexOf('@'); i >= 0; i = lower.indexOf('@', i + 1)) {
    const before = i > 0 ? lower[i - 1]! : ' ';
    if (/[\p{L}\p{N}_.-]/u.test(before)) continue;
    const rest = lower.slice(i + 1);
    const hit = aliases.find((a) => rest.startsWith(a.alias) && !/^[a-z0-9_-]/.test(rest.slice(a.alias.length)));
    if (hit) {
      if (!codes.includes(hit.code)) codes.push(hit.code);
      continue;
    }
    const word = /^[\p{L}\p{N}_-]+/u.exec(text.slice(i + 1))?.[0];
    if (word) unknown.push(word.slice(0, 30));
  }
  return { codes, unknown };
}

/** The first blocked word found in the text, or null (case-insensitive, ignoring spaces inside it). */
export function findBlockedWord(text: string, words: readonly string[]): string | null {
  const squeezed = text.toLowerCase().replace(/\s+/g, '');
  for (const w of words) {
    const needle = w.toLowerCase().replace(/\s+/g, '');
    if (needle && squeezed.includes(needle)) return w;
  }
  return null;
}

/** The demo list of abusive words; staff extend it on the moderation page. */
export const defaultBlockedWords = ['傻逼', '操你', '去死', '王八蛋', '狗日', '贱人', 'fuck', 'motherfucker', 'bitch', 'asshole'];

const stopWords = new Set(
  'the a an and or of to in on for is are was be do does did i my me we you it this that how what when where why can with at by from about please want need get'.split(
    ' ',
  ),
);
const stopHan = new Set([
  '请问',
  '我们',
  '你们',
  '他们',
  '怎么',
  '什么',
  '如何',
  '一个',
  '这个',
  '那个',
  '可以',
  '是否',
  '现在',
  '已经',
  '没有',
  '问题',
  '办理',
]);

/**
 * Terms for "similar posts": Chinese character bigrams and lower-cased latin words (a crude stem drops a
 * final s), common words left out. Bounded, so a long post costs no more than a short one.
 */
export function termsOf(text: string, max = 300): string[] {
  const out = new Set<string>();
  const lower = text.toLowerCase().slice(0, 6000);
  for (const run of lower.match(/\p{Script=Han}+/gu) ?? []) {
    if (run.length === 1) out.add(run);
    for (let i = 0; i + 1 < run.length; i++) {
      const bigram = run.slice(i, i + 2);
      if (!stopHan.has(bigram)) out.add(bigram);
    }
  }
  for (const word of lower.match(/[a-z][a-z0-9]+/g) ?? []) {
    if (stopWords.has(word) || word.length < 3) continue;
    out.add(word.length > 4 && word.endsWith('s') ? word.slice(0, -1) : word);
  }
  return [...out].slice(0, max);
}

/** Share of the query's terms found in the candidate (0..1). */
export function overlap(query: readonly string[], candidate: readonly string[]): number {
  if (!query.length) return 0;
  const set = new Set(candidate);
  return query.filter((t) => set.has(t)).length / query.length;
}

/** Characters that are never meaningful in a post (control characters other than newline and tab). */
// eslint-disable-next-line no-control-regex -- matching control characters is the point
export const controlChars = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/g;

/** Trims, normalises newlines and drops control characters. */
export function cleanText(value: string): string {
  return value.replace(/\r\n?/g, '\n').replace(controlChars, '').trim();
}
