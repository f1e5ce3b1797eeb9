import { hasRole, type Actor } from '../../platform/auth/actor.js';

/**
 * Who may do what in enterprise registration; default deny. The registration authority is the Administration
 * for Market Regulation (department `amr`); a platform administrator may act everywhere.
 */
const ofAmr = (actor: Actor | null): actor is Actor =>
  actor !== null && actor.kind === 'staff' && (actor.roles.includes('platform_admin') || actor.departmentCode === 'amr');

/** 受理: a clerk (or the department's administrator). */
export const mayAccept = (actor: Actor | null): boolean => ofAmr(actor) && hasRole(actor, ['clerk', 'dept_admin']);

/** 核准: a reviewer or approver (or the department's administrator). */
export const mayApprove = (actor: Actor | null): boolean => ofAmr(actor) && hasRole(actor, ['reviewer', 'approver', 'dept_admin']);

/** Refusing is open to anyone who may accept or approve. */
export const mayDecide = (actor: Actor | null): boolean => mayAccept(actor) || mayApprove(actor);

/** The forbidden-word list is kept by the AMR's administrators. */
export const mayEditForbiddenWords = (actor: Actor | null): boolean => ofAmr(actor) && hasRole(actor, ['dept_admin']);

/** 注销登记 (deregistration, which withdraws the licence): an approver or the department's administrator. */
export const mayDeregister = (actor: Actor | null): boolean => ofAmr(actor) && hasRole(actor, ['approver', 'dept_admin']);
