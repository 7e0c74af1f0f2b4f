/**
 * The output of the pure planner. Rendered as text/json/markdown, synthesized to Terraform,
 * and carried out (one UserPlan at a time) by the executor.
 */

export const PLAN_SCHEMA_VERSION = 1 as const;

/** What happens to one live user. */
export type Decision = 'keep' | 'delete' | 'quarantine' | 'hold' | 'report';

/**
 * Every rule id: one file src/plan/rules/<id>.ts per id, registered in src/plan/rules/index.ts (typed
 * against this union, so the compiler names an id that has no record).
 */
export type RuleId =
  | 'declaration-expired'
  | 'exception-expired'
  | 'undeclared'
  | 'inactive'
  | 'unused'
  | 'create-date-unknown'
  | 'password-without-mfa'
  | 'access-key-old'
  | 'access-key-unused'
  | 'long-term-credentials'
  | 'quarantined'
  | 'still-quarantined'
  | 'quarantine-incomplete';

/** "action": drives the decision; "warning"/"info": report-only. */
export type RuleSeverity = 'action' | 'warning' | 'info';

/** What a rule found about a user (why it would be acted on, or a hygiene note). */
export interface RuleFinding {
  readonly rule: RuleId;
  readonly severity: RuleSeverity;
  readonly message: string;
}

/** Guards evaluated for each user the rules want to remove (scope "user"): their findings are UserPlan.guards. */
export type UserGuardKind = 'kms-sole-admin' | 'kms-key-policy' | 'kms-grant' | 'role-trust' | 'caller' | 'recently-active' | 'protected';

/** Guards evaluated once per run (scope "run"): their findings are Plan.runGuards. */
export type RunGuardKind = 'account-pin' | 'max-removals' | 'empty-allowlist' | 'scan-incomplete';

/** Every guard kind: one file src/plan/guards/<kind>.ts per kind, registered in src/plan/guards/index.ts. */
export type GuardKind = UserGuardKind | RunGuardKind;

/** critical: data may become unrecoverable; high: something breaks; medium: policy. */
export type GuardSeverity = 'critical' | 'high' | 'medium';

/** Why an action is stopped. */
export interface GuardFinding {
  readonly kind: GuardKind;
  readonly severity: GuardSeverity;
  /** ARN of the referencing resource (key, role, grant's key), when there is one. */
  readonly resource: string | null;
  readonly region: string | null;
  readonly message: string;
  /**
   * true: this finding stops the whole run (Terraform precondition fails, `apply` removes nothing).
   * false: on a user, only this user is held; on a run guard, a warning that holds nothing.
   * Each guard's record declares it (src/plan/guards/<kind>.ts); every run guard declares true today.
   */
  readonly blocksRun: boolean;
}

/**
 * What stops a user's pending action in this run:
 * - "user-guard": one of the user's own guards holds it (decision hold), whatever the rest of the run;
 * - "run": nothing of its own, but the run is blocked (Plan.runBlocked: a blocking run guard, or a
 *   finding with blocksRun on some user); its decision may still read delete or quarantine.
 */
export type BlockedBy = 'user-guard' | 'run';

/**
 * - "pending": a delete or quarantine is still to be done (decision delete, quarantine, or hold);
 * - "done": a complete quarantine by this tool is in place and nothing is left to do: the allowlist wants
 *   the user quarantined, or does not keep it and only reports it (decision report);
 * - "none": nothing to do (keep, report).
 */
export type ActionStatus = 'none' | 'pending' | 'done';

export interface UserPlan {
  readonly name: string;
  readonly userId: string;
  readonly arn: string;
  readonly path: string;
  readonly decision: Decision;
  /** What the rules asked for before guards: set when decision is delete, quarantine or hold. */
  readonly intended: 'delete' | 'quarantine' | null;
  readonly declared: boolean;
  readonly owner: string | null;
  /** Short human reasons for the decision, first one most important. */
  readonly reasons: readonly string[];
  readonly findings: readonly RuleFinding[];
  readonly guards: readonly GuardFinding[];
  /** null when nothing stops the action, or there is none (actionStatus is not "pending"). */
  readonly blockedBy: BlockedBy | null;
  readonly actionStatus: ActionStatus;
  /**
   * A complete quarantine by this tool is in place, wanted or not (a user the allowlist keeps carries a
   * still-quarantined warning instead of being done). An unfinished or broken one is not in place.
   */
  readonly quarantineInPlace: boolean;
}

export interface PlanSummary {
  readonly users: number;
  readonly keep: number;
  readonly delete: number;
  readonly quarantine: number;
  readonly hold: number;
  readonly report: number;
}

export interface Plan {
  readonly schemaVersion: typeof PLAN_SCHEMA_VERSION;
  readonly accountId: string;
  readonly snapshotTakenAt: string;
  /** The "now" the plan was computed for (ISO). */
  readonly plannedAt: string;
  readonly allowlistFile: string | null;
  /** Sorted by user name (case-insensitive), then path. */
  readonly users: readonly UserPlan[];
  /** Findings that concern the whole run (scan errors, account pin, max removals, empty allowlist). */
  readonly runGuards: readonly GuardFinding[];
  /**
   * The run is blocked (a run guard or a user finding with blocksRun; blockingFindings in
   * src/plan/actions.ts lists them): `apply` removes nothing and `plan` exits 3.
   */
  readonly runBlocked: boolean;
  /** Declared users or exceptions that do not exist in the account, exceptions expiring soon, etc. */
  readonly notices: readonly string[];
  readonly summary: PlanSummary;
}

/** One planned action as handed to the executor (by `apply`, or by Terraform's local-exec via `enforce`). */
export interface PlannedAction {
  readonly action: 'delete' | 'quarantine';
  readonly userName: string;
  /** The UserId seen at plan time; the executor refuses if the live user has another. */
  readonly userId: string;
  readonly arn: string;
}
