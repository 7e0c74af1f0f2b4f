/**
 * The typed plan contract: what each UserPlan says about being blocked and about its action, and what the
 * Plan says about the run, checked against the facts consumers derived before (decisions, guards,
 * blockingFindings, the quarantine-state findings).
 */
import { QUARANTINED_AT_TAG, QUARANTINE_POLICY_DOCUMENT, QUARANTINE_POLICY_NAME } from '../../src/model/quarantine-marker';
import type { Plan, UserPlan } from '../../src/model/plan';
import type { UserFacts } from '../../src/model/snapshot';
import { blockingFindings, plan } from '../../src/plan/plan';
import { isQuarantineInPlace, isSettledQuarantine } from '../../src/plan/quarantine-status';
import { aDeclared, aKey, anAllowlist, aScanError, aSnapshot, aUser, daysAgo, NOW } from './fixtures';
import { sandboxAllowlist, sandboxSnapshot } from './scenario';

const byName = (result: Plan, name: string): UserPlan => {
  const user = result.users.find((candidate) => candidate.name === name);
  if (user === undefined) throw new Error(`no user ${name} in the plan`);
  return user;
};

/** A user the executor quarantined: deny policy, tag, key deactivated (the report predates nothing). */
function quarantinedUser(name: string): UserFacts {
  return aUser({
    name,
    activity: { accessKeys: [aKey({ active: false, lastUsed: daysAgo(100) })] },
    inlinePolicyNames: [QUARANTINE_POLICY_NAME],
    inlinePolicyDocuments: { [QUARANTINE_POLICY_NAME]: QUARANTINE_POLICY_DOCUMENT },
    tags: { [QUARANTINED_AT_TAG]: daysAgo(20) },
  });
}

const stale = (name: string): UserFacts => aUser({ name, activity: { accessKeys: [aKey({ lastUsed: daysAgo(100) })] } });

describe('Plan.runBlocked', () => {
  it.each([
    ['the sandbox (guards.kms block)', sandboxAllowlist(), true],
    ['the sandbox with guards.kms hold', { ...sandboxAllowlist(), guards: { ...sandboxAllowlist().guards, kms: 'hold' as const } }, false],
  ])('GIVEN %s WHEN planned THEN runBlocked says whether blockingFindings is non-empty', (_label, allowlist, blocked) => {
    const result = plan(sandboxSnapshot(), allowlist, NOW);
    expect(result.runBlocked).toBe(blocked);
    expect(blockingFindings(result).length > 0).toBe(blocked);
  });

  it('GIVEN a scan error WHEN planned THEN the run is blocked by the run guard alone', () => {
    const result = plan(aSnapshot({ users: [stale('a1')], scanErrors: [aScanError()] }), anAllowlist(), NOW);
    expect(result.runBlocked).toBe(true);
    expect(result.users[0]).toMatchObject({ decision: 'hold', blockedBy: 'run', actionStatus: 'pending' });
  });
});

describe('UserPlan.blockedBy', () => {
  const sandbox = plan(sandboxSnapshot(), sandboxAllowlist(), NOW);

  it('GIVEN a user held by its own guard WHEN planned THEN blockedBy user-guard', () => {
    expect(byName(sandbox, 'ci-bootstrap')).toMatchObject({ decision: 'hold', blockedBy: 'user-guard', actionStatus: 'pending' });
    expect(byName(sandbox, 'data-pipeline')).toMatchObject({ decision: 'hold', blockedBy: 'user-guard' });
  });

  it('GIVEN a delete in a run another user blocks (KMS block mode) WHEN planned THEN blockedBy run, the decision still delete', () => {
    expect(byName(sandbox, 'old-admin')).toMatchObject({ decision: 'delete', blockedBy: 'run', actionStatus: 'pending' });
    expect(byName(sandbox, 'former-contractor')).toMatchObject({ decision: 'quarantine', blockedBy: 'run' });
  });

  it('GIVEN the same delete when nothing blocks the run WHEN planned THEN blockedBy null', () => {
    const relaxed = plan(sandboxSnapshot(), { ...sandboxAllowlist(), guards: { ...sandboxAllowlist().guards, kms: 'hold' } }, NOW);
    expect(byName(relaxed, 'old-admin')).toMatchObject({ decision: 'delete', blockedBy: null, actionStatus: 'pending' });
  });

  it('GIVEN a kept user WHEN planned THEN no action and nothing blocked', () => {
    expect(byName(sandbox, 'alice')).toMatchObject({ decision: 'keep', blockedBy: null, actionStatus: 'none', quarantineInPlace: false });
  });

  it('GIVEN more removals than the limit WHEN planned THEN every removal is held by the run, none by a guard of its own', () => {
    const result = plan(aSnapshot({ users: [stale('a1'), stale('a2')] }), anAllowlist({ defaults: { maxRemovalsPerRun: 1 } }), NOW);
    expect(result.users.map((user) => [user.decision, user.blockedBy])).toEqual([
      ['hold', 'run'],
      ['hold', 'run'],
    ]);
  });
});

