import { ServiceError } from '../../src/endpoint/errors';
import { KmsService } from '../../src/endpoint/kms/service';

const ACCOUNT = '111122223333';
const US = 'us-east-1';
const EU = 'eu-west-1';
const NOW = new Date('2026-03-01T12:00:00Z');
const ADMIN = { arn: `arn:aws:iam::${ACCOUNT}:user/ci-bootstrap` };
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

type Json = Record<string, any>;

function newService(): KmsService {
  return new KmsService(ACCOUNT, { now: () => NOW });
}

function call(kms: KmsService, operation: string, body: Json = {}, region = US, caller = ADMIN): Json {
  return kms.handle(region, operation, body, caller) as Json;
}

/** The AWS error code the call fails with (fails the test when it succeeds). */
function errorCodeOf(run: () => unknown): string {
  try {
    run();
  } catch (err) {
    if (err instanceof ServiceError) {
      expect(err.status).toBe(400);
      return err.code;
    }
    throw err;
  }
  throw new Error('expected the call to fail with a ServiceError');
}

function createKey(kms: KmsService, body: Json = {}, region = US): Json {
  return call(kms, 'CreateKey', body, region).KeyMetadata;
}

function listAllKeyIds(kms: KmsService, region: string, limit: number): { ids: string[]; pages: number } {
  const ids: string[] = [];
  let marker: string | undefined;
  let pages = 0;
  do {
    const page = call(kms, 'ListKeys', marker ? { Limit: limit, Marker: marker } : { Limit: limit }, region);
    pages += 1;
    ids.push(...page.Keys.map((entry: Json) => entry.KeyId));
    expect(page.Truncated).toBe(page.NextMarker !== undefined);
    marker = page.NextMarker;
  } while (marker);
  return { ids, pages };
}

