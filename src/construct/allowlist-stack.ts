import { Construct } from 'constructs';
import { DataResource, LocalBackend, TerraformLocal, TerraformOutput, TerraformStack } from 'cdktf';
import type { Allowlist } from '../model/allowlist';
import type { Plan } from '../model/plan';
import { addDeclaredUsers } from './declared-users';
import { escapeTemplate, escapeTemplateDeep } from './names';
import type { CompletedAction } from './previous-state';
import { buildStackModel, type StackModel, type UserWarningSpec } from './stack-model';

export interface AllowlistStackProps {
  readonly plan: Plan;
  readonly allowlist: Allowlist;
  /** argv prefix local-exec uses to call the CLI, e.g. ['node', '/abs/bin/iam-allowlist.js']. */
  readonly cliCommand: readonly string[];
  /** Path of allowlist.yaml as the CLI should read it at apply time (absolute is safest). */
  readonly allowlistFile: string;
  /** Also manage the declared users with the AWS provider (aws_iam_user + import). Default false. */
  readonly manageDeclaredUsers?: boolean;
  /** Role the CLI (`--assume-role`) and, when managing users, the AWS provider assume. Default: none. */
  readonly assumeRoleArn?: string;
  /** Passed to `enforce` as `--run-id`. Default: none. */
  readonly runId?: string;
  /**
   * Passed to `enforce` as `--expect-build`: the build that planned (runningBuildId() of
   * src/commands/build-pin.ts), so an older or newer CLI refuses to enforce. Default: none;
   * IamAllowlistStack always sets it.
   */
  readonly expectBuild?: string;
  /**
   * Directory local-exec runs the CLI in (its relative defaults, e.g. the audit log, resolve there).
   * Default: terraform's working directory, i.e. the synthesized stack directory.
   */
  readonly workingDirectory?: string;
  /** Local state file. Default: cdktf's own default, terraform.<stack id>.tfstate in the working directory. */
  readonly localStatePath?: string;
  /**
   * Actions a previous apply completed for users that are gone (read from its state with
   * completedActionsFromState): kept as they are so the next plan is clean. Default: none.
   */
  readonly completedActions?: readonly CompletedAction[];
  /**
   * SHA-256 (hex) of the allowlist file the plan was made from, recorded in every removal record
   * (`allowlist_sha256`). Default: not recorded. IamAllowlistStack always sets it.
   */
  readonly allowlistSha256?: string;
}

/**
 * A Plan as Terraform that needs no provider:
 * - `terraform_data.delete_user_<name>` / `quarantine_user_<name>` per planned delete/quarantine, its
 *   `input` the removal record (RemovalRecord), with a create-time local-exec that runs
 *   `<cli> enforce ...` for exactly that user (the CLI re-checks everything live before acting);
 * - a `moved` block per user resource from `terraform_data.user_<name>`, the address before the action
 *   was in it: a state from an older version is carried over with no destroy and no create;
 * - the same resource, without provisioner but with a failing `lifecycle.precondition`, for a user a
 *   blocking guard stops (KMS references with guards.kms: block): `terraform plan` fails, naming user and key;
 * - `terraform_data.run_guards` with a failing precondition when a run-level guard blocks;
 * - `check` blocks (warnings only) for held users, reported users, non-blocking run guards and notices;
 * - the same resource, without provisioner, for an action already done: a quarantine still in place, or
 *   `completedActions` carried over from the previous state (deleted users), so the plan after an
 *   apply says "No changes" (see previous-state.ts for how and for the limitation);
 * - outputs that enforcing does not change (see PlanOutputs).
 *
 * Preconditions must reference an object, so the findings live in `locals` and the conditions read them.
 * No resource has a destroy-time provisioner: a resource that leaves the configuration (a released
 * user, or a deleted one when no previous state was given) is dropped from state ("1 to destroy",
 * a state-only object) and nothing touches AWS.
 */
export class AllowlistStack extends TerraformStack {
  readonly model: StackModel;
  private readonly workingDirectory: string | undefined;

  constructor(scope: Construct, id: string, props: AllowlistStackProps) {
    super(scope, id);
    this.model = buildStackModel(
      props.plan,
      {
        cliCommand: props.cliCommand,
        allowlistFile: props.allowlistFile,
        assumeRoleArn: props.assumeRoleArn,
        runId: props.runId,
        expectBuild: props.expectBuild,
      },
      props.completedActions,
      { allowlistSha256: props.allowlistSha256 },
    );
    this.workingDirectory = props.workingDirectory;
    if (props.localStatePath !== undefined) new LocalBackend(this, { path: props.localStatePath });

    this.addLocals(this.model);
    this.addUserResources(this.model);
    this.addRunGuard(this.model);
    this.addChecks(this.model);
    this.addOutputs(this.model);

    if (props.manageDeclaredUsers === true) {
      addDeclaredUsers(this, { plan: props.plan, allowlist: props.allowlist, assumeRoleArn: props.assumeRoleArn });
    }
  }

