/**
 * Deny statements that carve a user out ("everyone except key-owner is denied") and identity conditions
 * that narrow the account root or "*" to one user: references and sole administration.
 */
import type { Snapshot, UserFacts } from '../../src/model/snapshot';
import { buildContext, userIdentity } from '../../src/plan/context';
import { kmsKeyPolicyGuard } from '../../src/plan/guards/kms-key-policy';
import { kmsSoleAdminGuard } from '../../src/plan/guards/kms-sole-admin';
import { roleTrustGuard } from '../../src/plan/guards/role-trust';
import { evaluateUserGuard, type UserGuardRecord } from '../../src/plan/guards/types';
import { parsePolicyDocument, type PolicyStatement } from '../../src/policy/document';
import { mayReferenceUsers, policyReferences } from '../../src/policy/principal';
import { soleAdministrator } from '../../src/plan/kms/sole-admin';
import { matchDeclared } from '../../src/plan/match';
import { plan } from '../../src/plan/plan';
import { ACCOUNT, aKmsKey, anAllowlist, aRole, aSnapshot, aUser, NOW } from './fixtures';

const ROOT = `arn:aws:iam::${ACCOUNT}:root`;
const keyOwner = aUser({ name: 'key-owner' });
const bystander = aUser({ name: 'bystander' });
const platformRole = aRole({ name: 'platform-admin' });

const rootStatement = { Sid: 'Root', Effect: 'Allow', Principal: { AWS: ROOT }, Action: 'kms:*', Resource: '*' };

function denyAllBut(operator: string, key: string, value: unknown, principal: unknown = '*', action: unknown = 'kms:*'): object {
  return {
    Sid: 'OnlyOwner',
    Effect: 'Deny',
    Principal: principal,
    Action: action,
    Resource: '*',
    Condition: { [operator]: { [key]: value } },
  };
}

function statementsOf(...statements: object[]): readonly PolicyStatement[] {
  const parsed = parsePolicyDocument(JSON.stringify({ Version: '2012-10-17', Statement: statements }));
  if (!parsed.ok) throw new Error(parsed.error);
  return parsed.statements;
}

function referencesOf(user: UserFacts, ...statements: object[]) {
  return policyReferences(statementsOf(...statements), userIdentity(user), ACCOUNT);
}

function soleAdmin(user: UserFacts, others: readonly UserFacts[], ...statements: object[]) {
  return soleAdministrator(statementsOf(...statements), userIdentity(user), ACCOUNT, [
    ...others.map(userIdentity),
    { name: null, arn: platformRole.arn, id: platformRole.roleId },
  ]);
}

function runGuard(guard: UserGuardRecord, user: UserFacts, snapshot: Snapshot) {
  const allowlist = anAllowlist();
  const subject = { user, match: matchDeclared(allowlist, user, NOW), intended: 'delete' as const };
  return evaluateUserGuard(guard, buildContext(snapshot, allowlist, NOW), subject);
}

