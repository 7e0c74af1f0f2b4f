import { DeleteUserCommand } from '@aws-sdk/client-iam';
import { AwsError, RefusedError } from '../errors';
import { ensureBackup, itemsMissingFrom, mergeUserDetails } from './backup';
import { DELETE_BLOCKERS, removeAllBlockers } from './dependents';
import { readLiveUser, READ_USER_PERMISSIONS } from './read-user';
import { refuseIfKeysRecentlyUsed } from './recent-key-use';
import { backupStep, listCredentialsStep, recentKeyUseStep, recheckStep, removalStep } from './shared-steps';
import { sortedUnique, type Step, type StepContext } from './step';

/**
 * DeleteUser answered DeleteConflict: something was added after the backup read (or IAM has not
 * settled the removals yet). Reads the user again in full, backs up what was added (merged with
 * the earlier backup, so the newest backup still holds everything), asks GetAccessKeyLastUsed for
 * every Active key the recent-use check has not seen (refusing as that check does), and removes
 * whatever is there.
 */
async function sweepAfterDeleteConflict(ctx: StepContext): Promise<void> {
  const fresh = await readLiveUser(ctx.iam, ctx.api, ctx.userName);
  if (!fresh) return;
  if (fresh.userId !== ctx.userId) {
    throw new RefusedError(`user ${ctx.userName} was recreated meanwhile: planned UserId ${ctx.userId}, live ${fresh.userId}`, [
      'recreated',
    ]);
  }
  const earlier = ctx.backup?.backup.user;
  const added = earlier ? itemsMissingFrom(earlier, fresh) : [];
  const backup = ensureBackup(earlier ? mergeUserDetails(earlier, fresh) : fresh, {
    dir: ctx.backupDir,
    accountId: ctx.accountId,
    purpose: ctx.purpose,
    now: ctx.now(),
  });
  ctx.notes.push(
    added.length > 0
      ? `DeleteUser answered DeleteConflict: added after the backup read: ${added.join(', ')}; ${backup.written ? 'wrote' : 'kept'} backup ${backup.file}`
      : 'DeleteUser answered DeleteConflict: a fresh read found nothing new; removing what it lists and retrying',
  );
  if (ctx.recentlyActiveDays !== undefined) {
    const checked = new Set((ctx.live?.accessKeys ?? []).filter((k) => k.status === 'Active').map((k) => k.accessKeyId));
    const unchecked = { ...fresh, accessKeys: fresh.accessKeys.filter((k) => !checked.has(k.accessKeyId)) };
    await refuseIfKeysRecentlyUsed(
      { iam: ctx.iam, api: ctx.api, now: ctx.now(), days: ctx.recentlyActiveDays, afterChanges: true },
      unchecked,
    );
  }
  await removeAllBlockers(ctx, fresh);
}

const deleteUserStep: Step<StepContext> = {
  id: 'delete-user',
  description:
    'Delete the user; on DeleteConflict read the user again, back up what was added, check the recent use of keys not checked yet, remove what was added, then retry (DeleteConflict retried while IAM settles)',
  permissions: sortedUnique([
    'iam:DeleteUser',
    'iam:GetAccessKeyLastUsed',
    ...READ_USER_PERMISSIONS,
    ...DELETE_BLOCKERS.flatMap((b) => b.permissions),
  ]),
  async run(ctx) {
    // The backup read found no user: it is gone already.
    if (!ctx.live) return;
    const { iam, api, userName } = ctx;
    try {
      await api.mutate(iam, new DeleteUserCommand({ UserName: userName }));
      return;
    } catch (err) {
      if (!(err instanceof AwsError && err.code === 'DeleteConflict')) throw err;
    }
    await sweepAfterDeleteConflict(ctx);
    // The first attempt counts against the bounded attempts (one retry after the sweep at least).
    await api.mutate(iam, new DeleteUserCommand({ UserName: userName }), { retryCodes: ['DeleteConflict'], attempts: api.maxAttempts - 1 });
  },
};

/**
 * No step removes the permissions boundary (it does not block DeleteUser and goes with the user; the
 * backup keeps it) and none reads the user again after DeleteUser: IAM's answer is the confirmation,
 * and a user created under the name afterwards is another user.
 */
export const DELETE_STEPS: readonly Step<StepContext>[] = [
  listCredentialsStep,
  recheckStep,
  backupStep,
  recentKeyUseStep,
  ...DELETE_BLOCKERS.map(removalStep),
  deleteUserStep,
];
