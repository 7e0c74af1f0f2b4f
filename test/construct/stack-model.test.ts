import { buildStackModel, enforceArgv, formatGuard } from '../../src/construct/stack-model';
import { UsageError } from '../../src/errors';
import type { GuardFinding } from '../../src/model/plan';
import { completedActionsFromState } from '../../src/construct/previous-state';
import { plan } from '../../src/plan/plan';
import { NOW } from '../plan/fixtures';
import { sandboxAllowlist, sandboxSnapshot } from '../plan/scenario';
import {
  ALL_GUARD_KINDS,
  heldByKms,
  kmsGuard,
  PLANNED_AT,
  planOf,
  quarantineDone,
  stateOf,
  stateResource,
  stillQuarantined,
  toDelete,
  toQuarantine,
  userPlan,
} from './builders';

const COMMAND = { cliCommand: ['node', '/cli.js'], allowlistFile: '/repo/allowlist.yaml' };
const KEY = 'arn:aws:kms:eu-west-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab';

describe('enforceArgv', () => {
  it('GIVEN a delete WHEN the argv is built THEN it is the CLI prefix plus the enforce flags, in order', () => {
    const user = toDelete('temp-deploy-user');
    expect(enforceArgv(COMMAND, user, 'delete')).toEqual([
      'node',
      '/cli.js',
      'enforce',
      '--action',
      'delete',
      '--user',
      'temp-deploy-user',
      '--user-id',
      user.userId,
      '--allowlist',
      '/repo/allowlist.yaml',
    ]);
  });

  it('GIVEN an assume-role ARN and a run id WHEN the argv is built THEN they are flags before --allowlist', () => {
    const argv = enforceArgv(
      { ...COMMAND, assumeRoleArn: 'arn:aws:iam::444455556666:role/iam-allowlist', runId: 'r1' },
      toDelete('x'),
      'delete',
    );
    expect(argv.slice(-6)).toEqual([
      '--assume-role',
      'arn:aws:iam::444455556666:role/iam-allowlist',
      '--run-id',
      'r1',
      '--allowlist',
      '/repo/allowlist.yaml',
    ]);
  });
});

