/** Completed actions read from a previous Terraform state, and the run id main.ts passes to enforce. */
import * as fs from 'fs';
import * as path from 'path';
import { UsageError } from '../../src/errors';
import { blockNameForUser, resourceNameForAction } from '../../src/construct/names';
import { completedActionsFromState } from '../../src/construct/previous-state';
import { loadCompletedActions } from '../../src/construct/previous-state-file';
import { runIdFor } from '../../src/construct/run-id';
import { stateOf, stateResource } from './builders';
import { removeTempDirs, tempDir } from './synth';

afterAll(removeTempDirs);

const GONE = 'AIDA000000000000GONE';
const LIVE = 'AIDA000000000000LIVE';

describe('completedActionsFromState', () => {
  it('GIVEN a delete whose user is gone WHEN read THEN one completed action with input and triggers as stored', () => {
    const state = stateOf([stateResource('temp-deploy-user', GONE, 'delete', { reasons: ['undeclared', 'literal ${x}'] })]);

    const actions = completedActionsFromState(state, [LIVE]);

    expect(actions).toEqual([
      {
        resourceName: 'delete_user_temp-deploy-user',
        userName: 'temp-deploy-user',
        input: {
          action: 'delete',
          arn: 'arn:aws:iam::111122223333:user/temp-deploy-user',
          reasons: ['undeclared', 'literal ${x}'],
          user: 'temp-deploy-user',
          user_id: GONE,
        },
        triggersReplace: { user_id: GONE, action: 'delete' },
      },
    ]);
  });

  it('GIVEN a resource whose user still exists WHEN read THEN it is not completed (the plan decides about it)', () => {
    expect(completedActionsFromState(stateOf([stateResource('former-contractor', LIVE, 'quarantine')]), [LIVE])).toEqual([]);
  });

  it('GIVEN a tainted resource (enforce failed) WHEN read THEN it is not completed', () => {
    expect(completedActionsFromState(stateOf([stateResource('refused-user', GONE, 'delete', { status: 'tainted' })]), [])).toEqual([]);
  });

  it('GIVEN resources this stack never writes WHEN read THEN they are skipped', () => {
    const state = stateOf([
      stateResource('in-module', GONE, 'delete', { module: 'module.other' }),
      stateResource('counted', GONE, 'delete', { indexKey: 0 }),
      stateResource('renamed', GONE, 'delete', { resourceName: 'user_someone-else' }),
      { ...stateResource('run', GONE, 'delete'), name: 'run_guards' },
      { ...stateResource('data', GONE, 'delete'), mode: 'data' },
      { ...stateResource('other-type', GONE, 'delete'), type: 'null_resource' },
      stateResource('kept', GONE, 'delete'),
    ]);

    expect(completedActionsFromState(state, []).map((a) => a.userName)).toEqual(['kept']);
  });

  it('GIVEN a name Terraform cannot use as is WHEN read THEN only its hashed block name is recognised', () => {
    const hashed = resourceNameForAction('delete', 'a.b');
    const real = stateOf([stateResource('a.b', GONE, 'delete', { resourceName: hashed })]);
    expect(completedActionsFromState(real, []).map((a) => a.resourceName)).toEqual([hashed]);
    expect(completedActionsFromState(stateOf([stateResource('a.b', GONE, 'delete', { resourceName: 'delete_user_a_b' })]), [])).toEqual([]);
  });

  it('GIVEN resources in any order WHEN read THEN sorted by resource name (deterministic synthesis)', () => {
    const state = stateOf([stateResource('zed', GONE, 'delete'), stateResource('amy', 'AIDA00000000000AMY0', 'quarantine')]);
    expect(completedActionsFromState(state, []).map((a) => a.resourceName)).toEqual(['delete_user_zed', 'quarantine_user_amy']);
  });

  it('GIVEN a state written before the addresses named the action (user_<name>) WHEN read THEN the action, under its new address', () => {
    const legacy = stateOf([
      stateResource('temp-deploy-user', GONE, 'delete', { resourceName: 'user_temp-deploy-user' }),
      stateResource('a.b', 'AIDA0000000000000AB0', 'quarantine', { resourceName: blockNameForUser('user', 'a.b') }),
    ]);

    const actions = completedActionsFromState(legacy, []);

    expect(actions.map((a) => [a.userName, a.resourceName, a.triggersReplace.action])).toEqual([
      ['temp-deploy-user', 'delete_user_temp-deploy-user', 'delete'],
      ['a.b', resourceNameForAction('quarantine', 'a.b'), 'quarantine'],
    ]);
    // A legacy address of another action's name, or a legacy name that does not derive from the user, is not this stack's.
    expect(completedActionsFromState(stateOf([stateResource('x', GONE, 'delete', { resourceName: 'quarantine_user_x' })]), [])).toEqual([]);
    expect(completedActionsFromState(stateOf([stateResource('a.b', GONE, 'delete', { resourceName: 'user_a_b' })]), [])).toEqual([]);
  });

  it('GIVEN two completed actions for one gone user WHEN read THEN one: current address before legacy, delete before quarantine', () => {
    const both = stateOf([
      stateResource('x', GONE, 'delete', { resourceName: 'user_x', reasons: ['legacy'] }),
      stateResource('x', GONE, 'delete', { reasons: ['current'] }),
    ]);
    expect(completedActionsFromState(both, []).map((a) => [a.resourceName, a.input.reasons])).toEqual([['delete_user_x', ['current']]]);

    const twoActions = stateOf([stateResource('x', GONE, 'quarantine'), stateResource('x', GONE, 'delete')]);
    expect(completedActionsFromState(twoActions, []).map((a) => a.resourceName)).toEqual(['delete_user_x']);
  });

  it('GIVEN something that is not a version-4 state WHEN read THEN a usage error', () => {
    expect(() => completedActionsFromState({ version: 3, modules: [] }, [])).toThrow(UsageError);
    expect(() => completedActionsFromState(null, [])).toThrow(UsageError);
  });
});

