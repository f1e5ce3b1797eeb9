import { sql } from 'drizzle-orm';
import { boolean, doublePrecision, index, integer, jsonb, pgSequence, pgTable, primaryKey, text, timestamp, uniqueIndex, uuid } from 'drizzle-orm/pg-core';

const ts = (name: string) => timestamp(name, { withTimezone: true, mode: 'date' });

export type PostKind = 'question' | 'complaint' | 'suggestion' | 'report';
/**
 * triage: waiting for the gov-service operators; routed: with a department; info_requested: the
 * department asked the citizen for more; answered: the department replied; resolved: the result was
 * given (the "second reply"). A reopened post goes back to routed.
 */
export type PostStatus = 'triage' | 'routed' | 'info_requested' | 'answered' | 'resolved';
export type PostChannel = 'web' | 'api' | 'hotline' | 'client';

/** How the department was chosen. */
export interface RoutingRecord {
  method: 'mention' | 'category' | 'text' | 'operator';
  departmentCode: string | null;
  confidence: number | null;
  category?: string | null;
}

/** Post numbers come from a sequence: never blocks concurrent posts, gaps are harmless. */
export const hallPostSequence = pgSequence('hall_post_seq', { startWith: 1, increment: 1 });

/** A citizen's question, complaint, suggestion or report (留言) and its state. */
export const hallPosts = pgTable(
  'hall_posts',
  {
    id: uuid('id')
      .primaryKey()
      .default(sql`gen_random_uuid()`),
    number: text('number').notNull(),
    kind: text('kind').$type<PostKind>().notNull(),
    /** What the author wrote, kept for the author and staff. */
    title: text('title').notNull(),
    body: text('body').notNull(),
    /** The same with ID and phone numbers masked: what the public sees. */
    publicTitle: text('public_title').notNull(),
    publicBody: text('public_body').notNull(),
    visibility: text('visibility').$type<'public' | 'private'>().notNull().default('public'),
    anonymous: boolean('anonymous').notNull().default(false),
    authorId: uuid('author_id'),
    authorName: text('author_name').notNull(),
    channel: text('channel').$type<PostChannel>().notNull(),
    /** The API client that filed it (Open311), or the hotline operator. */
    clientId: text('client_id'),
    filedBy: uuid('filed_by'),
    /** A hotline caller's or client's contact: never public. */
    contact: jsonb('contact').$type<{ name?: string; phone?: string; email?: string } | null>(),
    /** Scope of the idempotency key: `user:<id>` or `client:<id>`. */
    idempotencyScope: text('idempotency_scope'),
    idempotencyKey: text('idempotency_key'),
    locale: text('locale').$type<'zh-CN' | 'en'>().notNull().default('zh-CN'),
    mentions: jsonb('mentions').$type<string[]>().notNull().default([]),
    departmentCode: text('department_code'),
    routing: jsonb('routing').$type<RoutingRecord>().notNull(),
    status: text('status').$type<PostStatus>().notNull(),
    photoFileId: uuid('photo_file_id'),
    lat: doublePrecision('lat'),
    long: doublePrecision('long'),
    address: text('address'),
    /** Character bigrams and words of the public text, for "similar posts". */
    terms: text('terms')
      .array()
      .notNull()
      .default(sql`'{}'::text[]`),
    routedAt: ts('routed_at'),
    /** gov-service's first human reply is due an hour after posting. */
    firstReplyDue: ts('first_reply_due').notNull(),
    firstReplyAt: ts('first_reply_at'),
    /** The department's promise. */
    answerDue: ts('answer_due'),
    deptFirstReplyAt: ts('dept_first_reply_at'),
    answeredAt: ts('answered_at'),
    resolvedAt: ts('resolved_at'),
    reopenCount: integer('reopen_count').notNull().default(0),
    reopenedAt: ts('reopened_at'),
    rating: text('rating').$type<'satisfied' | 'unsatisfied'>(),
    ratedAt: ts('rated_at'),
    escalatedAt: ts('escalated_at'),
    hiddenAt: ts('hidden_at'),
    hiddenReason: text('hidden_reason'),
    faqAt: ts('faq_at'),
    /** Bumped when deadlines are rescheduled; jobs of an older generation do nothing. */
    slaGeneration: integer('sla_generation').notNull().default(0),
    createdAt: ts('created_at').notNull(),
    updatedAt: ts('updated_at').notNull(),
  },
  (t) => [
    uniqueIndex('hall_posts_number_key').on(t.number),
    uniqueIndex('hall_posts_idempotency_key').on(t.idempotencyScope, t.idempotencyKey),
    index('hall_posts_department_idx').on(t.departmentCode, t.status, t.createdAt),
    index('hall_posts_status_idx').on(t.status, t.createdAt),
    index('hall_posts_author_idx').on(t.authorId, t.createdAt),
    index('hall_posts_created_idx').on(t.createdAt),
    index('hall_posts_terms_idx').using('gin', t.terms),
  ],
);

