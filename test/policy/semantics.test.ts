/**
 * Issue 11: the exact semantics of NotPrincipal, policy variables, escapes, policy versions and dead
 * unique ids, for KMS key policies and role trust policies alike. Each case states what the guards
 * conclude for one user: referenced or not, the severity, and (key policies) sole administrator or not.
 */
import type { Snapshot, UserFacts } from '../../src/model/snapshot';
import { buildContext } from '../../src/plan/context';
import { kmsKeyPolicyGuard } from '../../src/plan/guards/kms-key-policy';
import { kmsSoleAdminGuard } from '../../src/plan/guards/kms-sole-admin';
import { roleTrustGuard } from '../../src/plan/guards/role-trust';
import { evaluateUserGuard, type GuardResult, type UserGuardRecord } from '../../src/plan/guards/types';
import { matchDeclared } from '../../src/plan/match';
import { ACCOUNT, aKmsKey, anAllowlist, aRole, aSnapshot, aUser, NOW, userArn } from '../plan/fixtures';

const ROOT = `arn:aws:iam::${ACCOUNT}:root`;
const vera = aUser({ name: 'vera' });
const hank = aUser({ name: 'hank' });
const analyst = aUser({ name: 'analyst', path: '/data/' });
const platformRole = aRole({ name: 'platform-admin' });
const users = [vera, hank, analyst];
const byName: Readonly<Record<string, UserFacts>> = { vera, hank, analyst };

const V2012 = '2012-10-17';
const V2008 = '2008-10-17';
const rootAdmin = { Sid: 'Root', Effect: 'Allow', Principal: { AWS: ROOT }, Action: 'kms:*', Resource: '*' };
const adminOf = (principal: string) => ({ Sid: 'Admin', Effect: 'Allow', Principal: { AWS: principal }, Action: 'kms:*', Resource: '*' });
const DEAD_USER_ID = 'AIDADEADDEADDEADDEAD1';
const DEAD_ROLE_ID = 'AROADEADDEADDEADDEAD2';

function document(version: string | null, ...statements: object[]): object {
  return version === null ? { Statement: statements } : { Version: version, Statement: statements };
}

/** `Allow "*" <action>` when the condition selects the principal. */
function allowEveryoneIf(action: string, operator: string, key: string, value: string | readonly string[]): object {
  return {
    Sid: 'Use',
    Effect: 'Allow',
    Principal: { AWS: '*' },
    Action: action,
    Resource: '*',
    Condition: { [operator]: { [key]: value } },
  };
}

function run(guard: UserGuardRecord, user: UserFacts, snapshot: Snapshot): GuardResult[] {
  const allowlist = anAllowlist();
  const subject = { user, match: matchDeclared(allowlist, user, NOW), intended: 'delete' as const };
  return [...evaluateUserGuard(guard, buildContext(snapshot, allowlist, NOW), subject)];
}

interface Outcome {
  readonly referenced: boolean;
  readonly severity: string | null;
  readonly soleAdmin: boolean;
}

/** What the two key-policy guards conclude for `user` about a key with this policy. */
function keyOutcome(policy: object, user: UserFacts): Outcome & { readonly detail: string } {
  const snapshot = aSnapshot({ users, roles: [platformRole], keys: [aKmsKey({ policy })] });
  const findings = [...run(kmsKeyPolicyGuard, user, snapshot), ...run(kmsSoleAdminGuard, user, snapshot)];
  return {
    referenced: findings.length > 0,
    severity: findings[0]?.severity ?? null,
    soleAdmin: findings.some((finding) => finding.kind === 'kms-sole-admin'),
    detail: findings.map((finding) => finding.message).join('\n'),
  };
}

/** What the role-trust guard concludes for `user` about a role with this trust policy. */
function trustOutcome(trustPolicy: object, user: UserFacts): Omit<Outcome, 'soleAdmin'> & { readonly detail: string } {
  const findings = run(roleTrustGuard, user, aSnapshot({ users, roles: [aRole({ name: 'deploy', trustPolicy }), platformRole] }));
  return { referenced: findings.length > 0, severity: findings[0]?.severity ?? null, detail: findings.map((f) => f.message).join('\n') };
}

