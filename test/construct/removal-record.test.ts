/** The removal record (terraform_data `input`), the action in the address, and the `moved` blocks from the legacy one. */
import { buildStackModel, type RemovalRecord } from '../../src/construct/stack-model';
import { completedActionsFromState } from '../../src/construct/previous-state';
import type { GuardFinding } from '../../src/model/plan';
import { RUN_GUARD_RECORDS, USER_GUARD_RECORDS } from '../../src/plan/guards';
import { plan } from '../../src/plan/plan';
import { NOW } from '../plan/fixtures';
import { sandboxAllowlist, sandboxSnapshot } from '../plan/scenario';
import {
  ALL_GUARD_KINDS,
  allowlistOf,
  heldByKms,
  PLANNED_AT,
  planOf,
  quarantineDone,
  stateOf,
  stateResource,
  toDelete,
  toQuarantine,
} from './builders';
import { removeTempDirs, synthOne } from './synth';

afterAll(removeTempDirs);

const COMMAND = { cliCommand: ['node', '/cli.js'], allowlistFile: '/repo/allowlist.yaml' };
const KEY = 'arn:aws:kms:eu-west-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab';
const SHA = 'e1d899d4c1edde1f179dfdbc374daaa0d58a4ffa970633c7b68dd281d72f2ebe';

function recordOf(model: ReturnType<typeof buildStackModel>, userName: string): RemovalRecord {
  return model.userResources.find((r) => r.userName === userName)!.input as RemovalRecord;
}

describe('resource addresses', () => {
  it('GIVEN a delete, a quarantine, a blocked delete and a quarantine in place WHEN modelled THEN each address names its action', () => {
    const model = buildStackModel(
      planOf([toDelete('old-admin'), toQuarantine('former-contractor'), heldByKms('data-pipeline', KEY, true), quarantineDone('amy')]),
      COMMAND,
    );
    expect(model.userResources.map((r) => [r.resourceName, r.movedFrom])).toEqual([
      ['quarantine_user_amy', 'user_amy'],
      ['delete_user_data-pipeline', 'user_data-pipeline'],
      ['quarantine_user_former-contractor', 'user_former-contractor'],
      ['delete_user_old-admin', 'user_old-admin'],
    ]);
  });

  it('GIVEN a deleted user recorded at its legacy address WHEN carried over THEN the new address, moved from the old one', () => {
    const gone = toDelete('temp-deploy-user');
    const completed = completedActionsFromState(
      stateOf([stateResource('temp-deploy-user', gone.userId, 'delete', { resourceName: 'user_temp-deploy-user' })]),
      [],
    );
    const model = buildStackModel(planOf([]), COMMAND, completed);
    expect(model.userResources.map((r) => [r.resourceName, r.movedFrom, r.enforceArgv])).toEqual([
      ['delete_user_temp-deploy-user', 'user_temp-deploy-user', null],
    ]);
  });

  it("GIVEN a gone user's completed quarantine and its recreated namesake to delete WHEN modelled THEN one resource: the plan's", () => {
    const completed = completedActionsFromState(stateOf([stateResource('x', 'AIDA0000000000000OLD', 'quarantine')]), []);
    const model = buildStackModel(planOf([toDelete('x')]), COMMAND, completed);
    expect(model.userResources.map((r) => [r.resourceName, r.enforceArgv !== null])).toEqual([['delete_user_x', true]]);
  });

  it('GIVEN a plan WHEN synthesized THEN one `moved` block per user resource, from its legacy address', () => {
    const { json } = synthOne({ plan: planOf([toDelete('old-admin'), toQuarantine('a.b')]), allowlist: allowlistOf() });
    const hashed = Object.keys(json.resource.terraform_data).find((name) => name.startsWith('quarantine_user_a_b_'))!;
    expect(hashed).toMatch(/^quarantine_user_a_b_[0-9a-f]{8}$/);
    expect(json.moved).toEqual([
      { from: `terraform_data.${hashed.replace('quarantine_', '')}`, to: `terraform_data.${hashed}` },
      { from: 'terraform_data.user_old-admin', to: 'terraform_data.delete_user_old-admin' },
    ]);
  });
});

