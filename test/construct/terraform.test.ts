/**
 * The synthesized stack run through the real terraform binary (built-ins only, so no provider
 * download and no AWS). The CLI is replaced by a recorder script that appends its argv to a file.
 */
import { heldByKms, planOf, quarantineDone, toDelete, toQuarantine, userPlan } from './builders';
import { removeTempDirs } from './synth';
import { Workspace } from './terraform-workspace';

afterAll(removeTempDirs);
const KEY = 'arn:aws:kms:eu-west-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab';
describe('synthesized stack under terraform', () => {
  jest.setTimeout(120_000);

  it('GIVEN a delete and a quarantine WHEN planned THEN terraform shows both terraform_data with their input', () => {
    const ws = new Workspace();
    ws.write(planOf([toDelete('temp-deploy-user'), toQuarantine('former-contractor'), userPlan('alice', { declared: true })]));
    ws.init();

    const run = ws.plan();

    expect(run.stderr).toBe('');
    expect(run.status).toBe(2);
    expect(run.stdout).toContain('terraform_data.delete_user_temp-deploy-user will be created');
    expect(run.stdout).toContain('terraform_data.quarantine_user_former-contractor will be created');
    expect(run.stdout).toMatch(/action\s+= "quarantine"/);
    expect(run.stdout).toContain('Plan: 2 to add, 0 to change, 0 to destroy.');
    expect(ws.calls()).toEqual([]);
  });

  it('GIVEN a KMS-blocked user WHEN planned THEN the precondition fails naming user and key', () => {
    const ws = new Workspace();
    ws.write(planOf([toDelete('temp-deploy-user'), heldByKms('data-pipeline', KEY, true)]));
    ws.init();

    const run = ws.plan();

    expect(run.status).toBe(1);
    expect(run.stderr).toContain('Resource precondition failed');
    expect(run.stderr).toContain('IAM user "data-pipeline"');
    expect(run.stderr).toContain(KEY);
    const apply = ws.apply();
    expect(apply.status).toBe(1);
    expect(ws.calls()).toEqual([]);
  });

  it('GIVEN a blocking run guard WHEN planned THEN the run precondition fails and nothing is applied', () => {
    const ws = new Workspace();
    ws.write(
      planOf([toDelete('temp-deploy-user')], {
        runGuards: [
          {
            kind: 'max-removals',
            severity: 'medium',
            resource: null,
            region: null,
            message: '12 removals exceed the limit of 10',
            blocksRun: true,
          },
        ],
      }),
    );
    ws.init();

    const run = ws.apply();

    expect(run.status).toBe(1);
    expect(run.stderr).toContain('12 removals exceed the limit of 10');
    expect(ws.calls()).toEqual([]);
  });

  it('GIVEN held users and notices WHEN applied and planned again THEN they stay warnings that never block', () => {
    const ws = new Workspace();
    ws.write(planOf([heldByKms('report-generator', KEY, false)], { notices: ['exception legacy-etl expires in 4 days'] }));
    ws.init();

    const apply = ws.apply();
    const run = ws.plan();

    expect(apply.status).toBe(0);
    expect(apply.stdout).toContain('IAM user "report-generator" is held');
    expect(run.status).toBe(0);
    expect(run.stdout).toContain('No changes.');
    expect(run.stdout).toContain('Check block assertion failed');
    expect(run.stdout).toContain('IAM user "report-generator" is held');
    expect(run.stdout).toContain('exception legacy-etl expires in 4 days');
  });

  it('GIVEN an applied plan WHEN the enforced user is gone from the next plan THEN only state is dropped and the plan after that is clean', () => {
    const ws = new Workspace();
    const quarantined = toQuarantine('former-contractor');
    const deleted = toDelete('temp-deploy-user');
    ws.write(planOf([deleted, quarantined]));
    ws.init();

    // WHEN applied: the CLI is called once per action, with the plan-time UserId and the inherited env.
    const apply = ws.apply();
    expect(apply.status).toBe(0);
    expect(ws.calls()).toEqual(
      expect.arrayContaining([
        {
          argv: [
            'enforce',
            '--action',
            'delete',
            '--user',
            'temp-deploy-user',
            '--user-id',
            deleted.userId,
            '--allowlist',
            '/repo/allowlist.yaml',
          ],
          region: 'eu-west-1',
        },
        {
          argv: [
            'enforce',
            '--action',
            'quarantine',
            '--user',
            'former-contractor',
            '--user-id',
            quarantined.userId,
            '--allowlist',
            '/repo/allowlist.yaml',
          ],
          region: 'eu-west-1',
        },
      ]),
    );
    expect(ws.calls()).toHaveLength(2);

    // THEN re-planning the quarantined user, whose reasons now say "a day older", changes nothing.
    ws.write(planOf([deleted, { ...quarantined, reasons: ['inactive for 201 days'] }]));
    expect(ws.plan().stdout).toContain('No changes.');

    // WHEN the deleted user is gone from the next plan THEN its state-only object is dropped, nothing runs.
    ws.write(planOf([quarantined]));
    const second = ws.plan();
    expect(second.stdout).toContain('terraform_data.delete_user_temp-deploy-user will be destroyed');
    expect(second.stdout).toContain('Plan: 0 to add, 0 to change, 1 to destroy.');
    expect(ws.apply().status).toBe(0);
    expect(ws.calls()).toHaveLength(2);

    // THEN the plan after that is clean.
    const third = ws.plan();
    expect(third.status).toBe(0);
    expect(third.stdout).toContain('No changes.');
  });

  it('GIVEN a recreated user (new UserId) WHEN planned again THEN the resource is replaced so enforce runs again', () => {
    const ws = new Workspace();
    const first = toDelete('temp-deploy-user');
    ws.write(planOf([first]));
    ws.init();
    expect(ws.apply().status).toBe(0);

    ws.write(planOf([{ ...first, userId: 'AIDA0000000000000NEW' }]));
    const run = ws.apply();

    expect(run.status).toBe(0);
    expect(run.stdout).toContain('must be replaced');
    expect(ws.calls().map((c) => c.argv[6])).toEqual([first.userId, 'AIDA0000000000000NEW']);
  });

  it('GIVEN enforce fails (the CLI refuses) WHEN applied THEN apply fails and the next plan runs it again', () => {
    const ws = new Workspace();
    ws.write(planOf([toDelete('refused-user')]));
    ws.init();

    const apply = ws.apply();
    const next = ws.plan();

    expect(apply.status).toBe(1);
    expect(apply.stderr).toContain('local-exec provisioner error');
    expect(next.status).toBe(2);
    expect(next.stdout).toContain('terraform_data.delete_user_refused-user is tainted, so must be replaced');
  });
});

