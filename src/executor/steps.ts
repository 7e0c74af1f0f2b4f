import {
  AddUserToGroupCommand,
  AttachUserPolicyCommand,
  CreateUserCommand,
  DeleteUserCommand,
  DeleteUserPermissionsBoundaryCommand,
  DeleteUserPolicyCommand,
  GetUserCommand,
  ListAccessKeysCommand,
  ListUserTagsCommand,
  PutUserPermissionsBoundaryCommand,
  PutUserPolicyCommand,
  TagUserCommand,
  UntagUserCommand,
  UpdateAccessKeyCommand,
  UpdateSigningCertificateCommand,
  UpdateSSHPublicKeyCommand,
  UploadSigningCertificateCommand,
  UploadSSHPublicKeyCommand,
  type IAMClient,
} from '@aws-sdk/client-iam';
import { AwsError, InternalError, RefusedError } from '../errors';
import { listAll, type ApiCaller } from './api-calls';
import { ensureBackup, itemsMissingFrom, mergeUserDetails, type EnsuredBackup, type UserBackup } from './backup';
import {
  QUARANTINED_AT_TAG,
  QUARANTINE_POLICY_DOCUMENT,
  QUARANTINE_POLICY_NAME,
  QUARANTINE_REASON_TAG,
  toTagValue,
} from '../model/quarantine-marker';
import { DEACTIVATED_KEYS_TAG, deactivatedKeysTagValue, EXECUTOR_MARK_TAG_KEYS, keysToReactivate } from './deactivated-keys';
import { refuseIfKeysRecentlyUsed } from './recent-key-use';
import { DELETE_BLOCKERS, LOGIN_PROFILE, removeAllBlockers, type DeleteBlocker } from './dependents';
import { readLiveUser, readUserForAction, READ_USER_PERMISSIONS, type LiveUserDetails, type ScannedUserFacts } from './read-user';

/**
 * One idempotent unit of work. Tables of steps are data: the executor runs them in order, the
 * least-privilege policy is generated from their `permissions`.
 */
export interface Step<C> {
  readonly id: string;
  readonly description: string;
  /** Every IAM/STS action `run` may call, e.g. ['iam:ListAccessKeys', 'iam:DeleteAccessKey']. */
  readonly permissions: readonly string[];
  run(ctx: C): Promise<void>;
}

