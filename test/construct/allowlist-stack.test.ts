import { ALL_GUARD_KINDS, allowlistOf, declaredUser, heldByKms, PLANNED_AT, planOf, toDelete, toQuarantine, userPlan } from './builders';
import { removeTempDirs, synthMany, synthOne, TEST_CLI } from './synth';
import type { GuardFinding } from '../../src/model/plan';
import { UsageError } from '../../src/errors';

afterAll(removeTempDirs);
const KEY = 'arn:aws:kms:eu-west-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab';

function sandboxLikePlan() {
  return planOf(
    [
      userPlan('alice', { declared: true, owner: 'alice@example.com' }),
      toQuarantine('former-contractor'),
      toDelete('temp-deploy-user', ['not declared in the allowlist', 'never used']),
      heldByKms('data-pipeline', KEY, true),
      heldByKms('report-generator', KEY.replace('eu-west-1', 'us-east-1'), false),
      // As the planner has an inactive declared user with defaults.onInactive "report": decision report.
      userPlan('bob', {
        decision: 'report',
        declared: true,
        reasons: ['inactive: unused 120 days'],
        findings: [{ rule: 'inactive', severity: 'warning', message: 'inactive: unused 120 days' }],
      }),
    ],
    { notices: ['exception legacy-etl expires 2026-03-05 (in 4 days)'] },
  );
}

