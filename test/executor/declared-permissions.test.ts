/**
 * The ApiCaller holds every call to the permissions its current step declares: a step that calls an
 * action it did not declare would fail on AWS under the printed least-privilege policy, so it is a bug
 * the executor refuses before anything is sent.
 */
import { AccountClient, ListRegionsCommand } from '@aws-sdk/client-account';
import { DeleteUserCommand, GetUserCommand, IAMClient, ListUserTagsCommand } from '@aws-sdk/client-iam';
import { KMSClient, ListKeysCommand } from '@aws-sdk/client-kms';
import { GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { InternalError } from '../../src/errors';
import { actionOf, ApiCaller, listAll, type AwsClient } from '../../src/executor/api-calls';
import { AuditLog, readAuditJournal } from '../../src/executor/audit';

const identity = { account: '111122223333', user: 'old-admin', userId: 'AIDAEXAMPLE1' };

let dir: string;
beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'declared-permissions-'));
});
afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

/** An IAM client that records what it was asked to send and answers `answer`. */
function recordingIam(answer: unknown = {}): AwsClient & { sent: string[] } {
  const sent: string[] = [];
  return {
    sent,
    config: { serviceId: 'IAM' },
    send: async (command: never) => {
      sent.push((command as object).constructor.name);
      return answer;
    },
  };
}

describe('actionOf', () => {
  test.each([
    ['IAM', () => new IAMClient({ region: 'us-east-1' }), new DeleteUserCommand({ UserName: 'u' }), 'iam:DeleteUser'],
    ['STS', () => new STSClient({ region: 'us-east-1' }), new GetCallerIdentityCommand({}), 'sts:GetCallerIdentity'],
    ['KMS', () => new KMSClient({ region: 'us-east-1' }), new ListKeysCommand({}), 'kms:ListKeys'],
    ['Account', () => new AccountClient({ region: 'us-east-1' }), new ListRegionsCommand({}), 'account:ListRegions'],
  ] as const)(
    'GIVEN a real %s client and command WHEN the action is named THEN it is service:Operation as IAM policies spell it',
    (_s, client, command, action) => {
      expect(actionOf(client(), command)).toBe(action);
    },
  );

  test('GIVEN something that is not an SDK command WHEN the action is named THEN InternalError', () => {
    expect(() => actionOf(recordingIam(), { input: {}, resolveMiddleware: () => undefined })).toThrow(InternalError);
  });
});

describe('undeclared calls', () => {
  test('GIVEN a step declaring only GetUser WHEN it mutates DeleteUser THEN InternalError naming both, nothing sent, no audit intent', async () => {
    const file = path.join(dir, 'audit.log');
    const api = new ApiCaller(new AuditLog({ path: file }), { ...identity });
    api.beginStep({ id: 'read-only', permissions: ['iam:GetUser'] });
    const iam = recordingIam();
    const err = await api.mutate(iam, new DeleteUserCommand({ UserName: 'old-admin' })).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(InternalError);
    expect((err as Error).message).toContain('step read-only called iam:DeleteUser, which it does not declare (declared: iam:GetUser)');
    expect(iam.sent).toEqual([]);
    expect(readAuditJournal(file).filter((l) => l.phase === 'intent')).toEqual([]);
    expect(api.totalCalls()).toEqual({});
  });

  test('GIVEN a step declaring ListUserTags WHEN it reads GetUser, also through listAll THEN InternalError, nothing sent', async () => {
    const api = new ApiCaller(new AuditLog({ path: path.join(dir, 'audit.log') }), { ...identity });
    api.beginStep({ id: 'tags', permissions: ['iam:ListUserTags'] });
    const iam = recordingIam({ Tags: [], IsTruncated: false });
    await expect(api.read(iam, new GetUserCommand({ UserName: 'old-admin' }))).rejects.toThrow(/step tags called iam:GetUser/);
    expect(iam.sent).toEqual([]);
    // The declared one goes through and is counted.
    await expect(
      listAll(
        api,
        iam,
        (Marker) => new ListUserTagsCommand({ UserName: 'old-admin', Marker }),
        (p) => p.Tags,
      ),
    ).resolves.toEqual([]);
    expect(iam.sent).toEqual(['ListUserTagsCommand']);
    expect(api.endStep().calls).toEqual({ 'iam:ListUserTags': 1 });
  });

  test('GIVEN no step begun WHEN a read is due THEN InternalError: a call outside any step declares nothing', async () => {
    const api = new ApiCaller(new AuditLog({ path: path.join(dir, 'audit.log') }), { ...identity });
    const iam = recordingIam();
    await expect(api.read(iam, new GetUserCommand({ UserName: 'old-admin' }))).rejects.toThrow(
      /step none called iam:GetUser.*declared: nothing/,
    );
    expect(iam.sent).toEqual([]);
  });

  test('GIVEN a step declaring DeleteUser WHEN it mutates DeleteUser THEN sent once, counted, with the audit intent naming the plain operation', async () => {
    const file = path.join(dir, 'audit.log');
    const api = new ApiCaller(new AuditLog({ path: file }), { ...identity });
    api.beginStep({ id: 'delete-user', permissions: ['iam:DeleteUser'] });
    const iam = recordingIam();
    await expect(api.mutate(iam, new DeleteUserCommand({ UserName: 'old-admin' }))).resolves.toEqual({ outcome: 'ok', output: {} });
    expect(iam.sent).toEqual(['DeleteUserCommand']);
    expect(api.endStep()).toEqual({ calls: { 'iam:DeleteUser': 1 }, changed: true });
    const intents = readAuditJournal(file).filter((l) => l.phase === 'intent') as {
      step: string;
      operation: string;
      target: string | null;
    }[];
    expect(intents.map((i) => [i.step, i.operation, i.target])).toEqual([['delete-user', 'DeleteUser', null]]);
  });
});
