import { sql } from 'drizzle-orm';
import { hasRole, type Actor } from '../../platform/auth/actor.js';
import { actorFields, recordAudit } from '../../platform/audit/audit.js';
import { calendarOf, chinaCalendar2026, deadline, localDate, type LimitUnit } from '../../platform/calendar/working-time.js';
import type { AppContext } from '../../platform/context.js';
import type { Executor, Tx } from '../../platform/db/db.js';
import { ConflictError, ForbiddenError, HttpError, NotFoundError, ValidationError } from '../../platform/http/errors.js';
import { createLimiter, type Limiter } from '../../platform/http/rate-limit.js';
import { translate, type Locale } from '../../platform/i18n/i18n.js';
import { findServices, listDepartments } from '../catalog/index.js';
import { getUserById, listStaffOf } from '../identity/index.js';
import { ROUTING_THRESHOLD, routePost } from './routing/index.js';
import { can, isHallOperator, mayPublishFor, operatorsDepartment, type HallAction } from './hall.policy.js';
import * as repo from './hall.repository.js';
import type { PostRow } from './hall.repository.js';
import type { EntryKind, PostChannel, PostKind, PostStatus, RoutingRecord } from './hall.schema.js';
import { cleanText, defaultBlockedWords, findBlockedWord, maskPublicText, overlap, parseMentions, termsOf, type AccountName } from './hall.text.js';

export type { PostKind, PostStatus, PostChannel } from './hall.schema.js';

export const postKinds: readonly PostKind[] = ['question', 'complaint', 'suggestion', 'report'];
export const closedStatuses: readonly PostStatus[] = ['resolved'];
export const maxTitle = 100;
export const maxBody = 5000;
export const reopenDays = 7;
const firstReplyMinutes = 60;
const uuidPattern = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const numberPattern = /^H\d{8}-\d{6,}$/;

export type PromiseUnit = Extract<LimitUnit, 'hours' | 'working_days'>;
export interface DeptPromise {
  value: number;
  unit: PromiseUnit;
}
export const promiseUnits: readonly PromiseUnit[] = ['hours', 'working_days'];
/** The most a department may promise: 30 days in hours, 60 working days. */
export const maxPromise: Record<PromiseUnit, number> = { hours: 720, working_days: 60 };

/** The default promise by kind of post (complaints 12 hours, suggestions 3 working days); a department may set its own. */
export const promises: Record<PostKind, DeptPromise> = {
  complaint: { value: 12, unit: 'hours' },
  report: { value: 12, unit: 'hours' },
  question: { value: 3, unit: 'working_days' },
  suggestion: { value: 3, unit: 'working_days' },
};

const calendar = calendarOf(chinaCalendar2026);
export const slaQueue = 'hall.sla';
export const liveChannel = 'hall_live';

// --- accounts (departments) ------------------------------------------------------------------------

export interface Account extends AccountName {
  parentCode: string | null;
}

export async function listAccounts(ctx: AppContext): Promise<Account[]> {
  const departments = await listDepartments(ctx.db);
  return departments.map((d) => ({ code: d.code, nameZh: d.nameZh, nameEn: d.nameEn, parentCode: d.parentCode }));
}

export const accountName = (accounts: Account[], code: string | null, locale: Locale): string => {
  const a = accounts.find((x) => x.code === code);
  return a ? (locale === 'en' ? a.nameEn : a.nameZh) : (code ?? '');
};

// --- views -----------------------------------------------------------------------------------------

export interface PostSummary {
  id: string;
  number: string;
  kind: PostKind;
  status: PostStatus;
  open: boolean;
  title: string;
  body: string;
  visibility: 'public' | 'private';
  author: string | null;
  departmentCode: string | null;
  departmentName: { zh: string; en: string } | null;
  channel: PostChannel;
  location: { lat: number | null; long: number | null; address: string | null } | null;
  photoUrl: string | null;
  createdAt: Date;
  updatedAt: Date;
  firstReplyDue: Date;
  dueAt: Date | null;
  statusNote: string | null;
  reopenCount: number;
  rating: 'satisfied' | 'unsatisfied' | null;
  faq: boolean;
  hidden: { reason: string | null } | null;
  locale: Locale;
}

export interface ThreadEntry {
  id: string;
  at: Date;
  kind: EntryKind;
  actorKind: 'system' | 'citizen' | 'department';
  /** The department that signs the entry. */
  departmentCode: string | null;
  body: string | null;
  public: boolean;
  detail: Record<string, unknown> | null;
}

export interface PostThread extends PostSummary {
  entries: ThreadEntry[];
  routing: RoutingRecord;
  mentions: string[];
  /** What the viewer may do now. */
  can: { handle: boolean; reroute: boolean; hide: boolean; promote: boolean; rate: boolean; reopen: boolean; citizenReply: boolean };
  /** Staff only: the original text, contact and escalation. */
  staff: { title: string; body: string; contact: Record<string, string> | null; escalated: boolean } | null;
  isAuthor: boolean;
}

const ref = (row: PostRow) => ({ authorId: row.authorId, departmentCode: row.departmentCode, visibility: row.visibility, hidden: row.hiddenAt !== null });

function summaryOf(row: PostRow, accounts: Account[], notes?: Map<string, string>): PostSummary {
  const dept = accounts.find((a) => a.code === row.departmentCode);
  const hasLocation = row.lat !== null || row.long !== null || row.address !== null;
  return {
    id: row.id,
    number: row.number,
    kind: row.kind,
    status: row.status,
    open: !closedStatuses.includes(row.status),
    title: row.publicTitle,
    body: row.publicBody,
    visibility: row.visibility,
    author: row.anonymous ? null : row.authorName,
    departmentCode: row.departmentCode,
    departmentName: dept ? { zh: dept.nameZh, en: dept.nameEn } : null,
    channel: row.channel,
    location: hasLocation ? { lat: row.lat, long: row.long, address: row.address ? maskPublicText(row.address) : null } : null,
    photoUrl: row.photoFileId ? `/hall/posts/${row.number}/photo` : null,
    createdAt: row.createdAt,
    updatedAt: row.updatedAt,
    firstReplyDue: row.firstReplyDue,
    dueAt: row.answerDue,
    statusNote: notes?.get(row.id) ?? null,
    reopenCount: row.reopenCount,
    rating: row.rating,
    faq: row.faqAt !== null,
    hidden: row.hiddenAt ? { reason: row.hiddenReason } : null,
    locale: row.locale,
  };
}

async function threadOf(ctx: AppContext, row: PostRow, viewer: Actor | null): Promise<PostThread> {
  const accounts = await listAccounts(ctx);
  const staffView = viewer?.kind === 'staff' && can(viewer, 'handle', { ...ref(row), hidden: false });
  const entries = await repo.listEntries(ctx.db, row.id, staffView);
  const notes = await repo.latestReplies(ctx.db, [row.id]);
  const check = (action: HallAction) => can(viewer, action, ref(row));
  const resolvedRecently = row.resolvedAt !== null && ctx.clock.now().getTime() - row.resolvedAt.getTime() <= reopenDays * 86_400_000;
  return {
    ...summaryOf(row, accounts, notes),
    entries: entries.map((e) => ({
      id: e.id,
      at: e.at,
      kind: e.kind,
      actorKind: e.actorKind,
      departmentCode: e.departmentCode,
      body: e.body,
      public: e.public,
      detail: e.detail ?? null,
    })),
    routing: row.routing,
    mentions: row.mentions,
    can: {
      // A post in triage is the operators' until it is routed.
      handle: check('handle') && (row.status !== 'triage' || isHallOperator(viewer)),
      reroute: check('reroute'),
      hide: check('hide') && row.hiddenAt === null,
      promote: check('promote') && (row.status === 'answered' || row.status === 'resolved') && row.faqAt === null,
      rate: check('rate') && (row.status === 'answered' || row.status === 'resolved') && row.rating === null,
      reopen: check('reopen') && row.status === 'resolved' && resolvedRecently,
      citizenReply: check('citizenReply') && row.status === 'info_requested',
    },
    staff: staffView ? { title: row.title, body: row.body, contact: row.contact ?? null, escalated: row.escalatedAt !== null } : null,
    isAuthor: viewer?.kind === 'citizen' && viewer.userId === row.authorId,
  };
}

