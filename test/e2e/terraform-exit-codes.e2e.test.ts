/**
 * The README's recipe for Terraform's detailed exit code on the synthesized stack, run as written, from the
 * project directory, against the sandbox: `npx cdktf synth`, then
 * `terraform -chdir=cdktf.out/stacks/<stack> init` and `... plan -detailed-exitcode`:
 * 0 no changes, 2 changes pending, 1 error (a guard's failing precondition is an error).
 */
import * as path from 'path';
import { STACK_NAME, expectStatus, run, useSandboxAccount, type ProcessResult } from './helpers';
import { CdktfProject } from './project';

const TEST_TIMEOUT = 300_000;
const STACK_DIR = path.posix.join('cdktf.out', 'stacks', STACK_NAME);

const sandbox = useSandboxAccount();

function terraformInProject(project: CdktfProject, ...args: string[]): Promise<ProcessResult> {
  return run(process.env.TERRAFORM_BINARY_NAME ?? 'terraform', [`-chdir=${STACK_DIR}`, ...args], {
    cwd: project.dir,
    env: project.env,
    timeoutMs: 170_000,
  });
}

/** The recipe: synthesize, initialise the stack directory, plan with -detailed-exitcode. */
async function detailedExitCode(project: CdktfProject): Promise<ProcessResult> {
  expectStatus(await project.cdktf('synth'), 0, 'cdktf synth');
  expectStatus(await terraformInProject(project, 'init', '-input=false', '-no-color'), 0, 'terraform init');
  return terraformInProject(project, 'plan', '-detailed-exitcode', '-input=false', '-no-color');
}

describe('terraform plan -detailed-exitcode on the synthesized stack', () => {
  it(
    'GIVEN guards.kms: block (a KMS-referenced user) WHEN planned THEN exit 1: the precondition fails',
    async () => {
      const project = new CdktfProject(sandbox.ep, { kms: 'block' });
      const plan = await detailedExitCode(project);
      expect({ status: plan.status, precondition: plan.stderr.includes('Resource precondition failed') }).toEqual({
        status: 1,
        precondition: true,
      });
    },
    TEST_TIMEOUT,
  );

  it(
    'GIVEN guards.kms: hold WHEN planned THEN exit 2 (removals pending); after `cdktf deploy` THEN exit 0 (nothing left)',
    async () => {
      const project = new CdktfProject(sandbox.ep, { kms: 'hold' });
      const pending = await detailedExitCode(project);
      expect({ status: pending.status, summary: pending.stdout.includes('Plan: 4 to add, 0 to change, 0 to destroy.') }).toEqual({
        status: 2,
        summary: true,
      });

      expectStatus(await project.cdktf('deploy', '--auto-approve'), 0, 'cdktf deploy');
      const clean = await detailedExitCode(project);
      expect({ status: clean.status, summary: clean.stdout.includes('No changes.') }).toEqual({ status: 0, summary: true });
    },
    TEST_TIMEOUT,
  );
});
