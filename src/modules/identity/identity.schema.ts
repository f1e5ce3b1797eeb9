import { sql } from 'drizzle-orm';
import { boolean, index, integer, pgTable, primaryKey, text, timestamp, uniqueIndex, uuid } from 'drizzle-orm/pg-core';

/** A person: a citizen (signs in by mobile number) or a member of staff (signs in by login). */
export const users = pgTable(
  'identity_users',
  {
    id: uuid('id')
      .primaryKey()
      .default(sql`gen_random_uuid()`),
    kind: text('kind').$type<'citizen' | 'staff'>().notNull(),
    phone: text('phone'),
    login: text('login'),
    realName: text('real_name').notNull(),
    idNumber: text('id_number'),
    email: text('email'),
    passwordHash: text('password_hash').notNull(),
    locale: text('locale').notNull().default('zh-CN'),
    /** Staff only: the department they belong to (catalog department code). */
    departmentCode: text('department_code'),
    totpSecret: text('totp_secret'),
    totpEnabled: boolean('totp_enabled').notNull().default(false),
    /** The last TOTP time step accepted, so a code cannot be replayed within its window (RFC 6238 §5.2). */
    totpLastStep: integer('totp_last_step'),
    createdAt: timestamp('created_at', { withTimezone: true, mode: 'date' }).notNull().defaultNow(),
    disabledAt: timestamp('disabled_at', { withTimezone: true, mode: 'date' }),
  },
  (t) => [
    uniqueIndex('identity_users_phone_key').on(t.phone),
    uniqueIndex('identity_users_login_key').on(t.login),
    uniqueIndex('identity_users_id_number_key').on(t.idNumber),
  ],
);

/** Staff roles: clerk, reviewer, approver, dept_admin, platform_admin. */
export const staffRoles = pgTable(
  'identity_staff_roles',
  {
    userId: uuid('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    role: text('role').notNull(),
  },
  (t) => [primaryKey({ columns: [t.userId, t.role] })],
);

export const enterprises = pgTable(
  'identity_enterprises',
  {
    id: uuid('id')
      .primaryKey()
      .default(sql`gen_random_uuid()`),
    uscc: text('uscc').notNull(),
    name: text('name').notNull(),
    createdAt: timestamp('created_at', { withTimezone: true, mode: 'date' }).notNull().defaultNow(),
  },
  (t) => [uniqueIndex('identity_enterprises_uscc_key').on(t.uscc)],
);

/** Who may act for a company: its legal representative and its agents (accountant, agent). */
export const enterpriseMembers = pgTable(
  'identity_enterprise_members',
  {
    enterpriseId: uuid('enterprise_id')
      .notNull()
      .references(() => enterprises.id, { onDelete: 'cascade' }),
    userId: uuid('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    role: text('role').$type<'legal_representative' | 'accountant' | 'agent'>().notNull(),
    createdAt: timestamp('created_at', { withTimezone: true, mode: 'date' }).notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.enterpriseId, t.userId] })],
);

/** Server-side sessions (web cookies) and API bearer tokens; only a hash of the secret is stored. */
export const sessions = pgTable(
  'identity_sessions',
  {
    tokenHash: text('token_hash').primaryKey(),
    userId: uuid('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    kind: text('kind').$type<'web' | 'api'>().notNull(),
    actingForEnterpriseId: uuid('acting_for_enterprise_id'),
    /** Staff signed in with a password but not yet with the second factor. */
    pendingSecondFactor: boolean('pending_second_factor').notNull().default(false),
    createdAt: timestamp('created_at', { withTimezone: true, mode: 'date' }).notNull().defaultNow(),
    expiresAt: timestamp('expires_at', { withTimezone: true, mode: 'date' }).notNull(),
    revokedAt: timestamp('revoked_at', { withTimezone: true, mode: 'date' }),
    ip: text('ip'),
    userAgent: text('user_agent'),
  },
  (t) => [index('identity_sessions_user_idx').on(t.userId)],
);

/** One-time sign-in codes sent by SMS; only a hash of the code is stored. */
export const otpCodes = pgTable(
  'identity_otp_codes',
  {
    id: uuid('id')
      .primaryKey()
      .default(sql`gen_random_uuid()`),
    phone: text('phone').notNull(),
    codeHash: text('code_hash').notNull(),
    purpose: text('purpose').notNull().default('sign-in'),
    attempts: integer('attempts').notNull().default(0),
    createdAt: timestamp('created_at', { withTimezone: true, mode: 'date' }).notNull().defaultNow(),
    expiresAt: timestamp('expires_at', { withTimezone: true, mode: 'date' }).notNull(),
    consumedAt: timestamp('consumed_at', { withTimezone: true, mode: 'date' }),
  },
  (t) => [index('identity_otp_codes_phone_idx').on(t.phone, t.createdAt)],
);