/** A post with its thread, as the viewer may see it; null when absent or not theirs to see. */
export async function getPost(ctx: AppContext, idOrNumber: string, viewer: Actor | null): Promise<PostThread | null> {
  const row = await findRow(ctx.db, idOrNumber);
  if (!row || !can(viewer, 'view', ref(row))) return null;
  return threadOf(ctx, row, viewer);
}

export const getPostByNumber = getPost;

async function findRow(ex: Executor, idOrNumber: string): Promise<PostRow | undefined> {
  if (uuidPattern.test(idOrNumber)) return repo.findPost(ex, idOrNumber);
  if (numberPattern.test(idOrNumber)) return repo.findPostByNumber(ex, idOrNumber);
  return undefined;
}

export interface PostFilter {
  ids?: string[];
  departmentCodes?: string[];
  status?: 'open' | 'closed';
  statuses?: PostStatus[];
  from?: Date;
  to?: Date;
  limit?: number;
  offset?: number;
}

/** Public, visible posts, newest first (the hall feed, the API, Open311). */
export async function listPosts(ctx: AppContext, filter: PostFilter = {}): Promise<PostSummary[]> {
  const ids = filter.ids?.filter((i) => uuidPattern.test(i));
  const numbers = filter.ids?.filter((i) => numberPattern.test(i));
  const rows = await repo.queryPosts(ctx.db, {
    ...(filter.ids ? { ids: ids ?? [], numbers: numbers ?? [] } : {}),
    ...(filter.departmentCodes ? { departmentCodes: filter.departmentCodes } : {}),
    ...(filter.statuses ? { statuses: filter.statuses } : {}),
    ...(filter.status === 'closed' ? { statuses: [...closedStatuses] } : {}),
    ...(filter.status === 'open' ? { excludeStatuses: [...closedStatuses] } : {}),
    ...(filter.from ? { from: filter.from } : {}),
    ...(filter.to ? { to: filter.to } : {}),
    publicOnly: true,
    limit: Math.min(Math.max(filter.limit ?? 50, 1), 1000),
    offset: filter.offset ?? 0,
  });
  const accounts = await listAccounts(ctx);
  const notes = await repo.latestReplies(
    ctx.db,
    rows.map((r) => r.id),
  );
  return rows.map((r) => summaryOf(r, accounts, notes));
}

/** The citizen's own posts, private ones included. */
export async function listMyPosts(ctx: AppContext, actor: Actor): Promise<PostSummary[]> {
  const rows = await repo.queryPosts(ctx.db, { authorId: actor.userId, includeHidden: true, limit: 200 });
  const accounts = await listAccounts(ctx);
  return rows.map((r) => summaryOf(r, accounts));
}

/** Answered questions promoted to FAQs, and answered public posts of a department. */
export async function listAnswered(ctx: AppContext, options: { departmentCode?: string; faqOnly?: boolean; limit?: number }): Promise<PostSummary[]> {
  const rows = await repo.queryPosts(ctx.db, {
    publicOnly: true,
    answeredOnly: true,
    ...(options.faqOnly ? { faqOnly: true } : {}),
    ...(options.departmentCode ? { departmentCodes: [options.departmentCode] } : {}),
    limit: options.limit ?? 20,
  });
  const accounts = await listAccounts(ctx);
  const notes = await repo.latestReplies(
    ctx.db,
    rows.map((r) => r.id),
  );
  return rows.map((r) => summaryOf(r, accounts, notes));
}

// --- creating posts --------------------------------------------------------------------------------

export type PostAuthor =
  | { kind: 'citizen'; actor: Actor }
  | { kind: 'hotline'; actor: Actor; caller: { name?: string; phone?: string } }
  | { kind: 'client'; clientId: string; clientName: string; contact?: { name?: string; email?: string; phone?: string } };

export interface CreatePostInput {
  kind: unknown;
  title?: unknown;
  body: unknown;
  visibility?: unknown;
  anonymous?: unknown;
  departmentCode?: unknown;
  photoFileId?: unknown;
  location?: { lat?: unknown; long?: unknown; address?: unknown } | undefined;
  locale?: unknown;
  idempotencyKey?: string | null | undefined;
}

export interface CreatedPost {
  id: string;
  number: string;
  status: PostStatus;
  routedTo: { departmentCode: string; confidence: number } | null;
  created: boolean;
}

interface Checked {
  kind: PostKind;
  title: string;
  body: string;
  visibility: 'public' | 'private';
  anonymous: boolean;
  departmentCode: string | null;
  photoFileId: string | null;
  lat: number | null;
  long: number | null;
  address: string | null;
  locale: Locale;
  mentions: string[];
}

/** The staff's additions to the abusive-word list, cached briefly per context (an edit here clears it). */
const wordCache = new WeakMap<AppContext, { at: number; words: Promise<string[]> }>();
async function currentBlockedWords(ctx: AppContext): Promise<string[]> {
  const hit = wordCache.get(ctx);
  if (hit && Date.now() - hit.at < 30_000) return hit.words;
  const words = repo.listBlockedWords(ctx.db).then((added) => [...defaultBlockedWords, ...added]);
  words.catch(() => wordCache.delete(ctx));
  wordCache.set(ctx, { at: Date.now(), words });
  return words;
}

/** Posting limits per author, kept per app context (in memory; one instance). */
const limiters = new WeakMap<AppContext, { author: Limiter; hotline: Limiter; client: Limiter; suggest: Limiter }>();
function limitersOf(ctx: AppContext) {
  let l = limiters.get(ctx);
  if (!l) {
    const { hallPostLimit: n, hallPostWindowSeconds: s } = ctx.config;
    l = { author: createLimiter(n, s), hotline: createLimiter(n * 20, s), client: createLimiter(n * 20, s), suggest: createLimiter(120, 60) };
    limiters.set(ctx, l);
  }
  return l;
}

/** Counts a suggestion lookup (they are cheap, but not free). */
export async function limitSuggest(ctx: AppContext, key: string): Promise<void> {
  await limitersOf(ctx).suggest.consume(`suggest:${key}`);
}

const hasHan = (s: string) => /\p{Script=Han}/u.test(s);

