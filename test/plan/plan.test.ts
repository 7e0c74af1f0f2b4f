/** plan() end to end on snapshots built in memory. */
import type { Plan, UserPlan } from '../../src/model/plan';
import { blockingFindings, plan, plannedActions } from '../../src/plan/plan';
import {
  aDeclared,
  aKey,
  aKmsKey,
  anAllowlist,
  anException,
  aScanError,
  aSnapshot,
  aUser,
  dateIn,
  daysAgo,
  NOW,
  policyWith,
} from './fixtures';
import { sandboxAllowlist, sandboxSnapshot, users } from './scenario';

function byName(result: Plan, name: string): UserPlan {
  const user = result.users.find((candidate) => candidate.name === name);
  if (user === undefined) throw new Error(`no user ${name} in plan`);
  return user;
}

describe('plan() on the sandbox-like account', () => {
  const result = plan(sandboxSnapshot(), sandboxAllowlist(), NOW);
  const decisions = Object.fromEntries(result.users.map((user) => [user.name, user.decision]));

  it('GIVEN the sample allowlist WHEN planned THEN every user gets the expected decision', () => {
    expect(decisions).toEqual({
      alice: 'keep',
      'analytics-reader': 'hold',
      bob: 'keep',
      'break-glass': 'keep',
      'ci-bootstrap': 'hold',
      'data-pipeline': 'hold',
      'deploy-bot': 'keep',
      'former-contractor': 'quarantine',
      'jenkins-legacy': 'hold',
      'key-admin-legacy': 'hold',
      'legacy-etl': 'delete',
      'old-admin': 'delete',
      'report-generator': 'hold',
      'shadow-it-user': 'hold',
      'temp-deploy-user': 'delete',
    });
    expect(result.summary).toEqual({ users: 15, keep: 4, delete: 3, quarantine: 1, hold: 7, report: 0 });
  });

  it('GIVEN held users WHEN planned THEN the first reason names the guard that holds them', () => {
    expect(byName(result, 'data-pipeline').guards.map((g) => g.kind)).toEqual(['kms-key-policy']);
    expect(byName(result, 'data-pipeline').reasons[0]).toMatch(/^held: referenced by the key policy of KMS key arn:aws:kms:eu-west-1:/);
    expect(byName(result, 'report-generator').guards.map((g) => g.kind)).toEqual(['kms-grant']);
    expect(byName(result, 'analytics-reader').guards.map((g) => g.kind)).toEqual(['kms-key-policy']);
    expect(byName(result, 'jenkins-legacy').guards.map((g) => g.kind)).toEqual(['role-trust']);
    expect(byName(result, 'key-admin-legacy').guards.map((g) => g.kind)).toEqual(['kms-sole-admin']);
    expect(byName(result, 'key-admin-legacy').reasons[0]).toContain('orphans the key');
    expect(byName(result, 'shadow-it-user').guards.map((g) => g.kind)).toEqual(['recently-active']);
    expect(byName(result, 'ci-bootstrap').guards.map((g) => g.kind)).toContain('caller');
  });

  it('GIVEN removals WHEN planned THEN intended, reasons and owner are filled in', () => {
    expect(byName(result, 'legacy-etl')).toMatchObject({ intended: 'delete', declared: false, owner: 'data@example.com' });
    expect(byName(result, 'legacy-etl').reasons[0]).toContain('exception for legacy-etl expired on 2026-01-31');
    expect(byName(result, 'temp-deploy-user').reasons).toEqual([
      'not declared in the allowlist',
      'never used since it was created 60 days ago',
    ]);
    expect(byName(result, 'former-contractor')).toMatchObject({ intended: 'quarantine', declared: true });
    expect(byName(result, 'old-admin').reasons[1]).toBe('last used 300 days ago');
  });

  it('GIVEN declared users WHEN planned THEN kept with hygiene findings and no guards', () => {
    const bob = byName(result, 'bob');
    expect(bob).toMatchObject({ decision: 'keep', intended: null, declared: true, owner: 'bob@example.com', guards: [] });
    expect(bob.findings.map((f) => f.rule)).toEqual(['password-without-mfa', 'access-key-old', 'long-term-credentials']);
    expect(byName(result, 'break-glass').findings.map((f) => f.rule)).not.toContain('inactive');
  });

  it('GIVEN guards.kms "block" WHEN KMS findings exist THEN blockingFindings reports them for the whole run', () => {
    expect(result.runGuards).toEqual([]);
    expect(
      blockingFindings(result)
        .map((f) => f.kind)
        .sort(),
    ).toEqual(['kms-grant', 'kms-key-policy', 'kms-key-policy', 'kms-sole-admin']);
    const relaxed = plan(sandboxSnapshot(), { ...sandboxAllowlist(), guards: { ...sandboxAllowlist().guards, kms: 'hold' } }, NOW);
    expect(blockingFindings(relaxed)).toEqual([]);
  });

  it('GIVEN the plan WHEN actions are listed THEN only delete and quarantine decisions, with UserIds', () => {
    expect(plannedActions(result)).toEqual([
      { action: 'quarantine', userName: 'former-contractor', userId: users.formerContractor.userId, arn: users.formerContractor.arn },
      { action: 'delete', userName: 'legacy-etl', userId: users.legacyEtl.userId, arn: users.legacyEtl.arn },
      { action: 'delete', userName: 'old-admin', userId: users.oldAdmin.userId, arn: users.oldAdmin.arn },
      { action: 'delete', userName: 'temp-deploy-user', userId: users.tempDeploy.userId, arn: users.tempDeploy.arn },
    ]);
  });
});

