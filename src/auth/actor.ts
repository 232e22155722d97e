import type { ActorOf } from './types.js';
import { UnauthorizedError } from '../shared/errors.js';

/**
 * Who acts, once sign-in is on: the signed-in person (display name, recorded in the timeline) acting as their plan
 * role (decides e.g. who may lower a level), and the person of the directory the account is linked to (their
 * acknowledgement stops their pages). A `by` field in the body is ignored: nobody can act as someone else.
 */
export const principalActor: ActorOf = (request) => {
  const principal = request.principal;
  if (!principal) throw new UnauthorizedError('sign in first', 'NOT_SIGNED_IN');
  return { actor: principal.name, role: principal.planRole ?? `account:${principal.role}`, personId: principal.person?.id ?? null };
};