describe('AllowlistStack (synthesized JSON)', () => {
  it('GIVEN planned actions WHEN synthesized THEN one terraform_data per action carries the reviewer input and local-exec', () => {
    const plan = sandboxLikePlan();
    const { json } = synthOne({ plan, allowlist: allowlistOf() });
    const data = json.resource.terraform_data;
    const temp = plan.users.find((u) => u.name === 'temp-deploy-user')!;

    expect(Object.keys(data).sort()).toEqual([
      'delete_user_data-pipeline',
      'delete_user_temp-deploy-user',
      'quarantine_user_former-contractor',
    ]);
    expect(data['delete_user_temp-deploy-user'].input).toEqual({
      action: 'delete',
      arn: temp.arn,
      reasons: ['not declared in the allowlist', 'never used'],
      user: 'temp-deploy-user',
      user_id: temp.userId,
      guards_checked: Object.fromEntries(ALL_GUARD_KINDS.map((kind) => [kind, 'passed'])),
      planned_at: PLANNED_AT,
    });
    expect(data['delete_user_temp-deploy-user'].triggers_replace).toEqual({ action: 'delete', user_id: temp.userId });
    expect(data['delete_user_temp-deploy-user'].lifecycle).toEqual({ ignore_changes: ['input'] });
    const [provisioner] = data['delete_user_temp-deploy-user'].provisioner;
    expect(provisioner['local-exec']).toEqual({
      interpreter: [...TEST_CLI, 'enforce', '--action', 'delete', '--user', 'temp-deploy-user', '--user-id', temp.userId, '--allowlist'],
      command: '/repo/allowlist.yaml',
      when: 'create',
    });
    expect(data['quarantine_user_former-contractor'].provisioner[0]['local-exec'].interpreter).toContain('quarantine');
  });

  it('GIVEN any plan WHEN synthesized THEN no provisioner runs at destroy time and no environment value is baked in', () => {
    const { json } = synthOne({ plan: sandboxLikePlan(), allowlist: allowlistOf() });
    for (const resource of Object.values<Record<string, any>>(json.resource.terraform_data)) {
      for (const p of resource.provisioner ?? []) {
        expect(p['local-exec'].when).toBe('create');
        expect(p['local-exec'].environment).toBeUndefined();
      }
    }
  });

  it('GIVEN a KMS-blocked user WHEN synthesized THEN its resource has a precondition on a local that holds the finding', () => {
    const { json } = synthOne({ plan: sandboxLikePlan(), allowlist: allowlistOf() });
    const blocked = json.resource.terraform_data['delete_user_data-pipeline'];

    expect(blocked.provisioner).toBeUndefined();
    expect(blocked.lifecycle.precondition).toHaveLength(1);
    expect(blocked.lifecycle.precondition[0].condition).toBe('${length(local.guard_findings["data-pipeline"]) == 0}');
    expect(blocked.lifecycle.precondition[0].error_message).toContain('data-pipeline');
    expect(blocked.lifecycle.precondition[0].error_message).toContain(KEY);
    // The condition can only fail if the local really holds a finding for the user.
    expect(json.locals.guard_findings['data-pipeline']).toHaveLength(1);
    expect(json.locals.guard_findings['data-pipeline'][0]).toContain(KEY);
  });

  it('GIVEN a blocking run guard WHEN synthesized THEN a run_guards resource has a failing precondition', () => {
    const guard: GuardFinding = {
      kind: 'scan-incomplete',
      severity: 'critical',
      resource: null,
      region: 'eu-west-1',
      message: 'ListKeys failed: AccessDeniedException',
      blocksRun: true,
    };
    const { json } = synthOne({ plan: planOf([toDelete('x')], { runGuards: [guard] }), allowlist: allowlistOf() });
    const runGuards = json.resource.terraform_data.run_guards;

    expect(runGuards.lifecycle.precondition[0].condition).toBe('${length(local.run_guards) == 0}');
    expect(runGuards.lifecycle.precondition[0].error_message).toContain('ListKeys failed');
    expect(json.locals.run_guards).toHaveLength(1);
    expect(json.output.run_blocked.value).toBe(true);
  });

  it('GIVEN no run guard WHEN synthesized THEN there is no run_guards resource', () => {
    const { json } = synthOne({ plan: planOf([toDelete('x')]), allowlist: allowlistOf() });
    expect(json.resource.terraform_data.run_guards).toBeUndefined();
    expect(json.output.run_blocked.value).toBe(false);
  });

  it('GIVEN guards.kms hold WHEN synthesized THEN the held user has no resource, only a check warning', () => {
    const plan = planOf([heldByKms('data-pipeline', KEY, false)]);
    const { json } = synthOne({ plan, allowlist: allowlistOf([], { guards: { ...allowlistOf().guards, kms: 'hold' } }) });

    expect(json.resource).toBeUndefined();
    const check = json.check['held_data-pipeline'];
    expect(check.assert[0].condition).toBe('${length(local.held_users["data-pipeline"]) == 0}');
    expect(check.assert[0].error_message).toContain(KEY);
    expect(json.output.users_held.value).toEqual(['data-pipeline']);
  });

  it('GIVEN inactive declared users and notices WHEN synthesized THEN they become check blocks', () => {
    const { json } = synthOne({ plan: sandboxLikePlan(), allowlist: allowlistOf() });

    expect(Object.keys(json.check).sort()).toEqual(['held_report-generator', 'plan_notices', 'report_bob']);
    expect(json.check.plan_notices.assert[0]).toEqual({
      condition: '${length(local.notices[0]) == 0}',
      error_message: 'exception legacy-etl expires 2026-03-05 (in 4 days)',
    });
    expect(json.check.report_bob.assert[0].error_message).toContain('unused 120 days');
  });

  it('GIVEN a plan WHEN synthesized THEN outputs name the actions and the users held, blocked or reported, and nothing else', () => {
    const plan = sandboxLikePlan();
    const { json } = synthOne({ plan, allowlist: allowlistOf() });

    // No counts or pending lists: they change once enforced, and a changed output is a change for -detailed-exitcode.
    expect(Object.keys(json.output).sort()).toEqual([
      'account_id',
      'run_blocked',
      'user_actions',
      'users_blocked',
      'users_held',
      'users_reported',
    ]);
    expect(json.output.user_actions.value).toEqual({ 'former-contractor': 'quarantine', 'temp-deploy-user': 'delete' });
    expect(json.output.users_held.value).toEqual(['data-pipeline', 'report-generator']);
    expect(json.output.users_blocked.value).toEqual(['data-pipeline']);
    expect(json.output.account_id.value).toBe('111122223333');
  });

  it('GIVEN the same plan WHEN synthesized twice THEN the JSON is byte-identical', () => {
    const first = synthOne({ plan: sandboxLikePlan(), allowlist: allowlistOf(), localStatePath: 'terraform.tfstate' });
    const second = synthOne({
      plan: planOf([...sandboxLikePlan().users].reverse(), { notices: sandboxLikePlan().notices }),
      allowlist: allowlistOf(),
      localStatePath: 'terraform.tfstate',
    });
    expect(second.text).toBe(first.text);
  });

  it('GIVEN text with template openers WHEN synthesized THEN Terraform will read it literally', () => {
    const plan = planOf([toDelete('x', ['policy says ${aws:username}'])]);
    const { json } = synthOne({ plan, allowlist: allowlistOf(), allowlistFile: '/tmp/%{weird}/allowlist.yaml' });
    const resource = json.resource.terraform_data.delete_user_x;
    expect(resource.input.reasons).toEqual(['policy says $${aws:username}']);
    expect(resource.provisioner[0]['local-exec'].command).toBe('/tmp/%%{weird}/allowlist.yaml');
  });

  it('GIVEN default options WHEN synthesized THEN no provider is required', () => {
    const { json } = synthOne({ plan: sandboxLikePlan(), allowlist: allowlistOf() });
    expect(json.provider).toBeUndefined();
    expect(json.terraform?.required_providers).toBeUndefined();
  });
});

