import * as path from 'path';
import { AwsClients } from '../aws/clients';
import { plan as computePlan } from '../plan/plan';
import type { PlannedAction } from '../model/plan';
import { loadAllowlistOrThrow, obtainSnapshot } from './context';
import { describeFailure, describeResult, enforceOne, memoize } from './enforcement';
import { sharedFreshSnapshot } from './shared-scan';

export interface EnforceOptions {
  /** Assume this role first (see AwsClients). */
  readonly assumeRole?: string;
  readonly allowlist: string;
  readonly action: 'delete' | 'quarantine';
  readonly user: string;
  /** The UserId seen at plan time. */
  readonly userId: string;
  /** Processes with the same run id share one fresh scan (Terraform runs one per action). */
  readonly runId?: string;
  readonly backupDir?: string;
  readonly auditLog?: string;
}

/**
 * One planned action, re-checked live first: the user must still have the planned UserId, still be
 * undeclared in the current allowlist, and every guard must still pass on a fresh scan.
 * This is what Terraform's local-exec runs. Exit 0 done (or already done), 1 refused or failed.
 */
export async function enforceCommand(options: EnforceOptions): Promise<number> {
  // Mutating commands always judge expiry and activity by the real clock: a --now in the future
  // would turn held users into deletions.
  const now = new Date();
  const allowlist = loadAllowlistOrThrow(options.allowlist, now);
  const backupDir = options.backupDir ?? '.iam-allowlist/backups';
  const clients = new AwsClients({ assumeRoleArn: options.assumeRole });
  try {
    const scan = () => obtainSnapshot(allowlist, { now }, clients);
    const freshSnapshot = memoize(() =>
      options.runId ? sharedFreshSnapshot({ dir: path.join(path.dirname(backupDir), 'runs'), runId: options.runId }, scan) : scan(),
    );
    const snapshot = await freshSnapshot();
    const action: PlannedAction = {
      action: options.action,
      userName: options.user,
      userId: options.userId,
      arn: snapshot.users.find((u) => u.userId === options.userId)?.arn ?? '',
    };
    try {
      const result = await enforceOne(action, {
        clients,
        accountId: snapshot.accountId,
        backupDir,
        auditLog: options.auditLog ?? '.iam-allowlist/audit.log',
        recentlyActiveDays: allowlist.guards.recentlyActiveDays,
        freshPlan: memoize(async () => computePlan(await freshSnapshot(), allowlist, now)),
      });
      process.stdout.write(describeResult(result) + '\n');
      return 0;
    } catch (err) {
      process.stderr.write(describeFailure({ action, error: err as Error }) + '\n');
      return 1;
    }
  } finally {
    clients.destroy();
  }
}
