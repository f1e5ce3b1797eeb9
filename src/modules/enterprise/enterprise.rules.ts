import { usccCheckChar } from '../identity/identity.validators.js';
import { districts, industries, nameDivisions, orgForms } from './enterprise.data.js';

/**
 * Pure rules of enterprise registration: the structure of a company name (《企业名称登记管理规定》 Art. 6–11),
 * similarity between names, and the unified social credit code (GB 32100-2015, with its GB 11714 body).
 */

export interface NameParts {
  division: string;
  tradeName: string;
  industry: string;
  orgForm: string;
}

/** One problem with a declared name: the field, the message key and its parameters. */
export interface NameProblem {
  field: keyof NameParts | '_form';
  key: string;
  params?: Record<string, string>;
}

const chinese = /^[\u4e00-\u9fff]+$/u;

/** Division names (and their stems) that cannot be the trade name (Art. 8). */
const divisionWords = new Set(['中国', '四川', '成都', ...districts.flatMap((d) => [d.name, d.name.replace(/(区|县|市)$/u, '')])]);

export const fullNameOf = (p: NameParts): string => `${p.division}${p.tradeName}${p.industry}${p.orgForm}`;

export function normaliseNameParts(raw: Partial<Record<keyof NameParts, unknown>>): NameParts {
  const s = (v: unknown) => (typeof v === 'string' ? v.normalize('NFKC').replace(/\s+/gu, '') : '');
  return { division: s(raw.division), tradeName: s(raw.tradeName), industry: s(raw.industry), orgForm: s(raw.orgForm) };
}

/** Structure: each part present and of the allowed kind; the trade name at least two Chinese characters. */
export function checkNameStructure(p: NameParts): NameProblem[] {
  const problems: NameProblem[] = [];
  if (!nameDivisions.includes(p.division)) problems.push({ field: 'division', key: 'enterprise.name.error.division' });
  if (p.tradeName === '') problems.push({ field: 'tradeName', key: 'enterprise.name.error.tradeNameRequired' });
  else if (!chinese.test(p.tradeName)) problems.push({ field: 'tradeName', key: 'enterprise.name.error.tradeNameChinese' });
  else if ([...p.tradeName].length < 2) problems.push({ field: 'tradeName', key: 'enterprise.name.error.tradeNameShort' });
  else if ([...p.tradeName].length > 10) problems.push({ field: 'tradeName', key: 'enterprise.name.error.tradeNameLong' });
  else if (divisionWords.has(p.tradeName) || ['成都', '四川', '中国'].some((w) => p.tradeName.includes(w)))
    problems.push({ field: 'tradeName', key: 'enterprise.name.error.tradeNameDivision' });
  else if (industries.some((i) => p.tradeName === i.value || p.tradeName.endsWith(i.value)) || orgForms.some((f) => p.tradeName.includes(f.value)))
    problems.push({ field: 'tradeName', key: 'enterprise.name.error.tradeNameIndustry' });
  if (!industries.some((i) => i.value === p.industry)) problems.push({ field: 'industry', key: 'enterprise.name.error.industry' });
  if (!orgForms.some((f) => f.value === p.orgForm)) problems.push({ field: 'orgForm', key: 'enterprise.name.error.orgForm' });
  return problems;
}

/** The forbidden words the full name contains. */
export function forbiddenIn(fullName: string, words: readonly { word: string; reasonZh: string; reasonEn: string }[]) {
  return words.filter((w) => w.word !== '' && fullName.includes(w.word));
}

/** 成都 and 成都市 are the same division. */
export const divisionKey = (division: string): string => (division === '成都市' ? '成都' : division);

export type Conflict = { kind: 'identical' | 'similar'; name: string };

/**
 * Compares a trade name with one already registered or reserved in the same division and industry:
 * identical (the same trade name, whatever the form), or confusingly similar (one contains the other, or the
 * same characters in another order, e.g. 蜀锦 / 锦蜀 / 蜀锦坊).
 */
export function compareTradeNames(candidate: string, existing: string): Conflict['kind'] | null {
  if (candidate === existing) return 'identical';
  if (candidate.includes(existing) || existing.includes(candidate)) return 'similar';
  const sorted = (s: string) => [...s].sort().join('');
  if (candidate.length === existing.length && sorted(candidate) === sorted(existing)) return 'similar';
  return null;
}

export function findConflict(
  candidate: NameParts,
  existing: readonly { fullName: string; division: string; industry: string; tradeName: string }[],
): Conflict | null {
  const full = fullNameOf(candidate);
  let similar: Conflict | null = null;
  for (const e of existing) {
    if (e.fullName === full) return { kind: 'identical', name: e.fullName };
    if (divisionKey(e.division) !== divisionKey(candidate.division) || e.industry !== candidate.industry) continue;
    const kind = compareTradeNames(candidate.tradeName, e.tradeName);
    if (kind === 'identical') return { kind, name: e.fullName };
    if (kind === 'similar') similar ??= { kind, name: e.fullName };
  }
  return similar;
}

// --- unified social credit code -----------------------------------------------------------------------

const usccCharset = '0123456789ABCDEFGHJKLMNPQRTUWXY';
const orgWeights = [3, 7, 9, 10, 5, 8, 4, 2];

/** GB 11714 check character of an 8-character organisation-code body (digits 0–9, letters A–Z as 10–35). */
export function orgCodeCheckChar(body: string): string {
  if (!/^[0-9A-Z]{8}$/.test(body)) throw new Error('orgCodeCheckChar needs 8 characters 0-9 A-Z');
  let sum = 0;
  for (let i = 0; i < 8; i++) {
    const c = body[i]!;
    sum += (/\d/.test(c) ? Number(c) : c.charCodeAt(0) - 55) * orgWeights[i]!;
  }
  const check = 11 - (sum % 11);
  return check === 10 ? 'X' : check === 11 ? '0' : String(check);
}

/** The organisation-code body for the n-th company: "MA" (as the AMR assigns since 2015) and six base-31 characters. */
export function orgBodyOf(n: number): string {
  if (!Number.isSafeInteger(n) || n < 0 || n >= 31 ** 6) throw new Error('organisation code sequence out of range');
  let out = '';
  let rest = n;
  for (let i = 0; i < 6; i++) {
    out = usccCharset[rest % 31]! + out;
    rest = Math.floor(rest / 31);
  }
  return `MA${out}`;
}

/** A USCC of a company registered by market regulation (authority 9, type 1) in `areaCode`. */
export function usccFor(areaCode: string, sequence: number): string {
  if (!/^\d{6}$/.test(areaCode)) throw new Error('area code must be 6 digits');
  const body = orgBodyOf(sequence);
  const first17 = `91${areaCode}${body}${orgCodeCheckChar(body)}`;
  return `${first17}${usccCheckChar(first17)}`;
}
