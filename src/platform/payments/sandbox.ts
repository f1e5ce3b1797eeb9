import { randomUUID } from 'node:crypto';
import { eq, sql } from 'drizzle-orm';
import type { Clock } from '../context.js';
import type { Db, Executor } from '../db/db.js';
import type { Webhooks } from '../webhooks/webhooks.js';
import type { PaymentEventType, PaymentProvider } from './payments.js';
import { sandboxCharges } from './payments.schema.js';

export const sandboxPaymentCallbackPath = '/api/v1/payments/callbacks/sandbox';

export type SandboxChargeStatus = 'open' | 'paid' | 'failed' | 'refunded';

export interface SandboxCharge {
  id: string;
  paymentId: string;
  amountFen: number;
  descriptionZh: string;
  descriptionEn: string;
  returnUrl: string;
  status: SandboxChargeStatus;
}

/** The body of a sandbox payment callback (documented on the callback route). */
export interface SandboxPaymentCallback {
  eventId: string;
  type: PaymentEventType;
  chargeId: string;
  paymentId: string;
  amountFen: number;
  occurredAt: string;
}

export interface SandboxPaymentProvider extends PaymentProvider {
  readonly name: 'sandbox';
  getCharge(id: string): Promise<SandboxCharge | null>;
  /** The payer pressed Pay or Fail. Only an open charge settles; returns whether this call settled it. */
  settle(id: string, outcome: 'paid' | 'failed'): Promise<{ charge: SandboxCharge; changed: boolean } | null>;
}

const uuidPattern = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * An offline payment provider with a ledger of its own (as a real one would have): it shows a hosted
 * payment page, settles on the payer's command and reports each change with a signed callback queued in
 * the same transaction, so a settled charge is always reported and retried until it is acknowledged.
 */
export function createSandboxPaymentProvider(db: Db, webhooks: Webhooks, clock: Clock): SandboxPaymentProvider {
  const notify = async (executor: Executor, charge: { id: string; paymentId: string; amountFen: number }, type: PaymentEventType) => {
    const [row] = await executor
      .update(sandboxCharges)
      .set({ eventSeq: sql`${sandboxCharges.eventSeq} + 1` })
      .where(eq(sandboxCharges.id, charge.id))
      .returning({ seq: sandboxCharges.eventSeq });
    const payload: SandboxPaymentCallback = {
      eventId: `${charge.id}:${row?.seq ?? 0}`,
      type,
      chargeId: charge.id,
      paymentId: charge.paymentId,
      amountFen: charge.amountFen,
      occurredAt: clock.now().toISOString(),
    };
    await webhooks.enqueue(executor, sandboxPaymentCallbackPath, { ...payload });
  };

  return {
    name: 'sandbox',

    async open(executor, payment) {
      const id = randomUUID();
      const now = clock.now();
      await executor.insert(sandboxCharges).values({
        id,
        paymentId: payment.paymentId,
        amountFen: payment.amountFen,
        descriptionZh: payment.descriptionZh,
        descriptionEn: payment.descriptionEn,
        returnUrl: payment.returnUrl,
        createdAt: now,
        updatedAt: now,
      });
      return { providerRef: id, payUrl: `/sandbox/pay/${id}` };
    },

    async refund(executor, payment) {
      const [charge] = await executor.select().from(sandboxCharges).where(eq(sandboxCharges.id, payment.providerRef)).for('update');
      if (!charge || charge.status !== 'paid') throw new Error(`Sandbox charge ${payment.providerRef} is not paid`);
      await executor.update(sandboxCharges).set({ status: 'refunded', updatedAt: clock.now() }).where(eq(sandboxCharges.id, charge.id));
      // A sandbox refund is immediate: the callback is queued with the refund itself.
      await notify(executor, charge, 'refunded');
    },

    async getCharge(id) {
      if (!uuidPattern.test(id)) return null;
      const [row] = await db.select().from(sandboxCharges).where(eq(sandboxCharges.id, id));
      return row ? toCharge(row) : null;
    },

    async settle(id, outcome) {
      if (!uuidPattern.test(id)) return null;
      return db.transaction(async (tx) => {
        const [row] = await tx.select().from(sandboxCharges).where(eq(sandboxCharges.id, id)).for('update');
        if (!row) return null;
        if (row.status !== 'open') return { charge: toCharge(row), changed: false };
        await tx.update(sandboxCharges).set({ status: outcome, updatedAt: clock.now() }).where(eq(sandboxCharges.id, id));
        await notify(tx, row, outcome);
        return { charge: { ...toCharge(row), status: outcome }, changed: true };
      });
    },
  };
}

function toCharge(row: typeof sandboxCharges.$inferSelect): SandboxCharge {
  return {
    id: row.id,
    paymentId: row.paymentId,
    amountFen: row.amountFen,
    descriptionZh: row.descriptionZh,
    descriptionEn: row.descriptionEn,
    returnUrl: row.returnUrl,
    status: row.status as SandboxChargeStatus,
  };
}
