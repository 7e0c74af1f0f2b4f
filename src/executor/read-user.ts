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
} from '@aws-sdk/client-iam';
import { AwsError } from '../errors';
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

/**
 * Reads one user completely (every list paginated). Returns null when the user does not exist.
 * The delete and quarantine steps act on this read, so it names every item the lists return.
 * Lists run one after another: IAM throttles account-wide, so parallel reads would only buy throttling.
 */
export async function readLiveUser(iam: IAMClient, api: ApiCaller, userName: string): Promise<LiveUserDetails | null> {
  const got = await api.read('GetUser', () => iam.send(new GetUserCommand({ UserName: userName })), ['NoSuchEntity']);
  const user = got?.User;
  if (!user) return null;
  if (!user.UserId || !user.Arn || !user.UserName) {
    throw new AwsError(`GetUser answered without UserId/Arn for ${userName}`, 'MalformedResponse', 'GetUser');
  }
  const UserName = user.UserName;

  // GetUser carries every tag (a user has at most 50); an answer without any (untagged user, or an
  // endpoint that leaves them out) is confirmed with ListUserTags rather than trusted as "none".
  const tags =
    user.Tags && user.Tags.length > 0
      ? user.Tags
      : await listAll(api, 'ListUserTags', (Marker) => iam.send(new ListUserTagsCommand({ UserName, Marker })), (p) => p.Tags);
  const groups = await listAll(api, 'ListGroupsForUser', (Marker) => iam.send(new ListGroupsForUserCommand({ UserName, Marker })), (p) => p.Groups);
  const policyNames = await listAll(api, 'ListUserPolicies', (Marker) => iam.send(new ListUserPoliciesCommand({ UserName, Marker })), (p) => p.PolicyNames);
  const inlinePolicies: { name: string; document: string }[] = [];
  for (const PolicyName of policyNames) {
    const policy = await api.read('GetUserPolicy', () => iam.send(new GetUserPolicyCommand({ UserName, PolicyName })), ['NoSuchEntity']);
    // Deleted between list and get (a re-run racing itself): nothing left to back up.
    if (policy) inlinePolicies.push({ name: PolicyName, document: decodePolicyDocument(policy.PolicyDocument ?? '') });
  }
  const attached = await listAll(
    api,
    'ListAttachedUserPolicies',
    (Marker) => iam.send(new ListAttachedUserPoliciesCommand({ UserName, Marker })),
    (p) => p.AttachedPolicies,
  );
  const login = await api.read('GetLoginProfile', () => iam.send(new GetLoginProfileCommand({ UserName })), ['NoSuchEntity']);
  const keys = await listAll(api, 'ListAccessKeys', (Marker) => iam.send(new ListAccessKeysCommand({ UserName, Marker })), (p) => p.AccessKeyMetadata);
  const mfa = await listAll(api, 'ListMFADevices', (Marker) => iam.send(new ListMFADevicesCommand({ UserName, Marker })), (p) => p.MFADevices);
  const sshIds = await listAll(api, 'ListSSHPublicKeys', (Marker) => iam.send(new ListSSHPublicKeysCommand({ UserName, Marker })), (p) => p.SSHPublicKeys);
  const sshPublicKeys: LiveUserDetails['sshPublicKeys'][number][] = [];
  for (const meta of sshIds) {
    if (!meta.SSHPublicKeyId) continue;
    const SSHPublicKeyId = meta.SSHPublicKeyId;
    const key = await api.read(
      'GetSSHPublicKey',
      () => iam.send(new GetSSHPublicKeyCommand({ UserName, SSHPublicKeyId, Encoding: 'SSH' })),
      ['NoSuchEntity'],
    );
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
  const certs = await listAll(
    api,
    'ListSigningCertificates',
    (Marker) => iam.send(new ListSigningCertificatesCommand({ UserName, Marker })),
    (p) => p.Certificates,
  );
  const creds = await listAll(
    api,
    'ListServiceSpecificCredentials',
    (Marker) => iam.send(new ListServiceSpecificCredentialsCommand({ UserName, Marker })),
    (p) => p.ServiceSpecificCredentials,
  );

  return {
    name: UserName,
    path: user.Path ?? '/',
    userId: user.UserId,
    arn: user.Arn,
    createDate: iso(user.CreateDate),
    tags: tags.map((t) => ({ key: t.Key ?? '', value: t.Value ?? '' })),
    permissionsBoundaryArn: user.PermissionsBoundary?.PermissionsBoundaryArn ?? null,
    groups: groups.map((g) => g.GroupName ?? '').filter((g) => g !== ''),
    inlinePolicies,
    attachedPolicyArns: attached.map((p) => p.PolicyArn ?? '').filter((a) => a !== ''),
    loginProfile: {
      present: login?.LoginProfile !== undefined,
      createDate: iso(login?.LoginProfile?.CreateDate),
      passwordResetRequired: login?.LoginProfile?.PasswordResetRequired ?? null,
    },
    accessKeys: keys
      .filter((k) => k.AccessKeyId)
      .map((k) => ({ accessKeyId: k.AccessKeyId as string, status: k.Status ?? 'Active', createDate: iso(k.CreateDate) })),
    mfaDevices: mfa
      .filter((d) => d.SerialNumber)
      .map((d) => ({
        serialNumber: d.SerialNumber as string,
        virtual: isVirtualMfaSerial(d.SerialNumber as string),
        enableDate: iso(d.EnableDate),
      })),
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
