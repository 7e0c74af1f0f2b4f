import * as fs from 'fs';
import pLimit from 'p-limit';
import { parseAllowlist } from '../allowlist/load';
import type { AwsClients } from '../aws/clients';
import { RefusedError, UsageError } from '../errors';
import { AuditLog, AuditLogError, executeAction, type ActionResult, type StepEvent } from '../executor';
import { InterruptedError, stopRequested, type StopSignal } from '../executor/interruption';
import { DEFAULT_RECHECK_MAX_AGE_SECONDS, type Allowlist } from '../model/allowlist';
import type { Plan, PlannedAction } from '../model/plan';
import type { Snapshot } from '../model/snapshot';
import { plan as computePlan } from '../plan/plan';
import { recheckAction } from '../plan/recheck';
import type { BoundedAgeScan } from './shared-scan';

/** Users acted on at once by default: enough to overlap IAM's latency, few enough to stay near its ~15 rps budget. */
export const DEFAULT_ENFORCE_CONCURRENCY = 4;

/** A re-check plan with the scan it was computed from and the age bound that scan was taken under. */
export interface ScannedPlan {
  readonly plan: Plan;
  readonly snapshot: Snapshot;
  /** guards.recheckMaxAgeSeconds in ms: the scan's facts stand in for live reads only while younger. */
  readonly maxAgeMs: number;
}

/** Everything one enforcement run shares: clients, where backups and the audit log go, and the fresh plan. */
export interface EnforcementRun {
  readonly clients: AwsClients;
  readonly accountId: string;
  readonly backupDir: string;
  /** The run's audit log, or its path (one AuditLog is then made for the run). */
  readonly auditLog: string | AuditLog;
  /**
   * The plan each action is re-checked against, called right before each user's first change.
   * The commands pass liveRecheckPlan: the allowlist file read again, a scan at most
   * guards.recheckMaxAgeSeconds old, returned with that scan (ScannedPlan): a deletion's backup then
   * reads live only what the scan lacks. A bare Plan: every user is read in full.
   */
  readonly freshPlan: () => Promise<Plan | ScannedPlan>;
  /**
   * Starts the run's re-check scan (or joins the one under way) without waiting and without reading the
   * allowlist: a deletion calls it before reading the user's own lists, so they overlap the scan. The
   * re-check itself (freshPlan) still checks the scan's age when it runs. Default: none (freshPlan starts it).
   */
  readonly startRecheckScan?: () => void;
  /**
   * The latest re-check scan that has answered (BoundedAgeScan.answered), read before a deletion's first
   * read of the user. When its re-check is judged on another scan, the user's own reads began before that
   * scan had answered, and the recheck step reads GetUser and the access keys again. Default: none (they
   * are always read again).
   */
  readonly answeredRecheckScan?: () => Snapshot | null;
  readonly onStep?: (event: StepEvent) => void | Promise<void>;
  /**
   * A delete or quarantine refuses when a key of the user was used within this many days, read live
   * just before the first change (the credential report can be hours old). The allowlist's
   * guards.recentlyActiveDays.
   */
  readonly recentlyActiveDays?: number;
  /**
   * Users acted on at once (each with its own audit lines and backup; all share one IAM client and
   * so its adaptive rate limiter). Default DEFAULT_ENFORCE_CONCURRENCY (4); 1 acts one after another.
   */
  readonly concurrency?: number;
}

export interface EnforcementOutcome {
  readonly results: ActionResult[];
  readonly failures: { action: PlannedAction; error: Error }[];
  /** Actions not started because the run stopped (signal, audit log, allowlist). */
  readonly left: PlannedAction[];
  /** Why the run stopped before its end, if it did. */
  readonly stop?: { readonly signal: StopSignal | null; readonly error: Error | null };
}

export function memoize<T>(load: () => Promise<T>): () => Promise<T> {
  let pending: Promise<T> | null = null;
  return () => (pending ??= load());
}

