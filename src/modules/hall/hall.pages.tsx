import { formBodyOf, multipartBodyOf, type FormBody, type FormUpload } from '../../platform/http/form-body.js';
import type { ServerResponse } from 'node:http';
import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { Type } from '@sinclair/typebox';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Actor } from '../../platform/auth/actor.js';
import type { AppContext } from '../../platform/context.js';
import { NotFoundError, TooManyRequestsError, ValidationError } from '../../platform/http/errors.js';
import type { App } from '../../platform/http/types.js';
import { sendPage } from '../../platform/views/render.js';
import type { FieldErrors } from '../../platform/views/components.js';
import { createLiveHub } from './hall.live.js';
import { isHallOperator } from './hall.policy.js';
import * as svc from './hall.service.js';
import {
  AccountPage,
  AccountsPage,
  AnnouncePage,
  HallHomePage,
  MyPostsPage,
  NewPostPage,
  PromisesPage,
  StaffPanel,
  StaffQueuePage,
  TemplatesPage,
  ThreadPage,
  WordsPage,
  type PostFormValues,
} from './views/hall-views.js';

type Body = FormBody;
const NumberParams = Type.Object({ number: Type.String({ maxLength: 40 }) });
const CodeParams = Type.Object({ code: Type.String({ maxLength: 60 }) });
const script = readFileSync(new URL('./hall.client.js', import.meta.url), 'utf8');

const maxFieldChars = 50_000;
const bodyOf = (request: FastifyRequest): Body => formBodyOf(request, maxFieldChars);

/** The post's photo, if one was chosen. */
async function multipartOf(request: FastifyRequest): Promise<{ body: Body; photo: FormUpload | null }> {
  const { body, uploads } = await multipartBodyOf(request, maxFieldChars);
  return { body, photo: uploads.find((u) => u.field === 'photo') ?? null };
}

const formValues = (b: Body): PostFormValues => ({
  kind: b.kind ?? '',
  title: b.title ?? '',
  body: b.body ?? '',
  departmentCode: b.departmentCode ?? '',
  visibility: b.visibility ?? 'public',
  anonymous: b.anonymous === 'on',
  address: b.address ?? '',
  submissionId: b.submissionId && /^[0-9a-f-]{36}$/.test(b.submissionId) ? b.submissionId : randomUUID(),
  callerName: b.callerName ?? '',
  callerPhone: b.callerPhone ?? '',
});

