import { sql } from 'drizzle-orm';
import { jsonb, pgTable, text, timestamp, uniqueIndex, uuid } from 'drizzle-orm/pg-core';

const ts = (name: string) => timestamp(name, { withTimezone: true, mode: 'date' });

/** An Open311 API client (an app or a partner's system) holding an api_key; only the key's hash is kept. */
export const hallOpen311Clients = pgTable('hall_open311_clients', {
  id: uuid('id')
    .primaryKey()
    .default(sql`gen_random_uuid()`),
  name: text('name').notNull(),
  contactEmail: text('contact_email'),
  /** SHA-256 of the api_key (hex); the key itself is shown once, when issued. */
  keyHash: text('key_hash').notNull().unique(),
  /** The key's first characters, so staff can tell keys apart. */
  keyPrefix: text('key_prefix').notNull(),
  createdBy: uuid('created_by'),
  createdAt: ts('created_at').notNull(),
  revokedAt: ts('revoked_at'),
});

/** A service request filed through Open311: the hall post it became and the token the client got. */
export const hallOpen311Requests = pgTable(
  'hall_open311_requests',
  {
    token: text('token').primaryKey(),
    postId: uuid('post_id').notNull(),
    postNumber: text('post_number').notNull(),
    clientId: uuid('client_id')
      .notNull()
      .references(() => hallOpen311Clients.id),
    serviceCode: text('service_code').notNull(),
    attributes: jsonb('attributes').$type<Record<string, string | string[]>>().notNull(),
    createdAt: ts('created_at').notNull(),
  },
  (t) => [uniqueIndex('hall_open311_requests_post_idx').on(t.postId)],
);

export type Open311ClientRow = typeof hallOpen311Clients.$inferSelect;
export type Open311RequestRow = typeof hallOpen311Requests.$inferSelect;
