import type { AwsClients } from '../aws/clients';
import { InternalError } from '../errors';
import { ApiCaller, type RetryOptions } from './api-calls';
import type { AuditLog } from './audit';
import { readBackup, type UserBackup } from './backup';
import { reconcilePendingIntents } from './reconcile';
import { runStep, runSteps, type StepEvent, type StepResult } from './run-steps';
import type { LiveUserDetails } from './read-user';
import { RESTORE_PREFLIGHT, RESTORE_STEPS, type RestoreContext, type RestoreMode } from './restore-steps';

export interface RestoreResult {
  readonly userName: string;
  readonly oldUserId: string;
  /** UserId of the restored user: a new one when recreated, the backup's own when restored into it. */
  readonly newUserId: string | null;
  /** Whether the user was created now, by an earlier restore of this backup, or was the backed-up user itself (see RestoreMode). */
  readonly mode: RestoreMode;
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

/**
 * The parts of a backup no restore can bring back, whatever happens. `live` is the user as restore
 * found it (null: it did not exist): what it still has (the backed-up user itself, half deleted,
 * may keep keys, a password or MFA devices) is not lost, and when it is the very user (same UserId)
 * policies naming that UserId still apply.
 */
export function inherentlyLost(backup: UserBackup, live: LiveUserDetails | null = null): string[] {
  const u = backup.user;
  const lost: string[] = [];
  const stillThere = new Set([
    ...(live?.accessKeys.map((k) => k.accessKeyId) ?? []),
    ...(live?.mfaDevices.map((m) => m.serialNumber) ?? []),
    ...(live?.serviceSpecificCredentials.map((c) => c.serviceSpecificCredentialId) ?? []),
  ]);
  for (const k of u.accessKeys) {
    if (stillThere.has(k.accessKeyId)) continue;
    lost.push(`access key ${k.accessKeyId} (${k.status}): its secret is gone; issue a new key and update its consumers`);
  }
  if (u.loginProfile.present && !live?.loginProfile.present) {
    lost.push('console password: never stored; an administrator must set a new one (reset required)');
  }
  for (const m of u.mfaDevices) {
    if (stillThere.has(m.serialNumber)) continue;
    lost.push(
      `MFA device ${m.serialNumber}${m.virtual ? ' (virtual, deleted)' : ' (hardware, deactivated)'}: the user must enrol it again`,
    );
  }
  for (const c of u.serviceSpecificCredentials) {
    if (stillThere.has(c.serviceSpecificCredentialId)) continue;
    lost.push(`service-specific credential ${c.serviceSpecificCredentialId} for ${c.serviceName}: its password is gone; create a new one`);
  }
  if (live?.userId !== u.userId) {
    lost.push(
      `the old UserId ${u.userId}: any key policy, trust policy or resource policy that named ${u.arn} now shows ${u.userId} ` +
        'and does not apply to the recreated user; those policies must name the user again',
    );
  }
  return lost;
}

/**
 * Recreates a deleted user from its backup: path, tags, permissions boundary, groups, inline and
 * attached policies, SSH public keys and signing certificates. When the backed-up user itself still
 * exists (same UserId: a deletion stopped part-way), puts back only what it is missing. Refuses when
 * the backup belongs to another account, or a user of that name exists with another UserId that
 * this restore did not create.
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
  const preflight = await runStep(RESTORE_PREFLIGHT, { sts: clients.sts, api, backup, backupFile, notes: [] }, api);

  const reconciled = await reconcilePendingIntents(audit, clients.iam, backup.accountId, options.retry);
  const ctx: RestoreContext = {
    iam: clients.iam,
    api,
    backup,
    newUserId: null,
    mode: null,
    live: null,
    restored: [],
    cannotRestore: [],
    notes: reconciled,
  };
  const steps = await runSteps(RESTORE_STEPS, ctx, api, { onStep: options.onStep });
  if (!ctx.mode) throw new InternalError('the create-user step of restore did not say how it found the user');
  return {
    userName: u.name,
    oldUserId: u.userId,
    newUserId: ctx.newUserId,
    mode: ctx.mode,
    restored: ctx.restored,
    cannotRestore: [...inherentlyLost(backup, ctx.live), ...ctx.cannotRestore],
    steps: [preflight, ...steps],
    apiCalls: api.totalCalls(),
    notes: ctx.notes,
  };
}
