import type { GuardFinding, Plan, UserPlan } from '../../model/plan';
import { blockingFindings } from '../actions';

/** The summary line shared by the text and markdown renderers. */
export function summaryLine(plan: Plan): string {
  const { delete: deletes, quarantine, hold } = plan.summary;
  return `Plan: ${deletes} to delete, ${quarantine} to quarantine, ${hold} held.`;
}

export function usersWith(plan: Plan, ...decisions: UserPlan['decision'][]): UserPlan[] {
  return plan.users.filter((user) => decisions.includes(user.decision));
}

/**
 * The reasons to print next to a user's guard findings. A held user's first reason is "held: <message of the first
 * guard>", which repeats a guard finding printed beside it: renderers (and the construct's check warnings) that list
 * the guards too must use this, or the held reason appears twice.
 */
export function reasonsBesideGuards(user: UserPlan): readonly string[] {
  return user.decision === 'hold' ? user.reasons.filter((reason) => !reason.startsWith('held: ')) : user.reasons;
}

/** Hygiene (report-only) findings of users the plan keeps or reports on. */
export function hygieneFindings(plan: Plan): { user: UserPlan; rule: string; message: string }[] {
  return plan.users.flatMap((user) =>
    user.findings
      .filter((finding) => finding.severity !== 'action' && (user.decision === 'keep' || user.decision === 'report'))
      .map((finding) => ({ user, rule: finding.rule, message: finding.message })),
  );
}

/** " (resource, region)" for what the message does not already name. */
export function whereOf(finding: GuardFinding): string {
  const parts = [finding.resource, finding.region].filter((part): part is string => part !== null && !finding.message.includes(part));
  return parts.length === 0 ? '' : ` (${parts.join(', ')})`;
}

export { blockingFindings };
