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
  ListAccessKeysCommand,
  ListUserTagsCommand,
  PutUserPolicyCommand,
  UpdateAccessKeyCommand,
  UploadSigningCertificateCommand,
  UploadSSHPublicKeyCommand,
  type IAMClient,
} from '@aws-sdk/client-iam';
import { AwsClients } from '../../src/aws/clients';
import { startEndpoint } from '../../src/endpoint';
import type { LocalEndpoint } from '../../src/endpoint/api';
import { AuditLog } from '../../src/executor/audit';
import type { ExecutorContext } from '../../src/executor/executor';
import type { PlannedAction } from '../../src/model/plan';

/** The sandbox account the executor integration tests act in. */
export const ACCOUNT = '111122223333';
/** Retries short enough that fault-injection tests stay fast. */
export const FAST_RETRY = { attempts: 6, baseDelayMs: 5, maxDelayMs: 50 };
export const MUTATING_OPERATION = /^iam:(Create|Delete|Put|Update|Upload|Attach|Detach|Add|Remove|Tag|Untag|Deactivate|Enable)/;

export const INLINE_DOCUMENT = JSON.stringify({
  Version: '2012-10-17',
  Statement: [{ Effect: 'Allow', Action: 's3:GetObject', Resource: 'arn:aws:s3:::legacy-bucket/*' }],
});
const MANAGED_DOCUMENT = JSON.stringify({
  Version: '2012-10-17',
  Statement: [{ Effect: 'Allow', Action: 'ec2:Describe*', Resource: '*' }],
});

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
  const lines =
    crypto
      .randomBytes(180)
      .toString('base64')
      .match(/.{1,64}/g) ?? [];
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
  await iam.send(
    new EnableMFADeviceCommand({ UserName: name, SerialNumber: mfaSerial, AuthenticationCode1: '123456', AuthenticationCode2: '654321' }),
  );
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

/** Only the mutating operations of a per-operation call count. */
export function mutations(calls: Record<string, number>): Record<string, number> {
  return Object.fromEntries(Object.entries(calls).filter(([op]) => MUTATING_OPERATION.test(op)));
}

/** A user's tags as a key -> value record. */
export async function tagsOf(iam: IAMClient, name: string): Promise<Record<string, string>> {
  const out = await iam.send(new ListUserTagsCommand({ UserName: name }));
  return Object.fromEntries((out.Tags ?? []).map((t) => [t.Key!, t.Value!]));
}

/** A user's access keys as an access key id -> status record. */
export async function keyStatuses(iam: IAMClient, name: string): Promise<Record<string, string>> {
  const out = await iam.send(new ListAccessKeysCommand({ UserName: name }));
  return Object.fromEntries((out.AccessKeyMetadata ?? []).map((k) => [k.AccessKeyId!, k.Status!]));
}

/** What a test file sees of the endpoint, clients and work dir that useExecutorEndpoint manages. */
export interface ExecutorEndpoint {
  readonly ep: LocalEndpoint;
  readonly clients: AwsClients;
  readonly iam: IAMClient;
  /** A fresh temporary directory for each test, removed after it. */
  readonly workDir: string;
  /** An executor context on the work dir (backups/, audit.log), a passing re-check and FAST_RETRY, then `overrides`. */
  context(overrides?: Partial<ExecutorContext>): ExecutorContext;
  /** The audit log at the work dir's audit.log. */
  audit(): AuditLog;
}

/**
 * Registers the jest hooks of an executor integration test file: one empty local endpoint for the file, its
 * AWS_ENDPOINT_URL* variables in process.env (restored afterwards) and AwsClients built from them; before each
 * test the endpoint is reset to empty and a new work dir named with `workDirPrefix` is made.
 */
export function useExecutorEndpoint(workDirPrefix: string): ExecutorEndpoint {
  let ep: LocalEndpoint | undefined;
  let clients: AwsClients | undefined;
  let currentWorkDir: string | undefined;
  const savedEnv = { ...process.env };
  const fixture: ExecutorEndpoint = {
    get ep() {
      if (!ep) throw new Error('the executor endpoint is read before beforeAll started it');
      return ep;
    },
    get clients() {
      if (!clients) throw new Error('the AWS clients are read before beforeAll made them');
      return clients;
    },
    get iam() {
      return fixture.clients.iam;
    },
    get workDir() {
      if (currentWorkDir === undefined) throw new Error('the work dir is read outside a test');
      return currentWorkDir;
    },
    context(overrides: Partial<ExecutorContext> = {}): ExecutorContext {
      return {
        clients: fixture.clients,
        accountId: ACCOUNT,
        backupDir: path.join(fixture.workDir, 'backups'),
        auditLog: path.join(fixture.workDir, 'audit.log'),
        recheck: async () => ({ ok: true }),
        retry: FAST_RETRY,
        ...overrides,
      };
    },
    audit: () => new AuditLog({ path: path.join(fixture.workDir, 'audit.log') }),
  };

  beforeAll(async () => {
    ep = await startEndpoint({ seed: 'empty' });
    Object.assign(process.env, ep.env());
    clients = new AwsClients();
  });
  afterAll(async () => {
    clients?.destroy();
    await ep?.stop();
    clients = undefined;
    ep = undefined;
    process.env = savedEnv;
  });
  beforeEach(() => {
    fixture.ep.reset('empty');
    currentWorkDir = tempDir(workDirPrefix);
  });
  afterEach(() => {
    if (currentWorkDir !== undefined) fs.rmSync(currentWorkDir, { recursive: true, force: true });
    currentWorkDir = undefined;
  });
  return fixture;
}
