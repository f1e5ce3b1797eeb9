import { injectTransport } from '../../platform/webhooks/webhooks.js';
import type { AppContext } from '../../platform/context.js';
import type { Actor } from '../../platform/auth/actor.js';
import { getUserById } from '../identity/index.js';
import type { App } from '../../platform/http/types.js';
import { enterpriseMembers, enterprises, users } from '../../platform/db/schema.js';
import { eq } from 'drizzle-orm';
import { seedCatalog } from '../catalog/index.js';
import { defineCaseJobs } from './cases.jobs.js';
import { seedCalendar } from './cases.service.js';

/** Test helpers of the cases module (used only by cases.*.test.ts). */

export const tinyJpeg = Buffer.from([
  0xff, 0xd8, 0xff, 0xe0, 0x00, 0x10, 0x4a, 0x46, 0x49, 0x46, 0x00, 0x01, 0x01, 0x00, 0x00, 0x01, 0x00, 0x01, 0x00, 0x00, 0xff, 0xd9,
]);
export const tinyPng = Buffer.from('89504e470d0a1a0a0000000d4948445200000001000000010806000000', 'hex');

/** Catalogue, calendar, the module's jobs and handlers, and webhooks delivered in-process. */
export async function prepareCases(ctx: AppContext, app?: App): Promise<void> {
  await seedCatalog(ctx.db);
  await seedCalendar(ctx);
  await defineCaseJobs(ctx);
  if (app) ctx.webhooks.useTransport(injectTransport(app));
  await ctx.jobs.work();
}

/** A valid resident ID number (GB 11643 check character) for a birth date and sequence. */
export function residentId(first17: string): string {
  const weights = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
  const sum = [...first17].reduce((s, ch, i) => s + Number(ch) * (weights[i] ?? 0), 0);
  return first17 + '10X98765432'[sum % 11];
}

export async function setIdNumber(ctx: AppContext, userId: string, idNumber: string): Promise<void> {
  await ctx.db.update(users).set({ idNumber }).where(eq(users.id, userId));
}

/** A company and its members (tests write real rows the identity module reads). */
export async function createCompany(
  ctx: AppContext,
  uscc: string,
  name: string,
  members: { userId: string; role: 'legal_representative' | 'accountant' | 'agent' }[],
): Promise<string> {
  const [row] = await ctx.db.insert(enterprises).values({ uscc, name }).onConflictDoNothing().returning({ id: enterprises.id });
  const id = row?.id ?? (await ctx.db.select({ id: enterprises.id }).from(enterprises).where(eq(enterprises.uscc, uscc)))[0]?.id;
  if (!id) throw new Error('company insert failed');
  if (members.length)
    await ctx.db
      .insert(enterpriseMembers)
      .values(members.map((m) => ({ enterpriseId: id, ...m })))
      .onConflictDoNothing();
  return id;
}

export function endorsementData(who: { name: string; idNumber: string; phone: string }, photo: string, overrides: Record<string, unknown> = {}) {
  return {
    applyFor: 'self',
    applicantName: who.name,
    applicantIdNumber: who.idNumber,
    // 张丽's permit in the exchange's sandbox exit-entry register (exchange.seed.ts); another person's is not.
    permitNumber: 'C10573421',
    destination: 'hk',
    endorsementType: 'family',
    trips: 'once',
    photo,
    contactPhone: who.phone,
    ...overrides,
  };
}

export const courierTo = (name: string, phone: string) => ({
  method: 'courier',
  recipientName: name,
  phone,
  address: { district: '武侯区', detail: '人民南路四段 1 号' },
});

/** The actor a signed-in user is (as the API would make it). */
export async function actorOf(ctx: AppContext, userId: string): Promise<Actor> {
  const u = await getUserById(ctx.db, userId);
  if (!u) throw new Error('no user');
  return {
    userId: u.id,
    kind: u.kind,
    realName: u.realName,
    departmentCode: u.departmentCode,
    roles: u.roles,
    actingFor: null,
    sessionId: 't',
    via: 'bearer',
    pendingSecondFactor: false,
  };
}

/** Valid answers to tax-payment-record's form for `actor`. */
export async function sampleFor(ctx: AppContext, actor: Actor): Promise<Record<string, unknown>> {
  const { sampleFormData } = await import('./cases.seed.js');
  const item = (await import('../catalog/index.js')).getCurrentItem;
  const it = await item(ctx.db, 'tax-payment-record');
  const u = await getUserById(ctx.db, actor.userId);
  return sampleFormData(it!.content.formDefinition, { realName: actor.realName, idNumber: u?.idNumber ?? null, phone: u?.phone ?? null }, null);
}
