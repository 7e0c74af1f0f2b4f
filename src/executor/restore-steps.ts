import {
  AddUserToGroupCommand,
  AttachUserPolicyCommand,
  CreateUserCommand,
  GetUserCommand,
  PutUserPermissionsBoundaryCommand,
  PutUserPolicyCommand,
  TagUserCommand,
  UpdateSigningCertificateCommand,
  UpdateSSHPublicKeyCommand,
  UploadSigningCertificateCommand,
  UploadSSHPublicKeyCommand,
  type IAMClient,
} from '@aws-sdk/client-iam';
import { GetCallerIdentityCommand, type STSClient } from '@aws-sdk/client-sts';
import { AwsError, RefusedError } from '../errors';
import type { ApiCaller, AwsCommand, OutputOf } from './api-calls';
import type { UserBackup } from './backup';
import { readLiveUser, READ_USER_PERMISSIONS, type LiveUserDetails } from './read-user';
import { sortedUnique, type Step } from './step';

// Restore: recreate a deleted user from its backup.

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

/** What restore's first step works with. */
export interface RestorePreflightContext {
  readonly sts: STSClient;
  readonly api: ApiCaller;
  readonly backup: UserBackup;
  readonly backupFile: string;
  readonly notes: string[];
}

export const RESTORE_PREFLIGHT: Step<RestorePreflightContext> = {
  id: 'preflight',
  description: 'GetCallerIdentity: same account as the backup',
  permissions: ['sts:GetCallerIdentity'],
  async run({ sts, api, backup, backupFile }) {
    const caller = await api.readRequired(sts, new GetCallerIdentityCommand({}));
    if (caller.Account !== backup.accountId) {
      throw new RefusedError(
        `backup ${backupFile} is of account ${backup.accountId}, but the credentials are for account ${caller.Account}`,
        ['account-pin'],
      );
    }
  },
};

/** Answers of a restoring call that mean this item cannot come back (a dependency gone, a quota, a body IAM refuses). */
const CANNOT_RESTORE_CODES: readonly string[] = [
  'NoSuchEntity',
  'LimitExceeded',
  'MalformedCertificate',
  'InvalidCertificate',
  'InvalidPublicKey',
  'UnrecognizedPublicKeyEncoding',
];

/**
 * Runs one restoring call; a dependency that no longer exists becomes a "cannot come back" entry.
 * Returns the answer when the call created something (undefined when already there or refused).
 */
async function restoreOne<C extends AwsCommand>(
  ctx: RestoreContext,
  command: C,
  target: string,
  what: string,
  alreadyDoneCodes: readonly string[] = [],
): Promise<OutputOf<C> | undefined> {
  try {
    const result = await ctx.api.mutate(ctx.iam, command, { target, alreadyDoneCodes });
    ctx.restored.push(what);
    return result.outcome === 'ok' ? result.output : undefined;
  } catch (err) {
    if (err instanceof AwsError && CANNOT_RESTORE_CODES.includes(err.code)) {
      ctx.cannotRestore.push(`${what}: ${err.code} (${err.message})`);
      return undefined;
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
    if (current.has(t.key) && current.get(t.key) !== t.value)
      ctx.notes.push(`tag ${t.key} exists with another value than in the backup: left as it is`);
  }
  if (missing.length === 0) return;
  const UserName = live.name;
  await ctx.api.mutate(ctx.iam, new TagUserCommand({ UserName, Tags: missing.map((t) => ({ Key: t.key, Value: t.value })) }), {
    target: missing.map((t) => t.key).join(','),
    alreadyDoneCodes: [],
  });
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
      const existing = await api.read(iam, new GetUserCommand({ UserName: u.name }), { tolerate: ['NoSuchEntity'] });
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
      const result = await api.mutate(iam, new CreateUserCommand({ UserName: u.name, Path: u.path, Tags: tags }), {
        target: `restored-from:${u.userId}`,
        alreadyDoneCodes: [],
      });
      const created = result.outcome === 'ok' ? result.output.User?.UserId : undefined;
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
      await restoreOne(
        ctx,
        new PutUserPermissionsBoundaryCommand({ UserName: ctx.backup.user.name, PermissionsBoundary: arn }),
        arn,
        `permissions boundary ${arn}`,
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
        await restoreOne(ctx, new AddUserToGroupCommand({ GroupName, UserName: ctx.backup.user.name }), GroupName, `group ${GroupName}`);
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
        await restoreOne(
          ctx,
          new PutUserPolicyCommand({ UserName: ctx.backup.user.name, PolicyName: policy.name, PolicyDocument: policy.document }),
          policy.name,
          `inline policy ${policy.name}`,
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
        await restoreOne(
          ctx,
          new AttachUserPolicyCommand({ UserName: ctx.backup.user.name, PolicyArn }),
          PolicyArn,
          `managed policy ${PolicyArn}`,
        );
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
        const uploaded = await restoreOne(
          ctx,
          new UploadSSHPublicKeyCommand({ UserName, SSHPublicKeyBody: key.body }),
          key.sshPublicKeyId,
          `SSH public key ${key.fingerprint ?? key.sshPublicKeyId}`,
          ['DuplicateSSHPublicKey'],
        );
        const SSHPublicKeyId = uploaded?.SSHPublicKey?.SSHPublicKeyId;
        if (SSHPublicKeyId && key.status !== 'Active') {
          await ctx.api.mutate(ctx.iam, new UpdateSSHPublicKeyCommand({ UserName, SSHPublicKeyId, Status: 'Inactive' }), {
            target: SSHPublicKeyId,
          });
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
        const uploaded = await restoreOne(
          ctx,
          new UploadSigningCertificateCommand({ UserName, CertificateBody: cert.body }),
          cert.certificateId,
          `signing certificate ${cert.certificateId}`,
          ['DuplicateCertificate'],
        );
        const CertificateId = uploaded?.Certificate?.CertificateId;
        if (CertificateId && cert.status !== 'Active') {
          await ctx.api.mutate(ctx.iam, new UpdateSigningCertificateCommand({ UserName, CertificateId, Status: 'Inactive' }), {
            target: CertificateId,
          });
        }
      }
    },
  },
];
