import type { Config } from '../../config.js';
import type { Clock } from '../context.js';
import type { Db } from '../db/db.js';
import type { Outbox } from '../outbox/outbox.js';
import type { Webhooks } from '../webhooks/webhooks.js';
import { createPayments, type Payments } from './payments.js';
import { createSandboxPaymentProvider, type SandboxPaymentProvider } from './sandbox.js';

export * from './payments.js';
export * from './sandbox.js';

/** The payment port with the provider the configuration names (only the sandbox so far). */
export function createPaymentPort(
  db: Db,
  outbox: Outbox,
  webhooks: Webhooks,
  clock: Clock,
  config: Pick<Config, 'paymentProvider' | 'publicUrl'>,
): { payments: Payments; sandbox: SandboxPaymentProvider | null } {
  // A real provider is chosen here by config.paymentProvider once one exists.
  const sandbox = createSandboxPaymentProvider(db, webhooks, clock);
  return { payments: createPayments(db, outbox, clock, sandbox, { publicUrl: config.publicUrl }), sandbox };
}
