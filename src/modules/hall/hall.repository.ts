import { and, asc, desc, eq, gte, inArray, isNotNull, isNull, lte, ne, or, sql, type SQL } from 'drizzle-orm';
import type { Executor } from '../../platform/db/db.js';
import { hallAnnouncements, hallBlockedWords, hallEntries, hallFollows, hallPosts, hallPromises, hallTemplates, type PostStatus } from './hall.schema.js';

/** The only place with the hall's SQL. */

export type PostRow = typeof hallPosts.$inferSelect;
export type NewPost = typeof hallPosts.$inferInsert;
export type EntryRow = typeof hallEntries.$inferSelect;
export type NewEntry = typeof hallEntries.$inferInsert;
export type AnnouncementRow = typeof hallAnnouncements.$inferSelect;
export type TemplateRow = typeof hallTemplates.$inferSelect;

const rowsOf = <T>(result: unknown): T[] => ((result as { rows?: T[] }).rows ?? (result as T[])) as T[];

export async function nextPostSeq(ex: Executor): Promise<number> {
  const [row] = rowsOf<{ n: number | string }>(await ex.execute(sql`SELECT nextval('hall_post_seq')::int AS n`));
  return Number(row?.n);
}

/** Inserts a post; undefined when the (scope, idempotency key) pair exists already. */
export async function insertPost(ex: Executor, values: NewPost): Promise<PostRow | undefined> {
  const [row] = await ex
    .insert(hallPosts)
    .values(values)
    .onConflictDoNothing({ target: [hallPosts.idempotencyScope, hallPosts.idempotencyKey] })
    .returning();
  return row;
}

export async function findByIdempotencyKey(ex: Executor, scope: string, key: string): Promise<PostRow | undefined> {
  const [row] = await ex
    .select()
    .from(hallPosts)
    .where(and(eq(hallPosts.idempotencyScope, scope), eq(hallPosts.idempotencyKey, key)));
  return row;
}

export async function findPost(ex: Executor, id: string, options: { lock?: boolean } = {}): Promise<PostRow | undefined> {
  const q = ex.select().from(hallPosts).where(eq(hallPosts.id, id));
  const [row] = options.lock ? await q.for('update') : await q;
  return row;
}

export async function findPostByNumber(ex: Executor, number: string): Promise<PostRow | undefined> {
  const [row] = await ex.select().from(hallPosts).where(eq(hallPosts.number, number));
  return row;
}

export async function updatePost(ex: Executor, id: string, values: Partial<NewPost>): Promise<PostRow> {
  const [row] = await ex.update(hallPosts).set(values).where(eq(hallPosts.id, id)).returning();
  if (!row) throw new Error(`hall post ${id} vanished`);
  return row;
}

export async function insertEntry(ex: Executor, values: NewEntry | NewEntry[]): Promise<void> {
  await ex.insert(hallEntries).values(Array.isArray(values) ? values : [values]);
}

export async function listEntries(ex: Executor, postId: string, includeStaffOnly: boolean): Promise<EntryRow[]> {
  return ex
    .select()
    .from(hallEntries)
    .where(includeStaffOnly ? eq(hallEntries.postId, postId) : and(eq(hallEntries.postId, postId), eq(hallEntries.public, true)))
    .orderBy(asc(hallEntries.at), asc(hallEntries.id));
}

/** The latest public reply of a department per post (status notes). */
export async function latestReplies(ex: Executor, postIds: string[]): Promise<Map<string, string>> {
  if (!postIds.length) return new Map();
  const rows = await ex
    .selectDistinctOn([hallEntries.postId], { postId: hallEntries.postId, body: hallEntries.body })
    .from(hallEntries)
    .where(and(inArray(hallEntries.postId, postIds), inArray(hallEntries.kind, ['reply', 'result', 'info_request']), eq(hallEntries.public, true)))
    .orderBy(hallEntries.postId, desc(hallEntries.at));
  return new Map(rows.map((r) => [r.postId, r.body ?? '']));
}

export interface PostQuery {
  ids?: string[];
  numbers?: string[];
  departmentCodes?: string[];
  statuses?: PostStatus[];
  excludeStatuses?: PostStatus[];
  from?: Date;
  to?: Date;
  authorId?: string;
  publicOnly?: boolean;
  includeHidden?: boolean;
  answeredOnly?: boolean;
  faqOnly?: boolean;
  limit: number;
  offset?: number;
  /** Oldest deadline first (staff queues) instead of newest first. */
  byDue?: boolean;
}

