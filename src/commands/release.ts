import { AwsClients } from '../aws/clients';
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
  const clients = new AwsClients({ assumeRoleArn: options.assumeRole });
  try {
    const result = await releaseUser(
      clients,
      options.user,
      options.backupDir ?? '.iam-allowlist/backups',
      new AuditLog({ path: options.auditLog ?? '.iam-allowlist/audit.log' }),
    );
    process.stdout.write(`Released ${result.userName} (${result.userId}) using ${result.backupFile}\n`);
    process.stdout.write(`  access keys re-activated: ${result.reactivatedKeys.length ? result.reactivatedKeys.join(', ') : 'none'}\n`);
    for (const note of result.notes) process.stdout.write(`  note: ${note}\n`);
    return 0;
  } finally {
    clients.destroy();
  }
}
