import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestContext, type TestContext } from '../../../test/helpers.js';
import { createUser, waitFor } from '../../../test/factories.js';
import type { Actor } from '../../platform/auth/actor.js';
import type { AppContext } from '../../platform/context.js';
import { seedCatalog } from '../catalog/index.js';
import { casesFeed } from './cases.cache.js';
import { addPublicComment, getApplication, seedCalendar, submitApplication, takeAction } from './cases.service.js';
import { actorOf, residentId, sampleFor, setIdNumber } from './cases.testkit.js';

describe('status reads from the cache of applications', () => {
  let ctx: TestContext;
  /** A second instance on the same database: its own cache and subscription. */
  let other: AppContext;
  let citizen: Actor;
  let clerk: Actor;

  beforeAll(async () => {
    ctx = await createTestContext();
    await seedCatalog(ctx.db);
    await seedCalendar(ctx);
    const c = await createUser(ctx, { realName: '赵敏' });
    await setIdNumber(ctx, c.id, residentId('51010419881111002'));
    citizen = await actorOf(ctx, c.id);
    clerk = await actorOf(ctx, (await createUser(ctx, { kind: 'staff', departmentCode: 'tax', roles: ['clerk'], realName: '受理员' })).id);
    other = { ...ctx };
    await casesFeed(ctx).start(ctx);
    await casesFeed(other).start(other);
  }, 60_000);
  afterAll(async () => {
    await casesFeed(other)?.close();
    await casesFeed(ctx)?.close();
    await ctx?.cleanup();
  });

  const submit = async (key: string) =>
    (
      await submitApplication(ctx, citizen, {
        serviceCode: 'tax-payment-record',
        data: await sampleFor(ctx, citizen),
        delivery: { method: 'electronic' },
        idempotencyKey: key,
      })
    ).id;
  const read = (on: AppContext, id: string) => getApplication(on, citizen, id, { cached: true });

  it('serves the same read until a change committed by another instance is announced, timeline-only changes included', async () => {
    const id = await submit('cache-1');
    const first = await read(other, id);
    expect(first.status).toBe('submitted');
    // Served from the cache: the same answers object, not a new one parsed from a query.
    expect((await read(other, id)).data).toBe(first.data);
    await takeAction(ctx, clerk, id, { action: 'accept' });
    await waitFor(async () => (await read(other, id)).status === 'accepted', 5000, 20);
    await addPublicComment(ctx, clerk, id, '材料已收到');
    await waitFor(async () => (await read(other, id)).timeline.some((t) => t.note === '材料已收到'), 5000, 20);
    // Without `cached` every read is a query.
    expect((await getApplication(other, citizen, id)).data).not.toBe((await getApplication(other, citizen, id)).data);
  });

  it('a submission announces nothing (its application is new); each later change once', async () => {
    const id = await submit('cache-2');
    const before = casesFeed(other).generation(id);
    await takeAction(ctx, clerk, id, { action: 'accept' });
    await waitFor(() => casesFeed(other).generation(id) > before, 5000, 20);
    // Notifications arrive in commit order: had the submission announced itself, its would have come first.
    expect(casesFeed(other).generation(id)).toBe(before + 1);
  });

  it('reads from the database while the feed is not live', async () => {
    const id = await submit('cache-3');
    const notStarted = { ...ctx };
    expect(casesFeed(notStarted).live).toBe(false);
    expect((await read(notStarted, id)).data).not.toBe((await read(notStarted, id)).data);
  });
});