describe('KmsService keys', () => {
  test('GIVEN no policy WHEN CreateKey THEN the key is enabled, customer managed, and its policy lets the account root do kms:*', () => {
    const kms = newService();

    const metadata = createKey(kms, { Description: 'orders' });

    expect(metadata.KeyId).toMatch(UUID);
    expect(metadata.Arn).toBe(`arn:aws:kms:${US}:${ACCOUNT}:key/${metadata.KeyId}`);
    expect(metadata).toMatchObject({
      AWSAccountId: ACCOUNT,
      CreationDate: NOW.getTime() / 1000,
      Enabled: true,
      KeyState: 'Enabled',
      KeyManager: 'CUSTOMER',
      KeyUsage: 'ENCRYPT_DECRYPT',
      KeySpec: 'SYMMETRIC_DEFAULT',
      MultiRegion: false,
      Description: 'orders',
    });
    expect(metadata.DeletionDate).toBeUndefined();
    const policy = JSON.parse(call(kms, 'GetKeyPolicy', { KeyId: metadata.KeyId, PolicyName: 'default' }).Policy);
    expect(policy.Statement).toEqual([
      expect.objectContaining({ Effect: 'Allow', Principal: { AWS: `arn:aws:iam::${ACCOUNT}:root` }, Action: 'kms:*' }),
    ]);
  });

  test('GIVEN MultiRegion true WHEN CreateKey THEN the key id starts with mrk- followed by 32 hex digits', () => {
    const metadata = createKey(newService(), { MultiRegion: true });

    expect(metadata.KeyId).toMatch(/^mrk-[0-9a-f]{32}$/);
    expect(metadata.MultiRegion).toBe(true);
    expect(metadata.MultiRegionConfiguration.MultiRegionKeyType).toBe('PRIMARY');
  });

  test('GIVEN a policy that is not valid JSON, has no principal, or is over 32 KB WHEN CreateKey THEN KMS refuses it with its error codes', () => {
    const kms = newService();
    const noPrincipal = JSON.stringify({ Statement: [{ Effect: 'Allow', Action: 'kms:*', Resource: '*' }] });
    const huge = JSON.stringify({
      Statement: [{ Effect: 'Allow', Principal: '*', Action: 'kms:*', Resource: '*', Sid: 'x'.repeat(33000) }],
    });

    expect(errorCodeOf(() => createKey(kms, { Policy: '{"Statement": [' }))).toBe('MalformedPolicyDocumentException');
    expect(errorCodeOf(() => createKey(kms, { Policy: noPrincipal }))).toBe('MalformedPolicyDocumentException');
    expect(errorCodeOf(() => createKey(kms, { Policy: huge }))).toBe('LimitExceededException');
    expect(call(kms, 'ListKeys').Keys).toHaveLength(0);
  });

  test('GIVEN a key with an alias WHEN DescribeKey by key id, key ARN, alias name and alias ARN THEN each finds the key', () => {
    const kms = newService();
    const { KeyId, Arn } = createKey(kms);
    call(kms, 'CreateAlias', { AliasName: 'alias/orders', TargetKeyId: KeyId });

    for (const identifier of [KeyId, Arn, 'alias/orders', `arn:aws:kms:${US}:${ACCOUNT}:alias/orders`]) {
      expect(call(kms, 'DescribeKey', { KeyId: identifier }).KeyMetadata.KeyId).toBe(KeyId);
    }
  });

  test('GIVEN a key WHEN operations are called with identifiers they do not accept THEN NotFoundException or InvalidArnException', () => {
    const kms = newService();
    const { KeyId } = createKey(kms);
    call(kms, 'CreateAlias', { AliasName: 'alias/orders', TargetKeyId: KeyId });

    expect(errorCodeOf(() => call(kms, 'GetKeyPolicy', { KeyId: 'alias/orders' }))).toBe('NotFoundException');
    expect(errorCodeOf(() => call(kms, 'ListGrants', { KeyId: 'alias/orders' }))).toBe('NotFoundException');
    expect(errorCodeOf(() => call(kms, 'DescribeKey', { KeyId: 'arn:aws:kms:nonsense' }))).toBe('InvalidArnException');
    expect(errorCodeOf(() => call(kms, 'DescribeKey', { KeyId: '00000000-0000-4000-8000-000000000000' }))).toBe('NotFoundException');
    expect(errorCodeOf(() => call(kms, 'DescribeKey', { KeyId: 'alias/missing' }))).toBe('NotFoundException');
    expect(errorCodeOf(() => call(kms, 'DescribeKey', {}))).toBe('ValidationException');
  });

  test('GIVEN a key in us-east-1 WHEN it is looked up in eu-west-1 (by id or by its ARN) THEN it does not exist there', () => {
    const kms = newService();
    const { KeyId, Arn } = createKey(kms, {}, US);
    createKey(kms, {}, EU);

    expect(call(kms, 'ListKeys', {}, EU).Keys.map((entry: Json) => entry.KeyId)).not.toContain(KeyId);
    expect(call(kms, 'ListKeys', {}, US).Keys).toHaveLength(1);
    expect(errorCodeOf(() => call(kms, 'DescribeKey', { KeyId }, EU))).toBe('NotFoundException');
    expect(errorCodeOf(() => call(kms, 'GetKeyPolicy', { KeyId: Arn }, EU))).toBe('NotFoundException');
  });

  test('GIVEN 250 keys WHEN ListKeys is paged with Limit 100 THEN 3 pages return every key once, in sorted order', () => {
    const kms = newService();
    const created = Array.from({ length: 250 }, () => kms.createKey(US).keyId);

    const { ids, pages } = listAllKeyIds(kms, US, 100);

    expect(pages).toBe(3);
    expect(ids).toEqual([...created].sort());
  });

  test('GIVEN a first page of keys WHEN keys are added before the next page THEN no key from the first listing is skipped or repeated', () => {
    const kms = newService();
    const before = Array.from({ length: 30 }, () => kms.createKey(US).keyId);
    const first = call(kms, 'ListKeys', { Limit: 10 });

    const added = Array.from({ length: 30 }, () => kms.createKey(US).keyId);
    const rest: string[] = [];
    let marker: string | undefined = first.NextMarker;
    while (marker) {
      const page = call(kms, 'ListKeys', { Limit: 10, Marker: marker });
      rest.push(...page.Keys.map((entry: Json) => entry.KeyId));
      marker = page.NextMarker;
    }

    const all = [...first.Keys.map((entry: Json) => entry.KeyId), ...rest];
    expect(new Set(all).size).toBe(all.length);
    for (const keyId of before) expect(all).toContain(keyId);
    const lastOfFirstPage = first.Keys[9].KeyId;
    expect(added.filter((keyId) => keyId > lastOfFirstPage).every((keyId) => all.includes(keyId))).toBe(true);
  });

  test('GIVEN ListKeys WHEN Limit is out of 1..1000 or the marker is foreign THEN ValidationException / InvalidMarkerException', () => {
    const kms = newService();
    Array.from({ length: 3 }, () => kms.createKey(US));
    kms.createKey(US, { aliases: ['alias/a', 'alias/b'] });
    const aliasMarker = call(kms, 'ListAliases', { Limit: 1 }).NextMarker;

    expect(errorCodeOf(() => call(kms, 'ListKeys', { Limit: 0 }))).toBe('ValidationException');
    expect(errorCodeOf(() => call(kms, 'ListKeys', { Limit: 1001 }))).toBe('ValidationException');
    expect(errorCodeOf(() => call(kms, 'ListKeys', { Marker: 'not-a-marker' }))).toBe('InvalidMarkerException');
    expect(errorCodeOf(() => call(kms, 'ListKeys', { Marker: aliasMarker }))).toBe('InvalidMarkerException');
    expect(call(kms, 'ListKeys', { Limit: 1000 }).Keys).toHaveLength(4);
  });

  test('GIVEN a customer key WHEN it is disabled, scheduled for deletion and the deletion cancelled THEN the key states follow AWS', () => {
    const kms = newService();
    const { KeyId, Arn } = createKey(kms);

    call(kms, 'DisableKey', { KeyId });
    expect(call(kms, 'DescribeKey', { KeyId }).KeyMetadata).toMatchObject({ Enabled: false, KeyState: 'Disabled' });

    expect(errorCodeOf(() => call(kms, 'ScheduleKeyDeletion', { KeyId, PendingWindowInDays: 6 }))).toBe('ValidationException');
    expect(errorCodeOf(() => call(kms, 'ScheduleKeyDeletion', { KeyId, PendingWindowInDays: 31 }))).toBe('ValidationException');
    const scheduled = call(kms, 'ScheduleKeyDeletion', { KeyId, PendingWindowInDays: 7 });
    expect(scheduled).toEqual({
      KeyId: Arn,
      KeyState: 'PendingDeletion',
      PendingWindowInDays: 7,
      DeletionDate: NOW.getTime() / 1000 + 7 * 24 * 3600,
    });
    expect(call(kms, 'DescribeKey', { KeyId }).KeyMetadata.DeletionDate).toBe(scheduled.DeletionDate);
    expect(errorCodeOf(() => call(kms, 'EnableKey', { KeyId }))).toBe('KMSInvalidStateException');
    expect(errorCodeOf(() => call(kms, 'ScheduleKeyDeletion', { KeyId }))).toBe('KMSInvalidStateException');
    expect(errorCodeOf(() => call(kms, 'CreateGrant', { KeyId, GranteePrincipal: ADMIN.arn, Operations: ['Decrypt'] }))).toBe(
      'KMSInvalidStateException',
    );
    expect(call(kms, 'GetKeyPolicy', { KeyId }).Policy).toContain('kms:*');

    expect(call(kms, 'CancelKeyDeletion', { KeyId })).toEqual({ KeyId: Arn });
    expect(call(kms, 'DescribeKey', { KeyId }).KeyMetadata).toMatchObject({ KeyState: 'Disabled', Enabled: false });
    expect(errorCodeOf(() => call(kms, 'CancelKeyDeletion', { KeyId }))).toBe('KMSInvalidStateException');
    call(kms, 'EnableKey', { KeyId });
    expect(call(kms, 'DescribeKey', { KeyId }).KeyMetadata.KeyState).toBe('Enabled');
  });

  test('GIVEN the default window WHEN ScheduleKeyDeletion THEN deletion is 30 days out', () => {
    const kms = newService();
    const { KeyId } = createKey(kms);

    expect(call(kms, 'ScheduleKeyDeletion', { KeyId }).PendingWindowInDays).toBe(30);
  });
});

