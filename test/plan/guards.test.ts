/** Per-user guards, called directly (GIVEN a snapshot and allowlist, WHEN the guard runs, THEN its findings). */
import type { Allowlist } from '../../src/model/allowlist';
import type { Snapshot, UserFacts } from '../../src/model/snapshot';
import { buildContext } from '../../src/plan/context';
import { callerGuard } from '../../src/plan/guards/caller';
import { kmsGrantGuard } from '../../src/plan/guards/kms-grant';
import { kmsKeyPolicyGuard } from '../../src/plan/guards/kms-key-policy';
import { kmsSoleAdminGuard } from '../../src/plan/guards/kms-sole-admin';
import { protectedGuard } from '../../src/plan/guards/protected';
import { recentlyActiveGuard } from '../../src/plan/guards/recently-active';
import { roleTrustGuard } from '../../src/plan/guards/role-trust';
import { evaluateUserGuard, type UserGuardRecord } from '../../src/plan/guards/types';
import { matchDeclared } from '../../src/plan/match';
import { plan } from '../../src/plan/plan';
import {
  ACCOUNT,
  aDeclared,
  aGrant,
  aKey,
  aKmsKey,
  anAllowlist,
  aRole,
  aSnapshot,
  aUser,
  daysAgo,
  dateIn,
  NOW,
  policyWith,
  userArn,
} from './fixtures';

function run(
  guard: UserGuardRecord,
  user: UserFacts,
  snapshot: Snapshot,
  allowlist: Allowlist = anAllowlist(),
  intended: 'delete' | 'quarantine' = 'delete',
) {
  const ctx = buildContext(snapshot, allowlist, NOW);
  return evaluateUserGuard(guard, ctx, { user, match: matchDeclared(allowlist, user, NOW), intended });
}

const ROOT = `arn:aws:iam::${ACCOUNT}:root`;
const pipeline = aUser({ name: 'data-pipeline', path: '/service/' });
const keyAdmin = aUser({ name: 'key-admin-legacy' });

describe('kms-key-policy guard', () => {
  const referencing = aKmsKey({
    region: 'eu-west-1',
    aliases: ['alias/pipeline'],
    policy: policyWith({ Sid: 'Pipeline', Effect: 'Allow', Principal: { AWS: pipeline.arn }, Action: ['kms:Decrypt'], Resource: '*' }),
  });

  it('GIVEN a customer key policy naming the user WHEN guarded THEN a critical finding with the key ARN and region', () => {
    const findings = run(kmsKeyPolicyGuard, pipeline, aSnapshot({ users: [pipeline], keys: [referencing] }));
    expect(findings).toHaveLength(1);
    expect(findings[0]).toMatchObject({
      kind: 'kms-key-policy',
      severity: 'critical',
      resource: referencing.arn,
      region: 'eu-west-1',
      blocksRun: true,
    });
    expect(findings[0]?.message).toContain('alias/pipeline');
  });

  it('GIVEN guards.kms is "hold" WHEN guarded THEN the finding does not block the run', () => {
    const findings = run(
      kmsKeyPolicyGuard,
      pipeline,
      aSnapshot({ users: [pipeline], keys: [referencing] }),
      anAllowlist({ guards: { kms: 'hold' } }),
    );
    expect(findings[0]?.blocksRun).toBe(false);
  });

  it('GIVEN only a root-only key policy WHEN guarded THEN no finding', () => {
    expect(run(kmsKeyPolicyGuard, pipeline, aSnapshot({ users: [pipeline], keys: [aKmsKey()] }))).toEqual([]);
  });

  it('GIVEN the referencing key is PendingDeletion WHEN guarded THEN it still counts and the message says it can be cancelled', () => {
    const pending = { ...referencing, keyState: 'PendingDeletion' };
    const findings = run(kmsKeyPolicyGuard, pipeline, aSnapshot({ users: [pipeline], keys: [pending] }));
    expect(findings).toHaveLength(1);
    expect(findings[0]?.message).toContain('PendingDeletion: deletion can still be cancelled');
  });

  it('GIVEN the user is the sole administrator WHEN guarded THEN kms-key-policy leaves that key to kms-sole-admin', () => {
    const key = aKmsKey({ policy: { Statement: [{ Effect: 'Allow', Principal: { AWS: keyAdmin.arn }, Action: 'kms:*', Resource: '*' }] } });
    expect(run(kmsKeyPolicyGuard, keyAdmin, aSnapshot({ users: [keyAdmin], keys: [key] }))).toEqual([]);
  });
});

