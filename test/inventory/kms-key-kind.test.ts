/**
 * Which KMS keys the inventory reads and how far (src/inventory/kms-key-kind.ts), plus how a key of
 * unknown state reads in messages and in a snapshot file. Unit tests: no endpoint.
 */
import fc from 'fast-check';
import { snapshotShapeProblem } from '../../src/inventory/snapshot-shape';
import { isAwsManagedByAlias } from '../../src/inventory/kms-key-kind';
import { keysNamedByFindings } from '../../src/plan/kms/named-keys';
import type { UserFacts } from '../../src/model/snapshot';
import { describeKey } from '../../src/plan/kms/describe';
import { plan } from '../../src/plan/plan';
import { ACCOUNT, aGrant, aKmsKey, anAllowlist, aRole, aSnapshot, aUser, NOW } from '../plan/fixtures';

const ROOT = `arn:aws:iam::${ACCOUNT}:root`;
const policy = (...statements: object[]): string => JSON.stringify({ Version: '2012-10-17', Statement: statements });
const allow = (principal: unknown, extra: object = {}) => ({
  Effect: 'Allow',
  Principal: principal,
  Action: 'kms:*',
  Resource: '*',
  ...extra,
});

describe('AWS-managed keys by alias', () => {
  it('GIVEN an alias/aws/* alias WHEN classified THEN AWS-managed (no call needed)', () => {
    expect(isAwsManagedByAlias(['alias/aws/s3'])).toBe(true);
    expect(isAwsManagedByAlias(['alias/app', 'alias/aws/ebs'])).toBe(true);
  });

  it('GIVEN only customer aliases, a look-alike or no alias at all WHEN classified THEN customer-managed (read in full)', () => {
    expect(isAwsManagedByAlias(['alias/app'])).toBe(false);
    expect(isAwsManagedByAlias(['alias/awsome'])).toBe(false);
    expect(isAwsManagedByAlias(['alias/my/aws/key'])).toBe(false);
    expect(isAwsManagedByAlias([])).toBe(false);
  });
});

