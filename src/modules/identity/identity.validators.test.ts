import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { checkNoticeBundle } from '../../platform/notify/templates.js';
import { identityMessages } from './identity.messages.js';
import type { Actor } from '../../platform/auth/actor.js';
import {
  checkMobile,
  checkPassword,
  checkRealName,
  checkResidentId,
  checkUscc,
  isCommonPassword,
  maskIdNumber,
  maskPhone,
  residentIdCheckChar,
  usccCheckChar,
} from './identity.validators.js';
import { canActFor, safeReturnPath } from './identity.policy.js';
import { demoCitizens, demoCompany, demoStaff } from './identity.seed.js';
import { checkTotp, hashSmsCode, newTotpSecret, openTotpSecret, sealTotpSecret, totpFor } from './identity.crypto.js';

const now = new Date('2026-11-27T02:00:00Z');

// Vectors from shared/docs/standards.md §2.1 and §2.2 (python-stdnum's test files).
describe('resident ID number (GB 11643-1999)', () => {
  it.each(['11010519491231002X', '360426199101010071', '44011320141005001X', '110102199101010078'])('accepts %s', (v) => {
    const r = checkResidentId(v, now);
    expect(r).toMatchObject({ ok: true, value: { number: v } });
  });

  it('normalises a lowercase x', () => {
    expect(checkResidentId(' 44011320141005001x ', now)).toMatchObject({ ok: true, value: { number: '44011320141005001X' } });
  });

  it('computes the worked example: S=167, 167 mod 11 = 2 → X', () => {
    expect(residentIdCheckChar('11010519491231002')).toBe('X');
  });

  it.each([
    ['36042619910102009X', 'identity.idNumber.checksum'],
    ['360426199113010079', 'identity.idNumber.birthDate'],
    ['990426199112010074', 'identity.idNumber.region'],
    ['11010519491231002', 'identity.idNumber.format'],
    ['1101051949123100ZX', 'identity.idNumber.format'],
    ['', 'identity.idNumber.required'],
  ])('rejects %s (%s)', (v, error) => {
    expect(checkResidentId(v, now)).toEqual({ ok: false, error });
  });

  it('rejects 30 February and a birth date in the future', () => {
    const feb30 = `51010719850230002`;
    expect(checkResidentId(feb30 + residentIdCheckChar(feb30), now)).toEqual({ ok: false, error: 'identity.idNumber.birthDate' });
    const future = '51010720261128002';
    expect(checkResidentId(future + residentIdCheckChar(future), now)).toEqual({ ok: false, error: 'identity.idNumber.birthDate' });
    const today = '51010720261127002'; // 10:00 in Chengdu on 27 November
    expect(checkResidentId(today + residentIdCheckChar(today), now).ok).toBe(true);
  });

  it('reads sex from the sequence digit', () => {
    expect(checkResidentId('11010519491231002X', now)).toMatchObject({ value: { sex: 'female', birthDate: '1949-12-31' } });
    expect(checkResidentId('360426199101010071', now)).toMatchObject({ value: { sex: 'male' } });
  });
});

describe('unified social credit code (GB 32100-2015)', () => {
  it.each([
    '91110000600037341L',
    '91110108551385082Q',
    '121200004013590816',
    '9144030071526726XG',
    '91340600MA2PBM9HXD',
    '92340602MA2PBMEM24',
    '91310115MA1K3BTP2B',
    '91620105L015101280',
  ])('accepts %s', (v) => {
    expect(checkUscc(v)).toEqual({ ok: true, value: v });
  });

  it('computes the worked example: S=538 → L, and normalises lower case', () => {
    expect(usccCheckChar('91110000600037341')).toBe('L');
    expect(checkUscc('91110000600037341l')).toEqual({ ok: true, value: '91110000600037341L' });
  });

  it.each([
    ['91110000600037341N', 'identity.uscc.checksum'],
    ['9111000060003IOZSV', 'identity.uscc.format'],
    ['12345', 'identity.uscc.format'],
    ['', 'identity.uscc.required'],
  ])('rejects %s (%s)', (v, error) => {
    expect(checkUscc(v)).toEqual({ ok: false, error });
  });

  it('accepts the known pilot-area code whose check character predates the rule', () => {
    expect(checkUscc('91350100M0001TGQXM').ok).toBe(true);
  });
});

