import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { AwsClients } from '../aws/clients';
import { synthesize } from '../construct/app';
import { plan as computePlan } from '../plan/plan';
import { loadAllowlistOrThrow, obtainSnapshot } from './context';

export interface TerraformDemoOptions {
  readonly allowlist: string;
  /** Scratch directory: synthesized stack, state, backups, audit log. */
  readonly work: string;
  /** Environment that points the SDK and the CLI at the sandbox endpoint. */
  readonly env: Record<string, string>;
}

const REPO_ROOT = path.resolve(__dirname, '..', '..');

/**
 * The Terraform half of the demo: synthesize the plan with cdktf, then real `terraform init`,
 * `plan`, `apply` (whose local-exec provisioners run `iam-allowlist enforce`), and a second `plan`.
 */
export async function runTerraformDemo(options: TerraformDemoOptions): Promise<number> {
  const now = new Date();
  const allowlist = loadAllowlistOrThrow(options.allowlist, now);
  const clients = new AwsClients();
  let stackDir: string;
  try {
    const snapshot = await obtainSnapshot(allowlist, { now }, clients);
    const result = synthesize({
      outdir: path.join(options.work, 'cdktf.out'),
      plan: computePlan(snapshot, allowlist, now),
      allowlist,
      allowlistFile: options.allowlist,
      cliCommand: ['node', path.join(REPO_ROOT, 'bin', 'iam-allowlist.js')],
      workingDirectory: options.work,
      localStatePath: path.join(options.work, 'terraform.tfstate'),
    });
    stackDir = result.stacks[0]!.directory;
  } finally {
    clients.destroy();
  }

  const env = {
    ...process.env,
    ...options.env,
    TF_IN_AUTOMATION: '1',
    CHECKPOINT_DISABLE: '1',
    TF_DATA_DIR: path.join(options.work, '.terraform'),
    IAM_ALLOWLIST_FROM_SOURCE: '1',
  };
  const terraform = (title: string, args: string[]): number => {
    process.stdout.write(`\n=== terraform ${title} ===\n\n`);
    const run = spawnSync(process.env.TERRAFORM_BINARY_NAME ?? 'terraform', args, { cwd: stackDir, env, encoding: 'utf8' });
    process.stdout.write(run.stdout ?? '');
    process.stdout.write(run.stderr ?? '');
    return run.status ?? 1;
  };
  fs.mkdirSync(options.work, { recursive: true });
  if (terraform('init', ['init', '-input=false', '-no-color']) !== 0) return 1;
  const planned = terraform('plan', ['plan', '-input=false', '-no-color', '-detailed-exitcode']);
  if (planned === 1) {
    process.stdout.write('\nterraform plan failed: a guard precondition blocks this run (see the error above). Nothing was changed.\n');
    return 0;
  }
  if (terraform('apply', ['apply', '-input=false', '-no-color', '-auto-approve']) !== 0) return 1;
  return 0;
}
