import { describe, expect, it } from 'vitest';
import { checkUscc } from '../identity/index.js';
import { checkNameStructure, compareTradeNames, findConflict, forbiddenIn, orgBodyOf, orgCodeCheckChar, usccFor } from './enterprise.rules.js';

describe('enterprise rules', () => {
  it('computes the GB 11714 check character of known organisation codes', () => {
    // The demo company's code 91510107MA6CBX7Q6L holds MA6CBX7Q with check 6; standards.md's worked example 60003734 → 1.
    expect(orgCodeCheckChar('MA6CBX7Q')).toBe('6');
    expect(orgCodeCheckChar('60003734')).toBe('1');
    expect(orgCodeCheckChar('55138508')).toBe('2'); // from 91110108551385082Q
  });

  it('assigns credit codes that pass the identity module’s GB 32100 validator, with authority 9, type 1 and the area code', () => {
    const seen = new Set<string>();
    for (const n of [0, 1, 2, 30, 31, 961, 29_790, 887_503_680]) {
      const code = usccFor('510107', n);
      expect(checkUscc(code)).toEqual({ ok: true, value: code });
      expect(code.slice(0, 2)).toBe('91');
      expect(code.slice(2, 8)).toBe('510107');
      expect(orgCodeCheckChar(code.slice(8, 16))).toBe(code[16]);
      seen.add(code);
    }
    expect(seen.size).toBe(8);
    expect(orgBodyOf(31)).toBe('MA000010');
    expect(() => orgBodyOf(31 ** 6)).toThrow();
  });

  it('checks the structure of a name part by part', () => {
    const ok = { division: '成都', tradeName: '蓉锦', industry: '科技', orgForm: '有限公司' };
    expect(checkNameStructure(ok)).toEqual([]);
    const keyOf = (p: Partial<typeof ok>) => checkNameStructure({ ...ok, ...p }).map((x) => x.key);
    expect(keyOf({ division: '北京' })).toEqual(['enterprise.name.error.division']);
    expect(keyOf({ tradeName: '' })).toEqual(['enterprise.name.error.tradeNameRequired']);
    expect(keyOf({ tradeName: '锦' })).toEqual(['enterprise.name.error.tradeNameShort']);
    expect(keyOf({ tradeName: 'AB' })).toEqual(['enterprise.name.error.tradeNameChinese']);
    expect(keyOf({ tradeName: '一二三四五六七八九十百' })).toEqual(['enterprise.name.error.tradeNameLong']);
    expect(keyOf({ tradeName: '武侯' })).toEqual(['enterprise.name.error.tradeNameDivision']);
    expect(keyOf({ tradeName: '新成都' })).toEqual(['enterprise.name.error.tradeNameDivision']);
    expect(keyOf({ tradeName: '网络科技' })).toEqual(['enterprise.name.error.tradeNameIndustry']);
    expect(keyOf({ industry: '炼金' })).toEqual(['enterprise.name.error.industry']);
    expect(keyOf({ orgForm: '集团' })).toEqual(['enterprise.name.error.orgForm']);
  });

  it('finds forbidden words and identical or similar names only in the same division and industry', () => {
    expect(forbiddenIn('成都中华锦科技有限公司', [{ word: '中华', reasonZh: 'x', reasonEn: 'x' }]).map((w) => w.word)).toEqual(['中华']);
    expect(compareTradeNames('蜀锦', '蜀锦')).toBe('identical');
    expect(compareTradeNames('蜀锦坊', '蜀锦')).toBe('similar');
    expect(compareTradeNames('锦蜀', '蜀锦')).toBe('similar');
    expect(compareTradeNames('蓉城', '蜀锦')).toBeNull();
    const existing = [{ fullName: '成都蜀锦商贸有限公司', division: '成都', industry: '商贸', tradeName: '蜀锦' }];
    const name = (p: object) => ({ division: '成都', tradeName: '蜀锦', industry: '商贸', orgForm: '有限责任公司', ...p });
    expect(findConflict(name({}), existing)).toEqual({ kind: 'identical', name: '成都蜀锦商贸有限公司' });
    expect(findConflict(name({ division: '成都市' }), existing)?.kind).toBe('identical');
    expect(findConflict(name({ tradeName: '锦蜀' }), existing)?.kind).toBe('similar');
    expect(findConflict(name({ industry: '科技' }), existing)).toBeNull();
    expect(findConflict(name({ division: '成都市武侯区' }), existing)).toBeNull();
  });
});
