/**
 * The output of the pure planner. Rendered as text/json/markdown, synthesized to Terraform,
 * and carried out (one UserPlan at a time) by the executor.
 */

export const PLAN_SCHEMA_VERSION = 1 as const;

/** What happens to one live user. */
export type Decision = 'keep' | 'delete' | 'quarantine' | 'hold' | 'report';

/** What a rule found about a user (why it would be acted on, or a hygiene note). */
export interface RuleFinding {
  /** Rule id, e.g. "undeclared", "exception-expired", "unused", "inactive", "password-without-mfa". */
  readonly rule: string;
  /** "action": drives the decision; "warning"/"info": report-only. */
  readonly severity: 'action' | 'warning' | 'info';
  readonly message: string;
}

export type GuardKind =
  | 'kms-sole-admin'
  | 'kms-key-policy'
  | 'kms-grant'
  | 'role-trust'
  | 'caller'
  | 'account-pin'
  | 'max-removals'
  | 'empty-allowlist'
  | 'recently-active'
  | 'scan-incomplete'
  | 'protected';

/** Why an action is stopped. */
export interface GuardFinding {
  readonly kind: GuardKind;
  /** critical: data may become unrecoverable; high: something breaks; medium: policy. */
  readonly severity: 'critical' | 'high' | 'medium';
  /** ARN of the referencing resource (key, role, grant's key), when there is one. */
  readonly resource: string | null;
  readonly region: string | null;
  readonly message: string;
  /**
   * true: this finding stops the whole run (Terraform precondition fails, `apply` removes nothing).
   * false: only this user is held.
   */
  readonly blocksRun: boolean;
}

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
