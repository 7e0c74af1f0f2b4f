import * as path from 'path';
import { AwsClients } from '../aws/clients';
import { DEFAULT_AUDIT_LOG_PATH, DEFAULT_BACKUP_DIR } from '../defaults';
import { AuditLog } from '../executor';
import { installStopHandlers } from '../executor/interruption';
import type { PlannedAction } from '../model/plan';
import { loadAllowlistOrThrow, obtainSnapshot } from './context';
import { describeFailure, describeResult, describeStop, enforceActions, liveRecheckPlan, recheckMaxAgeMs } from './enforcement';
import { BoundedAgeScan, sharedTimedSnapshot } from './shared-scan';
import { exitCodeOfRun } from './run-exit-code';

export interface EnforceOptions {
  /** Assume this role first (see AwsClients). */
  readonly assumeRole?: string;
  readonly allowlist: string;
  readonly action: 'delete' | 'quarantine';
  readonly user: string;
  /** The UserId seen at plan time. */
  readonly userId: string;
  /** Processes with the same run id share one scan per guards.recheckMaxAgeSeconds window (Terraform runs one per action). */
  readonly runId?: string;
  readonly backupDir?: string;
  readonly auditLog?: string;
}

/**
 * One planned action, re-checked live first: the user must still have the planned UserId, still be
 * undeclared in the allowlist file as it is now, and every guard must still pass on a scan at most
 * guards.recheckMaxAgeSeconds old. This is what Terraform's local-exec runs. Exit (exitCodeOfRun) 0 done
 * (or already done), 3 refused by a safety check (nothing changed), 1 failed, 130 / 143 stopped by SIGINT / SIGTERM.
 */
export async function enforceCommand(options: EnforceOptions): Promise<number> {
  // Mutating commands always judge expiry and activity by the real clock: a --now in the future
  // would turn held users into deletions.
  const now = new Date();
  const allowlist = loadAllowlistOrThrow(options.allowlist, now);
  const backupDir = options.backupDir ?? DEFAULT_BACKUP_DIR;
  // One user, about fifteen IAM calls, beside the other enforce processes Terraform runs at once: an adaptive
  // limiter would only learn this process's small share of IAM's account-wide budget and then hold it below
  // that (measured: 10 processes, 20 deletions, 26.6 s with it, 21.4 s without). Throttled calls back off.
  const clients = new AwsClients({ assumeRoleArn: options.assumeRole, adaptiveRateLimit: false });
  // Write-ahead: an audit log that cannot be written fails before the scan and before any change.
  const audit = new AuditLog({
    path: options.auditLog ?? DEFAULT_AUDIT_LOG_PATH,
    command: `enforce --action ${options.action} --user ${options.user}`,
  });
  audit.open();
  let removeStopHandlers = () => {};
  try {
    const scanNow = () => obtainSnapshot(allowlist, { now: new Date() }, clients);
    const runsDir = path.join(path.dirname(backupDir), 'runs');
    const scan = new BoundedAgeScan(async (maxAgeMs) => {
      if (options.runId) return sharedTimedSnapshot({ dir: runsDir, runId: options.runId, maxAgeMs }, scanNow);
      const startedAt = Date.now();
      return { snapshot: await scanNow(), startedAt };
    });
    const snapshot = await scan.get(recheckMaxAgeMs(allowlist));
    const action: PlannedAction = {
      action: options.action,
      userName: options.user,
      userId: options.userId,
      arn: snapshot.users.find((u) => u.userId === options.userId)?.arn ?? '',
    };
    removeStopHandlers = installStopHandlers();
    const outcome = await enforceActions([action], {
      clients,
      accountId: snapshot.accountId,
      backupDir,
      auditLog: audit,
      recentlyActiveDays: allowlist.guards.recentlyActiveDays,
      freshPlan: liveRecheckPlan({ allowlistFile: options.allowlist, scan }),
      answeredRecheckScan: () => scan.answered(),
    });
    for (const result of outcome.results) process.stdout.write(describeResult(result) + '\n');
    for (const failure of outcome.failures) process.stderr.write(describeFailure(failure) + '\n');
    if (outcome.stop) process.stderr.write(describeStop(outcome) + '\n');
    return exitCodeOfRun(outcome);
  } finally {
    removeStopHandlers();
    clients.destroy();
  }
}
