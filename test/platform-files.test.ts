import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { App } from '../src/platform/http/types.js';
import { createTestApp, type TestContext } from './helpers.js';
import { createUser, type TestUser } from './factories.js';

let app: App;
let ctx: TestContext;
let owner: TestUser;
let stranger: TestUser;
let clerk: TestUser;

const maxBytes = 4096;
const png = Buffer.concat([
  Buffer.from(
    '89504e470d0a1a0a0000000d49484452000000010000000108060000001f15c4890000000d4944415478da63f8cfc0f01f0005000201a5f9b2470000000049454e44ae426082',
    'hex',
  ),
]);
const pdf = Buffer.from(
  '%PDF-1.4\n1 0 obj << /Type /Catalog /Pages 2 0 R >> endobj\n2 0 obj << /Type /Pages /Kids [] /Count 0 >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n',
);
const jpeg = Buffer.concat([Buffer.from('ffd8ffe000104a46494600010100000100010000', 'hex'), Buffer.alloc(64, 0), Buffer.from('ffd9', 'hex')]);

function multipart(parts: { name: string; filename?: string; type?: string; data: Buffer | string }[]) {
  const boundary = `----servicehall${Date.now()}`;
  const chunks: Buffer[] = [];
  for (const p of parts) {
    const disposition = `form-data; name="${p.name}"${p.filename ? `; filename="${p.filename}"` : ''}`;
    chunks.push(Buffer.from(`--${boundary}\r\nContent-Disposition: ${disposition}\r\n${p.type ? `Content-Type: ${p.type}\r\n` : ''}\r\n`));
    chunks.push(Buffer.isBuffer(p.data) ? p.data : Buffer.from(p.data));
    chunks.push(Buffer.from('\r\n'));
  }
  chunks.push(Buffer.from(`--${boundary}--\r\n`));
  return { payload: Buffer.concat(chunks), contentType: `multipart/form-data; boundary=${boundary}` };
}

async function upload(user: TestUser | null, file: { filename: string; type: string; data: Buffer }, purpose?: string) {
  const { payload, contentType } = multipart([...(purpose ? [{ name: 'purpose', data: purpose }] : []), { name: 'file', ...file }]);
  return app.inject({
    method: 'POST',
    url: '/api/v1/files',
    payload,
    headers: { 'content-type': contentType, ...(user ? { authorization: user.authorization } : {}) },
  });
}

beforeAll(async () => {
  ({ app, ctx } = await createTestApp({ env: { UPLOAD_MAX_BYTES: String(maxBytes) } }));
  owner = await createUser(ctx);
  stranger = await createUser(ctx);
  clerk = await createUser(ctx, { kind: 'staff', departmentCode: 'psb', roles: ['clerk'] });
  // What a later module does: staff may read the materials of a purpose their duty needs.
  ctx.files.registerPolicy('case-material', (actor) => actor.kind === 'staff' && actor.roles.includes('clerk'));
});
afterAll(async () => {
  await app.close();
  await ctx.cleanup();
});