describe('kms-sole-admin guard', () => {
  const soleAdminKey = (statements: object[]) =>
    aKmsKey({ aliases: ['alias/legacy'], policy: { Version: '2012-10-17', Statement: statements } });
  const adminStatement = (principal: unknown, action: unknown = 'kms:*') => ({
    Effect: 'Allow',
    Principal: principal,
    Action: action,
    Resource: '*',
  });

  it('GIVEN no root statement and the user the only principal with kms:* WHEN guarded THEN the most severe finding, saying it orphans the key', () => {
    const key = soleAdminKey([adminStatement({ AWS: keyAdmin.arn })]);
    const findings = run(kmsSoleAdminGuard, keyAdmin, aSnapshot({ users: [keyAdmin], keys: [key] }));
    expect(findings).toHaveLength(1);
    expect(findings[0]).toMatchObject({
      kind: 'kms-sole-admin',
      severity: 'critical',
      resource: key.arn,
      region: 'us-east-1',
      blocksRun: true,
    });
    expect(findings[0]?.message).toContain('orphans the key');
  });

  it.each([['kms:PutKeyPolicy'], ['kms:Put*'], ['*'], [['kms:Describe*', 'kms:PutKeyPolicy']]])(
    'GIVEN the user alone is granted %j WHEN guarded THEN sole administrator',
    (action) => {
      const key = soleAdminKey([adminStatement({ AWS: keyAdmin.arn }, action)]);
      expect(run(kmsSoleAdminGuard, keyAdmin, aSnapshot({ users: [keyAdmin], keys: [key] }))).toHaveLength(1);
    },
  );

  it('GIVEN the user alone has an Allow with NotAction not excluding PutKeyPolicy WHEN guarded THEN sole administrator', () => {
    const key = soleAdminKey([{ Effect: 'Allow', Principal: { AWS: keyAdmin.arn }, NotAction: 'kms:ScheduleKeyDeletion', Resource: '*' }]);
    expect(run(kmsSoleAdminGuard, keyAdmin, aSnapshot({ users: [keyAdmin], keys: [key] }))).toHaveLength(1);
    const excluded = soleAdminKey([{ Effect: 'Allow', Principal: { AWS: keyAdmin.arn }, NotAction: 'kms:Put*', Resource: '*' }]);
    expect(run(kmsSoleAdminGuard, keyAdmin, aSnapshot({ users: [keyAdmin], keys: [excluded] }))).toEqual([]);
  });

  it('GIVEN the root statement grants kms:* WHEN guarded THEN not sole administrator', () => {
    const key = soleAdminKey([adminStatement({ AWS: ROOT }), adminStatement({ AWS: keyAdmin.arn })]);
    expect(run(kmsSoleAdminGuard, keyAdmin, aSnapshot({ users: [keyAdmin], keys: [key] }))).toEqual([]);
  });

  it('GIVEN the bare account id is granted kms:PutKeyPolicy WHEN guarded THEN not sole administrator', () => {
    const key = soleAdminKey([adminStatement({ AWS: ACCOUNT }, 'kms:PutKeyPolicy'), adminStatement({ AWS: keyAdmin.arn })]);
    expect(run(kmsSoleAdminGuard, keyAdmin, aSnapshot({ users: [keyAdmin], keys: [key] }))).toEqual([]);
  });

  it('GIVEN root is granted only kms:Decrypt WHEN guarded THEN the user is still the sole administrator', () => {
    const key = soleAdminKey([adminStatement({ AWS: ROOT }, 'kms:Decrypt'), adminStatement({ AWS: keyAdmin.arn })]);
    expect(run(kmsSoleAdminGuard, keyAdmin, aSnapshot({ users: [keyAdmin], keys: [key] }))).toHaveLength(1);
  });

  it('GIVEN another principal can also administer WHEN guarded THEN not sole administrator', () => {
    const key = soleAdminKey([adminStatement({ AWS: [keyAdmin.arn, `arn:aws:iam::${ACCOUNT}:role/platform-admin`] })]);
    expect(run(kmsSoleAdminGuard, keyAdmin, aSnapshot({ users: [keyAdmin], keys: [key] }))).toEqual([]);
  });

  it('GIVEN the user only has kms:Decrypt WHEN guarded THEN not sole administrator', () => {
    const key = soleAdminKey([adminStatement({ AWS: keyAdmin.arn }, 'kms:Decrypt')]);
    expect(run(kmsSoleAdminGuard, keyAdmin, aSnapshot({ users: [keyAdmin], keys: [key] }))).toEqual([]);
  });

  it('GIVEN a wildcard admin principal that matches another live user too WHEN guarded THEN not sole administrator', () => {
    const other = aUser({ name: 'key-admin-new' });
    const key = soleAdminKey([adminStatement({ AWS: `arn:aws:iam::${ACCOUNT}:user/key-admin-*` })]);
    expect(run(kmsSoleAdminGuard, keyAdmin, aSnapshot({ users: [keyAdmin, other], keys: [key] }))).toEqual([]);
    expect(run(kmsSoleAdminGuard, keyAdmin, aSnapshot({ users: [keyAdmin], keys: [key] }))).toHaveLength(1);
  });

  it('GIVEN "*" admin narrowed by aws:PrincipalArn to the user WHEN guarded THEN sole administrator', () => {
    const key = soleAdminKey([{ ...adminStatement('*'), Condition: { ArnEquals: { 'aws:PrincipalArn': keyAdmin.arn } } }]);
    expect(run(kmsSoleAdminGuard, keyAdmin, aSnapshot({ users: [keyAdmin], keys: [key] }))).toHaveLength(1);
  });

  it('GIVEN "*" admin with no identity condition WHEN guarded THEN not sole administrator', () => {
    const key = soleAdminKey([adminStatement('*'), adminStatement({ AWS: keyAdmin.arn })]);
    expect(run(kmsSoleAdminGuard, keyAdmin, aSnapshot({ users: [keyAdmin], keys: [key] }))).toEqual([]);
  });
});

