import { GetUserCommand } from '@aws-sdk/client-iam';
import type { AwsClients } from '../aws/clients';
import { UsageError } from '../errors';
import { ApiCaller, type RetryOptions } from './api-calls';
import type { AuditLog } from './audit';
import { listBackups, readBackup } from './backup';
import { reconcilePendingIntents } from './reconcile';
import { runSteps, type StepEvent, type StepResult } from './run-steps';
import { RELEASE_STEPS, type ReleaseContext } from './release-steps';

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
  probe.beginStep('preflight');
  const live = await probe.read('GetUser', () => iam.send(new GetUserCommand({ UserName: userName })), ['NoSuchEntity']);
  if (!live?.User?.UserId || !live.User.Arn) {
    throw new UsageError(`user ${userName} does not exist; there is nothing to release`, 'use `restore` with a backup file to recreate a deleted user');
  }
  const userId = live.User.UserId;
  // IAM names are case-insensitive, backup file names are not: use the name as IAM stores it.
  const exactName = live.User.UserName ?? userName;
  const accountId = live.User.Arn.split(':')[4] ?? '';
  const backupFiles = listBackups(backupDir, accountId, exactName, userId);
  const backupFile = backupFiles[backupFiles.length - 1];
  if (!backupFile) {
    throw new UsageError(
      `no backup of ${exactName} (${userId}) in ${backupDir}: cannot tell which access keys were active before quarantine`,
      'point --backup-dir at the directory the quarantine wrote to',
    );
  }
  const backups = backupFiles.map(readBackup);
  const backup = backups[backups.length - 1]!;

  const api = new ApiCaller(audit, { account: accountId, user: exactName, userId }, options.retry);
  const reconciled = await reconcilePendingIntents(audit, iam, accountId, options.retry);
  const ctx: ReleaseContext = { iam, api, userName: exactName, backup, backups, reactivatedKeys: [], notes: reconciled };
  const preflightCalls = probe.endStep().calls;
  const steps = await runSteps(RELEASE_STEPS, ctx, api, { onStep: options.onStep });

  const passwordNeedsReset = backup.user.loginProfile.present;
  if (passwordNeedsReset) {
    ctx.notes.push(
      `${exactName} had a console password before quarantine; it was deleted and is not restored. ` +
        'An administrator must create a new one with a reset required at next sign-in (iam-allowlist never sets passwords).',
    );
  }
  const apiCalls: Record<string, number> = { ...preflightCalls };
  for (const [op, n] of Object.entries(api.totalCalls())) apiCalls[op] = (apiCalls[op] ?? 0) + n;
  return {
    userName: exactName,
    userId,
    backupFile,
    reactivatedKeys: ctx.reactivatedKeys,
    passwordNeedsReset,
    steps: [{ id: 'preflight', description: 'GetUser and find the quarantine backup', outcome: 'already-done', apiCalls: preflightCalls, notes: [] }, ...steps],
    apiCalls,
    notes: ctx.notes,
  };
}