describe('a Deny that exempts the user is a reference', () => {
  it.each([
    ['StringNotEquals', 'aws:PrincipalArn', keyOwner.arn],
    ['StringNotEqualsIfExists', 'aws:principalarn', keyOwner.arn],
    ['ArnNotEquals', 'AWS:PrincipalArn', keyOwner.arn],
    ['ArnNotLike', 'aws:PrincipalArn', `arn:aws:iam::${ACCOUNT}:user/key-*`],
    ['StringNotLike', 'aws:username', 'KEY-OWNER'],
    ['StringNotEqualsIgnoreCase', 'aws:username', 'Key-Owner'],
    ['ForAllValues:StringNotEquals', 'aws:userid', keyOwner.userId],
    ['StringNotEquals', 'aws:PrincipalArn', [bystander.arn, keyOwner.arn]],
  ])('GIVEN Deny "*" kms:* unless %s %s %j WHEN analysed THEN the exempted user is referenced', (operator, key, value) => {
    const found = referencesOf(keyOwner, rootStatement, denyAllBut(operator, key, value));
    expect(found).toHaveLength(1);
    expect(found[0]?.via).toBe('deny-exception');
    expect(found[0]?.detail).toContain('"OnlyOwner"');
  });

  it.each([
    ['{"AWS": "*"}', { AWS: '*' }],
    ['the account root ARN', { AWS: ROOT }],
    ['the bare account id', { AWS: ACCOUNT }],
  ])('GIVEN the Deny Principal is %s WHEN analysed THEN the exempted user is referenced', (_label, principal) => {
    expect(referencesOf(keyOwner, denyAllBut('StringNotEquals', 'aws:PrincipalArn', keyOwner.arn, principal))).toHaveLength(1);
  });

  it('GIVEN the same Deny WHEN analysed for a user it does NOT exempt THEN no reference (a deny on it is no dependency)', () => {
    expect(referencesOf(bystander, rootStatement, denyAllBut('StringNotEquals', 'aws:PrincipalArn', keyOwner.arn))).toEqual([]);
  });

  it('GIVEN a Deny with a positive condition selecting the user WHEN analysed THEN no reference (it only takes access away)', () => {
    expect(referencesOf(keyOwner, denyAllBut('StringEquals', 'aws:PrincipalArn', keyOwner.arn))).toEqual([]);
  });

  it('GIVEN a Deny exempting the user WHEN pre-filtered THEN the statement is kept for analysis', () => {
    const [deny] = statementsOf(denyAllBut('StringNotEquals', 'aws:PrincipalArn', keyOwner.arn));
    expect(mayReferenceUsers(deny as PolicyStatement, ACCOUNT)).toBe(true);
  });

  it('GIVEN a key policy Deny exempting the user from kms:Decrypt only WHEN guarded THEN a kms-key-policy finding (not sole admin)', () => {
    const key = aKmsKey({
      policy: { Statement: [rootStatement, denyAllBut('StringNotEquals', 'aws:PrincipalArn', keyOwner.arn, '*', 'kms:Decrypt')] },
    });
    const snapshot = aSnapshot({ users: [keyOwner, bystander], keys: [key] });
    expect(runGuard(kmsSoleAdminGuard, keyOwner, snapshot)).toEqual([]);
    const findings = runGuard(kmsKeyPolicyGuard, keyOwner, snapshot);
    expect(findings).toHaveLength(1);
    expect(findings[0]).toMatchObject({ kind: 'kms-key-policy', severity: 'critical', resource: key.arn });
    expect(findings[0]?.message).toContain('denies kms:Decrypt to everyone except');
  });

  it('GIVEN a trust policy Deny exempting the user WHEN guarded THEN role-trust holds it (same analysis)', () => {
    const role = aRole({
      name: 'deploy',
      trustPolicy: { Statement: [rootStatement, denyAllBut('StringNotEquals', 'aws:PrincipalArn', keyOwner.arn, '*', 'sts:AssumeRole')] },
    });
    expect(runGuard(roleTrustGuard, keyOwner, aSnapshot({ users: [keyOwner], roles: [role] }))).toHaveLength(1);
  });
});

