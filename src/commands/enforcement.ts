import type { AwsClients } from '../aws/clients';
import { executeAction, type ActionResult, type StepEvent } from '../executor';
import type { Plan, PlannedAction } from '../model/plan';
import { recheckAction } from '../plan/recheck';

/** Everything one enforcement run shares: clients, where backups and the audit log go, and the fresh plan. */
export interface EnforcementRun {
  readonly clients: AwsClients;
  readonly accountId: string;
  readonly backupDir: string;
  readonly auditLog: string;
  /**
   * The plan computed from a fresh scan taken for this run. Called lazily and at most once per
   * run: every action of the run is re-checked against the same fresh plan (no per-user re-scan).
   */
  readonly freshPlan: () => Promise<Plan>;
  readonly onStep?: (event: StepEvent) => void;
  /**
   * A delete refuses when a key of the user was used within this many days, read live just before
   * the first change (the credential report can be hours old). The allowlist's guards.recentlyActiveDays.
   */
  readonly recentlyActiveDays?: number;
}

export function memoize<T>(load: () => Promise<T>): () => Promise<T> {
  let pending: Promise<T> | null = null;
  return () => (pending ??= load());
}

/** Carries out the actions one after another; a refusal of one does not stop the others. */
export async function enforceActions(
  actions: readonly PlannedAction[],
  run: EnforcementRun,
): Promise<{ results: ActionResult[]; failures: { action: PlannedAction; error: Error }[] }> {
  const results: ActionResult[] = [];
  const failures: { action: PlannedAction; error: Error }[] = [];
  for (const action of actions) {
    try {
      results.push(await enforceOne(action, run));
    } catch (err) {
      failures.push({ action, error: err as Error });
    }
  }
  return { results, failures };
}

export async function enforceOne(action: PlannedAction, run: EnforcementRun): Promise<ActionResult> {
  // The quarantine tag says why, in the plan's own words (e.g. "inactive: last used 200 days ago").
  const planned = (await run.freshPlan()).users.find((u) => u.userId === action.userId);
  return executeAction(action, {
    quarantineReason: planned?.reasons[0],
    clients: run.clients,
    accountId: run.accountId,
    backupDir: run.backupDir,
    auditLog: run.auditLog,
    recheck: async (a) => recheckAction(a, await run.freshPlan()),
    onStep: run.onStep,
    recentlyActiveDays: run.recentlyActiveDays,
  });
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
