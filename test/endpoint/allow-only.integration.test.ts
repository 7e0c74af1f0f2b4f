/**
 * The allow-only fault mode: the endpoint answers like AWS for a caller whose identity policy allows
 * exactly the listed actions. Driven with the real SDK over HTTP, one client per protocol.
 */
import { AccountClient, GetAlternateContactCommand, ListRegionsCommand } from '@aws-sdk/client-account';
import { CreateUserCommand, DeleteUserCommand, GetUserCommand, IAMClient, ListUsersCommand } from '@aws-sdk/client-iam';
import { DescribeKeyCommand, KMSClient, ListKeysCommand } from '@aws-sdk/client-kms';
import { GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts';
import { LocalEndpoint, startEndpoint } from '../../src/endpoint';
import { accountClient, failureOf, iamClient, kmsClient, stsClient } from './helpers';

describe('allow-only mode over HTTP', () => {
  let ep: LocalEndpoint;
  let iam: IAMClient;
  let sts: STSClient;
  let kms: KMSClient;
  let account: AccountClient;

  beforeAll(async () => {
    ep = await startEndpoint({ seed: 'sandbox' });
    iam = iamClient(ep, { maxAttempts: 1 });
    sts = stsClient(ep, { maxAttempts: 1 });
    kms = kmsClient(ep, { region: 'us-east-1', maxAttempts: 1 });
    account = accountClient(ep, { maxAttempts: 1 });
  });
  afterAll(async () => {
    for (const client of [iam, sts, kms, account]) client.destroy();
    await ep.stop();
  });
  beforeEach(() => ep.reset('sandbox'));

  test('GIVEN only iam:GetUser allowed WHEN IAM (Query/XML) is called THEN GetUser answers, others AccessDenied 403 naming the action and the caller', async () => {
    ep.faults.allowOnly(['iam:GetUser']);
    expect((await iam.send(new GetUserCommand({ UserName: 'alice' }))).User?.UserName).toBe('alice');
    const list = await failureOf(iam.send(new ListUsersCommand({})));
    expect(list).toMatchObject({ name: 'AccessDenied', status: 403 });
    expect(list.message).toBe(
      'User: arn:aws:iam::111122223333:user/ci-bootstrap is not authorized to perform: iam:ListUsers because no identity-based policy allows the iam:ListUsers action',
    );
    expect(await failureOf(iam.send(new DeleteUserCommand({ UserName: 'alice' })))).toMatchObject({ name: 'AccessDenied', status: 403 });
    // Denied before the service acts: nothing changed.
    expect(ep.state.iam.users.has('alice')).toBe(true);
  });

  test('GIVEN no STS action allowed WHEN STS (Query/XML) is called THEN AccessDenied 403', async () => {
    ep.faults.allowOnly(['iam:GetUser']);
    const failure = await failureOf(sts.send(new GetCallerIdentityCommand({})));
    expect(failure).toMatchObject({ name: 'AccessDenied', status: 403 });
    expect(failure.message).toContain('sts:GetCallerIdentity');
  });

  test('GIVEN kms:ListKeys allowed WHEN KMS (JSON 1.1) is called THEN ListKeys answers, DescribeKey AccessDeniedException 400', async () => {
    ep.faults.allowOnly(['kms:ListKeys']);
    const keys = (await kms.send(new ListKeysCommand({}))).Keys ?? [];
    expect(keys.length).toBeGreaterThan(0);
    const failure = await failureOf(kms.send(new DescribeKeyCommand({ KeyId: keys[0]!.KeyId })));
    expect(failure).toMatchObject({ name: 'AccessDeniedException', status: 400 });
    expect(failure.message).toContain('kms:DescribeKey');
  });

  test('GIVEN account:ListRegions allowed WHEN Account (REST-JSON) is called THEN ListRegions answers, others AccessDeniedException 403', async () => {
    ep.faults.allowOnly(['account:ListRegions']);
    expect((await account.send(new ListRegionsCommand({}))).Regions?.length).toBeGreaterThan(0);
    const failure = await failureOf(account.send(new GetAlternateContactCommand({ AlternateContactType: 'SECURITY' })));
    expect(failure).toMatchObject({ name: 'AccessDeniedException', status: 403 });
    expect(failure.message).toContain('account:GetAlternateContact');
  });

  test('GIVEN allow-only WHEN lifted with null, or by clear() THEN every action answers again', async () => {
    ep.faults.allowOnly([]);
    expect(await failureOf(iam.send(new GetUserCommand({ UserName: 'alice' })))).toMatchObject({ name: 'AccessDenied' });
    ep.faults.allowOnly(null);
    await iam.send(new CreateUserCommand({ UserName: 'lifted' }));
    ep.faults.allowOnly([]);
    ep.faults.clear();
    expect((await sts.send(new GetCallerIdentityCommand({}))).Account).toBe('111122223333');
  });
});
