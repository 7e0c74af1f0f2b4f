import { QUARANTINED_AT_TAG, QUARANTINE_POLICY_NAME, QUARANTINE_REASON_TAG } from '../../model/quarantine-marker';
import type { Decision } from '../../model/plan';
import type { UserFacts } from '../../model/snapshot';
import { accessKeyLabel } from '../activity';
import { isDenyAllDocument } from './deny-all-document';
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

/**
 * A credential report generated less than this long after the quarantined-at time may predate the
 * quarantine (clocks differ; generation is asynchronous), so its key and password state is no evidence.
 */
const REPORT_AFTER_QUARANTINE_MS = 5 * 60 * 1000;

/**
 * What still stands against a quarantine whose marks (policy and tag) are both present:
 * - the policy named like the marker is not the deny-all (a policy merely named iam-allowlist-quarantine
 *   proves nothing), or its document was not inventoried (a snapshot from an older version);
 * - an access key is active or the console password is enabled, read from a credential report generated
 *   after the quarantine: someone re-activated what the quarantine turned off. A report generated before
 *   the quarantine (AWS regenerates at most every 4 hours) still shows the old state and is not evidence.
 * Empty: the quarantine is complete.
 */
export function quarantineGaps(user: UserFacts, since: string, reportGeneratedAt: string | null): string[] {
  const gaps: string[] = [];
  const documents = user.inlinePolicyDocuments;
  const wanted = QUARANTINE_POLICY_NAME.toLowerCase();
  const document = documents === undefined ? undefined : Object.entries(documents).find(([name]) => name.toLowerCase() === wanted)?.[1];
  if (documents === undefined) {
    gaps.push(`its inline policy documents were not inventoried (a snapshot from an older version), so ${QUARANTINE_POLICY_NAME} cannot be verified`);
  } else if (document === undefined || !isDenyAllDocument(document)) {
    gaps.push(`${QUARANTINE_POLICY_NAME} is not the deny-all policy (Effect Deny, Action "*", Resource "*")`);
  }
  const sinceMs = Date.parse(since);
  const reportMs = reportGeneratedAt === null ? NaN : Date.parse(reportGeneratedAt);
  // An unparsable tag cannot be placed in time: the report is taken as evidence (the quarantine is redone, which rewrites the tag).
  const reportIsEvidence = !Number.isNaN(reportMs) && (Number.isNaN(sinceMs) || reportMs >= sinceMs + REPORT_AFTER_QUARANTINE_MS);
  if (reportIsEvidence) {
    user.activity.accessKeys.forEach((key, index) => {
      if (key.active) gaps.push(`${accessKeyLabel(key, index)} is active`);
    });
    if (user.activity.passwordEnabled === true) gaps.push('the console password is enabled');
    else if (user.activity.passwordEnabled === null) gaps.push('whether a console password is enabled is unknown');
  }
  return gaps;
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
 * A quarantine that did not finish, or that no longer holds (see quarantineGaps: the marker policy is
 * not the deny-all, or a key or the password was re-activated), is not treated as done (warning only;
 * the decision stands, so an intended quarantine is planned again and finishes).
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
  const gaps = quarantineGaps(user, mark.since, ctx.snapshot.credentialReportGeneratedAt);
  if (gaps.length > 0) {
    return [
      {
        rule: QUARANTINE_INCOMPLETE_RULE,
        severity: 'warning',
        message:
          `carries ${QUARANTINE_POLICY_NAME} and ${QUARANTINED_AT_TAG}=${mark.since}, but ${gaps.join('; ')}: ` +
          (outcome === 'quarantine' ? 'not a complete quarantine; it is quarantined again' : 'not treated as quarantined'),
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
