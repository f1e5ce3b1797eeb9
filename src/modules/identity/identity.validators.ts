import { readFileSync } from 'node:fs';

/**
 * Pure validators for what people type when they sign up: resident ID numbers (GB 11643-1999), unified
 * social credit codes (GB 32100-2015), mainland mobile numbers, passwords and real names.
 * Each returns the normalised value or the i18n key of the problem, so pages and the API share them.
 */
export type Checked<T = string> = { ok: true; value: T } | { ok: false; error: string };

const ok = <T>(value: T): Checked<T> => ({ ok: true, value });
const fail = <T = string>(error: string): Checked<T> => ({ ok: false, error });

// ---------------------------------------------------------------------------------------------------
// Resident ID number (公民身份号码)

const residentIdWeights = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
const residentIdCheckChars = '10X98765432';

/** GB/T 2260 province-level prefixes (83 is used by residence permits of Taiwan residents). */
const provinces = new Set([
  11, 12, 13, 14, 15, 21, 22, 23, 31, 32, 33, 34, 35, 36, 37, 41, 42, 43, 44, 45, 46, 50, 51, 52, 53, 54, 61, 62, 63, 64, 65, 71, 81, 82, 83,
]);

/** The ISO 7064 MOD 11-2 check character of the first 17 digits. */
export function residentIdCheckChar(first17: string): string {
  if (!/^\d{17}$/.test(first17)) throw new Error('residentIdCheckChar needs 17 digits');
  let sum = 0;
  for (let i = 0; i < 17; i++) sum += Number(first17[i]) * residentIdWeights[i]!;
  return residentIdCheckChars[sum % 11]!;
}

export interface ResidentId {
  number: string;
  birthDate: string;
  sex: 'male' | 'female';
}

/** Today's date as YYYYMMDD in China (UTC+8, no daylight saving), so "not in the future" means in Chengdu. */
export function chinaDate(now: Date): string {
  return new Date(now.getTime() + 8 * 3600_000).toISOString().slice(0, 10).replace(/-/g, '');
}

function isRealDate(yyyymmdd: string): boolean {
  const y = Number(yyyymmdd.slice(0, 4));
  const m = Number(yyyymmdd.slice(4, 6));
  const d = Number(yyyymmdd.slice(6, 8));
  if (m < 1 || m > 12 || d < 1) return false;
  const date = new Date(Date.UTC(y, m - 1, d));
  return date.getUTCFullYear() === y && date.getUTCMonth() === m - 1 && date.getUTCDate() === d;
}

/** Checks an 18-character resident ID number: format, region, a real birth date not in the future, check char. */
export function checkResidentId(raw: string, now: Date): Checked<ResidentId> {
  const value = raw.trim().toUpperCase();
  if (value === '') return fail('identity.idNumber.required');
  if (!/^\d{17}[\dX]$/.test(value)) return fail('identity.idNumber.format');
  if (!provinces.has(Number(value.slice(0, 2)))) return fail('identity.idNumber.region');
  const birth = value.slice(6, 14);
  if (!isRealDate(birth) || birth < '19000101' || birth > chinaDate(now)) return fail('identity.idNumber.birthDate');
  if (residentIdCheckChar(value.slice(0, 17)) !== value[17]) return fail('identity.idNumber.checksum');
  return ok({
    number: value,
    birthDate: `${birth.slice(0, 4)}-${birth.slice(4, 6)}-${birth.slice(6, 8)}`,
    sex: Number(value[16]) % 2 === 1 ? 'male' : 'female',
  });
}

// ---------------------------------------------------------------------------------------------------
// Unified social credit code (统一社会信用代码)

const usccCharset = '0123456789ABCDEFGHJKLMNPQRTUWXY';
const usccWeights = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28];

/**
 * Real codes issued in early pilot areas (Fujian/Xiamen) before the check character was fixed; they are
 * legal but fail the check, so they are accepted by name rather than by rule.
 */
const legacyPilotCodes = new Set(['91350100M0001TGQXM']);

export function usccCheckChar(first17: string): string {
  let sum = 0;
  for (let i = 0; i < 17; i++) {
    const v = usccCharset.indexOf(first17[i] ?? '');
    if (v < 0) throw new Error('usccCheckChar: character outside the GB 32100 set');
    sum += v * usccWeights[i]!;
  }
  return usccCharset[(31 - (sum % 31)) % 31]!;
}