/** The phrases that say how a finding references the user (NotPrincipal used to be a reference to everyone). */
const NAMED_BY_NOT_PRINCIPAL = 'NotPrincipal names, which include it';
const SELECTED_BY_CONDITION = 'selects it through Condition';

const NOT_REFERENCED: Outcome = { referenced: false, severity: null, soleAdmin: false };
const REFERENCED: Outcome = { referenced: true, severity: 'critical', soleAdmin: false };
const SOLE_ADMIN: Outcome = { referenced: true, severity: 'critical', soleAdmin: true };

/**
 * [what the policy is, the user guarded, the policy, the outcome, a phrase the finding must contain].
 * Every case has all five (detail null when none): jest reads a parameter beyond the row as its `done` callback.
 */
type KeyCase = readonly [label: string, user: string, policy: object, expected: Outcome, detail: string | null];

const KEY_CASE_TITLE = 'GIVEN a key policy with %s WHEN %s is guarded THEN the outcome is as stated';

/** THEN for one KeyCase: the outcome, and the phrase when the case names one. */
function expectKeyCase(...[, user, policy, expected, detail]: KeyCase): void {
  const outcome = keyOutcome(policy, byName[user] as UserFacts);
  expect(outcome).toMatchObject(expected);
  if (detail !== null) expect(outcome.detail).toContain(detail);
}

describe('KMS key policies: policy variables and versions', () => {
  const veraByAccountVariable = `arn:aws:iam::\${aws:PrincipalAccount}:user/vera`;
  const cases: KeyCase[] = [
    [
      '2012-10-17, Condition aws:PrincipalArn = arn:…:${aws:PrincipalAccount}:user/vera',
      'vera',
      document(V2012, rootAdmin, allowEveryoneIf('kms:Decrypt', 'StringEquals', 'aws:PrincipalArn', veraByAccountVariable)),
      REFERENCED,
      null,
    ],
    [
      '2012-10-17, the same condition, for another user',
      'hank',
      document(V2012, rootAdmin, allowEveryoneIf('kms:Decrypt', 'StringEquals', 'aws:PrincipalArn', veraByAccountVariable)),
      NOT_REFERENCED,
      null,
    ],
    [
      '2008-10-17, the same condition (${…} is literal text)',
      'vera',
      document(V2008, rootAdmin, allowEveryoneIf('kms:Decrypt', 'StringEquals', 'aws:PrincipalArn', veraByAccountVariable)),
      NOT_REFERENCED,
      null,
    ],
    [
      'no Version, the same condition (2008-10-17: literal text)',
      'vera',
      document(null, rootAdmin, allowEveryoneIf('kms:Decrypt', 'StringEquals', 'aws:PrincipalArn', veraByAccountVariable)),
      NOT_REFERENCED,
      null,
    ],
    [
      '2012-10-17, variable name in other case ${AWS:principalaccount}',
      'vera',
      document(
        V2012,
        rootAdmin,
        allowEveryoneIf('kms:Decrypt', 'ArnEquals', 'aws:PrincipalArn', `arn:aws:iam::\${AWS:principalaccount}:user/vera`),
      ),
      REFERENCED,
      null,
    ],
    [
      '2012-10-17, aws:PrincipalArn = …:user/${aws:username} (every user by its own name)',
      'vera',
      document(
        V2012,
        rootAdmin,
        allowEveryoneIf('kms:Decrypt', 'StringEquals', 'aws:PrincipalArn', `arn:aws:iam::${ACCOUNT}:user/\${aws:username}`),
      ),
      REFERENCED,
      null,
    ],
    [
      '2012-10-17, aws:username = ${aws:PrincipalType} (known: "User", not vera)',
      'vera',
      document(V2012, rootAdmin, allowEveryoneIf('kms:Decrypt', 'StringEquals', 'aws:username', '${aws:PrincipalType}')),
      NOT_REFERENCED,
      null,
    ],
    [
      '2012-10-17, an unknown variable …:user/${aws:PrincipalTag/team} (may match anyone)',
      'vera',
      document(
        V2012,
        rootAdmin,
        allowEveryoneIf('kms:Decrypt', 'StringLike', 'aws:PrincipalArn', `arn:aws:iam::${ACCOUNT}:user/\${aws:PrincipalTag/team}`),
      ),
      REFERENCED,
      null,
    ],
    [
      '2008-10-17, the same unknown variable (literal text)',
      'vera',
      document(
        V2008,
        rootAdmin,
        allowEveryoneIf('kms:Decrypt', 'StringLike', 'aws:PrincipalArn', `arn:aws:iam::${ACCOUNT}:user/\${aws:PrincipalTag/team}`),
      ),
      NOT_REFERENCED,
      null,
    ],
    [
      '2012-10-17, unknown variable in StringEquals aws:username',
      'vera',
      document(V2012, rootAdmin, allowEveryoneIf('kms:Decrypt', 'StringEquals', 'aws:username', '${aws:PrincipalTag/owner}')),
      REFERENCED,
      null,
    ],
    [
      '2012-10-17, Principal arn:…:${aws:PrincipalAccount}:user/vera',
      'vera',
      document(V2012, rootAdmin, {
        Sid: 'Use',
        Effect: 'Allow',
        Principal: { AWS: veraByAccountVariable },
        Action: 'kms:Decrypt',
        Resource: '*',
      }),
      REFERENCED,
      null,
    ],
    [
      '2012-10-17, Principal arn:…:${aws:PrincipalAccount}:user/vera, for another user',
      'hank',
      document(V2012, rootAdmin, {
        Sid: 'Use',
        Effect: 'Allow',
        Principal: { AWS: veraByAccountVariable },
        Action: 'kms:Decrypt',
        Resource: '*',
      }),
      NOT_REFERENCED,
      null,
    ],
    [
      '2012-10-17, the only key administrator named through a variable (no root statement)',
      'vera',
      document(V2012, {
        Sid: 'Admin',
        Effect: 'Allow',
        Principal: { AWS: '*' },
        Action: 'kms:*',
        Resource: '*',
        Condition: { StringEquals: { 'aws:PrincipalArn': veraByAccountVariable } },
      }),
      SOLE_ADMIN,
      null,
    ],
    [
      '2012-10-17, a Deny exempting …:${aws:PrincipalAccount}:user/vera from kms:*',
      'vera',
      document(V2012, rootAdmin, adminOf(vera.arn), {
        Sid: 'OnlyVera',
        Effect: 'Deny',
        Principal: '*',
        Action: 'kms:*',
        Resource: '*',
        Condition: { StringNotEquals: { 'aws:PrincipalArn': veraByAccountVariable } },
      }),
      SOLE_ADMIN,
      null,
    ],
  ];
  it.each(cases)(KEY_CASE_TITLE, expectKeyCase);
});