describe('buildStackModel', () => {
  it('GIVEN a delete and a quarantine WHEN modelled THEN each gets a resource with input, argv and no precondition', () => {
    const del = toDelete('temp-deploy-user', ['undeclared', 'never used']);
    const quar = toQuarantine('former-contractor');
    const model = buildStackModel(planOf([quar, del, userPlan('alice', { declared: true })]), COMMAND);

    expect(model.userResources.map((r) => r.resourceName)).toEqual(['quarantine_user_former-contractor', 'delete_user_temp-deploy-user']);
    expect(model.userResources.map((r) => r.movedFrom)).toEqual(['user_former-contractor', 'user_temp-deploy-user']);
    const resource = model.userResources[1]!;
    expect(resource.input).toEqual({
      action: 'delete',
      user: 'temp-deploy-user',
      user_id: del.userId,
      arn: del.arn,
      reasons: ['undeclared', 'never used'],
      guards_checked: Object.fromEntries(ALL_GUARD_KINDS.map((kind) => [kind, 'passed'])),
      planned_at: PLANNED_AT,
    });
    expect(resource.triggersReplace).toEqual({ user_id: del.userId, action: 'delete' });
    expect(resource.enforceArgv).toEqual(enforceArgv(COMMAND, del, 'delete'));
    expect(resource.preconditionMessage).toBeNull();
    expect(model.userResources[0]!.input.action).toBe('quarantine');
    expect(model.outputs.user_actions).toEqual({ 'former-contractor': 'quarantine', 'temp-deploy-user': 'delete' });
    expect(model.outputs.run_blocked).toBe(false);
  });

  it('GIVEN a user held by a blocking KMS guard WHEN modelled THEN its resource has no argv and a message naming user and key', () => {
    const model = buildStackModel(planOf([heldByKms('data-pipeline', KEY, true)]), COMMAND);

    expect(model.userResources).toHaveLength(1);
    const resource = model.userResources[0]!;
    expect(resource.enforceArgv).toBeNull();
    expect(resource.input.action).toBe('delete');
    expect(resource.blockingFindings).toHaveLength(1);
    expect(resource.preconditionMessage).toContain('"data-pipeline"');
    expect(resource.preconditionMessage).toContain(KEY);
    expect(model.held).toEqual([]);
    expect(model.outputs.users_blocked).toEqual(['data-pipeline']);
    expect(model.outputs.run_blocked).toBe(true);
  });

  it('GIVEN a user held by a non-blocking guard (kms: hold) WHEN modelled THEN it has no resource, only a warning', () => {
    const model = buildStackModel(planOf([heldByKms('report-generator', KEY, false)]), COMMAND);

    expect(model.userResources).toEqual([]);
    expect(model.held.map((w) => w.checkName)).toEqual(['held_report-generator']);
    expect(model.held[0]!.message).toContain(KEY);
    expect(model.outputs.users_held).toEqual(['report-generator']);
    expect(model.outputs.run_blocked).toBe(false);
  });

  it("GIVEN the planner's sandbox plan (guards.kms block) WHEN modelled THEN blocked users lose the provisioner, the removals keep it", () => {
    // A plan plan() produces, not a hand-built one: blocking guards come with decision hold, never with delete.
    const model = buildStackModel(plan(sandboxSnapshot(), sandboxAllowlist(), NOW), COMMAND);

    const acting = model.userResources.filter((r) => r.enforceArgv !== null);
    const blocked = model.userResources.filter((r) => r.enforceArgv === null);
    expect(acting.map((r) => [r.userName, r.input.action])).toEqual([
      ['former-contractor', 'quarantine'],
      ['legacy-etl', 'delete'],
      ['old-admin', 'delete'],
      ['temp-deploy-user', 'delete'],
    ]);
    expect(acting.every((r) => r.preconditionMessage === null)).toBe(true);
    expect(blocked.map((r) => r.userName)).toEqual(['analytics-reader', 'data-pipeline', 'key-admin-legacy', 'report-generator']);
    for (const resource of blocked) {
      expect(resource.input.action).toBe('delete');
      expect(resource.preconditionMessage).toContain(`"${resource.userName}"`);
    }
    expect(model.outputs.users_blocked).toEqual(blocked.map((r) => r.userName));
  });

  it('GIVEN blocking and non-blocking run guards WHEN modelled THEN they are split into block and warning', () => {
    const blocking: GuardFinding = {
      kind: 'max-removals',
      severity: 'medium',
      resource: null,
      region: null,
      message: '12 removals > 10',
      blocksRun: true,
    };
    const warning: GuardFinding = { ...blocking, kind: 'scan-incomplete', message: 'note', blocksRun: false };
    const model = buildStackModel(planOf([toDelete('x')], { runGuards: [blocking, warning] }), COMMAND);

    expect(model.runGuards).toEqual(['max-removals [medium]: 12 removals > 10']);
    expect(model.runGuardMessage).toContain('12 removals > 10');
    expect(model.runWarnings).toEqual(['scan-incomplete [medium]: note']);
    expect(model.outputs.run_blocked).toBe(true);
  });

  it('GIVEN a reported user and an inactive declared one (reported, as planned) WHEN modelled THEN both get report warnings', () => {
    const reported = userPlan('undeclared-report', { decision: 'report', intended: null, reasons: [] });
    const inactive = userPlan('bob', {
      decision: 'report',
      declared: true,
      reasons: ['inactive: unused for 120 days'],
      findings: [{ rule: 'inactive', severity: 'warning', message: 'inactive: unused for 120 days' }],
    });
    const model = buildStackModel(planOf([reported, inactive]), COMMAND);

    expect(model.reported.map((w) => w.checkName)).toEqual(['report_bob', 'report_undeclared-report']);
    expect(model.reported[0]!.details).toEqual(['inactive: unused for 120 days']);
    expect(model.reported[1]!.details.length).toBeGreaterThan(0);
  });

  it('GIVEN empty notices WHEN modelled THEN they are dropped', () => {
    expect(buildStackModel(planOf([], { notices: ['a', ''] }), COMMAND).notices).toEqual(['a']);
  });

  it('GIVEN an empty CLI command WHEN modelled THEN it is a usage error', () => {
    expect(() => buildStackModel(planOf([]), { ...COMMAND, cliCommand: [] })).toThrow(UsageError);
  });

  it('GIVEN a guard with resource and region WHEN formatted THEN both are named', () => {
    expect(formatGuard(kmsGuard(KEY, true))).toBe(`kms-key-policy [high]: named as a principal in the key policy (${KEY}, eu-west-1)`);
  });
});

