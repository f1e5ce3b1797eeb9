import { describe, expect, it } from 'vitest';
import { signatureFor, signPayload, verifySignature } from './webhooks.js';
import { isValidTrackingNo, luhnCheckDigit, newTrackingNo } from '../delivery/tracking-number.js';

const secret = 'a-test-secret-that-is-long-enough-1234';
const now = new Date('2026-11-27T02:00:00Z');
const body = JSON.stringify({ eventId: 'e1', type: 'paid' });

describe('webhook signatures', () => {
  it('accepts its own signature', () => {
    expect(verifySignature(secret, signatureFor(secret, body, now), body, now, 300)).toEqual({ ok: true, timestamp: now.getTime() / 1000 });
  });

  it('refuses a changed body, another secret, a missing or malformed header', () => {
    const header = signatureFor(secret, body, now);
    expect(verifySignature(secret, header, body.replace('paid', 'failed'), now, 300)).toEqual({ ok: false, reason: 'mismatch' });
    expect(verifySignature(`${secret}x`, header, body, now, 300)).toEqual({ ok: false, reason: 'mismatch' });
    expect(verifySignature(secret, undefined, body, now, 300)).toEqual({ ok: false, reason: 'missing' });
    expect(verifySignature(secret, 'v1=abc', body, now, 300)).toEqual({ ok: false, reason: 'malformed' });
    expect(verifySignature(secret, `t=${now.getTime() / 1000},v1=${'0'.repeat(63)}`, body, now, 300)).toEqual({ ok: false, reason: 'malformed' });
  });

  it('refuses a timestamp outside the tolerance window, either way', () => {
    const t = now.getTime() / 1000;
    const old = `t=${t - 301},v1=${signPayload(secret, t - 301, body)}`;
    const future = `t=${t + 301},v1=${signPayload(secret, t + 301, body)}`;
    const edge = `t=${t - 299},v1=${signPayload(secret, t - 299, body)}`;
    expect(verifySignature(secret, old, body, now, 300)).toEqual({ ok: false, reason: 'expired' });
    expect(verifySignature(secret, future, body, now, 300)).toEqual({ ok: false, reason: 'expired' });
    expect(verifySignature(secret, edge, body, now, 300).ok).toBe(true);
  });

  it('binds the timestamp: a signature moved to another time fails', () => {
    const t = now.getTime() / 1000;
    const moved = `t=${t + 1},v1=${signPayload(secret, t, body)}`;
    expect(verifySignature(secret, moved, body, now, 300)).toEqual({ ok: false, reason: 'mismatch' });
  });
});

describe('tracking numbers', () => {
  it('are SH and 12 digits whose last is a Luhn check digit', () => {
    for (let i = 0; i < 200; i++) {
      const n = newTrackingNo();
      expect(n).toMatch(/^SH\d{12}$/);
      expect(isValidTrackingNo(n)).toBe(true);
    }
  });

  it('catch a mistyped digit and a swap of neighbours', () => {
    expect(luhnCheckDigit('7992739871')).toBe(3); // the textbook Luhn example
    const n = 'SH' + '12345678901' + String(luhnCheckDigit('12345678901'));
    expect(isValidTrackingNo(n)).toBe(true);
    expect(isValidTrackingNo(n.slice(0, 5) + String((Number(n[5]) + 1) % 10) + n.slice(6))).toBe(false);
    expect(isValidTrackingNo('SH' + '21345678901' + n.slice(-1))).toBe(false);
    expect(isValidTrackingNo('XX123456789012')).toBe(false);
  });
});