describe('KMS key policies: escapes ${*} ${?} ${$} are literal characters', () => {
  const cases: KeyCase[] = [
    [
      '2012-10-17, StringLike aws:PrincipalArn …:user/v${*} (a literal "*", not a wildcard)',
      'vera',
      document(V2012, rootAdmin, allowEveryoneIf('kms:Decrypt', 'StringLike', 'aws:PrincipalArn', `arn:aws:iam::${ACCOUNT}:user/v\${*}`)),
      NOT_REFERENCED,
      null,
    ],
    [
      '2012-10-17, StringLike aws:username ver${?} (a literal "?")',
      'vera',
      document(V2012, rootAdmin, allowEveryoneIf('kms:Decrypt', 'StringLike', 'aws:username', 'ver${?}')),
      NOT_REFERENCED,
      null,
    ],
    [
      '2012-10-17, StringLike aws:username ${$}{aws:username} (a literal "$", so no variable)',
      'vera',
      document(V2012, rootAdmin, allowEveryoneIf('kms:Decrypt', 'StringLike', 'aws:username', '${$}{aws:username}')),
      NOT_REFERENCED,
      null,
    ],
    [
      '2012-10-17, StringLike aws:username v* next to the escape ${*}',
      'vera',
      document(V2012, rootAdmin, allowEveryoneIf('kms:Decrypt', 'StringLike', 'aws:username', ['v*', 'x${*}'])),
      REFERENCED,
      null,
    ],
  ];
  it.each(cases)(KEY_CASE_TITLE, expectKeyCase);
});