describe('kms-grant guard', () => {
  const reportGenerator = aUser({ name: 'report-generator' });

  it.each([
    ['GranteePrincipal by ARN', { granteePrincipal: reportGenerator.arn }, 'grantee'],
    [
      'GranteePrincipal by ARN in other case',
      { granteePrincipal: reportGenerator.arn.toUpperCase().replace('ARN:AWS:IAM', 'arn:aws:iam') },
      'grantee',
    ],
    ['GranteePrincipal by unique id', { granteePrincipal: reportGenerator.userId }, 'grantee'],
    ['RetiringPrincipal by ARN', { retiringPrincipal: reportGenerator.arn }, 'retiring principal'],
  ])('GIVEN a grant with %s WHEN guarded THEN a finding on the grant key', (_label, grant, role) => {
    const key = aKmsKey({ grants: [aGrant({ grantId: 'g-1', ...grant })] });
    const findings = run(kmsGrantGuard, reportGenerator, aSnapshot({ users: [reportGenerator], keys: [key] }));
    expect(findings).toHaveLength(1);
    expect(findings[0]).toMatchObject({ kind: 'kms-grant', resource: key.arn, region: 'us-east-1' });
    expect(findings[0]?.message).toContain(role);
    expect(findings[0]?.message).toContain('g-1');
  });

  it('GIVEN grants to other principals only WHEN guarded THEN no finding', () => {
    const key = aKmsKey({
      grants: [aGrant({ granteePrincipal: userArn('report-generator-2'), retiringPrincipal: `arn:aws:iam::${ACCOUNT}:role/x` })],
    });
    expect(run(kmsGrantGuard, reportGenerator, aSnapshot({ users: [reportGenerator], keys: [key] }))).toEqual([]);
  });

  it('GIVEN two keys whose grants name the user several ways WHEN guarded THEN one finding per key, in scan order, each grant role once', () => {
    const first = aKmsKey({
      keyId: 'key-1',
      grants: [
        aGrant({ grantId: 'g-a', granteePrincipal: userArn('someone-else'), retiringPrincipal: reportGenerator.userId }),
        aGrant({ grantId: 'g-b', granteePrincipal: reportGenerator.arn, retiringPrincipal: reportGenerator.arn.toLowerCase() }),
      ],
    });
    const second = aKmsKey({ keyId: 'key-2', grants: [aGrant({ grantId: 'g-c', granteePrincipal: reportGenerator.userId })] });
    const other = aKmsKey({ keyId: 'key-3', grants: [aGrant({ grantId: 'g-d', granteePrincipal: userArn('someone-else') })] });
    const findings = run(kmsGrantGuard, reportGenerator, aSnapshot({ users: [reportGenerator], keys: [first, other, second] }));
    expect(findings.map((f) => f.resource)).toEqual([first.arn, second.arn]);
    const message = findings[0]?.message ?? '';
    expect(message.match(/grant g-[a-d]/g)).toEqual(['grant g-a', 'grant g-b', 'grant g-b']);
    expect(message.indexOf('retiring principal of grant g-a')).toBeLessThan(message.indexOf('grantee of grant g-b'));
    expect(message.indexOf('grantee of grant g-b')).toBeLessThan(message.indexOf('retiring principal of grant g-b'));
    expect(findings[1]?.message).toContain('grantee of grant g-c');
  });
});

