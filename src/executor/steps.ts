import {
  AddUserToGroupCommand,
  AttachUserPolicyCommand,
  CreateUserCommand,
  DeleteUserCommand,
  DeleteUserPermissionsBoundaryCommand,
  DeleteUserPolicyCommand,
  GetUserCommand,
  ListAccessKeysCommand,
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
import { AwsError, RefusedError } from '../errors';
import { listAll, type ApiCaller } from './api-calls';
import { ensureBackup, itemsMissingFrom, mergeUserDetails, type EnsuredBackup, type UserBackup } from './backup';
import {
  QUARANTINED_AT_TAG,
  QUARANTINE_POLICY_DOCUMENT,
  QUARANTINE_POLICY_NAME,
  QUARANTINE_REASON_TAG,
  QUARANTINE_TAG_KEYS,
  toTagValue,
} from '../model/quarantine-marker';
import { DELETE_BLOCKERS, LOGIN_PROFILE, removeAllBlockers, type DeleteBlocker } from './dependents';
import { readLiveUser, READ_USER_PERMISSIONS, type LiveUserDetails } from './read-user';

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
    const live = await readLiveUser(ctx.iam, ctx.api, ctx.userName);
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

export const DELETE_STEPS: readonly Step<StepContext>[] = [
  backupStep,
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
    description: 'Deactivate every access key the fresh read found Active',
    permissions: ['iam:UpdateAccessKey'],
    async run({ iam, api, userName, live }) {
      for (const key of live?.accessKeys ?? []) {
        if (key.status !== 'Active') continue;
        const AccessKeyId = key.accessKeyId;
        await api.mutate('UpdateAccessKey', AccessKeyId, () => iam.send(new UpdateAccessKeyCommand({ UserName: userName, AccessKeyId, Status: 'Inactive' })));
      }
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
  /** The backup the quarantine took (its access key states are the ones to bring back). */
  readonly backup: UserBackup;
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
    description: 'Re-activate the access keys that were Active in the quarantine backup',
    permissions: ['iam:ListAccessKeys', 'iam:UpdateAccessKey'],
    async run({ iam, api, userName, backup, reactivatedKeys, notes }) {
      const live = await listOfUser(api, 'ListAccessKeys', (Marker) => iam.send(new ListAccessKeysCommand({ UserName: userName, Marker })), (p) => p.AccessKeyMetadata);
      const liveStatus = new Map(live.map((k) => [k.AccessKeyId ?? '', k.Status ?? '']));
      for (const key of backup.user.accessKeys) {
        if (key.status !== 'Active') continue;
        const status = liveStatus.get(key.accessKeyId);
        if (status === undefined) {
          notes.push(`access key ${key.accessKeyId} no longer exists; it cannot be re-activated`);
          continue;
        }
        if (status === 'Active') continue;
        const AccessKeyId = key.accessKeyId;
        const outcome = await api.mutate('UpdateAccessKey', AccessKeyId, () => iam.send(new UpdateAccessKeyCommand({ UserName: userName, AccessKeyId, Status: 'Active' })));
        if (outcome === 'ok') reactivatedKeys.push(AccessKeyId);
      }
    },
  },
  {
    id: 'untag-quarantined',
    description: `Remove the ${QUARANTINED_AT_TAG} and ${QUARANTINE_REASON_TAG} tags`,
    permissions: ['iam:UntagUser'],
    async run({ iam, api, userName }) {
      await api.mutate('UntagUser', QUARANTINE_TAG_KEYS.join(','), () => iam.send(new UntagUserCommand({ UserName: userName, TagKeys: [...QUARANTINE_TAG_KEYS] })));
    },
  },
];

// ---------------------------------------------------------------------------------------------
// Restore (recreate a deleted user from its backup)

/** Marks a user created by restore, so a re-run after a crash can tell it from a stranger's user. */
export const RESTORED_FROM_TAG = 'iam-allowlist:restored-from';

export interface RestoreContext {
  readonly iam: IAMClient;
  readonly api: ApiCaller;
  readonly backup: UserBackup;
  /** Set by the create step. */
  newUserId: string | null;
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

export const RESTORE_STEPS: readonly Step<RestoreContext>[] = [
  {
    id: 'create-user',
    description: 'Create the user with its path and tags (a re-run continues with the user it created)',
    permissions: ['iam:GetUser', 'iam:CreateUser', 'iam:TagUser'],
    async run(ctx) {
      const { iam, api, backup } = ctx;
      const u = backup.user;
      const existing = await api.read('GetUser', () => iam.send(new GetUserCommand({ UserName: u.name })), ['NoSuchEntity']);
      if (existing?.User) {
        const restoredFrom = (existing.User.Tags ?? []).find((t) => t.Key === RESTORED_FROM_TAG)?.Value;
        if (restoredFrom !== u.userId) {
          throw new RefusedError(
            `user ${u.name} already exists (UserId ${existing.User.UserId}) and is not a restore of ${u.userId}; nothing was changed`,
            ['user-exists'],
          );
        }
        ctx.newUserId = existing.User.UserId ?? null;
        api.identity.userId = ctx.newUserId;
        ctx.notes.push(`continuing a restore that already created ${u.name} (${ctx.newUserId})`);
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
      ctx.newUserId = created ?? null;
      api.identity.userId = ctx.newUserId;
      ctx.restored.push(`user ${u.name} (path ${u.path}, ${u.tags.length} tags, new UserId ${created})`);
    },
  },
  {
    id: 'put-permissions-boundary',
    description: 'Set the permissions boundary',
    permissions: ['iam:PutUserPermissionsBoundary'],
    async run(ctx) {
      const arn = ctx.backup.user.permissionsBoundaryArn;
      if (!arn) return;
      await restoreOne(ctx, 'PutUserPermissionsBoundary', arn, `permissions boundary ${arn}`, () =>
        ctx.iam.send(new PutUserPermissionsBoundaryCommand({ UserName: ctx.backup.user.name, PermissionsBoundary: arn })),
      );
    },
  },
  {
    id: 'add-to-groups',
    description: 'Add the user to its groups again',
    permissions: ['iam:AddUserToGroup'],
    async run(ctx) {
      for (const GroupName of ctx.backup.user.groups) {
        await restoreOne(ctx, 'AddUserToGroup', GroupName, `group ${GroupName}`, () => ctx.iam.send(new AddUserToGroupCommand({ GroupName, UserName: ctx.backup.user.name })));
      }
    },
  },
  {
    id: 'put-inline-policies',
    description: 'Put the inline policies again',
    permissions: ['iam:PutUserPolicy'],
    async run(ctx) {
      for (const policy of ctx.backup.user.inlinePolicies) {
        await restoreOne(ctx, 'PutUserPolicy', policy.name, `inline policy ${policy.name}`, () =>
          ctx.iam.send(new PutUserPolicyCommand({ UserName: ctx.backup.user.name, PolicyName: policy.name, PolicyDocument: policy.document })),
        );
      }
    },
  },
  {
    id: 'attach-managed-policies',
    description: 'Attach the managed policies again',
    permissions: ['iam:AttachUserPolicy'],
    async run(ctx) {
      for (const PolicyArn of ctx.backup.user.attachedPolicyArns) {
        await restoreOne(ctx, 'AttachUserPolicy', PolicyArn, `managed policy ${PolicyArn}`, () => ctx.iam.send(new AttachUserPolicyCommand({ UserName: ctx.backup.user.name, PolicyArn })));
      }
    },
  },
  {
    id: 'upload-ssh-public-keys',
    description: 'Upload the SSH public keys again (with their status)',
    permissions: ['iam:UploadSSHPublicKey', 'iam:UpdateSSHPublicKey'],
    async run(ctx) {
      const UserName = ctx.backup.user.name;
      for (const key of ctx.backup.user.sshPublicKeys) {
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
    description: 'Upload the signing certificates again (with their status)',
    permissions: ['iam:UploadSigningCertificate', 'iam:UpdateSigningCertificate'],
    async run(ctx) {
      const UserName = ctx.backup.user.name;
      for (const cert of ctx.backup.user.signingCertificates) {
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
