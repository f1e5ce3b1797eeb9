import type { Actor } from '../../platform/auth/actor.js';
import { actorFields, recordAudit } from '../../platform/audit/audit.js';
import type { Db, Executor } from '../../platform/db/db.js';
import { ConflictError, ForbiddenError, NotFoundError, ValidationError } from '../../platform/http/errors.js';
import { createTtlCache, invalidatePublicCaches, publicCacheGeneration } from '../../platform/http/page-cache.js';
import { can } from './catalog.policy.js';
import * as repo from './catalog.repository.js';
import type { DepartmentRow, ItemVersionRow, LifeEventRow } from './catalog.repository.js';
import { departmentSeed } from './catalog.seed-departments.js';
import { itemSeed } from './catalog.seed-items.js';
import { lifeEventSeed } from './catalog.seed-life-events.js';
import type { ItemContent } from './catalog.types.js';
import { maxQueryChars, searchTerms, searchTextOf, validateItemInput, type ItemInput, type ItemValidation } from './catalog.validation.js';

/** One version of a service item as other modules see it. */
export interface CatalogItem {
  code: string;
  departmentCode: string;
  status: 'published' | 'withdrawn';
  /** The version this object describes. */
  version: number;
  /** The item's current version (higher when it was edited since). */
  currentVersion: number;
  content: ItemContent;
  versionCreatedAt: Date;
}

const toItem = (row: ItemVersionRow): CatalogItem => ({
  code: row.code,
  departmentCode: row.departmentCode,
  status: row.status,
  version: row.version,
  currentVersion: row.currentVersion,
  content: row.content,
  versionCreatedAt: row.versionCreatedAt,
});

/** Writes departments, life events and the demo items; running it twice changes nothing. */
export async function seedCatalog(db: Db): Promise<void> {
  await db.transaction(async (tx) => {
    await repo.upsertDepartments(tx, departmentSeed);
    await repo.upsertLifeEvents(tx, lifeEventSeed);
    const byCode = new Map(departmentSeed.map((d) => [d.code, d]));
    for (const seed of itemSeed) {
      await repo.insertItemWithFirstVersion(tx, {
        code: seed.code,
        departmentCode: seed.departmentCode,
        popularity: seed.popularity,
        content: seed.content,
        searchText: searchTextOf(seed.code, seed.content, byCode.get(seed.departmentCode)),
        createdBy: null,
      });
    }
  });
  referenceCache.delete(db);
  invalidatePublicCaches();
}

export const countCatalog = (db: Executor) => repo.countRows(db);

/**
 * Departments and life events change only when the seed runs, yet every public page shows them: a short
 * per-process cache saves two queries per request. Another instance's seed shows here within the TTL.
 */
const referenceTtlMs = 30_000;
const referenceCache = new WeakMap<object, { at: number; departments: Promise<DepartmentRow[]>; lifeEvents: Promise<LifeEventRow[]> }>();

function reference(db: Executor) {
  const hit = referenceCache.get(db);
  if (hit && Date.now() - hit.at < referenceTtlMs) return hit;
  const entry = { at: Date.now(), departments: repo.listDepartments(db), lifeEvents: repo.listLifeEvents(db) };
  // A failed read is not cached.
  entry.departments.catch(() => referenceCache.delete(db));
  entry.lifeEvents.catch(() => referenceCache.delete(db));
  referenceCache.set(db, entry);
  return entry;
}

export const listDepartments = (db: Executor): Promise<DepartmentRow[]> => reference(db).departments;
export const listLifeEvents = (db: Executor): Promise<LifeEventRow[]> => reference(db).lifeEvents;

/** The current version of an item, or null. */
export async function getCurrentItem(db: Executor, code: string): Promise<CatalogItem | null> {
  const row = await repo.findCurrentItem(db, code);
  return row ? toItem(row) : null;
}

const currentItemCaches = new WeakMap<object, Map<number, (code: string) => Promise<CatalogItem | null>>>();

/**
 * getCurrentItem through a per-process cache of `ttlSeconds` (0: no cache), for reading pages, the API and
 * submissions; one cache per database handle and TTL, shared by its callers. Unknown codes are cached too (as
 * absent), in a bounded LRU. saveItem and the seed clear it; another instance's edit shows within the TTL.
 */
