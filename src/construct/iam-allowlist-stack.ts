import * as path from 'path';
import type { Construct } from 'constructs';
import { App, LocalBackend, TerraformBackend } from 'cdktf';
import { allowlistDigest } from '../allowlist/digest';
import { formatDiagnostics, loadAllowlistFile } from '../allowlist/load';
import { AwsClients } from '../aws/clients';
import { runningBuildId, staleBuildWarning } from '../commands/build-pin';
import { UsageError } from '../errors';
import { loadSnapshot } from '../inventory/snapshot-file';
import type { Allowlist } from '../model/allowlist';
import type { Plan } from '../model/plan';
import { planForDisplay, type DisplayedPlan } from '../commands/context';
import { takeSnapshot } from '../inventory/inventory';
import { assertAccountMatchesAllowlist } from './accounts';
import { AllowlistStack } from './allowlist-stack';
import { cliLauncherFor } from './cli-launcher';
import type { CompletedAction } from './previous-state';
import { loadCompletedActions } from './previous-state-file';
import { runIdFor } from './run-id';

/** How to plan one account. Every path may be relative to `projectDirectory`. */
export interface IamAllowlistOptions {
  /** The allowlist. Default "allowlist.yaml". */
  readonly allowlistFile?: string;
  /**
   * The cdktf project root (where `cdktf` runs and cdktf.json is). The stack refers to the CLI, the
   * allowlist, the state file, backups and the audit log relative to it. Default: process.cwd().
   */
  readonly projectDirectory?: string;
  /** Plan offline from this saved snapshot (`iam-allowlist plan --save-snapshot`). Default: read the account. */
  readonly snapshotFile?: string;
  /** The stack's previous Terraform state (e.g. `terraform state pull`). Default: terraform.<id>.tfstate in the project, if any. */
  readonly previousStateFile?: string;
  /** Read the account through this role, and have every `enforce` assume it too. Default: the ambient credentials. */
  readonly assumeRoleArn?: string;
  /** Also manage declared users (aws_iam_user + import; needs @cdktf/provider-aws). Default false. */
  readonly manageDeclaredUsers?: boolean;
  /**
   * argv prefix local-exec runs the CLI with, from the project directory. Default: `node <path of the
   * installed package's bin/iam-allowlist.js, relative to the project>`.
   */
  readonly cliCommand?: readonly string[];
  /** The clock for expiries and activity. Default: now. */
  readonly now?: Date;
}

/** What discovery found for one account: everything the (synchronous) construct needs. */
export interface DiscoveredAccount {
  readonly projectDirectory: string;
  /** Absolute. */
  readonly allowlistFile: string;
  readonly allowlist: Allowlist;
  readonly plan: Plan;
  readonly completedActions: readonly CompletedAction[];
  /** SHA-256 (hex) of the allowlist file's bytes, recorded in every removal record. Default: not recorded. */
  readonly allowlistSha256?: string;
  readonly runId: string;
  readonly assumeRoleArn?: string;
  readonly manageDeclaredUsers: boolean;
  readonly cliCommand?: readonly string[];
}

/**
 * Everything before synthesis that needs I/O: the allowlist, the account (or a snapshot), one plan,
 * and the completed actions of the previous state. Warnings go to stderr.
 */
export async function discoverAccount(stackId: string, options: IamAllowlistOptions = {}): Promise<DiscoveredAccount> {
  const projectDirectory = path.resolve(options.projectDirectory ?? process.cwd());
  const allowlistFile = path.resolve(projectDirectory, options.allowlistFile ?? 'allowlist.yaml');
  const now = options.now ?? new Date();
  const { allowlist, warnings } = loadAllowlistFile(allowlistFile, { now });
  if (warnings.length > 0) process.stderr.write(formatDiagnostics(warnings) + '\n');
  const allowlistSha256 = allowlistDigest(allowlistFile);

  const { plan, snapshot } = options.snapshotFile
    ? await planForDisplay(loadSnapshot(path.resolve(projectDirectory, options.snapshotFile)), allowlist, now)
    : await readAccount(allowlist, options.assumeRoleArn, now);
  const previous = loadCompletedActions(
    {
      stackName: stackId,
      explicitFile: options.previousStateFile ? path.resolve(projectDirectory, options.previousStateFile) : undefined,
      projectDirectory,
    },
    snapshot.users.map((user) => user.userId),
  );
  if (previous.warning !== null) process.stderr.write(`warning: ${previous.warning}\n`);
  const stale = staleBuildWarning();
  if (stale !== null) process.stderr.write(`warning: ${stale}\n`);
  return {
    projectDirectory,
    allowlistFile,
    allowlist,
    plan,
    completedActions: previous.completedActions,
    allowlistSha256,
    // Every `enforce` of one `terraform apply` then shares one fresh scan.
    runId: runIdFor(snapshot),
    assumeRoleArn: options.assumeRoleArn,
    manageDeclaredUsers: options.manageDeclaredUsers ?? false,
    cliCommand: options.cliCommand,
  };
}

