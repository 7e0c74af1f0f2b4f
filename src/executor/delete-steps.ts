import { DeleteUserCommand } from '@aws-sdk/client-iam';
import { AwsError, RefusedError } from '../errors';
import { ensureBackup, itemsMissingFrom, mergeUserDetails } from './backup';
import { DELETE_BLOCKERS, removeAllBlockers } from './dependents';
import { readLiveUser, READ_USER_PERMISSIONS } from './read-user';
import { backupStep, listCredentialsStep, recentKeyUseStep, recheckStep, removalStep } from './shared-steps';
import { sortedUnique, type Step, type StepContext } from './step';

/**
 * DeleteUser answered DeleteConflict: something was added after the backup read (or IAM has not
 * settled the removals yet). Reads the user again in full, backs up what was added (merged with
 * the earlier backup, so the newest backup still holds everything) and removes whatever is there.
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
  await removeAllBlockers(ctx, fresh);
}

const deleteUserStep: Step<StepContext> = {
  id: 'delete-user',
  description:
    'Delete the user; on DeleteConflict read the user again, back up and remove what was added, then retry (DeleteConflict retried while IAM settles)',
  permissions: sortedUnique(['iam:DeleteUser', ...READ_USER_PERMISSIONS, ...DELETE_BLOCKERS.flatMap((b) => b.permissions)]),
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