/** Checks the input; every problem is reported at once, under the field it belongs to. */
async function checkInput(ctx: AppContext, author: PostAuthor, input: CreatePostInput): Promise<Checked> {
  const errors: Record<string, string> = {};
  const kind = typeof input.kind === 'string' && (postKinds as readonly string[]).includes(input.kind) ? (input.kind as PostKind) : null;
  if (!kind) errors.kind = 'hall.error.kind';
  const body = typeof input.body === 'string' ? cleanText(input.body) : '';
  if (!body) errors.body = 'hall.error.bodyRequired';
  else if (body.length > maxBody) errors.body = 'hall.error.bodyTooLong';
  let title = typeof input.title === 'string' ? cleanText(input.title).replace(/\s+/g, ' ') : '';
  if (!title && author.kind === 'client' && body) title = body.replace(/\s+/g, ' ').slice(0, 40);
  if (!title) errors.title = 'hall.error.titleRequired';
  else if (title.length > maxTitle) errors.title = 'hall.error.titleTooLong';
  const visibility = input.visibility === undefined || input.visibility === null || input.visibility === '' ? 'public' : input.visibility;
  if (visibility !== 'public' && visibility !== 'private') errors.visibility = 'hall.error.visibility';
  const anonymous = input.anonymous === true || input.anonymous === 'true' || input.anonymous === 'on';
  const accounts = await listAccounts(ctx);
  let departmentCode: string | null = null;
  if (input.departmentCode !== undefined && input.departmentCode !== null && input.departmentCode !== '') {
    if (typeof input.departmentCode === 'string' && accounts.some((a) => a.code === input.departmentCode)) departmentCode = input.departmentCode;
    else errors.departmentCode = 'hall.error.department';
  }
  let photoFileId: string | null = null;
  if (typeof input.photoFileId === 'string' && input.photoFileId) {
    const file = uuidPattern.test(input.photoFileId) ? await ctx.files.find(input.photoFileId) : null;
    const actor = author.kind === 'client' ? null : author.actor;
    if (!file || !actor || !(await ctx.files.mayRead(actor, file))) errors.photo = 'hall.error.photo';
    else if (!file.mediaType.startsWith('image/')) errors.photo = 'hall.error.photoType';
    else photoFileId = file.id;
  }
  const num = (v: unknown, min: number, max: number, field: string): number | null => {
    if (v === undefined || v === null || v === '') return null;
    const n = typeof v === 'number' ? v : typeof v === 'string' ? Number(v) : NaN;
    if (!Number.isFinite(n) || n < min || n > max) {
      errors[field] = 'hall.error.location';
      return null;
    }
    return n;
  };
  const lat = num(input.location?.lat, -90, 90, 'lat');
  const long = num(input.location?.long, -180, 180, 'long');
  if ((lat === null) !== (long === null) && !errors.lat && !errors.long) errors.lat = 'hall.error.location';
  const rawAddress = input.location?.address;
  const address = typeof rawAddress === 'string' ? cleanText(rawAddress).slice(0, 200) || null : null;
  if (typeof rawAddress === 'string' && cleanText(rawAddress).length > 200) errors.address = 'hall.error.addressTooLong';
  const words = await currentBlockedWords(ctx);
  const blocked = findBlockedWord(`${title}\n${body}`, words);
  if (blocked) errors[findBlockedWord(title, words) ? 'title' : 'body'] = 'hall.error.blockedWord';
  const mentions = parseMentions(`${title} ${body}`, accounts);
  const extra: Record<string, unknown> = {};
  if (mentions.unknown.length && !errors.body) {
    errors.body = 'hall.error.unknownMention';
    extra.unknownMentions = mentions.unknown;
  }
  if (Object.keys(errors).length) {
    const error = new ValidationError(errors, 'The post has errors');
    Object.assign(error.extra, extra);
    throw error;
  }
  const locale: Locale = input.locale === 'en' || input.locale === 'zh-CN' ? input.locale : hasHan(`${title}${body}`) ? 'zh-CN' : 'en';
  return {
    kind: kind!,
    title,
    body,
    visibility: visibility as 'public' | 'private',
    anonymous,
    departmentCode,
    photoFileId,
    lat,
    long,
    address,
    locale,
    mentions: mentions.codes,
  };
}

/** Departments that do not handle posts themselves: a mention of them goes to the operators. */
const notHandlers = new Set([operatorsDepartment, 'release']);

/** Mention first, then the chosen category, then the text classifier; below the threshold, triage. */
export function decideRouting(c: Pick<Checked, 'mentions' | 'departmentCode' | 'title' | 'body'>): RoutingRecord {
  const mentioned = c.mentions.find((m) => !notHandlers.has(m));
  if (mentioned) return { method: 'mention', departmentCode: mentioned, confidence: 1 };
  if (c.departmentCode && !notHandlers.has(c.departmentCode)) return { method: 'category', departmentCode: c.departmentCode, confidence: 1 };
  const r = routePost(`${c.title}\n${c.body}`);
  const confidence = Math.round(r.confidence * 1000) / 1000;
  return { method: 'text', departmentCode: r.departmentCode, confidence, category: r.category };
}

const routedNow = (r: RoutingRecord) => r.departmentCode !== null && r.confidence !== null && (r.method !== 'text' || r.confidence >= ROUTING_THRESHOLD);

function postNumber(now: Date, seq: number): string {
  return `H${localDate(now).replaceAll('-', '')}-${String(seq).padStart(6, '0')}`;
}

/** The answer deadline for a post routed at `at` under a promise (the defaults when none is given). */
export function answerDeadline(kind: PostKind, at: Date, promise: DeptPromise = promises[kind]): Date {
  return deadline(calendar, at, promise.value, promise.unit);
}

/** A department's promises per kind of post: what it set, the defaults for the rest. */
export async function promisesOf(ex: Executor, departmentCode: string): Promise<Record<PostKind, DeptPromise & { custom: boolean }>> {
  const set = await repo.listPromises(ex, departmentCode);
  return Object.fromEntries(
    postKinds.map((k) => {
      const own = set.find((p) => p.kind === k);
      return [k, own ? { value: own.value, unit: own.unit, custom: true } : { ...promises[k], custom: false }];
    }),
  ) as Record<PostKind, DeptPromise & { custom: boolean }>;
}

/** The deadline of the promise the department has in force now (read in the routing transaction). */
async function departmentDeadline(ex: Executor, departmentCode: string, kind: PostKind, at: Date): Promise<Date> {
  const own = (await repo.listPromises(ex, departmentCode)).find((p) => p.kind === kind);
  return answerDeadline(kind, at, own ? { value: own.value, unit: own.unit } : promises[kind]);
}

/**
 * Sets the department's promises (its admin only; audited). Input per kind: `<kind>Value` (a whole
 * number, 1 up to 720 hours or 60 working days) and `<kind>Unit` (hours | working_days). Applies to
 * posts routed from now on; posts already routed keep the deadline they got.
 */
export async function savePromises(ctx: AppContext, actor: Actor, input: Record<string, unknown>, meta: { ip?: string | null } = {}): Promise<void> {
  if (actor.kind !== 'staff' || !actor.departmentCode || !hasRole(actor, ['dept_admin'])) throw new ForbiddenError();
  const errors: Record<string, string> = {};
  const chosen: [PostKind, DeptPromise][] = [];
  for (const kind of postKinds) {
    const rawUnit = input[`${kind}Unit`];
    const unit = promiseUnits.find((u) => u === rawUnit);
    const raw = typeof input[`${kind}Value`] === 'string' ? (input[`${kind}Value`] as string).trim() : '';
    if (!unit) errors[`${kind}Unit`] = 'hall.error.promiseUnit';
    if (!/^\d{1,6}$/.test(raw)) errors[`${kind}Value`] = 'hall.error.promiseValue';
    else if (unit && (Number(raw) < 1 || Number(raw) > maxPromise[unit]))
      errors[`${kind}Value`] = unit === 'hours' ? 'hall.error.promiseHours' : 'hall.error.promiseDays';
    if (unit && !errors[`${kind}Value`]) chosen.push([kind, { value: Number(raw), unit }]);
  }
  if (Object.keys(errors).length) throw new ValidationError(errors);
  const departmentCode = actor.departmentCode;
  await ctx.db.transaction(async (tx) => {
    const before = await promisesOf(tx, departmentCode);
    const now = ctx.clock.now();
    for (const [kind, p] of chosen)
      await repo.upsertPromise(tx, { departmentCode, kind, value: p.value, unit: p.unit, updatedBy: actor.userId, updatedAt: now });
    await recordAudit(tx, {
      ...actorFields(actor),
      action: 'hall.promise.save',
      resourceType: 'hall_account',
      resourceId: departmentCode,
      outcome: 'ok',
      detail: {
        before: Object.fromEntries(postKinds.map((k) => [k, `${before[k].value} ${before[k].unit}`])),
        after: Object.fromEntries(chosen.map(([k, p]) => [k, `${p.value} ${p.unit}`])),
      },
      ip: meta.ip ?? null,
    });
  });
}

