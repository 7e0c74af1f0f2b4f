/**
 * A synthesized stack is portable: synthesized in one directory, the project copied to another path
 * (the original removed), `terraform init` + `apply` there enforces the plan with real terraform
 * against the sandbox endpoint. Nothing in cdk.tf.json points back at the directory it came from.
 */
import * as fs from 'fs';
import * as path from 'path';
import {
  DELETED,
  QUARANTINE_POLICY,
  QUARANTINED,
  STACK_NAME,
  backupFiles,
  childEnv,
  expectStatus,
  run,
  tempDir,
  useSandboxAccount,
} from './helpers';
import { CdktfProject } from './project';

const sandbox = useSandboxAccount();

function terraform(stackDir: string, env: NodeJS.ProcessEnv, ...args: string[]) {
  return run(process.env.TERRAFORM_BINARY_NAME ?? 'terraform', args, { cwd: stackDir, env, timeoutMs: 170_000 });
}

describe('a portable stack', () => {
  it('GIVEN a stack synthesized in one directory WHEN the project is copied elsewhere and applied there THEN the copy enforces the plan', async () => {
    const project = new CdktfProject(sandbox.ep, { kms: 'hold' });
    project.linkPackage();
    expectStatus(await project.cdktf('synth'), 0, 'cdktf synth');
    const synthesized = fs.readFileSync(path.join(project.stackDir, 'cdk.tf.json'), 'utf8');
    expect(synthesized).not.toContain(project.dir);

    // WHEN copied to a path of another depth, the original gone.
    const copy = path.join(tempDir('moved'), 'nested', 'infra');
    fs.cpSync(project.dir, copy, { recursive: true, verbatimSymlinks: true });
    fs.rmSync(project.dir, { recursive: true, force: true });
    const stackDir = path.join(copy, 'cdktf.out', 'stacks', STACK_NAME);
    const env = childEnv(sandbox.ep, copy);
    expectStatus(await terraform(stackDir, env, 'init', '-input=false', '-no-color'), 0, 'terraform init (copy)');
    const apply = await terraform(stackDir, env, 'apply', '-input=false', '-no-color', '-auto-approve');
    expectStatus(apply, 0, 'terraform apply (copy)');

    // THEN enforced: users gone, quarantine in place, backups, audit log and state in the copy.
    expect(apply.stdout).toContain('Apply complete! Resources: 4 added, 0 changed, 0 destroyed.');
    for (const name of DELETED) expect({ name, userId: await sandbox.view.userId(name) }).toEqual({ name, userId: null });
    expect(await sandbox.view.inlinePolicyNames(QUARANTINED)).toContain(QUARANTINE_POLICY);
    expect(backupFiles(path.join(copy, '.iam-allowlist', 'backups'))).toHaveLength(4);
    expect(fs.existsSync(path.join(copy, '.iam-allowlist', 'audit.log'))).toBe(true);
    expect(fs.existsSync(path.join(copy, `terraform.${STACK_NAME}.tfstate`))).toBe(true);
    expect(fs.existsSync(project.dir)).toBe(false);

    const again = await terraform(stackDir, env, 'plan', '-input=false', '-no-color', '-detailed-exitcode');
    expect({ status: again.status, noChanges: again.stdout.includes('No changes.') }).toEqual({ status: 0, noChanges: true });
  }, 240_000);
});
