import {
  GetLoginProfileCommand,
  GetSSHPublicKeyCommand,
  GetUserCommand,
  GetUserPolicyCommand,
  IAMClient,
  ListServiceSpecificCredentialsCommand,
  paginateListAccessKeys,
  paginateListAttachedUserPolicies,
  paginateListGroupsForUser,
  paginateListMFADevices,
  paginateListSigningCertificates,
  paginateListSSHPublicKeys,
  paginateListUserPolicies,
  paginateListUserTags,
} from '@aws-sdk/client-iam';
import type { AwsClients } from '../aws/clients';
import { AwsError, awsErrorCode, isNoSuchEntity } from '../errors';
import { decodePolicyDocument } from './policy-document';
import { compareText, FailedRead, step } from './scan-errors';

/**
 * Everything needed to back up (and later recreate) one IAM user before it is changed.
 * Holds no secret: AWS returns none from these reads (no secret access keys, no passwords,
 * no service-specific passwords, no MFA seeds).
 */
export interface UserDetails {
  readonly userName: string;
  readonly userId: string;
  readonly arn: string;
  readonly path: string;
  readonly createDate: string;
  /** ISO time; null when never used (or unknown). */
  readonly passwordLastUsed: string | null;
  readonly permissionsBoundaryArn: string | null;
  readonly tags: Readonly<Record<string, string>>;
  /** Presence of a console password (its value is never readable). */
  readonly loginProfile: { readonly createDate: string; readonly passwordResetRequired: boolean } | null;
  readonly accessKeys: readonly { readonly accessKeyId: string; readonly status: string; readonly createDate: string | null }[];
  readonly mfaDevices: readonly { readonly serialNumber: string; readonly enableDate: string | null }[];
  readonly signingCertificates: readonly {
    readonly certificateId: string;
    readonly status: string;
    readonly uploadDate: string | null;
    /** PEM body (a public certificate). */
    readonly body: string;
  }[];
  readonly sshPublicKeys: readonly {
    readonly sshPublicKeyId: string;
    readonly status: string;
    readonly uploadDate: string | null;
    readonly fingerprint: string | null;
    /** Public key body in SSH encoding. */
    readonly body: string;
  }[];
  readonly serviceSpecificCredentials: readonly {
    readonly serviceSpecificCredentialId: string;
    readonly serviceName: string;
    readonly serviceUserName: string | null;
    readonly status: string;
    readonly createDate: string | null;
  }[];
  /** Inline policies with their documents (URL-decoded JSON text). */
  readonly inlinePolicies: readonly { readonly policyName: string; readonly document: string }[];
  readonly attachedPolicies: readonly { readonly policyName: string; readonly policyArn: string }[];
  readonly groups: readonly string[];
}

/**
 * Per-user detail reads, only for users about to be acted on (the executor's backup): GetUser,
 * ListAccessKeys, GetLoginProfile, ListMFADevices, ListSigningCertificates, ListSSHPublicKeys +
 * GetSSHPublicKey, ListServiceSpecificCredentials, ListUserPolicies + GetUserPolicy,
 * ListAttachedUserPolicies, ListGroupsForUser, ListUserTags. Every list is paginated.
 * Throws AwsError (operation = the call that failed; code NoSuchEntity when the user is gone):
 * a backup is complete or it is not taken.
 */
export async function readUserDetails(clients: Pick<AwsClients, 'iam'>, userName: string): Promise<UserDetails> {
  try {
    return await readAll(clients.iam, userName);
  } catch (err) {
    const operation = err instanceof FailedRead ? err.operation : 'GetUser';
    const cause = err instanceof FailedRead ? err.cause : err;
    throw new AwsError(
      `cannot read IAM user ${userName} (${operation}): ${cause instanceof Error ? cause.message : String(cause)}`,
      awsErrorCode(cause) ?? 'Error',
      operation,
      cause,
    );
  }
}

