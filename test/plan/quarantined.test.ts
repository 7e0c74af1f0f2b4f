/** A user this tool already quarantined: the rule on its own, then what the planner makes of it. */
import {
  QUARANTINED_AT_TAG,
  QUARANTINE_POLICY_DOCUMENT,
  QUARANTINE_POLICY_NAME,
  QUARANTINE_REASON_TAG,
} from '../../src/model/quarantine-marker';
import type { Allowlist } from '../../src/model/allowlist';
import type { Decision, PlannedAction } from '../../src/model/plan';
import type { UserFacts } from '../../src/model/snapshot';
import { buildContext } from '../../src/plan/context';
import { matchDeclared } from '../../src/plan/match';
import { blockingFindings, plan, plannedActions } from '../../src/plan/plan';
import { isQuarantineInPlace, isSettledQuarantine } from '../../src/plan/quarantine-status';
import { recheckAction } from '../../src/plan/recheck';
import { exitCodeFor } from '../../src/plan/render/exit-code';
import { OUTCOME_RULES } from '../../src/plan/rules';
import { isCompleteQuarantine, quarantineMark } from '../../src/plan/rules/quarantine-state';
import { evaluateOutcomeRule } from '../../src/plan/rules/types';
import {
  aDeclared,
  aKey,
  aKmsKey,
  anAllowlist,
  anException,
  aScanError,
  aSnapshot,
  aUser,
  daysAgo,
  NOW,
  policyWith,
  type UserOverrides,
} from './fixtures';

const QUARANTINED_AT = '2026-02-10T08:30:00.000Z';
const TEAM_READ_DOCUMENT = JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 's3:Get*', Resource: '*' }] });

/** The marks the executor leaves after a finished quarantine; `parts` drops some to model a crash. */
function quarantinedUser(
  overrides: UserOverrides = {},
  parts: { policy?: boolean; tag?: boolean; reason?: string | null } = {},
): UserFacts {
  const { policy = true, tag = true, reason = 'not in the allowlist' } = parts;
  const tags: Record<string, string> = { team: 'data' };
  if (tag) tags[QUARANTINED_AT_TAG] = QUARANTINED_AT;
  if (tag && reason !== null) tags[QUARANTINE_REASON_TAG] = reason;
  return aUser({
    // Quarantine deactivated the key; its last use stays in the credential report.
    activity: { accessKeys: [aKey({ active: false, lastUsed: daysAgo(100) })] },
    inlinePolicyNames: policy ? ['team-read', QUARANTINE_POLICY_NAME] : ['team-read'],
    inlinePolicyDocuments: policy
      ? { 'team-read': TEAM_READ_DOCUMENT, [QUARANTINE_POLICY_NAME]: QUARANTINE_POLICY_DOCUMENT }
      : { 'team-read': TEAM_READ_DOCUMENT },
    tags,
    ...overrides,
  });
}

function runRule(user: UserFacts, outcome: Decision, allowlist: Allowlist = anAllowlist()) {
  const ctx = buildContext(aSnapshot({ users: [user] }), allowlist, NOW);
  return OUTCOME_RULES.flatMap((rule) => evaluateOutcomeRule(rule, { ...ctx, match: matchDeclared(allowlist, user, NOW) }, user, outcome));
}

const planOne = (user: UserFacts, allowlist: Allowlist) => plan(aSnapshot({ users: [user] }), allowlist, NOW);

describe('quarantineMark', () => {
  it('GIVEN a user without policy or tag WHEN read THEN no mark', () => {
    expect(quarantineMark(aUser({ tags: { team: 'data' }, inlinePolicyNames: ['team-read'] }))).toBeNull();
  });

  it('GIVEN policy and tags in another case WHEN read THEN a complete mark (IAM names are case-insensitive)', () => {
    const user = aUser({
      inlinePolicyNames: [QUARANTINE_POLICY_NAME.toUpperCase()],
      tags: { [QUARANTINED_AT_TAG.toUpperCase()]: QUARANTINED_AT, [QUARANTINE_REASON_TAG.toUpperCase()]: 'r' },
    });
    const mark = quarantineMark(user);
    expect(mark).toEqual({ denyPolicy: true, since: QUARANTINED_AT, reason: 'r' });
    expect(isCompleteQuarantine(mark)).toBe(true);
  });

  it('GIVEN only the policy, or only the tag WHEN read THEN a mark that is not complete', () => {
    expect(isCompleteQuarantine(quarantineMark(quarantinedUser({}, { tag: false })))).toBe(false);
    expect(isCompleteQuarantine(quarantineMark(quarantinedUser({}, { policy: false })))).toBe(false);
  });
});