describe('determinism', () => {
  it('GIVEN the same input twice WHEN planned THEN deep-equal output', () => {
    expect(plan(sandboxSnapshot(), sandboxAllowlist(), NOW)).toEqual(plan(sandboxSnapshot(), sandboxAllowlist(), NOW));
  });

  it('GIVEN users and keys in another order WHEN planned THEN the same plan', () => {
    const snapshot = sandboxSnapshot();
    const shuffled = {
      ...snapshot,
      users: [...snapshot.users].reverse(),
      kms: [...snapshot.kms].reverse(),
      roles: [...snapshot.roles].reverse(),
    };
    expect(plan(shuffled, sandboxAllowlist(), NOW)).toEqual(plan(snapshot, sandboxAllowlist(), NOW));
  });

  it('GIVEN mixed-case names WHEN planned THEN users are sorted case-insensitively', () => {
    const snapshot = aSnapshot({ users: ['beta', 'Alpha', 'alpha2', 'Gamma'].map((name) => aUser({ name })) });
    expect(plan(snapshot, anAllowlist(), NOW).users.map((u) => u.name)).toEqual(['Alpha', 'alpha2', 'beta', 'Gamma']);
  });
});

describe('decisions', () => {
  const stale = aUser({ name: 'stale', activity: { accessKeys: [aKey({ lastUsed: daysAgo(100) })] } });

  it('GIVEN defaults.action report WHEN an undeclared user exists THEN decision report, nothing intended', () => {
    const result = plan(aSnapshot({ users: [stale] }), anAllowlist({ defaults: { action: 'report' } }), NOW);
    expect(result.users[0]).toMatchObject({ decision: 'report', intended: null, guards: [] });
  });

  it('GIVEN defaults.action quarantine WHEN an undeclared user exists THEN quarantine', () => {
    expect(plan(aSnapshot({ users: [stale] }), anAllowlist({ defaults: { action: 'quarantine' } }), NOW).users[0]?.decision).toBe(
      'quarantine',
    );
  });

  it('GIVEN recentlyActive "quarantine" WHEN an undeclared user was used yesterday THEN quarantine instead of delete, intended stays delete', () => {
    const active = aUser({ name: 'active', activity: { accessKeys: [aKey({ lastUsed: daysAgo(1) })] } });
    const [user] = plan(aSnapshot({ users: [active] }), anAllowlist({ guards: { recentlyActive: 'quarantine' } }), NOW).users;
    expect(user).toMatchObject({ decision: 'quarantine', intended: 'delete' });
    expect(user?.reasons.join(' ')).toContain('quarantined instead of deleted');
  });

  it('GIVEN recently active AND referenced by a key policy in quarantine mode WHEN planned THEN hold wins', () => {
    const active = aUser({ name: 'active', activity: { accessKeys: [aKey({ lastUsed: daysAgo(1) })] } });
    const key = aKmsKey({ policy: policyWith({ Effect: 'Allow', Principal: { AWS: active.arn }, Action: 'kms:Decrypt', Resource: '*' }) });
    const [user] = plan(aSnapshot({ users: [active], keys: [key] }), anAllowlist({ guards: { recentlyActive: 'quarantine' } }), NOW).users;
    expect(user?.decision).toBe('hold');
    expect(user?.guards.map((g) => g.kind)).toEqual(['kms-key-policy', 'recently-active']);
  });

  it('GIVEN an expired declaration with action quarantine WHEN planned THEN quarantine, owner kept, not declared', () => {
    const allowlist = anAllowlist({
      users: [aDeclared({ name: 'stale', expires: dateIn(-10), action: 'quarantine', owner: 'o@example.com' })],
    });
    expect(plan(aSnapshot({ users: [stale] }), allowlist, NOW).users[0]).toMatchObject({
      decision: 'quarantine',
      declared: false,
      owner: 'o@example.com',
    });
  });

  it('GIVEN a valid exception WHEN planned THEN keep, reason names the exception', () => {
    const allowlist = anAllowlist({ exceptions: [anException({ name: 'stale', expires: dateIn(30), owner: 'data@example.com' })] });
    const [user] = plan(aSnapshot({ users: [stale] }), allowlist, NOW).users;
    expect(user).toMatchObject({ decision: 'keep', declared: false, owner: 'data@example.com' });
    expect(user?.reasons[0]).toContain('exception until');
  });

  it('GIVEN a declared inactive user with onInactive report WHEN planned THEN decision report', () => {
    const allowlist = anAllowlist({ users: [aDeclared({ name: 'stale' })], defaults: { inactiveAfterDays: 30 } });
    expect(plan(aSnapshot({ users: [stale] }), allowlist, NOW).users[0]).toMatchObject({ decision: 'report', declared: true });
  });
});