/** The allowlist changed during the run into something that cannot be read or is invalid: stop, change nothing more. */
export class AllowlistRecheckError extends UsageError {
  constructor(file: string, cause: Error) {
    super(
      `the allowlist ${file} was read again before the next change and cannot be used: ${cause.message}; the run stops here`,
      'fix the allowlist, then run again (every step is idempotent; what was done stays done)',
    );
  }
}

export interface LiveRecheckOptions {
  readonly allowlistFile: string;
  /** The run's bounded-age scan (shared with the plan shown, and through --run-id with other processes). */
  readonly scan: BoundedAgeScan;
  /** Clock for expiries. Default: the system clock. */
  readonly now?: () => Date;
}

/** guards.recheckMaxAgeSeconds in ms (default DEFAULT_RECHECK_MAX_AGE_SECONDS). */
export function recheckMaxAgeMs(allowlist: Allowlist): number {
  return (allowlist.guards.recheckMaxAgeSeconds ?? DEFAULT_RECHECK_MAX_AGE_SECONDS) * 1000;
}

/**
 * The re-check at the moment of change: every call reads the allowlist file again (invalid or
 * unreadable: AllowlistRecheckError, the run stops) and plans it against a scan at most
 * guards.recheckMaxAgeSeconds old. The plan is computed again only when the file's text or the
 * scan changed.
 */
export function liveRecheckPlan(options: LiveRecheckOptions): () => Promise<ScannedPlan> {
  let last: { text: string; scanned: ScannedPlan } | null = null;
  return async () => {
    const now = options.now?.() ?? new Date();
    let text: string;
    let allowlist: Allowlist;
    try {
      text = fs.readFileSync(options.allowlistFile, 'utf8');
      allowlist = parseAllowlist(text, options.allowlistFile, { now }).allowlist;
    } catch (err) {
      throw new AllowlistRecheckError(options.allowlistFile, err as Error);
    }
    const maxAgeMs = recheckMaxAgeMs(allowlist);
    const snapshot = await options.scan.get(maxAgeMs);
    if (last && last.text === text && last.scanned.snapshot === snapshot) return last.scanned;
    last = { text, scanned: { plan: computePlan(snapshot, allowlist, now), snapshot, maxAgeMs } };
    return last.scanned;
  };
}

/**
 * Another user's action stopped the run (an invalid allowlist, an unwritable audit log) while this
 * one was in flight: it stops before its next step, as it would not have started in a sequential run.
 */
export class RunStoppedError extends RefusedError {
  constructor(why: string, before: string) {
    super(`the run stopped (${why}) before ${before}; no further change was sent`, ['run-stopped']);
  }
}

/** Errors after which no further change may be sent in this run. */
function stopsTheRun(err: Error): boolean {
  const stoppers = [InterruptedError, AuditLogError, AllowlistRecheckError, RunStoppedError];
  return stoppers.some((kind) => err instanceof kind);
}

/** Stopped before its first change (the stop request, or the run stopping): the user is left, not failed. */
function stoppedBeforeAnyChange(err: Error): boolean {
  return (err instanceof InterruptedError || err instanceof RunStoppedError) && !(err as { changesMade?: number }).changesMade;
}

type Slot = { readonly done: ActionResult } | { readonly failed: Error } | { readonly left: true };

/**
 * Carries out the actions, up to `run.concurrency` users at once; a refusal of one does not stop
 * the others, and results are reported in the order of `actions`. A stop request (signal), an audit
 * log that cannot be written or an allowlist that became invalid stop the run: no user starts after
 * it, the calls in flight are finished and recorded, and nothing more is sent: ApiCaller checks the
 * stop request and writes the intent before every mutating call, and the other users in flight stop
 * before their next step (RunStoppedError). `left` lists the users not started or stopped before
 * their first change. The audit log's run-start line is written before anything else (AuditLogError:
 * nothing was sent). While an earlier run left intents pending, users run one at a time: the first
 * one's executor reconciles them before this run changes anything.
 */
