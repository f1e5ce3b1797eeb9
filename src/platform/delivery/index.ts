import type { Config } from '../../config.js';
import type { Clock } from '../context.js';
import type { Db } from '../db/db.js';
import type { Jobs } from '../jobs/jobs.js';
import type { Outbox } from '../outbox/outbox.js';
import type { Webhooks } from '../webhooks/webhooks.js';
import { createDelivery, type Delivery } from './delivery.js';
import { createSandboxCourier, type SandboxCourier } from './sandbox.js';

export * from './delivery.js';
export * from './sandbox.js';
export * from './tracking-number.js';

/** The courier port with the provider the configuration names (only the sandbox so far). */
export async function createDeliveryPort(
  db: Db,
  outbox: Outbox,
  webhooks: Webhooks,
  jobs: Jobs,
  clock: Clock,
  config: Pick<Config, 'deliveryProvider' | 'sandboxCourierAutoSeconds'>,
): Promise<{ delivery: Delivery; sandbox: SandboxCourier | null }> {
  // A real courier is chosen here by config.deliveryProvider once one exists.
  const sandbox = await createSandboxCourier(db, webhooks, jobs, clock, { autoSeconds: config.sandboxCourierAutoSeconds });
  return { delivery: createDelivery(db, outbox, clock, sandbox), sandbox };
}