describe('the removal record', () => {
  it('GIVEN a delete and the allowlist digest WHEN modelled THEN the record says what, who, why, guards, when, which allowlist', () => {
    const user = toDelete('old-admin', ['not declared in the allowlist', 'last used 300 days ago']);
    const model = buildStackModel(planOf([user]), COMMAND, [], { allowlistSha256: SHA });
    expect(recordOf(model, 'old-admin')).toEqual({
      action: 'delete',
      user: 'old-admin',
      user_id: user.userId,
      arn: user.arn,
      reasons: ['not declared in the allowlist', 'last used 300 days ago'],
      guards_checked: Object.fromEntries(ALL_GUARD_KINDS.map((kind) => [kind, 'passed'])),
      planned_at: PLANNED_AT,
      allowlist_sha256: SHA,
    });
  });

  it('GIVEN no digest WHEN modelled THEN the record has no allowlist_sha256 key (not an empty one)', () => {
    expect(Object.keys(recordOf(buildStackModel(planOf([toDelete('x')]), COMMAND), 'x'))).not.toContain('allowlist_sha256');
  });

  it('GIVEN the guard registries WHEN listed THEN guards_checked covers every user and run guard kind', () => {
    expect([...Object.keys(USER_GUARD_RECORDS), ...Object.keys(RUN_GUARD_RECORDS)].sort()).toEqual([...ALL_GUARD_KINDS]);
  });

  it('GIVEN a blocking KMS finding and a run warning WHEN modelled THEN guards_checked says what each found, the others passed', () => {
    const warning: GuardFinding = {
      kind: 'scan-incomplete',
      severity: 'high',
      resource: null,
      region: 'ap-southeast-2',
      message: 'region not scanned',
      blocksRun: false,
    };
    const model = buildStackModel(planOf([heldByKms('data-pipeline', KEY, true), toDelete('x')], { runGuards: [warning] }), COMMAND);

    const blocked = recordOf(model, 'data-pipeline').guards_checked;
    expect(blocked['kms-key-policy']).toBe('high: named as a principal in the key policy');
    expect(blocked['scan-incomplete']).toBe('high: region not scanned');
    const found = Object.entries(blocked)
      .filter(([, result]) => result !== 'passed')
      .map(([kind]) => kind);
    expect(found).toEqual(['kms-key-policy', 'scan-incomplete']);
    expect(recordOf(model, 'x').guards_checked['kms-key-policy']).toBe('passed');
    expect(recordOf(model, 'x').guards_checked['scan-incomplete']).toBe('high: region not scanned');
  });

  it('GIVEN a quarantine already in place WHEN modelled THEN its record lists no guard: none ran, nothing was to be done', () => {
    const record = recordOf(buildStackModel(planOf([quarantineDone('amy')]), COMMAND), 'amy');
    expect(record).toMatchObject({ action: 'quarantine', user: 'amy', planned_at: PLANNED_AT });
    expect(record.guards_checked).toEqual({});
  });

  it("GIVEN the planner's sandbox plan (guards.kms block) WHEN modelled THEN a blocked record names the KMS guard that found it", () => {
    const model = buildStackModel(plan(sandboxSnapshot(), sandboxAllowlist(), NOW), COMMAND);
    const dataPipeline = recordOf(model, 'data-pipeline');
    expect(dataPipeline.planned_at).toBe(NOW.toISOString());
    expect(dataPipeline.guards_checked['kms-key-policy']).toContain('arn:aws:kms:eu-west-1:111122223333:key/eu-pipeline');
    expect(recordOf(model, 'old-admin').guards_checked['kms-key-policy']).toBe('passed');
  });
});
