import { AwsClients } from '../aws/clients';
import { AuditLog, restoreUser } from '../executor';

export interface RestoreCommandOptions {
  /** Assume this role first (see AwsClients). */
  readonly assumeRole?: string;
  readonly backup: string;
  readonly auditLog?: string;
}

/** Recreate a deleted user from its backup and say plainly what cannot come back. */
export async function restoreCommand(options: RestoreCommandOptions): Promise<number> {
  const clients = new AwsClients({ assumeRoleArn: options.assumeRole });
  try {
    const result = await restoreUser(clients, options.backup, new AuditLog({ path: options.auditLog ?? '.iam-allowlist/audit.log' }));
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
    clients.destroy();
  }
}
