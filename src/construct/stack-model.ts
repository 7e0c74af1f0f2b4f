import type { GuardFinding, Plan, UserPlan } from '../model/plan';
import { InternalError, UsageError } from '../errors';
import { RUN_GUARD_RECORDS, USER_GUARD_RECORDS } from '../plan/guards';
import { assertIamUserName, blockNameForUser, compareStrings, legacyResourceName, resourceNameForAction, type UserAction } from './names';
import type { CompletedAction } from './previous-state';

/**
 * The pure half of the construct: what the Terraform stack must contain for a Plan, as plain data.
 * allowlist-stack.ts only renders this with cdktf, so the rules below are testable without cdktf
 * and a move to another CDK-for-Terraform fork touches one file.
 */

/** How Terraform's local-exec calls the CLI. */
export interface EnforcementCommand {
  /** argv prefix of the CLI, e.g. ['node', '/abs/bin/iam-allowlist.js']. Must not be empty. */
  readonly cliCommand: readonly string[];
  /** The allowlist the CLI re-reads before acting. */
  readonly allowlistFile: string;
  /** Passed as `--assume-role <arn>` (a flag, not an env value) when set. Default: none. */
  readonly assumeRoleArn?: string;
  /** Passed as `--run-id <id>` when set: the CLI lets actions of one run share one fresh scan. Default: none. */
  readonly runId?: string;
  /** Passed as `--expect-build <id>` when set: `enforce` refuses unless it is this build (src/commands/build-pin.ts). */
  readonly expectBuild?: string;
}

/** Facts of the synthesis that are not in the Plan. */
export interface PlanProvenance {
  /** SHA-256 (lowercase hex) of the allowlist file's bytes, as `sha256sum` prints it. Default: not recorded. */
  readonly allowlistSha256?: string;
}

/**
 * What a reviewer reads in `terraform plan` for one user (terraform_data `input`): the record of a removal.
 * Nothing in it depends on anything but the plan and the allowlist file, so synthesis stays byte-identical.
 */
export interface RemovalRecord {
  readonly action: UserAction;
  readonly user: string;
  readonly user_id: string;
  readonly arn: string;
  readonly reasons: readonly string[];
  /**
   * Every guard the planner evaluated for this action (all user and run guards), kind -> "passed" or what
   * it found. Empty for a quarantine found in place: nothing was left to do, so no guard ran.
   */
  readonly guards_checked: Readonly<Record<string, string>>;
  /** Plan.plannedAt: the time expiries and activity were evaluated for. */
  readonly planned_at: string;
  readonly allowlist_sha256?: string;
}

/**
 * One terraform_data per user that is acted on, or whose removal a blocking guard stops, or whose
 * action is already done (a quarantine in place, or a completed action carried over from the state).
 */
export interface UserResourceSpec {
  /** resourceNameForAction: the address says what applying it does. */
  readonly resourceName: string;
  /** The address the same action had before (legacyResourceName): its state is moved here, not destroyed. */
  readonly movedFrom: string;
  readonly userName: string;
  /** RemovalRecord for planned users; for a completed action, its input exactly as the state holds it. */
  readonly input: RemovalRecord | Readonly<Record<string, unknown>>;
  /** Replacing the resource re-runs the provisioner: a new UserId (recreated user) or a new action must. */
  readonly triggersReplace: { readonly user_id: string; readonly action: string };
  /** Full argv of the `enforce` call (no shell involved); null when the user is only blocked. */
  readonly enforceArgv: readonly string[] | null;
  /** Blocking guard findings, formatted; non-empty means the resource gets a failing precondition. */
  readonly blockingFindings: readonly string[];
  readonly preconditionMessage: string | null;
}

/** A `check` block warning about one user (held, or reported rather than enforced). */
export interface UserWarningSpec {
  readonly checkName: string;
  readonly userName: string;
  /** Never empty, so the check's `length(...) == 0` assertion always fails and warns. */
  readonly details: readonly string[];
  readonly message: string;
}