describe('sole administrator through a Deny', () => {
  it.each([['kms:*'], ['kms:Put*'], ['kms:PutKeyPolicy'], ['*']])(
    'GIVEN Allow root kms:* and Deny "*" %s unless aws:PrincipalArn = the user WHEN guarded THEN kms-sole-admin (critical) naming the Deny',
    (action) => {
      const key = aKmsKey({
        policy: { Statement: [rootStatement, denyAllBut('StringNotEquals', 'aws:PrincipalArn', keyOwner.arn, '*', action)] },
      });
      const snapshot = aSnapshot({ users: [keyOwner, bystander], roles: [platformRole], keys: [key] });
      const findings = runGuard(kmsSoleAdminGuard, keyOwner, snapshot);
      expect(findings).toHaveLength(1);
      expect(findings[0]).toMatchObject({ kind: 'kms-sole-admin', severity: 'critical', resource: key.arn, blocksRun: true });
      expect(findings[0]?.message).toContain('"OnlyOwner" denies kms:PutKeyPolicy to every other principal');
      expect(runGuard(kmsKeyPolicyGuard, keyOwner, snapshot)).toEqual([]);
    },
  );

  it('GIVEN the Deny exempts another known principal too WHEN analysed THEN not sole administrator (but still referenced)', () => {
    const statements = [rootStatement, denyAllBut('StringNotEquals', 'aws:PrincipalArn', [keyOwner.arn, platformRole.arn])];
    expect(soleAdmin(keyOwner, [bystander], ...statements).sole).toBe(false);
    expect(referencesOf(keyOwner, ...statements)).toHaveLength(1);
  });

  it('GIVEN the Deny has a condition that is not about identity WHEN analysed THEN it is not subtracted (it may not apply)', () => {
    const deny = {
      ...denyAllBut('StringNotEquals', 'aws:PrincipalArn', keyOwner.arn),
      Condition: { StringNotEquals: { 'aws:PrincipalArn': keyOwner.arn }, Bool: { 'aws:ViaAWSService': 'false' } },
    };
    expect(soleAdmin(keyOwner, [bystander], rootStatement, deny).sole).toBe(false);
  });

  it('GIVEN the Deny does not cover PutKeyPolicy WHEN analysed THEN the root can still administer', () => {
    expect(
      soleAdmin(keyOwner, [bystander], rootStatement, denyAllBut('StringNotEquals', 'aws:PrincipalArn', keyOwner.arn, '*', 'kms:Decrypt'))
        .sole,
    ).toBe(false);
  });

  it('GIVEN a Deny of PutKeyPolicy that applies to the user too WHEN analysed THEN the user cannot administer, so not sole', () => {
    const result = soleAdmin(
      keyOwner,
      [],
      { Effect: 'Allow', Principal: { AWS: keyOwner.arn }, Action: 'kms:*', Resource: '*' },
      { Effect: 'Deny', Principal: '*', Action: 'kms:PutKeyPolicy', Resource: '*' },
    );
    expect(result.sole).toBe(false);
  });
});

describe('an account-root or "*" Allow narrowed to the user by its conditions', () => {
  it.each([
    ['ArnEquals', 'aws:PrincipalArn', keyOwner.arn],
    ['StringEquals', 'aws:username', 'key-owner'],
    ['StringEquals', 'aws:userid', keyOwner.userId],
  ])('GIVEN Allow root kms:* with %s %s = the user only WHEN analysed THEN sole administrator', (operator, key, value) => {
    const narrowed = { ...rootStatement, Condition: { [operator]: { [key]: value } } };
    const result = soleAdmin(keyOwner, [bystander], narrowed);
    expect(result.sole).toBe(true);
  });

  it('GIVEN Allow root kms:* narrowed to the user WHEN planned THEN the user is held by kms-sole-admin', () => {
    const key = aKmsKey({ policy: { Statement: [{ ...rootStatement, Condition: { ArnEquals: { 'aws:PrincipalArn': keyOwner.arn } } }] } });
    const result = plan(aSnapshot({ users: [keyOwner, bystander], keys: [key] }), anAllowlist(), NOW);
    const owner = result.users.find((user) => user.name === 'key-owner');
    expect(owner?.decision).toBe('hold');
    expect(owner?.guards.map((guard) => guard.kind)).toContain('kms-sole-admin');
  });

  it('GIVEN the narrowing condition also matches another live user WHEN analysed THEN not sole administrator', () => {
    const narrowed = { ...rootStatement, Condition: { ArnLike: { 'aws:PrincipalArn': `arn:aws:iam::${ACCOUNT}:user/*` } } };
    expect(soleAdmin(keyOwner, [bystander], narrowed).sole).toBe(false);
  });

  it('GIVEN an unconditional root statement WHEN analysed THEN not sole administrator (control case)', () => {
    expect(
      soleAdmin(keyOwner, [bystander], rootStatement, { Effect: 'Allow', Principal: { AWS: keyOwner.arn }, Action: 'kms:*', Resource: '*' })
        .sole,
    ).toBe(false);
  });

  it('GIVEN root narrowed to the user plus "*" narrowed to another user WHEN analysed THEN not sole administrator', () => {
    const narrowed = { ...rootStatement, Condition: { ArnEquals: { 'aws:PrincipalArn': keyOwner.arn } } };
    const other = {
      Effect: 'Allow',
      Principal: '*',
      Action: 'kms:PutKeyPolicy',
      Resource: '*',
      Condition: { StringEquals: { 'aws:username': 'bystander' } },
    };
    expect(soleAdmin(keyOwner, [bystander], narrowed, other).sole).toBe(false);
  });
});
