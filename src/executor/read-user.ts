import {
  GetLoginProfileCommand,
  GetUserCommand,
  GetUserPolicyCommand,
  ListAccessKeysCommand,
  ListAttachedUserPoliciesCommand,
  ListGroupsForUserCommand,
  ListMFADevicesCommand,
  ListServiceSpecificCredentialsCommand,
  ListSigningCertificatesCommand,
  ListSSHPublicKeysCommand,
  GetSSHPublicKeyCommand,
  ListUserPoliciesCommand,
  ListUserTagsCommand,
  type IAMClient,
  type Tag,
  type User,
} from '@aws-sdk/client-iam';
import { AwsError } from '../errors';
import type { UserFacts } from '../model/snapshot';
import { decodePolicyDocument } from '../policy/decode';
import { listAll, type ApiCaller } from './api-calls';

/**
 * Everything about one IAM user needed to recreate it, as read live. Contains no secret: none of
 * these IAM calls returns one (and backup.ts asserts it).
 */
export interface LiveUserDetails {
  readonly name: string;
  readonly path: string;
  readonly userId: string;
  readonly arn: string;
  readonly createDate: string | null;
  readonly tags: readonly { readonly key: string; readonly value: string }[];
  readonly permissionsBoundaryArn: string | null;
  readonly groups: readonly string[];
  /** Documents as plain JSON text, exactly as IAM holds them (decoded by policy/decode.ts). */
  readonly inlinePolicies: readonly { readonly name: string; readonly document: string }[];
  readonly attachedPolicyArns: readonly string[];
  readonly loginProfile: {
    readonly present: boolean;
    readonly createDate: string | null;
    readonly passwordResetRequired: boolean | null;
  };
  readonly accessKeys: readonly { readonly accessKeyId: string; readonly status: string; readonly createDate: string | null }[];
  readonly mfaDevices: readonly { readonly serialNumber: string; readonly virtual: boolean; readonly enableDate: string | null }[];
  readonly sshPublicKeys: readonly {
    readonly sshPublicKeyId: string;
    readonly status: string;
    readonly fingerprint: string | null;
    /** Public key body in SSH encoding. */
    readonly body: string;
    readonly uploadDate: string | null;
  }[];
  readonly signingCertificates: readonly {
    readonly certificateId: string;
    readonly status: string;
    /** PEM body of the (public) certificate. */
    readonly body: string;
    readonly uploadDate: string | null;
  }[];
  readonly serviceSpecificCredentials: readonly {
    readonly serviceSpecificCredentialId: string;
    readonly serviceName: string;
    readonly serviceUserName: string | null;
    readonly status: string;
    readonly createDate: string | null;
  }[];
}

/** The IAM reads behind a backup, for least-privilege policies. */
export const READ_USER_PERMISSIONS: readonly string[] = [
  'iam:GetUser',
  'iam:ListUserTags',
  'iam:ListGroupsForUser',
  'iam:ListUserPolicies',
  'iam:GetUserPolicy',
  'iam:ListAttachedUserPolicies',
  'iam:GetLoginProfile',
  'iam:ListAccessKeys',
  'iam:ListMFADevices',
  'iam:ListSSHPublicKeys',
  'iam:GetSSHPublicKey',
  'iam:ListSigningCertificates',
  'iam:ListServiceSpecificCredentials',
];

/** Virtual MFA devices have ARN serials under ":mfa/"; hardware tokens have plain serials, FIDO keys ":u2f/". */
export function isVirtualMfaSerial(serial: string): boolean {
  return /^arn:aws[a-z-]*:iam::\d{12}:mfa\//.test(serial);
}

const iso = (d: Date | undefined): string | null => (d ? d.toISOString() : null);

/** Credentials no bulk read lists with their ids and bodies: SSH keys, signing certificates, service credentials. */
type OtherCredentials = Pick<LiveUserDetails, 'sshPublicKeys' | 'signingCertificates' | 'serviceSpecificCredentials'>;

/** What a deletion lists live for every user: the credentials no bulk read returns with their ids. */
export type LiveCredentialLists = Pick<LiveUserDetails, 'accessKeys'> & OtherCredentials;

