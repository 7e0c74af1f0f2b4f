import { CreateUserCommand, GetUserCommand, IAMClient, ListUsersCommand } from '@aws-sdk/client-iam';
import { CreateKeyCommand, GetKeyPolicyCommand, KMSClient, ListKeysCommand } from '@aws-sdk/client-kms';
import { GetCallerIdentityCommand } from '@aws-sdk/client-sts';
import { LocalEndpoint, startEndpoint } from '../../src/endpoint';
import { failureOf, iamClient, kmsClient, stsClient } from './helpers';

describe('fault injection and measurement over HTTP', () => {
  let ep: LocalEndpoint;
  let iam: IAMClient;
  let kms: KMSClient;

  beforeAll(async () => {
    ep = await startEndpoint({ seed: 'sandbox' });
    iam = iamClient(ep, { maxAttempts: 6 });
    kms = kmsClient(ep, { region: 'us-east-1', maxAttempts: 1 });
  });
  afterAll(async () => {
    iam.destroy();
    kms.destroy();
    await ep.stop();
  });
  beforeEach(() => ep.reset('sandbox'));

  test('GIVEN a tight IAM rate limit WHEN the SDK calls in a burst THEN throttled calls are retried and all succeed', async () => {
    ep.faults.setRateLimit('iam:GetUser', 20, 2);
    const results = await Promise.all(Array.from({ length: 6 }, () => iam.send(new GetUserCommand({ UserName: 'alice' }))));
    expect(results.every((r) => r.User?.UserName === 'alice')).toBe(true);
    const throttled = ep.requestLog().filter((e) => e.operation === 'GetUser' && e.errorCode === 'Throttling');
    expect(throttled.length).toBeGreaterThan(0);
    expect(throttled[0].status).toBe(400);
    expect(results.some((r) => (r.$metadata.attempts ?? 1) > 1)).toBe(true);
  });

  test('GIVEN every call throttled WHEN the SDK exhausts its attempts THEN the Throttling error surfaces', async () => {
    ep.faults.failAlways('iam:ListUsers', 'Throttling');
    const client = iamClient(ep, { maxAttempts: 2 });
    const failure = await failureOf(client.send(new ListUsersCommand({})));
    client.destroy();
    expect(failure).toMatchObject({ name: 'Throttling', status: 400 });
    expect(ep.counters()['iam:ListUsers']).toBe(2);
  });

  test('GIVEN KMS rate limits WHEN exceeded THEN ThrottlingException, per region', async () => {
    ep.faults.setRateLimit('kms:*', 0.001, 1);
    await kms.send(new ListKeysCommand({}));
    expect(await failureOf(kms.send(new ListKeysCommand({})))).toMatchObject({ name: 'ThrottlingException', status: 400 });
    const eu = kmsClient(ep, { region: 'eu-west-1', maxAttempts: 1 });
    await eu.send(new ListKeysCommand({}));
    eu.destroy();
  });

  test('GIVEN read-only mode WHEN mutating IAM and KMS calls are made THEN AccessDenied / AccessDeniedException; reads still work', async () => {
    ep.faults.setReadOnly(true);
    const iamFailure = await failureOf(iam.send(new CreateUserCommand({ UserName: 'nope' })));
    expect(iamFailure).toMatchObject({ name: 'AccessDenied', status: 403 });
    expect(iamFailure.message).toContain('arn:aws:iam::111122223333:user/ci-bootstrap');
    expect(await failureOf(kms.send(new CreateKeyCommand({})))).toMatchObject({ name: 'AccessDeniedException', status: 400 });
    expect((await iam.send(new ListUsersCommand({}))).Users?.length).toBeGreaterThan(0);
    expect(ep.state.iam.users.has('nope')).toBe(false);
  });

  test('GIVEN failNth(3) WHEN calling repeatedly THEN exactly the third call fails with the given code', async () => {
    ep.faults.failNth('sts:GetCallerIdentity', 3, 'ServiceUnavailable');
    const sts = stsClient(ep, { maxAttempts: 1 });
    await sts.send(new GetCallerIdentityCommand({}));
    await sts.send(new GetCallerIdentityCommand({}));
    expect(await failureOf(sts.send(new GetCallerIdentityCommand({})))).toMatchObject({ status: 503 });
    await sts.send(new GetCallerIdentityCommand({}));
    sts.destroy();
  });

  test('GIVEN a denied key and a denied region WHEN KMS reads them THEN AccessDeniedException; other keys read fine', async () => {
    const keys = (await kms.send(new ListKeysCommand({}))).Keys ?? [];
    const [denied, allowed] = [keys[keys.length - 1], keys[keys.length - 2]];
    ep.faults.denyKey(denied.KeyArn ?? '');
    expect(await failureOf(kms.send(new GetKeyPolicyCommand({ KeyId: denied.KeyId, PolicyName: 'default' })))).toMatchObject({
      name: 'AccessDeniedException',
    });
    expect((await kms.send(new GetKeyPolicyCommand({ KeyId: allowed.KeyId, PolicyName: 'default' }))).Policy).toBeDefined();
    ep.faults.denyRegion('eu-west-1');
    const eu = kmsClient(ep, { region: 'eu-west-1', maxAttempts: 1 });
    expect(await failureOf(eu.send(new ListKeysCommand({})))).toMatchObject({ name: 'AccessDeniedException' });
    eu.destroy();
  });

  test('GIVEN a throttle fraction and seed WHEN the same calls are replayed THEN the same calls are throttled', async () => {
    const client = iamClient(ep, { maxAttempts: 1 });
    const run = async () => {
      ep.faults.setThrottleFraction(0.5, 42);
      const outcomes: boolean[] = [];
      for (let i = 0; i < 12; i++)
        outcomes.push(
          await client.send(new ListUsersCommand({ MaxItems: 1 })).then(
            () => true,
            () => false,
          ),
        );
      return outcomes;
    };
    const first = await run();
    const second = await run();
    client.destroy();
    expect(first).toEqual(second);
    expect(first.filter((ok) => !ok).length).toBeGreaterThan(0);
    expect(first.filter((ok) => ok).length).toBeGreaterThan(0);
  });

  test('GIVEN latency on an operation WHEN called THEN the answer is delayed; counters and log record it and reset', async () => {
    ep.faults.setLatency('iam:ListUsers', 150);
    const started = Date.now();
    await iam.send(new ListUsersCommand({}));
    expect(Date.now() - started).toBeGreaterThanOrEqual(140);
    await kms.send(new ListKeysCommand({}));
    expect(ep.counters()).toMatchObject({ 'iam:ListUsers': 1, 'kms:ListKeys': 1 });
    const entry = ep.requestLog().find((e) => e.operation === 'ListKeys');
    expect(entry).toMatchObject({ service: 'kms', region: 'us-east-1', status: 200, mutating: false });
    ep.resetCounters();
    expect(ep.counters()).toEqual({});
    expect(ep.requestLog()).toEqual([]);
    ep.faults.clear();
    const again = Date.now();
    await iam.send(new ListUsersCommand({}));
    expect(Date.now() - again).toBeLessThan(140);
  });
});
