// Every table, for Drizzle's typed queries. Modules still query only their own tables.
export * from '../platform.schema.js';
export * from '../payments/payments.schema.js';
export * from '../delivery/delivery.schema.js';
export * from '../../modules/identity/identity.schema.js';
export * from '../../modules/catalog/catalog.schema.js';
export * from '../../modules/exchange/exchange.schema.js';
export * from '../../modules/cases/cases.schema.js';
export * from '../../modules/certificates/certificates.schema.js';
export * from '../../modules/enterprise/enterprise.schema.js';
export * from '../../modules/hall/hall.schema.js';
export * from '../../modules/hall/open311/open311.schema.js';
export * from '../../modules/transit/transit.schema.js';
export * from '../../modules/transit/live/live.schema.js';