/** The IAM reads of readCredentialLists, for least-privilege policies. */
export const LIST_CREDENTIALS_PERMISSIONS: readonly string[] = [
  'iam:ListAccessKeys',
  'iam:ListSSHPublicKeys',
  'iam:GetSSHPublicKey',
  'iam:ListSigningCertificates',
  'iam:ListServiceSpecificCredentials',
];

function listTags(iam: IAMClient, api: ApiCaller, UserName: string): Promise<Tag[]> {
  return listAll(
    api,
    iam,
    (Marker) => new ListUserTagsCommand({ UserName, Marker }),
    (p) => p.Tags,
  );
}

async function readInlinePolicies(iam: IAMClient, api: ApiCaller, UserName: string): Promise<LiveUserDetails['inlinePolicies']> {
  const policyNames = await listAll(
    api,
    iam,
    (Marker) => new ListUserPoliciesCommand({ UserName, Marker }),
    (p) => p.PolicyNames,
  );
  const inlinePolicies: { name: string; document: string }[] = [];
  for (const PolicyName of policyNames) {
    const policy = await api.read(iam, new GetUserPolicyCommand({ UserName, PolicyName }), { tolerate: ['NoSuchEntity'] });
    // Deleted between list and get (a re-run racing itself): nothing left to back up.
    if (policy) inlinePolicies.push({ name: PolicyName, document: decodePolicyDocument(policy.PolicyDocument ?? '') });
  }
  return inlinePolicies;
}

async function readLoginProfile(iam: IAMClient, api: ApiCaller, UserName: string): Promise<LiveUserDetails['loginProfile']> {
  const login = await api.read(iam, new GetLoginProfileCommand({ UserName }), { tolerate: ['NoSuchEntity'] });
  return {
    present: login?.LoginProfile !== undefined,
    createDate: iso(login?.LoginProfile?.CreateDate),
    passwordResetRequired: login?.LoginProfile?.PasswordResetRequired ?? null,
  };
}

async function readMfaDevices(iam: IAMClient, api: ApiCaller, UserName: string): Promise<LiveUserDetails['mfaDevices']> {
  const mfa = await listAll(
    api,
    iam,
    (Marker) => new ListMFADevicesCommand({ UserName, Marker }),
    (p) => p.MFADevices,
  );
  return mfa
    .filter((d) => d.SerialNumber)
    .map((d) => {
      const serialNumber = d.SerialNumber as string;
      return { serialNumber, virtual: isVirtualMfaSerial(serialNumber), enableDate: iso(d.EnableDate) };
    });
}

async function readSshPublicKeys(iam: IAMClient, api: ApiCaller, UserName: string): Promise<LiveUserDetails['sshPublicKeys']> {
  const sshIds = await listAll(
    api,
    iam,
    (Marker) => new ListSSHPublicKeysCommand({ UserName, Marker }),
    (p) => p.SSHPublicKeys,
  );
  const sshPublicKeys: LiveUserDetails['sshPublicKeys'][number][] = [];
  for (const meta of sshIds) {
    if (!meta.SSHPublicKeyId) continue;
    const SSHPublicKeyId = meta.SSHPublicKeyId;
    const key = await api.read(iam, new GetSSHPublicKeyCommand({ UserName, SSHPublicKeyId, Encoding: 'SSH' }), {
      tolerate: ['NoSuchEntity'],
    });
    // Deleted between list and get: nothing left to back up or remove.
    if (!key) continue;
    // Kept even without a body: the delete steps remove exactly what this read found.
    const k = key.SSHPublicKey;
    sshPublicKeys.push({
      sshPublicKeyId: SSHPublicKeyId,
      status: k?.Status ?? meta.Status ?? 'Active',
      fingerprint: k?.Fingerprint ?? null,
      body: k?.SSHPublicKeyBody ?? '',
      uploadDate: iso(k?.UploadDate ?? meta.UploadDate),
    });
  }
  return sshPublicKeys;
}

async function readAccessKeys(iam: IAMClient, api: ApiCaller, UserName: string): Promise<LiveUserDetails['accessKeys']> {
  const keys = await listAll(
    api,
    iam,
    (Marker) => new ListAccessKeysCommand({ UserName, Marker }),
    (p) => p.AccessKeyMetadata,
  );
  return keys
    .filter((k) => k.AccessKeyId)
    .map((k) => ({ accessKeyId: k.AccessKeyId as string, status: k.Status ?? 'Active', createDate: iso(k.CreateDate) }));
}