/**
 * Outputs are saved in state, and a changed output makes `terraform plan -detailed-exitcode` exit 2.
 * So they describe only what enforcing does not change: a count of pending deletions would differ right
 * after the apply that carried them out, the next plan would never be clean.
 */
export interface PlanOutputs {
  readonly account_id: string;
  /** user name -> "delete" | "quarantine" for every action this stack enforces or has enforced. */
  readonly user_actions: Readonly<Record<string, string>>;
  readonly users_held: readonly string[];
  readonly users_blocked: readonly string[];
  readonly users_reported: readonly string[];
  readonly run_blocked: boolean;
}

export interface StackModel {
  readonly userResources: readonly UserResourceSpec[];
  /** Blocking run guards, formatted; non-empty means a run-level failing precondition. */
  readonly runGuards: readonly string[];
  readonly runGuardMessage: string | null;
  /** Run guards that do not block: a warning only. */
  readonly runWarnings: readonly string[];
  readonly held: readonly UserWarningSpec[];
  readonly reported: readonly UserWarningSpec[];
  readonly notices: readonly string[];
  readonly outputs: PlanOutputs;
}

export function formatGuard(guard: GuardFinding): string {
  const where = [guard.resource, guard.region].filter((part): part is string => part !== null);
  const suffix = where.length > 0 ? ` (${where.join(', ')})` : '';
  return `${guard.kind} [${guard.severity}]: ${guard.message}${suffix}`;
}

/** The argv the local-exec provisioner runs for one action. */
export function enforceArgv(command: EnforcementCommand, user: UserPlan, action: 'delete' | 'quarantine'): string[] {
  const assumeRole = command.assumeRoleArn ? ['--assume-role', command.assumeRoleArn] : [];
  const runId = command.runId ? ['--run-id', command.runId] : [];
  const expectBuild = command.expectBuild ? ['--expect-build', command.expectBuild] : [];
  return [
    ...command.cliCommand,
    'enforce',
    '--action',
    action,
    '--user',
    user.name,
    '--user-id',
    user.userId,
    ...assumeRole,
    ...runId,
    ...expectBuild,
    '--allowlist',
    command.allowlistFile,
  ];
}

/** The user's own findings that stop the run; only a pending action can be stopped. */
function blockingGuards(user: UserPlan): GuardFinding[] {
  return user.actionStatus === 'pending' ? user.guards.filter((guard) => guard.blocksRun) : [];
}

function actionOf(user: UserPlan): 'delete' | 'quarantine' | null {
  return user.decision === 'delete' || user.decision === 'quarantine' ? user.decision : null;
}

function preconditionMessage(user: UserPlan, findings: readonly GuardFinding[]): string {
  const resources = [...new Set(findings.map((g) => g.resource).filter((r): r is string => r !== null))].sort(compareStrings);
  const referencedBy = resources.length > 0 ? ` It is referenced by: ${resources.join(', ')}.` : '';
  const lines = findings.map((g) => `- ${formatGuard(g)}`);
  return [`IAM user "${user.name}" (${user.arn}) must not be removed; nothing in this run will be applied.${referencedBy}`, ...lines].join(
    '\n',
  );
}

/** The guards of the registries, in name order: the planner evaluates each of them for every removal. */
const GUARD_KINDS = [...Object.keys(USER_GUARD_RECORDS), ...Object.keys(RUN_GUARD_RECORDS)].sort(compareStrings);

function guardsChecked(plan: Plan, user: UserPlan): Record<string, string> {
  const found = [...user.guards, ...plan.runGuards];
  const checked: Record<string, string> = {};
  for (const kind of GUARD_KINDS) {
    // A run guard that holds the user is in both lists: say it once.
    const messages = [...new Set(found.filter((g) => g.kind === kind).map((g) => `${g.severity}: ${g.message}`))];
    checked[kind] = messages.length === 0 ? 'passed' : messages.join('; ');
  }
  return checked;
}

