import { and, asc, desc, eq, inArray, sql, type SQL } from 'drizzle-orm';
import { rowsOf } from '../../platform/audit/audit.js';
import type { Executor } from '../../platform/db/db.js';
import { prepared } from '../../platform/db/prepared.js';
import { departments, itemVersions, items, lifeEvents } from './catalog.schema.js';
import type { DepartmentSeed } from './catalog.seed-departments.js';
import type { LifeEventSeed } from './catalog.seed-life-events.js';
import type { ItemContent } from './catalog.types.js';

/** The only place with catalogue SQL. Every query runs the same on PGlite and PostgreSQL. */

export type DepartmentRow = typeof departments.$inferSelect;
export type LifeEventRow = typeof lifeEvents.$inferSelect;

export interface ItemVersionRow {
  itemId: string;
  code: string;
  departmentCode: string;
  currentVersion: number;
  status: 'published' | 'withdrawn';
  popularity: number;
  version: number;
  content: ItemContent;
  versionCreatedAt: Date;
  updatedAt: Date;
}

const itemVersionColumns = {
  itemId: items.id,
  code: items.code,
  departmentCode: items.departmentCode,
  currentVersion: items.currentVersion,
  status: items.status,
  popularity: items.popularity,
  version: itemVersions.version,
  content: itemVersions.content,
  versionCreatedAt: itemVersions.createdAt,
  updatedAt: items.updatedAt,
};

export async function upsertDepartments(db: Executor, rows: DepartmentSeed[]): Promise<void> {
  if (rows.length === 0) return;
  await db
    .insert(departments)
    .values(rows.map((d, i) => ({ ...d, sort: i })))
    .onConflictDoUpdate({
      target: departments.code,
      set: {
        parentCode: sql`excluded.parent_code`,
        level: sql`excluded.level`,
        nameZh: sql`excluded.name_zh`,
        nameEn: sql`excluded.name_en`,
        sort: sql`excluded.sort`,
      },
    });
}

export async function upsertLifeEvents(db: Executor, rows: LifeEventSeed[]): Promise<void> {
  if (rows.length === 0) return;
  await db
    .insert(lifeEvents)
    .values(rows.map((e, i) => ({ ...e, sort: i })))
    .onConflictDoUpdate({ target: lifeEvents.code, set: { nameZh: sql`excluded.name_zh`, nameEn: sql`excluded.name_en`, sort: sql`excluded.sort` } });
}

export async function listDepartments(db: Executor): Promise<DepartmentRow[]> {
  return db.select().from(departments).orderBy(asc(departments.sort), asc(departments.code));
}

export async function listLifeEvents(db: Executor): Promise<LifeEventRow[]> {
  return db.select().from(lifeEvents).orderBy(asc(lifeEvents.sort), asc(lifeEvents.code));
}

export async function countRows(db: Executor): Promise<{ departments: number; lifeEvents: number; items: number; versions: number }> {
  const [row] = await db
    .execute<{ departments: number; life_events: number; items: number; versions: number }>(
      sql`
    SELECT (SELECT count(*) FROM catalog_departments)::int AS departments,
           (SELECT count(*) FROM catalog_life_events)::int AS life_events,
           (SELECT count(*) FROM catalog_items)::int AS items,
           (SELECT count(*) FROM catalog_item_versions)::int AS versions`,
    )
    .then(rowsOf<{ departments: number; life_events: number; items: number; versions: number }>);
  return {
    departments: Number(row?.departments ?? 0),
    lifeEvents: Number(row?.life_events ?? 0),
    items: Number(row?.items ?? 0),
    versions: Number(row?.versions ?? 0),
  };
}

/** Creates the item with its first version, or does nothing when the code is taken. Returns whether it was created. */
export async function insertItemWithFirstVersion(
  tx: Executor,
  input: { code: string; departmentCode: string; popularity: number; content: ItemContent; searchText: string; createdBy: string | null },
): Promise<string | null> {
  const [created] = await tx
    .insert(items)
    .values({ code: input.code, departmentCode: input.departmentCode, popularity: input.popularity, currentVersion: 1 })
    .onConflictDoNothing({ target: items.code })
    .returning({ id: items.id });
  if (!created) return null;
  await tx.insert(itemVersions).values({ itemId: created.id, version: 1, content: input.content, searchText: input.searchText, createdBy: input.createdBy });
  return created.id;
}

