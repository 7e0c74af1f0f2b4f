import type { AwsClients } from '../aws/clients';
import type { PlannedAction } from '../model/plan';
import { ACTION_PREFLIGHT, type PreflightContext } from './action-preflight';
import { ApiCaller, type RetryOptions } from './api-calls';
import { DEFAULT_AUDIT_LOG_PATH, DEFAULT_BACKUP_DIR } from '../defaults';
import { AuditLog } from './audit';
import { throwIfStopRequested } from './interruption';
import { reconcilePendingIntents } from './reconcile';
import { assertValidRecentlyActiveDays } from './recent-key-use';
import { assertKnownStep, runStep, runSteps, type StepEvent, type StepResult } from './run-steps';
import { DELETE_STEPS } from './delete-steps';
import { QUARANTINE_STEPS } from './quarantine-steps';
import type { ScannedUser } from './read-user';
import type { RecheckResult, Step, StepContext } from './step';

export type { RecheckResult };

export interface ExecutorContext {
  readonly clients: AwsClients;
  /** The account the plan was made for; the live user's ARN must be in it. */
  readonly accountId: string;
  /** Default DEFAULT_BACKUP_DIR (".iam-allowlist/backups"). */
  readonly backupDir?: string;
  /**
   * The audit log, or its path. Default DEFAULT_AUDIT_LOG_PATH (".iam-allowlist/audit.log"). A run
   * passes one AuditLog to all its actions (one run-start line, one reconciliation of what an earlier
   * run left pending).
   */
  readonly auditLog?: string | AuditLog;
  /**
   * Fresh re-check of the guards, called by the action's recheck step: after the UserId check (and, for a
   * deletion, the live credential lists), right before the backup and the first change. It may return the
   * user in the scan it was evaluated on (RecheckResult.scanned), from which a deletion's backup is assembled.
   */
  readonly recheck: (action: PlannedAction) => Promise<RecheckResult>;
  /** Progress hook; a returned promise is awaited before the run goes on (tests use it to race the steps). */
  readonly onStep?: (event: StepEvent) => void | Promise<void>;
  /** Test hook: throw SimulatedCrashError after this step (a step id of the action's table) completes. */
  readonly crashAfterStep?: string;
  /** Value of the iam-allowlist:reason tag on quarantine. Default "not in the allowlist". */
  readonly quarantineReason?: string;
  /** Retries of EntityTemporarilyUnmodifiable / DeleteConflict races. Default RetryOptions defaults. */
  readonly retry?: RetryOptions;
  /** Clock for backups, tags and the recent-use check. Default: the system clock. */
  readonly now?: () => Date;
  /**
   * Delete and quarantine. When set, after the backup read and before the first change,
   * GetAccessKeyLastUsed is asked for every Active access key, and the action is refused
   * (RefusedError, reason "recently active: key AKIA… used <date>") when one was used within this
   * many days: the plan's activity comes from a credential report that can be about four hours old,
   * and quarantine drops the console password, which cannot come back. A number of days, 0 or more.
   * Default: undefined (no live check; one call per Active key when set).
   */
  readonly recentlyActiveDays?: number;
  /**
   * The user in the scan `recheck` was evaluated on (the run's bounded-age re-check scan, never the
   * plan-time scan), when `recheck` does not return it. A deletion's backup then reads live only what
   * that scan lacks (readUserForAction). Default: undefined (the user is read in full).
   */
  readonly scannedUser?: ScannedUser;
}

export interface ActionResult {
  readonly action: PlannedAction['action'];
  readonly userName: string;
  readonly userId: string;
  /**
   * "deleted"/"quarantined": this run changed something; "already-done": the user was already gone
   * (delete) or already fully quarantined, or gone (quarantine, see notes).
   */
  readonly outcome: 'deleted' | 'quarantined' | 'already-done';
  readonly backupFile: string | null;
  /** The "preflight" checks first, then one entry per table step. */
  readonly steps: readonly StepResult[];
  /** Calls per "service:Operation" of the whole action. */
  readonly apiCalls: Readonly<Record<string, number>>;
  readonly totalApiCalls: number;
  readonly notes: readonly string[];
}

const DEFAULT_QUARANTINE_REASON = 'not in the allowlist';

/** The step table of an action kind (for progress displays and the crash hook). */
export function stepsFor(action: PlannedAction['action']): readonly Step<StepContext>[] {
  return action === 'delete' ? DELETE_STEPS : QUARANTINE_STEPS;
}

function sum(calls: Readonly<Record<string, number>>): number {
  return Object.values(calls).reduce((a, b) => a + b, 0);
}