async function readOtherCredentials(iam: IAMClient, api: ApiCaller, UserName: string): Promise<OtherCredentials> {
  const sshPublicKeys = await readSshPublicKeys(iam, api, UserName);
  const certs = await listAll(
    api,
    iam,
    (Marker) => new ListSigningCertificatesCommand({ UserName, Marker }),
    (p) => p.Certificates,
  );
  const creds = await listAll(
    api,
    iam,
    (Marker) => new ListServiceSpecificCredentialsCommand({ UserName, Marker }),
    (p) => p.ServiceSpecificCredentials,
  );
  return {
    sshPublicKeys,
    signingCertificates: certs
      .filter((c) => c.CertificateId)
      .map((c) => ({
        certificateId: c.CertificateId as string,
        status: c.Status ?? 'Active',
        body: c.CertificateBody ?? '',
        uploadDate: iso(c.UploadDate),
      })),
    serviceSpecificCredentials: creds
      .filter((c) => c.ServiceSpecificCredentialId)
      .map((c) => ({
        serviceSpecificCredentialId: c.ServiceSpecificCredentialId as string,
        serviceName: c.ServiceName ?? '',
        serviceUserName: c.ServiceUserName ?? null,
        status: c.Status ?? 'Active',
        createDate: iso(c.CreateDate),
      })),
  };
}

/**
 * The access keys, SSH keys (with their bodies), signing certificates and service-specific credentials of
 * one user, listed live. Null: the user does not exist (the lists answered NoSuchEntity).
 */
export async function readCredentialLists(iam: IAMClient, api: ApiCaller, userName: string): Promise<LiveCredentialLists | null> {
  try {
    const accessKeys = await readAccessKeys(iam, api, userName);
    return { accessKeys, ...(await readOtherCredentials(iam, api, userName)) };
  } catch (err) {
    if (err instanceof AwsError && err.code === 'NoSuchEntity') return null;
    throw err;
  }
}

/**
 * A user's GetUser answer and access keys read again (the recheck step, when the first reads began before the
 * re-check scan had answered). Null: the user does not exist any more.
 */
export async function readIdentityAndAccessKeys(
  iam: IAMClient,
  api: ApiCaller,
  userName: string,
): Promise<{ readonly user: User; readonly accessKeys: LiveUserDetails['accessKeys'] } | null> {
  const answer = await api.read(iam, new GetUserCommand({ UserName: userName }), { tolerate: ['NoSuchEntity'] });
  if (!answer?.User) return null;
  try {
    return { user: answer.User, accessKeys: await readAccessKeys(iam, api, userName) };
  } catch (err) {
    if (err instanceof AwsError && err.code === 'NoSuchEntity') return null;
    throw err;
  }
}

/** GetUser's identity fields, checked present. */
function identityOf(user: User, userName: string): Pick<LiveUserDetails, 'name' | 'path' | 'userId' | 'arn' | 'createDate'> {
  if (!user.UserId || !user.Arn || !user.UserName) {
    throw new AwsError(`GetUser answered without UserId/Arn for ${userName}`, 'MalformedResponse', 'GetUser');
  }
  return { name: user.UserName, path: user.Path ?? '/', userId: user.UserId, arn: user.Arn, createDate: iso(user.CreateDate) };
}

const tagsOf = (tags: readonly Tag[]): LiveUserDetails['tags'] => tags.map((t) => ({ key: t.Key ?? '', value: t.Value ?? '' }));

/**
 * Reads one user completely (every list paginated). Returns null when the user does not exist.
 * The delete and quarantine steps act on this read, so it names every item the lists return.
 * Lists run one after another: IAM throttles account-wide, so parallel reads would only buy throttling.
 */
