import type { AwsClients } from '../aws/clients';
import { InternalError } from '../errors';
import { ApiCaller, type RetryOptions } from './api-calls';
import type { AuditLog } from './audit';
import { readBackup } from './backup';
import { reconcilePendingIntents } from './reconcile';
import { runStep, runSteps, type StepEvent, type StepResult } from './run-steps';
import { RELEASE_PREFLIGHT, RELEASE_STEPS, type ReleaseContext, type ReleasePreflightContext } from './release-steps';

export interface ReleaseResult {
  /** The live user's exact name (GetUser's UserName), whatever case the caller typed. */
  readonly userName: string;
  readonly userId: string;
  /** The newest backup of this user (same UserId). */
  readonly backupFile: string;
  readonly reactivatedKeys: readonly string[];
  /** true when the user had a console password before quarantine: it must be reset by a person. */
  readonly passwordNeedsReset: boolean;
  readonly steps: readonly StepResult[];
  readonly apiCalls: Readonly<Record<string, number>>;
  /** Human-readable lines for the operator, including the password reset note. */
  readonly notes: readonly string[];
}

export interface ReleaseOptions {
  /** A returned promise is awaited. */
  readonly onStep?: (event: StepEvent) => void | Promise<void>;
  readonly retry?: RetryOptions;
}

/**
 * Undoes a quarantine: removes the deny-all policy, re-activates the access keys the quarantine
 * recorded deactivating (and a backup of this very user, same UserId, saw Active; see
 * keysToReactivate), removes the quarantine tags. `userName` is matched the way IAM matches names
 * (case-insensitively); backups are looked up under the live user's exact name. Never sets a
 * password: the console password deleted by quarantine has to be reset by a person.
 */
export async function releaseUser(
  clients: AwsClients,
  userName: string,
  backupDir: string,
  audit: AuditLog,
  options: ReleaseOptions = {},
): Promise<ReleaseResult> {
  const iam = clients.iam;
  const probe = new ApiCaller(audit, { account: 'unknown', user: userName, userId: null }, options.retry);
  const preflightCtx: ReleasePreflightContext = { iam, api: probe, userName, backupDir, notes: [], found: null };
  const preflight = await runStep(RELEASE_PREFLIGHT, preflightCtx, probe);
  if (!preflightCtx.found) throw new InternalError('the preflight of release did not say which user it found');
  const { exactName, userId, accountId, backupFiles } = preflightCtx.found;
  const backupFile = backupFiles[backupFiles.length - 1]!;
  const backups = backupFiles.map(readBackup);
  const backup = backups[backups.length - 1]!;

  const api = new ApiCaller(audit, { account: accountId, user: exactName, userId }, options.retry);
  const reconciled = await reconcilePendingIntents(audit, iam, accountId, options.retry);
  const ctx: ReleaseContext = { iam, api, userName: exactName, backup, backups, reactivatedKeys: [], notes: reconciled };
  const steps = await runSteps(RELEASE_STEPS, ctx, api, { onStep: options.onStep });

  const passwordNeedsReset = backup.user.loginProfile.present;
  if (passwordNeedsReset) {
    ctx.notes.push(
      `${exactName} had a console password before quarantine; it was deleted and is not restored. ` +
        'An administrator must create a new one with a reset required at next sign-in (iam-allowlist never sets passwords).',
    );
  }
  const apiCalls: Record<string, number> = { ...preflight.apiCalls };
  for (const [op, n] of Object.entries(api.totalCalls())) apiCalls[op] = (apiCalls[op] ?? 0) + n;
  return {
    userName: exactName,
    userId,
    backupFile,
    reactivatedKeys: ctx.reactivatedKeys,
    passwordNeedsReset,
    steps: [preflight, ...steps],
    apiCalls,
    notes: ctx.notes,
  };
}
