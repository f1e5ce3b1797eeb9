import { Type } from '@sinclair/typebox';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { actorFields, recordAudit } from '../audit/audit.js';
import type { AppContext } from '../context.js';
import { ForbiddenError, HttpError, NotFoundError, UnauthorizedError, ValidationError } from '../http/errors.js';
import type { App } from '../http/types.js';
import type { AppModule } from '../module.js';
import { filesMessages } from './files.messages.js';
import { PayloadTooLargeError, type StoredFile } from './files.js';
import { ProblemSchema as Problem } from '../http/problem-schema.js';

const FileView = Type.Object({
  id: Type.String({ format: 'uuid' }),
  mediaType: Type.String(),
  size: Type.Integer(),
  sha256: Type.String(),
});
const IdParams = Type.Object({ id: Type.String({ format: 'uuid' }) });

/** RFC 6266: an ASCII fallback name and the real one in UTF-8. */
function contentDisposition(name: string): string {
  const ascii = name.replace(/[^\x20-\x7e]|["\\]/g, '_');
  return `inline; filename="${ascii}"; filename*=UTF-8''${encodeURIComponent(name)}`;
}

async function registerFileRoutes(app: App, ctx: AppContext): Promise<void> {
  app.post(
    '/api/v1/files',
    {
      config: { access: 'signed-in' },
      schema: {
        tags: ['files'],
        summary: 'Uploads a PDF, JPEG or PNG file (multipart field "file"; optional field "purpose" before it)',
        consumes: ['multipart/form-data'],
        security: [{ bearer: [] }],
        response: { 201: FileView, 400: Problem, 401: Problem, 413: Problem, 415: Problem },
      },
    },
    async (request, reply) => {
      const actor = request.actor;
      if (!actor) throw new UnauthorizedError();
      if (!request.isMultipart()) throw new HttpError(415, 'unsupported_media_type', 'Send the file as multipart/form-data');
      const part = await request.file();
      if (!part) throw new ValidationError({ file: 'files.required' });
      const purposeField = part.fields.purpose;
      const purpose = purposeField && !Array.isArray(purposeField) && purposeField.type === 'field' ? String(purposeField.value) : 'upload';
      if (!/^[a-z][a-z0-9-]{0,39}$/.test(purpose)) throw new ValidationError({ purpose: 'files.purpose' });
      let bytes: Buffer;
      try {
        bytes = await part.toBuffer();
      } catch (error) {
        if ((error as { code?: string }).code === 'FST_REQ_FILE_TOO_LARGE') throw new PayloadTooLargeError(ctx.files.maxBytes);
        throw error;
      }
      const stored = await ctx.files.store(ctx.db, {
        bytes,
        originalName: part.filename,
        purpose,
        ownerUserId: actor.userId,
        ownerEnterpriseId: actor.actingFor?.enterpriseId ?? null,
      });
      return reply.status(201).send({ id: stored.id, mediaType: stored.mediaType, size: stored.size, sha256: stored.sha256 });
    },
  );

  const serve = async (request: FastifyRequest<{ Params: { id: string } }>, reply: FastifyReply) => {
    const file = await ctx.files.find(request.params.id);
    if (!file) throw new NotFoundError();
    if (!(await ctx.files.mayRead(request.actor, file))) {
      await recordAudit(ctx.db, {
        ...actorFields(request.actor),
        action: 'file.read',
        resourceType: 'file',
        resourceId: file.id,
        outcome: 'denied',
        detail: { purpose: file.purpose },
        ip: request.ip,
      });
      throw new ForbiddenError();
    }
    return sendFile(reply, file);
  };

  const sendFile = (reply: FastifyReply, file: StoredFile) =>
    reply
      .type(file.mediaType)
      .header('content-length', String(file.size))
      .header('content-disposition', contentDisposition(file.originalName))
      .header('x-content-type-options', 'nosniff')
      .header('cache-control', 'private, no-store')
      .header('etag', `"${file.sha256}"`)
      .send(ctx.files.open(file));

  app.get<{ Params: { id: string } }>(
    '/api/v1/files/:id',
    {
      config: { access: 'signed-in' },
      schema: {
        tags: ['files'],
        summary: 'Downloads a file you may read',
        security: [{ bearer: [] }],
        params: IdParams,
        produces: ['application/pdf', 'image/jpeg', 'image/png'],
        response: { 401: Problem, 403: Problem, 404: Problem },
      },
    },
    serve,
  );
  app.get<{ Params: { id: string } }>('/files/:id', { config: { access: 'signed-in' }, schema: { hide: true, params: IdParams } }, serve);
}

/** Upload and download routes of the platform files service, registered like a module. */
export const filesModule: AppModule = {
  name: 'files',
  messages: filesMessages,
  register: registerFileRoutes,
};