describe('role-trust guard', () => {
  const jenkins = aUser({ name: 'jenkins-legacy' });

  it('GIVEN a role whose trust policy names the user WHEN guarded THEN a finding with the role ARN', () => {
    const role = aRole({
      name: 'legacy-deploy',
      trustPolicy: { Statement: { Effect: 'Allow', Principal: { AWS: jenkins.arn }, Action: 'sts:AssumeRole' } },
    });
    const findings = run(roleTrustGuard, jenkins, aSnapshot({ users: [jenkins], roles: [role] }));
    expect(findings).toEqual([expect.objectContaining({ kind: 'role-trust', resource: role.arn, region: null, blocksRun: false })]);
    expect(findings[0]?.message).toContain('legacy-deploy');
  });

  it('GIVEN a role trusting only the account root WHEN guarded THEN no finding', () => {
    expect(run(roleTrustGuard, jenkins, aSnapshot({ users: [jenkins], roles: [aRole({ name: 'platform-admin' })] }))).toEqual([]);
  });
});

describe('caller guard', () => {
  const ci = aUser({ name: 'ci-bootstrap' });
  const callerIs = (user: UserFacts) => ({
    account: ACCOUNT,
    arn: user.arn,
    userId: user.userId,
    kind: 'user' as const,
    userName: user.name,
  });

  it('GIVEN the caller is this user WHEN guarded THEN a high finding', () => {
    expect(run(callerGuard, ci, aSnapshot({ users: [ci], caller: callerIs(ci) }))).toEqual([
      expect.objectContaining({ kind: 'caller', severity: 'high' }),
    ]);
  });

  it('GIVEN the caller is another user or a role WHEN guarded THEN no finding', () => {
    expect(run(callerGuard, ci, aSnapshot({ users: [ci], caller: callerIs(aUser({ name: 'other' })) }))).toEqual([]);
    expect(run(callerGuard, ci, aSnapshot({ users: [ci] }))).toEqual([]);
  });

  describe('with --assume-role (the caller is the assumed role, baseCaller the user owning the base credentials)', () => {
    it('GIVEN baseCaller is this user WHEN guarded THEN a high finding naming the base credentials and the role session', () => {
      const findings = run(callerGuard, ci, aSnapshot({ users: [ci], baseCaller: callerIs(ci) }));
      expect(findings).toEqual([expect.objectContaining({ kind: 'caller', severity: 'high', resource: ci.arn, blocksRun: false })]);
      expect(findings[0]?.message).toContain('base credentials');
      expect(findings[0]?.message).toContain('assumed-role/iam-allowlist/ci');
    });

    it('GIVEN baseCaller names the user by ARN in another case only WHEN guarded THEN a finding', () => {
      const base = {
        account: ACCOUNT,
        arn: ci.arn.replace('ci-bootstrap', 'CI-Bootstrap'),
        userId: 'AIDAOTHERIDXXXXXXXX',
        kind: 'user' as const,
      };
      expect(run(callerGuard, ci, aSnapshot({ users: [ci], baseCaller: base }))).toHaveLength(1);
    });

    it("GIVEN baseCaller has the user's unique id only (ARN of another account) WHEN guarded THEN a finding", () => {
      const base = {
        account: '444455556666',
        arn: 'arn:aws:iam::444455556666:user/renamed',
        userId: ci.userId,
        kind: 'user' as const,
        userName: 'renamed',
      };
      expect(run(callerGuard, ci, aSnapshot({ users: [ci], baseCaller: base }))).toHaveLength(1);
    });

    it('GIVEN baseCaller is a same-name user of ANOTHER account WHEN guarded THEN no finding', () => {
      const base = {
        account: '444455556666',
        arn: 'arn:aws:iam::444455556666:user/ci-bootstrap',
        userId: 'AIDAOTHERACCOUNTXX',
        kind: 'user' as const,
        userName: 'ci-bootstrap',
      };
      expect(run(callerGuard, ci, aSnapshot({ users: [ci], baseCaller: base }))).toEqual([]);
    });

    it('GIVEN baseCaller is another user, null or absent WHEN guarded THEN no finding', () => {
      expect(run(callerGuard, ci, aSnapshot({ users: [ci], baseCaller: callerIs(aUser({ name: 'other' })) }))).toEqual([]);
      expect(run(callerGuard, ci, aSnapshot({ users: [ci], baseCaller: null }))).toEqual([]);
      expect(run(callerGuard, ci, aSnapshot({ users: [ci] }))).toEqual([]);
    });

    it('GIVEN baseCaller is this undeclared user WHEN planned THEN hold, never delete', () => {
      const result = plan(aSnapshot({ users: [ci], baseCaller: callerIs(ci) }), anAllowlist(), NOW);
      expect(result.users[0]).toMatchObject({ decision: 'hold', intended: 'delete' });
      expect(result.users[0]?.guards.map((guard) => guard.kind)).toEqual(['caller']);
    });
  });
});

