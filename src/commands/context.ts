import { AwsClients } from '../aws/clients';
import { loadAllowlistFile, formatDiagnostics } from '../allowlist/load';
import { takeSnapshot } from '../inventory/inventory';
import { describeKeys } from '../inventory/describe-keys';
import { plan as computePlan } from '../plan/plan';
import { keysNamedByFindings } from '../plan/kms/named-keys';
import type { Plan } from '../model/plan';
import { loadSnapshot, saveSnapshot } from '../inventory/snapshot-file';
import { createProgressReporter, type ProgressEvent } from '../inventory/progress';
import { outputSettings } from '../cli/output';
import type { Allowlist } from '../model/allowlist';
import type { Snapshot } from '../model/snapshot';
import { UsageError } from '../errors';

/** Shared plumbing of the commands: one parse of --now, one allowlist load, one way to obtain a snapshot. */

export function parseNow(now: string | undefined): Date {
  if (now === undefined) return new Date();
  const parsed = new Date(now);
  if (Number.isNaN(parsed.getTime())) {
    throw new UsageError(`--now ${JSON.stringify(now)} is not a date`, 'give an ISO-8601 time, e.g. 2026-11-23T12:00:00Z');
  }
  return parsed;
}

/** Loads and validates the allowlist; warnings go to stderr (not with --quiet), errors throw (nothing reaches AWS). */
export function loadAllowlistOrThrow(file: string, now: Date): Allowlist {
  const { allowlist, warnings } = loadAllowlistFile(file, { now });
  const { quiet, stderrColor } = outputSettings();
  if (warnings.length > 0 && !quiet) process.stderr.write(formatDiagnostics(warnings, { color: stderrColor }) + '\n');
  return allowlist;
}

export interface SnapshotSource {
  /** Plan offline from this saved snapshot instead of reading the account. */
  readonly snapshotFile?: string;
  /** Also write the snapshot taken here. */
  readonly saveSnapshotFile?: string;
  readonly now: Date;
  /** Role to assume when no clients are given. */
  readonly assumeRole?: string;
}

/**
 * A saved snapshot, or a fresh scan of the account. A fresh scan checks the allowlist's account pin with
 * GetCallerIdentity first and throws RefusedError for another account before any IAM or KMS call; a saved
 * snapshot of another account is left to the planner's account-pin guard (it blocks the run).
 */
export async function obtainSnapshot(allowlist: Allowlist, source: SnapshotSource, clients?: AwsClients): Promise<Snapshot> {
  if (source.snapshotFile) return loadSnapshot(source.snapshotFile);
  const owned = clients ?? new AwsClients({ assumeRoleArn: source.assumeRole });
  try {
    const snapshot = await takeSnapshot(owned, {
      regions: allowlist.guards.regions,
      ...(allowlist.account !== null ? { expectedAccountId: allowlist.account } : {}),
      now: source.now,
      ...progressOption(),
    });
    if (source.saveSnapshotFile) saveSnapshot(source.saveSnapshotFile, snapshot);
    return snapshot;
  } finally {
    if (!clients) owned.destroy();
  }
}

/** `{ onProgress }` for takeSnapshot (progress on stderr), or nothing with --quiet. */
export function progressOption(): { readonly onProgress?: (event: ProgressEvent) => void } {
  return outputSettings().quiet ? {} : { onProgress: createProgressReporter(process.stderr) };
}

/** A plan as shown to a person, and the snapshot it was made from (with the named keys' state read). */
export interface DisplayedPlan {
  readonly plan: Plan;
  readonly snapshot: Snapshot;
}

/**
 * The plan a person reads: plan, read the state (DescribeKey) of just the keys its KMS findings name, plan
 * again (pure) so their messages show it ("PendingDeletion: deletion can still be cancelled"). The second
 * plan's decisions are the first's: a key's state decides nothing. Without clients (an offline snapshot),
 * or when no finding names an undescribed key, the first plan as it is. Re-check plans of the executor do
 * not come here: their messages are refusal reasons, where "state unknown" is enough.
 */
export async function planForDisplay(snapshot: Snapshot, allowlist: Allowlist, now: Date, clients?: AwsClients): Promise<DisplayedPlan> {
  const first = computePlan(snapshot, allowlist, now);
  const named = clients === undefined ? [] : keysNamedByFindings(first, snapshot);
  if (clients === undefined || named.length === 0) return { plan: first, snapshot };
  const described = await describeKeys(clients, snapshot, named);
  return { plan: computePlan(described, allowlist, now), snapshot: described };
}