/** Checks a USCC: 18 characters of the GB 32100 set, digits for the region code (3–8), and the check char. */
export function checkUscc(raw: string): Checked {
  const value = raw.trim().toUpperCase();
  if (value === '') return fail('identity.uscc.required');
  const charset = `[${usccCharset}]`;
  if (!new RegExp(`^${charset}{2}\\d{6}${charset}{10}$`).test(value)) return fail('identity.uscc.format');
  if (legacyPilotCodes.has(value)) return ok(value);
  if (usccCheckChar(value.slice(0, 17)) !== value[17]) return fail('identity.uscc.checksum');
  return ok(value);
}

// ---------------------------------------------------------------------------------------------------
// Mobile number, password, real name

/** A mainland mobile number; spaces, hyphens and a +86 / 0086 prefix are tolerated and removed. */
export function checkMobile(raw: string): Checked {
  const value = raw
    .trim()
    .replace(/[\s-]/g, '')
    .replace(/^(\+86|0086)/, '');
  if (value === '') return fail('identity.phone.required');
  if (!/^1[3-9]\d{9}$/.test(value)) return fail('identity.phone.format');
  return ok(value);
}

export const passwordMinLength = 8;
export const passwordMaxLength = 128;

let commonPasswords: Set<string> | undefined;

/** The shipped list of common passwords, read once on first use. */
export function isCommonPassword(password: string): boolean {
  commonPasswords ??= new Set(
    readFileSync(new URL('./common-passwords.txt', import.meta.url), 'utf8')
      .split('\n')
      .map((l) => l.trim())
      .filter((l) => l !== '' && !l.startsWith('#')),
  );
  return commonPasswords.has(password.toLowerCase());
}

/** Password policy: 8–128 characters, not a common password, not the person's phone or ID number. */
export function checkPassword(password: string, personal: { phone?: string | undefined; idNumber?: string | undefined } = {}): Checked {
  const length = [...password].length;
  if (length === 0) return fail('identity.password.required');
  if (length < passwordMinLength) return fail('identity.password.tooShort');
  if (length > passwordMaxLength) return fail('identity.password.tooLong');
  if (isCommonPassword(password)) return fail('identity.password.common');
  const lower = password.toLowerCase();
  for (const v of [personal.phone, personal.idNumber]) if (v && v.length >= 6 && lower.includes(v.toLowerCase())) return fail('identity.password.personal');
  return ok(password);
}

export const realNameMaxLength = 50;

/**
 * A real name as on the ID card: letters of any script (Han, Latin, Tibetan, Uyghur…), combining marks,
 * spaces and the separators used in names (· of minority names, . ' -). Nothing else, so no markup.
 */
export function checkRealName(raw: string): Checked {
  const value = raw.trim().replace(/\s+/g, ' ');
  if (value === '') return fail('identity.realName.required');
  if ([...value].length > realNameMaxLength) return fail('identity.realName.tooLong');
  if (!/^[\p{L}\p{M}](?:[\p{L}\p{M} ·•・.'’-]*[\p{L}\p{M}.])?$/u.test(value)) return fail('identity.realName.characters');
  return ok(value);
}

/** Staff logins: lower-case letters, digits, dots and hyphens (e.g. `psb.clerk`). */
export function checkStaffLogin(raw: string): Checked {
  const value = raw.trim().toLowerCase();
  if (!/^[a-z0-9][a-z0-9.-]{0,63}$/.test(value)) return fail('identity.login.format');
  return ok(value);
}

// ---------------------------------------------------------------------------------------------------
// Masks for display

/** 5101**********123X: enough to recognise one's own number, not enough to copy it. */
export function maskIdNumber(idNumber: string): string {
  return idNumber.length <= 8 ? '*'.repeat(idNumber.length) : `${idNumber.slice(0, 4)}${'*'.repeat(idNumber.length - 8)}${idNumber.slice(-4)}`;
}

/** 138****0001 */
export function maskPhone(phone: string): string {
  return phone.length === 11 ? `${phone.slice(0, 3)}****${phone.slice(7)}` : '*'.repeat(phone.length);
}