/** A NOTIFY on the live channel, delivered to listeners when the transaction commits. */
async function announceChange(tx: Executor, post: Pick<PostRow, 'id' | 'number' | 'departmentCode'>): Promise<void> {
  const payload = JSON.stringify({ postId: post.id, number: post.number, departmentCode: post.departmentCode });
  await tx.execute(sql`SELECT pg_notify(${liveChannel}, ${payload})`);
}

type SlaCheck = 'first-reply' | 'warn' | 'breach';

/** An instant as China Standard Time, `2026-11-27 21:40 (UTC+8)`. */
const chinaTime = (at: Date) => `${localDate(at)} ${new Date(at.getTime() + 8 * 3600_000).toISOString().slice(11, 16)} (UTC+8)`;

/** When the department should be reminded: 80% of the way from routing (or reopening) to its promise. */
function warnPoint(row: PostRow): Date | null {
  const start = row.reopenedAt && row.routedAt && row.reopenedAt > row.routedAt ? row.reopenedAt : row.routedAt;
  if (!row.answerDue || !start) return null;
  return new Date(start.getTime() + (row.answerDue.getTime() - start.getTime()) * 0.8);
}

async function sendCheck(ctx: AppContext, tx: Executor, row: PostRow, kind: SlaCheck, at: Date): Promise<void> {
  await ctx.jobs.send(
    slaQueue,
    { postId: row.id, generation: row.slaGeneration, kind },
    { startAfterSeconds: Math.max(1, Math.ceil((at.getTime() - ctx.clock.now().getTime()) / 1000)), executor: tx },
  );
}

/**
 * Schedules the next SLA check in the transaction. The checks form a chain, one job at a time: the
 * first-reply check (an hour after posting) schedules the department's reminder, the reminder the
 * escalation. A forward or a reopening starts a new generation with its own reminder.
 */
async function scheduleSla(ctx: AppContext, tx: Tx, row: PostRow, created = false): Promise<void> {
  if (created) return sendCheck(ctx, tx, row, 'first-reply', row.firstReplyDue);
  const warnAt = warnPoint(row);
  if (warnAt) await sendCheck(ctx, tx, row, 'warn', warnAt);
}

const ackBody = (locale: Locale, departmentName: string | null, number: string) =>
  departmentName ? translate(locale, 'hall.ack.routed', { department: departmentName, number }) : translate(locale, 'hall.ack.triage', { number });

/**
 * Files a post (留言): checks it, masks it for the public, routes it and acknowledges it at once, in one
 * transaction. The same idempotency key from the same author returns the first post.
 */
export async function createPost(ctx: AppContext, author: PostAuthor, input: CreatePostInput, meta: { ip?: string | null } = {}): Promise<CreatedPost> {
  if (author.kind === 'citizen' && author.actor.kind !== 'citizen') throw new ForbiddenError('Only citizens post in their own name');
  if (author.kind === 'hotline' && !isHallOperator(author.actor)) throw new ForbiddenError('Only the 12345 operators file posts for callers');
  const scope = author.kind === 'client' ? `client:${author.clientId}` : `user:${author.actor.userId}`;
  const key = input.idempotencyKey ?? null;
  // eslint-disable-next-line no-control-regex -- a key with control characters is refused
  if (key !== null && (key.length < 1 || key.length > 200 || /[\u0000-\u001f\u007f]/.test(key)))
    throw new ValidationError({ 'Idempotency-Key': 'hall.error.idempotencyKey' });
  if (key) {
    const existing = await repo.findByIdempotencyKey(ctx.db, scope, key);
    if (existing) return createdOf(existing, false);
  }
  const c = await checkInput(ctx, author, input);
  const l = limitersOf(ctx);
  await (author.kind === 'citizen' ? l.author : author.kind === 'hotline' ? l.hotline : l.client).consume(`post:${scope}`);
  const accounts = await listAccounts(ctx);
  const routing = decideRouting(c);
  const routed = routedNow(routing);
  const result = await ctx.db.transaction(async (tx) => {
    const now = ctx.clock.now();
    const number = postNumber(now, await repo.nextPostSeq(tx));
    const publicTitle = maskPublicText(c.title);
    const publicBody = maskPublicText(c.body);
    const authorName =
      author.kind === 'client'
        ? (author.contact?.name ?? author.clientName)
        : author.kind === 'hotline'
          ? (author.caller.name ?? '12345')
          : author.actor.realName;
    const row = await repo.insertPost(tx, {
      number,
      kind: c.kind,
      title: c.title,
      body: c.body,
      publicTitle,
      publicBody,
      visibility: c.visibility,
      anonymous: c.anonymous || author.kind === 'hotline',
      authorId: author.kind === 'citizen' ? author.actor.userId : null,
      authorName,
      channel: author.kind === 'citizen' ? (author.actor.via === 'bearer' ? 'api' : 'web') : author.kind,
      clientId: author.kind === 'client' ? author.clientId : null,
      filedBy: author.kind === 'hotline' ? author.actor.userId : null,
      contact: author.kind === 'hotline' ? clean(author.caller) : author.kind === 'client' ? clean(author.contact ?? {}) : null,
      idempotencyScope: scope,
      idempotencyKey: key,
      locale: c.locale,
      mentions: c.mentions,
      departmentCode: routed ? routing.departmentCode : null,
      routing,
      status: routed ? 'routed' : 'triage',
      photoFileId: c.photoFileId,
      lat: c.lat,
      long: c.long,
      address: c.address,
      terms: termsOf(`${publicTitle}\n${publicBody}`),
      routedAt: routed ? now : null,
      firstReplyDue: new Date(now.getTime() + firstReplyMinutes * 60_000),
      answerDue: routed && routing.departmentCode ? await departmentDeadline(tx, routing.departmentCode, c.kind, now) : null,
      createdAt: now,
      updatedAt: now,
    });
    if (!row) {
      const existing = key ? await repo.findByIdempotencyKey(tx, scope, key) : undefined;
      if (!existing) throw new ConflictError('A post with this Idempotency-Key is still being processed');
      return { row: existing, created: false };
    }
    const deptName = routed ? accountName(accounts, routing.departmentCode, c.locale) : null;
    const ack = {
      postId: row.id,
      at: new Date(now.getTime() + 1),
      kind: 'ack' as const,
      actorKind: 'system' as const,
      departmentCode: operatorsDepartment,
      body: ackBody(c.locale, deptName, number),
    };
    const forward = {
      postId: row.id,
      at: now,
      kind: 'forward' as const,
      actorKind: 'system' as const,
      departmentCode: operatorsDepartment,
      body: null,
      detail: { to: routing.departmentCode, method: routing.method, confidence: routing.confidence },
    };
    await repo.insertEntry(tx, routed ? [forward, ack] : [ack]);
    if (author.kind === 'hotline') {
      await recordAudit(tx, {
        ...actorFields(author.actor),
        action: 'hall.hotline.file',
        resourceType: 'hall_post',
        resourceId: row.id,
        outcome: 'ok',
        detail: { number },
        ip: meta.ip ?? null,
      });
    }
    await scheduleSla(ctx, tx, row, true);
    await announceChange(tx, row);
    return { row, created: true };
  });
  return createdOf(result.row, result.created);
}

