import type { Plan } from '../../model/plan';

/**
 * The exit codes of every command, one meaning each so CI can tell them apart. `plan` follows
 * `terraform plan -detailed-exitcode` (0 / 2 / 1) and adds 3 for a run a guard blocks, which
 * Terraform reports as a failed precondition (1) and a CI job must not mistake for an error.
 */
export const ExitCode = {
  /** Nothing to do (or everything done). */
  nothingToDo: 0,
  /** An error: bad input, an AWS failure, a bug. Also commander's usage errors. */
  error: 1,
  /** Changes pending: `plan` found delete or quarantine actions a run would carry out. */
  changesPending: 2,
  /** A guard blocked the run: nothing would be (or was) removed, and that needs a person's attention. */
  blockedByGuard: 3,
} as const;

export type ExitCode = (typeof ExitCode)[keyof typeof ExitCode];

/**
 * The exit code of `plan`:
 * - 3 blockedByGuard: Plan.runBlocked — a run guard such as scan-incomplete, account-pin, max-removals or
 *   empty-allowlist, or a per-user finding with blocksRun such as a KMS guard in "block" mode: `apply`
 *   would remove nothing;
 * - 2 changesPending: not blocked, and a delete or quarantine decision is pending;
 * - 0 nothingToDo: keep, report and per-user hold decisions only.
 * Errors (1) never reach this function: they are thrown and mapped by the CLI.
 */
export function exitCodeFor(plan: Plan): ExitCode {
  if (plan.runBlocked) return ExitCode.blockedByGuard;
  return plan.users.some((user) => user.decision === 'delete' || user.decision === 'quarantine')
    ? ExitCode.changesPending
    : ExitCode.nothingToDo;
}
