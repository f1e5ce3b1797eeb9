import type { FastifyReply, FastifyRequest } from 'fastify';
import { Type } from '@sinclair/typebox';
import type { AppContext } from '../../platform/context.js';
import type { App } from '../../platform/http/types.js';
import { ForbiddenError, UnauthorizedError } from '../../platform/http/errors.js';
import { sendPage } from '../../platform/views/render.js';
import * as repo from './identity.repository.js';
import {
  apiSignIn,
  apiUserOf,
  completeSecondFactor,
  createLimiters,
  requestSignInCode,
  secondFactorState,
  setActingFor,
  signInWithCode,
  signInWithPassword,
  signOut,
  signOutEverywhere,
  signUp,
  staffSignIn,
  type FieldErrors,
  type IssuedSession,
  type RequestMeta,
} from './identity.service.js';
import { safeReturnPath } from './identity.policy.js';
import { maskIdNumber, maskPhone } from './identity.validators.js';
import { SignUpPage } from './views/sign-up.js';
import { SignInPage } from './views/sign-in.js';
import { AccountPage } from './views/account.js';
import { SecondFactorPage, StaffSignInPage } from './views/staff-sign-in.js';
import { ProblemSchema as Problem } from '../../platform/http/problem-schema.js';

export const sessionCookie = 'sh_session';
const codePhoneCookie = 'sh_code_phone';

/** Form posts arrive as strings (or arrays when a name repeats); anything else reads as empty. */
function formOf(request: FastifyRequest): (name: string) => string {
  const body = (request.body && typeof request.body === 'object' ? request.body : {}) as Record<string, unknown>;
  return (name) => {
    const v = body[name];
    const first = Array.isArray(v) ? v[0] : v;
    return typeof first === 'string' ? first : '';
  };
}

function metaOf(request: FastifyRequest): RequestMeta {
  const ua = request.headers['user-agent'];
  return { ip: request.ip, userAgent: typeof ua === 'string' ? ua : null, locale: request.locale };
}

const queryOf = (request: FastifyRequest) => (request.query ?? {}) as Record<string, unknown>;

/** Notices a redirect may ask a page to show: a fixed list, so a link cannot put any text on the page. */
const notices: Record<string, string> = {
  'signed-out': 'identity.signOut.done',
  'signed-out-everywhere': 'identity.account.signedOutEverywhere',
  switched: 'identity.account.switched',
};

const ApiUser = Type.Object({
  id: Type.String({ format: 'uuid' }),
  kind: Type.Union([Type.Literal('citizen'), Type.Literal('staff')]),
  name: Type.String(),
  departmentCode: Type.Union([Type.String(), Type.Null()]),
  roles: Type.Array(Type.String()),
});