describe('KmsService key policies', () => {
  test('GIVEN a customer key WHEN PutKeyPolicy THEN GetKeyPolicy returns the exact text put', () => {
    const kms = newService();
    const { KeyId } = createKey(kms);
    const policy = `{"Version":"2012-10-17","Statement":{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::${ACCOUNT}:user/service/data-pipeline"},"Action":"kms:*","Resource":"*"}}`;

    call(kms, 'PutKeyPolicy', { KeyId, PolicyName: 'default', Policy: policy });

    expect(call(kms, 'GetKeyPolicy', { KeyId })).toEqual({ Policy: policy, PolicyName: 'default' });
    expect(call(kms, 'ListKeyPolicies', { KeyId })).toEqual({ PolicyNames: ['default'], Truncated: false });
  });

  test('GIVEN a policy name other than default WHEN GetKeyPolicy THEN NotFoundException', () => {
    const kms = newService();
    const { KeyId } = createKey(kms);

    expect(errorCodeOf(() => call(kms, 'GetKeyPolicy', { KeyId, PolicyName: 'other' }))).toBe('NotFoundException');
  });

  test('GIVEN an AWS managed key WHEN PutKeyPolicy, DisableKey or ScheduleKeyDeletion THEN AccessDeniedException and nothing changes', () => {
    const kms = newService();
    const { keyId } = kms.createKey(US, { keyManager: 'AWS', aliases: ['alias/aws/s3'] });
    const before = call(kms, 'GetKeyPolicy', { KeyId: keyId }).Policy;

    expect(errorCodeOf(() => call(kms, 'PutKeyPolicy', { KeyId: keyId, Policy: before }))).toBe('AccessDeniedException');
    expect(errorCodeOf(() => call(kms, 'DisableKey', { KeyId: keyId }))).toBe('AccessDeniedException');
    expect(errorCodeOf(() => call(kms, 'ScheduleKeyDeletion', { KeyId: keyId }))).toBe('AccessDeniedException');
    expect(call(kms, 'DescribeKey', { KeyId: 'alias/aws/s3' }).KeyMetadata).toMatchObject({
      KeyManager: 'AWS',
      KeyState: 'Enabled',
    });
    expect(JSON.parse(before).Statement[0].Condition.StringEquals['kms:ViaService']).toBe(`s3.${US}.amazonaws.com`);
  });

  test('GIVEN malformed JSON WHEN PutKeyPolicy THEN MalformedPolicyDocumentException and the old policy stays', () => {
    const kms = newService();
    const { KeyId } = createKey(kms);
    const before = call(kms, 'GetKeyPolicy', { KeyId }).Policy;

    expect(errorCodeOf(() => call(kms, 'PutKeyPolicy', { KeyId, Policy: 'not json' }))).toBe('MalformedPolicyDocumentException');
    expect(call(kms, 'GetKeyPolicy', { KeyId }).Policy).toBe(before);
  });
});

