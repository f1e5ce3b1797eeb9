import { sql } from 'drizzle-orm';
import { integer, jsonb, pgTable, primaryKey, text, timestamp, uniqueIndex, uuid } from 'drizzle-orm/pg-core';
import type { ItemContent } from './catalog.types.js';

/** Departments, city → district or county → town. */
export const departments = pgTable(
  'catalog_departments',
  {
    id: uuid('id')
      .primaryKey()
      .default(sql`gen_random_uuid()`),
    code: text('code').notNull(),
    parentCode: text('parent_code'),
    level: text('level').$type<'city' | 'district' | 'county' | 'town'>().notNull(),
    nameZh: text('name_zh').notNull(),
    nameEn: text('name_en').notNull(),
    sort: integer('sort').notNull().default(0),
  },
  (t) => [uniqueIndex('catalog_departments_code_key').on(t.code)],
);

export const lifeEvents = pgTable('catalog_life_events', {
  code: text('code').primaryKey(),
  nameZh: text('name_zh').notNull(),
  nameEn: text('name_en').notNull(),
  sort: integer('sort').notNull().default(0),
});

/** A service item (事项); its content lives in immutable versions. */
export const items = pgTable(
  'catalog_items',
  {
    id: uuid('id')
      .primaryKey()
      .default(sql`gen_random_uuid()`),
    code: text('code').notNull(),
    departmentCode: text('department_code').notNull(),
    currentVersion: integer('current_version').notNull().default(1),
    status: text('status').$type<'published' | 'withdrawn'>().notNull().default('published'),
    popularity: integer('popularity').notNull().default(0),
    createdAt: timestamp('created_at', { withTimezone: true, mode: 'date' }).notNull().defaultNow(),
    updatedAt: timestamp('updated_at', { withTimezone: true, mode: 'date' }).notNull().defaultNow(),
  },
  (t) => [uniqueIndex('catalog_items_code_key').on(t.code)],
);

/** Each edit of an item writes a new version; an application keeps the version it was made under. */
export const itemVersions = pgTable(
  'catalog_item_versions',
  {
    itemId: uuid('item_id')
      .notNull()
      .references(() => items.id, { onDelete: 'cascade' }),
    version: integer('version').notNull(),
    content: jsonb('content').$type<ItemContent>().notNull(),
    /** Lower-cased names, keywords and description in both languages, for search. */
    searchText: text('search_text').notNull(),
    createdBy: uuid('created_by'),
    createdAt: timestamp('created_at', { withTimezone: true, mode: 'date' }).notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.itemId, t.version] })],
);