describe('mobile number', () => {
  it.each([
    ['13800000001', '13800000001'],
    ['+86 138 0000 0001', '13800000001'],
    ['199-1234-5678', '19912345678'],
  ])('accepts %s', (v, value) => {
    expect(checkMobile(v)).toEqual({ ok: true, value });
  });
  it.each(['12800000001', '1380000000', '138000000012', 'abc', '023-12345678'])('rejects %s', (v) => {
    expect(checkMobile(v)).toEqual({ ok: false, error: 'identity.phone.format' });
  });
});

describe('password policy', () => {
  it('accepts a long uncommon password', () => {
    expect(checkPassword('Chengdu#2026').ok).toBe(true);
    expect(checkPassword('蜀锦织出好日子').ok).toBe(false); // 7 characters
    expect(checkPassword('蜀锦织出好日子啊').ok).toBe(true);
  });
  it.each([
    ['', 'identity.password.required'],
    ['short1!', 'identity.password.tooShort'],
    ['x'.repeat(129), 'identity.password.tooLong'],
    ['password', 'identity.password.common'],
    ['PASSWORD1', 'identity.password.common'],
    ['woaini1314', 'identity.password.common'],
    ['1qaz2wsx', 'identity.password.common'],
  ])('rejects %j (%s)', (v, error) => {
    expect(checkPassword(v)).toEqual({ ok: false, error });
  });
  it('rejects the phone or ID number as the password', () => {
    expect(checkPassword('13800000001', { phone: '13800000001' })).toEqual({ ok: false, error: 'identity.password.personal' });
    expect(checkPassword('11010519491231002x', { idNumber: '11010519491231002X' })).toEqual({ ok: false, error: 'identity.password.personal' });
    expect(checkPassword('13800000001', { phone: '13900000001' }).ok).toBe(true);
  });
  it('ships about a thousand common passwords', () => {
    expect(isCommonPassword('qwertyuiop')).toBe(true);
    expect(isCommonPassword('Chengdu#2026')).toBe(false);
  });
});

describe('real name', () => {
  it.each(['张丽', '阿依古丽·买买提', 'Mary O\u2019Brien', 'Jean-Luc Picard', '李'])('accepts %s', (v) => {
    expect(checkRealName(v).ok).toBe(true);
  });
  it.each([
    ['', 'identity.realName.required'],
    ['   ', 'identity.realName.required'],
    ['名'.repeat(51), 'identity.realName.tooLong'],
    ['x'.repeat(10 * 1024), 'identity.realName.tooLong'],
    ['<script>alert(1)</script>', 'identity.realName.characters'],
    ['张<b>丽</b>', 'identity.realName.characters'],
    ['张\u0000丽', 'identity.realName.characters'],
    ['张\u202e丽', 'identity.realName.characters'],
    ['张丽2', 'identity.realName.characters'],
  ])('rejects %j (%s)', (v, error) => {
    expect(checkRealName(v)).toEqual({ ok: false, error });
  });
});

describe('masks', () => {
  it('masks ID and phone numbers', () => {
    expect(maskIdNumber('51010719850312002X')).toBe('5101**********002X');
    expect(maskPhone('13800000001')).toBe('138****0001');
  });
});