export async function readLiveUser(
  iam: IAMClient,
  api: ApiCaller,
  userName: string,
  /** The credential lists read moments before (the deletion's list-credentials step); default: listed here. */
  listed?: LiveCredentialLists,
): Promise<LiveUserDetails | null> {
  const got = await api.read(iam, new GetUserCommand({ UserName: userName }), { tolerate: ['NoSuchEntity'] });
  const user = got?.User;
  if (!user) return null;
  const identity = identityOf(user, userName);
  const UserName = identity.name;

  // GetUser carries every tag (a user has at most 50); an answer without any (untagged user, or an
  // endpoint that leaves them out) is confirmed with ListUserTags rather than trusted as "none".
  const tags = user.Tags && user.Tags.length > 0 ? user.Tags : await listTags(iam, api, UserName);
  const groups = await listAll(
    api,
    iam,
    (Marker) => new ListGroupsForUserCommand({ UserName, Marker }),
    (p) => p.Groups,
  );
  const inlinePolicies = await readInlinePolicies(iam, api, UserName);
  const attached = await listAll(
    api,
    iam,
    (Marker) => new ListAttachedUserPoliciesCommand({ UserName, Marker }),
    (p) => p.AttachedPolicies,
  );
  const loginProfile = await readLoginProfile(iam, api, UserName);
  const accessKeys = listed?.accessKeys ?? (await readAccessKeys(iam, api, UserName));
  const mfaDevices = await readMfaDevices(iam, api, UserName);
  const other: OtherCredentials = listed ?? (await readOtherCredentials(iam, api, UserName));
  return {
    ...identity,
    tags: tagsOf(tags),
    permissionsBoundaryArn: user.PermissionsBoundary?.PermissionsBoundaryArn ?? null,
    groups: groups.map((g) => g.GroupName ?? '').filter((g) => g !== ''),
    inlinePolicies,
    attachedPolicyArns: attached.map((p) => p.PolicyArn ?? '').filter((a) => a !== ''),
    loginProfile,
    accessKeys,
    mfaDevices,
    sshPublicKeys: other.sshPublicKeys,
    signingCertificates: other.signingCertificates,
    serviceSpecificCredentials: other.serviceSpecificCredentials,
  };
}

/** A user as the run's bounded-age re-check scan saw it: the scan the guards of this action were evaluated on. */
export interface ScannedUser {
  readonly facts: UserFacts;
  /** When that scan started (Snapshot.takenAt): its facts are as old as that, the conservative end. */
  readonly scanStartedAt: string;
  /** The re-check's age bound (guards.recheckMaxAgeSeconds) in ms: older facts are not used. */
  readonly maxAgeMs: number;
}

/** What a deletion's backup is assembled from besides the per-user lists. */
export interface ScannedUserFacts extends ScannedUser {
  /** The executor's preflight GetUser answer (the UserId check), taken just before the re-check and the backup. */
  readonly preflightUser: User;
}

export interface ReadForActionOptions {
  readonly purpose: 'delete' | 'quarantine';
  /** The moment of the backup, for the age rule. */
  readonly now: Date;
  /**
   * The credential lists the deletion's list-credentials step read just before the re-check (null: they
   * answered NoSuchEntity, the user is gone). Default: undefined (listed here).
   */
  readonly listed?: LiveCredentialLists | null;
}

/** Why the scanned facts cannot stand in for the bulk-readable reads (null: they can). */
export function scannedFactsUnusable(scanned: ScannedUserFacts | undefined, options: ReadForActionOptions): string | null {
  if (!scanned) return 'no re-check scan was passed';
  // Quarantine skips what the read shows in place (the deny policy, the marks): a stale "in place" would skip a change.
  if (options.purpose !== 'delete') return 'quarantine acts on what is in place now';
  if (scanned.facts.userId !== scanned.preflightUser.UserId) return 'the scan saw another UserId';
  const age = options.now.getTime() - Date.parse(scanned.scanStartedAt);
  if (!(age <= scanned.maxAgeMs)) return `the re-check scan is older than ${Math.round(scanned.maxAgeMs / 1000)} s`;
  const documents = scanned.facts.inlinePolicyDocuments;
  // An empty document (listed without one) would back up a policy restore cannot put back.
  if (scanned.facts.inlinePolicyNames.some((name) => !documents?.[name])) return 'the scan holds no inline policy documents';
  return null;
}