export async function queryPosts(ex: Executor, q: PostQuery): Promise<PostRow[]> {
  const c: SQL[] = [];
  const ids: SQL[] = [];
  if (q.ids?.length) ids.push(inArray(hallPosts.id, q.ids));
  if (q.numbers?.length) ids.push(inArray(hallPosts.number, q.numbers));
  if (q.ids || q.numbers) c.push(ids.length ? (or(...ids) as SQL) : sql`false`);
  if (q.departmentCodes) c.push(q.departmentCodes.length ? inArray(hallPosts.departmentCode, q.departmentCodes) : sql`false`);
  if (q.statuses) c.push(q.statuses.length ? inArray(hallPosts.status, q.statuses) : sql`false`);
  for (const s of q.excludeStatuses ?? []) c.push(ne(hallPosts.status, s));
  if (q.from) c.push(gte(hallPosts.createdAt, q.from));
  if (q.to) c.push(lte(hallPosts.createdAt, q.to));
  if (q.authorId) c.push(eq(hallPosts.authorId, q.authorId));
  if (q.publicOnly) c.push(eq(hallPosts.visibility, 'public'));
  if (!q.includeHidden) c.push(isNull(hallPosts.hiddenAt));
  if (q.answeredOnly) c.push(inArray(hallPosts.status, ['answered', 'resolved']));
  if (q.faqOnly) c.push(isNotNull(hallPosts.faqAt));
  return ex
    .select()
    .from(hallPosts)
    .where(c.length ? and(...c) : undefined)
    .orderBy(...(q.byDue ? [asc(sql`coalesce(${hallPosts.answerDue}, ${hallPosts.firstReplyDue})`)] : [desc(hallPosts.createdAt)]), desc(hallPosts.id))
    .limit(q.limit)
    .offset(q.offset ?? 0);
}

export interface SimilarRow {
  id: string;
  number: string;
  kind: string;
  status: PostStatus;
  publicTitle: string;
  faqAt: Date | null;
  hits: number;
}

/** Public posts sharing terms with the query: answered ones and FAQs, and open reports. */
export async function similarPosts(ex: Executor, terms: string[], limit: number): Promise<SimilarRow[]> {
  if (!terms.length) return [];
  const array = sql`ARRAY[${sql.join(
    terms.map((t) => sql`${t}`),
    sql`, `,
  )}]::text[]`;
  const hits = sql<number>`(SELECT count(*) FROM unnest(${hallPosts.terms}) AS t(term) WHERE t.term = ANY(${array}))::int`;
  const rows = await ex
    .select({
      id: hallPosts.id,
      number: hallPosts.number,
      kind: hallPosts.kind,
      status: hallPosts.status,
      publicTitle: hallPosts.publicTitle,
      faqAt: hallPosts.faqAt,
      hits: hits.as('hits'),
    })
    .from(hallPosts)
    .where(
      and(
        sql`${hallPosts.terms} && ${array}`,
        eq(hallPosts.visibility, 'public'),
        isNull(hallPosts.hiddenAt),
        or(inArray(hallPosts.status, ['answered', 'resolved']), and(eq(hallPosts.kind, 'report'), ne(hallPosts.status, 'resolved'))),
      ),
    )
    .orderBy(desc(sql`hits`), desc(hallPosts.createdAt))
    .limit(limit);
  return rows.map((r) => ({ ...r, hits: Number(r.hits) }));
}

export interface FigureRow {
  departmentCode: string;
  posts: number;
  medianFirstReplySeconds: number | null;
  answeredWithinPromise: number;
  due: number;
  reopened: number;
}

/** Per department: posts, median time to the department's first reply, answers within the promise, reopenings. */
export async function departmentFigures(ex: Executor, now: Date, departmentCode?: string): Promise<FigureRow[]> {
  const result = await ex.execute(sql`
    SELECT department_code AS "departmentCode",
      count(*)::int AS posts,
      percentile_cont(0.5) WITHIN GROUP (ORDER BY extract(epoch FROM dept_first_reply_at - routed_at)) AS "medianFirstReplySeconds",
      count(*) FILTER (WHERE answered_at IS NOT NULL AND answered_at <= answer_due)::int AS "answeredWithinPromise",
      count(*) FILTER (WHERE answered_at IS NOT NULL OR answer_due < ${now.toISOString()}::timestamptz)::int AS due,
      coalesce(sum(reopen_count), 0)::int AS reopened
    FROM hall_posts
    WHERE department_code IS NOT NULL AND hidden_at IS NULL AND routed_at IS NOT NULL
      ${departmentCode ? sql`AND department_code = ${departmentCode}` : sql``}
    GROUP BY department_code`);
  return rowsOf<FigureRow>(result).map((r) => ({
    departmentCode: r.departmentCode,
    posts: Number(r.posts),
    medianFirstReplySeconds: r.medianFirstReplySeconds === null ? null : Number(r.medianFirstReplySeconds),
    answeredWithinPromise: Number(r.answeredWithinPromise),
    due: Number(r.due),
    reopened: Number(r.reopened),
  }));
}

