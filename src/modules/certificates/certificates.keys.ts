import { createCipheriv, createDecipheriv, hkdfSync, randomBytes } from 'node:crypto';
import { calculateJwkThumbprint, exportJWK, generateKeyPair, importJWK, type CryptoKey, type JWK } from 'jose';
import type { AppContext } from '../../platform/context.js';
import type { Executor } from '../../platform/db/db.js';
import * as repo from './certificates.repository.js';

export const signingAlg = 'ES256';

/** The key that encrypts private keys at rest, derived from the server secret (never stored). */
function sealingKey(secret: string): Buffer {
  return Buffer.from(hkdfSync('sha256', secret, 'servicehall', 'certificates/signing-key-seal/v1', 32));
}

export function sealPrivateJwk(jwk: JWK, secret: string): string {
  const iv = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', sealingKey(secret), iv);
  const body = Buffer.concat([cipher.update(JSON.stringify(jwk), 'utf8'), cipher.final()]);
  return `v1.${Buffer.concat([iv, cipher.getAuthTag(), body]).toString('base64url')}`;
}

export function unsealPrivateJwk(sealed: string, secret: string): JWK {
  if (!sealed.startsWith('v1.')) throw new Error('Unknown sealed key format');
  const raw = Buffer.from(sealed.slice(3), 'base64url');
  const decipher = createDecipheriv('aes-256-gcm', sealingKey(secret), raw.subarray(0, 12));
  decipher.setAuthTag(raw.subarray(12, 28));
  const text = Buffer.concat([decipher.update(raw.subarray(28)), decipher.final()]).toString('utf8');
  return JSON.parse(text) as JWK;
}

export interface PublicKeyEntry {
  kid: string;
  status: 'active' | 'retired';
  jwk: JWK;
  key: CryptoKey;
  createdAt: Date;
  retiredAt: Date | null;
}

async function entryOf(row: repo.SigningKeyRow): Promise<PublicKeyEntry> {
  const jwk = { ...row.publicJwk, kid: row.kid, alg: row.alg, use: 'sig' } as JWK;
  return { kid: row.kid, status: row.status, jwk, key: (await importJWK(jwk, row.alg)) as CryptoKey, createdAt: row.createdAt, retiredAt: row.retiredAt };
}

interface SigningKey {
  kid: string;
  key: CryptoKey;
}

/**
 * Parsed keys, cached per process. Public keys are reloaded when an unknown kid is seen (at most once a
 * second, so a flood of made-up kids cannot hammer the database) and after a rotation in this process.
 */
class KeyCache {
  private publicKeys = new Map<string, PublicKeyEntry>();
  private loadedAt = 0;
  private signing: { kid: string; key: CryptoKey } | null = null;

  invalidate(): void {
    this.loadedAt = 0;
    this.signing = null;
  }

  async publicKeys_(executor: Executor, now: number, force = false): Promise<Map<string, PublicKeyEntry>> {
    // Reloaded now and then (another instance may have rotated), or when asked, at most once a second.
    if (this.loadedAt === 0 || now - this.loadedAt > 30_000 || (force && now - this.loadedAt > 1000)) {
      const rows = await repo.listSigningKeys(executor);
      const next = new Map<string, PublicKeyEntry>();
      for (const row of rows) next.set(row.kid, await entryOf(row));
      this.publicKeys = next;
      this.loadedAt = now;
    }
    return this.publicKeys;
  }

  async find(executor: Executor, kid: string, now: number): Promise<PublicKeyEntry | undefined> {
    const known = (await this.publicKeys_(executor, now)).get(kid);
    if (known) return known;
    // Not known here: another instance may have just rotated. One indexed read of that kid, no more (a made-up
    // kid costs what any other lookup costs, and a real new key is found at once).
    const row = await repo.findSigningKey(executor, kid);
    if (!row) return undefined;
    const entry = await entryOf(row);
    this.publicKeys.set(kid, entry);
    return entry;
  }

  getSigning(): SigningKey | null {
    return this.signing;
  }

  setSigning(key: SigningKey): void {
    this.signing = key;
  }
}

const caches = new WeakMap<AppContext, KeyCache>();
function cacheOf(ctx: AppContext): KeyCache {
  let cache = caches.get(ctx);
  if (!cache) caches.set(ctx, (cache = new KeyCache()));
  return cache;
}

async function createKey(executor: Executor, ctx: AppContext): Promise<void> {
  const { publicKey, privateKey } = await generateKeyPair(signingAlg, { extractable: true });
  const publicJwk = await exportJWK(publicKey);
  const kid = await calculateJwkThumbprint(publicJwk);
  const privateJwk = await exportJWK(privateKey);
  await repo.insertSigningKey(executor, {
    kid,
    alg: signingAlg,
    publicJwk: publicJwk as Record<string, string>,
    privateJwkSealed: sealPrivateJwk(privateJwk, ctx.config.sessionSecret),
    status: 'active',
  });
}

/** The active signing key, created on first use. */
export async function activeSigningKey(executor: Executor, ctx: AppContext): Promise<SigningKey> {
  const cache = cacheOf(ctx);
  const cached = cache.getSigning();
  if (cached) {
    // Another instance may have rotated: make sure the cached key is still the active one.
    const current = await repo.findActiveKid(executor);
    if (current === cached.kid) return cached;
  }
  let row = await repo.findActiveSigningKey(executor);
  if (!row) {
    await createKey(executor, ctx);
    row = await repo.findActiveSigningKey(executor);
    if (!row) throw new Error('No active signing key after creating one');
  }
  const jwk = unsealPrivateJwk(row.privateJwkSealed, ctx.config.sessionSecret);
  const key = { kid: row.kid, key: (await importJWK(jwk, row.alg)) as CryptoKey };
  cache.setSigning(key);
  return key;
}

/** Retires the active key (it stays published) and makes a new one active. Returns the new kid. */
export async function rotateKey(executor: Executor, ctx: AppContext): Promise<{ retired: string | null; active: string }> {
  const previous = await repo.findActiveKid(executor);
  if (previous) await repo.retireSigningKey(executor, previous, ctx.clock.now());
  await createKey(executor, ctx);
  cacheOf(ctx).invalidate();
  const active = await repo.findActiveKid(executor);
  if (!active) throw new Error('No active key after rotation');
  return { retired: previous ?? null, active };
}

export async function findPublicKey(executor: Executor, ctx: AppContext, kid: string): Promise<PublicKeyEntry | undefined> {
  return cacheOf(ctx).find(executor, kid, Date.now());
}

/** Every published key; `fresh` re-reads them (at most once a second) so a rotation elsewhere shows at once. */
export async function listPublicKeys(executor: Executor, ctx: AppContext, fresh = false): Promise<PublicKeyEntry[]> {
  return [...(await cacheOf(ctx).publicKeys_(executor, Date.now(), fresh)).values()];
}

export function invalidateKeyCache(ctx: AppContext): void {
  cacheOf(ctx).invalidate();
}
