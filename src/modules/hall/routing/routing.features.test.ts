import { describe, expect, it } from 'vitest';
import { cleanWord, extractFeatures, tokensOfRaw, tokensOfSegmented } from './routing.features.js';

describe('routing tokenizer', () => {
  it('splits a segmented training text and drops digits, Latin masks and punctuation', () => {
    expect(tokensOfSegmented('A1 区 蔡锷 南路 2019 年 ， 水箱  长年')).toEqual(['区', '蔡锷', '南路', '年', '水箱', '长年']);
  });

  it('keeps only Chinese characters of a word, folding full-width forms', () => {
    expect(cleanWord('ＡＢ水箱１２３！')).toBe('水箱');
    expect(cleanWord('<b>')).toBe('');
  });

  it('cuts raw text into words and drops short words the training vocabulary never had (stopwords)', () => {
    const known = new Set(['小区', '水箱', '清洗', '自来水', '霉味']);
    const tokens = tokensOfRaw('我家小区的水箱长年不清洗，自来水有一股霉味！', known);
    expect(tokens).toEqual(expect.arrayContaining(['小区', '水箱', '清洗', '自来水', '霉味']));
    expect(tokens).not.toContain('的');
    expect(tokens).not.toContain('我家');
    expect(tokens.join('')).not.toMatch(/[，！]/u);
  });

  it('treats markup as text and yields nothing for a text without Chinese', () => {
    expect(tokensOfRaw('<script>alert(1)</script>', new Set(['alert']))).toEqual([]);
    expect(tokensOfRaw('', new Set())).toEqual([]);
  });

  it('counts words, character bigrams inside longer words and optional word pairs', () => {
    const counts = extractFeatures(['自来水', '水箱', '水箱'], { charNgrams: [2], wordBigrams: true });
    expect(counts.get('w水箱')).toBe(2);
    expect(counts.get('c自来')).toBe(1);
    expect(counts.get('c来水')).toBe(1);
    expect(counts.has('c水箱')).toBe(false); // a two-character word is already a word feature
    expect(counts.get('b自来水_水箱')).toBe(1);
    expect(counts.get('b水箱_水箱')).toBe(1);
  });
});
