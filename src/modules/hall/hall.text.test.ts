import { describe, expect, it } from 'vitest';
import { cleanText, findBlockedWord, maskPublicText, overlap, parseMentions, termsOf } from './hall.text.js';
import { can } from './hall.policy.js';
import type { Actor } from '../../platform/auth/actor.js';

const accounts = [
  { code: 'bus-group', nameZh: '成都公交集团', nameEn: 'Chengdu Bus Group' },
  { code: 'transport', nameZh: '市交通运输局', nameEn: 'Transport Bureau' },
  { code: 'psb', nameZh: '市公安局', nameEn: 'Public Security Bureau' },
];

describe('maskPublicText', () => {
  it.each([
    ['身份证 510107198503120028 丢了', '身份证 510107********0028 丢了'],
    ['ID 51010519750608001x', 'ID 510105********001X'],
    ['电话13812345678', '电话138****5678'],
    ['+86 138 1234 5678', '+86 138****5678'],
    ['座机 028-85551234', '座机 028-****1234'],
    ['公交 28 路，2026 年 11 月', '公交 28 路，2026 年 11 月'],
    ['订单号 1234567890123456789012', '订单号 1234567890123456789012'],
  ])('%s', (input, expected) => {
    expect(maskPublicText(input)).toBe(expected);
  });
});

describe('parseMentions', () => {
  it('finds accounts by code and by name, the longest name first', () => {
    expect(parseMentions('@bus-group 司机态度差', accounts)).toEqual({ codes: ['bus-group'], unknown: [] });
    expect(parseMentions('@成都公交集团司机态度差', accounts)).toEqual({ codes: ['bus-group'], unknown: [] });
    expect(parseMentions('请 @交通运输局 和 @市公安局 处理', accounts).codes).toEqual(['transport', 'psb']);
  });
  it('reports unknown accounts and ignores e-mail addresses', () => {
    expect(parseMentions('@不存在 你好', accounts)).toEqual({ codes: [], unknown: ['不存在'] });
    expect(parseMentions('mail me at someone@example.com', accounts)).toEqual({ codes: [], unknown: [] });
    expect(parseMentions('@bus-groupie', accounts).unknown).toEqual(['bus-groupie']);
  });
});

describe('blocked words, terms, cleaning', () => {
  it('finds a blocked word through spaces and case', () => {
    expect(findBlockedWord('你 们是 王 八 蛋', ['王八蛋'])).toBe('王八蛋');
    expect(findBlockedWord('FUCK this', ['fuck'])).toBe('fuck');
    expect(findBlockedWord('很好的服务', ['王八蛋'])).toBeNull();
  });
  it('makes bigrams and words, leaving out common words', () => {
    const t = termsOf('How do I transfer my household registration 户口迁移');
    expect(t).toEqual(expect.arrayContaining(['transfer', 'household', 'registration', '户口', '口迁', '迁移']));
    expect(t).not.toContain('how');
    expect(overlap(['a', 'b'], ['b', 'c'])).toBe(0.5);
    expect(termsOf('长'.repeat(20_000)).length).toBeLessThanOrEqual(300);
  });
  it('drops control characters and normalises newlines', () => {
    expect(cleanText('  a\r\nb\u0000c\t ')).toBe('a\nbc');
  });
});

describe('policy', () => {
  const actor = (kind: 'citizen' | 'staff', extra: Partial<Actor> = {}): Actor => ({
    userId: 'u1',
    kind,
    realName: 'x',
    departmentCode: null,
    roles: [],
    actingFor: null,
    sessionId: 's',
    via: 'cookie',
    pendingSecondFactor: false,
    ...extra,
  });
  const post = { authorId: 'u1', departmentCode: 'bus-group', visibility: 'private' as const, hidden: false };
  it('shows a private post only to its author and the staff handling it', () => {
    expect(can(null, 'view', post)).toBe(false);
    expect(can(actor('citizen'), 'view', post)).toBe(true);
    expect(can(actor('citizen', { userId: 'u2' }), 'view', post)).toBe(false);
    expect(can(actor('staff', { userId: 's1', departmentCode: 'bus-group' }), 'view', post)).toBe(true);
    expect(can(actor('staff', { userId: 's1', departmentCode: 'tax' }), 'view', post)).toBe(false);
    expect(can(actor('staff', { userId: 's1', departmentCode: 'gov-service' }), 'view', post)).toBe(true);
  });
  it('lets the department and the operators handle, the author rate, and only admins of the department hide', () => {
    const clerk = actor('staff', { userId: 's1', departmentCode: 'bus-group', roles: ['clerk'] });
    expect(can(clerk, 'handle', post)).toBe(true);
    expect(can(clerk, 'hide', post)).toBe(false);
    expect(can(actor('staff', { userId: 's1', departmentCode: 'bus-group', roles: ['dept_admin'] }), 'hide', post)).toBe(true);
    expect(can(actor('staff', { userId: 's1', departmentCode: 'tax', roles: ['dept_admin'] }), 'handle', post)).toBe(false);
    expect(can(actor('citizen'), 'rate', post)).toBe(true);
    expect(can(actor('citizen', { userId: 'u2' }), 'rate', post)).toBe(false);
    expect(can(actor('citizen'), 'rate', { ...post, hidden: true })).toBe(false);
    expect(can(actor('citizen'), 'handle', post)).toBe(false);
  });
});
