/** What a finished Plan says about quarantines already in place (read by the re-check and the construct). */
import type { UserPlan } from '../model/plan';
import { QUARANTINED_RULE, STILL_QUARANTINED_RULE } from './rules/quarantined';

/** The user carries a complete quarantine by this tool (wanted or not). */
export function isQuarantineInPlace(user: UserPlan): boolean {
  return user.findings.some((finding) => finding.rule === QUARANTINED_RULE || finding.rule === STILL_QUARANTINED_RULE);
}

/**
 * The user is quarantined and nothing is left to do about it: decision report, and the allowlist does
 * not keep the user (a kept user gets a still-quarantined warning instead).
 */
export function isSettledQuarantine(user: UserPlan): boolean {
  return user.decision === 'report' && user.findings.some((finding) => finding.rule === QUARANTINED_RULE);
}
