/**
 * The baseline: the per-user procedure of the usual remediation script ("delete an IAM user" from
 * the IAM user guide, wrapped in a loop, with a KMS safety check per user), through the real SDK.
 *
 * For each user: GetUser; in every region list every KMS key and read its policy and grants,
 * looking for the user's ARN or UserId; then list and delete each dependent kind one by one and
 * finally DeleteUser. No backup, no re-check, no audit: it is the cost floor of the naive approach,
 * not a safe tool. Keys within a region are read with the same concurrency our inventory uses, so
 * the time comparison is not against a deliberately slow script.
 */
import {
  DeactivateMFADeviceCommand,
  DeleteAccessKeyCommand,
  DeleteLoginProfileCommand,
  DeleteServiceSpecificCredentialCommand,
  DeleteSigningCertificateCommand,
  DeleteSSHPublicKeyCommand,
  DeleteUserCommand,
  DeleteUserPolicyCommand,
  DeleteVirtualMFADeviceCommand,
  DetachUserPolicyCommand,
  GetLoginProfileCommand,
  GetUserCommand,
  ListServiceSpecificCredentialsCommand,
  paginateListAccessKeys,
  paginateListAttachedUserPolicies,
  paginateListGroupsForUser,
  paginateListMFADevices,
  paginateListSigningCertificates,
  paginateListSSHPublicKeys,
  paginateListUserPolicies,
  RemoveUserFromGroupCommand,
  type IAMClient,
} from '@aws-sdk/client-iam';
import { GetKeyPolicyCommand, paginateListGrants, paginateListKeys, type KMSClient } from '@aws-sdk/client-kms';
import pLimit from 'p-limit';
import type { AwsClients } from '../src/aws/clients';
import { isNoSuchEntity } from '../src/errors';

export interface BaselineOptions {
  /** Regions whose keys are scanned for every user. */
  readonly regions: readonly string[];
  /** Keys read at once per region. Default 8 (as our inventory). */
  readonly concurrency?: number;
  /** Called after each user, and awaited (the benchmark flushes its meter here). */
  readonly afterUser?: (userName: string) => void | Promise<void>;
}

export interface BaselineResult {
  readonly deleted: readonly string[];
  /** Users the script left alone because a key policy or grant named them. */
  readonly skipped: readonly { readonly userName: string; readonly key: string }[];
}

async function collect<P, T>(pages: AsyncIterable<P>, items: (page: P) => readonly T[] | undefined): Promise<T[]> {
  const out: T[] = [];
  for await (const page of pages) out.push(...(items(page) ?? []));
  return out;
}

/** The first key (ARN or id) of the region whose policy or grants name the user, or null. */
async function findKmsReference(kms: KMSClient, user: { arn: string; userId: string }, concurrency: number): Promise<string | null> {
  const keys = await collect(paginateListKeys({ client: kms }, {}), (p) => p.Keys);
  const limit = pLimit(concurrency);
  const hits = await Promise.all(
    keys.map((key) =>
      limit(async () => {
        const keyId = key.KeyId!;
        const policy = (await kms.send(new GetKeyPolicyCommand({ KeyId: keyId, PolicyName: 'default' }))).Policy ?? '';
        const grants = await collect(paginateListGrants({ client: kms }, { KeyId: keyId }), (p) => p.Grants);
        const named =
          policy.includes(user.arn) ||
          policy.includes(user.userId) ||
          grants.some((g) => g.GranteePrincipal === user.arn || g.RetiringPrincipal === user.arn);
        return named ? (key.KeyArn ?? keyId) : null;
      }),
    ),
  );
  return hits.find((h) => h !== null) ?? null;
}

async function deleteDependents(iam: IAMClient, UserName: string): Promise<void> {
  try {
    await iam.send(new GetLoginProfileCommand({ UserName }));
    await iam.send(new DeleteLoginProfileCommand({ UserName }));
  } catch (err) {
    if (!isNoSuchEntity(err)) throw err;
  }
  for (const key of await collect(paginateListAccessKeys({ client: iam }, { UserName }), (p) => p.AccessKeyMetadata)) {
    await iam.send(new DeleteAccessKeyCommand({ UserName, AccessKeyId: key.AccessKeyId }));
  }
  for (const cert of await collect(paginateListSigningCertificates({ client: iam }, { UserName }), (p) => p.Certificates)) {
    await iam.send(new DeleteSigningCertificateCommand({ UserName, CertificateId: cert.CertificateId }));
  }
  for (const ssh of await collect(paginateListSSHPublicKeys({ client: iam }, { UserName }), (p) => p.SSHPublicKeys)) {
    await iam.send(new DeleteSSHPublicKeyCommand({ UserName, SSHPublicKeyId: ssh.SSHPublicKeyId }));
  }
  const services = await iam.send(new ListServiceSpecificCredentialsCommand({ UserName }));
  for (const credential of services.ServiceSpecificCredentials ?? []) {
    await iam.send(
      new DeleteServiceSpecificCredentialCommand({ UserName, ServiceSpecificCredentialId: credential.ServiceSpecificCredentialId }),
    );
  }
  for (const device of await collect(paginateListMFADevices({ client: iam }, { UserName }), (p) => p.MFADevices)) {
    await iam.send(new DeactivateMFADeviceCommand({ UserName, SerialNumber: device.SerialNumber }));
    if (device.SerialNumber?.includes(':mfa/')) await iam.send(new DeleteVirtualMFADeviceCommand({ SerialNumber: device.SerialNumber }));
  }
  for (const PolicyName of await collect(paginateListUserPolicies({ client: iam }, { UserName }), (p) => p.PolicyNames)) {
    await iam.send(new DeleteUserPolicyCommand({ UserName, PolicyName }));
  }
  for (const policy of await collect(paginateListAttachedUserPolicies({ client: iam }, { UserName }), (p) => p.AttachedPolicies)) {
    await iam.send(new DetachUserPolicyCommand({ UserName, PolicyArn: policy.PolicyArn }));
  }
  for (const group of await collect(paginateListGroupsForUser({ client: iam }, { UserName }), (p) => p.Groups)) {
    await iam.send(new RemoveUserFromGroupCommand({ UserName, GroupName: group.GroupName }));
  }
}

/** Runs the baseline procedure for each user in turn. */
export async function runBaseline(clients: AwsClients, userNames: readonly string[], options: BaselineOptions): Promise<BaselineResult> {
  const concurrency = Math.max(1, options.concurrency ?? 8);
  const deleted: string[] = [];
  const skipped: { userName: string; key: string }[] = [];
  for (const userName of userNames) {
    const got = await clients.iam.send(new GetUserCommand({ UserName: userName }));
    const user = { arn: got.User!.Arn!, userId: got.User!.UserId! };
    let reference: string | null = null;
    for (const region of options.regions) {
      reference = await findKmsReference(clients.kms(region), user, concurrency);
      if (reference) break;
    }
    if (reference) {
      skipped.push({ userName, key: reference });
    } else {
      await deleteDependents(clients.iam, userName);
      await clients.iam.send(new DeleteUserCommand({ UserName: userName }));
      deleted.push(userName);
    }
    await options.afterUser?.(userName);
  }
  return { deleted, skipped };
}