describe('keys whose state a displayed plan reads (DescribeKey)', () => {
  // The property planForDisplay relies on: the keys it describes are exactly those whose KMS guard messages
  // (for any user, in any mix of statements and grants) would say "state unknown". Generated from a small
  // vocabulary of the shapes the reference analysis distinguishes.
  const users: UserFacts[] = [aUser({ name: 'alice' }), aUser({ name: 'analytics-reader' }), aUser({ name: 'etl', path: '/service/' })];
  const role = aRole({ name: 'platform-admin' });
  const principalValues = [
    '*',
    ROOT,
    ACCOUNT,
    ...users.map((u) => u.arn),
    ...users.map((u) => u.userId),
    `arn:aws:iam::${ACCOUNT}:user/analytics-*`,
    `arn:aws:iam::${ACCOUNT}:user/\${aws:username}`,
    role.arn,
    'AROAEXAMPLEROLEID',
  ];
  const principal = fc.oneof(
    fc.constantFrom(...principalValues).map((value) => ({ AWS: value })),
    fc.constant({ Service: 'logs.amazonaws.com' }),
    fc.uniqueArray(fc.constantFrom(...principalValues), { minLength: 1, maxLength: 3 }).map((values) => ({ AWS: values })),
  );
  const condition = fc.constantFrom<object | undefined>(
    undefined,
    { ArnLike: { 'aws:PrincipalArn': `arn:aws:iam::${ACCOUNT}:user/analytics-*` } },
    { StringEquals: { 'aws:username': 'alice' } },
    { StringNotEquals: { 'aws:PrincipalArn': users[0].arn } },
    { StringNotLike: { 'aws:userid': `${users[2].userId}*` } },
    { StringEquals: { 'kms:CallerAccount': ACCOUNT } },
  );
  const statement = fc
    .record({
      effect: fc.constantFrom('Allow', 'Deny'),
      not: fc.boolean(),
      principal,
      action: fc.constantFrom('kms:*', 'kms:Decrypt', ['kms:PutKeyPolicy', 'kms:Decrypt']),
      condition,
    })
    .map(({ effect, not, principal: p, action, condition: c }) => ({
      Effect: effect,
      [not ? 'NotPrincipal' : 'Principal']: p,
      Action: action,
      Resource: '*',
      ...(c === undefined ? {} : { Condition: c }),
    }));
  const grantPrincipal = fc.constantFrom(...users.map((u) => u.arn), users[1].userId, role.arn, 'dynamodb.amazonaws.com');
  const grants = fc.array(fc.record({ grantee: grantPrincipal, retiring: fc.option(grantPrincipal, { nil: null }) }), { maxLength: 2 });

  const KMS_GUARDS = new Set(['kms-key-policy', 'kms-sole-admin', 'kms-grant']);

  it('GIVEN generated policies and grants, state unread WHEN planned THEN named: exactly the keys a KMS message shows unknown', () => {
    const seen = { named: 0, notNamed: 0 };
    fc.assert(
      fc.property(fc.array(statement, { minLength: 1, maxLength: 4 }), grants, fc.boolean(), (statements, grantSpecs, withRoot) => {
        const document = policy(...(withRoot ? [allow({ AWS: ROOT })] : []), ...statements);
        const keyGrants = grantSpecs.map((g, i) =>
          aGrant({ grantId: `g${i}`, granteePrincipal: g.grantee, retiringPrincipal: g.retiring }),
        );
        const key = aKmsKey({ policy: document, grants: keyGrants, keyState: null, multiRegion: null });
        // Every user is undeclared, so each is an intended removal and every user guard runs on it.
        const planned = plan(aSnapshot({ users, roles: [role], keys: [key] }), anAllowlist(), NOW);
        const shownUnknown = planned.users.some((u) =>
          u.guards.some((g) => KMS_GUARDS.has(g.kind) && g.resource === key.arn && g.message.includes('state unknown')),
        );
        seen[shownUnknown ? 'named' : 'notNamed']++;
        expect(keysNamedByFindings(planned, aSnapshot({ users, roles: [role], keys: [key] }))).toEqual(shownUnknown ? [key.arn] : []);
      }),
      { numRuns: 500, seed: 15 },
    );
    // Both outcomes occur, so the property is not vacuous.
    expect(seen.named).toBeGreaterThan(50);
    expect(seen.notNamed).toBeGreaterThan(20);
  });
});

describe('a key whose state was not read', () => {
  it('GIVEN keyState null WHEN described for a message THEN it says the state is unknown', () => {
    const key = aKmsKey({ aliases: ['alias/app'], keyState: null, multiRegion: null });
    expect(describeKey(key)).toBe(`${key.arn} (alias/app, state unknown)`);
  });

  it('GIVEN an enabled or disabled key WHEN described THEN as before (nothing, or its state)', () => {
    expect(describeKey(aKmsKey())).toBe(aKmsKey().arn);
    expect(describeKey(aKmsKey({ keyState: 'Disabled' }))).toBe(`${aKmsKey().arn} (Disabled)`);
  });

  it('GIVEN snapshot files with keyState/multiRegion null (new) or strings (older files, "Unknown" too) WHEN checked THEN all load', () => {
    const withKey = (fields: object): unknown => {
      const region = { region: 'us-east-1', awsManagedKeysSkipped: 0, keys: [{ ...aKmsKey(), ...fields }] };
      return JSON.parse(JSON.stringify({ ...aSnapshot({ keys: [aKmsKey()] }), kms: [region] }));
    };
    expect(snapshotShapeProblem(withKey({ keyState: null, multiRegion: null }))).toBeNull();
    expect(snapshotShapeProblem(withKey({ keyState: 'Enabled', multiRegion: false }))).toBeNull();
    expect(snapshotShapeProblem(withKey({ keyState: 'Unknown', multiRegion: false }))).toBeNull();
    expect(snapshotShapeProblem(withKey({ keyState: 3 }))).toBe('snapshot.kms[0].keys[0].keyState: expected a string');
  });
});