describe('protected guard', () => {
  const breakGlass = aUser({ name: 'break-glass' });

  it('GIVEN an expired protect:true declaration WHEN a removal is intended THEN held as protected', () => {
    const allowlist = anAllowlist({ users: [aDeclared({ name: 'break-glass', protect: true, expires: dateIn(-3) })] });
    const findings = run(protectedGuard, breakGlass, aSnapshot({ users: [breakGlass] }), allowlist, 'quarantine');
    expect(findings).toEqual([expect.objectContaining({ kind: 'protected', blocksRun: false })]);
    expect(findings[0]?.message).toContain('never quarantined');
  });

  it('GIVEN a declaration without protect WHEN guarded THEN no finding', () => {
    const allowlist = anAllowlist({ users: [aDeclared({ name: 'break-glass', expires: dateIn(-3) })] });
    expect(run(protectedGuard, breakGlass, aSnapshot({ users: [breakGlass] }), allowlist)).toEqual([]);
  });

  it('GIVEN a protect:true entry at /admins/ and the live user moved to / WHEN a removal is intended THEN held, naming both paths', () => {
    const allowlist = anAllowlist({ users: [aDeclared({ name: 'Break-Glass', path: '/admins/', protect: true })] });
    const findings = run(protectedGuard, breakGlass, aSnapshot({ users: [breakGlass] }), allowlist);
    expect(findings).toEqual([expect.objectContaining({ kind: 'protected', severity: 'high', blocksRun: false })]);
    expect(findings[0]?.message).toContain('moved');
    expect(findings[0]?.message).toContain('/admins/');
    expect(findings[0]?.message).toContain('at /:');
    expect(findings[0]?.message).toContain('never deleted');
  });

  it('GIVEN an entry without protect at another path WHEN guarded THEN no finding (control case)', () => {
    const allowlist = anAllowlist({ users: [aDeclared({ name: 'break-glass', path: '/admins/' })] });
    expect(run(protectedGuard, breakGlass, aSnapshot({ users: [breakGlass] }), allowlist)).toEqual([]);
  });

  it('GIVEN a moved protect:true user WHEN planned THEN hold (would delete), never delete', () => {
    const allowlist = anAllowlist({ users: [aDeclared({ name: 'break-glass', path: '/admins/', protect: true })] });
    const result = plan(aSnapshot({ users: [breakGlass] }), allowlist, NOW);
    expect(result.users[0]).toMatchObject({ decision: 'hold', intended: 'delete' });
    expect(result.users[0]?.reasons[0]).toContain('protect: true at path /admins/');
  });
});

