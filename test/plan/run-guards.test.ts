/**
 * blocksRun on run guards is honoured: a run guard declared blocking holds every removal of the run and
 * blocks it; one declared non-blocking is a run-level warning that holds nothing.
 */
import { InternalError } from '../../src/errors';
import type { Plan } from '../../src/model/plan';
import { emptyAllowlistGuard } from '../../src/plan/guards/empty-allowlist';
import { evaluateUserGuard, type UserGuardRecord } from '../../src/plan/guards/types';
import { blockingFindings, plan, planWith, REGISTERED_RECORDS } from '../../src/plan/plan';
import { exitCodeFor } from '../../src/plan/render/exit-code';
import { buildContext } from '../../src/plan/context';
import { matchDeclared } from '../../src/plan/match';
import { evaluateRule, type FactsRule } from '../../src/plan/rules/types';
import { unused } from '../../src/plan/rules/unused';
import { aKey, anAllowlist, aSnapshot, aUser, daysAgo, NOW } from './fixtures';

const doomed = ['a1', 'a2'].map((name) => aUser({ name, activity: { accessKeys: [aKey({ lastUsed: daysAgo(100) })] } }));
const emptyAllowlist = anAllowlist({ users: [] });

describe('a run guard declared blocking', () => {
  it('GIVEN an empty allowlist WHEN planned with the registered guards THEN every removal is held, the run blocked (control)', () => {
    const result = plan(aSnapshot({ users: doomed }), emptyAllowlist, NOW);
    expect(result.runGuards).toEqual([expect.objectContaining({ kind: 'empty-allowlist', blocksRun: true })]);
    expect(result.users.map((user) => [user.decision, user.blockedBy])).toEqual([
      ['hold', 'run'],
      ['hold', 'run'],
    ]);
    expect(result.runBlocked).toBe(true);
    expect(exitCodeFor(result)).toBe(3);
  });
});

describe('a run guard declared non-blocking', () => {
  const warningOnly = { ...REGISTERED_RECORDS, runGuards: [{ ...emptyAllowlistGuard, blocksRun: false }] };

  it('GIVEN its finding WHEN planned THEN it is listed as a run guard with blocksRun false and the removals stand', () => {
    const result = planWith(warningOnly, aSnapshot({ users: doomed }), emptyAllowlist, NOW);
    expect(result.runGuards).toEqual([expect.objectContaining({ kind: 'empty-allowlist', blocksRun: false })]);
    expect(result.users.map((user) => [user.decision, user.blockedBy, user.guards])).toEqual([
      ['delete', null, []],
      ['delete', null, []],
    ]);
    expect(result.runBlocked).toBe(false);
    expect(blockingFindings(result)).toEqual([]);
    expect(exitCodeFor(result)).toBe(2);
  });

  it('GIVEN a plan whose only run guard does not block WHEN its blocking findings are listed THEN the warning is not among them', () => {
    const clean = plan(aSnapshot({ users: doomed }), anAllowlist(), NOW);
    const warning = { kind: 'max-removals', severity: 'medium', resource: null, region: null, message: 'note', blocksRun: false } as const;
    const withWarning: Plan = { ...clean, runGuards: [warning] };
    expect(blockingFindings(withWarning)).toEqual([]);
    expect(exitCodeFor(withWarning)).toBe(2);
    expect(blockingFindings({ ...withWarning, runGuards: [{ ...warning, blocksRun: true }] })).toHaveLength(1);
  });
});

describe('what a record declares is enforced on its findings', () => {
  const user = aUser({ name: 'x' });
  const allowlist = anAllowlist();
  const ctx = buildContext(aSnapshot({ users: [user] }), allowlist, NOW);
  const ruleContext = { ...ctx, match: matchDeclared(allowlist, user, NOW) };
  /** The unused rule's record (hygiene, fixed severity warning) with another evaluate or declaration. */
  const rule = (overrides: Partial<FactsRule<'unused'>>): FactsRule<'unused'> => ({
    ...unused,
    evaluate: () => [{ message: 'found' }],
    ...overrides,
  });

  it('GIVEN a rule with a fixed severity WHEN it finds something THEN the finding carries its id and severity', () => {
    expect(evaluateRule(rule({}), ruleContext, user)).toEqual([{ rule: 'unused', severity: 'warning', message: 'found' }]);
  });

  it('GIVEN a fixed-severity rule whose finding chooses another severity WHEN evaluated THEN an internal error', () => {
    const choosesInfo = rule({ evaluate: () => [{ message: 'found', severity: 'info' }] });
    expect(() => evaluateRule(choosesInfo, ruleContext, user)).toThrow(InternalError);
  });

  it('GIVEN a rule choosing its severity WHEN a finding chooses none, or one not declared THEN an internal error', () => {
    const choosing = { among: ['action', 'warning'] as const, how: 'test' };
    expect(() => evaluateRule(rule({ severity: choosing }), ruleContext, user)).toThrow(InternalError);
    const undeclaredLevel = rule({ severity: choosing, evaluate: () => [{ message: 'm', severity: 'info' }] });
    expect(() => evaluateRule(undeclaredLevel, ruleContext, user)).toThrow(/chooses its severity among action, warning/);
  });

  it('GIVEN a hygiene rule that proposes an action WHEN evaluated THEN an internal error', () => {
    const proposing = rule({ evaluate: () => [{ message: 'm', proposes: 'delete' }] });
    expect(() => evaluateRule(proposing, ruleContext, user)).toThrow(/hygiene rule but proposes delete/);
  });

  it('GIVEN a user guard whose blocksRun is chosen from the allowlist WHEN evaluated THEN each finding carries the choice', () => {
    const guard: UserGuardRecord<'caller'> = {
      id: 'caller',
      category: 'decision',
      scope: 'user',
      severity: 'high',
      blocksRun: { how: 'test', choose: (context) => context.allowlist.guards.kms === 'block' },
      description: 'a test guard',
      evaluate: () => [{ resource: null, region: null, message: 'stop' }],
    };
    const subject = { user, match: ruleContext.match, intended: 'delete' as const };
    expect(evaluateUserGuard(guard, ctx, subject)).toEqual([
      { kind: 'caller', severity: 'high', resource: null, region: null, message: 'stop', blocksRun: true },
    ]);
    const holdMode = buildContext(aSnapshot({ users: [user] }), anAllowlist({ guards: { kms: 'hold' } }), NOW);
    expect(evaluateUserGuard(guard, holdMode, subject)[0]?.blocksRun).toBe(false);
  });
});