export async function enforceActions(actions: readonly PlannedAction[], run: EnforcementRun): Promise<EnforcementOutcome> {
  const audit = run.auditLog instanceof AuditLog ? run.auditLog : new AuditLog({ path: run.auditLog });
  audit.open();
  const shared: EnforcementRun = { ...run, auditLog: audit };
  const slots: Slot[] = actions.map(() => ({ left: true }));
  let stop: EnforcementOutcome['stop'];
  const runOne = async (index: number): Promise<void> => {
    if (stop) return;
    const signal = stopRequested();
    if (signal) {
      stop = { signal, error: null };
      return;
    }
    try {
      slots[index] = { done: await enforceOne(actions[index]!, shared, runStoppedBy) };
    } catch (err) {
      const error = err as Error;
      if (stopsTheRun(error)) {
        stop ??= { signal: error instanceof InterruptedError ? error.signal : null, error };
        if (stoppedBeforeAnyChange(error)) return;
      }
      slots[index] = { failed: error };
    }
  };
  // A signal reaches the users in flight through ApiCaller's own check; the other stops through this.
  const runStoppedBy = (): string | null => (stop && !stop.signal ? (stop.error?.message ?? 'stopped') : null);
  const pendingFromEarlierRuns = () => audit.pendingIntents().some((intent) => intent.account === run.accountId);
  let next = 0;
  for (; next < actions.length && !stop && pendingFromEarlierRuns(); next++) await runOne(next);
  const limit = pLimit(Math.max(1, run.concurrency ?? DEFAULT_ENFORCE_CONCURRENCY));
  await Promise.all(
    actions
      .map((_, index) => index)
      .slice(next)
      .map((index) => limit(() => runOne(index))),
  );

  const results: ActionResult[] = [];
  const failures: { action: PlannedAction; error: Error }[] = [];
  const left: PlannedAction[] = [];
  for (const [index, slot] of slots.entries()) {
    const action = actions[index]!;
    if ('done' in slot) results.push(slot.done);
    else if ('failed' in slot) failures.push({ action, error: slot.failed });
    else left.push(action);
  }
  const outcome: EnforcementOutcome = { results, failures, left, ...(stop ? { stop } : {}) };
  const summary = `${results.length} done, ${failures.length} refused or failed, ${left.length} not started`;
  try {
    audit.end(stop ? (stop.signal ? 'interrupted' : 'stopped') : 'complete', summary);
  } catch (err) {
    // The run's calls are all recorded; only the closing line is missing.
    if (!stop) return { ...outcome, stop: { signal: null, error: err as Error } };
  }
  return outcome;
}

/**
 * One action of a run; `runStoppedBy` says why the run stopped meanwhile (null: it did not), checked before each step.
 *
 * The re-check (the allowlist file read again, a scan no older than the bounded age) is evaluated by the
 * action's recheck step, right before the backup and the first change. A deletion first reads the user's
 * own lists (the UserId check, the credentials no bulk read returns) while `run.startRecheckScan` has the
 * run's re-check scan taken, so IAM does not wait for KMS. A quarantine needs the fresh plan's reasons for
 * its tag, so it waits for the re-check first.
 */