function clean(o: Record<string, string | undefined>): Record<string, string> {
  return Object.fromEntries(
    Object.entries(o)
      .filter((e): e is [string, string] => typeof e[1] === 'string' && e[1].trim() !== '')
      .map(([k, v]) => [k, cleanText(v).slice(0, 100)]),
  );
}

function createdOf(row: PostRow, created: boolean): CreatedPost {
  return {
    id: row.id,
    number: row.number,
    status: row.status,
    routedTo:
      row.departmentCode && row.routedAt
        ? { departmentCode: row.departmentCode, confidence: row.routing.departmentCode === row.departmentCode ? (row.routing.confidence ?? 1) : 1 }
        : null,
    created,
  };
}

// --- staff actions ---------------------------------------------------------------------------------

async function locked(tx: Tx, idOrNumber: string): Promise<PostRow> {
  const found = await findRow(tx, idOrNumber);
  if (!found) throw new NotFoundError();
  const row = await repo.findPost(tx, found.id, { lock: true });
  if (!row) throw new NotFoundError();
  return row;
}

async function refuse(ctx: AppContext, actor: Actor, action: string, row: PostRow, ip: string | null | undefined): Promise<never> {
  await recordAudit(ctx.db, { ...actorFields(actor), action, resourceType: 'hall_post', resourceId: row.id, outcome: 'denied', ip: ip ?? null });
  throw new ForbiddenError();
}

async function tellAuthor(ctx: AppContext, tx: Tx, row: PostRow, template: string, params: Record<string, string>): Promise<void> {
  if (!row.authorId) return;
  await ctx.notify.send(tx, {
    userId: row.authorId,
    channels: ['inbox'],
    template,
    params: { number: row.number, title: row.publicTitle, ...params },
    locale: row.locale,
  });
}

export type StaffReplyKind = 'reply' | 'info_request' | 'result';

/**
 * A reply signed by a department: a public answer, a request for more information, or the result (the
 * second reply, which resolves the post). A gov-service reply is the hall's first human reply.
 */
export async function staffReply(
  ctx: AppContext,
  actor: Actor,
  idOrNumber: string,
  input: { kind: unknown; body?: unknown; templateId?: unknown },
  meta: { ip?: string | null } = {},
): Promise<PostRow> {
  const kind = input.kind === 'reply' || input.kind === 'info_request' || input.kind === 'result' ? input.kind : null;
  let body = typeof input.body === 'string' ? cleanText(input.body) : '';
  const errors: Record<string, string> = {};
  if (!kind) errors.kind = 'hall.error.replyKind';
  if (!body && typeof input.templateId === 'string' && uuidPattern.test(input.templateId) && actor.departmentCode) {
    const t = (await repo.listTemplates(ctx.db, actor.departmentCode)).find((x) => x.id === input.templateId);
    if (t) body = t.body;
  }
  if (!body) errors.body = 'hall.error.bodyRequired';
  else if (body.length > maxBody) errors.body = 'hall.error.bodyTooLong';
  if (Object.keys(errors).length) throw new ValidationError(errors);
  const row0 = await findRow(ctx.db, idOrNumber);
  if (!row0) throw new NotFoundError();
  if (!can(actor, 'handle', ref(row0))) return refuse(ctx, actor, 'hall.reply', row0, meta.ip);
  return ctx.db.transaction(async (tx) => {
    const row = await locked(tx, row0.id);
    const now = ctx.clock.now();
    const signer = actor.departmentCode ?? operatorsDepartment;
    const ofDept = row.departmentCode !== null && signer === row.departmentCode;
    if (row.status === 'triage' && !ofDept && kind !== 'reply' && kind !== 'info_request') throw new ConflictError('Route the post to a department first');
    if (row.status === 'resolved' && kind !== 'reply') throw new ConflictError('The post is resolved');
    const status: PostStatus =
      kind === 'result'
        ? 'resolved'
        : kind === 'info_request'
          ? 'info_requested'
          : ofDept
            ? 'answered'
            : row.status === 'info_requested'
              ? 'routed'
              : row.status;
    const patch: Partial<repo.NewPost> = { status, updatedAt: now };
    if (!row.firstReplyAt) patch.firstReplyAt = now;
    if (ofDept) {
      if (!row.deptFirstReplyAt) patch.deptFirstReplyAt = now;
      if (kind !== 'info_request' && !row.answeredAt) patch.answeredAt = now;
    }
    if (kind === 'result') {
      patch.resolvedAt = now;
      if (!row.answeredAt) patch.answeredAt = now;
    }
    const updated = await repo.updatePost(tx, row.id, patch);
    await repo.insertEntry(tx, {
      postId: row.id,
      at: now,
      kind: kind!,
      actorKind: 'department',
      actorId: actor.userId,
      departmentCode: signer,
      body: maskPublicText(body),
    });
    await recordAudit(tx, {
      ...actorFields(actor),
      action: `hall.${kind}`,
      resourceType: 'hall_post',
      resourceId: row.id,
      outcome: 'ok',
      detail: { number: row.number, status },
      ip: meta.ip ?? null,
    });
    const accounts = await listAccounts(ctx);
    await tellAuthor(ctx, tx, row, `hall-${kind!.replace('_', '-')}`, { department: accountName(accounts, signer, row.locale) });
    await announceChange(tx, updated);
    return updated;
  });
}

/** Sends the post to another department (the post stays open; the thread shows the forward). */
export async function reroutePost(
  ctx: AppContext,
  actor: Actor,
  idOrNumber: string,
  input: { departmentCode: unknown; note?: unknown },
  meta: { ip?: string | null } = {},
): Promise<PostRow> {
  const accounts = await listAccounts(ctx);
  const to = typeof input.departmentCode === 'string' ? input.departmentCode : '';
  if (!accounts.some((a) => a.code === to) || notHandlers.has(to)) throw new ValidationError({ departmentCode: 'hall.error.department' });
  const note = typeof input.note === 'string' ? cleanText(input.note).slice(0, 500) : '';
  const row0 = await findRow(ctx.db, idOrNumber);
  if (!row0) throw new NotFoundError();
  if (!can(actor, 'reroute', ref(row0))) return refuse(ctx, actor, 'hall.reroute', row0, meta.ip);
  return ctx.db.transaction(async (tx) => {
    const row = await locked(tx, row0.id);
    if (row.departmentCode === to) throw new ConflictError('The post is already with this department');
    const now = ctx.clock.now();
    const updated = await repo.updatePost(tx, row.id, {
      departmentCode: to,
      status: row.status === 'resolved' ? 'resolved' : 'routed',
      routedAt: now,
      answerDue: await departmentDeadline(tx, to, row.kind, now),
      answeredAt: null,
      deptFirstReplyAt: null,
      escalatedAt: null,
      routing: { method: 'operator', departmentCode: to, confidence: 1 },
      slaGeneration: row.slaGeneration + 1,
      updatedAt: now,
    });
    await repo.insertEntry(tx, {
      postId: row.id,
      at: now,
      kind: 'forward',
      actorKind: 'department',
      actorId: actor.userId,
      departmentCode: actor.departmentCode ?? operatorsDepartment,
      body: note ? maskPublicText(note) : null,
      detail: { from: row.departmentCode, to, method: 'operator' },
    });
    await recordAudit(tx, {
      ...actorFields(actor),
      action: 'hall.reroute',
      resourceType: 'hall_post',
      resourceId: row.id,
      outcome: 'ok',
      detail: { number: row.number, from: row.departmentCode, to },
      ip: meta.ip ?? null,
    });
    await tellAuthor(ctx, tx, row, 'hall-forwarded', { department: accountName(accounts, to, row.locale) });
    await scheduleSla(ctx, tx, updated);
    await announceChange(tx, { ...updated, departmentCode: to });
    if (row.departmentCode) await announceChange(tx, row);
    return updated;
  });
}

