import type { Plan } from '../../model/plan';
import { blockingFindings } from '../actions';

/**
 * The exit code of `plan`, like `terraform plan -detailed-exitcode`, whose plan fails when a
 * precondition fails:
 * - 1: the run is blocked (blockingFindings is non-empty: a run guard such as scan-incomplete,
 *   account-pin, max-removals or empty-allowlist, or a per-user finding with blocksRun such as a KMS
 *   guard in "block" mode): `apply` would remove nothing, and that needs a person's attention;
 * - 2: not blocked, and a delete or quarantine decision is pending;
 * - 0: nothing to do (keep, report and per-user hold decisions only).
 * The CLI also uses 1 for errors.
 */
export function exitCodeFor(plan: Plan): 0 | 1 | 2 {
  if (blockingFindings(plan).length > 0) return 1;
  return plan.users.some((user) => user.decision === 'delete' || user.decision === 'quarantine') ? 2 : 0;
}
