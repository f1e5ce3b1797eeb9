import type { FastifyRequest } from 'fastify';

/** A form post's text fields: the first value of each name, capped. */
export type FormBody = Record<string, string>;

export interface FormUpload {
  field: string;
  filename: string;
  bytes: Buffer;
  /** Past the multipart file size limit: refused with a message, not read. */
  tooLarge: boolean;
}

/** A urlencoded form post: strings (or arrays when a name repeats); keeps the first, capped at `maxChars`. */
export function formBodyOf(request: FastifyRequest, maxChars: number): FormBody {
  const raw = (request.body && typeof request.body === 'object' ? request.body : {}) as Record<string, unknown>;
  const out: FormBody = {};
  for (const [k, v] of Object.entries(raw)) {
    const first = Array.isArray(v) ? v[0] : v;
    if (typeof first === 'string') out[k] = first.slice(0, maxChars);
  }
  return out;
}

/**
 * A multipart form post: the text fields (capped like formBodyOf) and the files chosen, read in full (sizes are
 * capped by the multipart limits; a file past them comes back `tooLarge`). An empty file input is no upload.
 */
export async function multipartBodyOf(request: FastifyRequest, maxChars: number): Promise<{ body: FormBody; uploads: FormUpload[] }> {
  const body: FormBody = {};
  const uploads: FormUpload[] = [];
  for await (const part of request.parts()) {
    if (part.type === 'file') {
      let bytes: Buffer = Buffer.alloc(0);
      let tooLarge = false;
      try {
        bytes = await part.toBuffer();
      } catch (error) {
        if ((error as { code?: string }).code !== 'FST_REQ_FILE_TOO_LARGE') throw error;
        tooLarge = true;
      }
      if (bytes.length > 0 || tooLarge) uploads.push({ field: part.fieldname, filename: part.filename, bytes, tooLarge });
    } else if (typeof part.value === 'string') body[part.fieldname] = part.value.slice(0, maxChars);
  }
  return { body, uploads };
}
