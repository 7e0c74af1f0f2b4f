/**
 * The CLI-only example workflow's plan step, run as GitHub would run it (bash, GITHUB_STEP_SUMMARY
 * and GITHUB_OUTPUT files): a blocked or failed plan still fills the summary (and plan.md, which the
 * comment step posts), and the job fails only at the later "Fail a blocked or failed plan" step.
 */
import * as fs from 'fs';
import * as path from 'path';
import { parse } from 'yaml';
import { CLI, REPO_ROOT, childEnv, run, sampleAllowlistText, tempDir, useSandboxAccount } from './helpers';

interface Step {
  name?: string;
  id?: string;
  if?: string;
  run?: string;
}

const workflow = parse(fs.readFileSync(path.join(REPO_ROOT, 'examples', 'github-actions', 'iam-allowlist.yml'), 'utf8')) as {
  jobs: { plan: { steps: Step[] } };
};
const steps = workflow.jobs.plan.steps;
const planStep = steps.find((s) => s.id === 'plan')!;
const sandbox = useSandboxAccount();

async function runPlanStep(allowlistText: string): Promise<{ status: number | null; summary: string; output: string; planMd: string }> {
  const dir = tempDir('workflow');
  fs.writeFileSync(path.join(dir, 'allowlist.yaml'), allowlistText);
  const summary = path.join(dir, 'summary.md');
  const output = path.join(dir, 'output');
  const env = {
    ...childEnv(sandbox.ep, dir),
    IAM_ALLOWLIST: `node ${CLI}`,
    IAM_ALLOWLIST_FILE: 'allowlist.yaml',
    LIVE: 'true',
    GITHUB_STEP_SUMMARY: summary,
    GITHUB_OUTPUT: output,
  };
  // GitHub runs `run:` scripts with `bash -e {0}`.
  const result = await run('bash', ['-e', '-c', planStep.run!], { cwd: dir, env, timeoutMs: 100_000 });
  const read = (file: string) => (fs.existsSync(file) ? fs.readFileSync(file, 'utf8') : '');
  return { status: result.status, summary: read(summary), output: read(output), planMd: read(path.join(dir, 'plan.md')) };
}

describe('examples/github-actions plan step', () => {
  it('GIVEN a run blocked by the KMS guard WHEN the plan step runs THEN it succeeds with the plan in the summary and exit-code=3', async () => {
    const result = await runPlanStep(sampleAllowlistText('block'));
    expect(result.status).toBe(0);
    expect(result.output).toContain('exit-code=3\n');
    expect(result.summary).toContain('data-pipeline');
    expect(result.planMd).toBe(result.summary);
  }, 120_000);

  it('GIVEN an allowlist the CLI rejects WHEN the plan step runs THEN the error, with file:line:column, is in the summary', async () => {
    const result = await runPlanStep(sampleAllowlistText('hold').replace(/^version: 1$/m, 'version: 2'));
    expect(result.status).toBe(0);
    expect(result.output).toContain('exit-code=1\n');
    expect(result.summary).toContain('### iam-allowlist plan failed (nothing was changed)');
    expect(result.summary).toMatch(/allowlist\.yaml:\d+:\d+: error: unsupported allowlist version 2/);
  }, 120_000);

  it('GIVEN the plan job WHEN its steps are read THEN the comment comes before the step that fails a blocked run', () => {
    const comment = steps.findIndex((s) => s.name === 'Comment the plan on the pull request');
    const fail = steps.findIndex((s) => s.name === 'Fail a blocked or failed plan');
    expect(comment).toBeGreaterThan(steps.indexOf(planStep));
    expect(fail).toBeGreaterThan(comment);
    expect(steps[fail]!.if).toBe("steps.plan.outputs.exit-code == '1' || steps.plan.outputs.exit-code == '3'");
  });
});
