import type { StaffRole } from '../../platform/auth/actor.js';
import type { AutoDecisionRule, TimeLimit, WorkflowAction, WorkflowDefinition } from '../catalog/index.js';

/**
 * The state machine that executes an item's WorkflowDefinition. Pure: it decides, the service applies.
 */

export type WorkflowActor = WorkflowAction['roles'][number];

export type TransitionRefusal =
  /** No such action in this workflow. */
  | 'unknown_action'
  /** The actor's role may never take this action. */
  | 'forbidden'
  /** The action exists and the role may take it, but not from the current state (it has moved on). */
  | 'wrong_state'
  /** The action needs a public comment (a reason). */
  | 'comment_required';

export type TransitionResult = { ok: true; action: WorkflowAction; from: string; to: string } | { ok: false; reason: TransitionRefusal };

/** The workflow roles a member of staff holds (a department admin supervises and may take any staff action). */
export function workflowRolesOf(roles: readonly StaffRole[]): WorkflowActor[] {
  const out = new Set<WorkflowActor>();
  for (const r of roles) {
    if (r === 'clerk' || r === 'reviewer' || r === 'approver' || r === 'dept_admin') out.add(r);
  }
  if (out.has('dept_admin')) for (const r of ['clerk', 'reviewer', 'approver'] as const) out.add(r);
  return [...out];
}

export function findAction(def: WorkflowDefinition, name: string): WorkflowAction | undefined {
  return def.actions.find((a) => a.name === name);
}

/** Decides whether `actors` may take `actionName` from `status`. */
export function transition(
  def: WorkflowDefinition,
  status: string,
  actionName: string,
  actors: readonly WorkflowActor[],
  comment?: string | null,
): TransitionResult {
  const action = findAction(def, actionName);
  if (!action) return { ok: false, reason: 'unknown_action' };
  if (!action.roles.some((r) => actors.includes(r))) return { ok: false, reason: 'forbidden' };
  if (!action.from.includes(status)) return { ok: false, reason: 'wrong_state' };
  if (action.needsComment && !(comment ?? '').trim()) return { ok: false, reason: 'comment_required' };
  return { ok: true, action, from: status, to: action.to };
}

/** The actions `actors` may take from `status` (what a workbench offers). */
export function availableActions(def: WorkflowDefinition, status: string, actors: readonly WorkflowActor[]): WorkflowAction[] {
  return def.actions.filter((a) => a.from.includes(status) && a.roles.some((r) => actors.includes(r)));
}

export function isFinal(def: WorkflowDefinition, status: string): boolean {
  return def.states[status]?.final === true;
}

export function pausesClock(def: WorkflowDefinition, status: string): boolean {
  return def.states[status]?.pausesClock === true;
}

export function stateSla(def: WorkflowDefinition, status: string): TimeLimit | undefined {
  return def.states[status]?.sla;
}

/** Whether the applicant may still withdraw: a withdraw action exists from this state. */
export function canWithdraw(def: WorkflowDefinition, status: string): boolean {
  return def.actions.some((a) => a.name === 'withdraw' && a.from.includes(status) && a.roles.includes('applicant'));
}

/** The value a rule's condition names: a form answer, or a fact the system established (`system.*`). */
function valueOf(field: string, data: Record<string, unknown>, facts: Record<string, unknown>): unknown {
  return field.startsWith('system.') ? facts[field] : data[field];
}

/** The system acts in place of staff when a rule says so (the rule is the authority, audited as 'system'). */
const staffActors: WorkflowActor[] = ['clerk', 'reviewer', 'approver'];

export function ruleMatches(rule: AutoDecisionRule, data: Record<string, unknown>, facts: Record<string, unknown>): boolean {
  return rule.conditions.length > 0 && rule.conditions.every((c) => valueOf(c.field, data, facts) === c.equals);
}

/**
 * The system's own decision, if a rule matches: the actions it takes from `status`, in order, each one
 * checked against the workflow (a rule naming actions that do not chain from the current state is
 * applied as far as it chains). Returns null when no rule applies.
 */
export function planAutoDecision(
  def: WorkflowDefinition,
  status: string,
  data: Record<string, unknown>,
  facts: Record<string, unknown>,
): { rule: AutoDecisionRule; steps: { action: string; from: string; to: string }[] } | null {
  for (const rule of def.autoDecisions ?? []) {
    if (!ruleMatches(rule, data, facts)) continue;
    const steps: { action: string; from: string; to: string }[] = [];
    let current = status;
    for (const name of rule.actions) {
      const t = transition(def, current, name, ['system', ...staffActors], 'auto');
      // Leading actions already behind us (e.g. accepted by a clerk) are skipped; after that the chain must hold.
      if (!t.ok) {
        if (steps.length) break;
        continue;
      }
      steps.push({ action: name, from: current, to: t.to });
      current = t.to;
    }
    if (steps.length) return { rule, steps };
  }
  return null;
}