function removalRecord(
  plan: Plan,
  user: UserPlan,
  action: UserAction,
  guards: Record<string, string>,
  provenance: PlanProvenance,
): RemovalRecord {
  return {
    action,
    user: user.name,
    user_id: user.userId,
    arn: user.arn,
    reasons: [...user.reasons],
    guards_checked: guards,
    planned_at: plan.plannedAt,
    ...(provenance.allowlistSha256 === undefined ? {} : { allowlist_sha256: provenance.allowlistSha256 }),
  };
}

function userResource(plan: Plan, user: UserPlan, command: EnforcementCommand, provenance: PlanProvenance): UserResourceSpec | null {
  const action = actionOf(user);
  const blocking = blockingGuards(user);
  if (action === null && blocking.length === 0) return user.quarantineInPlace ? quarantineDone(plan, user, provenance) : null;
  const shownAction = action ?? user.intended;
  if (shownAction === null) throw new InternalError(`user ${user.name} is blocked but has no intended action`);
  return {
    resourceName: resourceNameForAction(shownAction, user.name),
    movedFrom: legacyResourceName(user.name),
    userName: user.name,
    input: removalRecord(plan, user, shownAction, guardsChecked(plan, user), provenance),
    triggersReplace: { user_id: user.userId, action: shownAction },
    // A blocked user's plan fails at the precondition anyway; without a provisioner it can never act.
    enforceArgv: action !== null && blocking.length === 0 ? enforceArgv(command, user, action) : null,
    blockingFindings: blocking.map(formatGuard),
    preconditionMessage: blocking.length > 0 ? preconditionMessage(user, blocking) : null,
  };
}

/**
 * A quarantine that is already in place keeps the resource its enforcement created, with the same
 * triggers_replace, so the next plan neither replaces it nor re-runs anything. No provisioner: if
 * the resource is not in state (quarantined by `iam-allowlist apply`), creating it runs nothing.
 */
function quarantineDone(plan: Plan, user: UserPlan, provenance: PlanProvenance): UserResourceSpec {
  const action = 'quarantine';
  return {
    resourceName: resourceNameForAction(action, user.name),
    movedFrom: legacyResourceName(user.name),
    userName: user.name,
    input: removalRecord(plan, user, action, {}, provenance),
    triggersReplace: { user_id: user.userId, action },
    enforceArgv: null,
    blockingFindings: [],
    preconditionMessage: null,
  };
}

/** A completed action from the previous state, re-emitted unchanged and without provisioner. */
function completedResource(completed: CompletedAction): UserResourceSpec {
  return {
    resourceName: completed.resourceName,
    movedFrom: legacyResourceName(completed.userName),
    userName: completed.userName,
    input: completed.input,
    triggersReplace: { ...completed.triggersReplace },
    enforceArgv: null,
    blockingFindings: [],
    preconditionMessage: null,
  };
}

function nonEmpty(lines: readonly string[], fallback: string): string[] {
  return lines.length > 0 ? [...lines] : [fallback];
}

function bulleted(lines: readonly string[]): string {
  return lines.map((line) => `- ${line}`).join('\n');
}

/**
 * The guards that hold the user, each once: the planner's first reason ("held: <message>") restates one,
 * and the guard line says the same with its kind, severity and resource. Then why it would be removed.
 */
function heldWarning(user: UserPlan): UserWarningSpec {
  const guards = user.guards.map(formatGuard);
  const why = user.reasons.filter((reason) => !user.guards.some((guard) => reason.includes(guard.message)));
  const details = nonEmpty([...guards, ...why], 'held by the planner');
  const action = user.intended === 'quarantine' ? 'quarantined' : 'deleted';
  const stoppedBy = guards.length === 1 ? 'a guard stops it' : `${guards.length} guards stop it`;
  const head = `IAM user "${user.name}" is held: it would be ${action}`;
  const lines = guards.length === 0 ? [`${head}.`] : [`${head}, but ${stoppedBy}:`, bulleted(guards)];
  if (why.length > 0) lines.push(`It would be ${action} because: ${why.join('; ')}.`);
  return { checkName: blockNameForUser('held', user.name), userName: user.name, details, message: lines.join('\n') };
}