export function cachedCurrentItem(db: Executor, ttlSeconds: number): (code: string) => Promise<CatalogItem | null> {
  let byTtl = currentItemCaches.get(db);
  if (!byTtl) currentItemCaches.set(db, (byTtl = new Map()));
  let read = byTtl.get(ttlSeconds);
  if (!read) byTtl.set(ttlSeconds, (read = currentItemReader(db, ttlSeconds)));
  return read;
}

function currentItemReader(db: Executor, ttlSeconds: number): (code: string) => Promise<CatalogItem | null> {
  const cache = createTtlCache<{ item: CatalogItem | null }>({ ttlSeconds, max: 1000 });
  return async (code) => {
    const hit = cache.get(code);
    if (hit) return hit.item;
    const readAt = publicCacheGeneration();
    const item = await getCurrentItem(db, code);
    cache.set(code, { item }, readAt);
    return item;
  };
}

/** A given version of an item, or null: an application keeps the version it was made under. */
export async function getItemVersion(db: Executor, code: string, version: number): Promise<CatalogItem | null> {
  if (!Number.isInteger(version) || version < 1) return null;
  const row = await repo.findItemVersion(db, code, version);
  return row ? toItem(row) : null;
}

/** A department and everything under it (browsing 税务局 shows the district tax offices' items too). */
export function descendantsOf(all: DepartmentRow[], code: string): string[] {
  const result = [code];
  for (let i = 0; i < result.length; i++) for (const d of all) if (d.parentCode === result[i] && !result.includes(d.code)) result.push(d.code);
  return result;
}

export interface FindServices {
  q?: string | undefined;
  department?: string | undefined;
  event?: string | undefined;
  limit?: number;
}

export interface FoundServices {
  items: CatalogItem[];
  terms: string[];
  /** The query was longer than we search on and was shortened. */
  truncated: boolean;
  department: DepartmentRow | null;
  event: LifeEventRow | null;
  departments: DepartmentRow[];
  lifeEvents: LifeEventRow[];
}

/** Browse and search: by department (with its sub-departments), by life event, and by free text. */
export async function findServices(db: Executor, params: FindServices): Promise<FoundServices> {
  const [departments, lifeEvents] = await Promise.all([listDepartments(db), listLifeEvents(db)]);
  const department = params.department ? (departments.find((d) => d.code === params.department) ?? null) : null;
  const event = params.event ? (lifeEvents.find((e) => e.code === params.event) ?? null) : null;
  const q = params.q ?? '';
  const terms = searchTerms(q);
  const rows = await repo.queryCurrentItems(db, {
    // An unknown department or event matches nothing rather than everything.
    departmentCodes: params.department ? (department ? descendantsOf(departments, department.code) : []) : undefined,
    lifeEvent: params.event ? (event?.code ?? '') : undefined,
    terms,
    limit: params.limit ?? 100,
  });
  return { items: rows.map(toItem), terms, truncated: q.length > maxQueryChars, department, event, departments, lifeEvents };
}

/** A validation failure with the structural problems of the JSON definitions attached. */
export class ItemValidationError extends ValidationError {
  constructor(readonly validation: ItemValidation) {
    super(validation.errors);
    Object.assign(this.extra, { problems: validation.problems });
  }
}

export interface SaveItem {
  actor: Actor;
  /** The item being edited; undefined when creating. */
  code?: string | undefined;
  input: ItemInput;
  /** The version the editor started from; a save on top of a newer version is a conflict. */
  baseVersion?: number | undefined;
  ip?: string | undefined;
  now: Date;
}

async function refuse(db: Db, actor: Actor, action: string, code: string, ip: string | undefined, detail: Record<string, unknown>): Promise<never> {
  await recordAudit(db, { ...actorFields(actor), action, resourceType: 'catalog_item', resourceId: code, outcome: 'denied', detail, ip: ip ?? null });
  throw new ForbiddenError('You may only manage the items of your own department');
}

/**
 * Creates an item or writes a new immutable version of it. Checks the policy (refusals are audited),
 * validates, and writes the version, the item and the audit record in one transaction.
 */
