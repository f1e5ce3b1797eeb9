import { createCipheriv, createDecipheriv, createHash, createHmac, randomBytes, randomInt, timingSafeEqual } from 'node:crypto';
import { hash, verify, type Algorithm } from '@node-rs/argon2';
import * as OTPAuth from 'otpauth';

/** argon2id; the enum is `const`, which isolated modules cannot read, hence the literal. */
const argon2id = 2 as Algorithm;

export function hashPassword(password: string, memoryKib: number): Promise<string> {
  return hash(password, { algorithm: argon2id, memoryCost: memoryKib, timeCost: 2, parallelism: 1 });
}

export async function verifyPassword(passwordHash: string, password: string): Promise<boolean> {
  try {
    return await verify(passwordHash, password);
  } catch {
    return false; // a malformed stored hash is a failed sign-in, not a 500
  }
}

/** A random secret for a cookie or bearer token; only its SHA-256 is stored, so a database leak signs nobody in. */
export function newToken(): { token: string; tokenHash: string } {
  const token = randomBytes(32).toString('base64url');
  return { token, tokenHash: hashToken(token) };
}

export function hashToken(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}

export function newSmsCode(): string {
  return String(randomInt(0, 1_000_000)).padStart(6, '0');
}

/** Keyed hash: a six-digit code is too easy to brute-force from a plain hash. */
export function hashSmsCode(secret: string, phone: string, code: string): string {
  return createHmac('sha256', secret).update(`sms-code\n${phone}\n${code}`).digest('hex');
}

export function sameHash(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

// --- TOTP (RFC 6238) ------------------------------------------------------------------------------

export const totpIssuer = 'ServiceHall';

/** The TOTP secret is stored encrypted (AES-256-GCM under a key derived from SESSION_SECRET). */
function totpKey(sessionSecret: string): Buffer {
  return createHash('sha256').update(`totp-secret-key\n${sessionSecret}`).digest();
}

export function sealTotpSecret(sessionSecret: string, base32: string): string {
  const iv = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', totpKey(sessionSecret), iv);
  const body = Buffer.concat([cipher.update(base32, 'utf8'), cipher.final()]);
  return `v1:${Buffer.concat([iv, cipher.getAuthTag(), body]).toString('base64url')}`;
}

export function openTotpSecret(sessionSecret: string, sealed: string): string | undefined {
  if (!sealed.startsWith('v1:')) return undefined;
  try {
    const raw = Buffer.from(sealed.slice(3), 'base64url');
    const decipher = createDecipheriv('aes-256-gcm', totpKey(sessionSecret), raw.subarray(0, 12));
    decipher.setAuthTag(raw.subarray(12, 28));
    return Buffer.concat([decipher.update(raw.subarray(28)), decipher.final()]).toString('utf8');
  } catch {
    return undefined;
  }
}

export function newTotpSecret(): string {
  return new OTPAuth.Secret({ size: 20 }).base32;
}

export function totpFor(label: string, base32: string): OTPAuth.TOTP {
  return new OTPAuth.TOTP({ issuer: totpIssuer, label, secret: OTPAuth.Secret.fromBase32(base32), algorithm: 'SHA1', digits: 6, period: 30 });
}

/** The accepted time step, or undefined; one step of clock drift either way is allowed. */
export function checkTotp(label: string, base32: string, code: string, now: Date): number | undefined {
  if (!/^\d{6}$/.test(code)) return undefined;
  const timestamp = now.getTime();
  const delta = totpFor(label, base32).validate({ token: code, timestamp, window: 1 });
  if (delta === null) return undefined;
  return OTPAuth.TOTP.counter({ period: 30, timestamp }) + delta;
}
