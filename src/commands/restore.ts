import { AwsClients } from '../aws/clients';
import { DEFAULT_AUDIT_LOG_PATH } from '../defaults';
import { installStopHandlers } from '../executor/interruption';
import { AuditLog, restoreUser } from '../executor';

export interface RestoreCommandOptions {
  /** Assume this role first (see AwsClients). */
  readonly assumeRole?: string;
  readonly backup: string;
  readonly auditLog?: string;
}

/** Recreate a deleted user from its backup and say plainly what cannot come back. */
export async function restoreCommand(options: RestoreCommandOptions): Promise<number> {
  // Write-ahead: an audit log that cannot be written fails before anything is read or sent.
  const audit = new AuditLog({ path: options.auditLog ?? DEFAULT_AUDIT_LOG_PATH, command: 'restore' });
  audit.open();
  const clients = new AwsClients({ assumeRoleArn: options.assumeRole });
  // A signal lets the call in flight finish and be recorded; InterruptedError then exits 130 / 143.
  const removeStopHandlers = installStopHandlers();
  try {
    const result = await restoreUser(clients, options.backup, audit);
    const how =
      result.mode === 'into-existing'
        ? `put back into the existing user (same UserId ${result.oldUserId})`
        : `new UserId ${result.newUserId ?? 'unknown'} (was ${result.oldUserId})`;
    process.stdout.write(`Restored ${result.userName}: ${how}\n`);
    for (const line of result.restored) process.stdout.write(`  + ${line}\n`);
    if (result.cannotRestore.length > 0) {
      process.stdout.write('Cannot come back:\n');
      for (const line of result.cannotRestore) process.stdout.write(`  - ${line}\n`);
    }
    for (const note of result.notes) process.stdout.write(`  note: ${note}\n`);
    return 0;
  } finally {
    removeStopHandlers();
    clients.destroy();
  }
}
