import { describe, expect, it } from 'vitest';
import { allows, type Actor } from './actor.js';

const base: Actor = {
  userId: 'u',
  kind: 'citizen',
  realName: 'x',
  departmentCode: null,
  roles: [],
  actingFor: null,
  sessionId: 's',
  via: 'cookie',
  pendingSecondFactor: false,
};
const citizen = base;
const clerk: Actor = { ...base, kind: 'staff', departmentCode: 'psb', roles: ['clerk'] };
const admin: Actor = { ...base, kind: 'staff', departmentCode: 'gov-service', roles: ['platform_admin'] };
const halfSignedIn: Actor = { ...clerk, pendingSecondFactor: true };

describe('allows (default deny)', () => {
  it.each([
    ['public', null, true],
    ['signed-in', null, false],
    ['signed-in', citizen, true],
    ['citizen', clerk, false],
    ['citizen', citizen, true],
    ['staff', citizen, false],
    ['staff', clerk, true],
    ['staff', halfSignedIn, false],
    [{ staff: ['reviewer'] }, clerk, false],
    [{ staff: ['clerk', 'reviewer'] }, clerk, true],
    [{ staff: ['dept_admin'] }, admin, true],
    [{ staff: ['clerk'] }, citizen, false],
  ] as const)('%j for %j → %s', (access, actor, expected) => {
    expect(allows(access as Parameters<typeof allows>[0], actor)).toBe(expected);
  });
});