describe('KmsService aliases', () => {
  test('GIVEN seeded AWS managed and customer aliases WHEN ListAliases THEN all are listed by name with ARN and target', () => {
    const kms = newService();
    const s3 = kms.createKey(US, { keyManager: 'AWS', aliases: ['alias/aws/s3'] });
    const orders = kms.createKey(US, { aliases: ['alias/orders', 'alias/billing'] });

    const aliases = call(kms, 'ListAliases').Aliases;

    expect(aliases.map((alias: Json) => alias.AliasName)).toEqual(['alias/aws/s3', 'alias/billing', 'alias/orders']);
    expect(aliases[0]).toMatchObject({
      AliasArn: `arn:aws:kms:${US}:${ACCOUNT}:alias/aws/s3`,
      TargetKeyId: s3.keyId,
      CreationDate: NOW.getTime() / 1000,
    });
    expect(call(kms, 'ListAliases', { KeyId: orders.arn }).Aliases.map((alias: Json) => alias.AliasName)).toEqual([
      'alias/billing',
      'alias/orders',
    ]);
  });

  test('GIVEN aliases WHEN CreateAlias or DeleteAlias break the rules THEN the AWS error codes', () => {
    const kms = newService();
    const { keyId } = kms.createKey(US, { aliases: ['alias/orders'] });

    expect(errorCodeOf(() => call(kms, 'CreateAlias', { AliasName: 'alias/orders', TargetKeyId: keyId }))).toBe('AlreadyExistsException');
    expect(errorCodeOf(() => call(kms, 'CreateAlias', { AliasName: 'alias/aws/mine', TargetKeyId: keyId }))).toBe('NotAuthorizedException');
    expect(errorCodeOf(() => call(kms, 'CreateAlias', { AliasName: 'orders2', TargetKeyId: keyId }))).toBe('InvalidAliasNameException');
    expect(errorCodeOf(() => call(kms, 'CreateAlias', { AliasName: 'alias/with space', TargetKeyId: keyId }))).toBe('ValidationException');
    expect(errorCodeOf(() => call(kms, 'CreateAlias', { AliasName: 'alias/x', TargetKeyId: 'alias/orders' }))).toBe('NotFoundException');
    expect(errorCodeOf(() => call(kms, 'DeleteAlias', { AliasName: 'alias/missing' }))).toBe('NotFoundException');
  });

  test('GIVEN an alias WHEN DeleteAlias THEN the alias no longer resolves but the key remains', () => {
    const kms = newService();
    const { keyId } = kms.createKey(US, { aliases: ['alias/orders'] });

    call(kms, 'DeleteAlias', { AliasName: 'alias/orders' });

    expect(errorCodeOf(() => call(kms, 'DescribeKey', { KeyId: 'alias/orders' }))).toBe('NotFoundException');
    expect(call(kms, 'DescribeKey', { KeyId: keyId }).KeyMetadata.KeyId).toBe(keyId);
    expect(call(kms, 'ListAliases').Aliases).toEqual([]);
  });

  test('GIVEN an alias WHEN UpdateAlias points it at another key THEN it resolves to that key', () => {
    const kms = newService();
    kms.createKey(US, { aliases: ['alias/orders'] });
    const other = kms.createKey(US);

    call(kms, 'UpdateAlias', { AliasName: 'alias/orders', TargetKeyId: other.keyId });

    expect(call(kms, 'DescribeKey', { KeyId: 'alias/orders' }).KeyMetadata.KeyId).toBe(other.keyId);
  });
});