export async function saveItem(db: Db, s: SaveItem): Promise<{ code: string; version: number }> {
  const isNew = s.code === undefined;
  const auditAction = isNew ? 'catalog.item.create' : 'catalog.item.edit';
  const existing = isNew ? undefined : await repo.findCurrentItem(db, s.code!);
  if (!isNew && !existing) throw new NotFoundError('No such service item');
  const resourceCode = s.code ?? s.input.code ?? '';
  if (existing && !can(s.actor, 'item.edit', existing.departmentCode))
    await refuse(db, s.actor, auditAction, resourceCode, s.ip, { itemDepartment: existing.departmentCode, actorDepartment: s.actor.departmentCode });
  if (!can(s.actor, isNew ? 'item.create' : 'item.edit', s.input.departmentCode))
    await refuse(db, s.actor, auditAction, resourceCode, s.ip, { targetDepartment: s.input.departmentCode, actorDepartment: s.actor.departmentCode });

  const [departments, lifeEvents] = await Promise.all([repo.listDepartments(db), repo.listLifeEvents(db)]);
  const checked = validateItemInput(s.input, {
    departments: new Set(departments.map((d) => d.code)),
    lifeEvents: new Set(lifeEvents.map((e) => e.code)),
    isNew,
  });
  if (!checked.ok) throw new ItemValidationError({ errors: checked.errors, problems: checked.problems });
  const department = departments.find((d) => d.code === checked.departmentCode);

  const saved = await db.transaction(async (tx) => {
    if (isNew) {
      const code = checked.code;
      const id = await repo.insertItemWithFirstVersion(tx, {
        code,
        departmentCode: checked.departmentCode,
        popularity: 0,
        content: checked.content,
        searchText: searchTextOf(code, checked.content, department),
        createdBy: s.actor.userId,
      });
      if (!id) throw new ItemValidationError({ errors: { code: 'catalog.error.codeTaken' }, problems: {} });
      await recordAudit(tx, {
        ...actorFields(s.actor),
        action: auditAction,
        resourceType: 'catalog_item',
        resourceId: code,
        outcome: 'ok',
        detail: { version: 1, departmentCode: checked.departmentCode },
        ip: s.ip ?? null,
      });
      return { code, version: 1 };
    }
    const code = s.code!;
    const locked = await repo.lockItem(tx, code);
    if (!locked) throw new NotFoundError('No such service item');
    // Re-check under the lock: the department may have changed since we looked.
    if (!can(s.actor, 'item.edit', locked.departmentCode)) throw new ForbiddenError();
    if (s.baseVersion !== undefined && s.baseVersion !== locked.currentVersion)
      throw new ConflictError('The item was changed by someone else; reload it and make your change again', { currentVersion: locked.currentVersion });
    const version = locked.currentVersion + 1;
    await repo.appendVersion(tx, {
      itemId: locked.id,
      version,
      departmentCode: checked.departmentCode,
      content: checked.content,
      searchText: searchTextOf(code, checked.content, department),
      createdBy: s.actor.userId,
      at: s.now,
    });
    await recordAudit(tx, {
      ...actorFields(s.actor),
      action: auditAction,
      resourceType: 'catalog_item',
      resourceId: code,
      outcome: 'ok',
      detail: { version, previousVersion: locked.currentVersion, departmentCode: checked.departmentCode },
      ip: s.ip ?? null,
    });
    return { code, version };
  });
  // After the commit: public pages and item views cached in this process show the edit from now on
  // (a page read before the commit is refused by the generation check, never stored).
  invalidatePublicCaches();
  return saved;
}

/** Items an admin manages: their department's (and its sub-departments'), or all for a platform admin. */
export async function itemsManagedBy(db: Executor, actor: Actor): Promise<{ items: CatalogItem[]; departments: DepartmentRow[] }> {
  const departments = await repo.listDepartments(db);
  if (!can(actor, 'items.manage')) return { items: [], departments };
  const codes = actor.roles.includes('platform_admin') ? undefined : actor.departmentCode ? [actor.departmentCode] : [];
  const rows = await repo.queryCurrentItems(db, { departmentCodes: codes, includeWithdrawn: true, limit: 1000 });
  return { items: rows.map(toItem).sort((a, b) => a.departmentCode.localeCompare(b.departmentCode) || a.code.localeCompare(b.code)), departments };
}
