import { randomUUID } from 'node:crypto';
import { and, asc, desc, eq, inArray, sql } from 'drizzle-orm';
import { actorFields, recordAudit } from '../audit/audit.js';
import type { Actor } from '../auth/actor.js';
import type { Clock } from '../context.js';
import type { Db, Executor, Tx } from '../db/db.js';
import { ConflictError, NotFoundError, ValidationError } from '../http/errors.js';
import type { Outbox } from '../outbox/outbox.js';
import { paymentEvents, payments } from './payments.schema.js';

export type PaymentStatus = 'pending' | 'paid' | 'failed' | 'refunded';
export type PaymentEventType = 'paid' | 'failed' | 'refunded';
export const paymentEventTypes: readonly PaymentEventType[] = ['paid', 'failed', 'refunded'];

export interface CreatePaymentInput {
  /** The caller's reference, e.g. an application id; at most one live (pending or paid) payment per reference. */
  orderRef: string;
  amountFen: number;
  descriptionZh: string;
  descriptionEn: string;
  payerUserId: string | null;
  /** Where the payer's browser goes after paying: a local path, or a URL under PUBLIC_URL. */
  returnUrl: string;
}

export interface PaymentView {
  id: string;
  orderRef: string;
  amountFen: number;
  descriptionZh: string;
  descriptionEn: string;
  payerUserId: string | null;
  status: PaymentStatus;
  provider: string;
  payUrl: string;
  refundReason: string | null;
  refundRequested: boolean;
  createdAt: Date;
  paidAt: Date | null;
  failedAt: Date | null;
  refundedAt: Date | null;
}

/** A callback from a provider, already verified and parsed. */
export interface ProviderPaymentEvent {
  /** The provider's id of this event: the same id delivered twice is the same event. */
  eventId: string;
  /** The provider's reference of the payment (what `open` returned). */
  providerRef: string;
  type: PaymentEventType;
  amountFen: number;
  occurredAt: Date;
}

export interface CallbackResult {
  eventId: string;
  paymentId: string;
  status: PaymentStatus;
  /** false when the event changed nothing (a duplicate or a late, out-of-order event). */
  applied: boolean;
}

/**
 * Where real providers plug in. `open` and `refund` receive the port's transaction so a provider that
 * keeps state in this database (the sandbox) commits with the port; a remote provider makes its call and
 * later answers by callback.
 */
export interface PaymentProvider {
  readonly name: string;
  open(
    executor: Executor,
    payment: { paymentId: string; amountFen: number; descriptionZh: string; descriptionEn: string; returnUrl: string },
  ): Promise<{ providerRef: string; payUrl: string }>;
  refund(executor: Executor, payment: { paymentId: string; providerRef: string; amountFen: number; reason: string }): Promise<void>;
}

export interface Payments {
  readonly provider: PaymentProvider;
  /** Opens a payment; for an order that already has a pending or paid one, returns that one instead. */
  createPayment(input: CreatePaymentInput, executor?: Executor): Promise<{ paymentId: string; payUrl: string }>;
  /** Asks the provider to refund a paid payment; its status becomes refunded when the provider's callback arrives. */
  refund(paymentId: string, reason: string, options?: { actor?: Actor | null; ip?: string | null }): Promise<void>;
  getPayment(id: string): Promise<PaymentView | null>;
  listForOrder(orderRef: string): Promise<PaymentView[]>;
  /** Applies a verified provider callback: idempotent per event id, never moves a payment backwards. */
  applyCallback(provider: string, event: ProviderPaymentEvent): Promise<CallbackResult>;
}

// eslint-disable-next-line no-control-regex -- rejecting control characters is the point
const controlChars = /[\u0000-\u001f\u007f]/;
const uuidPattern = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** From → event → to. Anything else is recorded but changes nothing. */
const transitions: Record<PaymentEventType, { from: PaymentStatus; to: PaymentStatus }> = {
  paid: { from: 'pending', to: 'paid' },
  failed: { from: 'pending', to: 'failed' },
  refunded: { from: 'paid', to: 'refunded' },
};

