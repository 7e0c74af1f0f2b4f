import {
  DeleteUserPolicyCommand,
  ListAccessKeysCommand,
  ListUserTagsCommand,
  UntagUserCommand,
  UpdateAccessKeyCommand,
  type IAMClient,
} from '@aws-sdk/client-iam';
import { AwsError } from '../errors';
import { QUARANTINED_AT_TAG, QUARANTINE_POLICY_NAME, QUARANTINE_REASON_TAG } from '../model/quarantine-marker';
import { listAll, type ApiCaller } from './api-calls';
import type { UserBackup } from './backup';
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

/** Lists of a user that vanished meanwhile are empty: there is nothing left to remove. */
async function listOfUser<O extends { IsTruncated?: boolean; Marker?: string }, T>(
  api: ApiCaller,
  operation: string,
  send: (marker: string | undefined) => Promise<O>,
  items: (page: O) => readonly T[] | undefined,
): Promise<T[]> {
  try {
    return await listAll(api, operation, send, items);
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
      await api.mutate('DeleteUserPolicy', QUARANTINE_POLICY_NAME, () => iam.send(new DeleteUserPolicyCommand({ UserName: userName, PolicyName: QUARANTINE_POLICY_NAME })));
    },
  },
  {
    id: 'reactivate-access-keys',
    description: `Re-activate the access keys quarantine recorded deactivating (${DEACTIVATED_KEYS_TAG}) that a backup saw Active and that are Inactive now`,
    permissions: ['iam:ListUserTags', 'iam:ListAccessKeys', 'iam:UpdateAccessKey'],
    async run({ iam, api, userName, backups, reactivatedKeys, notes }) {
      const tags = await listOfUser(api, 'ListUserTags', (Marker) => iam.send(new ListUserTagsCommand({ UserName: userName, Marker })), (p) => p.Tags);
      const live = await listOfUser(api, 'ListAccessKeys', (Marker) => iam.send(new ListAccessKeysCommand({ UserName: userName, Marker })), (p) => p.AccessKeyMetadata);
      const decision = keysToReactivate(
        tags.find((t) => t.Key === DEACTIVATED_KEYS_TAG)?.Value,
        backups.map((b) => b.user),
        live.map((k) => ({ accessKeyId: k.AccessKeyId ?? '', status: k.Status ?? '' })),
      );
      for (const { accessKeyId, reason } of decision.leftAlone) notes.push(`access key ${accessKeyId} ${reason}`);
      for (const AccessKeyId of decision.reactivate) {
        const outcome = await api.mutate('UpdateAccessKey', AccessKeyId, () => iam.send(new UpdateAccessKeyCommand({ UserName: userName, AccessKeyId, Status: 'Active' })));
        if (outcome === 'ok') reactivatedKeys.push(AccessKeyId);
      }
    },
  },
  {
    id: 'untag-quarantined',
    description: `Remove the ${QUARANTINED_AT_TAG}, ${QUARANTINE_REASON_TAG} and ${DEACTIVATED_KEYS_TAG} tags`,
    permissions: ['iam:UntagUser'],
    async run({ iam, api, userName }) {
      await api.mutate('UntagUser', EXECUTOR_MARK_TAG_KEYS.join(','), () => iam.send(new UntagUserCommand({ UserName: userName, TagKeys: [...EXECUTOR_MARK_TAG_KEYS] })));
    },
  },
];
