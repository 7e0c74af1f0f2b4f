import {
  DeleteUserPolicyCommand,
  GetUserCommand,
  ListAccessKeysCommand,
  ListUserTagsCommand,
  UntagUserCommand,
  UpdateAccessKeyCommand,
  type IAMClient,
} from '@aws-sdk/client-iam';
import { AwsError, UsageError } from '../errors';
import { QUARANTINED_AT_TAG, QUARANTINE_POLICY_NAME, QUARANTINE_REASON_TAG } from '../model/quarantine-marker';
import { listAll, type ApiCaller, type AwsClient, type AwsCommand, type OutputOf } from './api-calls';
import { listBackups, type UserBackup } from './backup';
import { DEACTIVATED_KEYS_TAG, EXECUTOR_MARK_TAG_KEYS, keysToReactivate } from './deactivated-keys';
import type { Step } from './step';

// Release: undo a quarantine.

export interface ReleaseContext {
  readonly iam: IAMClient;
  readonly api: ApiCaller;
  readonly userName: string;
  /** The newest backup of this user (same UserId). */
  readonly backup: UserBackup;
  /** Every backup of this user (same UserId), oldest first: which keys were Active before quarantine. */
  readonly backups: readonly UserBackup[];
  readonly reactivatedKeys: string[];
  readonly notes: string[];
}

/** What release's first step works with: the name the caller typed; the step finds the live user and its backups. */
export interface ReleasePreflightContext {
  readonly iam: IAMClient;
  readonly api: ApiCaller;
  /** As typed: IAM matches names case-insensitively. */
  readonly userName: string;
  readonly backupDir: string;
  readonly notes: string[];
  /** Set by the step. */
  found: {
    readonly exactName: string;
    readonly userId: string;
    readonly accountId: string;
    readonly backupFiles: readonly string[];
  } | null;
}

export const RELEASE_PREFLIGHT: Step<ReleasePreflightContext> = {
  id: 'preflight',
  description: 'GetUser and find the quarantine backup',
  permissions: ['iam:GetUser'],
  async run(ctx) {
    const { userName, backupDir } = ctx;
    const live = await ctx.api.read(ctx.iam, new GetUserCommand({ UserName: userName }), { tolerate: ['NoSuchEntity'] });
    if (!live?.User?.UserId || !live.User.Arn) {
      throw new UsageError(
        `user ${userName} does not exist; there is nothing to release`,
        'use `restore` with a backup file to recreate a deleted user',
      );
    }
    const userId = live.User.UserId;
    // IAM names are case-insensitive, backup file names are not: use the name as IAM stores it.
    const exactName = live.User.UserName ?? userName;
    const accountId = live.User.Arn.split(':')[4] ?? '';
    const backupFiles = listBackups(backupDir, accountId, exactName, userId);
    if (backupFiles.length === 0) {
      throw new UsageError(
        `no backup of ${exactName} (${userId}) in ${backupDir}: cannot tell which access keys were active before quarantine`,
        'point --backup-dir at the directory the quarantine wrote to',
      );
    }
    ctx.found = { exactName, userId, accountId, backupFiles };
  },
};

/** Lists of a user that vanished meanwhile are empty: there is nothing left to remove. */
async function listOfUser<C extends AwsCommand, T>(
  api: ApiCaller,
  client: AwsClient,
  command: (marker: string | undefined) => C,
  items: (page: OutputOf<C>) => readonly T[] | undefined,
): Promise<T[]> {
  try {
    return await listAll(api, client, command, items);
  } catch (err) {
    if (err instanceof AwsError && err.code === 'NoSuchEntity') return [];
    throw err;
  }
}

export const RELEASE_STEPS: readonly Step<ReleaseContext>[] = [
  {
    id: 'remove-deny-policy',
    description: `Delete the inline deny-all policy "${QUARANTINE_POLICY_NAME}"`,
    permissions: ['iam:DeleteUserPolicy'],
    async run({ iam, api, userName }) {
      await api.mutate(iam, new DeleteUserPolicyCommand({ UserName: userName, PolicyName: QUARANTINE_POLICY_NAME }), {
        target: QUARANTINE_POLICY_NAME,
      });
    },
  },
  {
    id: 'reactivate-access-keys',
    description: `Re-activate the access keys quarantine recorded deactivating (${DEACTIVATED_KEYS_TAG}) that a backup saw Active and that are Inactive now`,
    permissions: ['iam:ListUserTags', 'iam:ListAccessKeys', 'iam:UpdateAccessKey'],
    async run({ iam, api, userName, backups, reactivatedKeys, notes }) {
      const tags = await listOfUser(
        api,
        iam,
        (Marker) => new ListUserTagsCommand({ UserName: userName, Marker }),
        (p) => p.Tags,
      );
      const live = await listOfUser(
        api,
        iam,
        (Marker) => new ListAccessKeysCommand({ UserName: userName, Marker }),
        (p) => p.AccessKeyMetadata,
      );
      const decision = keysToReactivate(
        tags.find((t) => t.Key === DEACTIVATED_KEYS_TAG)?.Value,
        backups.map((b) => b.user),
        live.map((k) => ({ accessKeyId: k.AccessKeyId ?? '', status: k.Status ?? '' })),
      );
      for (const { accessKeyId, reason } of decision.leftAlone) notes.push(`access key ${accessKeyId} ${reason}`);
      for (const AccessKeyId of decision.reactivate) {
        const { outcome } = await api.mutate(iam, new UpdateAccessKeyCommand({ UserName: userName, AccessKeyId, Status: 'Active' }), {
          target: AccessKeyId,
        });
        if (outcome === 'ok') reactivatedKeys.push(AccessKeyId);
      }
    },
  },
  {
    id: 'untag-quarantined',
    description: `Remove the ${QUARANTINED_AT_TAG}, ${QUARANTINE_REASON_TAG} and ${DEACTIVATED_KEYS_TAG} tags`,
    permissions: ['iam:UntagUser'],
    async run({ iam, api, userName }) {
      await api.mutate(iam, new UntagUserCommand({ UserName: userName, TagKeys: [...EXECUTOR_MARK_TAG_KEYS] }), {
        target: EXECUTOR_MARK_TAG_KEYS.join(','),
      });
    },
  },
];
