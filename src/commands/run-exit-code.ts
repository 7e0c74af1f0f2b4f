import { RefusedError } from '../errors';
import { SIGNAL_EXIT_CODES } from '../executor/interruption';
import { ExitCode } from '../plan/render/exit-code';
import type { EnforcementOutcome } from './enforcement';

/**
 * The exit code of a mutating run (`apply`, `enforce`) from what happened to its actions:
 * - 130 / 143: SIGINT / SIGTERM stopped it (the calls in flight were finished and recorded);
 * - 1 error: the run stopped for another reason (audit log, allowlist unreadable), or an action failed
 *   with anything but a refusal (an AWS error, a filesystem error). An error wins over a refusal: CI must
 *   not read "a guard said no" when something also broke;
 * - 3 blockedByGuard: every failure is a RefusedError, a safety check said no at the moment of change
 *   (a guard of the fresh plan, recreated user, recent key use, another account): nothing of that user changed;
 * - 0 nothingToDo: every action was carried out or found already done.
 * `apply` never returns 2: it carries out every action it planned, or says which it could not.
 */
export function exitCodeOfRun(outcome: Pick<EnforcementOutcome, 'failures' | 'stop'>): number {
  if (outcome.stop) return outcome.stop.signal ? SIGNAL_EXIT_CODES[outcome.stop.signal] : ExitCode.error;
  if (outcome.failures.length === 0) return ExitCode.nothingToDo;
  return outcome.failures.every((failure) => failure.error instanceof RefusedError) ? ExitCode.blockedByGuard : ExitCode.error;
}