describe('KmsService grants', () => {
  const grantee = `arn:aws:iam::${ACCOUNT}:user/report-generator`;
  const retiree = `arn:aws:iam::${ACCOUNT}:role/retirer`;

  test('GIVEN a grant WHEN ListGrants THEN it shows key ARN, id, name, date, principals, issuing account and operations', () => {
    const kms = newService();
    const { KeyId, Arn } = createKey(kms);

    const created = call(kms, 'CreateGrant', {
      KeyId,
      GranteePrincipal: grantee,
      RetiringPrincipal: retiree,
      Operations: ['Decrypt', 'Encrypt'],
      Name: 'reports',
    });

    expect(created.GrantId).toMatch(/^[0-9a-f]{64}$/);
    expect(typeof created.GrantToken).toBe('string');
    expect(call(kms, 'ListGrants', { KeyId })).toEqual({
      Grants: [
        {
          KeyId: Arn,
          GrantId: created.GrantId,
          Name: 'reports',
          CreationDate: NOW.getTime() / 1000,
          GranteePrincipal: grantee,
          RetiringPrincipal: retiree,
          IssuingAccount: `arn:aws:iam::${ACCOUNT}:root`,
          Operations: ['Decrypt', 'Encrypt'],
        },
      ],
      Truncated: false,
    });
  });

  test('GIVEN the same named grant twice WHEN CreateGrant THEN the existing grant is returned', () => {
    const kms = newService();
    const { KeyId } = createKey(kms);
    const request = { KeyId, GranteePrincipal: grantee, Operations: ['Decrypt'], Name: 'same' };

    const first = call(kms, 'CreateGrant', request);
    const second = call(kms, 'CreateGrant', { ...request, Operations: ['Decrypt'] });

    expect(second.GrantId).toBe(first.GrantId);
    expect(call(kms, 'ListGrants', { KeyId }).Grants).toHaveLength(1);
  });

  test('GIVEN 120 grants WHEN ListGrants is paged with the default limit THEN 3 pages return each grant once in creation order', () => {
    const kms = newService();
    const { keyId } = kms.createKey(US);
    const created = Array.from(
      { length: 120 },
      (_, index) => kms.createGrant(US, keyId, { granteePrincipal: `${grantee}-${index}`, operations: ['Decrypt'] }).grantId,
    );

    const seen: string[] = [];
    const pageSizes: number[] = [];
    let marker: string | undefined;
    do {
      const page = call(kms, 'ListGrants', marker ? { KeyId: keyId, Marker: marker } : { KeyId: keyId });
      pageSizes.push(page.Grants.length);
      seen.push(...page.Grants.map((grant: Json) => grant.GrantId));
      marker = page.NextMarker;
    } while (marker);

    expect(pageSizes).toEqual([50, 50, 20]);
    expect(seen).toEqual(created);
  });

  test('GIVEN grants WHEN ListGrants has bad parameters THEN ValidationException / InvalidGrantIdException / InvalidMarkerException', () => {
    const kms = newService();
    const { keyId } = kms.createKey(US);
    const other = kms.createKey(US);
    Array.from({ length: 3 }, () => kms.createGrant(US, other.keyId, { granteePrincipal: grantee, operations: ['Decrypt'] }));
    const otherKeysMarker = call(kms, 'ListGrants', { KeyId: other.keyId, Limit: 1 }).NextMarker;

    expect(errorCodeOf(() => call(kms, 'ListGrants', {}))).toBe('ValidationException');
    expect(errorCodeOf(() => call(kms, 'ListGrants', { KeyId: keyId, Limit: 101 }))).toBe('ValidationException');
    expect(errorCodeOf(() => call(kms, 'ListGrants', { KeyId: keyId, GrantId: 'nope' }))).toBe('InvalidGrantIdException');
    expect(errorCodeOf(() => call(kms, 'ListGrants', { KeyId: keyId, Marker: otherKeysMarker }))).toBe('InvalidMarkerException');
  });

  test('GIVEN grants for several grantees WHEN ListGrants filters by GranteePrincipal THEN only theirs are listed', () => {
    const kms = newService();
    const { keyId } = kms.createKey(US);
    kms.createGrant(US, keyId, { granteePrincipal: grantee, operations: ['Decrypt'] });
    kms.createGrant(US, keyId, { granteePrincipal: retiree, operations: ['Decrypt'] });

    const grants = call(kms, 'ListGrants', { KeyId: keyId, GranteePrincipal: grantee }).Grants;

    expect(grants.map((grant: Json) => grant.GranteePrincipal)).toEqual([grantee]);
  });

  test('GIVEN a grant WHEN CreateGrant names unknown operations or none THEN ValidationException', () => {
    const kms = newService();
    const { KeyId } = createKey(kms);

    expect(errorCodeOf(() => call(kms, 'CreateGrant', { KeyId, GranteePrincipal: grantee, Operations: ['Fly'] }))).toBe(
      'ValidationException',
    );
    expect(errorCodeOf(() => call(kms, 'CreateGrant', { KeyId, GranteePrincipal: grantee }))).toBe('ValidationException');
  });

  test('GIVEN a grant WHEN RevokeGrant THEN it is gone, and revoking again is NotFoundException', () => {
    const kms = newService();
    const { keyId } = kms.createKey(US);
    const { grantId } = kms.createGrant(US, keyId, { granteePrincipal: grantee, operations: ['Decrypt'] });

    call(kms, 'RevokeGrant', { KeyId: keyId, GrantId: grantId });

    expect(call(kms, 'ListGrants', { KeyId: keyId }).Grants).toEqual([]);
    expect(errorCodeOf(() => call(kms, 'RevokeGrant', { KeyId: keyId, GrantId: grantId }))).toBe('NotFoundException');
    expect(errorCodeOf(() => call(kms, 'RevokeGrant', { KeyId: keyId, GrantId: 'bad' }))).toBe('InvalidGrantIdException');
  });

  test('GIVEN a grant with a retiring principal WHEN someone else retires it THEN AccessDeniedException; WHEN the retiring principal does THEN it is gone', () => {
    const kms = newService();
    const { keyId } = kms.createKey(US);
    const { grantToken } = kms.createGrant(US, keyId, {
      granteePrincipal: grantee,
      retiringPrincipal: retiree,
      operations: ['Decrypt'],
    });

    expect(errorCodeOf(() => call(kms, 'RetireGrant', { GrantToken: grantToken }, US, { arn: grantee }))).toBe('AccessDeniedException');
    call(kms, 'RetireGrant', { GrantToken: grantToken }, US, { arn: retiree });

    expect(call(kms, 'ListGrants', { KeyId: keyId }).Grants).toEqual([]);
    expect(errorCodeOf(() => call(kms, 'RetireGrant', { GrantToken: grantToken }, US, { arn: retiree }))).toBe(
      'InvalidGrantTokenException',
    );
  });

  test('GIVEN a grant allowing RetireGrant WHEN its grantee retires it by key and grant id THEN it is gone', () => {
    const kms = newService();
    const { keyId, arn } = kms.createKey(US);
    const { grantId } = kms.createGrant(US, keyId, { granteePrincipal: grantee, operations: ['Decrypt', 'RetireGrant'] });

    call(kms, 'RetireGrant', { KeyId: arn, GrantId: grantId }, US, { arn: grantee });

    expect(call(kms, 'ListGrants', { KeyId: keyId }).Grants).toEqual([]);
  });

  test('GIVEN grants on several keys WHEN ListRetirableGrants THEN the grants retirable by that principal are listed across keys', () => {
    const kms = newService();
    const first = kms.createKey(US);
    const second = kms.createKey(US);
    const a = kms.createGrant(US, first.keyId, { granteePrincipal: grantee, retiringPrincipal: retiree, operations: ['Decrypt'] });
    kms.createGrant(US, first.keyId, { granteePrincipal: grantee, operations: ['Decrypt'] });
    const b = kms.createGrant(US, second.arn, { granteePrincipal: grantee, retiringPrincipal: retiree, operations: ['Encrypt'] });

    const grants = call(kms, 'ListRetirableGrants', { RetiringPrincipal: retiree }).Grants;

    expect(grants.map((grant: Json) => [grant.GrantId, grant.KeyId])).toEqual([
      [a.grantId, first.arn],
      [b.grantId, second.arn],
    ]);
  });

  test('GIVEN an AWS managed key WHEN a service grant is seeded and a caller calls CreateGrant THEN the seed works and the call is denied', () => {
    const kms = newService();
    kms.createKey(US, { keyManager: 'AWS', aliases: ['alias/aws/ebs'] });

    const seeded = kms.createGrant(US, 'alias/aws/ebs', { granteePrincipal: grantee, operations: ['Decrypt'] });

    const keyId = call(kms, 'DescribeKey', { KeyId: 'alias/aws/ebs' }).KeyMetadata.KeyId;
    expect(call(kms, 'ListGrants', { KeyId: keyId }).Grants[0].GrantId).toBe(seeded.grantId);
    expect(errorCodeOf(() => call(kms, 'CreateGrant', { KeyId: keyId, GranteePrincipal: grantee, Operations: ['Decrypt'] }))).toBe(
      'AccessDeniedException',
    );
  });
});

