import { AwsClients } from '../aws/clients';
import { DEFAULT_AUDIT_LOG_PATH, DEFAULT_BACKUP_DIR } from '../defaults';
import { installStopHandlers } from '../executor/interruption';
import { AuditLog, releaseUser } from '../executor';

export interface ReleaseCommandOptions {
  /** Assume this role first (see AwsClients). */
  readonly assumeRole?: string;
  readonly user: string;
  readonly backupDir?: string;
  readonly auditLog?: string;
}

/** Undo a quarantine. The console password is never set here: the output says it needs a reset. */
export async function releaseCommand(options: ReleaseCommandOptions): Promise<number> {
  // Write-ahead: an audit log that cannot be written fails before anything is read or sent.
  const audit = new AuditLog({ path: options.auditLog ?? DEFAULT_AUDIT_LOG_PATH, command: 'release' });
  audit.open();
  const clients = new AwsClients({ assumeRoleArn: options.assumeRole });
  // A signal lets the call in flight finish and be recorded; InterruptedError then exits 130 / 143.
  const removeStopHandlers = installStopHandlers();
  try {
    const result = await releaseUser(clients, options.user, options.backupDir ?? DEFAULT_BACKUP_DIR, audit);
    process.stdout.write(`Released ${result.userName} (${result.userId}) using ${result.backupFile}\n`);
    process.stdout.write(`  access keys re-activated: ${result.reactivatedKeys.length ? result.reactivatedKeys.join(', ') : 'none'}\n`);
    for (const note of result.notes) process.stdout.write(`  note: ${note}\n`);
    return 0;
  } finally {
    removeStopHandlers();
    clients.destroy();
  }
}
