/**
 * A directory where the real terraform binary (built-ins only: no provider download, no AWS) plans and
 * applies a synthesized stack. The CLI is replaced by a recorder script that appends its argv to a file.
 */
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { synthesize } from '../../src/construct/app';
import type { Plan } from '../../src/model/plan';
import { completedActionsFromState, type CompletedAction } from '../../src/construct/previous-state';
import { allowlistOf } from './builders';
import { tempDir } from './synth';

/** Exits 3 (a refusal) for the user refused-user; records every other call. */
const RECORDER = `
const fs = require('fs');
if (process.argv.includes('refused-user')) process.exit(3);
fs.appendFileSync(process.env.RECORD_FILE, JSON.stringify({ argv: process.argv.slice(2), region: process.env.AWS_REGION ?? null }) + '\\n');
`;

export interface Run {
  status: number | null;
  stdout: string;
  stderr: string;
}

export class Workspace {
  readonly dir = tempDir('tf');
  readonly recordFile = path.join(this.dir, 'calls.jsonl');
  private readonly recorder = path.join(this.dir, 'recorder.js');
  private readonly env: NodeJS.ProcessEnv;

  constructor() {
    fs.writeFileSync(this.recorder, RECORDER);
    const cliConfig = path.join(this.dir, 'terraformrc');
    fs.writeFileSync(cliConfig, '');
    this.env = {
      ...process.env,
      TF_IN_AUTOMATION: '1',
      TF_CLI_CONFIG_FILE: cliConfig,
      TF_DATA_DIR: path.join(this.dir, '.terraform'),
      CHECKPOINT_DISABLE: '1',
      RECORD_FILE: this.recordFile,
      AWS_REGION: 'eu-west-1',
    };
  }

  /** Synthesizes `plan` and puts its configuration (alone) into the workspace. */
  write(plan: Plan, completedActions: readonly CompletedAction[] = []): void {
    const result = synthesize({
      plan,
      completedActions,
      allowlist: allowlistOf(),
      cliCommand: ['node', this.recorder],
      allowlistFile: '/repo/allowlist.yaml',
      outdir: tempDir('tf-synth'),
      localStatePath: 'terraform.tfstate',
    });
    fs.copyFileSync(result.stacks[0]!.file, path.join(this.dir, 'main.tf.json'));
  }

  terraform(...args: string[]): Run {
    const run = spawnSync('terraform', args, { cwd: this.dir, env: this.env, encoding: 'utf8', timeout: 60_000 });
    return { status: run.status, stdout: run.stdout, stderr: run.stderr };
  }

  init(): void {
    const run = this.terraform('init', '-input=false', '-no-color');
    if (run.status !== 0) throw new Error(`terraform init failed:\n${run.stdout}\n${run.stderr}`);
  }

  plan(): Run {
    return this.terraform('plan', '-input=false', '-no-color', '-detailed-exitcode');
  }

  apply(): Run {
    return this.terraform('apply', '-input=false', '-no-color', '-auto-approve');
  }

  /** Puts a configuration written by hand or by an older version (relative CLI paths resolve in the workspace). */
  writeConfiguration(terraformJson: string): void {
    fs.writeFileSync(path.join(this.dir, 'main.tf.json'), terraformJson);
  }

  /** The addresses of the managed resources in the state, with each instance's status ("tainted") when it has one. */
  stateAddresses(): string[] {
    const state = JSON.parse(fs.readFileSync(path.join(this.dir, 'terraform.tfstate'), 'utf8')) as {
      resources: Array<{ type: string; name: string; instances: Array<{ status?: string }> }>;
    };
    return state.resources.flatMap((r) => r.instances.map((i) => `${r.type}.${r.name}${i.status ? ` (${i.status})` : ''}`)).sort();
  }

  /** What main.ts does: the completed actions of the previous state whose users are not in `plan`. */
  completedFor(plan: Plan): CompletedAction[] {
    const state: unknown = JSON.parse(fs.readFileSync(path.join(this.dir, 'terraform.tfstate'), 'utf8'));
    return completedActionsFromState(
      state,
      plan.users.map((user) => user.userId),
    );
  }

  calls(): Array<{ argv: string[]; region: string | null }> {
    if (!fs.existsSync(this.recordFile)) return [];
    return fs
      .readFileSync(this.recordFile, 'utf8')
      .trim()
      .split('\n')
      .filter(Boolean)
      .map((l) => JSON.parse(l));
  }
}