describe('run-level guards', () => {
  const doomed = ['a1', 'a2', 'a3'].map((name) => aUser({ name, activity: { accessKeys: [aKey({ lastUsed: daysAgo(100) })] } }));
  const everyRemovalHeld = (result: Plan, kind: string) => {
    for (const user of result.users) {
      expect(user.decision).toBe('hold');
      expect(user.guards.map((g) => g.kind)).toContain(kind);
    }
  };

  it('GIVEN no run guard fires WHEN planned THEN the removals stand (control case)', () => {
    expect(plan(aSnapshot({ users: doomed }), anAllowlist(), NOW).users.map((u) => u.decision)).toEqual(['delete', 'delete', 'delete']);
  });

  it('GIVEN a scan error WHEN planned THEN every deletion is held with scan-incomplete, blocking the run', () => {
    const result = plan(
      aSnapshot({ users: doomed, scanErrors: [aScanError({ operation: 'ListKeys', region: 'eu-west-1' })] }),
      anAllowlist(),
      NOW,
    );
    expect(result.runGuards).toEqual([expect.objectContaining({ kind: 'scan-incomplete', blocksRun: true, region: 'eu-west-1' })]);
    everyRemovalHeld(result, 'scan-incomplete');
    expect(result.users[0]?.reasons[0]).toContain('ListKeys');
  });

  it('GIVEN a scan error WHEN a quarantine is intended THEN it is held too (fail closed)', () => {
    const result = plan(aSnapshot({ users: doomed, scanErrors: [aScanError()] }), anAllowlist({ defaults: { action: 'quarantine' } }), NOW);
    everyRemovalHeld(result, 'scan-incomplete');
  });

  it.each([
    ['an unreadable key policy', { policy: null }],
    ['unlisted grants', { grants: null }],
    ['a key policy that is not JSON', { policy: '{oops' }],
  ])('GIVEN %s WHEN planned THEN scan-incomplete holds every deletion', (_label, overrides) => {
    const result = plan(aSnapshot({ users: doomed, keys: [aKmsKey(overrides)] }), anAllowlist(), NOW);
    expect(result.runGuards.map((g) => g.kind)).toEqual(['scan-incomplete']);
    everyRemovalHeld(result, 'scan-incomplete');
  });

  it('GIVEN no credential report WHEN planned THEN scan-incomplete', () => {
    const result = plan(aSnapshot({ users: doomed, credentialReportGeneratedAt: null }), anAllowlist(), NOW);
    everyRemovalHeld(result, 'scan-incomplete');
  });

  it('GIVEN a credential report generated 30 hours before now WHEN planned THEN scan-incomplete names its age and holds every removal', () => {
    const result = plan(aSnapshot({ users: doomed, credentialReportGeneratedAt: daysAgo(30 / 24) }), anAllowlist(), NOW);
    expect(result.runGuards).toEqual([expect.objectContaining({ kind: 'scan-incomplete', blocksRun: true, resource: null })]);
    expect(result.runGuards[0]?.message).toContain('the credential report is 30 hours old');
    everyRemovalHeld(result, 'scan-incomplete');
  });

  it('GIVEN a stale credential report WHEN a quarantine is intended THEN it is held too', () => {
    const result = plan(
      aSnapshot({ users: doomed, credentialReportGeneratedAt: daysAgo(3) }),
      anAllowlist({ defaults: { action: 'quarantine' } }),
      NOW,
    );
    expect(result.runGuards[0]?.message).toContain('72 hours old');
    everyRemovalHeld(result, 'scan-incomplete');
  });

  it('GIVEN a credential report 23 hours old WHEN planned THEN no run guard (the removals stand)', () => {
    const result = plan(aSnapshot({ users: doomed, credentialReportGeneratedAt: daysAgo(23 / 24) }), anAllowlist(), NOW);
    expect(result.runGuards).toEqual([]);
    expect(result.users.map((u) => u.decision)).toEqual(['delete', 'delete', 'delete']);
  });

  it('GIVEN an unparsable credential report time WHEN planned THEN scan-incomplete (fail closed)', () => {
    const result = plan(aSnapshot({ users: doomed, credentialReportGeneratedAt: 'yesterday' }), anAllowlist(), NOW);
    expect(result.runGuards[0]?.message).toContain('cannot be read');
    everyRemovalHeld(result, 'scan-incomplete');
  });

  it('GIVEN the allowlist pins another account WHEN planned THEN nothing is acted on', () => {
    const result = plan(aSnapshot({ users: doomed }), anAllowlist({ account: '999999999999' }), NOW);
    expect(result.runGuards).toEqual([expect.objectContaining({ kind: 'account-pin', severity: 'critical', blocksRun: true })]);
    everyRemovalHeld(result, 'account-pin');
  });

  it('GIVEN the pinned account matches WHEN planned THEN no account-pin finding', () => {
    expect(plan(aSnapshot({ users: doomed }), anAllowlist({ account: '111122223333' }), NOW).runGuards).toEqual([]);
  });

  it('GIVEN 3 removals and maxRemovalsPerRun 2 WHEN planned THEN nothing removed, the plan says how many', () => {
    const result = plan(aSnapshot({ users: doomed }), anAllowlist({ defaults: { maxRemovalsPerRun: 2 } }), NOW);
    expect(result.runGuards).toHaveLength(1);
    expect(result.runGuards[0]?.message).toContain('3 removals planned');
    expect(result.runGuards[0]?.message).toContain('(2)');
    everyRemovalHeld(result, 'max-removals');
  });

  it('GIVEN exactly maxRemovalsPerRun removals WHEN planned THEN allowed', () => {
    expect(plan(aSnapshot({ users: doomed }), anAllowlist({ defaults: { maxRemovalsPerRun: 3 } }), NOW).runGuards).toEqual([]);
  });

  it('GIVEN no declared users WHEN planned THEN empty-allowlist holds everything; allowEmpty lifts it', () => {
    const empty = plan(aSnapshot({ users: doomed }), anAllowlist({ users: [] }), NOW);
    everyRemovalHeld(empty, 'empty-allowlist');
    const allowed = plan(aSnapshot({ users: doomed }), anAllowlist({ users: [], guards: { allowEmpty: true } }), NOW);
    expect(allowed.users.map((u) => u.decision)).toEqual(['delete', 'delete', 'delete']);
  });

  it('GIVEN a run guard WHEN users are kept THEN they stay kept and carry no run guard', () => {
    const result = plan(aSnapshot({ users: [aUser({ name: 'declared-placeholder' })], scanErrors: [aScanError()] }), anAllowlist(), NOW);
    expect(result.users[0]).toMatchObject({ decision: 'keep', guards: [] });
  });
});

