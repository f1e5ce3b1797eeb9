import { describe, expect, it } from 'vitest';
import { uuidV5 } from './uuid.js';

describe('uuidV5', () => {
  it('gives the RFC 9562 example (DNS namespace, www.example.com)', () => {
    expect(uuidV5('6ba7b810-9dad-11d1-80b4-00c04fd430c8', 'www.example.com')).toBe('2ed6657d-e927-568b-95e1-2665a8aea6a2');
  });

  it('is the same for the same name and differs for another', () => {
    const ns = '5e1c0a9e-4d1b-4c2a-8f3e-7b6d2c1a0f99';
    expect(uuidV5(ns, 'a')).toBe(uuidV5(ns, 'a'));
    expect(uuidV5(ns, 'a')).not.toBe(uuidV5(ns, 'b'));
    expect(uuidV5(ns, 'a')).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
  });
});
