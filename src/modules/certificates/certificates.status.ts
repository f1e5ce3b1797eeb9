import { randomInt } from 'node:crypto';
import { gunzipSync, gzipSync } from 'node:zlib';
import type { AppContext } from '../../platform/context.js';
import type { Executor } from '../../platform/db/db.js';
import * as repo from './certificates.repository.js';
import type { StatusPurpose } from './certificates.schema.js';

/** 16 KiB of bits: the minimum the Bitstring Status List spec allows, for herd privacy. */
export const minimumListBits = 131_072;
/** A new list is started once half of the current one is used, so a random free index is found quickly. */
const fillLimit = 0.5;

export function statusListUrl(ctx: AppContext, listId: string): string {
  return `${ctx.config.publicUrl}/credentials/status/${listId}`;
}

export const statusListIdPattern = /^(revocation|suspension)-[1-9][0-9]{0,8}$/;

/** GZIP (RFC 1952) of the bitstring, base64url without padding, with the multibase prefix "u". */
export function encodeBitstring(bits: Uint8Array): string {
  return `u${gzipSync(bits).toString('base64url')}`;
}

export function decodeBitstring(encoded: string, maxBytes = 16 * 1024 * 1024): Uint8Array {
  if (!encoded.startsWith('u')) throw new Error('encodedList must start with the multibase prefix "u"');
  return gunzipSync(Buffer.from(encoded.slice(1), 'base64url'), { maxOutputLength: maxBytes });
}

/** Bit 0 is the most significant bit of byte 0. */
export function bitAt(bits: Uint8Array, index: number): boolean {
  const byte = bits[index >> 3];
  if (byte === undefined) throw new RangeError('Status list index out of range');
  return ((byte >> (7 - (index & 7))) & 1) === 1;
}

export function bitstringOf(capacity: number, setIndexes: number[]): Uint8Array {
  const bits = new Uint8Array(Math.ceil(capacity / 8));
  for (const i of setIndexes) bits[i >> 3]! |= 1 << (7 - (i & 7));
  return bits;
}

/**
 * Gives a credential an index in the current list of a purpose, chosen at random among the free ones
 * (a unique key makes a collision with a concurrent issuer retry, never share an index).
 */
export async function assignStatusIndex(executor: Executor, purpose: StatusPurpose, credentialId: string): Promise<{ listId: string; index: number }> {
  for (let attempt = 0; attempt < 64; attempt++) {
    let current = await repo.latestStatusList(executor, purpose);
    if (!current || current.used >= current.list.capacity * fillLimit) {
      const n = (await repo.countStatusLists(executor, purpose)) + 1;
      await repo.insertStatusList(executor, { id: `${purpose}-${n}`, purpose, capacity: minimumListBits });
      current = await repo.latestStatusList(executor, purpose);
      if (!current) continue;
    }
    const index = randomInt(current.list.capacity);
    if (await repo.claimStatusIndex(executor, current.list.id, index, credentialId)) return { listId: current.list.id, index };
  }
  throw new Error(`No free status index found for ${purpose}`);
}