/** Hides a post from the public with a reason (audited; the author is told). */
export async function hidePost(ctx: AppContext, actor: Actor, idOrNumber: string, reasonInput: unknown, meta: { ip?: string | null } = {}): Promise<PostRow> {
  const reason = typeof reasonInput === 'string' ? cleanText(reasonInput) : '';
  if (!reason) throw new ValidationError({ reason: 'hall.error.reasonRequired' });
  if (reason.length > 500) throw new ValidationError({ reason: 'hall.error.reasonTooLong' });
  const row0 = await findRow(ctx.db, idOrNumber);
  if (!row0) throw new NotFoundError();
  if (!can(actor, 'hide', ref(row0))) return refuse(ctx, actor, 'hall.hide', row0, meta.ip);
  return ctx.db.transaction(async (tx) => {
    const row = await locked(tx, row0.id);
    if (row.hiddenAt) throw new ConflictError('The post is hidden already');
    const now = ctx.clock.now();
    const updated = await repo.updatePost(tx, row.id, { hiddenAt: now, hiddenReason: reason, updatedAt: now });
    await repo.insertEntry(tx, {
      postId: row.id,
      at: now,
      kind: 'hidden',
      actorKind: 'department',
      actorId: actor.userId,
      departmentCode: actor.departmentCode,
      body: reason,
      public: false,
    });
    await recordAudit(tx, {
      ...actorFields(actor),
      action: 'hall.hide',
      resourceType: 'hall_post',
      resourceId: row.id,
      outcome: 'ok',
      detail: { number: row.number, reason },
      ip: meta.ip ?? null,
    });
    await tellAuthor(ctx, tx, row, 'hall-hidden', { reason });
    await announceChange(tx, updated);
    return updated;
  });
}

/** Promotes an answered public question to the FAQs. */
export async function promoteToFaq(ctx: AppContext, actor: Actor, idOrNumber: string, meta: { ip?: string | null } = {}): Promise<void> {
  const row0 = await findRow(ctx.db, idOrNumber);
  if (!row0) throw new NotFoundError();
  if (!can(actor, 'promote', ref(row0))) return refuse(ctx, actor, 'hall.faq', row0, meta.ip);
  if (row0.status !== 'answered' && row0.status !== 'resolved') throw new ConflictError('Only answered posts become FAQs');
  await ctx.db.transaction(async (tx) => {
    const now = ctx.clock.now();
    await repo.updatePost(tx, row0.id, { faqAt: now, updatedAt: now });
    await recordAudit(tx, { ...actorFields(actor), action: 'hall.faq', resourceType: 'hall_post', resourceId: row0.id, outcome: 'ok', ip: meta.ip ?? null });
  });
}

// --- the author's actions --------------------------------------------------------------------------

async function authorAction(ctx: AppContext, actor: Actor, idOrNumber: string, action: HallAction): Promise<PostRow> {
  const row = await findRow(ctx.db, idOrNumber);
  if (!row || !can(actor, 'view', ref(row))) throw new NotFoundError();
  if (!can(actor, action, ref(row))) throw new ForbiddenError();
  return row;
}

/** The author answers a request for more information; the post returns to the department. */
export async function citizenReply(ctx: AppContext, actor: Actor, idOrNumber: string, bodyInput: unknown): Promise<PostRow> {
  const body = typeof bodyInput === 'string' ? cleanText(bodyInput) : '';
  if (!body) throw new ValidationError({ body: 'hall.error.bodyRequired' });
  if (body.length > maxBody) throw new ValidationError({ body: 'hall.error.bodyTooLong' });
  const words = await currentBlockedWords(ctx);
  if (findBlockedWord(body, words)) throw new ValidationError({ body: 'hall.error.blockedWord' });
  const row0 = await authorAction(ctx, actor, idOrNumber, 'citizenReply');
  return ctx.db.transaction(async (tx) => {
    const row = await locked(tx, row0.id);
    if (row.status !== 'info_requested') throw new ConflictError('Nobody asked for more information');
    const now = ctx.clock.now();
    const updated = await repo.updatePost(tx, row.id, { status: 'routed', updatedAt: now });
    await repo.insertEntry(tx, { postId: row.id, at: now, kind: 'citizen_reply', actorKind: 'citizen', actorId: actor.userId, body: maskPublicText(body) });
    await announceChange(tx, updated);
    return updated;
  });
}

/** The author rates the answer: satisfied or not. */
export async function ratePost(ctx: AppContext, actor: Actor, idOrNumber: string, ratingInput: unknown): Promise<PostRow> {
  const rating = ratingInput === 'satisfied' || ratingInput === 'unsatisfied' ? ratingInput : null;
  if (!rating) throw new ValidationError({ rating: 'hall.error.rating' });
  const row0 = await authorAction(ctx, actor, idOrNumber, 'rate');
  return ctx.db.transaction(async (tx) => {
    const row = await locked(tx, row0.id);
    if (row.status !== 'answered' && row.status !== 'resolved') throw new ConflictError('There is no answer to rate yet');
    if (row.rating) throw new ConflictError('Rated already');
    const now = ctx.clock.now();
    const updated = await repo.updatePost(tx, row.id, { rating, ratedAt: now, updatedAt: now });
    await repo.insertEntry(tx, { postId: row.id, at: now, kind: 'rating', actorKind: 'citizen', actorId: actor.userId, body: null, detail: { rating } });
    await announceChange(tx, updated);
    return updated;
  });
}

/** Reopens a resolved post within 7 days with a reason; it returns to the department with a new promise. */
export async function reopenPost(ctx: AppContext, actor: Actor, idOrNumber: string, reasonInput: unknown): Promise<PostRow> {
  const reason = typeof reasonInput === 'string' ? cleanText(reasonInput) : '';
  if (!reason) throw new ValidationError({ reason: 'hall.error.reasonRequired' });
  if (reason.length > 1000) throw new ValidationError({ reason: 'hall.error.reasonTooLong' });
  const row0 = await authorAction(ctx, actor, idOrNumber, 'reopen');
  return ctx.db.transaction(async (tx) => {
    const row = await locked(tx, row0.id);
    const now = ctx.clock.now();
    if (row.status !== 'resolved' || !row.resolvedAt) throw new ConflictError('Only a resolved post can be reopened');
    if (now.getTime() - row.resolvedAt.getTime() > reopenDays * 86_400_000) throw new HttpError(409, 'reopen_expired', 'Posts can be reopened within 7 days');
    const updated = await repo.updatePost(tx, row.id, {
      status: 'routed',
      reopenCount: row.reopenCount + 1,
      reopenedAt: now,
      resolvedAt: null,
      answeredAt: null,
      rating: null,
      ratedAt: null,
      answerDue: row.departmentCode ? await departmentDeadline(tx, row.departmentCode, row.kind, now) : answerDeadline(row.kind, now),
      slaGeneration: row.slaGeneration + 1,
      updatedAt: now,
    });
    await repo.insertEntry(tx, { postId: row.id, at: now, kind: 'reopen', actorKind: 'citizen', actorId: actor.userId, body: maskPublicText(reason) });
    await scheduleSla(ctx, tx, updated);
    await announceChange(tx, updated);
    return updated;
  });
}