/**
 * Carries out one planned action. Refuses (RefusedError) when the live user has another UserId
 * than planned (recreated), lives in another account, or the fresh re-check fails. Every step is
 * idempotent, so re-running after a crash converges; a user already gone counts as deleted.
 */
export async function executeAction(action: PlannedAction, ctx: ExecutorContext): Promise<ActionResult> {
  const steps = stepsFor(action.action);
  assertKnownStep(steps, ctx.crashAfterStep);
  assertValidRecentlyActiveDays(ctx.recentlyActiveDays);
  const audit = ctx.auditLog instanceof AuditLog ? ctx.auditLog : new AuditLog({ path: ctx.auditLog ?? DEFAULT_AUDIT_LOG_PATH });
  const api = new ApiCaller(audit, { account: ctx.accountId, user: action.userName, userId: action.userId }, ctx.retry);
  const iam = ctx.clients.iam;
  throwIfStopRequested(`${action.action} of ${action.userName}`);
  // Write-ahead: the run-start line is on disk (or the run fails) before anything about the user is read.
  const notes: string[] = await reconcilePendingIntents(audit, iam, ctx.accountId, ctx.retry);

  const preflightCtx: PreflightContext = { iam, api, action, accountId: ctx.accountId, notes };
  const preflight = await runStep(ACTION_PREFLIGHT, preflightCtx, api);

  if (!preflightCtx.liveUser) {
    const steps = [preflight];
    const calls = api.totalCalls();
    return {
      action: action.action,
      userName: action.userName,
      userId: action.userId,
      outcome: 'already-done',
      backupFile: null,
      steps,
      apiCalls: calls,
      totalApiCalls: sum(calls),
      notes,
    };
  }
  const results: StepResult[] = [preflight];

  const stepCtx: StepContext = {
    iam,
    api,
    accountId: ctx.accountId,
    userName: action.userName,
    userId: action.userId,
    purpose: action.action,
    backupDir: ctx.backupDir ?? DEFAULT_BACKUP_DIR,
    now: ctx.now ?? (() => new Date()),
    quarantineReason: ctx.quarantineReason ?? DEFAULT_QUARANTINE_REASON,
    recentlyActiveDays: ctx.recentlyActiveDays,
    recheck: () => ctx.recheck(action),
    preflightUser: preflightCtx.liveUser,
    givenScan: ctx.scannedUser,
    backup: null,
    live: null,
    notes,
  };
  try {
    results.push(...(await runSteps(steps, stepCtx, api, { onStep: ctx.onStep, crashAfterStep: ctx.crashAfterStep })));
  } catch (err) {
    throw sayWhatWasChanged(err, action, api.changesMade(), stepCtx.backup?.file ?? null);
  }

  const changed = results.some((r) => r.outcome === 'ok' && r.id !== 'backup');
  const calls = api.totalCalls();
  return {
    action: action.action,
    userName: action.userName,
    userId: action.userId,
    outcome: changed ? (action.action === 'delete' ? 'deleted' : 'quarantined') : 'already-done',
    backupFile: stepCtx.backup?.file ?? null,
    steps: results,
    apiCalls: calls,
    totalApiCalls: sum(calls),
    notes,
  };
}

/**
 * A failure part-way through an action must not read like "nothing happened": the message of the
 * error (its type is kept) says how many changes this action already made, and where the backup is.
 */
function sayWhatWasChanged(err: unknown, action: PlannedAction, changes: number, backupFile: string | null): unknown {
  if (!(err instanceof Error) || (err as { changesMade?: number }).changesMade !== undefined) return err;
  const said =
    changes > 0
      ? ` [${changes} change(s) to ${action.userName} were already made before this${backupFile ? `; backup ${backupFile}` : ''}; ` +
        'every step is idempotent: run again to finish]'
      : ` [no change was made to ${action.userName}]`;
  err.message += said;
  Object.assign(err, { changesMade: changes });
  return err;
}

/** Deletes one user (see executeAction). */
export function deleteUser(action: Omit<PlannedAction, 'action'>, ctx: ExecutorContext): Promise<ActionResult> {
  return executeAction({ ...action, action: 'delete' }, ctx);
}

/** Quarantines one user: deny-all inline policy, keys deactivated, password removed, tagged (see executeAction). */
export function quarantineUser(action: Omit<PlannedAction, 'action'>, ctx: ExecutorContext): Promise<ActionResult> {
  return executeAction({ ...action, action: 'quarantine' }, ctx);
}