describe('notices', () => {
  it('GIVEN a declared user missing from the account WHEN planned THEN a notice', () => {
    const result = plan(aSnapshot(), anAllowlist({ users: [aDeclared({ name: 'ghost', path: '/x/' })] }), NOW);
    expect(result.notices).toEqual(['declared user ghost (path /x/) does not exist in account 111122223333']);
  });

  it('GIVEN an exception expiring in 5 days WHEN planned THEN a notice; in 30 days THEN none', () => {
    const user = aUser({ name: 'temp' });
    const soon = plan(
      aSnapshot({ users: [user, aUser({ name: 'declared-placeholder' })] }),
      anAllowlist({ exceptions: [anException({ name: 'temp', expires: dateIn(5) })] }),
      NOW,
    );
    expect(soon.notices).toEqual([`exception for temp expires on ${dateIn(5)} (in 5 days)`]);
    const later = plan(
      aSnapshot({ users: [user, aUser({ name: 'declared-placeholder' })] }),
      anAllowlist({ exceptions: [anException({ name: 'temp', expires: dateIn(30) })] }),
      NOW,
    );
    expect(later.notices).toEqual([]);
  });

  it('GIVEN an expired exception for a user that no longer exists WHEN planned THEN a notice to remove the entry', () => {
    const result = plan(
      aSnapshot({ users: [aUser({ name: 'declared-placeholder' })] }),
      anAllowlist({ exceptions: [anException({ name: 'gone', expires: dateIn(-2) })] }),
      NOW,
    );
    expect(result.notices[0]).toContain('remove the entry');
  });
});
