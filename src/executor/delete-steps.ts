import { DeleteUserCommand, DeleteUserPermissionsBoundaryCommand, GetUserCommand } from '@aws-sdk/client-iam';
import { AwsError, RefusedError } from '../errors';
import { ensureBackup, itemsMissingFrom, mergeUserDetails } from './backup';
import { DELETE_BLOCKERS, removeAllBlockers } from './dependents';
import { readLiveUser, READ_USER_PERMISSIONS } from './read-user';
import { backupStep, recentKeyUseStep, removalStep } from './shared-steps';
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
    // The backup read found no user: it is gone already (verify-deleted confirms).
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

export const DELETE_STEPS: readonly Step<StepContext>[] = [
  backupStep,
  recentKeyUseStep,
  ...DELETE_BLOCKERS.map(removalStep),
  {
    id: 'delete-permissions-boundary',
    description: 'Delete the permissions boundary, if the fresh read found one (kept in the backup; it does not block DeleteUser)',
    permissions: ['iam:DeleteUserPermissionsBoundary'],
    async run({ iam, api, userName, live }) {
      if (!live?.permissionsBoundaryArn) return;
      await api.mutate(iam, new DeleteUserPermissionsBoundaryCommand({ UserName: userName }), { target: live.permissionsBoundaryArn });
    },
  },
  deleteUserStep,
  {
    id: 'verify-deleted',
    description: 'Verify GetUser answers NoSuchEntity',
    permissions: ['iam:GetUser'],
    async run({ iam, api, userName, userId }) {
      // IAM is eventually consistent: a just-deleted user can still be read for a moment.
      for (let attempt = 0; ; attempt++) {
        const got = await api.read(iam, new GetUserCommand({ UserName: userName }), { tolerate: ['NoSuchEntity'] });
        if (!got?.User) return;
        if (got.User.UserId !== userId) {
          throw new RefusedError(`user ${userName} exists again with another UserId ${got.User.UserId} (recreated meanwhile)`, [
            'recreated',
          ]);
        }
        if (attempt + 1 >= api.maxAttempts) {
          throw new AwsError(`user ${userName} still exists after DeleteUser`, 'VerifyFailed', 'GetUser');
        }
        await api.pause(attempt);
      }
    },
  },
];
