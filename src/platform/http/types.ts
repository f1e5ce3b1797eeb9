import type { FastifyBaseLogger, FastifyInstance, RawReplyDefaultExpression, RawRequestDefaultExpression, RawServerDefault } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { Access, Actor } from '../auth/actor.js';
import type { Locale, Translate } from '../i18n/i18n.js';

/** The Fastify instance every module registers its routes on. */
export type App = FastifyInstance<RawServerDefault, RawRequestDefaultExpression, RawReplyDefaultExpression, FastifyBaseLogger, TypeBoxTypeProvider>;

declare module 'fastify' {
  interface FastifyRequest {
    actor: Actor | null;
    locale: Locale;
    t: Translate;
  }
  interface FastifyContextConfig {
    /** Who may use the route; required on every route (default deny). */
    access?: Access;
  }
}
