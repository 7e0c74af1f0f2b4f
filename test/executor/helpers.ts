import * as crypto from 'crypto';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import {
  AddUserToGroupCommand,
  AttachUserPolicyCommand,
  CreateAccessKeyCommand,
  CreateGroupCommand,
  CreateLoginProfileCommand,
  CreatePolicyCommand,
  CreateServiceSpecificCredentialCommand,
  CreateUserCommand,
  CreateVirtualMFADeviceCommand,
  EnableMFADeviceCommand,
  GetUserCommand,
  PutUserPolicyCommand,
  UpdateAccessKeyCommand,
  UploadSigningCertificateCommand,
  UploadSSHPublicKeyCommand,
  type IAMClient,
} from '@aws-sdk/client-iam';
import type { PlannedAction } from '../../src/model/plan';

export const INLINE_DOCUMENT = JSON.stringify({
  Version: '2012-10-17',
  Statement: [{ Effect: 'Allow', Action: 's3:GetObject', Resource: 'arn:aws:s3:::legacy-bucket/*' }],
});
const MANAGED_DOCUMENT = JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 'ec2:Describe*', Resource: '*' }] });

export interface SeededUser {
  readonly name: string;
  readonly userId: string;
  readonly arn: string;
  readonly groupName: string;
  readonly boundaryArn: string;
  readonly managedArn: string;
  readonly mfaSerial: string;
  readonly accessKeyIds: readonly string[];
  readonly sshBody: string;
  readonly certBody: string;
  /** Secrets AWS returned while seeding; a backup or audit log must never contain them. */
  readonly secrets: readonly string[];
}

export function sshPublicKeyBody(label: string): string {
  const blob = Buffer.concat([Buffer.from([0, 0, 0, 7]), Buffer.from('ssh-rsa'), crypto.randomBytes(64)]);
  return `ssh-rsa ${blob.toString('base64')} ${label}`;
}

export function certificateBody(): string {
  const lines = crypto.randomBytes(180).toString('base64').match(/.{1,64}/g) ?? [];
  return `-----BEGIN CERTIFICATE-----\n${lines.join('\n')}\n-----END CERTIFICATE-----\n`;
}

/** A user with every dependent kind DeleteUser cares about, plus boundary and tags. */
export async function seedFullUser(iam: IAMClient, name: string, options: { readonly groupName?: string } = {}): Promise<SeededUser> {
  const secrets: string[] = [];
  const boundary = await iam.send(new CreatePolicyCommand({ PolicyName: `${name}-boundary`, PolicyDocument: MANAGED_DOCUMENT }));
  const managed = await iam.send(new CreatePolicyCommand({ PolicyName: `${name}-managed`, PolicyDocument: MANAGED_DOCUMENT }));
  const groupName = options.groupName ?? `${name}-group`;
  if (!options.groupName) await iam.send(new CreateGroupCommand({ GroupName: groupName }));
  const created = await iam.send(
    new CreateUserCommand({
      UserName: name,
      Path: '/legacy/',
      PermissionsBoundary: boundary.Policy!.Arn,
      Tags: [
        { Key: 'team', Value: 'legacy' },
        { Key: 'cost-center', Value: '42' },
      ],
    }),
  );
  const password = `Aa1!${crypto.randomBytes(12).toString('hex')}`;
  secrets.push(password);
  await iam.send(new CreateLoginProfileCommand({ UserName: name, Password: password }));
  const accessKeyIds: string[] = [];
  for (let i = 0; i < 2; i++) {
    const key = await iam.send(new CreateAccessKeyCommand({ UserName: name }));
    accessKeyIds.push(key.AccessKey!.AccessKeyId!);
    secrets.push(key.AccessKey!.SecretAccessKey!);
  }
  const certBody = certificateBody();
  await iam.send(new UploadSigningCertificateCommand({ UserName: name, CertificateBody: certBody }));
  const sshBody = sshPublicKeyBody(name);
  await iam.send(new UploadSSHPublicKeyCommand({ UserName: name, SSHPublicKeyBody: sshBody }));
  const ssc = await iam.send(new CreateServiceSpecificCredentialCommand({ UserName: name, ServiceName: 'codecommit.amazonaws.com' }));
  if (ssc.ServiceSpecificCredential?.ServicePassword) secrets.push(ssc.ServiceSpecificCredential.ServicePassword);
  const mfa = await iam.send(new CreateVirtualMFADeviceCommand({ VirtualMFADeviceName: name }));
  const mfaSerial = mfa.VirtualMFADevice!.SerialNumber!;
  await iam.send(new EnableMFADeviceCommand({ UserName: name, SerialNumber: mfaSerial, AuthenticationCode1: '123456', AuthenticationCode2: '654321' }));
  await iam.send(new PutUserPolicyCommand({ UserName: name, PolicyName: 'legacy-s3', PolicyDocument: INLINE_DOCUMENT }));
  await iam.send(new AttachUserPolicyCommand({ UserName: name, PolicyArn: managed.Policy!.Arn }));
  await iam.send(new AddUserToGroupCommand({ UserName: name, GroupName: groupName }));
  return {
    name,
    userId: created.User!.UserId!,
    arn: created.User!.Arn!,
    groupName,
    boundaryArn: boundary.Policy!.Arn!,
    managedArn: managed.Policy!.Arn!,
    mfaSerial,
    accessKeyIds,
    sshBody,
    certBody,
    secrets,
  };
}

/** A declared user that must come through every run untouched. */
export async function seedKeeper(iam: IAMClient, name: string, groupName: string): Promise<{ userId: string; accessKeyId: string }> {
  const created = await iam.send(new CreateUserCommand({ UserName: name }));
  const key = await iam.send(new CreateAccessKeyCommand({ UserName: name }));
  await iam.send(new PutUserPolicyCommand({ UserName: name, PolicyName: 'keeper-inline', PolicyDocument: INLINE_DOCUMENT }));
  await iam.send(new AddUserToGroupCommand({ UserName: name, GroupName: groupName }));
  return { userId: created.User!.UserId!, accessKeyId: key.AccessKey!.AccessKeyId! };
}

export async function deactivateKey(iam: IAMClient, userName: string, accessKeyId: string): Promise<void> {
  await iam.send(new UpdateAccessKeyCommand({ UserName: userName, AccessKeyId: accessKeyId, Status: 'Inactive' }));
}

export async function plannedAction(iam: IAMClient, userName: string, action: PlannedAction['action']): Promise<PlannedAction> {
  const got = await iam.send(new GetUserCommand({ UserName: userName }));
  return { action, userName, userId: got.User!.UserId!, arn: got.User!.Arn! };
}

export function tempDir(prefix: string): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), prefix));
}

/** Calls per operation made between two counter readings. */
export function counterDiff(after: Record<string, number>, before: Record<string, number>): Record<string, number> {
  const out: Record<string, number> = {};
  for (const [op, n] of Object.entries(after)) {
    const d = n - (before[op] ?? 0);
    if (d > 0) out[op] = d;
  }
  return out;
}