describe('KMS key policies: NotPrincipal', () => {
  const denyAllButVera = { Sid: 'OnlyVera', Effect: 'Deny', NotPrincipal: { AWS: [vera.arn, ROOT] }, Action: 'kms:*', Resource: '*' };
  const cases: KeyCase[] = [
    [
      'Deny NotPrincipal [vera, root] kms:* ("deny everyone but vera")',
      'vera',
      document(V2012, rootAdmin, denyAllButVera),
      REFERENCED,
      NAMED_BY_NOT_PRINCIPAL,
    ],
    [
      'Deny NotPrincipal [vera, root] kms:*, for a user it does not name',
      'hank',
      document(V2012, rootAdmin, denyAllButVera),
      NOT_REFERENCED,
      null,
    ],
    [
      'Deny NotPrincipal [vera] kms:PutKeyPolicy next to Allow root and Allow vera',
      'vera',
      document(V2012, rootAdmin, adminOf(vera.arn), {
        Sid: 'OnlyVera',
        Effect: 'Deny',
        NotPrincipal: { AWS: vera.arn },
        Action: 'kms:PutKeyPolicy',
        Resource: '*',
      }),
      SOLE_ADMIN,
      'denies kms:PutKeyPolicy to every other principal',
    ],
    [
      'Deny NotPrincipal [vera, hank] kms:PutKeyPolicy next to Allow root, vera and hank',
      'vera',
      document(V2012, rootAdmin, adminOf(vera.arn), adminOf(hank.arn), {
        Sid: 'Few',
        Effect: 'Deny',
        NotPrincipal: { AWS: [vera.arn, hank.arn] },
        Action: 'kms:PutKeyPolicy',
        Resource: '*',
      }),
      REFERENCED,
      null,
    ],
    [
      'Deny NotPrincipal naming vera by unique id',
      'vera',
      document(V2012, rootAdmin, { Effect: 'Deny', NotPrincipal: { AWS: vera.userId }, Action: 'kms:Decrypt', Resource: '*' }),
      REFERENCED,
      NAMED_BY_NOT_PRINCIPAL,
    ],
    [
      'Deny NotPrincipal naming vera in upper case',
      'vera',
      document(V2012, rootAdmin, {
        Effect: 'Deny',
        NotPrincipal: { AWS: vera.arn.replace('vera', 'VERA') },
        Action: 'kms:Decrypt',
        Resource: '*',
      }),
      REFERENCED,
      NAMED_BY_NOT_PRINCIPAL,
    ],
    [
      'Deny NotPrincipal with a wildcard …:user/ve*',
      'vera',
      document(V2012, rootAdmin, { Effect: 'Deny', NotPrincipal: { AWS: userArn('ve*') }, Action: 'kms:Decrypt', Resource: '*' }),
      REFERENCED,
      NAMED_BY_NOT_PRINCIPAL,
    ],
    [
      'Deny NotPrincipal naming /data/analyst by its ARN with path',
      'analyst',
      document(V2012, rootAdmin, { Effect: 'Deny', NotPrincipal: { AWS: analyst.arn }, Action: 'kms:Decrypt', Resource: '*' }),
      REFERENCED,
      NAMED_BY_NOT_PRINCIPAL,
    ],
    [
      'Deny NotPrincipal naming analyst without its path (another principal)',
      'analyst',
      document(V2012, rootAdmin, { Effect: 'Deny', NotPrincipal: { AWS: userArn('analyst') }, Action: 'kms:Decrypt', Resource: '*' }),
      NOT_REFERENCED,
      null,
    ],
    [
      'Allow NotPrincipal [vera] kms:Decrypt (vera is excluded)',
      'vera',
      document(V2012, rootAdmin, { Effect: 'Allow', NotPrincipal: { AWS: vera.arn }, Action: 'kms:Decrypt', Resource: '*' }),
      NOT_REFERENCED,
      null,
    ],
    [
      'Allow NotPrincipal [hank] kms:Decrypt (everyone but hank, as "*")',
      'vera',
      document(V2012, rootAdmin, { Effect: 'Allow', NotPrincipal: { AWS: hank.arn }, Action: 'kms:Decrypt', Resource: '*' }),
      NOT_REFERENCED,
      null,
    ],
    [
      'Allow NotPrincipal [hank] kms:* selecting vera by Condition, no other administrator',
      'vera',
      document(V2012, {
        Effect: 'Allow',
        NotPrincipal: { AWS: hank.arn },
        Action: 'kms:*',
        Resource: '*',
        Condition: { StringEquals: { 'aws:username': 'vera' } },
      }),
      SOLE_ADMIN,
      null,
    ],
    [
      'Allow vera kms:* and Allow NotPrincipal [vera] kms:PutKeyPolicy (others administer)',
      'vera',
      document(V2012, adminOf(vera.arn), { Effect: 'Allow', NotPrincipal: { AWS: vera.arn }, Action: 'kms:PutKeyPolicy', Resource: '*' }),
      REFERENCED,
      null,
    ],
  ];
  it.each(cases)(KEY_CASE_TITLE, expectKeyCase);

  it('GIVEN a Deny NotPrincipal naming the user WHEN guarded THEN the message says it is an exception of that Deny', () => {
    expect(keyOutcome(document(V2012, rootAdmin, denyAllButVera), vera).detail).toContain(
      `"OnlyVera" denies kms:* to every principal but those its NotPrincipal names, which include it (${vera.arn})`,
    );
  });

  it('GIVEN one hardened key ("deny everyone but vera"), guards.kms block WHEN the other users are guarded THEN none is held', () => {
    const snapshot = aSnapshot({ users, roles: [platformRole], keys: [aKmsKey({ policy: document(V2012, rootAdmin, denyAllButVera) })] });
    for (const user of [hank, analyst]) expect(run(kmsKeyPolicyGuard, user, snapshot)).toEqual([]);
  });
});