/** The hall's pages: home feed, accounts, posting, threads (live), the author's actions and the staff console. */
export async function registerHallPages(app: App, ctx: AppContext): Promise<void> {
  const hub = createLiveHub(ctx);
  const streams = new Set<ServerResponse>();
  // Open event streams would keep the server from closing: end them first (browsers reconnect elsewhere).
  app.addHook('preClose', async () => {
    for (const res of streams) res.end();
  });
  app.addHook('onClose', async () => hub.close());
  const accounts = () => svc.listAccounts(ctx);

  app.get('/hall/static/hall.js', { config: { access: 'public' }, schema: { hide: true } }, async (_request, reply) =>
    reply.type('text/javascript; charset=utf-8').header('cache-control', 'public, max-age=300').send(script),
  );

  /* ----- public ----- */

  app.get('/hall', { config: { access: 'public' } }, async (request, reply) => {
    const actor = request.actor;
    const followedCodes = actor?.kind === 'citizen' ? await svc.listFollowed(ctx, actor) : null;
    const [accs, announcements, recent, faqs, followed] = await Promise.all([
      accounts(),
      svc.listAnnouncements(ctx, null, 10),
      svc.listPosts(ctx, { limit: 20 }),
      svc.listAnswered(ctx, { faqOnly: true, limit: 10 }),
      followedCodes ? svc.listAnnouncements(ctx, followedCodes, 10) : Promise.resolve(null),
    ]);
    return sendPage(request, reply, <HallHomePage accounts={accs} announcements={announcements} followed={followed} recent={recent} faqs={faqs} />);
  });

  app.get('/hall/accounts', { config: { access: 'public' } }, async (request, reply) => {
    const [accs, figures] = await Promise.all([accounts(), svc.departmentFigures(ctx)]);
    return sendPage(request, reply, <AccountsPage accounts={accs} figures={figures} />);
  });

  app.get('/hall/accounts/:code', { config: { access: 'public' }, schema: { params: CodeParams } }, async (request, reply) => {
    const accs = await accounts();
    const account = accs.find((a) => a.code === request.params.code);
    if (!account) throw new NotFoundError();
    const actor = request.actor;
    const [figures, followers, announcements, answered, followed] = await Promise.all([
      svc.departmentFigures(ctx, account.code),
      svc.countFollowers(ctx, account.code),
      svc.listAnnouncements(ctx, [account.code], 20),
      svc.listAnswered(ctx, { departmentCode: account.code, limit: 20 }),
      actor?.kind === 'citizen' ? svc.listFollowed(ctx, actor) : Promise.resolve(null),
    ]);
    return sendPage(
      request,
      reply,
      <AccountPage
        account={account}
        accounts={accs}
        figures={figures[0]}
        followers={followers}
        following={followed ? followed.includes(account.code) : null}
        announcements={announcements}
        answered={answered}
      />,
    );
  });

  app.post('/hall/accounts/:code/follow', { config: { access: 'citizen' }, schema: { params: CodeParams } }, async (request, reply) => {
    await svc.followAccount(ctx, request.actor!, request.params.code, bodyOf(request).on !== '0');
    return reply.redirect(`/hall/accounts/${encodeURIComponent(request.params.code)}`, 303);
  });

  /* ----- posting ----- */

  const renderNew = async (
    request: FastifyRequest,
    reply: FastifyReply,
    values: PostFormValues,
    errors: FieldErrors,
    status: number,
    options: { similar?: Awaited<ReturnType<typeof svc.suggest>> | null; params?: Record<string, string | number>; hotline?: boolean } = {},
  ) =>
    sendPage(
      request,
      reply,
      <NewPostPage
        values={values}
        errors={errors}
        params={options.params}
        accounts={await accounts()}
        similar={options.similar ? { items: options.similar.similar, routing: options.similar.routing } : null}
        action={options.hotline ? '/staff/hall/hotline' : '/hall/new'}
        hotline={options.hotline}
      />,
      status,
    );

  app.get('/hall/new', { config: { access: 'citizen' } }, async (request, reply) => {
    const q = request.query as Record<string, unknown>;
    const dept = typeof q.to === 'string' ? q.to : '';
    return renderNew(request, reply, formValues({ departmentCode: dept }), {}, 200);
  });

  /** Creates a post from the form (a citizen's or a hotline operator's), or shows similar questions first. */
  const handleNew = async (request: FastifyRequest, reply: FastifyReply, hotline: boolean) => {
    const actor = request.actor!;
    const { body: b, photo } = request.isMultipart() ? await multipartOf(request) : { body: bodyOf(request), photo: null };
    const values = formValues(b);
    if (b.action === 'check') {
      let similar: Awaited<ReturnType<typeof svc.suggest>> | null = null;
      try {
        similar = await svc.suggest(ctx, { title: values.title, body: values.body }, request.locale);
      } catch (error) {
        if (!(error instanceof ValidationError)) throw error;
        return renderNew(request, reply, values, error.fields, 400, { hotline });
      }
      return renderNew(request, reply, values, {}, 200, { similar, hotline });
    }
    let photoFileId: string | undefined;
    if (photo) {
      if (photo.tooLarge || !/\.(jpe?g|png)$/i.test(photo.filename))
        return renderNew(request, reply, values, { photo: 'hall.error.photoType' }, 400, { hotline });
      try {
        const stored = await ctx.files.store(ctx.db, { bytes: photo.bytes, originalName: photo.filename, purpose: 'hall-photo', ownerUserId: actor.userId });
        photoFileId = stored.id;
      } catch {
        return renderNew(request, reply, values, { photo: 'hall.error.photoType' }, 400, { hotline });
      }
    }
    const input: svc.CreatePostInput = {
      kind: values.kind,
      title: values.title,
      body: values.body,
      visibility: values.visibility,
      anonymous: values.anonymous,
      departmentCode: values.departmentCode,
      ...(photoFileId ? { photoFileId } : {}),
      location: { address: values.address },
      locale: request.locale,
      // The form's own id: a double click or a resubmitted page files one post.
      idempotencyKey: `form:${values.submissionId}`,
    };
    try {
      const author: svc.PostAuthor = hotline
        ? {
            kind: 'hotline',
            actor,
            caller: { ...(values.callerName ? { name: values.callerName } : {}), ...(values.callerPhone ? { phone: values.callerPhone } : {}) },
          }
        : { kind: 'citizen', actor };
      const created = await svc.createPost(ctx, author, input, { ip: request.ip });
      return reply.redirect(hotline ? `/staff/hall/posts/${created.number}` : `/hall/posts/${created.number}`, 303);
    } catch (error) {
      if (error instanceof ValidationError) {
        const unknown = error.extra.unknownMentions;
        return renderNew(request, reply, values, error.fields, 400, {
          hotline,
          params: { mentions: Array.isArray(unknown) ? unknown.map((m) => `@${String(m)}`).join(', ') : '' },
        });
      }
      if (error instanceof TooManyRequestsError) {
        reply.header('retry-after', String(error.retryAfterSeconds));
        return renderNew(request, reply, values, { _form: 'hall.error.rateLimited' }, 429, { hotline, params: { seconds: error.retryAfterSeconds } });
      }
      throw error;
    }
  };

  app.post('/hall/new', { config: { access: 'citizen' } }, async (request, reply) => handleNew(request, reply, false));

  app.get('/hall/mine', { config: { access: 'citizen' } }, async (request, reply) => {
    const posts = await svc.listMyPosts(ctx, request.actor!);
    return sendPage(request, reply, <MyPostsPage posts={posts} accounts={await accounts()} />);
  });

  /* ----- threads ----- */

  const loadPost = async (request: FastifyRequest, number: string) => {
    const post = await svc.getPost(ctx, number, request.actor);
    if (!post) throw new NotFoundError();
    return post;
  };
  const notices: Record<string, string> = { rated: 'hall.done.rated', reopened: 'hall.done.reopened', replied: 'hall.done.replied', done: 'hall.staff.done' };
  const noticeOf = (request: FastifyRequest) => {
    const d = (request.query as Record<string, unknown>).done;
    return typeof d === 'string' ? notices[d] : undefined;
  };

  app.get('/hall/posts/:number', { config: { access: 'public' }, schema: { params: NumberParams } }, async (request, reply) => {
    const post = await loadPost(request, request.params.number);
    return sendPage(request, reply, <ThreadPage post={post} accounts={await accounts()} notice={noticeOf(request)} />);
  });

  app.get('/hall/posts/:number/photo', { config: { access: 'public' }, schema: { params: NumberParams } }, async (request, reply) => {
    const post = await loadPost(request, request.params.number);
    const row = post.photoUrl ? await svc.photoOf(ctx, post.id) : null;
    if (!row) throw new NotFoundError();
    return reply.type(row.mediaType).header('x-content-type-options', 'nosniff').header('cache-control', 'private, no-store').send(ctx.files.open(row));
  });

  /** Server-sent events: `update` whenever the post changes (the page then refreshes its thread). */
  const stream = async (request: FastifyRequest, reply: FastifyReply, match: (e: { postId: string; departmentCode: string | null }) => boolean) => {
    reply.hijack();
    const res = reply.raw;
    res.writeHead(200, {
      'content-type': 'text/event-stream; charset=utf-8',
      'cache-control': 'no-store',
      connection: 'keep-alive',
      'x-accel-buffering': 'no',
    });
    res.write('retry: 5000\n\n');
    streams.add(res);
    const unsubscribe = await hub.subscribe((e) => {
      if (match(e)) res.write(`event: update\ndata: ${JSON.stringify({ number: e.number })}\n\n`);
    });
    const ping = setInterval(() => res.write(': ping\n\n'), 25_000);
    request.raw.on('close', () => {
      streams.delete(res);
      clearInterval(ping);
      unsubscribe();
    });
  };

  app.get('/hall/posts/:number/events', { config: { access: 'public' }, schema: { params: NumberParams, hide: true } }, async (request, reply) => {
    const post = await loadPost(request, request.params.number);
    return stream(request, reply, (e) => e.postId === post.id);
  });

  const authorForm = (action: 'rate' | 'reopen' | 'reply') => async (request: FastifyRequest<{ Params: { number: string } }>, reply: FastifyReply) => {
    const actor = request.actor!;
    const b = bodyOf(request);
    try {
      if (action === 'rate') await svc.ratePost(ctx, actor, request.params.number, b.rating);
      else if (action === 'reopen') await svc.reopenPost(ctx, actor, request.params.number, b.reason);
      else await svc.citizenReply(ctx, actor, request.params.number, b.body);
    } catch (error) {
      if (!(error instanceof ValidationError)) throw error;
      const post = await loadPost(request, request.params.number);
      return sendPage(request, reply, <ThreadPage post={post} accounts={await accounts()} errors={error.fields} />, 400);
    }
    const done = action === 'rate' ? 'rated' : action === 'reopen' ? 'reopened' : 'replied';
    return reply.redirect(`/hall/posts/${encodeURIComponent(request.params.number)}?done=${done}`, 303);
  };
  app.post('/hall/posts/:number/rate', { config: { access: 'citizen' }, schema: { params: NumberParams } }, authorForm('rate'));
  app.post('/hall/posts/:number/reopen', { config: { access: 'citizen' }, schema: { params: NumberParams } }, authorForm('reopen'));
  app.post('/hall/posts/:number/reply', { config: { access: 'citizen' }, schema: { params: NumberParams } }, authorForm('reply'));

  /* ----- staff console ----- */

  app.get('/staff/hall', { config: { access: 'staff' } }, async (request, reply) => {
    const q = (request.query as Record<string, unknown>).view;
    const view = q === 'triage' || q === 'all' ? q : 'open';
    const items = await svc.staffQueue(ctx, request.actor!, view);
    return sendPage(request, reply, <StaffQueuePage items={items} view={view} accounts={await accounts()} operator={isHallOperator(request.actor)} />);
  });

  app.get('/staff/hall/events', { config: { access: 'staff' }, schema: { hide: true } }, async (request, reply) => {
    const actor = request.actor!;
    const operator = isHallOperator(actor);
    return stream(request, reply, (e) => operator || e.departmentCode === actor.departmentCode);
  });

  const renderStaffPost = async (request: FastifyRequest, reply: FastifyReply, number: string, errors: FieldErrors, status = 200) => {
    const actor = request.actor!;
    const post = await svc.getPost(ctx, number, actor);
    if (!post || !post.staff) throw new NotFoundError();
    const accs = await accounts();
    const templates = await svc.listTemplates(ctx, actor);
    return sendPage(
      request,
      reply,
      <ThreadPage
        post={post}
        accounts={accs}
        notice={noticeOf(request)}
        errors={errors}
        staff={<StaffPanel post={post} accounts={accs} templates={templates} errors={errors} />}
      />,
      status,
    );
  };

  app.get('/staff/hall/posts/:number', { config: { access: 'staff' }, schema: { params: NumberParams } }, async (request, reply) =>
    renderStaffPost(request, reply, request.params.number, {}),
  );

  const staffForm =
    (run: (actor: Actor, number: string, b: Body, ip: string) => Promise<unknown>) =>
    async (request: FastifyRequest<{ Params: { number: string } }>, reply: FastifyReply) => {
      try {
        await run(request.actor!, request.params.number, bodyOf(request), request.ip);
      } catch (error) {
        if (!(error instanceof ValidationError)) throw error;
        return renderStaffPost(request, reply, request.params.number, error.fields, 400);
      }
      return reply.redirect(`/staff/hall/posts/${encodeURIComponent(request.params.number)}?done=done`, 303);
    };
  const staffRoute = { config: { access: 'staff' as const }, schema: { params: NumberParams } };
  app.post(
    '/staff/hall/posts/:number/reply',
    staffRoute,
    staffForm((actor, n, b, ip) => svc.staffReply(ctx, actor, n, { kind: b.kind, body: b.body, templateId: b.templateId }, { ip })),
  );
  app.post(
    '/staff/hall/posts/:number/forward',
    staffRoute,
    staffForm((actor, n, b, ip) => svc.reroutePost(ctx, actor, n, { departmentCode: b.departmentCode, note: b.note }, { ip })),
  );
  app.post(
    '/staff/hall/posts/:number/hide',
    staffRoute,
    staffForm((actor, n, b, ip) => svc.hidePost(ctx, actor, n, b.reason, { ip })),
  );
  app.post(
    '/staff/hall/posts/:number/faq',
    staffRoute,
    staffForm((actor, n, _b, ip) => svc.promoteToFaq(ctx, actor, n, { ip })),
  );

  app.get('/staff/hall/templates', { config: { access: 'staff' } }, async (request, reply) =>
    sendPage(request, reply, <TemplatesPage templates={await svc.listTemplates(ctx, request.actor!)} errors={{}} values={{ title: '', body: '' }} />),
  );
  app.post('/staff/hall/templates', { config: { access: 'staff' } }, async (request, reply) => {
    const b = bodyOf(request);
    try {
      await svc.saveTemplate(ctx, request.actor!, { title: b.title, body: b.body }, { ip: request.ip });
    } catch (error) {
      if (!(error instanceof ValidationError)) throw error;
      const templates = await svc.listTemplates(ctx, request.actor!);
      return sendPage(request, reply, <TemplatesPage templates={templates} errors={error.fields} values={{ title: b.title ?? '', body: b.body ?? '' }} />, 400);
    }
    return reply.redirect('/staff/hall/templates', 303);
  });
  app.post(
    '/staff/hall/templates/:id/delete',
    { config: { access: 'staff' }, schema: { params: Type.Object({ id: Type.String({ maxLength: 64 }) }) } },
    async (request, reply) => {
      await svc.deleteTemplate(ctx, request.actor!, request.params.id);
      return reply.redirect('/staff/hall/templates', 303);
    },
  );

  // The department admin's promises per kind of post.
  const promiseForm = async (actor: Actor) => {
    if (actor.kind !== 'staff' || !actor.departmentCode) throw new NotFoundError();
    const current = await svc.promisesOf(ctx.db, actor.departmentCode);
    const values: Body = {};
    for (const k of svc.postKinds) {
      values[`${k}Value`] = String(current[k].value);
      values[`${k}Unit`] = current[k].unit;
    }
    return { values, defaults: svc.postKinds.filter((k) => !current[k].custom) };
  };
  const promisesRoute = { config: { access: { staff: ['dept_admin' as const] } } };
  app.get('/staff/hall/promises', promisesRoute, async (request, reply) => {
    const { values, defaults } = await promiseForm(request.actor!);
    const saved = (request.query as Record<string, unknown>).saved === '1';
    return sendPage(request, reply, <PromisesPage kinds={svc.postKinds} defaults={defaults} values={values} errors={{}} saved={saved} />);
  });
  app.post('/staff/hall/promises', promisesRoute, async (request, reply) => {
    const b = bodyOf(request);
    try {
      await svc.savePromises(ctx, request.actor!, b, { ip: request.ip });
    } catch (error) {
      if (!(error instanceof ValidationError)) throw error;
      const { defaults } = await promiseForm(request.actor!);
      const values: Body = {};
      for (const k of svc.postKinds) {
        values[`${k}Value`] = (b[`${k}Value`] ?? '').slice(0, 20);
        values[`${k}Unit`] = b[`${k}Unit`] ?? '';
      }
      return sendPage(request, reply, <PromisesPage kinds={svc.postKinds} defaults={defaults} values={values} errors={error.fields} saved={false} />, 400);
    }
    return reply.redirect('/staff/hall/promises?saved=1', 303);
  });

  app.get('/staff/hall/announce', { config: { access: 'staff' } }, async (request, reply) => {
    const done = (request.query as Record<string, unknown>).done === '1';
    return sendPage(
      request,
      reply,
      <AnnouncePage
        accounts={await accounts()}
        errors={{}}
        values={{ departmentCode: request.actor!.departmentCode ?? '', title: '', body: '' }}
        done={done}
      />,
    );
  });
  app.post('/staff/hall/announce', { config: { access: 'staff' } }, async (request, reply) => {
    const b = bodyOf(request);
    const values = { departmentCode: b.departmentCode ?? '', title: b.title ?? '', body: b.body ?? '' };
    try {
      await svc.publishAnnouncement(ctx, request.actor!, values, { ip: request.ip });
    } catch (error) {
      if (!(error instanceof ValidationError)) throw error;
      return sendPage(request, reply, <AnnouncePage accounts={await accounts()} errors={error.fields} values={values} done={false} />, 400);
    }
    return reply.redirect('/staff/hall/announce?done=1', 303);
  });

  app.get('/staff/hall/hotline', { config: { access: 'staff' } }, async (request, reply) => {
    if (!isHallOperator(request.actor)) throw new NotFoundError();
    return renderNew(request, reply, formValues({}), {}, 200, { hotline: true });
  });
  app.post('/staff/hall/hotline', { config: { access: 'staff' } }, async (request, reply) => handleNew(request, reply, true));

  app.get('/staff/hall/words', { config: { access: 'staff' } }, async (request, reply) => {
    if (!isHallOperator(request.actor)) throw new NotFoundError();
    const words = await svc.blockedWords(ctx);
    return sendPage(request, reply, <WordsPage builtIn={words.builtIn} added={words.added} errors={{}} />);
  });
  app.post('/staff/hall/words', { config: { access: 'staff' } }, async (request, reply) => {
    const b = bodyOf(request);
    try {
      await svc.setBlockedWord(ctx, request.actor!, b.word, b.on !== '0', { ip: request.ip });
    } catch (error) {
      if (!(error instanceof ValidationError)) throw error;
      const words = await svc.blockedWords(ctx);
      return sendPage(request, reply, <WordsPage builtIn={words.builtIn} added={words.added} errors={error.fields} />, 400);
    }
    return reply.redirect('/staff/hall/words', 303);
  });
}