describe('quarantined rule', () => {
  it('GIVEN a user never quarantined WHEN the rule runs THEN no finding', () => {
    expect(runRule(aUser({ name: 'plain' }), 'quarantine')).toEqual([]);
  });

  it('GIVEN a finished quarantine and the plan still wants quarantine WHEN the rule runs THEN info "quarantined since <day> (<reason>)" settling as report', () => {
    expect(runRule(quarantinedUser(), 'quarantine')).toEqual([
      { rule: 'quarantined', severity: 'info', message: 'quarantined since 2026-02-10 (not in the allowlist)', proposes: 'report' },
    ]);
  });

  it('GIVEN a finished quarantine and the plan now wants delete WHEN the rule runs THEN info only, no proposal', () => {
    expect(runRule(quarantinedUser(), 'delete')).toEqual([
      { rule: 'quarantined', severity: 'info', message: 'quarantined since 2026-02-10 (not in the allowlist)' },
    ]);
  });

  it('GIVEN no reason tag WHEN the rule runs THEN the message says so', () => {
    expect(runRule(quarantinedUser({}, { reason: null }), 'quarantine')[0]?.message).toBe(
      'quarantined since 2026-02-10 (no reason recorded)',
    );
  });

  it('GIVEN a quarantined user that is declared again WHEN the rule runs on keep THEN a warning to release it, settling as report', () => {
    const user = quarantinedUser({ name: 'back' });
    const [finding] = runRule(user, 'keep', anAllowlist({ users: [aDeclared({ name: 'back' })] }));
    expect(finding).toMatchObject({ rule: 'still-quarantined', severity: 'warning', proposes: 'report' });
    expect(finding?.message).toMatch(/^declared but still quarantined: run `iam-allowlist release --user back`/);
  });

  it('GIVEN a quarantined user under a valid exception WHEN the rule runs on keep THEN the warning names the exception', () => {
    const user = quarantinedUser({ name: 'back' });
    const [finding] = runRule(user, 'keep', anAllowlist({ exceptions: [anException({ name: 'back' })] }));
    expect(finding?.message).toMatch(/^kept by an exception but still quarantined/);
  });

  it('GIVEN an undeclared quarantined user and allowlist action report WHEN the rule runs on report THEN info only', () => {
    expect(runRule(quarantinedUser(), 'report')).toEqual([expect.objectContaining({ rule: 'quarantined', severity: 'info' })]);
    expect(runRule(quarantinedUser(), 'report')[0]?.proposes).toBeUndefined();
  });

  it('GIVEN the policy without the tag WHEN the rule runs THEN a warning that the quarantine did not finish, and no proposal', () => {
    const [finding] = runRule(quarantinedUser({}, { tag: false }), 'quarantine');
    expect(finding).toMatchObject({ rule: 'quarantine-incomplete', severity: 'warning' });
    expect(finding?.message).toContain('did not finish; it is quarantined again to finish');
    expect(finding?.proposes).toBeUndefined();
  });

  it('GIVEN the tag without the policy WHEN the rule runs THEN a warning that the deny policy is missing', () => {
    const [finding] = runRule(quarantinedUser({}, { policy: false }), 'quarantine');
    expect(finding).toMatchObject({ rule: 'quarantine-incomplete', severity: 'warning' });
    expect(finding?.message).toContain(`the deny policy ${QUARANTINE_POLICY_NAME} is missing`);
  });
});

