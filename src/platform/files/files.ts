import { createHash, randomUUID } from 'node:crypto';
import { createReadStream, type ReadStream } from 'node:fs';
import { mkdir, rename, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { eq } from 'drizzle-orm';
import { fileTypeFromBuffer } from 'file-type';
import type { Actor } from '../auth/actor.js';
import type { Db, Executor } from '../db/db.js';
import { HttpError } from '../http/errors.js';
import { files } from '../platform.schema.js';

/** What we accept, decided from the bytes (magic numbers), never from the name or the client's label. */
export const acceptedMediaTypes = ['application/pdf', 'image/jpeg', 'image/png'] as const;
export type AcceptedMediaType = (typeof acceptedMediaTypes)[number];

/** A stored file as callers see it (never the row). */
export interface StoredFile {
  id: string;
  purpose: string;
  originalName: string;
  mediaType: string;
  size: number;
  sha256: string;
  ownerUserId: string | null;
  ownerEnterpriseId: string | null;
  createdAt: Date;
}

/**
 * Decides whether someone other than the owner may read a file of a purpose, e.g. the cases module
 * lets staff of the handling department read an application's materials. Default: owner only.
 */
export type FileAccessPolicy = (actor: Actor, file: StoredFile) => boolean | Promise<boolean>;

export interface UploadInput {
  bytes: Buffer;
  originalName: string;
  purpose: string;
  ownerUserId: string | null;
  ownerEnterpriseId?: string | null;
}

export interface Files {
  /** Checks size and content, writes the bytes under DATA_DIR/files and records the file in `executor`. */
  store(executor: Executor, input: UploadInput): Promise<StoredFile>;
  find(id: string): Promise<StoredFile | null>;
  /** Whether the actor may read the file: the owner (or someone acting for the owning company), or a purpose policy. */
  mayRead(actor: Actor | null, file: StoredFile): Promise<boolean>;
  open(file: StoredFile): ReadStream;
  registerPolicy(purpose: string, policy: FileAccessPolicy): void;
  readonly maxBytes: number;
}

export class PayloadTooLargeError extends HttpError {
  constructor(maxBytes: number) {
    super(413, 'payload_too_large', `The file is larger than ${maxBytes} bytes`, { maxBytes });
  }
}

export class UnsupportedMediaTypeError extends HttpError {
  constructor(detected: string | null) {
    super(415, 'unsupported_media_type', 'Only PDF, JPEG and PNG files are accepted', { detected, accepted: [...acceptedMediaTypes] });
  }
}

const isUuid = (s: string) => /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(s);

/** Keeps a display name only: no directories, control characters or markup, at most 200 characters. */
export function safeFileName(name: string): string {
  const base = name.split(/[\\/]/).pop() ?? '';
  // eslint-disable-next-line no-control-regex
  const clean = base.replace(/[\u0000-\u001f\u007f<>"]/g, '').trim();
  return (clean || 'file').slice(0, 200);
}

const toStored = (row: typeof files.$inferSelect): StoredFile => ({
  id: row.id,
  purpose: row.purpose,
  originalName: row.originalName,
  mediaType: row.mediaType,
  size: row.size,
  sha256: row.sha256,
  ownerUserId: row.ownerUserId,
  ownerEnterpriseId: row.ownerEnterpriseId,
  createdAt: row.createdAt,
});

export function createFiles(db: Db, options: { dataDir: string; maxBytes: number }): Files {
  const root = path.join(options.dataDir, 'files');
  const policies = new Map<string, FileAccessPolicy>();
  // Two levels of directories by id prefix, so no directory grows too large.
  const pathOf = (id: string) => path.join(root, id.slice(0, 2), id);

  return {
    maxBytes: options.maxBytes,
    async store(executor, input) {
      if (input.bytes.length > options.maxBytes) throw new PayloadTooLargeError(options.maxBytes);
      if (input.bytes.length === 0) throw new HttpError(400, 'validation', 'The file is empty', { errors: { file: 'files.empty' } });
      const detected = await fileTypeFromBuffer(input.bytes);
      const mediaType = detected?.mime;
      if (!mediaType || !(acceptedMediaTypes as readonly string[]).includes(mediaType)) throw new UnsupportedMediaTypeError(mediaType ?? null);
      const id = randomUUID();
      const sha256 = createHash('sha256').update(input.bytes).digest('hex');
      const target = pathOf(id);
      await mkdir(path.dirname(target), { recursive: true });
      // Write then rename, so a crash never leaves a half-written file under its final name.
      const temp = `${target}.${process.pid}.tmp`;
      await writeFile(temp, input.bytes, { flag: 'wx', mode: 0o600 });
      await rename(temp, target);
      try {
        const [row] = await executor
          .insert(files)
          .values({
            id,
            ownerUserId: input.ownerUserId,
            ownerEnterpriseId: input.ownerEnterpriseId ?? null,
            purpose: input.purpose,
            originalName: safeFileName(input.originalName),
            mediaType,
            size: input.bytes.length,
            sha256,
          })
          .returning();
        if (!row) throw new Error('File insert returned nothing');
        return toStored(row);
      } catch (error) {
        await rm(target, { force: true });
        throw error;
      }
    },
    async find(id) {
      if (!isUuid(id)) return null;
      const [row] = await db.select().from(files).where(eq(files.id, id));
      return row && !row.deletedAt ? toStored(row) : null;
    },
    async mayRead(actor, file) {
      if (!actor || actor.pendingSecondFactor) return false;
      if (file.ownerUserId && file.ownerUserId === actor.userId) return true;
      if (file.ownerEnterpriseId && actor.actingFor?.enterpriseId === file.ownerEnterpriseId) return true;
      const policy = policies.get(file.purpose);
      return policy ? await policy(actor, file) : false;
    },
    open(file) {
      return createReadStream(pathOf(file.id));
    },
    registerPolicy(purpose, policy) {
      if (policies.has(purpose)) throw new Error(`A file policy for "${purpose}" is already registered`);
      policies.set(purpose, policy);
    },
  };
}
