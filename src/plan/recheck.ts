/**
 * The apply-time check: an action planned earlier may be carried out only if a plan computed from a
 * fresh snapshot still agrees. Used by the executor right before it touches the user.
 */
import type { Plan, PlannedAction } from '../model/plan';
import { blockingFindings } from './actions';

export type RecheckResult = { readonly ok: true } | { readonly ok: false; readonly reasons: string[] };

export function recheckAction(action: PlannedAction, freshPlan: Plan): RecheckResult {
  const reasons: string[] = [];
  const user = freshPlan.users.find((candidate) => candidate.name.toLowerCase() === action.userName.toLowerCase());
  if (user === undefined) {
    return { ok: false, reasons: [`user ${action.userName} no longer exists`] };
  }
  if (user.userId !== action.userId) {
    reasons.push(`user ${action.userName} was recreated: UserId was ${action.userId} at plan time, now ${user.userId}`);
  }
  if (user.arn.toLowerCase() !== action.arn.toLowerCase()) {
    reasons.push(`user ${action.userName} moved: ARN was ${action.arn} at plan time, now ${user.arn}`);
  }
  // A quarantine that finished in the meantime (another run, `iam-allowlist apply`) is not a reason to
  // refuse: the executor's steps are idempotent and find everything already done.
  const alreadyQuarantined = action.action === 'quarantine' && user.actionStatus === 'done';
  if (user.decision !== action.action && !alreadyQuarantined) {
    reasons.push(
      `the plan now decides ${user.decision} for ${user.name}, not ${action.action}${user.reasons[0] ? ` (${user.reasons[0]})` : ''}`,
    );
  }
  // A guard that only redirects (recently-active in "quarantine" mode turned a delete into this
  // quarantine) leaves the user unblocked: only a user its own guards hold is refused for them.
  if (user.blockedBy === 'user-guard') {
    for (const guard of user.guards) if (!guard.blocksRun) reasons.push(`guard ${guard.kind}: ${guard.message}`);
  }
  if (freshPlan.runBlocked) {
    for (const finding of blockingFindings(freshPlan)) reasons.push(`run blocked by ${finding.kind}: ${finding.message}`);
  }
  return reasons.length === 0 ? { ok: true } : { ok: false, reasons: [...new Set(reasons)] };
}