describe('a run after enforcement is clean', () => {
  jest.setTimeout(120_000);
  const alice = userPlan('alice', { declared: true, reasons: ['declared (owner alice@example.com)'] });

  it('GIVEN an applied delete and quarantine WHEN the deleted user is gone and the quarantine is in place THEN plan -detailed-exitcode exits 0 and nothing runs', () => {
    const ws = new Workspace();
    ws.write(planOf([alice, toQuarantine('former-contractor'), toDelete('temp-deploy-user')]));
    ws.init();
    expect(ws.apply().status).toBe(0);
    expect(ws.calls()).toHaveLength(2);

    // WHEN the next synthesis sees the account after enforcement, with the completed actions from state
    const next = planOf([alice, quarantineDone('former-contractor')]);
    const completed = ws.completedFor(next);
    expect(completed.map((c) => c.userName)).toEqual(['temp-deploy-user']);
    ws.write(next, completed);
    const run = ws.plan();

    // THEN no resource change and no output change
    expect(run.stderr).toBe('');
    expect(run.status).toBe(0);
    expect(run.stdout).toContain('No changes.');
    expect(run.stdout).not.toContain('Check block assertion failed');
    expect(ws.apply().status).toBe(0);
    expect(ws.calls()).toHaveLength(2);
  });

  it('GIVEN the same without the previous state WHEN planned THEN the deleted user shows as a state-only destroy (the documented limitation)', () => {
    const ws = new Workspace();
    ws.write(planOf([alice, toDelete('temp-deploy-user')]));
    ws.init();
    expect(ws.apply().status).toBe(0);

    ws.write(planOf([alice]));
    const run = ws.plan();

    expect(run.status).toBe(2);
    expect(run.stdout).toContain('terraform_data.delete_user_temp-deploy-user will be destroyed');
  });

  it('GIVEN a quarantined user WHEN planned again and again THEN exit 0 each time', () => {
    const ws = new Workspace();
    ws.write(planOf([toQuarantine('former-contractor')]));
    ws.init();
    expect(ws.apply().status).toBe(0);

    for (const reasons of [['quarantined since 2026-02-10 (inactive)'], ['quarantined since 2026-02-10 (inactive)', 'a day older']]) {
      ws.write(planOf([{ ...quarantineDone('former-contractor'), reasons }]));
      const run = ws.plan();
      expect(run.status).toBe(0);
      expect(run.stdout).toContain('No changes.');
    }
    expect(ws.calls()).toHaveLength(1);
  });

  it('GIVEN a quarantine done outside Terraform WHEN applied THEN the resource is recorded and nothing runs', () => {
    const ws = new Workspace();
    ws.write(planOf([quarantineDone('former-contractor')]));
    ws.init();

    const apply = ws.apply();

    expect(apply.status).toBe(0);
    expect(apply.stdout).toContain('1 added');
    expect(ws.calls()).toEqual([]);
    expect(ws.plan().status).toBe(0);
  });

  it('GIVEN a completed delete WHEN a user of that name is recreated (new UserId) THEN the resource is replaced and enforce runs again', () => {
    const ws = new Workspace();
    const first = toDelete('temp-deploy-user');
    ws.write(planOf([first]));
    ws.init();
    expect(ws.apply().status).toBe(0);
    const gone = planOf([]);
    ws.write(gone, ws.completedFor(gone));
    expect(ws.plan().status).toBe(0);

    const recreated = planOf([{ ...first, userId: 'AIDA0000000000000NEW' }]);
    ws.write(recreated, ws.completedFor(recreated));
    const run = ws.apply();

    expect(run.status).toBe(0);
    expect(run.stdout).toContain('must be replaced');
    expect(ws.calls().map((c) => c.argv[6])).toEqual([first.userId, 'AIDA0000000000000NEW']);
  });
});