describe('recently-active guard', () => {
  const shadow = (daysSinceUse: number) =>
    aUser({ name: 'shadow-it-user', activity: { accessKeys: [aKey({ lastUsed: daysAgo(daysSinceUse) })] } });

  it('GIVEN a key used 2 days ago (window 7) WHEN guarded THEN hold', () => {
    const user = shadow(2);
    expect(run(recentlyActiveGuard, user, aSnapshot({ users: [user] }))).toEqual([
      expect.objectContaining({ kind: 'recently-active', effect: 'hold' }),
    ]);
  });

  it('GIVEN a key used 2 days ago and recentlyActive "quarantine" WHEN a delete is intended THEN quarantine instead', () => {
    const user = shadow(2);
    const findings = run(
      recentlyActiveGuard,
      user,
      aSnapshot({ users: [user] }),
      anAllowlist({ guards: { recentlyActive: 'quarantine' } }),
    );
    expect(findings).toEqual([expect.objectContaining({ effect: 'quarantine' })]);
  });

  it('GIVEN a password used 3 days ago WHEN guarded THEN hold', () => {
    const user = aUser({ name: 'p', activity: { passwordEnabled: true, passwordLastUsed: daysAgo(3) } });
    expect(run(recentlyActiveGuard, user, aSnapshot({ users: [user] }))).toHaveLength(1);
  });

  it('GIVEN last use 30 days ago WHEN guarded THEN no finding', () => {
    const user = shadow(30);
    expect(run(recentlyActiveGuard, user, aSnapshot({ users: [user] }))).toEqual([]);
  });

  it('GIVEN unknown activity (no credential report row) WHEN guarded THEN hold, even in quarantine mode', () => {
    const user = aUser({ name: 'mystery', activity: { passwordEnabled: null } });
    const findings = run(
      recentlyActiveGuard,
      user,
      aSnapshot({ users: [user] }),
      anAllowlist({ guards: { recentlyActive: 'quarantine' } }),
    );
    expect(findings).toEqual([expect.objectContaining({ effect: 'hold' })]);
  });
});