async function readAll(iam: IAMClient, userName: string): Promise<UserDetails> {
  const user = await step('GetUser', async () => (await iam.send(new GetUserCommand({ UserName: userName }))).User);
  if (!user?.UserName || !user.UserId || !user.Arn) throw new FailedRead('GetUser', new Error('GetUser answered without a user'));
  // Every later call uses the canonical name: IAM names are case-insensitive, the answer is exact.
  const name = user.UserName;

  const [loginProfile, accessKeys, mfaDevices, signingCertificates, sshPublicKeys, serviceSpecificCredentials] =
    await Promise.all([
      readLoginProfile(iam, name),
      readAccessKeys(iam, name),
      readMfaDevices(iam, name),
      readSigningCertificates(iam, name),
      readSshPublicKeys(iam, name),
      readServiceSpecificCredentials(iam, name),
    ]);
  const [inlinePolicies, attachedPolicies, groups, tags] = await Promise.all([
    readInlinePolicies(iam, name),
    readAttachedPolicies(iam, name),
    readGroups(iam, name),
    readTags(iam, name),
  ]);

  return {
    userName: name,
    userId: user.UserId,
    arn: user.Arn,
    path: user.Path ?? '/',
    createDate: iso(user.CreateDate) ?? '',
    passwordLastUsed: iso(user.PasswordLastUsed),
    permissionsBoundaryArn: user.PermissionsBoundary?.PermissionsBoundaryArn ?? null,
    tags,
    loginProfile,
    accessKeys,
    mfaDevices,
    signingCertificates,
    sshPublicKeys,
    serviceSpecificCredentials,
    inlinePolicies,
    attachedPolicies,
    groups,
  };
}

function readLoginProfile(iam: IAMClient, userName: string): Promise<UserDetails['loginProfile']> {
  return step('GetLoginProfile', async () => {
    try {
      const profile = (await iam.send(new GetLoginProfileCommand({ UserName: userName }))).LoginProfile;
      return { createDate: iso(profile?.CreateDate) ?? '', passwordResetRequired: profile?.PasswordResetRequired ?? false };
    } catch (err) {
      if (isNoSuchEntity(err)) return null;
      throw err;
    }
  });
}

function readAccessKeys(iam: IAMClient, userName: string): Promise<UserDetails['accessKeys']> {
  return step('ListAccessKeys', async () => {
    const keys: { accessKeyId: string; status: string; createDate: string | null }[] = [];
    for await (const page of paginateListAccessKeys({ client: iam }, { UserName: userName })) {
      for (const key of page.AccessKeyMetadata ?? []) {
        if (key.AccessKeyId) keys.push({ accessKeyId: key.AccessKeyId, status: key.Status ?? 'Unknown', createDate: iso(key.CreateDate) });
      }
    }
    return keys.sort((a, b) => compareText(a.accessKeyId, b.accessKeyId));
  });
}

function readMfaDevices(iam: IAMClient, userName: string): Promise<UserDetails['mfaDevices']> {
  return step('ListMFADevices', async () => {
    const devices: { serialNumber: string; enableDate: string | null }[] = [];
    for await (const page of paginateListMFADevices({ client: iam }, { UserName: userName })) {
      for (const device of page.MFADevices ?? []) {
        if (device.SerialNumber) devices.push({ serialNumber: device.SerialNumber, enableDate: iso(device.EnableDate) });
      }
    }
    return devices.sort((a, b) => compareText(a.serialNumber, b.serialNumber));
  });
}

function readSigningCertificates(iam: IAMClient, userName: string): Promise<UserDetails['signingCertificates']> {
  return step('ListSigningCertificates', async () => {
    const certificates: UserDetails['signingCertificates'][number][] = [];
    for await (const page of paginateListSigningCertificates({ client: iam }, { UserName: userName })) {
      for (const cert of page.Certificates ?? []) {
        if (!cert.CertificateId) continue;
        certificates.push({
          certificateId: cert.CertificateId,
          status: cert.Status ?? 'Unknown',
          uploadDate: iso(cert.UploadDate),
          body: cert.CertificateBody ?? '',
        });
      }
    }
    return certificates.sort((a, b) => compareText(a.certificateId, b.certificateId));
  });
}