function text(value: string, max: number): boolean {
  return typeof value === 'string' && value.trim().length > 0 && value.length <= max && !controlChars.test(value);
}

export function validatePaymentInput(input: CreatePaymentInput, publicUrl: string): void {
  const errors: Record<string, string> = {};
  if (!text(input.orderRef, 100)) errors.orderRef = 'port.invalid.orderRef';
  if (!Number.isSafeInteger(input.amountFen) || input.amountFen < 1 || input.amountFen > 100_000_000) errors.amountFen = 'port.invalid.amountFen';
  if (!text(input.descriptionZh, 200)) errors.descriptionZh = 'port.invalid.description';
  if (!text(input.descriptionEn, 200)) errors.descriptionEn = 'port.invalid.description';
  if (input.payerUserId !== null && !uuidPattern.test(input.payerUserId)) errors.payerUserId = 'port.invalid.payerUserId';
  if (!isSafeReturnUrl(input.returnUrl, publicUrl)) errors.returnUrl = 'port.invalid.returnUrl';
  if (Object.keys(errors).length) throw new ValidationError(errors, 'The payment request is not valid');
}

/** Only our own pages, so a payment link cannot be used to send a payer to another site. */
export function isSafeReturnUrl(url: string, publicUrl: string): boolean {
  if (typeof url !== 'string' || url.length > 500 || controlChars.test(url)) return false;
  if (url.startsWith('/') && !url.startsWith('//') && !url.startsWith('/\\')) return true;
  return url === publicUrl || url.startsWith(`${publicUrl}/`);
}

type PaymentRow = typeof payments.$inferSelect;

function present(row: PaymentRow): PaymentView {
  return {
    id: row.id,
    orderRef: row.orderRef,
    amountFen: row.amountFen,
    descriptionZh: row.descriptionZh,
    descriptionEn: row.descriptionEn,
    payerUserId: row.payerUserId,
    status: row.status as PaymentStatus,
    provider: row.provider,
    payUrl: row.payUrl,
    refundReason: row.refundReason,
    refundRequested: row.refundRequestedAt !== null,
    createdAt: row.createdAt,
    paidAt: row.paidAt,
    failedAt: row.failedAt,
    refundedAt: row.refundedAt,
  };
}

/** Runs `work` in the caller's transaction, or in a new one. */
export function inTransaction<T>(db: Db, executor: Executor | undefined, work: (tx: Tx) => Promise<T>): Promise<T> {
  if (executor && 'rollback' in executor) return work(executor);
  return (executor ?? db).transaction(work);
}

