import { QUARANTINED_AT_TAG, QUARANTINE_POLICY_NAME, QUARANTINE_REASON_TAG } from '../../model/quarantine-marker';
import type { Decision } from '../../model/plan';
import type { UserFacts } from '../../model/snapshot';
import { isKept, type OutcomeRule, type RuleResult } from './types';

/** Rule ids this file produces. */
export const QUARANTINED_RULE = 'quarantined';
export const STILL_QUARANTINED_RULE = 'still-quarantined';
export const QUARANTINE_INCOMPLETE_RULE = 'quarantine-incomplete';

/** The marks a quarantine leaves on a user (see src/model/quarantine-marker.ts). */
export interface QuarantineMark {
  /** The inline deny-all policy is attached: the user can do nothing. */
  readonly denyPolicy: boolean;
  /** Value of the quarantined-at tag (ISO time), null when the tag is absent. */
  readonly since: string | null;
  readonly reason: string | null;
}

/** null when the user carries neither the deny policy nor the quarantined-at tag. */
export function quarantineMark(user: UserFacts): QuarantineMark | null {
  // IAM treats policy names and tag keys case-insensitively.
  const denyPolicy = user.inlinePolicyNames.some((name) => name.toLowerCase() === QUARANTINE_POLICY_NAME.toLowerCase());
  const since = tagValue(user, QUARANTINED_AT_TAG);
  if (!denyPolicy && since === null) return null;
  return { denyPolicy, since, reason: tagValue(user, QUARANTINE_REASON_TAG) };
}

/**
 * The executor tags the user last, after the deny policy, the key deactivation and the password
 * removal: policy and tag together mean every quarantine step ran. The policy alone means a
 * quarantine stopped half way; the tag alone means a release stopped half way (it removes the policy
 * first) or someone removed the policy by hand.
 */
export function isCompleteQuarantine(mark: QuarantineMark | null): boolean {
  return mark !== null && mark.denyPolicy && mark.since !== null;
}

function tagValue(user: UserFacts, key: string): string | null {
  const wanted = key.toLowerCase();
  const found = Object.entries(user.tags).find(([tagKey]) => tagKey.toLowerCase() === wanted);
  return found === undefined ? null : found[1];
}

function describeSince(mark: QuarantineMark): string {
  const since = mark.since ?? '';
  const day = /^\d{4}-\d{2}-\d{2}T/.test(since) ? since.slice(0, 10) : since;
  return `quarantined since ${day} (${mark.reason ?? 'no reason recorded'})`;
}

/**
 * An IAM user already quarantined by this tool. Runs after the other rules and the user guards, with
 * the decision they reached (`outcome`), so a run after enforcement is clean:
 * - outcome quarantine (the allowlist still wants it quarantined): the action is done. An info finding
 *   that proposes "report" settles the user as report, which is not a pending change;
 * - outcome delete or hold: the quarantine was a step on the way (e.g. recentlyActive: quarantine for
 *   an undeclared user whose allowlist action is delete, once its last use is older than
 *   recentlyActiveDays); the decision stands and the info finding says the user is quarantined;
 * - outcome keep or report for a user the allowlist keeps (declared, or a valid exception): the
 *   quarantine is no longer wanted, a warning proposing "report" says to release it;
 * - outcome report for an undeclared user (allowlist action report): info only.
 * A quarantine that did not finish is not treated as done (warning only; the decision stands, so an
 * intended quarantine is planned again and finishes).
 */
export const quarantined: OutcomeRule = (ctx, user, outcome: Decision) => {
  const mark = quarantineMark(user);
  if (mark === null) return [];
  if (!mark.denyPolicy) {
    return [
      {
        rule: QUARANTINE_INCOMPLETE_RULE,
        severity: 'warning',
        message:
          `tagged ${QUARANTINED_AT_TAG}=${mark.since ?? ''} but the deny policy ${QUARANTINE_POLICY_NAME} is missing: ` +
          'a release did not finish, or the policy was removed by hand',
      },
    ];
  }
  if (mark.since === null) {
    const next =
      outcome === 'quarantine'
        ? 'it is quarantined again to finish'
        : `run \`iam-allowlist release --user ${user.name}\` to lift it`;
    return [
      {
        rule: QUARANTINE_INCOMPLETE_RULE,
        severity: 'warning',
        message: `the deny policy ${QUARANTINE_POLICY_NAME} is attached but the ${QUARANTINED_AT_TAG} tag is missing: the quarantine did not finish; ${next}`,
      },
    ];
  }
  if ((outcome === 'keep' || outcome === 'report') && isKept(ctx)) {
    const kept = ctx.match.declared !== null ? 'declared' : 'kept by an exception';
    return [
      {
        rule: STILL_QUARANTINED_RULE,
        severity: 'warning',
        message: `${kept} but still quarantined: run \`iam-allowlist release --user ${user.name}\`; ${describeSince(mark)}`,
        proposes: 'report',
      },
    ];
  }
  const finding: RuleResult = { rule: QUARANTINED_RULE, severity: 'info', message: describeSince(mark) };
  return [outcome === 'quarantine' ? { ...finding, proposes: 'report' } : finding];
};