  private local(name: string, value: unknown): void {
    new TerraformLocal(this, `local_${name}`, escapeTemplateDeep(value)).overrideLogicalId(name);
  }

  private addLocals(model: StackModel): void {
    const guardFindings: Record<string, readonly string[]> = {};
    for (const r of model.userResources) {
      if (r.blockingFindings.length > 0) guardFindings[r.userName] = r.blockingFindings;
    }
    this.local('guard_findings', guardFindings);
    this.local('run_guards', model.runGuards);
    this.local('run_warnings', model.runWarnings);
    this.local('held_users', warningMap(model.held));
    this.local('reported_users', warningMap(model.reported));
    this.local('notices', model.notices);
  }

  private addUserResources(model: StackModel): void {
    for (const spec of model.userResources) {
      const precondition =
        spec.preconditionMessage === null
          ? undefined
          : [
              {
                condition: `\${length(local.guard_findings["${spec.userName}"]) == 0}`,
                errorMessage: escapeTemplate(spec.preconditionMessage),
              },
            ];
      const argv = spec.enforceArgv === null ? null : spec.enforceArgv.map(escapeTemplate);
      const resource = new DataResource(this, spec.resourceName, {
        input: escapeTemplateDeep({ ...spec.input }),
        triggersReplace: escapeTemplateDeep({ ...spec.triggersReplace }),
        // Reasons carry relative ages ("unused for 201 days"): without this every re-plan of a quarantined
        // user would show an in-place update. Replacement (and a new enforce) still follows triggers_replace.
        lifecycle: { ignoreChanges: ['input'], ...(precondition ? { precondition } : {}) },
        // local-exec appends `command` to `interpreter`: the full argv runs without a shell, so no
        // quoting is involved. The environment is inherited from terraform (AWS_* pass through);
        // nothing, and no credential, is written into the configuration.
        provisioners:
          argv === null
            ? undefined
            : [
                {
                  type: 'local-exec',
                  interpreter: argv.slice(0, -1),
                  command: argv[argv.length - 1]!,
                  workingDir: this.workingDirectory === undefined ? undefined : escapeTemplate(this.workingDirectory),
                  when: 'create',
                },
              ],
      });
      resource.overrideLogicalId(spec.resourceName);
      // After overrideLogicalId: cdktf takes the `to` address from the logical id at this call.
      resource.moveFromId(`terraform_data.${spec.movedFrom}`);
    }
  }

  private addRunGuard(model: StackModel): void {
    if (model.runGuardMessage === null) return;
    new DataResource(this, 'run_guards', {
      input: escapeTemplateDeep({ run_guards: [...model.runGuards] }),
      lifecycle: {
        precondition: [{ condition: '${length(local.run_guards) == 0}', errorMessage: escapeTemplate(model.runGuardMessage) }],
      },
    }).overrideLogicalId('run_guards');
  }

  private addChecks(model: StackModel): void {
    const check = (name: string, asserts: Array<{ condition: string; message: string }>): void => {
      this.addOverride(`check.${name}`, {
        assert: asserts.map((a) => ({ condition: a.condition, error_message: escapeTemplate(a.message) })),
      });
    };
    for (const w of model.held) {
      check(w.checkName, [{ condition: `\${length(local.held_users["${w.userName}"]) == 0}`, message: w.message }]);
    }
    for (const w of model.reported) {
      check(w.checkName, [{ condition: `\${length(local.reported_users["${w.userName}"]) == 0}`, message: w.message }]);
    }
    if (model.runWarnings.length > 0) {
      check('run_warnings', [
        {
          condition: '${length(local.run_warnings) == 0}',
          message: ['Run-level findings (not blocking):', ...model.runWarnings.map((w) => `- ${w}`)].join('\n'),
        },
      ]);
    }
    if (model.notices.length > 0) {
      check(
        'plan_notices',
        model.notices.map((notice, index) => ({ condition: `\${length(local.notices[${index}]) == 0}`, message: notice })),
      );
    }
  }

  private addOutputs(model: StackModel): void {
    for (const [name, value] of Object.entries(model.outputs)) {
      new TerraformOutput(this, `output_${name}`, { value: escapeTemplateDeep(value) }).overrideLogicalId(name);
    }
  }
}

function warningMap(warnings: readonly UserWarningSpec[]): Record<string, readonly string[]> {
  const out: Record<string, readonly string[]> = {};
  for (const w of warnings) out[w.userName] = w.details;
  return out;
}