describe('policy', () => {
  const citizen: Actor = {
    userId: 'u1',
    kind: 'citizen',
    realName: '李强',
    departmentCode: null,
    roles: [],
    actingFor: null,
    sessionId: 's',
    via: 'cookie',
    pendingSecondFactor: false,
  };
  const membership = { enterpriseId: 'e1', uscc: demoCompany.uscc, name: demoCompany.name, role: 'accountant' as const };
  it('lets a citizen act for themself or a company they belong to, and nobody else', () => {
    expect(canActFor(citizen, null, null)).toBe(true);
    expect(canActFor(citizen, 'e1', membership)).toBe(true);
    expect(canActFor(citizen, 'e2', null)).toBe(false);
    expect(canActFor(citizen, 'e2', membership)).toBe(false);
    expect(canActFor({ ...citizen, kind: 'staff' }, null, null)).toBe(false);
    expect(canActFor(null, null, null)).toBe(false);
  });
  it.each([
    ['/services/x?a=1', '/services/x?a=1'],
    ['https://evil.example/', '/d'],
    ['//evil.example', '/d'],
    ['/\\evil.example', '/d'],
    ['/\t/evil.example', '/d'],
    [undefined, '/d'],
  ])('keeps only local return paths: %j', (v, expected) => {
    expect(safeReturnPath(v, '/d')).toBe(expected);
  });
});

describe('seed data', () => {
  it('gives the demo people valid ID numbers and the company a valid USCC', () => {
    for (const c of demoCitizens) expect(checkResidentId(c.idNumber, now).ok, c.idNumber).toBe(true);
    expect(checkUscc(demoCompany.uscc).ok).toBe(true);
    expect(demoCompany.uscc.slice(2, 8)).toBe('510107');
  });
  it('names staff <department>.<role> and a platform admin', () => {
    const logins = demoStaff().map((s) => s.login);
    expect(logins).toContain('psb-exit-entry.clerk');
    expect(logins).toContain('tax-wuhou.admin');
    expect(demoStaff().find((s) => s.login === 'admin')).toMatchObject({ role: 'platform_admin', departmentCode: 'gov-service' });
  });
});

describe('crypto helpers', () => {
  it('seals the TOTP secret and accepts a code of the current or a neighbouring step only', () => {
    const secret = newTotpSecret();
    const sealed = sealTotpSecret('k'.repeat(32), secret);
    expect(sealed).not.toContain(secret);
    expect(openTotpSecret('k'.repeat(32), sealed)).toBe(secret);
    expect(openTotpSecret('j'.repeat(32), sealed)).toBeUndefined();
    const code = totpFor('x', secret).generate({ timestamp: now.getTime() });
    expect(checkTotp('x', secret, code, now)).toBeTypeOf('number');
    expect(checkTotp('x', secret, code, new Date(now.getTime() + 30_000))).toBeTypeOf('number');
    expect(checkTotp('x', secret, code, new Date(now.getTime() + 120_000))).toBeUndefined();
  });
  it('keys SMS code hashes by the server secret', () => {
    expect(hashSmsCode('a', '13800000001', '123456')).not.toBe(hashSmsCode('b', '13800000001', '123456'));
  });
});

describe('messages', () => {
  it('has the sign-in-code notice template in both languages with the same placeholders', () => {
    expect(checkNoticeBundle(identityMessages)).toEqual([]);
  });

  it('defines every identity.* key the module uses', () => {
    const dir = new URL('.', import.meta.url);
    const files = [
      'identity.service.ts',
      'identity.routes.tsx',
      'identity.validators.ts',
      'views/sign-in.tsx',
      'views/sign-up.tsx',
      'views/account.tsx',
      'views/staff-sign-in.tsx',
    ];
    const used = new Set(
      files.flatMap((f) => [...readFileSync(new URL(f, dir), 'utf8').matchAll(/(?<!action: )'(identity\.[a-zA-Z]+\.[a-zA-Z.]+)'/g)].map((m) => m[1]!)),
    );
    expect(used.size).toBeGreaterThan(40);
    const missing = [...used].filter((k) => !(k in identityMessages['zh-CN']) || !(k in identityMessages.en));
    expect(missing).toEqual([]);
  });
});
