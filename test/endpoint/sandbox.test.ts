import { GetAccountAuthorizationDetailsCommand, IAMClient, paginateListUsers, User } from '@aws-sdk/client-iam';
import { GetKeyPolicyCommand, KMSClient, ListAliasesCommand, ListGrantsCommand, ListKeysCommand } from '@aws-sdk/client-kms';
import { GetCallerIdentityCommand } from '@aws-sdk/client-sts';
import { ListRegionsCommand } from '@aws-sdk/client-account';
import { LocalEndpoint, startEndpoint } from '../../src/endpoint';
import { runSandboxCommand } from '../../src/endpoint/cli';
import { accountClient, iamClient, kmsClient, stsClient } from './helpers';

async function customerAliases(kms: KMSClient): Promise<string[]> {
  const aliases = (await kms.send(new ListAliasesCommand({}))).Aliases ?? [];
  return aliases
    .map((a) => a.AliasName ?? '')
    .filter((n) => !n.startsWith('alias/aws/'))
    .sort();
}

describe('the sandbox account', () => {
  let ep: LocalEndpoint;
  let iam: IAMClient;

  beforeAll(async () => {
    ep = await startEndpoint();
    iam = iamClient(ep);
  });
  afterAll(async () => {
    iam.destroy();
    await ep.stop();
  });

  test('GIVEN the sandbox WHEN users are listed THEN exactly the documented users exist with their paths', async () => {
    const users: User[] = [];
    for await (const page of paginateListUsers({ client: iam, pageSize: 4 }, {})) users.push(...(page.Users ?? []));
    const byName = Object.fromEntries(users.map((u) => [u.UserName, u.Path]));
    expect(byName).toEqual({
      alice: '/engineering/',
      bob: '/engineering/',
      'deploy-bot': '/service/',
      'break-glass': '/',
      'former-contractor': '/contractors/',
      'legacy-etl': '/',
      'temp-deploy-user': '/',
      'old-admin': '/',
      'data-pipeline': '/service/',
      'report-generator': '/',
      'analytics-reader': '/',
      'jenkins-legacy': '/',
      'key-admin-legacy': '/',
      'shadow-it-user': '/',
      'ci-bootstrap': '/',
    });
  });

  test('GIVEN the sandbox WHEN old-admin is inspected THEN it has every dependent kind', () => {
    const user = ep.state.iam.requireUser('old-admin');
    expect(user.loginProfile).toBeDefined();
    expect(user.accessKeys).toHaveLength(2);
    expect(user.signingCertificates).toHaveLength(1);
    expect(user.sshPublicKeys).toHaveLength(1);
    expect(user.serviceCredentials).toHaveLength(1);
    expect([...ep.state.iam.mfaDevices.values()].some((d) => d.userKey === 'old-admin')).toBe(true);
    expect(user.inlinePolicies.size).toBe(1);
    expect(user.attachedPolicyArns).toEqual(['arn:aws:iam::111122223333:policy/LegacyAdminAccess']);
    expect([...user.groups]).toEqual(['admins']);
    expect(user.permissionsBoundaryArn).toBeDefined();
    expect(user.tags.length).toBeGreaterThan(0);
  });

  test('GIVEN the sandbox WHEN the caller and roles are read THEN ci-bootstrap calls and legacy-deploy trusts jenkins-legacy', async () => {
    const sts = stsClient(ep);
    expect((await sts.send(new GetCallerIdentityCommand({}))).Arn).toBe('arn:aws:iam::111122223333:user/ci-bootstrap');
    sts.destroy();
    const details = await iam.send(new GetAccountAuthorizationDetailsCommand({ Filter: ['Role'] }));
    const trust = Object.fromEntries(
      (details.RoleDetailList ?? []).map((r) => [r.RoleName, decodeURIComponent(r.AssumeRolePolicyDocument ?? '')]),
    );
    expect(trust['legacy-deploy']).toContain('arn:aws:iam::111122223333:user/jenkins-legacy');
    expect(trust['platform-admin']).toContain('arn:aws:iam::111122223333:root');
  });

  test('GIVEN the sandbox WHEN each region is read THEN KMS keys are separated by region as documented', async () => {
    const us = kmsClient(ep, { region: 'us-east-1' });
    const eu = kmsClient(ep, { region: 'eu-west-1' });
    const ap = kmsClient(ep, { region: 'ap-southeast-2' });
    expect(await customerAliases(us)).toEqual(['alias/analytics', 'alias/legacy-secrets', 'alias/reports']);
    expect(await customerAliases(eu)).toEqual(['alias/data-pipeline']);
    expect(await customerAliases(ap)).toEqual(['alias/backups']);
    expect((await eu.send(new ListKeysCommand({}))).Keys).toHaveLength(3);
    const euAliases = (await eu.send(new ListAliasesCommand({}))).Aliases ?? [];
    const pipelineKey = euAliases.find((a) => a.AliasName === 'alias/data-pipeline')?.TargetKeyId;
    const policy = await eu.send(new GetKeyPolicyCommand({ KeyId: pipelineKey, PolicyName: 'default' }));
    expect(policy.Policy).toContain('arn:aws:iam::111122223333:user/service/data-pipeline');
    const usAliases = (await us.send(new ListAliasesCommand({}))).Aliases ?? [];
    const reportsKey = usAliases.find((a) => a.AliasName === 'alias/reports')?.TargetKeyId;
    const grants = await us.send(new ListGrantsCommand({ KeyId: reportsKey }));
    expect(grants.Grants?.map((g) => g.GranteePrincipal)).toEqual(['arn:aws:iam::111122223333:user/report-generator']);
    for (const c of [us, eu, ap]) c.destroy();
  });

  test('GIVEN the sandbox WHEN the Account service lists regions THEN the three enabled regions and some disabled ones come back', async () => {
    const account = accountClient(ep);
    const regions = (await account.send(new ListRegionsCommand({}))).Regions ?? [];
    account.destroy();
    const enabled = regions
      .filter((r) => r.RegionOptStatus === 'ENABLED' || r.RegionOptStatus === 'ENABLED_BY_DEFAULT')
      .map((r) => r.RegionName);
    expect(enabled.sort()).toEqual(['ap-southeast-2', 'eu-west-1', 'us-east-1']);
    expect(regions.some((r) => r.RegionOptStatus === 'DISABLED')).toBe(true);
  });

  test('GIVEN a disabled region WHEN KMS is called there THEN UnrecognizedClientException, like an opt-in region not enabled', async () => {
    const af = kmsClient(ep, { region: 'af-south-1', maxAttempts: 1 });
    await expect(af.send(new ListKeysCommand({}))).rejects.toMatchObject({ name: 'UnrecognizedClientException' });
    af.destroy();
  });

  test('GIVEN an assumed-role caller WHEN GetCallerIdentity THEN an sts assumed-role ARN and AROA…:session id', async () => {
    ep.setCaller({ kind: 'assumed-role', roleName: 'platform-admin', sessionName: 'ci' });
    const sts = stsClient(ep);
    const identity = await sts.send(new GetCallerIdentityCommand({}));
    sts.destroy();
    expect(identity.Arn).toBe('arn:aws:sts::111122223333:assumed-role/platform-admin/ci');
    expect(identity.UserId).toBe(`${ep.state.iam.requireRole('platform-admin').roleId}:ci`);
    ep.reset();
  });

  test('GIVEN reset("empty") WHEN listing THEN no users; reset() brings the sandbox back', async () => {
    ep.reset('empty');
    expect(ep.state.iam.users.size).toBe(0);
    ep.reset();
    expect(ep.state.iam.users.size).toBe(15);
  });

  test('GIVEN the sandbox command WHEN run and stopped THEN it prints export lines with fake credentials and stops', async () => {
    const lines: string[] = [];
    let stop!: () => void;
    const until = new Promise<void>((resolve) => (stop = resolve));
    const running = runSandboxCommand({ empty: true, write: (l) => lines.push(l), until });
    await new Promise((r) => setTimeout(r, 100));
    stop();
    const endpoint = await running;
    expect(lines).toContain(`export AWS_ENDPOINT_URL=${endpoint.url}`);
    expect(lines).toContain('export AWS_SECRET_ACCESS_KEY=sandbox');
    expect(lines.some((l) => l.startsWith('export AWS_REGION='))).toBe(true);
  });
});