export function createPayments(db: Db, outbox: Outbox, clock: Clock, provider: PaymentProvider, options: { publicUrl: string }): Payments {
  return {
    provider,

    async createPayment(input, executor) {
      validatePaymentInput(input, options.publicUrl);
      return inTransaction(db, executor, async (tx) => {
        // Serialises creates for one order so a retried request cannot open two payments.
        await tx.execute(sql`SELECT pg_advisory_xact_lock(hashtext(${`payment:${input.orderRef}`}))`);
        const [live] = await tx
          .select()
          .from(payments)
          .where(and(eq(payments.orderRef, input.orderRef), inArray(payments.status, ['pending', 'paid'])))
          .orderBy(desc(payments.createdAt))
          .limit(1);
        if (live) {
          if (live.amountFen !== input.amountFen) throw new ConflictError('This order already has a payment of another amount');
          return { paymentId: live.id, payUrl: live.payUrl };
        }
        const paymentId = randomUUID();
        const opened = await provider.open(tx, {
          paymentId,
          amountFen: input.amountFen,
          descriptionZh: input.descriptionZh,
          descriptionEn: input.descriptionEn,
          returnUrl: input.returnUrl,
        });
        const now = clock.now();
        await tx.insert(payments).values({
          id: paymentId,
          orderRef: input.orderRef,
          amountFen: input.amountFen,
          descriptionZh: input.descriptionZh,
          descriptionEn: input.descriptionEn,
          payerUserId: input.payerUserId,
          returnUrl: input.returnUrl,
          provider: provider.name,
          providerRef: opened.providerRef,
          payUrl: opened.payUrl,
          createdAt: now,
          updatedAt: now,
        });
        return { paymentId, payUrl: opened.payUrl };
      });
    },

    async refund(paymentId, reason, refundOptions = {}) {
      if (!text(reason, 500)) throw new ValidationError({ reason: 'port.invalid.reason' }, 'A refund needs a reason');
      if (!uuidPattern.test(paymentId)) throw new NotFoundError('No such payment');
      const audit = {
        ...actorFields(refundOptions.actor ?? null),
        ...(refundOptions.actor ? {} : { actorType: 'system' as const }),
        action: 'payment.refund',
        resourceType: 'payment',
        resourceId: paymentId,
        ip: refundOptions.ip ?? null,
      };
      const refused = await db.transaction(async (tx) => {
        const [row] = await tx.select().from(payments).where(eq(payments.id, paymentId)).for('update');
        if (!row) throw new NotFoundError('No such payment');
        // Asking twice is harmless: the first request stands.
        if (row.refundRequestedAt) return null;
        if (row.status !== 'paid') return row.status;
        const now = clock.now();
        await tx.update(payments).set({ refundReason: reason, refundRequestedAt: now, updatedAt: now }).where(eq(payments.id, paymentId));
        await provider.refund(tx, { paymentId, providerRef: row.providerRef, amountFen: row.amountFen, reason });
        await recordAudit(tx, { ...audit, outcome: 'ok', detail: { orderRef: row.orderRef, amountFen: row.amountFen, reason } });
        return null;
      });
      if (refused) {
        // Audited after the transaction: the refusal changed nothing, and the row lock is released by now.
        await recordAudit(db, { ...audit, outcome: 'denied', detail: { status: refused, reason } });
        throw new ConflictError(`Only a paid payment can be refunded; this one is ${refused}`, { paymentStatus: refused });
      }
    },

    async getPayment(id) {
      if (!uuidPattern.test(id)) return null;
      const [row] = await db.select().from(payments).where(eq(payments.id, id));
      return row ? present(row) : null;
    },

    async listForOrder(orderRef) {
      const rows = await db.select().from(payments).where(eq(payments.orderRef, orderRef)).orderBy(asc(payments.createdAt));
      return rows.map(present);
    },

    async applyCallback(providerName, event) {
      return db.transaction(async (tx) => {
        // The payment's row lock serialises deliveries of its events, including two copies of one event.
        const [row] = await tx
          .select()
          .from(payments)
          .where(and(eq(payments.provider, providerName), eq(payments.providerRef, event.providerRef)))
          .for('update');
        if (!row) throw new NotFoundError('No payment with this provider reference');
        const [seen] = await tx
          .select({ response: paymentEvents.response })
          .from(paymentEvents)
          .where(and(eq(paymentEvents.provider, providerName), eq(paymentEvents.eventId, event.eventId)));
        if (seen) return seen.response as unknown as CallbackResult;
        if (event.amountFen !== row.amountFen) throw new ValidationError({ amountFen: 'port.invalid.amountFen' }, 'The amount does not match the payment');

        const transition = transitions[event.type];
        const applied = row.status === transition.from;
        const status = applied ? transition.to : (row.status as PaymentStatus);
        const result: CallbackResult = { eventId: event.eventId, paymentId: row.id, status, applied };
        if (applied) {
          const now = clock.now();
          await tx
            .update(payments)
            .set({
              status,
              updatedAt: now,
              ...(status === 'paid' ? { paidAt: event.occurredAt } : {}),
              ...(status === 'failed' ? { failedAt: event.occurredAt } : {}),
              ...(status === 'refunded' ? { refundedAt: event.occurredAt } : {}),
            })
            .where(eq(payments.id, row.id));
          await outbox.emit(tx, `payment.${event.type}`, { paymentId: row.id, orderRef: row.orderRef, amountFen: row.amountFen });
        }
        await tx.insert(paymentEvents).values({
          provider: providerName,
          eventId: event.eventId,
          paymentId: row.id,
          type: event.type,
          occurredAt: event.occurredAt,
          receivedAt: clock.now(),
          applied,
          response: { ...result },
        });
        return result;
      });
    },
  };
}