/** Locks the item row for an edit, so two concurrent saves cannot both write version N+1. */
export async function lockItem(tx: Executor, code: string): Promise<{ id: string; departmentCode: string; currentVersion: number } | undefined> {
  const [row] = await tx
    .select({ id: items.id, departmentCode: items.departmentCode, currentVersion: items.currentVersion })
    .from(items)
    .where(eq(items.code, code))
    .for('update');
  return row;
}

export async function appendVersion(
  tx: Executor,
  input: { itemId: string; version: number; departmentCode: string; content: ItemContent; searchText: string; createdBy: string | null; at: Date },
): Promise<void> {
  await tx.insert(itemVersions).values({
    itemId: input.itemId,
    version: input.version,
    content: input.content,
    searchText: input.searchText,
    createdBy: input.createdBy,
    createdAt: input.at,
  });
  await tx.update(items).set({ currentVersion: input.version, departmentCode: input.departmentCode, updatedAt: input.at }).where(eq(items.id, input.itemId));
}

/** The current version of a published item. */
export async function findCurrentItem(db: Executor, code: string): Promise<ItemVersionRow | undefined> {
  const [row] = await prepared(db, 'catalog_current_item', (e) =>
    e
      .select(itemVersionColumns)
      .from(items)
      .innerJoin(itemVersions, and(eq(itemVersions.itemId, items.id), eq(itemVersions.version, items.currentVersion)))
      .where(eq(items.code, sql.placeholder('code')))
      .limit(1),
  ).execute({ code });
  return row;
}

/** One version of an item, current or not (applications keep the version they were made under). */
export async function findItemVersion(db: Executor, code: string, version: number): Promise<ItemVersionRow | undefined> {
  const [row] = await db
    .select(itemVersionColumns)
    .from(items)
    .innerJoin(itemVersions, eq(itemVersions.itemId, items.id))
    .where(and(eq(items.code, code), eq(itemVersions.version, version)))
    .limit(1);
  return row;
}

export interface ItemQuery {
  departmentCodes?: string[] | undefined;
  lifeEvent?: string | undefined;
  /** Lower-cased search terms; every term must match. */
  terms?: string[] | undefined;
  includeWithdrawn?: boolean;
  limit: number;
}

/** Escapes LIKE wildcards so a user's % or _ matches itself. */
export function likePattern(term: string): string {
  return `%${term.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
}

/**
 * Current versions matching the filters. Search is substring matching over the lower-cased search text
 * (there is no Chinese tokeniser in PostgreSQL here); ranking: name matches first, then keywords, then
 * the rest, then popularity.
 */
export async function queryCurrentItems(db: Executor, q: ItemQuery): Promise<(ItemVersionRow & { score: number })[]> {
  const conditions: SQL[] = [];
  if (!q.includeWithdrawn) conditions.push(eq(items.status, 'published'));
  if (q.departmentCodes) conditions.push(q.departmentCodes.length ? inArray(items.departmentCode, q.departmentCodes) : sql`false`);
  if (q.lifeEvent !== undefined) conditions.push(sql`${itemVersions.content} -> 'lifeEvents' @> jsonb_build_array(${q.lifeEvent}::text)`);
  const terms = q.terms ?? [];
  const scores: SQL[] = [];
  for (const term of terms) {
    const p = likePattern(term);
    conditions.push(sql`${itemVersions.searchText} LIKE ${p} ESCAPE '\\'`);
    scores.push(sql`(CASE
      WHEN lower(${itemVersions.content} ->> 'nameZh') LIKE ${p} ESCAPE '\\' OR lower(${itemVersions.content} ->> 'nameEn') LIKE ${p} ESCAPE '\\' THEN 100
      WHEN lower(${itemVersions.content} ->> 'keywords') LIKE ${p} ESCAPE '\\' THEN 10
      ELSE 1 END)`);
  }
  const score = scores.length ? sql<number>`(${sql.join(scores, sql` + `)})::int` : sql<number>`0`;
  const rows = await db
    .select({ ...itemVersionColumns, score: score.as('score') })
    .from(items)
    .innerJoin(itemVersions, and(eq(itemVersions.itemId, items.id), eq(itemVersions.version, items.currentVersion)))
    .where(conditions.length ? and(...conditions) : undefined)
    .orderBy(desc(sql`score`), desc(items.popularity), asc(items.code))
    .limit(q.limit);
  return rows.map((r) => ({ ...r, score: Number(r.score) }));
}
