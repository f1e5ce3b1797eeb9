import { describe, expect, it } from 'vitest';
import { defaultWorkflow } from '../catalog/catalog.definitions.js';
import { itemSeed } from '../catalog/catalog.seed-items.js';
import { availableActions, canWithdraw, isFinal, pausesClock, planAutoDecision, transition, workflowRolesOf } from './cases.workflow.js';

const wf = defaultWorkflow();

describe('transition: every action of the default workflow', () => {
  // [from, action, roles, comment, expected]
  const table: [string, string, string[], string | undefined, string][] = [
    ['submitted', 'accept', ['clerk'], undefined, 'accepted'],
    ['submitted', 'refuse', ['clerk'], '材料不属于本部门', 'refused'],
    ['submitted', 'request_correction', ['clerk'], '照片不合格', 'correction_requested'],
    ['under_review', 'request_correction', ['reviewer'], '缺少证明', 'correction_requested'],
    ['correction_requested', 'resubmit', ['applicant'], undefined, 'submitted'],
    ['accepted', 'start_review', ['reviewer'], undefined, 'under_review'],
    ['under_review', 'approve', ['approver'], undefined, 'approved'],
    ['under_review', 'reject', ['approver'], '不符合条件', 'rejected'],
    ['approved', 'complete', ['clerk'], undefined, 'completed'],
    ['rejected', 'complete', ['clerk'], undefined, 'completed'],
    ['submitted', 'withdraw', ['applicant'], undefined, 'withdrawn'],
    ['accepted', 'withdraw', ['applicant'], undefined, 'withdrawn'],
    ['correction_requested', 'withdraw', ['applicant'], undefined, 'withdrawn'],
    ['under_review', 'withdraw', ['applicant'], undefined, 'withdrawn'],
  ];
  it.each(table)('%s --%s (%j)--> %s', (from, action, roles, comment, to) => {
    const r = transition(wf, from, action, roles as never, comment);
    expect(r).toMatchObject({ ok: true, from, to });
  });

  it('refuses a role that may never take the action', () => {
    expect(transition(wf, 'under_review', 'approve', ['clerk'])).toEqual({ ok: false, reason: 'forbidden' });
    expect(transition(wf, 'submitted', 'accept', ['applicant'])).toEqual({ ok: false, reason: 'forbidden' });
    expect(transition(wf, 'submitted', 'withdraw', ['clerk'])).toEqual({ ok: false, reason: 'forbidden' });
  });
  it('refuses an action from a state that has moved on', () => {
    expect(transition(wf, 'accepted', 'accept', ['clerk'])).toEqual({ ok: false, reason: 'wrong_state' });
    expect(transition(wf, 'approved', 'withdraw', ['applicant'])).toEqual({ ok: false, reason: 'wrong_state' });
    expect(transition(wf, 'completed', 'complete', ['clerk'])).toEqual({ ok: false, reason: 'wrong_state' });
  });
  it('requires a reason for a refusal, a rejection and a correction request', () => {
    for (const [from, action, role] of [
      ['submitted', 'refuse', 'clerk'],
      ['under_review', 'reject', 'approver'],
      ['submitted', 'request_correction', 'clerk'],
    ] as const) {
      expect(transition(wf, from, action, [role], '  ')).toEqual({ ok: false, reason: 'comment_required' });
    }
  });
  it('knows no made-up action', () => {
    expect(transition(wf, 'submitted', 'bribe', ['clerk'])).toEqual({ ok: false, reason: 'unknown_action' });
  });
});

describe('workflow helpers', () => {
  it('maps staff roles; a department admin may take every staff action', () => {
    expect(workflowRolesOf(['clerk'])).toEqual(['clerk']);
    expect(workflowRolesOf(['dept_admin']).sort()).toEqual(['approver', 'clerk', 'dept_admin', 'reviewer']);
    expect(workflowRolesOf(['platform_admin'])).toEqual([]);
  });
  it('lists the actions a role may take now', () => {
    expect(availableActions(wf, 'submitted', ['clerk']).map((a) => a.name)).toEqual(['accept', 'refuse', 'request_correction']);
    expect(availableActions(wf, 'submitted', ['approver'])).toEqual([]);
    expect(availableActions(wf, 'under_review', ['approver']).map((a) => a.name)).toEqual(['approve', 'reject']);
  });
  it('knows final and clock-pausing states, and when the applicant may withdraw', () => {
    expect(isFinal(wf, 'completed') && isFinal(wf, 'refused') && isFinal(wf, 'withdrawn')).toBe(true);
    expect(isFinal(wf, 'approved')).toBe(false);
    expect(pausesClock(wf, 'correction_requested')).toBe(true);
    expect(pausesClock(wf, 'submitted')).toBe(false);
    expect(canWithdraw(wf, 'under_review')).toBe(true);
    expect(canWithdraw(wf, 'approved')).toBe(false);
  });
});

describe('planAutoDecision', () => {
  const endorsement = itemSeed.find((i) => i.code === 'hk-macao-endorsement')!.content.workflowDefinition;
  const facts = { 'system.permitValid': true, 'system.noExitRestriction': true };
  it('accepts, reviews and approves a tourism renewal meeting every condition', () => {
    const plan = planAutoDecision(endorsement, 'submitted', { endorsementType: 'tourism' }, facts);
    expect(plan?.rule.id).toBe('renewal-tourism');
    expect(plan?.steps).toEqual([
      { action: 'accept', from: 'submitted', to: 'accepted' },
      { action: 'start_review', from: 'accepted', to: 'under_review' },
      { action: 'approve', from: 'under_review', to: 'approved' },
    ]);
  });
  it('does nothing when any condition fails', () => {
    expect(planAutoDecision(endorsement, 'submitted', { endorsementType: 'business' }, facts)).toBeNull();
    expect(planAutoDecision(endorsement, 'submitted', { endorsementType: 'tourism' }, { ...facts, 'system.noExitRestriction': false })).toBeNull();
    expect(planAutoDecision(endorsement, 'submitted', { endorsementType: 'tourism' }, {})).toBeNull();
  });
  it('applies the rule as far as it chains from the current state', () => {
    const plan = planAutoDecision(endorsement, 'accepted', { endorsementType: 'tourism' }, facts);
    expect(plan?.steps.map((s) => s.action)).toEqual(['start_review', 'approve']);
    expect(planAutoDecision(endorsement, 'completed', { endorsementType: 'tourism' }, facts)).toBeNull();
  });
  it('never plans for a workflow without rules', () => {
    expect(planAutoDecision(wf, 'submitted', { endorsementType: 'tourism' }, facts)).toBeNull();
  });
});