describe('manageDeclaredUsers', () => {
  const allowlist = allowlistOf([
    declaredUser('alice', { path: '/engineering/', owner: 'alice@example.com', reason: 'Platform lead (on-call), see JIRA#12' }),
    declaredUser('new-hire', { owner: 'hr@example.com' }),
    declaredUser('legacy-etl', { expires: '2026-01-31' }),
  ]);
  const plan = planOf([
    userPlan('alice', { declared: true, path: '/engineering/' }),
    toDelete('legacy-etl', ['allowlist entry expired on 2026-01-31']),
  ]);

  it('GIVEN declared users WHEN synthesized with manageDeclaredUsers THEN aws_iam_user is protected and tagged', () => {
    const { json } = synthOne({ plan, allowlist, manageDeclaredUsers: true });
    const users = json.resource.aws_iam_user;

    expect(Object.keys(users).sort()).toEqual(['declared_alice', 'declared_new-hire']);
    expect(users.declared_alice).toMatchObject({
      name: 'alice',
      path: '/engineering/',
      force_destroy: false,
      lifecycle: { prevent_destroy: true },
      tags: { owner: 'alice@example.com', reason: 'Platform lead on-call see JIRA 12' },
    });
    expect(json.provider.aws[0].region).toBe('us-east-1');
    expect(json.terraform.required_providers.aws.source).toBe('aws');
  });

  it('GIVEN a declared user that exists WHEN synthesized THEN an import block adopts it; a missing one is not imported', () => {
    const { json } = synthOne({ plan, allowlist, manageDeclaredUsers: true });
    expect(json.import).toEqual([{ id: 'alice', to: 'aws_iam_user.declared_alice' }]);
  });

  it('GIVEN an assume-role ARN WHEN synthesized THEN the provider assumes it', () => {
    const roleArn = 'arn:aws:iam::111122223333:role/iam-allowlist';
    const { json } = synthOne({ plan, allowlist, manageDeclaredUsers: true, assumeRoleArn: roleArn });
    expect(json.provider.aws[0].assume_role).toEqual([{ role_arn: roleArn }]);
  });
});

describe('several accounts', () => {
  const other = '444455556666';
  const role = (account: string): string => `arn:aws:iam::${account}:role/iam-allowlist`;

  it('GIVEN two accounts WHEN synthesized THEN each stack enforces in its own account via --assume-role', () => {
    const { result, stacks } = synthMany([
      {
        plan: planOf([toDelete('a')]),
        allowlist: allowlistOf(),
        cliCommand: TEST_CLI,
        allowlistFile: '/r/a.yaml',
        assumeRoleArn: role('111122223333'),
      },
      {
        plan: planOf([toDelete('b')], { accountId: other }),
        allowlist: allowlistOf([], { account: other }),
        cliCommand: TEST_CLI,
        allowlistFile: '/r/b.yaml',
        assumeRoleArn: role(other),
      },
    ]);

    expect(result.stacks.map((s) => s.name)).toEqual(['iam-allowlist-111122223333', `iam-allowlist-${other}`]);
    const argvA = stacks[0]!.resource.terraform_data.delete_user_a.provisioner[0]['local-exec'].interpreter;
    const argvB = stacks[1]!.resource.terraform_data.delete_user_b.provisioner[0]['local-exec'].interpreter;
    expect(argvA).toEqual(expect.arrayContaining(['--assume-role', role('111122223333')]));
    expect(argvB).toEqual(expect.arrayContaining(['--assume-role', role(other)]));
    expect(stacks[1]!.resource.terraform_data.delete_user_b.provisioner[0]['local-exec'].command).toBe('/r/b.yaml');
  });

  it('GIVEN the same account twice WHEN synthesized THEN it is a usage error', () => {
    const props = { plan: planOf([]), allowlist: allowlistOf(), cliCommand: TEST_CLI, allowlistFile: '/r/a.yaml' };
    expect(() => synthMany([props, props])).toThrow(UsageError);
  });

  it('GIVEN an allowlist pinned to another account WHEN synthesized THEN it is a usage error', () => {
    const props = { plan: planOf([]), allowlist: allowlistOf([], { account: other }), cliCommand: TEST_CLI, allowlistFile: '/r/a.yaml' };
    expect(() => synthMany([props])).toThrow(/pins account/);
  });
});
