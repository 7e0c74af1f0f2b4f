import { spawn } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { App } from 'cdktf';
import { DEFAULT_STACK_NAME } from '../construct/app';
import { IamAllowlistStack } from '../construct/iam-allowlist-stack';
import { plural } from '../plural';

export interface TerraformDemoOptions {
  readonly allowlist: string;
  /** Scratch directory: synthesized stack, state, backups, audit log. */
  readonly work: string;
  /** Environment that points the SDK and the CLI at the sandbox endpoint. */
  readonly env: Record<string, string>;
  /** Print terraform's whole output. Default false: its summary lines and a count of its warnings. */
  readonly full?: boolean;
}

/** What the short form keeps of terraform's output: the verdict lines, and errors in full. */
const TERRAFORM_SUMMARY = /^(Plan: |No changes\.|Apply complete!|Terraform has been successfully initialized!)/;

/**
 * The Terraform half of the demo: synthesize the plan with cdktf, then real `terraform init`,
 * `plan`, `apply` (whose local-exec provisioners run `iam-allowlist enforce`), and a second `plan`.
 */
export async function runTerraformDemo(options: TerraformDemoOptions): Promise<number> {
  // The same public API a team's main.ts uses; the demo's scratch directory is the project.
  const app = new App({ outdir: path.join(options.work, 'cdktf.out'), skipValidation: true });
  await IamAllowlistStack.fromAccount(app, DEFAULT_STACK_NAME, { allowlistFile: options.allowlist, projectDirectory: options.work });
  app.synth();
  const stackDir = path.join(app.outdir, 'stacks', DEFAULT_STACK_NAME);

  const env = {
    ...process.env,
    ...options.env,
    TF_IN_AUTOMATION: '1',
    CHECKPOINT_DISABLE: '1',
    TF_DATA_DIR: path.join(options.work, '.terraform'),
  };
  // Asynchronous on purpose: the endpoint serving terraform's local-exec runs in this process.
  const terraform = (args: string[]): Promise<number> => {
    process.stdout.write(`\n$ terraform ${args.join(' ')}\n`);
    const full = options.full === true;
    return new Promise((resolve) => {
      const stdio = full ? 'inherit' : 'pipe';
      const child = spawn(process.env.TERRAFORM_BINARY_NAME ?? 'terraform', args, { cwd: stackDir, env, stdio: ['ignore', stdio, stdio] });
      let output = '';
      child.stdout?.setEncoding('utf8').on('data', (chunk: string) => (output += chunk));
      child.stderr?.setEncoding('utf8').on('data', (chunk: string) => (output += chunk));
      child.on('error', () => resolve(1));
      child.on('close', (code) => {
        if (!full) process.stdout.write(terraformSummary(output, code ?? 1));
        resolve(code ?? 1);
      });
    });
  };
  fs.mkdirSync(options.work, { recursive: true });
  if ((await terraform(['init', '-input=false', '-no-color'])) !== 0) return 1;
  const planned = await terraform(['plan', '-input=false', '-no-color', '-detailed-exitcode']);
  if (planned === 1) {
    process.stdout.write('\nterraform plan failed: a guard precondition blocks this run (see the error above). Nothing was changed.\n');
    return 0;
  }
  if ((await terraform(['apply', '-input=false', '-no-color', '-auto-approve'])) !== 0) return 1;
  return 0;
}

/** Terraform's verdict lines and how many warnings it printed; all of it when it failed (the error is the story). */
export function terraformSummary(output: string, exitCode: number): string {
  const lines = output.split('\n');
  if (exitCode === 1) return `${output.trimEnd()}\n`;
  const kept = lines.filter((line) => TERRAFORM_SUMMARY.test(line.trim())).map((line) => line.trim());
  const warnings = lines.filter((line) => /^│ Warning: /.test(line) || /^Warning: /.test(line)).length;
  // Most are the check blocks of held and reported users, which the plan summary has named already.
  if (warnings > 0) kept.push(`(${plural(warnings, 'warning')}; --full shows them)`);
  return kept.length > 0 ? `${kept.join('\n')}\n` : '';
}
