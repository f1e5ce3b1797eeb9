import { describe, expect, it } from 'vitest';
import { negotiateLocale, registerMessages, translate } from './i18n.js';

describe('negotiateLocale', () => {
  it.each([
    [undefined, undefined, undefined, 'zh-CN'],
    [undefined, undefined, 'en-US,en;q=0.9', 'en'],
    [undefined, undefined, 'fr-FR, en;q=0.5, zh;q=0.8', 'zh-CN'],
    [undefined, 'en', 'zh-CN', 'en'],
    ['zh-CN', 'en', 'en', 'zh-CN'],
    ['xx', 'yy', 'de', 'zh-CN'],
    [undefined, undefined, 'zh-TW;q=0, en;q=0.1', 'en'],
  ])('query %s, cookie %s, Accept-Language %s → %s', (q, c, a, expected) => {
    expect(negotiateLocale(q, c, a)).toBe(expected);
  });
});

describe('messages', () => {
  it('fills placeholders and falls back to zh-CN, then to the key', () => {
    registerMessages({ 'zh-CN': { 'test.hello': '你好，{name}' }, en: { 'test.hello': 'Hello, {name}' } });
    expect(translate('en', 'test.hello', { name: 'Li' })).toBe('Hello, Li');
    expect(translate('zh-CN', 'test.hello', { name: '李' })).toBe('你好，李');
    expect(translate('en', 'test.missing')).toBe('test.missing');
  });

  it('refuses a bundle whose languages hold different keys', () => {
    expect(() => registerMessages({ 'zh-CN': { 'test.a': 'a' }, en: { 'test.b': 'b' } })).toThrow(/test\.a.*test\.b/);
  });
});
