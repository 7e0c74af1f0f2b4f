import {
  CancelKeyDeletionCommand,
  CreateAliasCommand,
  CreateGrantCommand,
  CreateKeyCommand,
  DescribeKeyCommand,
  GetKeyPolicyCommand,
  KMSClient,
  ListAliasesCommand,
  ListGrantsCommand,
  ListKeysCommand,
  paginateListGrants,
  paginateListKeys,
  PutKeyPolicyCommand,
  RevokeGrantCommand,
  ScheduleKeyDeletionCommand,
} from '@aws-sdk/client-kms';
import { LocalEndpoint } from '../../src/endpoint/api';
import { startEndpoint } from '../../src/endpoint/index';

const ACCOUNT = '111122223333';
const US = 'us-east-1';
const EU = 'eu-west-1';
const GRANTEE = `arn:aws:iam::${ACCOUNT}:user/report-generator`;

function kmsClient(endpoint: LocalEndpoint, region: string): KMSClient {
  return new KMSClient({
    region,
    endpoint: endpoint.url,
    credentials: { accessKeyId: 'AKIAIOSFODNN7EXAMPLE', secretAccessKey: 'not-a-real-secret' },
    maxAttempts: 1,
  });
}

/** The error name the SDK reports for a failing call (fails the test when the call succeeds). */
async function errorNameOf(call: Promise<unknown>): Promise<string> {
  try {
    await call;
  } catch (err) {
    expect((err as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode).toBe(400);
    return (err as Error).name;
  }
  throw new Error('expected the call to fail');
}

describe('KMS over HTTP with the real KMSClient (empty account)', () => {
  let endpoint: LocalEndpoint;
  let us: KMSClient;
  let eu: KMSClient;

  beforeAll(async () => {
    endpoint = await startEndpoint({ seed: 'empty', accountId: ACCOUNT });
    us = kmsClient(endpoint, US);
    eu = kmsClient(endpoint, EU);
  });

  afterAll(async () => {
    us?.destroy();
    eu?.destroy();
    await endpoint?.stop();
  });

  test('GIVEN 250 keys in us-east-1 WHEN paginateListKeys with page size 100 THEN 3 pages list each key once, and eu-west-1 lists none of them', async () => {
    const created: string[] = [];
    for (let index = 0; index < 250; index += 1) {
      const { KeyMetadata } = await us.send(new CreateKeyCommand({ Description: `key ${index}` }));
      created.push(KeyMetadata!.KeyId!);
    }

    const listed: string[] = [];
    let pages = 0;
    for await (const page of paginateListKeys({ client: us, pageSize: 100 }, {})) {
      pages += 1;
      listed.push(...page.Keys!.map((entry) => entry.KeyId!));
    }
    const inEu: string[] = [];
    for await (const page of paginateListKeys({ client: eu }, {})) inEu.push(...page.Keys!.map((entry) => entry.KeyId!));

    expect(pages).toBe(3);
    expect([...listed].sort()).toEqual([...created].sort());
    expect(inEu.filter((keyId) => created.includes(keyId))).toEqual([]);
    expect(await errorNameOf(eu.send(new DescribeKeyCommand({ KeyId: created[0] })))).toBe('NotFoundException');
  }, 60000);

  test('GIVEN a key with 120 grants WHEN paginateListGrants THEN 3 pages of at most 50 return every grant once with its fields', async () => {
    const { KeyMetadata } = await us.send(new CreateKeyCommand({}));
    const keyId = KeyMetadata!.KeyId!;
    const created: string[] = [];
    for (let index = 0; index < 120; index += 1) {
      const { GrantId } = await us.send(
        new CreateGrantCommand({ KeyId: keyId, GranteePrincipal: `${GRANTEE}-${index}`, Operations: ['Decrypt'] }),
      );
      created.push(GrantId!);
    }

    const pageSizes: number[] = [];
    const listed: string[] = [];
    for await (const page of paginateListGrants({ client: us }, { KeyId: keyId })) {
      pageSizes.push(page.Grants!.length);
      listed.push(...page.Grants!.map((grant) => grant.GrantId!));
      for (const grant of page.Grants!) {
        expect(grant.KeyId).toBe(KeyMetadata!.Arn);
        expect(grant.CreationDate).toBeInstanceOf(Date);
        expect(grant.IssuingAccount).toBe(`arn:aws:iam::${ACCOUNT}:root`);
      }
    }

    expect(pageSizes).toEqual([50, 50, 20]);
    expect(listed).toEqual(created);
  }, 60000);

  test('GIVEN a key WHEN DescribeKey THEN the SDK parses dates and metadata from the JSON answer', async () => {
    const before = Date.now();
    const { KeyMetadata } = await us.send(new CreateKeyCommand({ Description: 'parsed', MultiRegion: true }));

    const described = (await us.send(new DescribeKeyCommand({ KeyId: KeyMetadata!.Arn }))).KeyMetadata!;

    expect(described.KeyId).toMatch(/^mrk-[0-9a-f]{32}$/);
    expect(described.CreationDate).toBeInstanceOf(Date);
    expect(Math.abs(described.CreationDate!.getTime() - before)).toBeLessThan(60000);
    expect(described).toMatchObject({ AWSAccountId: ACCOUNT, Enabled: true, KeyManager: 'CUSTOMER', Description: 'parsed' });
  });

  test('GIVEN a key with an alias WHEN management calls get the wrong input THEN the SDK sees the KMS error names', async () => {
    const { KeyMetadata } = await us.send(new CreateKeyCommand({}));
    const keyId = KeyMetadata!.KeyId!;
    await us.send(new CreateAliasCommand({ AliasName: 'alias/sdk-orders', TargetKeyId: keyId }));

    expect(await errorNameOf(us.send(new GetKeyPolicyCommand({ KeyId: 'alias/sdk-orders', PolicyName: 'default' })))).toBe(
      'NotFoundException',
    );
    expect(await errorNameOf(us.send(new DescribeKeyCommand({ KeyId: 'arn:aws:kms:broken' })))).toBe('InvalidArnException');
    expect(await errorNameOf(us.send(new PutKeyPolicyCommand({ KeyId: keyId, PolicyName: 'default', Policy: '{' })))).toBe(
      'MalformedPolicyDocumentException',
    );
    expect(await errorNameOf(us.send(new ListKeysCommand({ Marker: 'bogus' })))).toBe('InvalidMarkerException');
    expect(await errorNameOf(us.send(new ListGrantsCommand({ KeyId: keyId, Limit: 101 })))).toBe('ValidationException');
    expect(await errorNameOf(us.send(new CreateAliasCommand({ AliasName: 'alias/sdk-orders', TargetKeyId: keyId })))).toBe(
      'AlreadyExistsException',
    );
    expect(await errorNameOf(us.send(new RevokeGrantCommand({ KeyId: keyId, GrantId: 'x'.repeat(10) })))).toBe('InvalidGrantIdException');
    expect((await us.send(new DescribeKeyCommand({ KeyId: 'alias/sdk-orders' }))).KeyMetadata!.KeyId).toBe(keyId);
  });

  test('GIVEN a key scheduled for deletion WHEN a grant is created THEN KMSInvalidStateException; WHEN cancelled THEN the key is Disabled', async () => {
    const { KeyMetadata } = await us.send(new CreateKeyCommand({}));
    const keyId = KeyMetadata!.KeyId!;

    const scheduled = await us.send(new ScheduleKeyDeletionCommand({ KeyId: keyId, PendingWindowInDays: 7 }));
    const createGrant = us.send(new CreateGrantCommand({ KeyId: keyId, GranteePrincipal: GRANTEE, Operations: ['Decrypt'] }));

    expect(scheduled.KeyState).toBe('PendingDeletion');
    expect(scheduled.DeletionDate!.getTime() - Date.now()).toBeGreaterThan(6.9 * 24 * 3600 * 1000);
    expect(await errorNameOf(createGrant)).toBe('KMSInvalidStateException');
    await us.send(new CancelKeyDeletionCommand({ KeyId: keyId }));
    expect((await us.send(new DescribeKeyCommand({ KeyId: keyId }))).KeyMetadata!.KeyState).toBe('Disabled');
  });
});

describe('KMS over HTTP with the real KMSClient (sandbox account)', () => {
  let endpoint: LocalEndpoint;
  let us: KMSClient;

  beforeAll(async () => {
    endpoint = await startEndpoint({ seed: 'sandbox' });
    us = kmsClient(endpoint, US);
  });

  afterAll(async () => {
    us?.destroy();
    await endpoint?.stop();
  });

  test('GIVEN the AWS managed key alias/aws/s3 WHEN PutKeyPolicy THEN AccessDeniedException, and its alias is listed as AWS managed', async () => {
    const managed = (await us.send(new DescribeKeyCommand({ KeyId: 'alias/aws/s3' }))).KeyMetadata!;
    const policy = (await us.send(new GetKeyPolicyCommand({ KeyId: managed.KeyId, PolicyName: 'default' }))).Policy!;

    const put = us.send(new PutKeyPolicyCommand({ KeyId: managed.KeyId, PolicyName: 'default', Policy: policy }));

    expect(managed.KeyManager).toBe('AWS');
    expect(await errorNameOf(put)).toBe('AccessDeniedException');
    const aliases = (await us.send(new ListAliasesCommand({ KeyId: managed.KeyId }))).Aliases!;
    expect(aliases.map((alias) => alias.AliasName)).toContain('alias/aws/s3');
  });

  test('GIVEN the sandbox seed WHEN the report and data-pipeline keys are read THEN the grant and the key policy name those users, each in its region only', async () => {
    const eu = kmsClient(endpoint, EU);
    try {
      const reports = (await us.send(new DescribeKeyCommand({ KeyId: 'alias/reports' }))).KeyMetadata!;
      const grants = (await us.send(new ListGrantsCommand({ KeyId: reports.Arn }))).Grants!;
      const pipeline = (await eu.send(new DescribeKeyCommand({ KeyId: 'alias/data-pipeline' }))).KeyMetadata!;
      const policy = (await eu.send(new GetKeyPolicyCommand({ KeyId: pipeline.KeyId, PolicyName: 'default' }))).Policy!;

      expect(grants.map((grant) => grant.GranteePrincipal)).toEqual([`arn:aws:iam::${ACCOUNT}:user/report-generator`]);
      expect(policy).toContain(`arn:aws:iam::${ACCOUNT}:user/service/data-pipeline`);
      expect(await errorNameOf(us.send(new DescribeKeyCommand({ KeyId: 'alias/data-pipeline' })))).toBe('NotFoundException');
      expect(await errorNameOf(us.send(new GetKeyPolicyCommand({ KeyId: pipeline.Arn, PolicyName: 'default' })))).toBe('NotFoundException');
    } finally {
      eu.destroy();
    }
  });
});
