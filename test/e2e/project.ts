import * as fs from 'fs';
import * as path from 'path';
import type { LocalEndpoint } from '../../src/endpoint';
import { CDKTF, REPO_ROOT, STACK_NAME, childEnv, run, sampleAllowlistText, tempDir, type ProcessResult } from './helpers';

export interface CdktfProjectOptions {
  /** guards.kms of the project's copy of the sample allowlist. */
  readonly kms: 'block' | 'hold';
}

/**
 * A cdktf project in a temp directory, the way a user would lay it out: cdktf.json whose app runs
 * the repository's main.ts through ts-node, and an allowlist.yaml (IAM_ALLOWLIST_FILE). The CLI's
 * relative defaults (.iam-allowlist/backups, audit log) and cdktf's terraform.<stack>.tfstate land here.
 */
export class CdktfProject {
  readonly dir: string;
  readonly allowlistFile: string;
  readonly env: NodeJS.ProcessEnv;

  constructor(ep: LocalEndpoint, options: CdktfProjectOptions) {
    this.dir = tempDir(`project-${options.kms}`);
    this.allowlistFile = path.join(this.dir, 'allowlist.yaml');
    fs.writeFileSync(this.allowlistFile, sampleAllowlistText(options.kms));
    const tsNode = path.join(REPO_ROOT, 'node_modules', 'ts-node', 'dist', 'bin.js');
    const app = ['node', tsNode, '--transpile-only', '--project', path.join(REPO_ROOT, 'tsconfig.json'), path.join(REPO_ROOT, 'main.ts')]
      .map((part) => JSON.stringify(part))
      .join(' ');
    const cdktfJson = {
      language: 'typescript',
      app,
      projectId: 'iam-allowlist-e2e',
      sendCrashReports: 'false',
      terraformProviders: [],
      terraformModules: [],
      context: {},
    };
    fs.writeFileSync(path.join(this.dir, 'cdktf.json'), JSON.stringify(cdktfJson, null, 2));
    this.env = childEnv(ep, this.dir, { IAM_ALLOWLIST_FILE: this.allowlistFile });
  }

  /**
   * Installs this checkout as the project's `iam-allowlist` package (node_modules/iam-allowlist, a
   * symlink), the way a consumer has it: the stack then names the CLI inside the project.
   */
  linkPackage(): void {
    fs.mkdirSync(path.join(this.dir, 'node_modules'), { recursive: true });
    fs.symlinkSync(REPO_ROOT, path.join(this.dir, 'node_modules', 'iam-allowlist'), 'dir');
  }

  /** Where `cdktf synth` writes the stack and where terraform runs. */
  get stackDir(): string {
    return path.join(this.dir, 'cdktf.out', 'stacks', STACK_NAME);
  }

  get stateFile(): string {
    return path.join(this.dir, `terraform.${STACK_NAME}.tfstate`);
  }

  get backupDir(): string {
    return path.join(this.dir, '.iam-allowlist', 'backups');
  }

  get auditLog(): string {
    return path.join(this.dir, '.iam-allowlist', 'audit.log');
  }

  cdktf(...args: string[]): Promise<ProcessResult> {
    return run(CDKTF, args, { cwd: this.dir, env: this.env, timeoutMs: 170_000 });
  }

  /** `terraform <subcommand> -input=false -no-color <args>` in the stack directory (flags before a plan file). */
  terraform(subcommand: 'init' | 'plan' | 'apply', ...args: string[]): Promise<ProcessResult> {
    return run(process.env.TERRAFORM_BINARY_NAME ?? 'terraform', [subcommand, '-input=false', '-no-color', ...args], {
      cwd: this.stackDir,
      env: this.env,
      timeoutMs: 170_000,
    });
  }

  /** The synthesized Terraform JSON. */
  stackJson(): { resource?: { terraform_data?: Record<string, { input?: Record<string, unknown> }> } } {
    return JSON.parse(fs.readFileSync(path.join(this.stackDir, 'cdk.tf.json'), 'utf8'));
  }
}
