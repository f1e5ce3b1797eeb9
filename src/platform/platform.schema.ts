import { sql } from 'drizzle-orm';
import { bigserial, boolean, index, integer, jsonb, pgTable, primaryKey, smallint, text, timestamp, uuid } from 'drizzle-orm/pg-core';

/** Append-only audit trail; each record's hash covers the previous record's hash. */
export const auditLog = pgTable(
  'platform_audit_log',
  {
    seq: bigserial('seq', { mode: 'number' }).primaryKey(),
    at: timestamp('at', { withTimezone: true, mode: 'date' }).notNull().defaultNow(),
    actorType: text('actor_type').notNull(),
    actorId: text('actor_id'),
    action: text('action').notNull(),
    resourceType: text('resource_type'),
    resourceId: text('resource_id'),
    outcome: text('outcome').notNull(),
    detail: jsonb('detail').$type<Record<string, unknown>>().notNull().default({}),
    ip: text('ip'),
    /** Which of the parallel hash chains the record links into (one per transaction, see audit.ts). */
    chain: smallint('chain').notNull().default(0),
    prevHash: text('prev_hash').notNull(),
    hash: text('hash').notNull(),
  },
  (t) => [
    index('platform_audit_log_resource_idx').on(t.resourceType, t.resourceId),
    index('platform_audit_log_actor_idx').on(t.actorId),
    index('platform_audit_log_chain_idx').on(t.chain, t.seq),
  ],
);

/** Domain events written in the business transaction and dispatched by jobs (transactional outbox). */
export const outboxEvents = pgTable(
  'platform_outbox_events',
  {
    id: uuid('id')
      .primaryKey()
      .default(sql`gen_random_uuid()`),
    type: text('type').notNull(),
    payload: jsonb('payload').$type<Record<string, unknown>>().notNull(),
    createdAt: timestamp('created_at', { withTimezone: true, mode: 'date' }).notNull().defaultNow(),
    dispatchedAt: timestamp('dispatched_at', { withTimezone: true, mode: 'date' }),
    attempts: integer('attempts').notNull().default(0),
    lastError: text('last_error'),
  },
  (t) => [
    index('platform_outbox_pending_idx')
      .on(t.createdAt)
      .where(sql`dispatched_at IS NULL`),
  ],
);

/**
 * Which handler has applied which outbox event. Written in the same transaction as the handler's own
 * writes, so an event is applied once per handler even if the process dies mid-way.
 */
export const outboxHandled = pgTable(
  'platform_outbox_handled',
  {
    eventId: uuid('event_id')
      .notNull()
      .references(() => outboxEvents.id, { onDelete: 'cascade' }),
    handler: text('handler').notNull(),
    handledAt: timestamp('handled_at', { withTimezone: true, mode: 'date' }).notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.eventId, t.handler] })],
);

/** Every notice sent on any channel: the in-app inbox is the rows with channel 'inbox'. */
export const notifications = pgTable(
  'platform_notifications',
  {
    id: uuid('id')
      .primaryKey()
      .default(sql`gen_random_uuid()`),
    userId: uuid('user_id'),
    channel: text('channel').notNull(),
    recipient: text('recipient').notNull(),
    template: text('template').notNull(),
    locale: text('locale').notNull(),
    params: jsonb('params').$type<Record<string, string | number>>().notNull().default({}),
    subject: text('subject'),
    body: text('body').notNull(),
    status: text('status').notNull().default('queued'),
    attempts: integer('attempts').notNull().default(0),
    providerRef: text('provider_ref'),
    lastError: text('last_error'),
    createdAt: timestamp('created_at', { withTimezone: true, mode: 'date' }).notNull().defaultNow(),
    sentAt: timestamp('sent_at', { withTimezone: true, mode: 'date' }),
    deliveredAt: timestamp('delivered_at', { withTimezone: true, mode: 'date' }),
    readAt: timestamp('read_at', { withTimezone: true, mode: 'date' }),
  },
  (t) => [index('platform_notifications_user_idx').on(t.userId, t.channel, t.createdAt)],
);

/** Uploaded files; the bytes live under DATA_DIR/files, named by id. */
export const files = pgTable('platform_files', {
  id: uuid('id')
    .primaryKey()
    .default(sql`gen_random_uuid()`),
  ownerUserId: uuid('owner_user_id'),
  ownerEnterpriseId: uuid('owner_enterprise_id'),
  purpose: text('purpose').notNull(),
  originalName: text('original_name').notNull(),
  mediaType: text('media_type').notNull(),
  size: integer('size').notNull(),
  sha256: text('sha256').notNull(),
  createdAt: timestamp('created_at', { withTimezone: true, mode: 'date' }).notNull().defaultNow(),
  deletedAt: timestamp('deleted_at', { withTimezone: true, mode: 'date' }),
  isPublic: boolean('is_public').notNull().default(false),
});