export type EntryKind = 'ack' | 'reply' | 'forward' | 'info_request' | 'citizen_reply' | 'result' | 'rating' | 'reopen' | 'hidden' | 'escalation' | 'reminder';

/** The thread of a post: acknowledgement, replies signed by departments, forwards, the result. */
export const hallEntries = pgTable(
  'hall_entries',
  {
    id: uuid('id')
      .primaryKey()
      .default(sql`gen_random_uuid()`),
    postId: uuid('post_id')
      .notNull()
      .references(() => hallPosts.id, { onDelete: 'cascade' }),
    at: ts('at').notNull(),
    kind: text('kind').$type<EntryKind>().notNull(),
    actorKind: text('actor_kind').$type<'system' | 'citizen' | 'department'>().notNull(),
    actorId: uuid('actor_id'),
    /** The department that signs it (a reply is signed by the department, not the clerk). */
    departmentCode: text('department_code'),
    /** Masked text shown in the thread. */
    body: text('body'),
    /** Staff-only entries (reminders, escalations) are not public. */
    public: boolean('public').notNull().default(true),
    detail: jsonb('detail').$type<Record<string, unknown>>(),
  },
  (t) => [index('hall_entries_post_idx').on(t.postId, t.at)],
);

/** A department account's own posts (announcements, notices); `release` publishes authoritative news. */
export const hallAnnouncements = pgTable(
  'hall_announcements',
  {
    id: uuid('id')
      .primaryKey()
      .default(sql`gen_random_uuid()`),
    departmentCode: text('department_code').notNull(),
    title: text('title').notNull(),
    body: text('body').notNull(),
    authorId: uuid('author_id'),
    createdAt: ts('created_at').notNull(),
  },
  (t) => [index('hall_announcements_department_idx').on(t.departmentCode, t.createdAt), index('hall_announcements_created_idx').on(t.createdAt)],
);

/** People following department accounts. */
export const hallFollows = pgTable(
  'hall_follows',
  {
    userId: uuid('user_id').notNull(),
    departmentCode: text('department_code').notNull(),
    createdAt: ts('created_at').notNull(),
  },
  (t) => [primaryKey({ columns: [t.userId, t.departmentCode] }), index('hall_follows_department_idx').on(t.departmentCode)],
);

/** Reply templates of a department. */
export const hallTemplates = pgTable(
  'hall_templates',
  {
    id: uuid('id')
      .primaryKey()
      .default(sql`gen_random_uuid()`),
    departmentCode: text('department_code').notNull(),
    title: text('title').notNull(),
    body: text('body').notNull(),
    createdAt: ts('created_at').notNull(),
  },
  (t) => [index('hall_templates_department_idx').on(t.departmentCode)],
);

/** Words refused in posts (abusive language); staff edit the list. */
export const hallBlockedWords = pgTable('hall_blocked_words', {
  word: text('word').primaryKey(),
  createdAt: ts('created_at').notNull(),
});

/** A department's promise for one kind of post (the defaults apply when it set none). */
export const hallPromises = pgTable(
  'hall_promises',
  {
    departmentCode: text('department_code').notNull(),
    kind: text('kind').$type<PostKind>().notNull(),
    value: integer('value').notNull(),
    unit: text('unit').$type<'hours' | 'working_days'>().notNull(),
    updatedBy: uuid('updated_by'),
    updatedAt: ts('updated_at').notNull(),
  },
  (t) => [primaryKey({ columns: [t.departmentCode, t.kind] })],
);