async function readSshPublicKeys(iam: IAMClient, userName: string): Promise<UserDetails['sshPublicKeys']> {
  const listed = await step('ListSSHPublicKeys', async () => {
    const ids: string[] = [];
    for await (const page of paginateListSSHPublicKeys({ client: iam }, { UserName: userName })) {
      for (const key of page.SSHPublicKeys ?? []) if (key.SSHPublicKeyId) ids.push(key.SSHPublicKeyId);
    }
    return ids.sort(compareText);
  });
  const keys: UserDetails['sshPublicKeys'][number][] = [];
  for (const id of listed) {
    const key = await step('GetSSHPublicKey', async () =>
      (await iam.send(new GetSSHPublicKeyCommand({ UserName: userName, SSHPublicKeyId: id, Encoding: 'SSH' }))).SSHPublicKey,
    );
    keys.push({
      sshPublicKeyId: id,
      status: key?.Status ?? 'Unknown',
      uploadDate: iso(key?.UploadDate),
      fingerprint: key?.Fingerprint ?? null,
      body: key?.SSHPublicKeyBody ?? '',
    });
  }
  return keys;
}

function readServiceSpecificCredentials(iam: IAMClient, userName: string): Promise<UserDetails['serviceSpecificCredentials']> {
  return step('ListServiceSpecificCredentials', async () => {
    const credentials: UserDetails['serviceSpecificCredentials'][number][] = [];
    let marker: string | undefined;
    do {
      const page = await iam.send(new ListServiceSpecificCredentialsCommand({ UserName: userName, Marker: marker }));
      for (const credential of page.ServiceSpecificCredentials ?? []) {
        if (!credential.ServiceSpecificCredentialId) continue;
        // Metadata only: the list never carries the service password, and none is copied.
        credentials.push({
          serviceSpecificCredentialId: credential.ServiceSpecificCredentialId,
          serviceName: credential.ServiceName ?? '',
          serviceUserName: credential.ServiceUserName ?? null,
          status: credential.Status ?? 'Unknown',
          createDate: iso(credential.CreateDate),
        });
      }
      marker = page.IsTruncated ? page.Marker : undefined;
    } while (marker);
    return credentials.sort((a, b) => compareText(a.serviceSpecificCredentialId, b.serviceSpecificCredentialId));
  });
}

async function readInlinePolicies(iam: IAMClient, userName: string): Promise<UserDetails['inlinePolicies']> {
  const names = await step('ListUserPolicies', async () => {
    const found: string[] = [];
    for await (const page of paginateListUserPolicies({ client: iam }, { UserName: userName })) found.push(...(page.PolicyNames ?? []));
    return found.sort(compareText);
  });
  const policies: { policyName: string; document: string }[] = [];
  for (const policyName of names) {
    const document = await step('GetUserPolicy', async () =>
      (await iam.send(new GetUserPolicyCommand({ UserName: userName, PolicyName: policyName }))).PolicyDocument,
    );
    policies.push({ policyName, document: decodePolicyDocument(document ?? '') });
  }
  return policies;
}

function readAttachedPolicies(iam: IAMClient, userName: string): Promise<UserDetails['attachedPolicies']> {
  return step('ListAttachedUserPolicies', async () => {
    const policies: { policyName: string; policyArn: string }[] = [];
    for await (const page of paginateListAttachedUserPolicies({ client: iam }, { UserName: userName })) {
      for (const policy of page.AttachedPolicies ?? []) {
        if (policy.PolicyArn) policies.push({ policyName: policy.PolicyName ?? '', policyArn: policy.PolicyArn });
      }
    }
    return policies.sort((a, b) => compareText(a.policyArn, b.policyArn));
  });
}

function readGroups(iam: IAMClient, userName: string): Promise<readonly string[]> {
  return step('ListGroupsForUser', async () => {
    const groups: string[] = [];
    for await (const page of paginateListGroupsForUser({ client: iam }, { UserName: userName })) {
      for (const group of page.Groups ?? []) if (group.GroupName) groups.push(group.GroupName);
    }
    return groups.sort(compareText);
  });
}

function readTags(iam: IAMClient, userName: string): Promise<Readonly<Record<string, string>>> {
  return step('ListUserTags', async () => {
    const pairs: [string, string][] = [];
    for await (const page of paginateListUserTags({ client: iam }, { UserName: userName })) {
      for (const tag of page.Tags ?? []) if (tag.Key !== undefined) pairs.push([tag.Key, tag.Value ?? '']);
    }
    return Object.fromEntries(pairs.sort((a, b) => compareText(a[0], b[0])));
  });
}

function iso(value: Date | undefined): string | null {
  return value ? value.toISOString() : null;
}