/** The reasons, then the warnings that do not repeat one (the governing finding is the first reason). */
function reportedWarning(user: UserPlan): UserWarningSpec {
  const warnings = user.findings
    .filter((f) => f.severity !== 'info' && !user.reasons.includes(f.message))
    .map((f) => `${f.rule}: ${f.message}`);
  const details = nonEmpty([...user.reasons, ...warnings], 'reported by the planner');
  const what = user.declared ? 'is declared but reported' : 'is not declared; reported only';
  return {
    checkName: blockNameForUser('report', user.name),
    userName: user.name,
    details,
    message: `IAM user "${user.name}" ${what} (not enforced).\n${bulleted(details)}`,
  };
}

function isReported(user: UserPlan): boolean {
  // A finished quarantine is done work, not drift: a warning on every plan would be noise.
  return user.decision === 'report' && user.actionStatus !== 'done';
}

function byName<T extends { readonly userName: string }>(items: T[]): T[] {
  return items.sort((a, b) => compareStrings(a.userName, b.userName));
}

/**
 * What the stack for `plan` contains. Deterministic: same plan, completed actions and provenance, same model,
 * same order. `completedActions` (see previous-state.ts) are added unless the plan has its own resource for
 * that user (a recreated user: the plan's resource, with the new UserId, wins and is replaced).
 */
export function buildStackModel(
  plan: Plan,
  command: EnforcementCommand,
  completedActions: readonly CompletedAction[] = [],
  provenance: PlanProvenance = {},
): StackModel {
  if (command.cliCommand.length === 0) throw new UsageError('the CLI command for local-exec is empty');
  if (command.allowlistFile.length === 0) throw new UsageError('the allowlist file path for local-exec is empty');
  for (const user of plan.users) assertIamUserName(user.name);

  const planned = plan.users.map((user) => userResource(plan, user, command, provenance)).filter((r): r is UserResourceSpec => r !== null);
  // One resource per user: two would both claim the user's legacy address in their `moved` blocks.
  const plannedUsers = new Set(planned.map((r) => r.userName));
  const carried = completedActions.filter((c) => !plannedUsers.has(c.userName)).map(completedResource);
  const userResources = byName([...planned, ...carried]);
  const held = byName(plan.users.filter((u) => u.decision === 'hold' && blockingGuards(u).length === 0).map(heldWarning));
  const reported = byName(plan.users.filter(isReported).map(reportedWarning));

  const runGuards = plan.runGuards.filter((g) => g.blocksRun).map(formatGuard);
  const runWarnings = plan.runGuards.filter((g) => !g.blocksRun).map(formatGuard);
  const runGuardMessage =
    runGuards.length > 0
      ? [
          `This run is blocked for account ${plan.accountId}: no user will be removed or quarantined.`,
          ...runGuards.map((g) => `- ${g}`),
        ].join('\n')
      : null;

  const names = (pick: (u: UserPlan) => boolean): string[] =>
    plan.users
      .filter(pick)
      .map((u) => u.name)
      .sort(compareStrings);
  const blockedNames = userResources.filter((r) => r.blockingFindings.length > 0).map((r) => r.userName);
  const userActions: Record<string, string> = {};
  for (const r of userResources) {
    if (r.blockingFindings.length === 0) userActions[r.userName] = r.triggersReplace.action;
  }
  const outputs: PlanOutputs = {
    account_id: plan.accountId,
    user_actions: userActions,
    users_held: names((u) => u.decision === 'hold'),
    users_blocked: blockedNames,
    users_reported: reported.map((r) => r.userName),
    run_blocked: plan.runBlocked,
  };

  return {
    userResources,
    runGuards,
    runGuardMessage,
    runWarnings,
    held,
    reported,
    // An empty notice would make its check pass silently.
    notices: plan.notices.filter((n) => n.length > 0),
    outputs,
  };
}
