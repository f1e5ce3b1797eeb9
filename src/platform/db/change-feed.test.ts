import { afterAll, describe, expect, it } from 'vitest';
import { createTestApp } from '../../../test/helpers.js';
import { feedOf } from '../../modules/certificates/certificates.feed.js';
import { casesFeed } from '../../modules/cases/cases.cache.js';

describe('change feeds', () => {
  let done: (() => Promise<void>) | undefined;
  afterAll(async () => done?.());

  it('are subscribed when the app is ready, so caches that rely on them are used', async () => {
    const { app, ctx } = await createTestApp();
    done = async () => {
      await app.close();
      await ctx.cleanup();
    };
    await app.ready();
    // The certificates' status lists (never subscribed before) and the cases' applications.
    expect(feedOf(ctx).live).toBe(true);
    expect(casesFeed(ctx).live).toBe(true);
  });
});
