import type { Plan } from '../../model/plan';

/**
 * Like `terraform plan -detailed-exitcode`: 0 nothing to do, 2 changes pending (a delete or
 * quarantine decision is present). 1 (error) is the CLI's business.
 */
export function exitCodeFor(plan: Plan): 0 | 2 {
  return plan.users.some((user) => user.decision === 'delete' || user.decision === 'quarantine') ? 2 : 0;
}