export async function countByStatus(ex: Executor, departmentCodes: string[] | null): Promise<Record<string, number>> {
  const rows = await ex
    .select({ status: hallPosts.status, n: sql<number>`count(*)::int` })
    .from(hallPosts)
    .where(and(isNull(hallPosts.hiddenAt), departmentCodes ? inArray(hallPosts.departmentCode, departmentCodes) : undefined))
    .groupBy(hallPosts.status);
  return Object.fromEntries(rows.map((r) => [r.status, Number(r.n)]));
}

// --- accounts --------------------------------------------------------------------------------------

export async function insertAnnouncement(ex: Executor, values: typeof hallAnnouncements.$inferInsert): Promise<AnnouncementRow> {
  const [row] = await ex.insert(hallAnnouncements).values(values).returning();
  if (!row) throw new Error('announcement insert returned nothing');
  return row;
}

export async function listAnnouncements(ex: Executor, departmentCodes: string[] | null, limit: number): Promise<AnnouncementRow[]> {
  return ex
    .select()
    .from(hallAnnouncements)
    .where(departmentCodes ? (departmentCodes.length ? inArray(hallAnnouncements.departmentCode, departmentCodes) : sql`false`) : undefined)
    .orderBy(desc(hallAnnouncements.createdAt))
    .limit(limit);
}

export async function follow(ex: Executor, userId: string, departmentCode: string, at: Date): Promise<void> {
  await ex.insert(hallFollows).values({ userId, departmentCode, createdAt: at }).onConflictDoNothing();
}

export async function unfollow(ex: Executor, userId: string, departmentCode: string): Promise<void> {
  await ex.delete(hallFollows).where(and(eq(hallFollows.userId, userId), eq(hallFollows.departmentCode, departmentCode)));
}

export async function listFollowed(ex: Executor, userId: string): Promise<string[]> {
  const rows = await ex.select({ code: hallFollows.departmentCode }).from(hallFollows).where(eq(hallFollows.userId, userId));
  return rows.map((r) => r.code);
}

export async function countFollowers(ex: Executor, departmentCode: string): Promise<number> {
  const [row] = await ex
    .select({ n: sql<number>`count(*)::int` })
    .from(hallFollows)
    .where(eq(hallFollows.departmentCode, departmentCode));
  return Number(row?.n ?? 0);
}

export async function listTemplates(ex: Executor, departmentCode: string): Promise<TemplateRow[]> {
  return ex.select().from(hallTemplates).where(eq(hallTemplates.departmentCode, departmentCode)).orderBy(asc(hallTemplates.title));
}

export async function insertTemplate(ex: Executor, values: typeof hallTemplates.$inferInsert): Promise<void> {
  await ex.insert(hallTemplates).values(values);
}

export async function deleteTemplate(ex: Executor, id: string, departmentCode: string): Promise<boolean> {
  const rows = await ex
    .delete(hallTemplates)
    .where(and(eq(hallTemplates.id, id), eq(hallTemplates.departmentCode, departmentCode)))
    .returning({ id: hallTemplates.id });
  return rows.length > 0;
}

export async function listBlockedWords(ex: Executor): Promise<string[]> {
  const rows = await ex.select({ word: hallBlockedWords.word }).from(hallBlockedWords).orderBy(asc(hallBlockedWords.word));
  return rows.map((r) => r.word);
}

export async function addBlockedWord(ex: Executor, word: string, at: Date): Promise<void> {
  await ex.insert(hallBlockedWords).values({ word, createdAt: at }).onConflictDoNothing();
}

export async function removeBlockedWord(ex: Executor, word: string): Promise<void> {
  await ex.delete(hallBlockedWords).where(eq(hallBlockedWords.word, word));
}

/** Answered, visible posts with the department that answered them (for training the router). */
export async function answeredForTraining(ex: Executor, limit: number): Promise<{ title: string; body: string; departmentCode: string }[]> {
  const rows = await ex
    .select({ title: hallPosts.title, body: hallPosts.body, departmentCode: hallPosts.departmentCode })
    .from(hallPosts)
    .where(and(inArray(hallPosts.status, ['answered', 'resolved']), isNull(hallPosts.hiddenAt), isNotNull(hallPosts.departmentCode)))
    .orderBy(desc(hallPosts.createdAt))
    .limit(limit);
  return rows.map((r) => ({ title: r.title, body: r.body, departmentCode: r.departmentCode! }));
}

// --- department promises ---------------------------------------------------------------------------

export type PromiseRow = typeof hallPromises.$inferSelect;

export async function listPromises(ex: Executor, departmentCode: string): Promise<PromiseRow[]> {
  return ex.select().from(hallPromises).where(eq(hallPromises.departmentCode, departmentCode));
}

export async function upsertPromise(ex: Executor, values: typeof hallPromises.$inferInsert): Promise<void> {
  await ex
    .insert(hallPromises)
    .values(values)
    .onConflictDoUpdate({
      target: [hallPromises.departmentCode, hallPromises.kind],
      set: { value: values.value, unit: values.unit, updatedBy: values.updatedBy ?? null, updatedAt: values.updatedAt },
    });
}