describe('plan() with quarantined users', () => {
  const inactiveQuarantine = (name: string) =>
    anAllowlist({ users: [aDeclared({ name, inactiveAfterDays: 90 })], defaults: { onInactive: 'quarantine' } });

  it('GIVEN a declared inactive user WHEN not yet quarantined THEN quarantine and exit code 2 (control case)', () => {
    const result = planOne(
      aUser({ name: 'former', activity: { accessKeys: [aKey({ lastUsed: daysAgo(200) })] } }),
      inactiveQuarantine('former'),
    );
    expect(result.users[0]?.decision).toBe('quarantine');
    expect(exitCodeFor(result)).toBe(2);
  });

  it('GIVEN the same user after its quarantine WHEN planned THEN report, nothing intended, first reason the quarantine, exit code 0', () => {
    const result = planOne(quarantinedUser({ name: 'former' }), inactiveQuarantine('former'));
    const [user] = result.users;
    expect(user).toMatchObject({ decision: 'report', intended: null, guards: [] });
    expect(user?.reasons[0]).toBe('quarantined since 2026-02-10 (not in the allowlist)');
    expect(user?.reasons[1]).toContain('inactive');
    expect(result.summary).toMatchObject({ quarantine: 0, report: 1 });
    expect(plannedActions(result)).toEqual([]);
    expect(exitCodeFor(result)).toBe(0);
    expect(isSettledQuarantine(user!)).toBe(true);
  });

  it('GIVEN a finished quarantine whose credential report (generated before it) still shows password and key WHEN planned THEN report, no credential hygiene notes', () => {
    const quarantinedAt = daysAgo(1 / 24);
    const stale = quarantinedUser({
      name: 'former',
      tags: { [QUARANTINED_AT_TAG]: quarantinedAt, [QUARANTINE_REASON_TAG]: 'inactive' },
      activity: { passwordEnabled: true, accessKeys: [aKey({ lastUsed: daysAgo(200), lastRotated: daysAgo(400) })] },
    });
    const snapshot = aSnapshot({ users: [stale], credentialReportGeneratedAt: daysAgo(3 / 24) });
    const [user] = plan(snapshot, inactiveQuarantine('former'), NOW).users;
    expect(user?.decision).toBe('report');
    expect(user?.findings.map((f) => f.rule)).toEqual(['inactive', 'quarantined']);
  });

  it('GIVEN a quarantined undeclared user referenced by a key policy, kms block WHEN planned THEN report and nothing blocks the run', () => {
    const user = quarantinedUser({ name: 'keyed' });
    const key = aKmsKey({ policy: policyWith({ Effect: 'Allow', Principal: { AWS: user.arn }, Action: 'kms:Decrypt', Resource: '*' }) });
    const result = plan(aSnapshot({ users: [user], keys: [key] }), anAllowlist({ defaults: { action: 'quarantine' } }), NOW);
    expect(result.users[0]).toMatchObject({ decision: 'report', guards: [] });
    expect(blockingFindings(result)).toEqual([]);
  });

  it('GIVEN more quarantined users than maxRemovalsPerRun WHEN planned THEN they are not counted as removals', () => {
    const users = ['q1', 'q2', 'q3'].map((name) => quarantinedUser({ name }));
    const result = plan(aSnapshot({ users }), anAllowlist({ defaults: { action: 'quarantine', maxRemovalsPerRun: 2 } }), NOW);
    expect(result.runGuards).toEqual([]);
    expect(result.users.map((u) => u.decision)).toEqual(['report', 'report', 'report']);
  });

  it('GIVEN a scan error WHEN a quarantined user is planned THEN it stays report (a run guard holds only pending work), and the blocked run exits 3', () => {
    const result = plan(
      aSnapshot({ users: [quarantinedUser({ name: 'q' })], scanErrors: [aScanError()] }),
      anAllowlist({ defaults: { action: 'quarantine' } }),
      NOW,
    );
    expect(result.runGuards.map((g) => g.kind)).toEqual(['scan-incomplete']);
    expect(result.users[0]?.decision).toBe('report');
    expect(exitCodeFor(result)).toBe(3);
  });

  describe('undeclared, allowlist action delete, quarantined earlier by recentlyActive: quarantine', () => {
    const allowlist = anAllowlist({ guards: { recentlyActive: 'quarantine', recentlyActiveDays: 7 } });

    it('GIVEN its last use is still within recentlyActiveDays WHEN planned THEN report: the quarantine the guard asks for is done', () => {
      const user = quarantinedUser({ name: 'shadow', activity: { accessKeys: [aKey({ active: false, lastUsed: daysAgo(3) })] } });
      const [planned] = planOne(user, allowlist).users;
      expect(planned).toMatchObject({ decision: 'report', intended: null });
      expect(planned?.reasons.join(' ')).toContain('quarantined instead of deleted');
    });

    it('GIVEN its last use is now older than recentlyActiveDays WHEN planned THEN delete, and the reasons say it is quarantined', () => {
      const user = quarantinedUser({ name: 'shadow', activity: { accessKeys: [aKey({ active: false, lastUsed: daysAgo(30) })] } });
      const result = planOne(user, allowlist);
      expect(result.users[0]).toMatchObject({ decision: 'delete', intended: 'delete' });
      expect(result.users[0]?.reasons).toContain('quarantined since 2026-02-10 (not in the allowlist)');
      expect(exitCodeFor(result)).toBe(2);
      expect(isQuarantineInPlace(result.users[0]!)).toBe(true);
      expect(isSettledQuarantine(result.users[0]!)).toBe(false);
    });
  });

  it('GIVEN a quarantined user declared again WHEN planned THEN report with the release warning, exit code 0', () => {
    const result = planOne(quarantinedUser({ name: 'back' }), anAllowlist({ users: [aDeclared({ name: 'back' })] }));
    const [user] = result.users;
    expect(user).toMatchObject({ decision: 'report', declared: true });
    expect(user?.reasons[0]).toMatch(/^declared but still quarantined: run `iam-allowlist release --user back`/);
    expect(user?.findings).toContainEqual(expect.objectContaining({ rule: 'still-quarantined', severity: 'warning' }));
    expect(exitCodeFor(result)).toBe(0);
    expect(isQuarantineInPlace(user!)).toBe(true);
    expect(isSettledQuarantine(user!)).toBe(false);
  });

  it('GIVEN a quarantine that stopped after the deny policy WHEN planned THEN quarantine again (pending), with the warning', () => {
    const result = planOne(quarantinedUser({ name: 'half' }, { tag: false }), anAllowlist({ defaults: { action: 'quarantine' } }));
    expect(result.users[0]?.decision).toBe('quarantine');
    expect(result.users[0]?.findings.map((f) => f.rule)).toContain('quarantine-incomplete');
    expect(exitCodeFor(result)).toBe(2);
  });
});