describe('UserPlan.actionStatus and quarantineInPlace', () => {
  it('GIVEN an inactive declared user already quarantined WHEN planned THEN done, in place, decision report', () => {
    const allowlist = anAllowlist({
      defaults: { inactiveAfterDays: 90, onInactive: 'quarantine' },
      users: [aDeclared({ name: 'former' })],
    });
    const user = plan(aSnapshot({ users: [quarantinedUser('former')] }), allowlist, NOW).users[0]!;
    expect(user).toMatchObject({ decision: 'report', actionStatus: 'done', quarantineInPlace: true, blockedBy: null });
    expect(isSettledQuarantine(user)).toBe(true);
  });

  it('GIVEN a quarantined user the allowlist declares again WHEN planned THEN in place but not done (a release is wanted)', () => {
    const allowlist = anAllowlist({ users: [aDeclared({ name: 'back' })] });
    const user = plan(aSnapshot({ users: [quarantinedUser('back')] }), allowlist, NOW).users[0]!;
    expect(user).toMatchObject({ decision: 'report', actionStatus: 'none', quarantineInPlace: true });
    expect(user.findings.map((finding) => finding.rule)).toContain('still-quarantined');
  });

  it('GIVEN an undeclared quarantined user, action delete WHEN planned THEN the delete is pending, the quarantine in place', () => {
    const user = plan(aSnapshot({ users: [quarantinedUser('gone')] }), anAllowlist(), NOW).users[0]!;
    expect(user).toMatchObject({ decision: 'delete', actionStatus: 'pending', quarantineInPlace: true });
  });

  it('GIVEN an undeclared quarantined user whose allowlist action is report WHEN planned THEN done: nothing left to do', () => {
    const user = plan(aSnapshot({ users: [quarantinedUser('parked')] }), anAllowlist({ defaults: { action: 'report' } }), NOW).users[0]!;
    expect(user).toMatchObject({ decision: 'report', actionStatus: 'done', quarantineInPlace: true });
  });

  it('GIVEN a quarantine that did not finish (tag missing) WHEN planned THEN not in place, the quarantine pending again', () => {
    const { tags: _tags, ...facts } = quarantinedUser('half');
    const allowlist = anAllowlist({ defaults: { action: 'quarantine' } });
    const user = plan(aSnapshot({ users: [{ ...facts, tags: {} }] }), allowlist, NOW).users[0]!;
    expect(user).toMatchObject({ decision: 'quarantine', actionStatus: 'pending', quarantineInPlace: false });
  });

  it('GIVEN every sandbox user WHEN planned THEN quarantine-status reads the same facts as the typed fields', () => {
    for (const user of plan(sandboxSnapshot(), sandboxAllowlist(), NOW).users) {
      expect([isQuarantineInPlace(user), isSettledQuarantine(user)]).toEqual([user.quarantineInPlace, user.actionStatus === 'done']);
      expect(user.actionStatus === 'pending').toBe(user.intended !== null);
    }
  });
});