// --- SLA: reminders and escalations ----------------------------------------------------------------

/**
 * One SLA check (what the job runs). first-reply: no human reply an hour after posting → escalate to the
 * operators. warn: 80% of the promise used → remind the department. breach: the promise passed → escalate.
 * A job of an older generation (the post was rerouted or reopened since) does nothing.
 */
export async function runSlaCheck(ctx: AppContext, postId: string, generation: number, kind: SlaCheck): Promise<boolean> {
  return ctx.db.transaction(async (tx) => {
    const row = await repo.findPost(tx, postId, { lock: true });
    if (!row || row.hiddenAt) return false;
    const now = ctx.clock.now();
    const open = !row.answeredAt && row.status !== 'resolved' && row.answerDue !== null;
    if (kind === 'first-reply') {
      // The department's reminder follows (a forward or reopening since has scheduled its own).
      const warnAt = warnPoint(row);
      if (open && warnAt && row.slaGeneration === 0) await sendCheck(ctx, tx, row, 'warn', warnAt);
      if (row.firstReplyAt) return false;
    } else {
      if (row.slaGeneration !== generation || !open) return false;
      if (kind === 'warn') await sendCheck(ctx, tx, row, 'breach', row.answerDue!);
      if (kind === 'breach' && now < row.answerDue!) return false;
    }
    const entryKind: EntryKind = kind === 'warn' ? 'reminder' : 'escalation';
    await repo.insertEntry(tx, { postId: row.id, at: now, kind: entryKind, actorKind: 'system', body: null, public: false, detail: { check: kind } });
    if (kind !== 'warn') await repo.updatePost(tx, row.id, { escalatedAt: now });
    const targets = new Set<string>();
    const roles = ['clerk', 'reviewer', 'approver', 'dept_admin'] as const;
    if (kind === 'first-reply' || kind === 'breach') for (const s of await listStaffOf(tx, operatorsDepartment, [...roles])) targets.add(s.id);
    if (kind !== 'first-reply' && row.departmentCode) for (const s of await listStaffOf(tx, row.departmentCode, [...roles])) targets.add(s.id);
    const due = (kind === 'first-reply' ? row.firstReplyDue : row.answerDue)!;
    for (const userId of targets) {
      // In the staff member's own language; the time in China Standard Time, as staff read it.
      const staff = await getUserById(tx, userId);
      await ctx.notify.send(tx, {
        userId,
        channels: ['inbox'],
        template: `hall-sla-${kind}`,
        params: { number: row.number, title: row.publicTitle, due: chinaTime(due) },
        locale: staff?.locale === 'en' ? 'en' : 'zh-CN',
      });
    }
    await announceChange(tx, row);
    return true;
  });
}

// --- suggestions while typing ------------------------------------------------------------------------

export interface Similar {
  type: 'faq' | 'answered' | 'open-report' | 'service';
  title: string;
  href: string;
  number?: string;
  code?: string;
  score: number;
}

export interface Suggestion {
  routing: { departmentCode: string; confidence: number };
  similar: Similar[];
}

/** The department the text suggests, and similar answered questions, FAQs, open reports and service items. */
export async function suggest(ctx: AppContext, input: { title?: unknown; body: unknown }, locale: Locale): Promise<Suggestion> {
  const title = typeof input.title === 'string' ? cleanText(input.title).slice(0, maxTitle * 2) : '';
  const body = typeof input.body === 'string' ? cleanText(input.body).slice(0, maxBody) : '';
  if (!body && !title) throw new ValidationError({ body: 'hall.error.bodyRequired' });
  const text = `${title}\n${body}`;
  const accounts = await listAccounts(ctx);
  const routing = decideRouting({ mentions: parseMentions(text, accounts).codes, departmentCode: null, title, body });
  const terms = termsOf(text);
  const similar: Similar[] = [];
  for (const r of await repo.similarPosts(ctx.db, terms, 20)) {
    const score = r.hits / Math.max(terms.length, 1);
    if (score < 0.2 && r.hits < 3) continue;
    const type = r.faqAt ? 'faq' : r.status === 'answered' || r.status === 'resolved' ? 'answered' : 'open-report';
    similar.push({ type, title: r.publicTitle, href: `/hall/posts/${r.number}`, number: r.number, score: Math.round(score * 100) / 100 });
  }
  const items = (await findServices(ctx.db, { limit: 200 })).items;
  const lower = text.toLowerCase();
  const textTerms = termsOf(text);
  for (const item of items) {
    const c = item.content;
    const keywordHits = [c.nameZh, c.nameEn, ...c.keywords].filter((k) => k.length >= 2 && lower.includes(k.toLowerCase())).length;
    const nameOverlap = overlap(termsOf(`${c.nameZh} ${c.nameEn}`), textTerms);
    const score = keywordHits * 0.4 + nameOverlap;
    if (keywordHits === 0 && nameOverlap < 0.5) continue;
    similar.push({
      type: 'service',
      title: locale === 'en' ? c.nameEn : c.nameZh,
      href: `/services/${item.code}`,
      code: item.code,
      score: Math.round(Math.min(score, 1) * 100) / 100,
    });
  }
  similar.sort((a, b) => b.score - a.score);
  return {
    routing: { departmentCode: routing.departmentCode ?? operatorsDepartment, confidence: routing.confidence ?? 0 },
    similar: similar.slice(0, 10),
  };
}

// --- accounts: follow, announcements, templates, figures, blocked words ------------------------------

export async function followAccount(ctx: AppContext, actor: Actor, code: string, on: boolean): Promise<void> {
  if (!(await listAccounts(ctx)).some((a) => a.code === code)) throw new NotFoundError();
  if (on) await repo.follow(ctx.db, actor.userId, code, ctx.clock.now());
  else await repo.unfollow(ctx.db, actor.userId, code);
}

export const listFollowed = (ctx: AppContext, actor: Actor) => repo.listFollowed(ctx.db, actor.userId);
export const countFollowers = (ctx: AppContext, code: string) => repo.countFollowers(ctx.db, code);

export interface AnnouncementView {
  id: string;
  departmentCode: string;
  title: string;
  body: string;
  createdAt: Date;
}

export async function listAnnouncements(ctx: AppContext, departmentCodes: string[] | null, limit = 20): Promise<AnnouncementView[]> {
  const rows = await repo.listAnnouncements(ctx.db, departmentCodes, limit);
  return rows.map((r) => ({ id: r.id, departmentCode: r.departmentCode, title: r.title, body: r.body, createdAt: r.createdAt }));
}

