import { gunzipSync, inflateSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { and, eq } from 'drizzle-orm';
import { CompactSign, createLocalJWKSet, decodeJwt, decodeProtectedHeader, exportJWK, generateKeyPair, jwtVerify, type JSONWebKeySet } from 'jose';
import jsqrModule from 'jsqr';
import { PDFDocument, PDFName, PDFNumber, PDFRawStream } from 'pdf-lib';
import type { App } from '../../platform/http/types.js';
import { ValidationError } from '../../platform/http/errors.js';
import { auditLog } from '../../platform/platform.schema.js';
import { createTestApp, manualClock, TestClient, type TestContext } from '../../../test/helpers.js';
import { createUser, waitFor, type TestUser } from '../../../test/factories.js';
import { feedOf } from './certificates.feed.js';
import { verifyCredential } from './certificates.verify.js';
import { identityModule } from '../identity/index.js';
import {
  issueBusinessLicence,
  latestLicenceOf,
  reinstateCredential,
  revokeCredential,
  rotateSigningKey,
  suspendCredential,
  type LicenceInput,
} from './index.js';

// Electronic business licence: vc+jwt issue and verification, JWKS and rotation, Bitstring Status List,
// PDF with Chinese text and QR code, who may download, and every bad input the issue lists.

const password = 'Chengdu#2026';
// jsqr is CommonJS with a default export: Node hands the function itself, TypeScript sees the namespace.
type JsQr = (data: Uint8ClampedArray, width: number, height: number) => { data: string } | null;
const jsQR: JsQr = typeof jsqrModule === 'function' ? (jsqrModule as unknown as JsQr) : (jsqrModule as unknown as { default: JsQr }).default;
const bytesOf = (res: unknown) => new Uint8Array((res as { rawPayload: Buffer }).rawPayload);
const demo = { uscc: '91510107MA6CBX7Q6L', name: '成都蜀锦商贸有限公司' };

const licence = (over: Partial<LicenceInput> = {}): LicenceInput => ({
  uscc: demo.uscc,
  name: demo.name,
  type: '有限责任公司（自然人投资或控股）',
  legalRepresentative: '陈建国',
  registeredCapital: '500万元人民币',
  establishedOn: '2019-03-12',
  address: '四川省成都市青羊区蜀锦路88号',
  businessScope: '一般项目：纺织品销售；服装服饰批发；服装服饰零售；互联网销售（除销售需要许可的商品）。',
  authority: '成都市青羊区市场监督管理局',
  ...over,
});

interface VerifyReply {
  verdict: string;
  reason: string;
  message: string;
  subject: Record<string, unknown> | null;
}

describe('certificates', () => {
  let app: App;
  let ctx: TestContext;
  const clock = manualClock(new Date('2026-11-27T02:00:00Z'));
  let accountant: TestClient;
  let legalRep: TestClient;
  let stranger: TestUser;
  let admin: TestUser;

  const issue = (over: Partial<LicenceInput> = {}) => ctx.db.transaction((tx) => issueBusinessLicence(tx, ctx, licence(over)));
  const jwtOf = async (credentialId: string) => (await latestOrById(credentialId)).jwt;
  const latestOrById = async (credentialId: string) => {
    const { getLicence } = await import('./index.js');
    const l = await getLicence(ctx.db, credentialId);
    if (!l) throw new Error('no licence');
    return l;
  };
  const verify = async (credential: unknown, lang = 'en') => {
    const res = await app.inject({ method: 'POST', url: `/api/v1/credentials/verify?lang=${lang}`, payload: { credential } });
    expect(res.statusCode).toBe(200);
    return res.json<VerifyReply>();
  };
  const signIn = async (phone: string) => {
    const client = new TestClient(app);
    const res = await client.submit('/sign-in', '/sign-in', { method: 'password', phone, password });
    expect(res.statusCode).toBe(303);
    return client;
  };

  beforeAll(async () => {
    ({ app, ctx } = await createTestApp({ clock, env: { SIGN_IN_LIMIT: '1000' } }));
    await identityModule.seed!(ctx);
    accountant = await signIn('13800000003');
    legalRep = await signIn('13800000004');
    stranger = await createUser(ctx);
    admin = await createUser(ctx, { kind: 'staff', roles: ['platform_admin'] });
  }, 180_000);
  afterAll(async () => {
    await app.close();
    await ctx.cleanup();
  });

  it('issues a VCDM 2.0 credential as vc+jwt (ES256, kid) that the API verifies as valid', async () => {
    const { credentialId } = await issue();
    const jwt = await jwtOf(credentialId);
    const header = decodeProtectedHeader(jwt);
    expect(header).toMatchObject({ alg: 'ES256', typ: 'vc+jwt', cty: 'vc' });
    expect(typeof header.kid).toBe('string');
    const payload = decodeJwt(jwt);
    expect(payload['@context']).toEqual(['https://www.w3.org/ns/credentials/v2', `${ctx.config.publicUrl}/ns/business-licence/v1`]);
    expect(payload.type).toEqual(['VerifiableCredential', 'BusinessLicenceCredential']);
    expect(payload.id).toBe(`urn:uuid:${credentialId}`);
    expect(payload).not.toHaveProperty('vc');
    expect(payload.credentialSubject).toMatchObject({
      uscc: demo.uscc,
      name: demo.name,
      legalRepresentative: '陈建国',
      registrationAuthority: '成都市青羊区市场监督管理局',
    });
    const statuses = payload.credentialStatus as Record<string, string>[];
    expect(statuses.map((s) => s.statusPurpose).sort()).toEqual(['revocation', 'suspension']);
    for (const s of statuses) {
      expect(s.type).toBe('BitstringStatusListEntry');
      expect(s.statusListIndex).toMatch(/^\d+$/);
      expect(s.statusListCredential).toMatch(new RegExp(`^${ctx.config.publicUrl}/credentials/status/`));
    }
    const result = await verify(jwt);
    expect(result.verdict).toBe('valid');
    expect(result.subject).toMatchObject({ name: demo.name, uscc: demo.uscc });
    const [audit] = await ctx.db
      .select()
      .from(auditLog)
      .where(and(eq(auditLog.action, 'certificates.issue'), eq(auditLog.resourceId, credentialId)));
    expect(audit?.outcome).toBe('ok');
    expect((await latestLicenceOf(ctx.db, demo.uscc))?.credentialId).toBe(credentialId);
  });

  it('verifies with the published JWKS through jose alone, and the JWKS holds no private part', async () => {
    const { credentialId } = await issue();
    const jwt = await jwtOf(credentialId);
    const res = await app.inject({ method: 'GET', url: '/.well-known/jwks.json' });
    expect(res.statusCode).toBe(200);
    expect(res.headers['cache-control']).toContain('public');
    const jwks = res.json<JSONWebKeySet>();
    for (const k of jwks.keys) expect(k).not.toHaveProperty('d');
    const { payload, protectedHeader } = await jwtVerify(jwt, createLocalJWKSet(jwks), {
      algorithms: ['ES256'],
      typ: 'vc+jwt',
      issuer: ctx.config.publicUrl,
      currentDate: clock.now(),
    });
    expect(protectedHeader.kid).toBeTruthy();
    expect((payload.credentialSubject as Record<string, string>).name).toBe(demo.name);
    // The same check fails on a changed payload: the test can fail.
    const [h, p, s] = jwt.split('.');
    const forged = Buffer.from(JSON.stringify({ ...payload, credentialSubject: { name: '假公司' } })).toString('base64url');
    await expect(jwtVerify(`${h}.${forged}.${s}`, createLocalJWKSet(jwks), { currentDate: clock.now() })).rejects.toThrow();
    expect(p).toBeTruthy();
  });

  it('rotates the key: new credentials use the new kid, old ones stay valid, both keys are published', async () => {
    const before = await issue();
    const oldJwt = await jwtOf(before.credentialId);
    const oldKid = decodeProtectedHeader(oldJwt).kid;
    // Rotation through the admin API (a platform admin only), audited.
    const denied = await app.inject({ method: 'POST', url: '/api/v1/admin/credentials/keys/rotate', headers: { authorization: stranger.authorization } });
    expect(denied.statusCode).toBe(403);
    const res = await app.inject({ method: 'POST', url: '/api/v1/admin/credentials/keys/rotate', headers: { authorization: admin.authorization } });
    expect(res.statusCode).toBe(200);
    const rotated = res.json<{ retired: string; active: string }>();
    expect(rotated.retired).toBe(oldKid);
    expect(rotated.active).not.toBe(oldKid);
    const after = await issue();
    const newJwt = await jwtOf(after.credentialId);
    expect(decodeProtectedHeader(newJwt).kid).toBe(rotated.active);
    expect((await verify(oldJwt)).verdict).toBe('valid');
    expect((await verify(newJwt)).verdict).toBe('valid');
    const jwks = (await app.inject({ method: 'GET', url: '/.well-known/jwks.json' })).json<JSONWebKeySet>();
    expect(jwks.keys.map((k) => k.kid)).toEqual(expect.arrayContaining([oldKid, rotated.active]));
    await jwtVerify(oldJwt, createLocalJWKSet(jwks), { currentDate: clock.now() });
    // And as a function, in a transaction.
    const again = await ctx.db.transaction((tx) => rotateSigningKey(tx, ctx));
    expect(again.retired).toBe(rotated.active);
    expect((await verify(newJwt)).verdict).toBe('valid');
    const audits = await ctx.db.select().from(auditLog).where(eq(auditLog.action, 'certificates.rotate_key'));
    expect(audits.length).toBeGreaterThanOrEqual(2);
  });

  const statusListOf = async (jwt: string, purpose: string) => {
    const entry = (decodeJwt(jwt).credentialStatus as Record<string, string>[]).find((s) => s.statusPurpose === purpose)!;
    const url = new URL(entry.statusListCredential!);
    const res = await app.inject({ method: 'GET', url: url.pathname });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toContain('application/vc+jwt');
    const list = decodeJwt(res.body);
    const subject = list.credentialSubject as Record<string, string>;
    expect(list.type).toEqual(['VerifiableCredential', 'BitstringStatusListCredential']);
    expect(subject.type).toBe('BitstringStatusList');
    expect(subject.statusPurpose).toBe(purpose);
    expect(subject.encodedList!.startsWith('u')).toBe(true);
    const bits = gunzipSync(Buffer.from(subject.encodedList!.slice(1), 'base64url'));
    const index = Number(entry.statusListIndex);
    const bit = ((bits[index >> 3]! >> (7 - (index % 8))) & 1) === 1;
    return { bits, index, bit, jwt: res.body };
  };

  it('serves status lists of at least 131,072 entries, GZIP + base64url with the "u" prefix, signed by a published key', async () => {
    const { credentialId } = await issue();
    const jwt = await jwtOf(credentialId);
    const list = await statusListOf(jwt, 'revocation');
    expect(list.bits.length * 8).toBeGreaterThanOrEqual(131_072);
    expect(list.bit).toBe(false);
    const jwks = (await app.inject({ method: 'GET', url: '/.well-known/jwks.json' })).json<JSONWebKeySet>();
    await jwtVerify(list.jwt, createLocalJWKSet(jwks), { currentDate: clock.now(), typ: 'vc+jwt' });
  });

  it('assigns status indexes at random and never twice', async () => {
    const indexes: number[] = [];
    for (let i = 0; i < 12; i++) {
      const { credentialId } = await issue();
      const entry = (decodeJwt(await jwtOf(credentialId)).credentialStatus as Record<string, string>[]).find((s) => s.statusPurpose === 'revocation')!;
      indexes.push(Number(entry.statusListIndex));
    }
    expect(new Set(indexes).size).toBe(indexes.length);
    const sorted = [...indexes].sort((a, b) => a - b);
    // Sequential assignment would give a span of 11; random ones over 131,072 slots spread far wider.
    expect(sorted[sorted.length - 1]! - sorted[0]!).toBeGreaterThan(1000);
  });

  it('revocation is visible at the next verification and in the served list', async () => {
    const { credentialId } = await issue();
    const jwt = await jwtOf(credentialId);
    expect((await verify(jwt)).verdict).toBe('valid'); // warms the caches
    await ctx.db.transaction((tx) => revokeCredential(tx, ctx, credentialId, '注销登记'));
    const result = await verify(jwt);
    expect(result.verdict).toBe('revoked');
    expect(result.subject).toMatchObject({ uscc: demo.uscc });
    expect((await statusListOf(jwt, 'revocation')).bit).toBe(true);
    expect((await verify(jwt, 'zh-CN')).message).toContain('撤销');
    await expect(ctx.db.transaction((tx) => revokeCredential(tx, ctx, credentialId, 'again'))).rejects.toThrow();
    const [audit] = await ctx.db
      .select()
      .from(auditLog)
      .where(and(eq(auditLog.action, 'certificates.revoke'), eq(auditLog.resourceId, credentialId)));
    expect(audit?.detail).toMatchObject({ reason: '注销登记' });
  });

  it('another instance sharing the database sees a revocation once the NOTIFY arrives, and a rotated key', async () => {
    // A second instance: the same database, its own caches and subscription.
    const other = { ...ctx };
    await feedOf(other).start(other);
    try {
      expect(feedOf(other).live).toBe(true);
      const { credentialId } = await issue();
      const jwt = await jwtOf(credentialId);
      expect((await verifyCredential(other.db, other, jwt)).verdict).toBe('valid'); // cached there now
      await ctx.db.transaction((tx) => revokeCredential(tx, ctx, credentialId, '吊销营业执照'));
      await waitFor(async () => (await verifyCredential(other.db, other, jwt)).verdict === 'revoked', 5000, 20);
      await ctx.db.transaction((tx) => rotateSigningKey(tx, ctx));
      const fresh = await issue();
      expect((await verifyCredential(other.db, other, await jwtOf(fresh.credentialId))).verdict).toBe('valid');
    } finally {
      await feedOf(other).close();
    }
  });

  it('suspends and reinstates', async () => {
    const { credentialId } = await issue();
    const jwt = await jwtOf(credentialId);
    expect((await verify(jwt)).verdict).toBe('valid');
    await ctx.db.transaction((tx) => suspendCredential(tx, ctx, credentialId, '列入经营异常名录'));
    expect((await verify(jwt)).verdict).toBe('suspended');
    expect((await statusListOf(jwt, 'suspension')).bit).toBe(true);
    expect((await statusListOf(jwt, 'revocation')).bit).toBe(false);
    await ctx.db.transaction((tx) => reinstateCredential(tx, ctx, credentialId, '移出异常名录'));
    expect((await verify(jwt)).verdict).toBe('valid');
    expect((await statusListOf(jwt, 'suspension')).bit).toBe(false);
  });

  it('a revocation rolled back with the caller’s transaction leaves the credential valid', async () => {
    const { credentialId } = await issue();
    const jwt = await jwtOf(credentialId);
    await expect(
      ctx.db.transaction(async (tx) => {
        await revokeCredential(tx, ctx, credentialId, 'will roll back');
        throw new Error('rollback');
      }),
    ).rejects.toThrow('rollback');
    expect((await verify(jwt)).verdict).toBe('valid');
  });

  it('says expired after validUntil', async () => {
    const { credentialId } = await issue({ validUntil: '2026-12-31' });
    const jwt = await jwtOf(credentialId);
    expect((await verify(jwt)).verdict).toBe('valid');
    const now = clock.now();
    clock.set(new Date('2027-01-02T00:00:00Z'));
    try {
      const result = await verify(jwt);
      expect(result.verdict).toBe('expired');
      expect(result.reason).toBe('expired');
    } finally {
      clock.set(now);
    }
  });

  describe('bad input: a clear verdict or a 4xx, never a 500', () => {
    it('refuses to issue with an invalid credit code', async () => {
      await expect(issue({ uscc: '91510107MA6CBX7Q6X' })).rejects.toBeInstanceOf(ValidationError);
      await expect(issue({ uscc: '9111000060003IOZSV' })).rejects.toBeInstanceOf(ValidationError);
      await expect(issue({ uscc: '12345' })).rejects.toBeInstanceOf(ValidationError);
      await expect(issue({ name: '  ' })).rejects.toBeInstanceOf(ValidationError);
    });

    it('a credential with one byte changed is invalid (bad signature)', async () => {
      const { credentialId } = await issue();
      const jwt = await jwtOf(credentialId);
      const [h, p, s] = jwt.split('.') as [string, string, string];
      const bytes = Buffer.from(p, 'base64url');
      const at = bytes.indexOf(Buffer.from('陈建国'));
      bytes[at + 2] = bytes[at + 2]! ^ 0x01;
      const result = await verify(`${h}.${bytes.toString('base64url')}.${s}`);
      expect(result).toMatchObject({ verdict: 'invalid', reason: 'bad_signature', subject: null });
      const sig = Buffer.from(s, 'base64url');
      sig[5] = sig[5]! ^ 0xff;
      expect((await verify(`${h}.${p}.${sig.toString('base64url')}`)).verdict).toBe('invalid');
    });

    it('signed by an unknown key, or with a published kid but another key', async () => {
      const { credentialId } = await issue();
      const payload = decodeJwt(await jwtOf(credentialId));
      const realKid = decodeProtectedHeader(await jwtOf(credentialId)).kid!;
      const { privateKey, publicKey } = await generateKeyPair('ES256');
      const sign = (kid: string) =>
        new CompactSign(Buffer.from(JSON.stringify(payload))).setProtectedHeader({ alg: 'ES256', typ: 'vc+jwt', kid }).sign(privateKey);
      expect(await verify(await sign('not-a-published-key'))).toMatchObject({ verdict: 'invalid', reason: 'unknown_key' });
      expect(await verify(await sign(realKid))).toMatchObject({ verdict: 'invalid', reason: 'bad_signature' });
      expect(Object.keys(await exportJWK(publicKey))).toContain('x');
    });

    it('malformed JWTs, other algorithms and types, non-credentials', async () => {
      const cases: [unknown, string][] = [
        ['', 'empty'],
        ['   ', 'empty'],
        ['not a jwt', 'malformed'],
        ['a.b.c', 'malformed'],
        ['eyJhbGciOiJFUzI1NiJ9..', 'malformed'],
        ['eyJhbGciOiJub25lIiwidHlwIjoidmMrand0In0.eyJ4IjoxfQ.', 'malformed'],
        [`${Buffer.from('{"alg":"none","typ":"vc+jwt"}').toString('base64url')}.${Buffer.from('{}').toString('base64url')}.AAAA`, 'unsupported_alg'],
        [`${Buffer.from('{"alg":"HS256","typ":"vc+jwt","kid":"x"}').toString('base64url')}.e30.AAAA`, 'unsupported_alg'],
        [`${Buffer.from('{"alg":"ES256","typ":"JWT","kid":"x"}').toString('base64url')}.e30.AAAA`, 'wrong_type'],
        [`${Buffer.from('not json').toString('base64url')}.e30.AAAA`, 'malformed'],
        // A number is read as its digits (the API coerces scalars): still a clear verdict.
        [42, 'malformed'],
      ];
      for (const [input, reason] of cases) {
        const result = await verify(input);
        expect({ input: String(input).slice(0, 40), verdict: result.verdict, reason: result.reason }).toEqual({
          input: String(input).slice(0, 40),
          verdict: 'invalid',
          reason,
        });
      }
      // A well-signed JWT that is not a credential.
      const key = await import('./certificates.keys.js').then((m) => m.activeSigningKey(ctx.db, ctx));
      const notVc = await new CompactSign(Buffer.from(JSON.stringify({ hello: 'world' })))
        .setProtectedHeader({ alg: 'ES256', typ: 'vc+jwt', kid: key.kid })
        .sign(key.key);
      expect(await verify(notVc)).toMatchObject({ verdict: 'invalid', reason: 'not_a_credential' });
    });

    it('wrong shapes get a 4xx problem: a non-string, no body, a 1 MB body, another content type', async () => {
      for (const payload of [{ credential: { a: 1 } }, {}, { credential: 'x', extra: 1 }, { credential: 'x'.repeat(20_000) }, [1, 2]]) {
        const res = await app.inject({ method: 'POST', url: '/api/v1/credentials/verify', payload });
        expect(res.statusCode).toBe(400);
        expect(res.headers['content-type']).toContain('application/problem+json');
      }
      const big = await app.inject({ method: 'POST', url: '/api/v1/credentials/verify', payload: { credential: 'a'.repeat(1024 * 1024) } });
      expect(big.statusCode).toBe(413);
      expect(big.headers['content-type']).toContain('application/problem+json');
      const text = await app.inject({ method: 'POST', url: '/api/v1/credentials/verify', payload: 'credential=x', headers: { 'content-type': 'text/plain' } });
      expect(text.statusCode).toBe(400);
      const xml = await app.inject({
        method: 'POST',
        url: '/api/v1/credentials/verify',
        payload: '<credential/>',
        headers: { 'content-type': 'application/xml' },
      });
      expect(xml.statusCode).toBe(415);
      const broken = await app.inject({
        method: 'POST',
        url: '/api/v1/credentials/verify',
        payload: '{"credential":',
        headers: { 'content-type': 'application/json' },
      });
      expect(broken.statusCode).toBe(400);
      expect((await app.inject({ method: 'GET', url: '/credentials/status/nope' })).statusCode).toBe(404);
      expect((await app.inject({ method: 'GET', url: '/credentials/status/revocation-999' })).statusCode).toBe(404);
      const page = await app.inject({ method: 'GET', url: `/verify?credential=${'%FF'.repeat(10)}` });
      expect(page.statusCode).toBeLessThan(500);
    });
  });

  describe('the /verify page', () => {
    it('verifies by the id in the QR code, in zh-CN and en, and shows a revocation', async () => {
      const { credentialId } = await issue();
      const zh = await app.inject({ method: 'GET', url: `/verify?credential=${credentialId}` });
      expect(zh.statusCode).toBe(200);
      expect(zh.body).toContain('data-verdict="valid"');
      expect(zh.body).toContain('有效：执照真实有效');
      expect(zh.body).toContain(demo.name);
      const en = await app.inject({ method: 'GET', url: `/verify?credential=${credentialId}&lang=en` });
      expect(en.body).toContain('Valid: the licence is genuine and in force');
      expect(en.body).toContain('Registration authority');
      await ctx.db.transaction((tx) => revokeCredential(tx, ctx, credentialId, '换发新照'));
      const after = await app.inject({ method: 'GET', url: `/verify?credential=${credentialId}` });
      expect(after.body).toContain('data-verdict="revoked"');
    });

    it('verifies a pasted JWT, and says why a bad one fails', async () => {
      const { credentialId } = await issue();
      const jwt = await jwtOf(credentialId);
      const ok = await app.inject({ method: 'GET', url: `/verify?credential=${encodeURIComponent(jwt)}&lang=en` });
      expect(ok.body).toContain('data-verdict="valid"');
      const bad = await app.inject({ method: 'GET', url: `/verify?credential=${encodeURIComponent(jwt.slice(0, -4) + 'AAAA')}&lang=en` });
      expect(bad.statusCode).toBe(200);
      expect(bad.body).toContain('data-verdict="invalid"');
      const junk = await app.inject({ method: 'GET', url: `/verify?credential=hello&lang=en` });
      expect(junk.statusCode).toBe(400);
      expect(junk.body).toContain('not a well-formed vc+jwt');
      const unknown = await app.inject({ method: 'GET', url: `/verify?credential=00000000-0000-4000-8000-000000000000&lang=en` });
      expect(unknown.body).toContain('There is no credential with this number');
      // By unified social credit code: the company's current licence; a wrong check character is named.
      const byCode = await app.inject({ method: 'GET', url: `/verify?credential=${demo.uscc}&lang=en` });
      expect(byCode.statusCode).toBe(200);
      expect(byCode.body).toMatch(/data-verdict="(valid|revoked)"/);
      expect(byCode.body).toContain(demo.name);
      for (const bad of ['91510107MA6CBX7Q6X', '9111000060003IOZSV']) {
        const wrong = await app.inject({ method: 'GET', url: `/verify?credential=${bad}&lang=en` });
        expect(wrong.statusCode).toBe(400);
        expect(wrong.body).toContain('data-verdict="invalid"');
        expect(wrong.body).toContain('not a valid unified social credit code');
      }
      const noLicence = await app.inject({ method: 'GET', url: `/verify?credential=91110000600037341L&lang=en` });
      expect(noLicence.body).toContain('the company has no electronic licence');
      const empty = await app.inject({ method: 'GET', url: '/verify' });
      expect(empty.statusCode).toBe(200);
      expect(empty.body).not.toContain('data-verdict');
    });
  });

  describe('licence documents', () => {
    let credentialId = '';
    beforeAll(async () => {
      ({ credentialId } = await issue());
    });

    it('the PDF is A4 and its text holds the Chinese company name (pdfjs text extraction)', async () => {
      const res = await accountant.get(`/licences/${credentialId}/licence.pdf`);
      expect(res.statusCode).toBe(200);
      expect(res.headers['content-type']).toBe('application/pdf');
      const bytes = bytesOf(res);
      expect(Buffer.from(bytes.subarray(0, 5)).toString()).toBe('%PDF-');
      const pdfjs = await import('pdfjs-dist/legacy/build/pdf.mjs');
      const doc = await pdfjs.getDocument({ data: bytes.slice(), disableFontFace: true, useSystemFonts: false }).promise;
      const page = await doc.getPage(1);
      const [, , w, h] = page.view;
      expect(Math.round(w!)).toBe(595);
      expect(Math.round(h!)).toBe(842);
      const text = (await page.getTextContent()).items.map((i) => ('str' in i ? i.str : '')).join('');
      expect(text).toContain(demo.name);
      expect(text).toContain('营业执照');
      expect(text).toContain(demo.uscc);
      expect(text).toContain('成都市青羊区市场监督管理局');
      await doc.destroy();
    });

    it('the QR code in the PDF decodes to the verify URL, which verifies', async () => {
      const res = await legalRep.get(`/licences/${credentialId}/licence.pdf`);
      expect(res.statusCode).toBe(200);
      const pdf = await PDFDocument.load(bytesOf(res));
      const images = pdf.context
        .enumerateIndirectObjects()
        .map(([, obj]) => obj)
        .filter((obj): obj is PDFRawStream => obj instanceof PDFRawStream && obj.dict.get(PDFName.of('Subtype')) === PDFName.of('Image'));
      expect(images.length).toBeGreaterThan(0);
      const image = images[0]!;
      const width = (image.dict.get(PDFName.of('Width')) as PDFNumber).asNumber();
      const height = (image.dict.get(PDFName.of('Height')) as PDFNumber).asNumber();
      const raw = inflateSync(image.contents);
      const channels = raw.length / (width * height);
      const rgba = new Uint8ClampedArray(width * height * 4);
      for (let i = 0; i < width * height; i++) {
        for (let c = 0; c < 3; c++) rgba[i * 4 + c] = raw[i * channels + (channels >= 3 ? c : 0)]!;
        rgba[i * 4 + 3] = 255;
      }
      const code = jsQR(rgba, width, height);
      expect(code?.data).toBe(`${ctx.config.publicUrl}/verify?credential=${credentialId}`);
      const url = new URL(code!.data);
      const page = await app.inject({ method: 'GET', url: `${url.pathname}${url.search}` });
      expect(page.body).toContain('data-verdict="valid"');
    });

    it('mobile view and raw vc+jwt for the legal representative and agents only; every download audited', async () => {
      const view = await accountant.get(`/licences/${credentialId}`);
      expect(view.statusCode).toBe(200);
      expect(view.body).toContain(demo.name);
      expect(view.body).toContain('<svg');
      expect(view.body).toContain('name="viewport"');
      const raw = await legalRep.get(`/licences/${credentialId}/licence.jwt`);
      expect(raw.statusCode).toBe(200);
      expect(raw.headers['content-type']).toContain('application/vc+jwt');
      expect((await verify(raw.body)).verdict).toBe('valid');
      const list = await accountant.get('/licences');
      expect(list.body).toContain(`/licences/${credentialId}`);

      const other = await app.inject({ method: 'GET', url: `/licences/${credentialId}/licence.pdf`, headers: { cookie: stranger.cookie } });
      expect(other.statusCode).toBe(403);
      const staff = await app.inject({ method: 'GET', url: `/licences/${credentialId}/licence.jwt`, headers: { cookie: admin.cookie } });
      expect(staff.statusCode).toBe(403);
      const anonymous = await app.inject({ method: 'GET', url: `/licences/${credentialId}/licence.pdf` });
      expect(anonymous.statusCode).toBe(302);
      expect((await accountant.get('/licences/00000000-0000-4000-8000-000000000000/licence.pdf')).statusCode).toBe(404);
      expect((await accountant.get('/licences/not-an-id/licence.pdf')).statusCode).toBe(400);
      const denied = await ctx.db
        .select()
        .from(auditLog)
        .where(and(eq(auditLog.action, 'certificates.download.pdf'), eq(auditLog.outcome, 'denied')));
      expect(denied.length).toBeGreaterThan(0);
    });

    it('the staff key page lists keys and rotates with a form', async () => {
      const client = new TestClient(app);
      client.cookies.set('sh_session', admin.cookie.split('=')[1]!);
      const page = await client.get('/staff/certificates/keys?lang=en');
      expect(page.statusCode).toBe(200);
      expect(page.body).toContain('Retired (still published)');
      const res = await client.submit('/staff/certificates/keys', '/staff/certificates/keys/rotate', {});
      expect(res.statusCode).toBe(303);
      const citizen = await accountant.get('/staff/certificates/keys');
      expect(citizen.statusCode).toBe(403);
    });
  });
});
