/**
 * The construct reads the plan's typed contract (UserPlan.actionStatus, blockedBy, quarantineInPlace,
 * guards' blocksRun; Plan.runBlocked), never rule ids: checked on plans the planner produces.
 */
import { buildStackModel } from '../../src/construct/stack-model';
import type { Allowlist } from '../../src/model/allowlist';
import type { Plan } from '../../src/model/plan';
import { plan } from '../../src/plan/plan';
import { NOW } from '../plan/fixtures';
import { sandboxAllowlist, sandboxSnapshot } from '../plan/scenario';
import { planOf, userPlan } from './builders';

const COMMAND = { cliCommand: ['node', '/cli.js'], allowlistFile: '/repo/allowlist.yaml' };

const MODES: Record<string, (a: Allowlist) => Allowlist> = {
  'guards.kms block': (a) => a,
  'guards.kms hold': (a) => ({ ...a, guards: { ...a.guards, kms: 'hold' } }),
  'onInactive report': (a) => ({ ...a, defaults: { ...a.defaults, onInactive: 'report' } }),
  'maxRemovalsPerRun 1': (a) => ({ ...a, defaults: { ...a.defaults, maxRemovalsPerRun: 1 } }),
};

describe.each(Object.entries(MODES))('the sandbox plan with %s', (_mode, change) => {
  const sandboxPlan: Plan = plan(sandboxSnapshot(), change(sandboxAllowlist()), NOW);
  const model = buildStackModel(sandboxPlan, COMMAND);
  const names = (pick: (u: Plan['users'][number]) => boolean): string[] =>
    sandboxPlan.users
      .filter(pick)
      .map((u) => u.name)
      .sort();

  it('WHEN modelled THEN run_blocked is Plan.runBlocked', () => {
    expect(model.outputs.run_blocked).toBe(sandboxPlan.runBlocked);
  });

  it('WHEN modelled THEN the users with a failing precondition are the pending ones with a finding that blocks the run', () => {
    // A blocking run guard is among the guards of every user it holds (max-removals: each intended removal).
    const blocked = names((u) => u.actionStatus === 'pending' && u.guards.some((g) => g.blocksRun));
    expect(model.outputs.users_blocked).toEqual(blocked);
    expect(model.userResources.filter((r) => r.preconditionMessage !== null).map((r) => r.userName)).toEqual(blocked);
  });

  it('WHEN modelled THEN a report warning for every reported user except a quarantine that is done', () => {
    expect(model.reported.map((w) => w.userName)).toEqual(names((u) => u.decision === 'report' && u.actionStatus !== 'done'));
  });

  it('WHEN modelled THEN a resource for every pending delete/quarantine and every quarantine in place', () => {
    const acted = names((u) => u.decision === 'delete' || u.decision === 'quarantine' || u.quarantineInPlace);
    expect(model.userResources.filter((r) => r.preconditionMessage === null).map((r) => r.userName)).toEqual(acted);
  });
});

describe('rule ids', () => {
  it('GIVEN a kept user carrying an inactive finding WHEN modelled THEN no warning: the decision says what to do, not the rule id', () => {
    const inactive = { rule: 'inactive', severity: 'warning', message: 'inactive: unused 120 days' } as const;
    const kept = userPlan('bob', { declared: true, findings: [inactive] });
    const model = buildStackModel(planOf([kept]), COMMAND);
    expect({ reported: model.reported, resources: model.userResources }).toEqual({ reported: [], resources: [] });
  });
});
