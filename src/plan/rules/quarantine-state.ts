/**
 * What the marks a quarantine leaves on a user (src/model/quarantine-marker.ts) say, shared by the three
 * quarantine-state rules (quarantine-incomplete, still-quarantined, quarantined): exactly one of them
 * speaks for a user that carries a mark.
 */
import { QUARANTINED_AT_TAG, QUARANTINE_POLICY_NAME, QUARANTINE_REASON_TAG } from '../../model/quarantine-marker';
import type { Decision } from '../../model/plan';
import type { UserFacts } from '../../model/snapshot';
import { accessKeyLabel } from '../activity';
import type { RuleContext } from '../context';
import { isDenyAllDocument } from './deny-all-document';
import { isKept } from './types';

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
export function isCompleteQuarantine(mark: QuarantineMark | null): mark is QuarantineMark & { readonly since: string } {
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
    const unverifiable = `so ${QUARANTINE_POLICY_NAME} cannot be verified`;
    gaps.push(`its inline policy documents were not inventoried (a snapshot from an older version), ${unverifiable}`);
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

/** A complete quarantine whose marks are both present and that nothing stands against (see quarantineGaps). */
export function standingQuarantine(ctx: RuleContext, user: UserFacts): QuarantineMark | null {
  const mark = quarantineMark(user);
  if (!isCompleteQuarantine(mark)) return null;
  return quarantineGaps(user, mark.since, ctx.snapshot.credentialReportGeneratedAt).length === 0 ? mark : null;
}

/** The allowlist keeps the user and the other rules and guards want nothing done: a quarantine in place should be lifted. */
export function isReleaseWanted(ctx: RuleContext, outcome: Decision): boolean {
  return (outcome === 'keep' || outcome === 'report') && isKept(ctx);
}

export function describeSince(mark: QuarantineMark): string {
  const since = mark.since ?? '';
  const day = /^\d{4}-\d{2}-\d{2}T/.test(since) ? since.slice(0, 10) : since;
  return `quarantined since ${day} (${mark.reason ?? 'no reason recorded'})`;
}