/**
 * A scan of the account and its plan, the keys its findings name described (their state is in the preconditions'
 * messages); one pinned by the allowlist is checked right after GetCallerIdentity (RefusedError, nothing else read).
 */
async function readAccount(allowlist: Allowlist, assumeRoleArn: string | undefined, now: Date): Promise<DisplayedPlan> {
  const clients = new AwsClients({ assumeRoleArn });
  try {
    const pin = allowlist.account === null ? {} : { expectedAccountId: allowlist.account };
    const snapshot = await takeSnapshot(clients, { regions: allowlist.guards.regions, ...pin, now });
    return await planForDisplay(snapshot, allowlist, now, clients);
  } finally {
    clients.destroy();
  }
}

/** A path as the stack writes it: relative, with forward slashes on every OS. */
function portable(from: string, to: string): string {
  return path.relative(from, to).split(path.sep).join('/') || '.';
}

/** The directory cdktf writes this stack to: <outdir>/stacks/<id>. */
function stackDirectoryOf(scope: Construct, id: string): string {
  return path.resolve(App.of(scope).outdir, 'stacks', id);
}

/**
 * The stack for one account, portable: `cdk.tf.json` holds no absolute path of the machine that
 * synthesized it. local-exec runs `enforce` in the project directory (`working_dir` relative to the
 * stack directory), the CLI and the allowlist are named relative to the project, and the default
 * local state is `terraform.<id>.tfstate` in the project, also by a relative path. So a plan made in
 * one checkout or runner applies from a copy of the project anywhere else. Every `enforce` carries
 * `--expect-build` with the build that planned (src/commands/build-pin.ts).
 *
 * Discovery is asynchronous and constructs are not: `fromAccount` awaits discoverAccount, then
 * constructs; `new IamAllowlistStack(scope, id, await discoverAccount(id, options))` is the same in two steps.
 */
export class IamAllowlistStack extends AllowlistStack {
  /** Discovers the account (allowlist, inventory, plan, previous state), then adds its stack to `scope`. */
  static async fromAccount(scope: Construct, id: string, options: IamAllowlistOptions = {}): Promise<IamAllowlistStack> {
    return new IamAllowlistStack(scope, id, await discoverAccount(id, options));
  }

  private readonly stackDirectory: string;
  private readonly projectDirectory: string;

  constructor(scope: Construct, id: string, account: DiscoveredAccount) {
    assertAccountMatchesAllowlist(id, account.allowlist, account.plan.accountId);
    assertAccountNotYetInScope(scope, account.plan.accountId);
    const stackDirectory = stackDirectoryOf(scope, id);
    const project = account.projectDirectory;
    super(scope, id, {
      plan: account.plan,
      allowlist: account.allowlist,
      cliCommand: account.cliCommand ?? ['node', portable(project, cliLauncherFor(project))],
      allowlistFile: portable(project, account.allowlistFile),
      workingDirectory: portable(stackDirectory, project),
      completedActions: account.completedActions,
      allowlistSha256: account.allowlistSha256,
      runId: account.runId,
      expectBuild: runningBuildId(),
      assumeRoleArn: account.assumeRoleArn,
      manageDeclaredUsers: account.manageDeclaredUsers,
    });
    this.stackDirectory = stackDirectory;
    this.projectDirectory = project;
  }

  /** cdktf's default local backend holds an absolute path; this one is relative, unless the app set a backend. */
  override ensureBackendExists(): TerraformBackend {
    const configured = this.node.findAll().find((c): c is TerraformBackend => TerraformBackend.isBackend(c));
    if (configured !== undefined) return configured;
    const stateFile = path.join(this.projectDirectory, `terraform.${this.node.id}.tfstate`);
    return new LocalBackend(this, { path: portable(this.stackDirectory, stateFile) });
  }
}

/** Two stacks for one account would enforce twice and fight over the same users. */
function assertAccountNotYetInScope(scope: Construct, accountId: string): void {
  const other = scope.node.children.find((c) => c instanceof AllowlistStack && c.model.outputs.account_id === accountId);
  if (other !== undefined) {
    throw new UsageError(`account ${accountId} is planned by stack ${other.node.id} already`, 'give each account exactly one stack');
  }
}