describe('KMS key policies: unique ids of deleted principals', () => {
  const cases: KeyCase[] = [
    [
      'Allow vera and Allow a dead user id AIDA… kms:* (no root statement)',
      'vera',
      document(V2012, adminOf(vera.arn), adminOf(DEAD_USER_ID)),
      SOLE_ADMIN,
      null,
    ],
    [
      'Allow vera and Allow a dead role id AROA… kms:* (no root statement)',
      'vera',
      document(V2012, adminOf(vera.arn), adminOf(DEAD_ROLE_ID)),
      SOLE_ADMIN,
      null,
    ],
    [
      'Allow vera and Allow [dead id, hank] kms:* (the live one still counts)',
      'vera',
      document(V2012, adminOf(vera.arn), {
        Sid: 'Others',
        Effect: 'Allow',
        Principal: { AWS: [DEAD_USER_ID, hank.arn] },
        Action: 'kms:*',
        Resource: '*',
      }),
      REFERENCED,
      null,
    ],
    [
      'Allow vera, a dead id and the live role id AROA… of platform-admin kms:*',
      'vera',
      document(V2012, adminOf(vera.arn), adminOf(DEAD_USER_ID), adminOf(platformRole.roleId)),
      REFERENCED,
      null,
    ],
    [
      'Allow vera and the live user id AIDA… of hank kms:*',
      'vera',
      document(V2012, adminOf(vera.arn), adminOf(hank.userId)),
      REFERENCED,
      null,
    ],
  ];
  it.each(cases)(KEY_CASE_TITLE, expectKeyCase);
});

type TrustCase = readonly [label: string, user: string, policy: object, expected: Omit<Outcome, 'soleAdmin'>, detail: string | null];