export async function enforceOne(
  action: PlannedAction,
  run: EnforcementRun,
  runStoppedBy: () => string | null = () => null,
): Promise<ActionResult> {
  let quarantineReason: string | undefined;
  let recentlyActiveDays = run.recentlyActiveDays;
  if (action.action === 'quarantine') {
    const planned = planOf(await run.freshPlan()).users.find((u) => u.userId === action.userId);
    quarantineReason = planned?.reasons[0];
    // recentlyActive: quarantine made this a quarantine because the user is active: that is the operator's choice.
    if ((planned?.guards ?? []).some((g) => g.kind === 'recently-active')) recentlyActiveDays = undefined;
  } else {
    run.startRecheckScan?.();
  }
  // Taken before the preflight GetUser: a re-check judged on a scan that answered later re-reads what decides.
  const answeredBeforeReads = run.answeredRecheckScan?.() ?? null;
  return executeAction(action, {
    // The quarantine tag says why, in the plan's own words (e.g. "inactive: last used 200 days ago").
    quarantineReason,
    clients: run.clients,
    accountId: run.accountId,
    backupDir: run.backupDir,
    auditLog: run.auditLog,
    recheck: async (a) => {
      // Read at the moment of change: the allowlist file again, a scan no older than the bounded age.
      const basis = await run.freshPlan();
      const result = recheckAction(a, planOf(basis));
      if (!result.ok) return result;
      // A bare plan has no scan to compare the user's reads with: they are read again.
      if (!('plan' in basis)) return { ...result, readAgain: true };
      const readAgain = basis.snapshot !== answeredBeforeReads;
      // The very scan the re-check was evaluated on (not the plan-time one), for the backup read.
      const facts = basis.snapshot.users.find((u) => u.userId === a.userId);
      if (!facts) return { ...result, readAgain };
      return { ...result, scanned: { facts, scanStartedAt: basis.snapshot.takenAt, maxAgeMs: basis.maxAgeMs }, readAgain };
    },
    onStep: async (event) => {
      const why = runStoppedBy();
      if (why !== null && event.phase === 'start') throw new RunStoppedError(why, `step ${event.stepId} of ${action.userName}`);
      await run.onStep?.(event);
    },
    recentlyActiveDays,
  });
}

function planOf(basis: Plan | ScannedPlan): Plan {
  return 'plan' in basis ? basis.plan : basis;
}

export function describeResult(result: ActionResult): string {
  const verb = result.outcome === 'already-done' ? `already ${result.action === 'delete' ? 'deleted' : 'quarantined'}` : result.outcome;
  const lines = [
    `${result.action === 'delete' ? '-' : '~'} ${result.userName} (${result.userId}): ${verb}; ${result.totalApiCalls} API calls`,
  ];
  for (const note of result.notes) lines.push(`    note: ${note}`);
  return lines.join('\n');
}

export function describeFailure(failure: { action: PlannedAction; error: Error }): string {
  const reasons = (failure.error as { reasons?: readonly string[] }).reasons ?? [];
  return [
    `! ${failure.action.userName} (${failure.action.userId}): not ${failure.action.action === 'delete' ? 'deleted' : 'quarantined'}: ${failure.error.message}`,
    ...reasons.map((r) => `    - ${r}`),
  ].join('\n');
}

/** The lines an interrupted or stopped run ends with: why, what was done, what was left. */
export function describeStop(outcome: EnforcementOutcome): string {
  if (!outcome.stop) return '';
  const why = outcome.stop.signal
    ? `Stopped by ${outcome.stop.signal}: the calls in flight were finished and recorded; no further change was sent.`
    : `Stopped: ${outcome.stop.error?.message ?? 'unknown reason'}`;
  const done = outcome.results.map((r) => `${r.userName} (${r.outcome})`);
  const partial = outcome.failures
    .filter((f) => (f.error as { changesMade?: number }).changesMade)
    .map((f) => `${f.action.userName} (${(f.error as { changesMade?: number }).changesMade} change(s), not finished)`);
  return [
    why,
    `  done: ${done.length > 0 ? done.join(', ') : 'none'}`,
    ...(partial.length > 0 ? [`  part-way: ${partial.join(', ')}`] : []),
    `  left: ${outcome.left.length > 0 ? outcome.left.map((a) => `${a.userName} (${a.action})`).join(', ') : 'none'}`,
    '  Run again to finish: every step is idempotent.',
  ].join('\n');
}