describe('KmsService tags, seeding and dispatch', () => {
  test('GIVEN a key WHEN tags are added and removed THEN ListResourceTags shows the current tags sorted by key', () => {
    const kms = newService();
    const { KeyId } = createKey(kms, { Tags: [{ TagKey: 'team', TagValue: 'data' }] });

    call(kms, 'TagResource', {
      KeyId,
      Tags: [
        { TagKey: 'env', TagValue: 'prod' },
        { TagKey: 'cost', TagValue: '42' },
      ],
    });
    call(kms, 'UntagResource', { KeyId, TagKeys: ['cost'] });

    expect(call(kms, 'ListResourceTags', { KeyId })).toEqual({
      Tags: [
        { TagKey: 'env', TagValue: 'prod' },
        { TagKey: 'team', TagValue: 'data' },
      ],
      Truncated: false,
    });
    expect(errorCodeOf(() => call(kms, 'TagResource', { KeyId, Tags: [{ TagKey: 'aws:x', TagValue: '' }] }))).toBe('TagException');
  });

  test('GIVEN seeds with a fixed key id and state WHEN described THEN the seed is honoured', () => {
    const kms = newService();
    const keyId = '0b5e9f3a-1111-4222-8333-944455556666';

    const seeded = kms.createKey(EU, { keyId, keyState: 'PendingDeletion', description: 'legacy' });

    expect(seeded).toEqual({ keyId, arn: `arn:aws:kms:${EU}:${ACCOUNT}:key/${keyId}` });
    expect(call(kms, 'DescribeKey', { KeyId: keyId }, EU).KeyMetadata).toMatchObject({
      KeyState: 'PendingDeletion',
      Enabled: false,
      Description: 'legacy',
    });
    expect(() => kms.createKey(EU, { keyId })).toThrow(ServiceError);
  });

  test('GIVEN two services with the same seeded random source WHEN keys and grants are created THEN their ids are equal UUIDs', () => {
    const seededRandom = () => {
      let state = 42;
      return () => {
        state = (state * 1103515245 + 12345) % 2147483648;
        return state / 2147483648;
      };
    };
    const first = new KmsService(ACCOUNT, { now: () => NOW, random: seededRandom() });
    const second = new KmsService(ACCOUNT, { now: () => NOW, random: seededRandom() });

    const keys = [first, second].map((kms) => kms.createKey(US).keyId);
    const grants = [first, second].map(
      (kms, index) => kms.createGrant(US, keys[index], { granteePrincipal: ADMIN.arn, operations: ['Decrypt'] }).grantId,
    );

    expect(keys[0]).toMatch(UUID);
    expect(keys[0].charAt(14)).toBe('4');
    expect(keys[1]).toBe(keys[0]);
    expect(grants[1]).toBe(grants[0]);
    expect(newService().createKey(US).keyId).not.toBe(keys[0]);
  });

  test('GIVEN state in two regions WHEN reset THEN every region is empty', () => {
    const kms = newService();
    kms.createKey(US, { aliases: ['alias/orders'] });
    kms.createKey(EU);

    kms.reset();

    expect(call(kms, 'ListKeys', {}, US).Keys).toEqual([]);
    expect(call(kms, 'ListKeys', {}, EU).Keys).toEqual([]);
    expect(call(kms, 'ListAliases', {}, US).Aliases).toEqual([]);
  });

  test('GIVEN operation names WHEN isMutating / handle THEN writes are mutating, reads are not, unknown operations are refused', () => {
    const kms = newService();

    for (const operation of [
      'CreateKey',
      'PutKeyPolicy',
      'CreateGrant',
      'RevokeGrant',
      'RetireGrant',
      'ScheduleKeyDeletion',
      'DeleteAlias',
    ]) {
      expect(kms.isMutating(operation)).toBe(true);
    }
    for (const operation of ['DescribeKey', 'ListKeys', 'ListAliases', 'GetKeyPolicy', 'ListGrants', 'Encrypt']) {
      expect(kms.isMutating(operation)).toBe(false);
    }
    expect(errorCodeOf(() => call(kms, 'Encrypt', { KeyId: 'x' }))).toBe('UnknownOperationException');
  });

  test('GIVEN 2,000 keys WHEN every key is listed 50 times and described THEN it stays fast', () => {
    const kms = newService();
    for (let index = 0; index < 2000; index += 1) kms.createKey(US, { aliases: [`alias/key-${index}`] });

    const started = Date.now();
    for (let round = 0; round < 50; round += 1) {
      expect(listAllKeyIds(kms, US, 1000).ids).toHaveLength(2000);
    }
    for (const entry of call(kms, 'ListKeys', { Limit: 1000 }).Keys) {
      call(kms, 'GetKeyPolicy', { KeyId: entry.KeyId });
      call(kms, 'ListGrants', { KeyId: entry.KeyArn });
    }
    expect(Date.now() - started).toBeLessThan(5000);
  });
});
