import { sql } from 'drizzle-orm';
import { boolean, index, integer, jsonb, pgTable, primaryKey, text, timestamp, uniqueIndex, uuid } from 'drizzle-orm/pg-core';

const ts = (name: string) => timestamp(name, { withTimezone: true, mode: 'date' });

export type SigningKeyStatus = 'active' | 'retired';
export type CredentialState = 'active' | 'revoked' | 'suspended';
export type StatusPurpose = 'revocation' | 'suspension';

/** The fields of a business licence (营业执照) as carried in the credential's subject. */
export interface LicenceFields {
  uscc: string;
  name: string;
  type: string;
  legalRepresentative: string;
  registeredCapital: string;
  establishedOn: string;
  address: string;
  businessScope: string;
  authority: string;
}

/** A licence's fields as the credential's subject claims (W3C VC names: `entityType`, `registrationAuthority`). */
export function subjectClaims(fields: LicenceFields): Record<string, string> {
  return {
    uscc: fields.uscc,
    name: fields.name,
    entityType: fields.type,
    legalRepresentative: fields.legalRepresentative,
    registeredCapital: fields.registeredCapital,
    establishedOn: fields.establishedOn,
    address: fields.address,
    businessScope: fields.businessScope,
    registrationAuthority: fields.authority,
  };
}

/**
 * The issuer's ES256 key pairs. The private key is stored encrypted (AES-256-GCM under a key derived from
 * the server secret) and never leaves the service; retired keys stay here so they stay published.
 */
export const signingKeys = pgTable(
  'certificates_signing_keys',
  {
    kid: text('kid').primaryKey(),
    alg: text('alg').notNull(),
    publicJwk: jsonb('public_jwk').$type<Record<string, string>>().notNull(),
    privateJwkSealed: text('private_jwk_sealed').notNull(),
    status: text('status').$type<SigningKeyStatus>().notNull(),
    createdAt: ts('created_at').notNull().defaultNow(),
    retiredAt: ts('retired_at'),
  },
  // At most one active key: two instances creating the first key at once cannot both win.
  (t) => [
    uniqueIndex('certificates_signing_keys_one_active')
      .on(t.status)
      .where(sql`${t.status} = 'active'`),
  ],
);

/** A credential issued by the platform (an electronic business licence). */
export const credentials = pgTable(
  'certificates_credentials',
  {
    id: uuid('id').primaryKey(),
    kind: text('kind').notNull(),
    subjectUscc: text('subject_uscc').notNull(),
    subject: jsonb('subject').$type<LicenceFields>().notNull(),
    jwt: text('jwt').notNull(),
    kid: text('kid').notNull(),
    state: text('state').$type<CredentialState>().notNull().default('active'),
    validFrom: ts('valid_from').notNull(),
    validUntil: ts('valid_until'),
    issuedAt: ts('issued_at').notNull(),
    stateChangedAt: ts('state_changed_at'),
    stateReason: text('state_reason'),
  },
  (t) => [index('certificates_credentials_uscc').on(t.subjectUscc, t.issuedAt)],
);

/** A Bitstring Status List (W3C): one per purpose, served as a credential; version bumps on every change. */
export const statusLists = pgTable('certificates_status_lists', {
  id: text('id').primaryKey(),
  purpose: text('purpose').$type<StatusPurpose>().notNull(),
  /** Number of one-bit entries; at least 131,072 (16 KiB) for herd privacy. */
  capacity: integer('capacity').notNull(),
  version: integer('version').notNull().default(0),
  createdAt: ts('created_at').notNull().defaultNow(),
  updatedAt: ts('updated_at').notNull().defaultNow(),
});

/** An index of a status list assigned (at random) to one credential, and whether its bit is set. */
export const statusEntries = pgTable(
  'certificates_status_entries',
  {
    listId: text('list_id').notNull(),
    idx: integer('idx').notNull(),
    credentialId: uuid('credential_id').notNull(),
    bit: boolean('bit').notNull().default(false),
  },
  (t) => [primaryKey({ columns: [t.listId, t.idx] }), uniqueIndex('certificates_status_entries_credential').on(t.credentialId, t.listId)],
);
