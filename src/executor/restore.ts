import { GetCallerIdentityCommand } from '@aws-sdk/client-sts';
import type { AwsClients } from '../aws/clients';
import { RefusedError } from '../errors';
import { ApiCaller, type RetryOptions } from './api-calls';
import type { AuditLog } from './audit';
import { readBackup, type UserBackup } from './backup';
import { runSteps, type StepEvent, type StepResult } from './run-steps';
import { RESTORE_STEPS, type RestoreContext } from './steps';

export interface RestoreResult {
  readonly userName: string;
  readonly oldUserId: string;
  readonly newUserId: string | null;
  /** What was recreated, one line each. */
  readonly restored: readonly string[];
  /** What cannot come back, one line each (secrets, MFA devices, the old UserId, missing dependencies). */
  readonly cannotRestore: readonly string[];
  readonly steps: readonly StepResult[];
  readonly apiCalls: Readonly<Record<string, number>>;
  readonly notes: readonly string[];
}

export interface RestoreOptions {
  /** A returned promise is awaited. */
  readonly onStep?: (event: StepEvent) => void | Promise<void>;
  readonly retry?: RetryOptions;
}

/** The parts of a backup no restore can bring back, whatever happens. */
export function inherentlyLost(backup: UserBackup): string[] {
  const u = backup.user;
  const lost: string[] = [];
  for (const k of u.accessKeys) {
    lost.push(`access key ${k.accessKeyId} (${k.status}): its secret is gone; issue a new key and update its consumers`);
  }
  if (u.loginProfile.present) lost.push('console password: never stored; an administrator must set a new one (reset required)');
  for (const m of u.mfaDevices) {
    lost.push(`MFA device ${m.serialNumber}${m.virtual ? ' (virtual, deleted)' : ' (hardware, deactivated)'}: the user must enrol it again`);
  }
  for (const c of u.serviceSpecificCredentials) {
    lost.push(`service-specific credential ${c.serviceSpecificCredentialId} for ${c.serviceName}: its password is gone; create a new one`);
  }
  lost.push(
    `the old UserId ${u.userId}: any key policy, trust policy or resource policy that named ${u.arn} now shows ${u.userId} ` +
      'and does not apply to the recreated user; those policies must name the user again',
  );
  return lost;
}

/**
 * Recreates a deleted user from its backup: path, tags, permissions boundary, groups, inline and
 * attached policies, SSH public keys and signing certificates. Refuses when the backup belongs to
 * another account or a user of that name exists that this restore did not create.
 */
export async function restoreUser(
  clients: AwsClients,
  backupFile: string,
  audit: AuditLog,
  options: RestoreOptions = {},
): Promise<RestoreResult> {
  const backup = readBackup(backupFile);
  const u = backup.user;
  const api = new ApiCaller(audit, { account: backup.accountId, user: u.name, userId: null }, options.retry);
  api.beginStep('preflight');
  const caller = await api.readRequired('sts:GetCallerIdentity', () => clients.sts.send(new GetCallerIdentityCommand({})));
  const preflightCalls = api.endStep().calls;
  if (caller.Account !== backup.accountId) {
    throw new RefusedError(`backup ${backupFile} is of account ${backup.accountId}, but the credentials are for account ${caller.Account}`, ['account-pin']);
  }

  const ctx: RestoreContext = { iam: clients.iam, api, backup, newUserId: null, restored: [], cannotRestore: [], notes: [] };
  const steps = await runSteps(RESTORE_STEPS, ctx, api, { onStep: options.onStep });
  return {
    userName: u.name,
    oldUserId: u.userId,
    newUserId: ctx.newUserId,
    restored: ctx.restored,
    cannotRestore: [...inherentlyLost(backup), ...ctx.cannotRestore],
    steps: [{ id: 'preflight', description: 'GetCallerIdentity: same account as the backup', outcome: 'already-done', apiCalls: preflightCalls, notes: [] }, ...steps],
    apiCalls: api.totalCalls(),
    notes: ctx.notes,
  };
}
