import type { AppContext } from '../../platform/context.js';
import { completedEvent, onApplicationCompleted, onPaymentPaid, onPaymentRefunded, onShipmentStatus, staffMayReadMaterial } from './cases.service.js';

const registered = new WeakSet<object>();

/**
 * The cases module's outbox handlers. Each runs in the dispatcher's transaction with its completion
 * mark, so it applies exactly once per event even across a crash (a crash before the commit runs it again).
 */
export function registerCaseEvents(ctx: AppContext): void {
  if (registered.has(ctx.outbox)) return;
  registered.add(ctx.outbox);
  ctx.outbox.on('payment.paid', 'cases.mark-paid', (event, tx) => onPaymentPaid(ctx, tx, event.payload));
  ctx.outbox.on('payment.refunded', 'cases.note-refund', (event, tx) => onPaymentRefunded(ctx, tx, event.payload));
  ctx.outbox.on(completedEvent, 'cases.create-shipment', (event, tx) => onApplicationCompleted(ctx, tx, event.payload));
  ctx.outbox.on('shipment.status_changed', 'cases.shipment-timeline', (event, tx) => onShipmentStatus(ctx, tx, event.payload));
}

const policies = new WeakSet<object>();

/** Staff of the handling department may read the files linked to an application as materials. */
export function registerMaterialPolicy(ctx: AppContext): void {
  if (policies.has(ctx.files)) return;
  policies.add(ctx.files);
  ctx.files.registerPolicy('application', (actor, file) => staffMayReadMaterial(ctx, actor, file.id));
}
