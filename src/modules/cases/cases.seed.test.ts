import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestContext, type TestContext } from '../../../test/helpers.js';
import { modules } from '../../app.js';
import { applications, calendarDays } from './cases.schema.js';
import { listQueue } from './cases.service.js';
import { findStaffIdByLogin, getUserById } from '../identity/index.js';

let ctx: TestContext;

beforeAll(async () => {
  ctx = await createTestContext();
}, 60_000);
afterAll(async () => ctx?.cleanup());

describe('demo seed', () => {
  it('writes demo applications in several states and the holiday calendar, idempotently', async () => {
    for (let run = 0; run < 2; run++) for (const m of modules) await m.seed?.(ctx);
    const rows = await ctx.db.select().from(applications);
    expect(rows).toHaveLength(5);
    expect(new Set(rows.map((r) => r.status))).toEqual(new Set(['submitted', 'accepted', 'correction_requested', 'completed']));
    expect(rows.filter((r) => r.actingForUscc === '91510107MA6CBX7Q6L')).toHaveLength(1);
    expect((await ctx.db.select().from(calendarDays)).length).toBeGreaterThan(30);
    // The exit-entry clerk's workbench is not empty.
    const clerkId = await findStaffIdByLogin(ctx.db, 'psb-exit-entry.clerk');
    const clerk = clerkId ? await getUserById(ctx.db, clerkId) : undefined;
    expect(clerk).toBeDefined();
    const queue = await listQueue(ctx, {
      userId: clerk!.id,
      kind: 'staff',
      realName: clerk!.realName,
      departmentCode: clerk!.departmentCode,
      roles: clerk!.roles,
      actingFor: null,
      sessionId: 't',
      via: 'bearer',
      pendingSecondFactor: false,
    });
    expect(queue.length).toBeGreaterThan(0);
  }, 60_000);
});