/** What delete and quarantine steps work with. */
export interface StepContext {
  readonly iam: IAMClient;
  readonly api: ApiCaller;
  readonly accountId: string;
  readonly userName: string;
  /** The UserId planned and confirmed live before the first step. */
  readonly userId: string;
  readonly purpose: 'delete' | 'quarantine';
  readonly backupDir: string;
  readonly now: () => Date;
  /** Value of the iam-allowlist:reason tag (quarantine). */
  readonly quarantineReason: string;
  /**
   * Refuse when an Active access key was used within this many days (asked live with
   * GetAccessKeyLastUsed after the backup read). Undefined: no live check.
   */
  readonly recentlyActiveDays?: number;
  /**
   * The user in the run's bounded-age re-check scan, with the preflight GetUser answer: a deletion's
   * backup read takes from it what the bulk reads returned (readUserForAction). Undefined: read in full.
   */
  readonly scanned?: ScannedUserFacts;
  /** Set by the backup step. Later steps use it for what a crashed run already made invisible. */
  backup: EnsuredBackup | null;
  /**
   * The backup step's read of the live user in this run (null before it, or when the user was gone).
   * The removal steps act on it instead of listing each kind again.
   */
  live?: LiveUserDetails | null;
  /** Facts worth telling the operator, collected by the running step. */
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

function sortedUnique(actions: Iterable<string>): string[] {
  return [...new Set(actions)].sort();
}

// ---------------------------------------------------------------------------------------------
// Steps shared by deletion and quarantine

const backupStep: Step<StepContext> = {
  id: 'backup',
  description: 'Read everything about the user and write a JSON backup (kept if an earlier one covers it); later steps act on this read',
  permissions: READ_USER_PERMISSIONS,
  async run(ctx) {
    const live = await readUserForAction(ctx.iam, ctx.api, ctx.userName, ctx.scanned, { purpose: ctx.purpose, now: ctx.now() });
    if (!live) {
      ctx.notes.push('the user disappeared before the backup; nothing to back up');
      return;
    }
    if (live.userId !== ctx.userId) {
      throw new RefusedError(`user ${ctx.userName} was recreated: planned UserId ${ctx.userId}, live ${live.userId}`, ['recreated']);
    }
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
function removalStep(blocker: DeleteBlocker): Step<StepContext> {
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

// ---------------------------------------------------------------------------------------------
// Deletion

/**
 * DeleteUser answered DeleteConflict: something was added after the backup read (or IAM has not
 * settled the removals yet). Reads the user again in full, backs up what was added (merged with
 * the earlier backup, so the newest backup still holds everything) and removes whatever is there.
 */
async function sweepAfterDeleteConflict(ctx: StepContext): Promise<void> {
  const fresh = await readLiveUser(ctx.iam, ctx.api, ctx.userName);
  if (!fresh) return;
  if (fresh.userId !== ctx.userId) {
    throw new RefusedError(`user ${ctx.userName} was recreated meanwhile: planned UserId ${ctx.userId}, live ${fresh.userId}`, ['recreated']);
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
    const deleteUser = () => iam.send(new DeleteUserCommand({ UserName: userName }));
    try {
      await api.mutate('DeleteUser', null, deleteUser);
      return;
    } catch (err) {
      if (!(err instanceof AwsError && err.code === 'DeleteConflict')) throw err;
    }
    await sweepAfterDeleteConflict(ctx);
    // The first attempt counts against the bounded attempts (one retry after the sweep at least).
    await api.mutate('DeleteUser', null, deleteUser, { retryCodes: ['DeleteConflict'], attempts: api.maxAttempts - 1 });
  },
};

const recentKeyUseStep: Step<StepContext> = {
  id: 'check-recent-key-use',
  description:
    'If recentlyActiveDays is set: ask GetAccessKeyLastUsed for every Active access key of the backup read and refuse when one was used within that many days (the credential report can be hours old)',
  permissions: ['iam:GetAccessKeyLastUsed'],
  async run(ctx) {
    if (!ctx.live || ctx.recentlyActiveDays === undefined) return;
    await refuseIfKeysRecentlyUsed({ iam: ctx.iam, api: ctx.api, now: ctx.now(), days: ctx.recentlyActiveDays, action: ctx.purpose }, ctx.live);
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
      await api.mutate('DeleteUserPermissionsBoundary', live.permissionsBoundaryArn, () => iam.send(new DeleteUserPermissionsBoundaryCommand({ UserName: userName })));
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
        const got = await api.read('GetUser', () => iam.send(new GetUserCommand({ UserName: userName })), ['NoSuchEntity']);
        if (!got?.User) return;
        if (got.User.UserId !== userId) {
          throw new RefusedError(`user ${userName} exists again with another UserId ${got.User.UserId} (recreated meanwhile)`, ['recreated']);
        }
        if (attempt + 1 >= api.maxAttempts) {
          throw new AwsError(`user ${userName} still exists after DeleteUser`, 'VerifyFailed', 'GetUser');
        }
        await api.pause(attempt);
      }
    },
  },
];

// ---------------------------------------------------------------------------------------------
// Quarantine
//
// The steps act on the backup read too. A key or password added after that read is not touched, but
// the deny-all policy put right after the read already denies every call such a credential makes.

/** True when `document` is the deny-all policy (whatever its spacing); anything else is put again. */
function isQuarantinePolicyDocument(document: string): boolean {
  try {
    return JSON.stringify(JSON.parse(document)) === QUARANTINE_POLICY_DOCUMENT;
  } catch {
    return false;
  }
}

export const QUARANTINE_STEPS: readonly Step<StepContext>[] = [
  backupStep,
  // Quarantine drops the console password, which cannot come back: the same live check as delete.
  recentKeyUseStep,
  {
    id: 'put-deny-policy',
    description: `Put the inline deny-all policy "${QUARANTINE_POLICY_NAME}", unless the fresh read found it in place`,
    permissions: ['iam:PutUserPolicy'],
    async run({ iam, api, userName, live }) {
      if (!live || live.inlinePolicies.some((p) => p.name === QUARANTINE_POLICY_NAME && isQuarantinePolicyDocument(p.document))) return;
      await api.mutate(
        'PutUserPolicy',
        QUARANTINE_POLICY_NAME,
        () => iam.send(new PutUserPolicyCommand({ UserName: userName, PolicyName: QUARANTINE_POLICY_NAME, PolicyDocument: QUARANTINE_POLICY_DOCUMENT })),
        { alreadyDoneCodes: [] },
      );
    },
  },
  {
    id: 'deactivate-access-keys',
    description: `Deactivate every access key the fresh read found Active, then record their ids in the ${DEACTIVATED_KEYS_TAG} tag (release re-activates only those)`,
    permissions: ['iam:UpdateAccessKey', 'iam:TagUser'],
    async run({ iam, api, userName, live }) {
      if (!live) return;
      const deactivated: string[] = [];
      for (const key of live.accessKeys) {
        if (key.status !== 'Active') continue;
        const AccessKeyId = key.accessKeyId;
        const outcome = await api.mutate('UpdateAccessKey', AccessKeyId, () => iam.send(new UpdateAccessKeyCommand({ UserName: userName, AccessKeyId, Status: 'Inactive' })));
        if (outcome === 'ok') deactivated.push(AccessKeyId);
      }
      if (deactivated.length === 0) return;
      // Written after the deactivation, not before: a crash in between loses the record, and release
      // then leaves those keys Inactive (fail safe) instead of re-activating a key someone disabled.
      const recorded = live.tags.find((t) => t.key === DEACTIVATED_KEYS_TAG)?.value;
      const value = deactivatedKeysTagValue(recorded, deactivated, live.accessKeys.map((k) => k.accessKeyId));
      if (value === null) throw new InternalError(`the ids of the deactivated access keys of ${userName} do not fit in one tag value`);
      await api.mutate('TagUser', DEACTIVATED_KEYS_TAG, () => iam.send(new TagUserCommand({ UserName: userName, Tags: [{ Key: DEACTIVATED_KEYS_TAG, Value: value }] })), {
        alreadyDoneCodes: [],
      });
    },
  },
  removalStep(LOGIN_PROFILE),
  {
    id: 'tag-quarantined',
    description: `Tag the user ${QUARANTINED_AT_TAG} and ${QUARANTINE_REASON_TAG}, unless the fresh read found both already`,
    permissions: ['iam:TagUser'],
    async run({ iam, api, userName, now, quarantineReason, live }) {
      if (!live) return;
      const current = new Map(live.tags.map((t) => [t.key, t.value]));
      // A re-run keeps the time of the first quarantine.
      const at = current.get(QUARANTINED_AT_TAG) ?? now().toISOString();
      const reason = toTagValue(quarantineReason);
      if (current.get(QUARANTINED_AT_TAG) === at && current.get(QUARANTINE_REASON_TAG) === reason) return;
      await api.mutate(
        'TagUser',
        QUARANTINED_AT_TAG,
        () =>
          iam.send(
            new TagUserCommand({
              UserName: userName,
              Tags: [
                { Key: QUARANTINED_AT_TAG, Value: at },
                { Key: QUARANTINE_REASON_TAG, Value: reason },
              ],
            }),
          ),
        { alreadyDoneCodes: [] },
      );
    },
  },
];

// ---------------------------------------------------------------------------------------------
// Release (undo a quarantine)

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

// ---------------------------------------------------------------------------------------------
// Restore (recreate a deleted user from its backup)

/** Marks a user created by restore, so a re-run after a crash can tell it from a stranger's user. */
export const RESTORED_FROM_TAG = 'iam-allowlist:restored-from';

/**
 * How restore found the user: "recreated" (no user of that name: this run created it), "continued"
 * (a user an earlier restore of this backup created, tagged RESTORED_FROM_TAG), "into-existing" (the
 * very user of the backup, same UserId: a deletion that crashed or whose DeleteUser was refused
 * after it had stripped some of it; only what is missing is put back).
 */
export type RestoreMode = 'recreated' | 'continued' | 'into-existing';

export interface RestoreContext {
  readonly iam: IAMClient;
  readonly api: ApiCaller;
  readonly backup: UserBackup;
  /** Set by the create step: UserId of the restored user (the backup's own when restored into it). */
  newUserId: string | null;
  /** Set by the create step. */
  mode: RestoreMode | null;
  /**
   * Set by the create step: a full read of the user that was already there ("continued",
   * "into-existing"), taken before this run put anything back; null when this run created it.
   * The later steps skip what it already has.
   */
  live: LiveUserDetails | null;
  readonly restored: string[];
  readonly cannotRestore: string[];
  readonly notes: string[];
}

/** Runs one restoring call; a dependency that no longer exists becomes a "cannot come back" entry. */
async function restoreOne(ctx: RestoreContext, operation: string, target: string, what: string, send: () => Promise<unknown>, alreadyDoneCodes: readonly string[] = []): Promise<void> {
  try {
    await ctx.api.mutate(operation, target, send, { alreadyDoneCodes });
    ctx.restored.push(what);
  } catch (err) {
    if (err instanceof AwsError && ['NoSuchEntity', 'LimitExceeded', 'MalformedCertificate', 'InvalidCertificate', 'InvalidPublicKey', 'UnrecognizedPublicKeyEncoding'].includes(err.code)) {
      ctx.cannotRestore.push(`${what}: ${err.code} (${err.message})`);
      return;
    }
    throw err;
  }
}

/** Policy documents compared as JSON values (spacing and encoding aside). */
function samePolicyDocument(a: string, b: string): boolean {
  try {
    return JSON.stringify(JSON.parse(a)) === JSON.stringify(JSON.parse(b));
  } catch {
    return a === b;
  }
}

/** The base64 key blob of an SSH public key body ("ssh-rsa AAAA... comment"): comments and spacing aside. */
function sshKeyBlob(body: string): string {
  return body.trim().split(/\s+/)[1] ?? body.trim();
}

function sameSshKey(a: LiveUserDetails['sshPublicKeys'][number], b: LiveUserDetails['sshPublicKeys'][number]): boolean {
  if (a.fingerprint && b.fingerprint && a.fingerprint === b.fingerprint) return true;
  return a.body !== '' && sshKeyBlob(a.body) === sshKeyBlob(b.body);
}

function sameCertificateBody(a: string, b: string): boolean {
  return a.replace(/\s+/g, '') === b.replace(/\s+/g, '');
}

/** Puts back the backup's tags the existing user lacks; a tag present with another value is left as it is. */
async function restoreMissingTags(ctx: RestoreContext, live: LiveUserDetails): Promise<void> {
  const current = new Map(live.tags.map((t) => [t.key, t.value]));
  const missing = ctx.backup.user.tags.filter((t) => !current.has(t.key));
  for (const t of ctx.backup.user.tags) {
    if (current.has(t.key) && current.get(t.key) !== t.value) ctx.notes.push(`tag ${t.key} exists with another value than in the backup: left as it is`);
  }
  if (missing.length === 0) return;
  const UserName = live.name;
  await ctx.api.mutate(
    'TagUser',
    missing.map((t) => t.key).join(','),
    () => ctx.iam.send(new TagUserCommand({ UserName, Tags: missing.map((t) => ({ Key: t.key, Value: t.value })) })),
    { alreadyDoneCodes: [] },
  );
  ctx.restored.push(`tags ${missing.map((t) => t.key).join(', ')}`);
}

export const RESTORE_STEPS: readonly Step<RestoreContext>[] = [
  {
    id: 'create-user',
    description:
      'Create the user with its path and tags; a re-run continues with the user it created, and the very user of the backup (same UserId, half deleted) is restored into',
    permissions: sortedUnique(['iam:GetUser', 'iam:CreateUser', 'iam:TagUser', ...READ_USER_PERMISSIONS]),
    async run(ctx) {
      const { iam, api, backup } = ctx;
      const u = backup.user;
      const existing = await api.read('GetUser', () => iam.send(new GetUserCommand({ UserName: u.name })), ['NoSuchEntity']);
      if (existing?.User) {
        const liveUserId = existing.User.UserId;
        const restoredFrom = (existing.User.Tags ?? []).find((t) => t.Key === RESTORED_FROM_TAG)?.Value;
        const mode: RestoreMode | null = liveUserId === u.userId ? 'into-existing' : restoredFrom === u.userId ? 'continued' : null;
        if (!mode) {
          throw new RefusedError(
            `user ${u.name} already exists (UserId ${liveUserId}) and is neither the backed-up user ${u.userId} nor a restore of it; nothing was changed`,
            ['user-exists'],
          );
        }
        const live = await readLiveUser(iam, api, u.name);
        // Gone or replaced between the two reads: start over rather than act on the wrong user.
        if (!live || live.userId !== liveUserId) {
          throw new RefusedError(`user ${u.name} changed while restore read it; nothing was changed, run restore again`, ['user-changed']);
        }
        ctx.mode = mode;
        ctx.live = live;
        ctx.newUserId = live.userId;
        api.identity.userId = live.userId;
        ctx.notes.push(
          mode === 'into-existing'
            ? `${u.name} still exists with the backed-up UserId ${live.userId} (a deletion stopped part-way): putting back only what is missing`
            : `continuing a restore that already created ${u.name} (${live.userId})`,
        );
        await restoreMissingTags(ctx, live);
        return;
      }
      const tags = [...u.tags.map((t) => ({ Key: t.key, Value: t.value })), { Key: RESTORED_FROM_TAG, Value: u.userId }];
      let created: string | undefined;
      await api.mutate(
        'CreateUser',
        `restored-from:${u.userId}`,
        async () => {
          const out = await iam.send(new CreateUserCommand({ UserName: u.name, Path: u.path, Tags: tags }));
          created = out.User?.UserId;
          return out;
        },
        { alreadyDoneCodes: [] },
      );
      ctx.mode = 'recreated';
      ctx.newUserId = created ?? null;
      api.identity.userId = ctx.newUserId;
      ctx.restored.push(`user ${u.name} (path ${u.path}, ${u.tags.length} tags, new UserId ${created})`);
    },
  },
  {
    id: 'put-permissions-boundary',
    description: 'Set the permissions boundary, unless the existing user has one',
    permissions: ['iam:PutUserPermissionsBoundary'],
    async run(ctx) {
      const arn = ctx.backup.user.permissionsBoundaryArn;
      if (!arn) return;
      const current = ctx.live?.permissionsBoundaryArn;
      if (current === arn) return;
      if (current) {
        ctx.notes.push(`the user has another permissions boundary (${current}) than the backup (${arn}): left as it is`);
        return;
      }
      await restoreOne(ctx, 'PutUserPermissionsBoundary', arn, `permissions boundary ${arn}`, () =>
        ctx.iam.send(new PutUserPermissionsBoundaryCommand({ UserName: ctx.backup.user.name, PermissionsBoundary: arn })),
      );
    },
  },
  {
    id: 'add-to-groups',
    description: 'Add the user to the groups it is missing from',
    permissions: ['iam:AddUserToGroup'],
    async run(ctx) {
      // Group names are case-insensitive in IAM.
      const member = new Set((ctx.live?.groups ?? []).map((g) => g.toLowerCase()));
      for (const GroupName of ctx.backup.user.groups) {
        if (member.has(GroupName.toLowerCase())) continue;
        await restoreOne(ctx, 'AddUserToGroup', GroupName, `group ${GroupName}`, () => ctx.iam.send(new AddUserToGroupCommand({ GroupName, UserName: ctx.backup.user.name })));
      }
    },
  },
  {
    id: 'put-inline-policies',
    description: 'Put the inline policies the user is missing (one of the same name is left as it is)',
    permissions: ['iam:PutUserPolicy'],
    async run(ctx) {
      for (const policy of ctx.backup.user.inlinePolicies) {
        const current = ctx.live?.inlinePolicies.find((p) => p.name === policy.name);
        if (current) {
          if (!samePolicyDocument(current.document, policy.document)) {
            ctx.notes.push(`inline policy ${policy.name} exists with another document than in the backup: left as it is`);
          }
          continue;
        }
        await restoreOne(ctx, 'PutUserPolicy', policy.name, `inline policy ${policy.name}`, () =>
          ctx.iam.send(new PutUserPolicyCommand({ UserName: ctx.backup.user.name, PolicyName: policy.name, PolicyDocument: policy.document })),
        );
      }
    },
  },
  {
    id: 'attach-managed-policies',
    description: 'Attach the managed policies the user is missing',
    permissions: ['iam:AttachUserPolicy'],
    async run(ctx) {
      const attached = new Set(ctx.live?.attachedPolicyArns ?? []);
      for (const PolicyArn of ctx.backup.user.attachedPolicyArns) {
        if (attached.has(PolicyArn)) continue;
        await restoreOne(ctx, 'AttachUserPolicy', PolicyArn, `managed policy ${PolicyArn}`, () => ctx.iam.send(new AttachUserPolicyCommand({ UserName: ctx.backup.user.name, PolicyArn })));
      }
    },
  },
  {
    id: 'upload-ssh-public-keys',
    description: 'Upload the SSH public keys the user is missing (with their status)',
    permissions: ['iam:UploadSSHPublicKey', 'iam:UpdateSSHPublicKey'],
    async run(ctx) {
      const UserName = ctx.backup.user.name;
      for (const key of ctx.backup.user.sshPublicKeys) {
        if (ctx.live?.sshPublicKeys.some((k) => sameSshKey(k, key))) continue;
        let newId: string | undefined;
        await restoreOne(
          ctx,
          'UploadSSHPublicKey',
          key.sshPublicKeyId,
          `SSH public key ${key.fingerprint ?? key.sshPublicKeyId}`,
          async () => {
            const out = await ctx.iam.send(new UploadSSHPublicKeyCommand({ UserName, SSHPublicKeyBody: key.body }));
            newId = out.SSHPublicKey?.SSHPublicKeyId;
            return out;
          },
          ['DuplicateSSHPublicKey'],
        );
        const SSHPublicKeyId = newId;
        if (SSHPublicKeyId && key.status !== 'Active') {
          await ctx.api.mutate('UpdateSSHPublicKey', SSHPublicKeyId, () => ctx.iam.send(new UpdateSSHPublicKeyCommand({ UserName, SSHPublicKeyId, Status: 'Inactive' })));
        }
      }
    },
  },
  {
    id: 'upload-signing-certificates',
    description: 'Upload the signing certificates the user is missing (with their status)',
    permissions: ['iam:UploadSigningCertificate', 'iam:UpdateSigningCertificate'],
    async run(ctx) {
      const UserName = ctx.backup.user.name;
      for (const cert of ctx.backup.user.signingCertificates) {
        if (ctx.live?.signingCertificates.some((c) => sameCertificateBody(c.body, cert.body))) continue;
        let newId: string | undefined;
        await restoreOne(
          ctx,
          'UploadSigningCertificate',
          cert.certificateId,
          `signing certificate ${cert.certificateId}`,
          async () => {
            const out = await ctx.iam.send(new UploadSigningCertificateCommand({ UserName, CertificateBody: cert.body }));
            newId = out.Certificate?.CertificateId;
            return out;
          },
          ['DuplicateCertificate'],
        );
        const CertificateId = newId;
        if (CertificateId && cert.status !== 'Active') {
          await ctx.api.mutate('UpdateSigningCertificate', CertificateId, () => ctx.iam.send(new UpdateSigningCertificateCommand({ UserName, CertificateId, Status: 'Inactive' })));
        }
      }
    },
  },
];

// ---------------------------------------------------------------------------------------------
// Permissions

/**
 * What the inventory (plan side) calls. Includes the per-user reads of the backup, because `plan`
 * and `enforce` usually run under the same role.
 */
export const READ_PERMISSIONS: readonly string[] = [
  'iam:GetAccountAuthorizationDetails',
  'iam:GenerateCredentialReport',
  'iam:GetCredentialReport',
  'iam:ListVirtualMFADevices',
  'iam:GetAccessKeyLastUsed',
  'sts:GetCallerIdentity',
  'account:ListRegions',
  'kms:ListKeys',
  'kms:ListAliases',
  'kms:DescribeKey',
  'kms:GetKeyPolicy',
  'kms:ListGrants',
  ...READ_USER_PERMISSIONS,
];

export type ActionKind = 'delete' | 'quarantine' | 'release' | 'restore';

const TABLES: Record<ActionKind, readonly { readonly permissions: readonly string[] }[]> = {
  // Every action starts with GetUser (the UserId check), which is also the backup's first read.
  delete: [{ permissions: ['iam:GetUser'] }, ...DELETE_STEPS],
  quarantine: [{ permissions: ['iam:GetUser'] }, ...QUARANTINE_STEPS],
  release: [{ permissions: ['iam:GetUser'] }, ...RELEASE_STEPS],
  restore: [{ permissions: ['sts:GetCallerIdentity'] }, ...RESTORE_STEPS],
};

/** The IAM/STS actions one kind of action needs, sorted and without duplicates. */
export function requiredPermissions(kind: ActionKind): string[] {
  return sortedUnique(TABLES[kind].flatMap((step) => step.permissions));
}

export type PolicyMode = 'plan' | 'enforce' | 'release' | 'restore';

export interface PolicyDocument {
  readonly Version: '2012-10-17';
  readonly Statement: readonly { readonly Sid: string; readonly Effect: 'Allow'; readonly Action: readonly string[]; readonly Resource: '*' }[];
}

/**
 * A least-privilege identity policy for running the tool in one mode. "enforce" is plan + delete +
 * quarantine (Terraform's local-exec re-plans before it acts). One statement per service.
 */
export function leastPrivilegePolicy(mode: PolicyMode): PolicyDocument {
  const actions =
    mode === 'plan'
      ? [...READ_PERMISSIONS]
      : mode === 'enforce'
        ? [...READ_PERMISSIONS, ...requiredPermissions('delete'), ...requiredPermissions('quarantine')]
        : requiredPermissions(mode);
  const byService = new Map<string, string[]>();
  for (const action of sortedUnique(actions)) {
    const service = action.split(':')[0] ?? action;
    byService.set(service, [...(byService.get(service) ?? []), action]);
  }
  const sid = (service: string) => `IamAllowlist${mode[0]!.toUpperCase()}${mode.slice(1)}${service[0]!.toUpperCase()}${service.slice(1)}`;
  return {
    Version: '2012-10-17',
    Statement: [...byService.entries()].map(([service, list]) => ({ Sid: sid(service), Effect: 'Allow' as const, Action: list, Resource: '*' as const })),
  };
}