describe('role trust policies: the same shapes, the same analysis', () => {
  const TRUSTED = { referenced: true, severity: 'high' };
  const TRUSTED_EXCEPTION = { referenced: true, severity: 'critical' };
  const NOT_TRUSTED = { referenced: false, severity: null };
  const rootTrust = { Sid: 'Root', Effect: 'Allow', Principal: { AWS: ROOT }, Action: 'sts:AssumeRole' };
  const assumeIf = (operator: string, key: string, value: string) => ({
    ...allowEveryoneIf('sts:AssumeRole', operator, key, value),
    Resource: undefined,
  });
  const veraByAccountVariable = `arn:aws:iam::\${aws:PrincipalAccount}:user/vera`;
  const cases: TrustCase[] = [
    [
      '2012-10-17, Condition aws:PrincipalArn = arn:…:${aws:PrincipalAccount}:user/vera',
      'vera',
      document(V2012, assumeIf('StringEquals', 'aws:PrincipalArn', veraByAccountVariable)),
      TRUSTED,
      null,
    ],
    [
      '2012-10-17, the same condition, for another user',
      'hank',
      document(V2012, assumeIf('StringEquals', 'aws:PrincipalArn', veraByAccountVariable)),
      NOT_TRUSTED,
      null,
    ],
    [
      '2008-10-17, the same condition (literal text)',
      'vera',
      document(V2008, assumeIf('StringEquals', 'aws:PrincipalArn', veraByAccountVariable)),
      NOT_TRUSTED,
      null,
    ],
    [
      'no Version, the same condition (literal text)',
      'vera',
      document(null, assumeIf('StringEquals', 'aws:PrincipalArn', veraByAccountVariable)),
      NOT_TRUSTED,
      null,
    ],
    [
      '2012-10-17, an unknown variable …:user/${aws:PrincipalTag/team}',
      'vera',
      document(V2012, assumeIf('ArnLike', 'aws:PrincipalArn', `arn:aws:iam::${ACCOUNT}:user/\${aws:PrincipalTag/team}`)),
      TRUSTED,
      null,
    ],
    [
      '2012-10-17, Principal arn:…:${aws:PrincipalAccount}:user/vera',
      'vera',
      document(V2012, { Effect: 'Allow', Principal: { AWS: veraByAccountVariable }, Action: 'sts:AssumeRole' }),
      TRUSTED,
      null,
    ],
    [
      '2012-10-17, StringLike aws:username ver${?} (a literal "?")',
      'vera',
      document(V2012, assumeIf('StringLike', 'aws:username', 'ver${?}')),
      NOT_TRUSTED,
      null,
    ],
    [
      'Deny NotPrincipal [vera, root] sts:AssumeRole next to Allow root',
      'vera',
      document(V2012, rootTrust, { Effect: 'Deny', NotPrincipal: { AWS: [vera.arn, ROOT] }, Action: 'sts:AssumeRole' }),
      TRUSTED_EXCEPTION,
      NAMED_BY_NOT_PRINCIPAL,
    ],
    [
      'Deny NotPrincipal [vera, root] sts:AssumeRole, for a user it does not name',
      'hank',
      document(V2012, rootTrust, { Effect: 'Deny', NotPrincipal: { AWS: [vera.arn, ROOT] }, Action: 'sts:AssumeRole' }),
      NOT_TRUSTED,
      null,
    ],
    [
      'Deny "*" sts:AssumeRole unless aws:PrincipalArn = vera',
      'vera',
      document(V2012, rootTrust, {
        Effect: 'Deny',
        Principal: '*',
        Action: 'sts:AssumeRole',
        Condition: { ArnNotEquals: { 'aws:PrincipalArn': vera.arn } },
      }),
      TRUSTED_EXCEPTION,
      null,
    ],
    [
      'Allow NotPrincipal [vera] sts:AssumeRole (vera is excluded)',
      'vera',
      document(V2012, { Effect: 'Allow', NotPrincipal: { AWS: vera.arn }, Action: 'sts:AssumeRole' }),
      NOT_TRUSTED,
      null,
    ],
    [
      'Allow NotPrincipal [hank] sts:AssumeRole (everyone but hank, as "*")',
      'vera',
      document(V2012, { Effect: 'Allow', NotPrincipal: { AWS: hank.arn }, Action: 'sts:AssumeRole' }),
      NOT_TRUSTED,
      null,
    ],
    [
      'Allow NotPrincipal [hank] sts:AssumeRole selecting vera by Condition',
      'vera',
      document(V2012, {
        Effect: 'Allow',
        NotPrincipal: { AWS: hank.arn },
        Action: 'sts:AssumeRole',
        Condition: { StringEquals: { 'aws:username': 'vera' } },
      }),
      TRUSTED,
      SELECTED_BY_CONDITION,
    ],
  ];
  it.each(cases)(
    'GIVEN a trust policy with %s WHEN %s is guarded THEN the outcome is as stated',
    (_label, user, policy, expected, detail) => {
      const outcome = trustOutcome(policy, byName[user] as UserFacts);
      expect(outcome).toMatchObject(expected);
      if (detail !== null) expect(outcome.detail).toContain(detail);
    },
  );
});