describe('POST /api/v1/files', () => {
  it.each([
    ['scan.png', 'image/png', png],
    ['申请表.pdf', 'application/pdf', pdf],
    ['photo.jpg', 'image/jpeg', jpeg],
  ])('stores %s with its SHA-256 under DATA_DIR/files', async (filename, mediaType, data) => {
    const res = await upload(owner, { filename, type: 'application/octet-stream', data });
    expect(res.statusCode).toBe(201);
    const body = res.json<{ id: string; mediaType: string; size: number; sha256: string }>();
    expect(body).toMatchObject({ mediaType, size: data.length, sha256: createHash('sha256').update(data).digest('hex') });
    const onDisk = await readFile(path.join(ctx.config.dataDir, 'files', body.id.slice(0, 2), body.id));
    expect(onDisk.equals(data)).toBe(true);
  });

  it('judges the type by content: a text file named .pdf and labelled PDF gets 415', async () => {
    const res = await upload(owner, { filename: 'fake.pdf', type: 'application/pdf', data: Buffer.from('just some text pretending to be a PDF\n') });
    expect(res.statusCode).toBe(415);
    expect(res.headers['content-type']).toContain('application/problem+json');
    expect(res.json()).toMatchObject({ status: 415, type: expect.stringContaining('unsupported_media_type') });
  });

  it('refuses a file over UPLOAD_MAX_BYTES with 413 problem+json', async () => {
    const big = Buffer.concat([png, Buffer.alloc(maxBytes, 1)]);
    const res = await upload(owner, { filename: 'big.png', type: 'image/png', data: big });
    expect(res.statusCode).toBe(413);
    expect(res.headers['content-type']).toContain('application/problem+json');
    expect(res.json()).toMatchObject({ status: 413, maxBytes });
  });

  it('answers a missing file, a bad purpose, a non-multipart body and no sign-in with 4xx', async () => {
    const noFile = multipart([{ name: 'purpose', data: 'upload' }]);
    const res = await app.inject({
      method: 'POST',
      url: '/api/v1/files',
      payload: noFile.payload,
      headers: { 'content-type': noFile.contentType, authorization: owner.authorization },
    });
    expect(res.statusCode).toBe(400);
    expect((await upload(owner, { filename: 'a.png', type: 'image/png', data: png }, '<script>')).statusCode).toBe(400);
    const json = await app.inject({ method: 'POST', url: '/api/v1/files', payload: { a: 1 }, headers: { authorization: owner.authorization } });
    expect(json.statusCode).toBe(415);
    expect((await upload(null, { filename: 'a.png', type: 'image/png', data: png })).statusCode).toBe(401);
  });
});

describe('reading files', () => {
  it('serves the owner the bytes with Content-Disposition and nosniff', async () => {
    const { id } = (await upload(owner, { filename: '申请表.pdf', type: 'application/pdf', data: pdf })).json<{ id: string }>();
    for (const req of [
      { url: `/api/v1/files/${id}`, headers: { authorization: owner.authorization } },
      { url: `/files/${id}`, headers: { cookie: owner.cookie } },
    ]) {
      const res = await app.inject(req);
      expect(res.statusCode).toBe(200);
      expect(res.rawPayload.equals(pdf)).toBe(true);
      expect(res.headers['content-type']).toBe('application/pdf');
      expect(res.headers['x-content-type-options']).toBe('nosniff');
      expect(res.headers['content-disposition']).toContain(`filename*=UTF-8''${encodeURIComponent('申请表.pdf')}`);
    }
  });

  it('refuses anyone else by default, and audits the refusal', async () => {
    const { id } = (await upload(owner, { filename: 'id.png', type: 'image/png', data: png })).json<{ id: string }>();
    expect((await app.inject({ url: `/api/v1/files/${id}`, headers: { authorization: stranger.authorization } })).statusCode).toBe(403);
    expect((await app.inject({ url: `/api/v1/files/${id}`, headers: { authorization: clerk.authorization } })).statusCode).toBe(403);
    const page = await app.inject({ url: `/files/${id}` });
    expect(page.statusCode).toBe(302);
    const { rows } = await ctx.database.query(
      `SELECT actor_id FROM platform_audit_log WHERE action = 'file.read' AND outcome = 'denied' AND resource_id = $1`,
      [id],
    );
    expect(rows.map((r) => r.actor_id).sort()).toEqual([stranger.id, clerk.id].sort());
  });

  it('lets a purpose policy open a file to staff whose duty needs it', async () => {
    const { id } = (await upload(owner, { filename: 'material.pdf', type: 'application/pdf', data: pdf }, 'case-material')).json<{ id: string }>();
    expect((await app.inject({ url: `/api/v1/files/${id}`, headers: { authorization: clerk.authorization } })).statusCode).toBe(200);
    expect((await app.inject({ url: `/api/v1/files/${id}`, headers: { authorization: stranger.authorization } })).statusCode).toBe(403);
  });

  it('answers an unknown or malformed id with 404 or 400', async () => {
    expect((await app.inject({ url: '/api/v1/files/00000000-0000-4000-8000-000000000000', headers: { authorization: owner.authorization } })).statusCode).toBe(
      404,
    );
    expect((await app.inject({ url: '/api/v1/files/not-an-id', headers: { authorization: owner.authorization } })).statusCode).toBe(400);
  });
});