describe('buildStackModel after enforcement', () => {
  it('GIVEN a quarantine now in place WHEN modelled THEN the same resource and triggers as when it was planned, without provisioner or warning', () => {
    const planned = buildStackModel(planOf([toQuarantine('former-contractor')]), COMMAND).userResources[0]!;
    const model = buildStackModel(planOf([quarantineDone('former-contractor')]), COMMAND);

    expect(model.userResources).toHaveLength(1);
    const done = model.userResources[0]!;
    expect(done.resourceName).toBe(planned.resourceName);
    expect(done.triggersReplace).toEqual(planned.triggersReplace);
    expect(done.input).toMatchObject({ action: 'quarantine', user_id: planned.triggersReplace.user_id });
    expect(done.enforceArgv).toBeNull();
    expect(done.preconditionMessage).toBeNull();
    expect(model.reported).toEqual([]);
    expect(model.outputs.users_reported).toEqual([]);
  });

  it('GIVEN the outputs before and after enforcing a quarantine WHEN compared THEN they are equal (no output change in the next plan)', () => {
    const before = buildStackModel(planOf([toQuarantine('former-contractor'), userPlan('alice', { declared: true })]), COMMAND);
    const after = buildStackModel(planOf([quarantineDone('former-contractor'), userPlan('alice', { declared: true })]), COMMAND);
    expect(after.outputs).toEqual(before.outputs);
  });

  it('GIVEN a quarantined user declared again WHEN modelled THEN the resource stays and a report check warns to release it', () => {
    const model = buildStackModel(planOf([stillQuarantined('back')]), COMMAND);
    expect(model.userResources.map((r) => [r.resourceName, r.triggersReplace.action, r.enforceArgv])).toEqual([
      ['quarantine_user_back', 'quarantine', null],
    ]);
    expect(model.reported.map((w) => w.checkName)).toEqual(['report_back']);
    expect(model.reported[0]!.message).toContain('iam-allowlist release --user back');
  });

  it('GIVEN a deleted user carried over from the state WHEN modelled THEN its resource is re-emitted as stored, without provisioner', () => {
    const gone = toDelete('temp-deploy-user');
    const before = buildStackModel(planOf([gone]), COMMAND);
    const stored = before.userResources[0]!.input;
    const completed = completedActionsFromState(stateOf([stateResource('temp-deploy-user', gone.userId, 'delete', { input: stored })]), []);

    const after = buildStackModel(planOf([]), COMMAND, completed);

    expect(after.userResources).toHaveLength(1);
    const resource = after.userResources[0]!;
    expect(resource.resourceName).toBe(before.userResources[0]!.resourceName);
    expect(resource.triggersReplace).toEqual(before.userResources[0]!.triggersReplace);
    expect(resource.input).toEqual(before.userResources[0]!.input);
    expect(resource.enforceArgv).toBeNull();
    expect(after.outputs).toEqual(before.outputs);
  });

  it("GIVEN a completed delete and a recreated user of that name WHEN modelled THEN the plan's resource (new UserId) wins", () => {
    const completed = completedActionsFromState(stateOf([stateResource('temp-deploy-user', 'AIDA0000000000000OLD', 'delete')]), []);
    const recreated = toDelete('temp-deploy-user');

    const model = buildStackModel(planOf([recreated]), COMMAND, completed);

    expect(model.userResources).toHaveLength(1);
    expect(model.userResources[0]!.triggersReplace.user_id).toBe(recreated.userId);
    expect(model.userResources[0]!.enforceArgv).not.toBeNull();
  });

  it('GIVEN planned and carried resources WHEN modelled THEN sorted by user name', () => {
    const completed = completedActionsFromState(stateOf([stateResource('mallory', 'AIDA00000000MALLORY0', 'delete')]), []);
    const model = buildStackModel(planOf([toDelete('zed'), quarantineDone('amy')]), COMMAND, completed);
    expect(model.userResources.map((r) => r.userName)).toEqual(['amy', 'mallory', 'zed']);
    expect(model.outputs.user_actions).toEqual({ amy: 'quarantine', mallory: 'delete', zed: 'delete' });
  });
});
