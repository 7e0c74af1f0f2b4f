/**
 * What a finished Plan says about quarantines already in place (read by the re-check and the construct).
 * Both read the typed UserPlan fields; new code can read those directly.
 */
import type { UserPlan } from '../model/plan';

/** The user carries a complete quarantine by this tool (wanted or not). */
export function isQuarantineInPlace(user: UserPlan): boolean {
  return user.quarantineInPlace;
}

/**
 * The user is quarantined and nothing is left to do about it: decision report, and the allowlist does
 * not keep the user, or wants it quarantined (a kept user gets a still-quarantined warning instead).
 */
export function isSettledQuarantine(user: UserPlan): boolean {
  return user.actionStatus === 'done';
}