/** A department account's own post (announcement); `release` publishes the authoritative ones. */
export async function publishAnnouncement(
  ctx: AppContext,
  actor: Actor,
  input: { departmentCode: unknown; title: unknown; body: unknown },
  meta: { ip?: string | null } = {},
): Promise<AnnouncementView> {
  const code = typeof input.departmentCode === 'string' ? input.departmentCode : (actor.departmentCode ?? '');
  const title = typeof input.title === 'string' ? cleanText(input.title).replace(/\s+/g, ' ') : '';
  const body = typeof input.body === 'string' ? cleanText(input.body) : '';
  const errors: Record<string, string> = {};
  if (!title) errors.title = 'hall.error.titleRequired';
  else if (title.length > maxTitle) errors.title = 'hall.error.titleTooLong';
  if (!body) errors.body = 'hall.error.bodyRequired';
  else if (body.length > maxBody) errors.body = 'hall.error.bodyTooLong';
  if (Object.keys(errors).length) throw new ValidationError(errors);
  if (!(await listAccounts(ctx)).some((a) => a.code === code)) throw new ValidationError({ departmentCode: 'hall.error.department' });
  if (!mayPublishFor(actor, code)) {
    await recordAudit(ctx.db, {
      ...actorFields(actor),
      action: 'hall.announce',
      resourceType: 'hall_account',
      resourceId: code,
      outcome: 'denied',
      ip: meta.ip ?? null,
    });
    throw new ForbiddenError();
  }
  return ctx.db.transaction(async (tx) => {
    const row = await repo.insertAnnouncement(tx, { departmentCode: code, title, body, authorId: actor.userId, createdAt: ctx.clock.now() });
    await recordAudit(tx, {
      ...actorFields(actor),
      action: 'hall.announce',
      resourceType: 'hall_announcement',
      resourceId: row.id,
      outcome: 'ok',
      ip: meta.ip ?? null,
    });
    return { id: row.id, departmentCode: row.departmentCode, title: row.title, body: row.body, createdAt: row.createdAt };
  });
}

export async function listTemplates(ctx: AppContext, actor: Actor): Promise<{ id: string; title: string; body: string }[]> {
  if (actor.kind !== 'staff' || !actor.departmentCode) return [];
  return (await repo.listTemplates(ctx.db, actor.departmentCode)).map((t) => ({ id: t.id, title: t.title, body: t.body }));
}

export async function saveTemplate(ctx: AppContext, actor: Actor, input: { title: unknown; body: unknown }, meta: { ip?: string | null } = {}): Promise<void> {
  if (actor.kind !== 'staff' || !actor.departmentCode) throw new ForbiddenError();
  const title = typeof input.title === 'string' ? cleanText(input.title) : '';
  const body = typeof input.body === 'string' ? cleanText(input.body) : '';
  const errors: Record<string, string> = {};
  if (!title) errors.title = 'hall.error.titleRequired';
  else if (title.length > maxTitle) errors.title = 'hall.error.titleTooLong';
  if (!body) errors.body = 'hall.error.bodyRequired';
  else if (body.length > maxBody) errors.body = 'hall.error.bodyTooLong';
  if (Object.keys(errors).length) throw new ValidationError(errors);
  await ctx.db.transaction(async (tx) => {
    await repo.insertTemplate(tx, { departmentCode: actor.departmentCode!, title, body, createdAt: ctx.clock.now() });
    await recordAudit(tx, {
      ...actorFields(actor),
      action: 'hall.template.save',
      resourceType: 'hall_account',
      resourceId: actor.departmentCode,
      outcome: 'ok',
      ip: meta.ip ?? null,
    });
  });
}

export async function deleteTemplate(ctx: AppContext, actor: Actor, id: string): Promise<void> {
  if (actor.kind !== 'staff' || !actor.departmentCode || !uuidPattern.test(id)) throw new NotFoundError();
  await ctx.db.transaction(async (tx) => {
    if (!(await repo.deleteTemplate(tx, id, actor.departmentCode!))) throw new NotFoundError();
    await recordAudit(tx, { ...actorFields(actor), action: 'hall.template.delete', resourceType: 'hall_template', resourceId: id, outcome: 'ok' });
  });
}

export interface DepartmentFigures {
  departmentCode: string;
  posts: number;
  medianFirstReplyMinutes: number | null;
  /** Share (0..1) of posts whose promise has come due that were answered within it; null with none due. */
  withinPromiseShare: number | null;
  reopened: number;
}

export async function departmentFigures(ctx: AppContext, departmentCode?: string): Promise<DepartmentFigures[]> {
  const rows = await repo.departmentFigures(ctx.db, ctx.clock.now(), departmentCode);
  return rows.map((r) => ({
    departmentCode: r.departmentCode,
    posts: r.posts,
    medianFirstReplyMinutes: r.medianFirstReplySeconds === null ? null : Math.round(r.medianFirstReplySeconds / 60),
    withinPromiseShare: r.due > 0 ? r.answeredWithinPromise / r.due : null,
    reopened: r.reopened,
  }));
}

export async function blockedWords(ctx: AppContext): Promise<{ builtIn: string[]; added: string[] }> {
  return { builtIn: defaultBlockedWords, added: await repo.listBlockedWords(ctx.db) };
}

export async function setBlockedWord(ctx: AppContext, actor: Actor, wordInput: unknown, on: boolean, meta: { ip?: string | null } = {}): Promise<void> {
  if (!isHallOperator(actor)) throw new ForbiddenError();
  const word = typeof wordInput === 'string' ? cleanText(wordInput).toLowerCase() : '';
  if (!word || word.length > 40) throw new ValidationError({ word: 'hall.error.word' });
  await ctx.db.transaction(async (tx) => {
    if (on) await repo.addBlockedWord(tx, word, ctx.clock.now());
    else await repo.removeBlockedWord(tx, word);
    await recordAudit(tx, {
      ...actorFields(actor),
      action: on ? 'hall.word.add' : 'hall.word.remove',
      resourceType: 'hall_word',
      resourceId: word,
      outcome: 'ok',
      ip: meta.ip ?? null,
    });
  });
  wordCache.delete(ctx);
}

// --- staff queues ----------------------------------------------------------------------------------

export interface QueueItem extends PostSummary {
  /** Minutes to the deadline that matters now (negative: overdue). */
  minutesLeft: number | null;
  escalated: boolean;
}

/** The operators see triage and everything overdue; a department sees what is routed to it. */
export async function staffQueue(ctx: AppContext, actor: Actor, view: 'open' | 'triage' | 'all' = 'open'): Promise<QueueItem[]> {
  if (actor.kind !== 'staff') throw new ForbiddenError();
  const operator = isHallOperator(actor);
  const rows = await repo.queryPosts(ctx.db, {
    ...(operator ? {} : { departmentCodes: actor.departmentCode ? [actor.departmentCode] : [] }),
    ...(view === 'triage' ? { statuses: ['triage'] as PostStatus[] } : view === 'open' ? { excludeStatuses: ['resolved'] as PostStatus[] } : {}),
    includeHidden: view === 'all',
    limit: 200,
    byDue: view !== 'all',
  });
  const accounts = await listAccounts(ctx);
  const now = ctx.clock.now().getTime();
  return rows.map((r) => {
    const due = r.status === 'triage' || !r.firstReplyAt ? (r.answerDue && r.firstReplyAt ? r.answerDue : r.firstReplyDue) : r.answerDue;
    return {
      ...summaryOf(r, accounts),
      minutesLeft: due && r.status !== 'resolved' ? Math.round((due.getTime() - now) / 60_000) : null,
      escalated: r.escalatedAt !== null,
    };
  });
}

export async function getAuthorLocale(ctx: AppContext, userId: string): Promise<Locale> {
  const u = await getUserById(ctx.db, userId);
  return u?.locale === 'en' ? 'en' : 'zh-CN';
}

/** The photo of a post (the caller has checked that the viewer may see the post). */
export async function photoOf(ctx: AppContext, postId: string) {
  const row = await repo.findPost(ctx.db, postId);
  if (!row?.photoFileId) return null;
  return ctx.files.find(row.photoFileId);
}

/**
 * The hall's answered posts as training examples for the router: the text the citizen wrote and the
 * department that finally answered it (after any forward). Hidden posts are left out.
 */
export async function listAnsweredPostsForTraining(db: Executor, limit = 100_000): Promise<{ text: string; departmentCode: string }[]> {
  const rows = await repo.answeredForTraining(db, limit);
  return rows.map((r) => ({ text: `${r.title}\n${r.body}`, departmentCode: r.departmentCode }));
}
