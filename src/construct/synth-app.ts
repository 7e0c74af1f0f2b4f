import * as fs from 'fs';
import * as path from 'path';
import { InternalError } from '../errors';
import { formatDiagnostics, loadAllowlistFile } from '../allowlist/load';
import { AwsClients } from '../aws/clients';
import { takeSnapshot } from '../inventory/inventory';
import { loadSnapshot } from '../inventory/snapshot-file';
import { plan } from '../plan/plan';
import { DEFAULT_STACK_NAME, synthesize, type SynthesisResult } from './app';
import { loadCompletedActions } from './previous-state-file';
import { runIdFor } from './run-id';
import { runningBuildId } from '../commands/build-pin';

export interface SynthAppOptions {
  /** Absolute path of the allowlist. */
  readonly allowlistFile: string;
  /** Plan offline from this saved snapshot instead of reading the account. */
  readonly snapshotFile?: string;
  /** The stack's previous Terraform state (e.g. `terraform state pull`); default: cdktf's local state file, if any. */
  readonly previousStateFile?: string;
  /** Where `cdktf deploy` runs: the CLI's relative backup and audit paths, and the default local state, are here. */
  readonly projectDirectory: string;
  /** Default: cdktf's own (CDKTF_OUTDIR or cdktf.out). */
  readonly outdir?: string;
  /** Default: cdktf's local backend default. */
  readonly localStatePath?: string;
  readonly manageDeclaredUsers?: boolean;
  /** Read the account through this role, and have every `enforce` assume it too. */
  readonly assumeRoleArn?: string;
  readonly now?: Date;
}

/** The CLI's launcher, found from the sources (ts-node) or from the compiled dist/ alike. */
function cliLauncher(): string {
  for (let dir = __dirname; ; dir = path.dirname(dir)) {
    const candidate = path.join(dir, 'bin', 'iam-allowlist.js');
    if (fs.existsSync(candidate)) return candidate;
    if (path.dirname(dir) === dir) throw new InternalError(`bin/iam-allowlist.js not found above ${__dirname}`);
  }
}

/**
 * What `cdktf synth` runs (via main.ts): discovery first — cdktf constructs are synchronous —
 * then one plan, then synthesis. Completed actions of users that are gone are re-emitted from the
 * previous state so the next plan after enforcement is clean.
 */
export async function synthApp(options: SynthAppOptions): Promise<SynthesisResult> {
  const now = options.now ?? new Date();
  const { allowlist, warnings } = loadAllowlistFile(options.allowlistFile, { now });
  if (warnings.length > 0) process.stderr.write(formatDiagnostics(warnings) + '\n');

  let snapshot;
  if (options.snapshotFile) {
    snapshot = loadSnapshot(options.snapshotFile);
  } else {
    const clients = new AwsClients({ assumeRoleArn: options.assumeRoleArn });
    try {
      snapshot = await takeSnapshot(clients, { regions: allowlist.guards.regions, now });
    } finally {
      clients.destroy();
    }
  }

  const previous = loadCompletedActions(
    { stackName: DEFAULT_STACK_NAME, explicitFile: options.previousStateFile, projectDirectory: options.projectDirectory },
    snapshot.users.map((user) => user.userId),
  );
  if (previous.warning !== null) process.stderr.write(`warning: ${previous.warning}\n`);

  return synthesize({
    outdir: options.outdir,
    localStatePath: options.localStatePath,
    plan: plan(snapshot, allowlist, now),
    completedActions: previous.completedActions,
    // Every `enforce` of one `terraform apply` then shares one fresh scan.
    runId: runIdFor(snapshot),
    allowlist,
    allowlistFile: options.allowlistFile,
    cliCommand: ['node', cliLauncher()],
    expectBuild: runningBuildId(),
    workingDirectory: options.projectDirectory,
    manageDeclaredUsers: options.manageDeclaredUsers ?? false,
    assumeRoleArn: options.assumeRoleArn,
  });
}
