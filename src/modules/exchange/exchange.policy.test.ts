import { describe, expect, it } from 'vitest';
import type { Actor } from '../../platform/auth/actor.js';
import { canViewDataUseOf, decideRead, type ReadFacts } from './exchange.policy.js';

const base: ReadFacts = {
  requester: { kind: 'citizen', userId: 'u1' },
  requestedDepartment: null,
  subject: { userId: 'u1' },
  actsFor: [],
  hasPurpose: true,
  applicationId: null,
  applicationOfDepartment: null,
};

describe('decideRead', () => {
  it.each<[string, Partial<ReadFacts>, ReturnType<typeof decideRead>]>([
    ['a person about themself', {}, { ok: true, readerDepartment: null }],
    ['without a purpose', { hasPurpose: false }, { ok: false, reason: 'no-purpose' }],
    ['about another person', { subject: { userId: 'u2' } }, { ok: false, reason: 'not-own-data' }],
    ['about a company they act for', { subject: { enterpriseId: 'e1' }, actsFor: ['e1'] }, { ok: true, readerDepartment: null }],
    ['about a company they do not act for', { subject: { enterpriseId: 'e2' }, actsFor: ['e1'] }, { ok: false, reason: 'not-acting-for-enterprise' }],
    ['a person naming a department', { requestedDepartment: 'psb' }, { ok: false, reason: 'wrong-department' }],
    ['nobody', { requester: null }, { ok: false, reason: 'no-requester' }],
    ['an unknown requester for a department', { requester: null, requestedDepartment: 'psb' }, { ok: false, reason: 'unknown-requester' }],
    [
      'staff for a confirmed application',
      { requester: { kind: 'staff', userId: 's', departmentCode: 'psb' }, applicationId: 'a', applicationOfDepartment: true },
      { ok: true, readerDepartment: 'psb' },
    ],
    ['staff without an application', { requester: { kind: 'staff', userId: 's', departmentCode: 'psb' } }, { ok: false, reason: 'no-application' }],
    [
      'staff for an unconfirmed application',
      { requester: { kind: 'staff', userId: 's', departmentCode: 'psb' }, applicationId: 'a', applicationOfDepartment: false },
      { ok: false, reason: 'application-not-of-department' },
    ],
    [
      'staff naming another department',
      { requester: { kind: 'staff', userId: 's', departmentCode: 'psb' }, requestedDepartment: 'tax', applicationId: 'a', applicationOfDepartment: true },
      { ok: false, reason: 'wrong-department' },
    ],
    [
      "a department's system for a confirmed application",
      { requester: { kind: 'system' }, requestedDepartment: 'tax-wuhou', applicationId: 'a', applicationOfDepartment: true },
      { ok: true, readerDepartment: 'tax-wuhou' },
    ],
  ])('%s', (_name, facts, expected) => {
    expect(decideRead({ ...base, ...facts })).toEqual(expected);
  });
});

describe('canViewDataUseOf', () => {
  const actor = (a: Partial<Actor>): Actor => ({
    userId: 'u1',
    kind: 'citizen',
    realName: '',
    departmentCode: null,
    roles: [],
    actingFor: null,
    sessionId: 's',
    via: 'bearer',
    pendingSecondFactor: false,
    ...a,
  });
  it('lets only the subject, or a platform administrator with a reason, see a log', () => {
    expect(canViewDataUseOf(actor({}), 'u1')).toBe('own');
    expect(canViewDataUseOf(actor({}), 'u2')).toBe(false);
    expect(canViewDataUseOf(actor({ kind: 'staff', roles: ['dept_admin'] }), 'u1')).toBe(false);
    expect(canViewDataUseOf(actor({ kind: 'staff', roles: ['platform_admin'] }), 'u1')).toBe('with-reason');
    expect(canViewDataUseOf(actor({ kind: 'staff', roles: ['platform_admin'], pendingSecondFactor: true }), 'u1')).toBe(false);
    expect(canViewDataUseOf(null, 'u1')).toBe(false);
  });
});