export async function registerIdentityRoutes(app: App, ctx: AppContext): Promise<void> {
  const limiters = createLimiters(ctx);

  const setSession = (reply: FastifyReply, session: IssuedSession) =>
    reply.setCookie(sessionCookie, session.token, {
      path: '/',
      httpOnly: true,
      sameSite: 'lax',
      secure: ctx.config.cookieSecure,
      maxAge: ctx.config.sessionTtlHours * 3600,
    });
  const clearSession = (reply: FastifyReply) => reply.clearCookie(sessionCookie, { path: '/' });
  const previousSession = (request: FastifyRequest) => (request.actor?.via === 'cookie' ? request.actor.sessionId : undefined);
  const tooMany = (reply: FastifyReply, retryAfter: number | undefined) => {
    if (retryAfter === undefined) return 400;
    reply.header('retry-after', String(retryAfter));
    return 429;
  };

  // --- citizen sign-up ----------------------------------------------------------------------------

  app.get('/sign-up', { config: { access: 'public' } }, async (request, reply) =>
    sendPage(request, reply, <SignUpPage values={{ phone: '', realName: '', idNumber: '' }} errors={{}} />),
  );

  app.post('/sign-up', { config: { access: 'public' } }, async (request, reply) => {
    const f = formOf(request);
    const input = { phone: f('phone'), realName: f('realName'), idNumber: f('idNumber'), password: f('password'), confirmPassword: f('confirmPassword') };
    const result = await signUp(ctx, input, metaOf(request));
    if (!result.ok) {
      // Keep what was typed (never the passwords); cap the echo so a huge input is not sent back whole.
      const keep = (v: string) => v.slice(0, 200);
      return sendPage(
        request,
        reply,
        <SignUpPage values={{ phone: keep(input.phone), realName: keep(input.realName), idNumber: keep(input.idNumber) }} errors={result.errors} />,
        400,
      );
    }
    setSession(reply, result.session);
    return reply.redirect('/account', 303);
  });

  // --- citizen sign-in ----------------------------------------------------------------------------

  app.get('/sign-in', { config: { access: 'public' } }, async (request, reply) => {
    const q = queryOf(request);
    const sentPhone = q.sent === '1' ? request.unsignCookie(request.cookies[codePhoneCookie] ?? '') : undefined;
    const codePhone = sentPhone?.valid && sentPhone.value ? sentPhone.value : '';
    return sendPage(
      request,
      reply,
      <SignInPage
        phone=""
        codePhone={codePhone}
        codeSentTo={codePhone ? maskPhone(codePhone) : undefined}
        returnTo={safeReturnPath(q.return, '')}
        errors={{}}
        notice={typeof q.notice === 'string' ? notices[q.notice] : undefined}
      />,
    );
  });

  app.post('/sign-in', { config: { access: 'public' } }, async (request, reply) => {
    const f = formOf(request);
    const returnTo = safeReturnPath(f('return'), '');
    const byCode = f('method') === 'code';
    const result = byCode
      ? await signInWithCode(ctx, limiters, { phone: f('codePhone'), code: f('code') }, metaOf(request), previousSession(request))
      : await signInWithPassword(ctx, limiters, { phone: f('phone'), password: f('password') }, metaOf(request), previousSession(request));
    if (!result.ok) {
      const status = tooMany(reply, result.retryAfter);
      return sendPage(
        request,
        reply,
        <SignInPage
          phone={byCode ? '' : f('phone').slice(0, 20)}
          codePhone={byCode ? f('codePhone').slice(0, 20) : ''}
          returnTo={returnTo}
          errors={result.errors}
          params={{ seconds: result.retryAfter ?? 0 }}
        />,
        status,
      );
    }
    setSession(reply, result.session);
    reply.clearCookie(codePhoneCookie, { path: '/sign-in' });
    return reply.redirect(returnTo || '/account', 303);
  });

  app.post('/sign-in/code', { config: { access: 'public' } }, async (request, reply) => {
    const f = formOf(request);
    const returnTo = safeReturnPath(f('return'), '');
    const result = await requestSignInCode(ctx, limiters, f('codePhone'), metaOf(request));
    if (!result.ok) {
      const status = tooMany(reply, result.retryAfter);
      return sendPage(
        request,
        reply,
        <SignInPage phone="" codePhone={f('codePhone').slice(0, 20)} returnTo={returnTo} errors={result.errors} params={{ seconds: result.retryAfter ?? 0 }} />,
        status,
      );
    }
    // The number travels in a short-lived signed cookie, not in the URL (which ends up in logs).
    reply.setCookie(codePhoneCookie, result.phone, {
      path: '/sign-in',
      httpOnly: true,
      sameSite: 'lax',
      secure: ctx.config.cookieSecure,
      maxAge: 300,
      signed: true,
    });
    return reply.redirect(`/sign-in?sent=1${returnTo ? `&return=${encodeURIComponent(returnTo)}` : ''}#code-section`, 303);
  });

  app.post('/sign-out', { config: { access: 'public' } }, async (request, reply) => {
    const staff = request.actor?.kind === 'staff';
    if (request.actor) await signOut(ctx, request.actor, metaOf(request));
    clearSession(reply);
    return reply.redirect(staff ? '/staff' : '/sign-in?notice=signed-out', 303);
  });

  // --- the citizen's account ----------------------------------------------------------------------

  app.get('/account', { config: { access: 'citizen' } }, async (request, reply) => {
    const actor = request.actor!;
    const user = await repo.findUserById(ctx.db, actor.userId);
    if (!user) throw new UnauthorizedError();
    const companies = await repo.listMemberships(ctx.db, actor.userId);
    const q = queryOf(request);
    return sendPage(
      request,
      reply,
      <AccountPage
        account={{
          realName: user.realName,
          maskedIdNumber: user.idNumber ? maskIdNumber(user.idNumber) : '',
          maskedPhone: user.phone ? maskPhone(user.phone) : '',
          companies: companies.map((c) => ({ id: c.enterpriseId, name: c.name, uscc: c.uscc, role: c.role })),
          actingForId: actor.actingFor?.enterpriseId ?? null,
        }}
        notice={typeof q.notice === 'string' ? notices[q.notice] : undefined}
      />,
    );
  });

  app.post('/account/acting-for', { config: { access: 'citizen' } }, async (request, reply) => {
    const chosen = formOf(request)('enterprise').trim();
    const valid = chosen === '' || /^[0-9a-f-]{36}$/i.test(chosen);
    const done = valid && (await setActingFor(ctx, request.actor!, chosen === '' ? null : chosen, metaOf(request)));
    if (!done) throw new ForbiddenError('You may not act for this company'); // refusal already audited
    return reply.redirect('/account?notice=switched', 303);
  });

  app.post('/account/sign-out-everywhere', { config: { access: 'signed-in' } }, async (request, reply) => {
    const staff = request.actor!.kind === 'staff';
    await signOutEverywhere(ctx, request.actor!, metaOf(request));
    clearSession(reply);
    return reply.redirect(staff ? '/staff' : '/sign-in?notice=signed-out-everywhere', 303);
  });

  // --- staff --------------------------------------------------------------------------------------

  app.get('/staff', { config: { access: 'public' } }, async (request, reply) => {
    const q = queryOf(request);
    if (request.actor?.kind === 'staff') return reply.redirect(request.actor.pendingSecondFactor ? '/staff/second-factor' : '/staff/home', 303);
    return sendPage(request, reply, <StaffSignInPage login="" returnTo={safeReturnPath(q.return, '')} errors={{}} />);
  });

  app.post('/staff', { config: { access: 'public' } }, async (request, reply) => {
    const f = formOf(request);
    const returnTo = safeReturnPath(f('return'), '');
    const result = await staffSignIn(ctx, limiters, { login: f('login'), password: f('password') }, metaOf(request), previousSession(request));
    if (!result.ok) {
      const status = tooMany(reply, result.retryAfter);
      return sendPage(
        request,
        reply,
        <StaffSignInPage login={f('login').slice(0, 64)} returnTo={returnTo} errors={result.errors} params={{ seconds: result.retryAfter ?? 0 }} />,
        status,
      );
    }
    setSession(reply, result.session);
    if (result.pendingSecondFactor) return reply.redirect(`/staff/second-factor${returnTo ? `?return=${encodeURIComponent(returnTo)}` : ''}`, 303);
    return reply.redirect(returnTo || '/staff/home', 303);
  });

  // Public by rule, because a pending session does not yet count as signed in; the handler checks it.
  app.get('/staff/second-factor', { config: { access: 'public' } }, async (request, reply) => {
    const actor = request.actor;
    if (!actor?.pendingSecondFactor) return reply.redirect(actor?.kind === 'staff' ? '/staff/home' : '/staff', 303);
    const state = await secondFactorState(ctx, actor.userId);
    const enrol = state.uri && state.secret ? { uri: state.uri, secret: state.secret } : undefined;
    return sendPage(request, reply, <SecondFactorPage enrol={enrol} returnTo={safeReturnPath(queryOf(request).return, '')} errors={{}} />);
  });

  app.post('/staff/second-factor', { config: { access: 'public' } }, async (request, reply) => {
    const actor = request.actor;
    if (!actor?.pendingSecondFactor) return reply.redirect('/staff', 303);
    const f = formOf(request);
    const returnTo = safeReturnPath(f('return'), '');
    const result = await completeSecondFactor(ctx, limiters, actor, f('code'), metaOf(request));
    if (!result.ok) {
      const status = tooMany(reply, result.retryAfter);
      const state = await secondFactorState(ctx, actor.userId);
      const enrol = state.uri && state.secret ? { uri: state.uri, secret: state.secret } : undefined;
      const errors: FieldErrors = result.errors;
      return sendPage(
        request,
        reply,
        <SecondFactorPage enrol={enrol} returnTo={returnTo} errors={errors} params={{ seconds: result.retryAfter ?? 0 }} />,
        status,
      );
    }
    setSession(reply, result.session);
    return reply.redirect(returnTo || '/staff/home', 303);
  });

  // --- API ------------------------------------------------------------------------------------------

  app.post(
    '/api/v1/session',
    {
      config: { access: 'public' },
      schema: {
        tags: ['identity'],
        summary: 'Sign in and get a bearer token',
        description:
          'login is a mainland mobile number (citizen) or a staff login. Staff add `code` (TOTP) when the second factor is required. The same 401 answers an unknown login and a wrong password.',
        body: Type.Object(
          {
            login: Type.String({ minLength: 1, maxLength: 64 }),
            password: Type.String({ minLength: 1, maxLength: 1024 }),
            code: Type.Optional(Type.String({ pattern: '^[0-9]{6}$' })),
          },
          { additionalProperties: false },
        ),
        response: {
          200: Type.Object({ token: Type.String(), expiresAt: Type.String({ format: 'date-time' }), user: ApiUser }),
          400: Problem,
          401: Problem,
          429: Problem,
        },
      },
    },
    async (request) => {
      const { token, expiresAt, user } = await apiSignIn(ctx, limiters, request.body, metaOf(request));
      return { token, expiresAt: expiresAt.toISOString(), user };
    },
  );

  app.delete(
    '/api/v1/session',
    {
      config: { access: 'signed-in' },
      schema: {
        tags: ['identity'],
        summary: 'Revoke the bearer token of this request',
        security: [{ bearer: [] }],
        response: { 204: Type.Null(), 401: Problem },
      },
    },
    async (request, reply) => {
      await signOut(ctx, request.actor!, metaOf(request));
      return reply.status(204).send(null);
    },
  );

  app.get(
    '/api/v1/me',
    {
      config: { access: 'signed-in' },
      schema: { tags: ['identity'], summary: 'The signed-in user', security: [{ bearer: [] }], response: { 200: ApiUser, 401: Problem } },
    },
    async (request) => {
      const actor = request.actor!;
      return apiUserOf(ctx.db, { id: actor.userId, kind: actor.kind, realName: actor.realName, departmentCode: actor.departmentCode });
    },
  );

  app.get(
    '/api/v1/staff/me',
    {
      config: { access: 'staff' },
      schema: {
        tags: ['identity'],
        summary: 'The signed-in member of staff, with department and roles',
        security: [{ bearer: [] }],
        response: { 200: ApiUser, 401: Problem, 403: Problem },
      },
    },
    async (request) => {
      const actor = request.actor!;
      if (actor.kind !== 'staff') throw new ForbiddenError(); // the access rule already says so; belt and braces
      return apiUserOf(ctx.db, { id: actor.userId, kind: actor.kind, realName: actor.realName, departmentCode: actor.departmentCode });
    },
  );
}
