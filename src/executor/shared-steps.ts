import { RefusedError } from '../errors';
import { refuseUnlessPlannedUser } from './action-preflight';
import { ensureBackup } from './backup';
import { refuseIfKeysRecentlyUsed } from './recent-key-use';
import type { DeleteBlocker } from './dependents';
import {
  readCredentialLists,
  readIdentityAndAccessKeys,
  readUserForAction,
  LIST_CREDENTIALS_PERMISSIONS,
  READ_USER_PERMISSIONS,
} from './read-user';
import type { Step, StepContext } from './step';

// Steps shared by deletion and quarantine.

/**
 * Deletion only, before the re-check: the live lists no bulk read returns (access keys, SSH keys with
 * their bodies, signing certificates, service-specific credentials). They are read while the run's
 * re-check scan is being taken, so IAM is not idle while KMS is scanned; reads change nothing, and
 * anything added after them blocks DeleteUser (DeleteConflict, handled by the delete-user step).
 */
export const listCredentialsStep: Step<StepContext> = {
  id: 'list-credentials',
  description: 'List the credentials no bulk read returns (access keys, SSH keys, signing certificates, service-specific credentials)',
  permissions: LIST_CREDENTIALS_PERMISSIONS,
  async run(ctx) {
    ctx.listed = await readCredentialLists(ctx.iam, ctx.api, ctx.userName);
  },
};

/**
 * The re-check at the moment of change: the allowlist read again and the guards judged on a scan at
 * most guards.recheckMaxAgeSeconds old (ExecutorContext.recheck). Refuses when it fails; nothing has
 * been changed or backed up yet. When the user's own reads began before that scan had answered (they
 * overlapped it), GetUser and the access keys are read again here: the UserId, tags and boundary the
 * backup keeps and the key states the recent-use check asks about are then no older than the re-check.
 */
export const recheckStep: Step<StepContext> = {
  id: 'recheck',
  description:
    'Re-check the guards on a fresh plan (allowlist read again, scan at most guards.recheckMaxAgeSeconds old); refuse when it fails; read GetUser and the access keys again if they were read before that scan answered',
  permissions: ['iam:GetUser', 'iam:ListAccessKeys'],
  async run(ctx) {
    // The credential lists found the user gone: nothing is left to change or to re-check.
    if (ctx.listed === null) return;
    const recheck = await ctx.recheck();
    if (!recheck.ok) {
      throw new RefusedError(`re-check refused to ${ctx.purpose} ${ctx.userName}: ${recheck.reasons.join('; ')}`, recheck.reasons);
    }
    let identity = ctx.preflightUser;
    if (recheck.readAgain && ctx.listed !== undefined) {
      const fresh = await readIdentityAndAccessKeys(ctx.iam, ctx.api, ctx.userName);
      if (!fresh) {
        ctx.listed = null;
        return;
      }
      refuseUnlessPlannedUser(ctx.userName, ctx.userId, fresh.user.UserId);
      identity = fresh.user;
      ctx.listed = { ...ctx.listed, accessKeys: fresh.accessKeys };
    }
    const scanned = recheck.scanned ?? ctx.givenScan;
    if (scanned) ctx.scanned = { ...scanned, preflightUser: identity };
  },
};

export const backupStep: Step<StepContext> = {
  id: 'backup',
  description: 'Read everything about the user and write a JSON backup (kept if an earlier one covers it); later steps act on this read',
  permissions: READ_USER_PERMISSIONS,
  async run(ctx) {
    const live = await readUserForAction(ctx.iam, ctx.api, ctx.userName, ctx.scanned, {
      purpose: ctx.purpose,
      now: ctx.now(),
      ...(ctx.listed !== undefined ? { listed: ctx.listed } : {}),
    });
    if (!live) {
      ctx.notes.push('the user disappeared before the backup; nothing to back up');
      return;
    }
    refuseUnlessPlannedUser(ctx.userName, ctx.userId, live.userId);
    ctx.live = live;
    ctx.backup = ensureBackup(live, { dir: ctx.backupDir, accountId: ctx.accountId, purpose: ctx.purpose, now: ctx.now() });
    if (ctx.backup.written) ctx.api.markChanged();
    ctx.notes.push(`${ctx.backup.written ? 'wrote' : 'kept existing'} backup ${ctx.backup.file}`);
  },
};

/**
 * A step that removes one kind of DeleteUser blocker, acting on the backup step's read of this run
 * (fresh: it happened after the UserId check and the re-check). Anything added after that read makes
 * DeleteUser answer DeleteConflict, which the delete-user step handles.
 */
export function removalStep(blocker: DeleteBlocker): Step<StepContext> {
  return {
    id: blocker.stepId,
    description: blocker.description,
    permissions: blocker.permissions,
    async run(ctx) {
      if (!ctx.live) return;
      await blocker.remove(ctx, ctx.live, ctx.backup?.backup.user);
    },
  };
}

export const recentKeyUseStep: Step<StepContext> = {
  id: 'check-recent-key-use',
  description:
    'If recentlyActiveDays is set: ask GetAccessKeyLastUsed for every Active access key of the backup read and refuse when one was used within that many days (the credential report can be hours old)',
  permissions: ['iam:GetAccessKeyLastUsed'],
  async run(ctx) {
    if (!ctx.live || ctx.recentlyActiveDays === undefined) return;
    await refuseIfKeysRecentlyUsed(
      { iam: ctx.iam, api: ctx.api, now: ctx.now(), days: ctx.recentlyActiveDays, action: ctx.purpose },
      ctx.live,
    );
  },
};