describe('loadCompletedActions', () => {
  const state = JSON.stringify(stateOf([stateResource('temp-deploy-user', GONE, 'delete')]));

  it('GIVEN cdktf default local state in the project directory WHEN loaded THEN its completed actions', () => {
    const dir = tempDir('prev');
    fs.writeFileSync(path.join(dir, 'terraform.iam-allowlist.tfstate'), state);

    const result = loadCompletedActions({ stackName: 'iam-allowlist', projectDirectory: dir }, []);

    expect(result.source).toBe(path.join(dir, 'terraform.iam-allowlist.tfstate'));
    expect(result.completedActions.map((a) => a.userName)).toEqual(['temp-deploy-user']);
  });

  it('GIVEN no state file WHEN loaded THEN nothing, no warning (a first run)', () => {
    expect(loadCompletedActions({ stackName: 'iam-allowlist', projectDirectory: tempDir('prev') }, [])).toEqual({
      source: null,
      completedActions: [],
      warning: null,
    });
  });

  it('GIVEN a corrupt default state WHEN loaded THEN nothing, with a warning', () => {
    const dir = tempDir('prev');
    fs.writeFileSync(path.join(dir, 'terraform.iam-allowlist.tfstate'), '{not json');
    const result = loadCompletedActions({ stackName: 'iam-allowlist', projectDirectory: dir }, []);
    expect(result.completedActions).toEqual([]);
    expect(result.warning).toContain('is not JSON');
  });

  it('GIVEN an explicit file (terraform state pull) WHEN loaded THEN it wins over the default; empty output means no state', () => {
    const dir = tempDir('prev');
    fs.writeFileSync(path.join(dir, 'terraform.iam-allowlist.tfstate'), JSON.stringify(stateOf([])));
    const pulled = path.join(dir, 'pulled.tfstate');
    fs.writeFileSync(pulled, state);
    expect(
      loadCompletedActions({ stackName: 'iam-allowlist', projectDirectory: dir, explicitFile: pulled }, []).completedActions,
    ).toHaveLength(1);
    fs.writeFileSync(pulled, '\n');
    expect(loadCompletedActions({ stackName: 'iam-allowlist', projectDirectory: dir, explicitFile: pulled }, []).completedActions).toEqual(
      [],
    );
  });

  it('GIVEN an explicit file that is missing or not a state WHEN loaded THEN a usage error', () => {
    const dir = tempDir('prev');
    expect(() => loadCompletedActions({ stackName: 's', explicitFile: path.join(dir, 'missing.tfstate') }, [])).toThrow(UsageError);
    fs.writeFileSync(path.join(dir, 'bad.tfstate'), '[]');
    expect(() => loadCompletedActions({ stackName: 's', explicitFile: path.join(dir, 'bad.tfstate') }, [])).toThrow(UsageError);
  });
});

describe('runIdFor', () => {
  it('GIVEN the same snapshot WHEN derived twice THEN the same short id; another scan time THEN another id', () => {
    const snapshot = { accountId: '111122223333', takenAt: '2026-03-01T12:00:00.000Z' };
    expect(runIdFor(snapshot)).toMatch(/^[0-9a-f]{16}$/);
    expect(runIdFor({ ...snapshot })).toBe(runIdFor(snapshot));
    expect(runIdFor({ ...snapshot, takenAt: '2026-03-01T12:00:01.000Z' })).not.toBe(runIdFor(snapshot));
    expect(runIdFor({ ...snapshot, accountId: '444455556666' })).not.toBe(runIdFor(snapshot));
  });
});