/**
 * The user's read for an action's backup and steps: for a deletion, assembled from the run's
 * bounded-age re-check scan plus only the per-user lists no bulk call returns; otherwise (or when
 * the scan cannot speak for the user, see scannedFactsUnusable) readLiveUser. Null: the user is gone.
 *
 * Why a deletion may act on facts up to guards.recheckMaxAgeSeconds old: every kind taken from the
 * scan either blocks DeleteUser or is read live here.
 * - From the scan (GetAccountAuthorizationDetails): groups, inline policies with their documents,
 *   attached policies; (ListVirtualMFADevices) assigned virtual MFA devices; (credential report) the
 *   login profile. Removed since the scan: the removal answers NoSuchEntity, which is already-done.
 *   Added since the scan: each of these blocks DeleteUser, which answers DeleteConflict; the
 *   delete-user step then reads the user again in full, writes a merged backup and removes it.
 * - From the preflight GetUser (live): path, ARN, tags and permissions boundary, which do not block
 *   DeleteUser and so must not be taken from the scan (a tag added since would be lost).
 * - Listed live: access keys (their state feeds the recent-use check), SSH keys, signing
 *   certificates, service-specific credentials (by the list-credentials step, while the re-check scan
 *   is taken, or here), and MFA devices where the scan cannot name them all.
 * The scan is the one the re-check of this action used (never the plan-time scan), and is used only
 * while it is within the re-check's age bound at the moment of the backup.
 */
export async function readUserForAction(
  iam: IAMClient,
  api: ApiCaller,
  userName: string,
  scanned: ScannedUserFacts | undefined,
  options: ReadForActionOptions,
): Promise<LiveUserDetails | null> {
  if (options.listed === null) return null;
  if (!scanned || scannedFactsUnusable(scanned, options) !== null) return readLiveUser(iam, api, userName, options.listed);
  try {
    return await assembleFromScan(iam, api, userName, scanned, options.listed);
  } catch (err) {
    // Deleted since the preflight GetUser: the per-user lists answer NoSuchEntity.
    if (err instanceof AwsError && err.code === 'NoSuchEntity') return null;
    throw err;
  }
}

async function assembleFromScan(
  iam: IAMClient,
  api: ApiCaller,
  userName: string,
  scanned: ScannedUserFacts,
  listed: LiveCredentialLists | undefined,
): Promise<LiveUserDetails | null> {
  const { facts, preflightUser } = scanned;
  const identity = identityOf(preflightUser, userName);
  const UserName = identity.name;
  const scannedTags = Object.entries(facts.tags).map(([Key, Value]) => ({ Key, Value }));
  // GetUser carries every tag. When it shows none but the scan saw some, the two disagree (tags
  // removed meanwhile, or an endpoint that leaves them out of GetUser): ListUserTags decides.
  const liveTags = preflightUser.Tags ?? [];
  const tags = liveTags.length > 0 || scannedTags.length === 0 ? liveTags : await listTags(iam, api, UserName);
  const documents = facts.inlinePolicyDocuments ?? {};
  const activity = facts.activity;
  // passwordEnabled null: no report row spoke for the user, so the report says nothing either way.
  const loginProfile =
    activity.passwordEnabled === null
      ? await readLoginProfile(iam, api, UserName)
      : { present: activity.passwordEnabled, createDate: null, passwordResetRequired: null };
  const credentials = listed ?? (await readCredentialLists(iam, api, UserName));
  if (credentials === null) return null;
  // The scan lists assigned virtual devices (and, for users read directly, every device). An MFA
  // that is active with none listed is a hardware or FIDO device only ListMFADevices names.
  const mfaDevices =
    activity.mfaActive && facts.mfaDevices.length === 0
      ? await readMfaDevices(iam, api, UserName)
      : facts.mfaDevices.map((serialNumber) => ({ serialNumber, virtual: isVirtualMfaSerial(serialNumber), enableDate: null }));
  return {
    ...identity,
    tags: tagsOf(tags),
    // A boundary only the scan saw is kept too: the backup then holds more, never less.
    permissionsBoundaryArn: preflightUser.PermissionsBoundary?.PermissionsBoundaryArn ?? facts.permissionsBoundaryArn,
    groups: [...facts.groups],
    inlinePolicies: facts.inlinePolicyNames.map((name) => ({ name, document: documents[name] ?? '' })),
    attachedPolicyArns: [...facts.attachedPolicyArns],
    loginProfile,
    accessKeys: credentials.accessKeys,
    mfaDevices,
    sshPublicKeys: credentials.sshPublicKeys,
    signingCertificates: credentials.signingCertificates,
    serviceSpecificCredentials: credentials.serviceSpecificCredentials,
  };
}