describe('recheckAction for a quarantine finished in the meantime', () => {
  const user = quarantinedUser({ name: 'q' });
  const action: PlannedAction = { action: 'quarantine', userName: 'q', userId: user.userId, arn: user.arn };

  it('GIVEN the fresh plan reports the quarantine as done WHEN a quarantine is re-checked THEN ok (the steps are idempotent)', () => {
    expect(recheckAction(action, planOne(user, anAllowlist({ defaults: { action: 'quarantine' } })))).toEqual({ ok: true });
  });

  it('GIVEN the user is declared again WHEN a quarantine is re-checked THEN refused', () => {
    const result = recheckAction(action, planOne(user, anAllowlist({ users: [aDeclared({ name: 'q' })] })));
    expect(result.ok).toBe(false);
  });

  it('GIVEN the fresh plan reports the quarantine as done WHEN a delete is re-checked THEN refused', () => {
    const result = recheckAction({ ...action, action: 'delete' }, planOne(user, anAllowlist({ defaults: { action: 'quarantine' } })));
    expect(result.ok).toBe(false);
    expect(!result.ok && result.reasons.join(' ')).toContain('now decides report');
  });
});

describe('a quarantine is complete only when it still holds (marker document, keys, password)', () => {
  const wantsQuarantine = anAllowlist({ defaults: { action: 'quarantine' } });
  const incompleteOf = (user: UserFacts, outcome: Decision = 'quarantine', allowlist: Allowlist = wantsQuarantine) =>
    runRule(user, outcome, allowlist).find((finding) => finding.rule === 'quarantine-incomplete');

  it.each([
    ['an Allow-all', JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: '*', Resource: '*' }] })],
    ['a Deny of s3:* only', JSON.stringify({ Statement: [{ Effect: 'Deny', Action: 's3:*', Resource: '*' }] })],
    [
      'a conditional Deny',
      JSON.stringify({
        Statement: [{ Effect: 'Deny', Action: '*', Resource: '*', Condition: { Bool: { 'aws:MultiFactorAuthPresent': 'false' } } }],
      }),
    ],
    ['a Deny with NotResource', JSON.stringify({ Statement: [{ Effect: 'Deny', Action: '*', NotResource: 'arn:aws:s3:::x' }] })],
    ['text that is not JSON', 'deny everything'],
  ])('GIVEN a policy named like the marker but holding %s WHEN planned THEN quarantine again, with the warning', (_label, document) => {
    const user = quarantinedUser({ name: 'fake', inlinePolicyDocuments: { [QUARANTINE_POLICY_NAME]: document } });
    const finding = incompleteOf(user);
    expect(finding?.severity).toBe('warning');
    expect(finding?.message).toContain('is not the deny-all policy');
    expect(finding?.message).toContain('it is quarantined again');
    const result = planOne(user, wantsQuarantine);
    expect(result.users[0]).toMatchObject({ decision: 'quarantine', intended: 'quarantine' });
    expect(isQuarantineInPlace(result.users[0]!)).toBe(false);
    expect(exitCodeFor(result)).toBe(2);
  });

  it('GIVEN the deny-all re-serialised (Statement object, ["*"] lists, other key order, extra Allow) WHEN planned THEN complete: report', () => {
    const document = JSON.stringify({
      Statement: [
        { Resource: ['*'], Action: ['*'], Effect: 'Deny' },
        { Effect: 'Allow', Action: 's3:*', Resource: '*' },
      ],
      Version: '2012-10-17',
    });
    const single = JSON.stringify({ Statement: { Effect: 'Deny', Action: '*', Resource: '*' } });
    for (const text of [document, single]) {
      const user = quarantinedUser({ name: 'q', inlinePolicyDocuments: { [QUARANTINE_POLICY_NAME.toUpperCase()]: text } });
      expect(planOne(user, wantsQuarantine).users[0]?.decision).toBe('report');
    }
  });

  it('GIVEN a declared user with an inline policy merely named like the marker WHEN planned THEN keep (no release advice: it is not our policy)', () => {
    const user = quarantinedUser({
      name: 'own',
      inlinePolicyDocuments: {
        [QUARANTINE_POLICY_NAME]: JSON.stringify({ Statement: [{ Effect: 'Allow', Action: 's3:*', Resource: '*' }] }),
      },
    });
    const allowlist = anAllowlist({ users: [aDeclared({ name: 'own' })] });
    const [planned] = planOne(user, allowlist).users;
    expect(planned?.decision).toBe('keep');
    expect(planned?.findings.map((f) => f.rule)).toContain('quarantine-incomplete');
    expect(planned?.findings.map((f) => f.rule)).not.toContain('still-quarantined');
  });

  it('GIVEN an access key re-activated after the quarantine (report generated after it) WHEN planned THEN quarantine again', () => {
    const user = quarantinedUser({
      name: 'back-door',
      activity: { accessKeys: [aKey({ accessKeyId: 'AKIAREACTIVATED00001', active: true, lastUsed: daysAgo(100) })] },
    });
    expect(incompleteOf(user)?.message).toContain('AKIAREACTIVATED00001 is active');
    expect(planOne(user, wantsQuarantine).users[0]?.decision).toBe('quarantine');
  });

  it('GIVEN the console password enabled after the quarantine WHEN planned THEN quarantine again', () => {
    const user = quarantinedUser({ name: 'back-door', activity: { passwordEnabled: true } });
    expect(incompleteOf(user)?.message).toContain('the console password is enabled');
    expect(planOne(user, wantsQuarantine).users[0]?.decision).toBe('quarantine');
  });

  it('GIVEN an active key but a report generated only 2 minutes after the quarantine WHEN planned THEN the report is no evidence: report', () => {
    const quarantinedAt = daysAgo(1);
    const user = quarantinedUser({
      name: 'fresh',
      tags: { [QUARANTINED_AT_TAG]: quarantinedAt },
      activity: { accessKeys: [aKey({ active: true, lastUsed: daysAgo(100) })] },
    });
    const reportAt = new Date(Date.parse(quarantinedAt) + 2 * 60 * 1000).toISOString();
    const result = plan(aSnapshot({ users: [user], credentialReportGeneratedAt: reportAt }), wantsQuarantine, NOW);
    expect(result.users[0]?.decision).toBe('report');
  });

  it('GIVEN a snapshot from an older version (no inline policy documents) WHEN planned THEN not treated as done: quarantine again', () => {
    const { inlinePolicyDocuments: _dropped, ...old } = quarantinedUser({ name: 'old-snapshot' });
    expect(incompleteOf(old)?.message).toContain('were not inventoried');
    expect(planOne(old, wantsQuarantine).users[0]?.decision).toBe('quarantine');
  });

  it('GIVEN the marker policy is missing from the documents although its name is listed WHEN the rule runs THEN incomplete', () => {
    expect(incompleteOf(quarantinedUser({ name: 'odd', inlinePolicyDocuments: {} }))?.message).toContain('is not the deny-all');
  });
});
