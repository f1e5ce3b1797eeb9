import { hasRole, type Actor } from '../../platform/auth/actor.js';

/** Who may do what in the hall. Default deny; pure, unit-tested. */

export const operatorsDepartment = 'gov-service';

export interface PostRef {
  authorId: string | null;
  departmentCode: string | null;
  visibility: 'public' | 'private';
  hidden: boolean;
}

export type HallAction = 'view' | 'handle' | 'reroute' | 'hide' | 'promote' | 'rate' | 'reopen' | 'citizenReply';

const isOperator = (a: Actor) => a.kind === 'staff' && (a.departmentCode === operatorsDepartment || a.roles.includes('platform_admin'));
const ofDepartment = (a: Actor, code: string | null) => a.kind === 'staff' && code !== null && a.departmentCode === code;

export function can(actor: Actor | null, action: HallAction, post: PostRef): boolean {
  const author = actor?.kind === 'citizen' && post.authorId !== null && actor.userId === post.authorId;
  switch (action) {
    case 'view':
      if (!post.hidden && post.visibility === 'public') return true;
      if (!actor) return false;
      return author || isOperator(actor) || ofDepartment(actor, post.departmentCode);
    case 'handle':
      // Reply, ask for more, resolve: the department it is routed to, and the gov-service operators.
      return !!actor && !post.hidden && (isOperator(actor) || ofDepartment(actor, post.departmentCode));
    case 'reroute':
      return !!actor && !post.hidden && (isOperator(actor) || ofDepartment(actor, post.departmentCode));
    case 'hide':
      return !!actor && (isOperator(actor) || (ofDepartment(actor, post.departmentCode) && hasRole(actor, ['dept_admin'])));
    case 'promote':
      return !!actor && !post.hidden && post.visibility === 'public' && (isOperator(actor) || ofDepartment(actor, post.departmentCode));
    case 'rate':
    case 'reopen':
    case 'citizenReply':
      return author && !post.hidden;
  }
}

/** Staff of the department may publish on its account; the operators and platform admins on any. */
export function mayPublishFor(actor: Actor | null, departmentCode: string): boolean {
  return !!actor && actor.kind === 'staff' && (actor.departmentCode === departmentCode || actor.roles.includes('platform_admin'));
}

/** The abusive-word list and hotline filing belong to the gov-service operators. */
export function isHallOperator(actor: Actor | null): boolean {
  return !!actor && isOperator(actor);
}
