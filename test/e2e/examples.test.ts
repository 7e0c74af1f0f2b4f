/**
 * The GitHub Actions example must keep working as the CLI changes: every iam-allowlist command and
 * option it uses must exist, and the jobs must keep their safety properties.
 */
import * as fs from 'fs';
import * as path from 'path';
import { parse } from 'yaml';
import { CLI, REPO_ROOT, removeTempDirs, run, tempDir } from './helpers';

const WORKFLOW = path.join(REPO_ROOT, 'examples', 'github-actions', 'iam-allowlist.yml');

interface Step {
  name?: string;
  run?: string;
  uses?: string;
  if?: string;
  with?: Record<string, unknown>;
  env?: Record<string, string>;
}
interface Job {
  if?: string;
  needs?: string | string[];
  permissions?: Record<string, string>;
  environment?: string;
  concurrency?: { group: string; 'cancel-in-progress': boolean };
  steps: Step[];
}
interface Workflow {
  on: Record<string, unknown>;
  permissions: Record<string, string>;
  env: Record<string, string>;
  jobs: Record<string, Job>;
}

const workflow = parse(fs.readFileSync(WORKFLOW, 'utf8')) as Workflow;

afterAll(removeTempDirs);

function runScripts(job: Job): string {
  return job.steps.map((s) => s.run ?? '').join('\n');
}

/**
 * Each step that calls `$IAM_ALLOWLIST <command>`: the command, the short options on that line and
 * every long option anywhere in the step's script (some are kept in a shell array).
 */
function cliInvocations(): Array<{ command: string; options: string[] }> {
  const steps = Object.values(workflow.jobs).flatMap((job) => job.steps.map((s) => s.run ?? ''));
  return steps.flatMap((script) => {
    const call = script.match(/\$IAM_ALLOWLIST ([a-z]+)([^\n]*)/);
    if (call === null) return [];
    const short = [...call[2]!.matchAll(/\s(-[a-z])\s/g)].map((o) => o[1]!);
    const long = [...script.matchAll(/(?<![\w-])(--[a-z][a-z-]*)/g)].map((o) => o[1]!);
    return [{ command: call[1]!, options: [...new Set([...short, ...long])] }];
  });
}

describe('examples/github-actions/iam-allowlist.yml', () => {
  it('GIVEN the workflow WHEN parsed THEN it has validate, plan and deploy jobs with least privilege', () => {
    expect(Object.keys(workflow.jobs).sort()).toEqual(['deploy', 'plan', 'validate']);
    expect(Object.keys(workflow.on)).toEqual(expect.arrayContaining(['pull_request', 'push']));
    expect(workflow.permissions).toEqual({});
    expect(workflow.jobs.validate!.permissions).toEqual({ contents: 'read' });
    // Only the plan job comments, only the deploy job can reach the enforcement role.
    expect(workflow.jobs.deploy!.permissions).toEqual({ contents: 'read', 'id-token': 'write' });
    expect(workflow.jobs.plan!.permissions!['pull-requests']).toBe('write');
  });

  it('GIVEN the validate and plan jobs THEN they use GitHub annotations and a markdown plan from read-only credentials or a snapshot', () => {
    expect(runScripts(workflow.jobs.validate!)).toMatch(/\$IAM_ALLOWLIST validate .*--format github/);
    const plan = workflow.jobs.plan!;
    const planScript = runScripts(plan);
    expect(planScript).toMatch(/\$IAM_ALLOWLIST plan .*--format markdown/);
    expect(planScript).toContain('--save-snapshot');
    expect(planScript).toContain('--snapshot');
    const roles = plan.steps.filter((s) => s.uses?.startsWith('aws-actions/configure-aws-credentials'));
    expect(roles.map((s) => s.with?.['role-to-assume'])).toEqual(['${{ vars.IAM_ALLOWLIST_PLAN_ROLE_ARN }}']);
    expect(plan.steps.some((s) => s.uses?.startsWith('actions/github-script') && /createComment/.test(String(s.with?.script)))).toBe(true);
    expect(plan.if).toContain("github.event_name != 'push'");
  });

  it('GIVEN the deploy job THEN it runs only on pushes to main, one at a time, with cdktf deploy --auto-approve and keeps the backups', () => {
    const deploy = workflow.jobs.deploy!;
    expect(deploy.if).toContain("github.event_name == 'push'");
    expect(deploy.if).toContain("github.ref == 'refs/heads/main'");
    expect(deploy.concurrency).toEqual({ group: 'iam-allowlist-enforce', 'cancel-in-progress': false });
    expect(deploy.environment).toBeTruthy();
    expect(runScripts(deploy)).toContain('npx cdktf deploy --auto-approve');
    const roles = deploy.steps.filter((s) => s.uses?.startsWith('aws-actions/configure-aws-credentials'));
    expect(roles.map((s) => s.with?.['role-to-assume'])).toEqual(['${{ vars.IAM_ALLOWLIST_ENFORCE_ROLE_ARN }}']);
    const upload = deploy.steps.find((s) => s.uses?.startsWith('actions/upload-artifact'));
    expect(String(upload?.with?.path)).toContain('.iam-allowlist/');
    expect(upload?.if).toBe('always()');
  });

  it('GIVEN every iam-allowlist call in the workflow WHEN checked against the CLI help THEN each command and option exists', async () => {
    expect(workflow.env.IAM_ALLOWLIST).toBe('node bin/iam-allowlist.js');
    const invocations = cliInvocations();
    expect(invocations).toEqual(
      expect.arrayContaining([
        { command: 'validate', options: ['--format'] },
        { command: 'plan', options: expect.arrayContaining(['-a', '--format', '--save-snapshot', '--snapshot']) },
      ]),
    );
    expect(invocations).toHaveLength(2);
    const cwd = tempDir('examples');
    for (const { command, options } of invocations) {
      const help = await run('node', [CLI, command, '--help'], {
        cwd,
        env: { ...process.env, NODE_NO_WARNINGS: '1' },
        timeoutMs: 60_000,
      });
      expect({ command, status: help.status }).toEqual({ command, status: 0 });
      expect(help.stdout).toContain(`Usage: iam-allowlist ${command}`);
      for (const option of options)
        expect({ command, option, known: help.stdout.includes(option) }).toEqual({ command, option, known: true });
    }
  }, 120_000);
});
