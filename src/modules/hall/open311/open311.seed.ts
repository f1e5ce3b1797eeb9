import { createHash } from 'node:crypto';
import type { AppContext } from '../../../platform/context.js';
import * as repo from './open311.repository.js';
import { issueApiKey } from './open311.service.js';

/** The demo client's key: demo data only (SEED_DEMO), printed at start like the demo sign-ins. */
export const DEMO_API_KEY = 'demo-open311-key-chengdu';

export async function seedOpen311(ctx: AppContext): Promise<void> {
  const hash = createHash('sha256').update(DEMO_API_KEY).digest('hex');
  if (await repo.findActiveClientByKeyHash(ctx.db, hash)) return;
  await issueApiKey(ctx, null, { name: 'Demo Open311 client' }, { key: DEMO_API_KEY });
}
