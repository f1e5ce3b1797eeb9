import type { FastifyReply, FastifyRequest } from 'fastify';
import type { JSX } from 'preact';
import { renderToString } from 'preact-render-to-string';
import { PageContext, type PageContextValue } from './page-context.js';

/** Renders a page component inside the request's page context and sends it as HTML. */
export function sendPage(request: FastifyRequest, reply: FastifyReply, page: JSX.Element, status = 200): FastifyReply {
  let token: string | undefined;
  const value: PageContextValue = {
    locale: request.locale,
    t: request.t,
    actor: request.actor,
    path: request.url,
    // Only pages that hold a form pay for a CSRF token (and its cookie).
    get csrfToken() {
      token ??= reply.generateCsrf();
      return token;
    },
  };
  const html = `<!doctype html>${renderToString(<PageContext.Provider value={value}>{page}</PageContext.Provider>)}`;
  return reply.status(status).type('text/html; charset=utf-8').header('cache-control', 'no-store').send(html);
}
