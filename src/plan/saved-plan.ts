/**
 * Saved plans (`plan -o FILE`, `apply FILE`): the pure part. What the file holds, how it is read back and
 * checked, and when it may no longer be carried out. No I/O here; src/commands/saved-plan.ts reads and writes.
 *
 * The file holds no secret: the plan (names, ARNs, UserIds, reasons), the identity that read the account (ARNs
 * and its UserId), the account id, the allowlist's path and SHA-256 digest, and times. No credential is ever part
 * of a snapshot, a plan or the run facts.
 */
import { UsageError } from '../errors';
import type { Plan, PlannedAction } from '../model/plan';
import type { Snapshot } from '../model/snapshot';
import { plannedActions } from './actions';
import { runFactsOf, type RunFacts } from './render/run-facts';

export const SAVED_PLAN_KIND = 'iam-allowlist/saved-plan';
export const SAVED_PLAN_SCHEMA_VERSION = 1;

/**
 * Default --max-plan-age: 24 hours. A saved plan is a reviewer's approval of what the account looked like; a day
 * covers a review and an approval in the same working day, and matches the age after which the planner already
 * treats a credential report as stale (fail closed). Every action is re-checked live anyway: the bound is about
 * the approval still describing the account, not about safety.
 */
export const DEFAULT_MAX_PLAN_AGE_MS = 24 * 60 * 60 * 1000;

/** A saved plan made more than this far in the future (clock skew allowed) is refused: it was not made by this clock. */
export const FUTURE_TOLERANCE_MS = 5 * 60 * 1000;

export interface SavedPlan {
  readonly kind: typeof SAVED_PLAN_KIND;
  readonly schemaVersion: typeof SAVED_PLAN_SCHEMA_VERSION;
  /** ISO-8601 time `plan -o` wrote the file. */
  readonly createdAt: string;
  readonly accountId: string;
  /** The identity that read the account (the assumed role with --assume-role). */
  readonly caller: { readonly arn: string; readonly userId: string };
  readonly allowlist: { readonly file: string; readonly sha256: string };
  /** Exactly what `apply FILE` carries out: plannedActions(plan), with the UserIds seen at plan time. */
  readonly actions: readonly PlannedAction[];
  /** The header facts of the plan (caller, alias, endpoint overrides), to show it as it was reviewed. */
  readonly facts: RunFacts;
  readonly plan: Plan;
}

export interface SavedPlanInput {
  readonly plan: Plan;
  readonly snapshot: Snapshot;
  readonly allowlistFile: string;
  readonly allowlistSha256: string;
  readonly createdAt: Date;
}

export function savedPlanOf(input: SavedPlanInput): SavedPlan {
  return {
    kind: SAVED_PLAN_KIND,
    schemaVersion: SAVED_PLAN_SCHEMA_VERSION,
    createdAt: input.createdAt.toISOString(),
    accountId: input.snapshot.accountId,
    caller: { arn: input.snapshot.caller.arn, userId: input.snapshot.caller.userId },
    allowlist: { file: input.allowlistFile, sha256: input.allowlistSha256 },
    actions: plannedActions(input.plan),
    facts: runFactsOf(input.snapshot),
    plan: input.plan,
  };
}

const FIX = 'write it again with `iam-allowlist plan -o FILE` (a saved plan is not meant to be edited)';

/** Parses and checks a saved plan's text. UsageError naming the file (and line and column for broken JSON). */
export function parseSavedPlan(text: string, file: string): SavedPlan {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (err) {
    throw new UsageError(`saved plan ${file}${jsonErrorPlace(text, err as Error)} is not valid JSON: ${(err as Error).message}`, FIX);
  }
  const problem = savedPlanShapeProblem(value);
  if (problem !== null) throw new UsageError(`saved plan ${file} cannot be used: ${problem}`, FIX);
  return value as SavedPlan;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

function savedPlanShapeProblem(value: unknown): string | null {
  if (!isRecord(value)) return 'it is not a JSON object';
  if (value.kind !== SAVED_PLAN_KIND) return `"kind" is ${JSON.stringify(value.kind)}, not "${SAVED_PLAN_KIND}" (is it a saved plan?)`;
  if (value.schemaVersion !== SAVED_PLAN_SCHEMA_VERSION) {
    return `"schemaVersion" is ${JSON.stringify(value.schemaVersion)}; this version of the tool reads ${SAVED_PLAN_SCHEMA_VERSION}`;
  }
  if (typeof value.createdAt !== 'string' || Number.isNaN(Date.parse(value.createdAt))) return '"createdAt" is not an ISO-8601 time';
  if (typeof value.accountId !== 'string' || !/^\d{12}$/.test(value.accountId)) return '"accountId" is not a 12-digit account id';
  if (!isRecord(value.caller) || typeof value.caller.arn !== 'string') return '"caller.arn" is missing';
  if (!isRecord(value.allowlist) || typeof value.allowlist.file !== 'string') return '"allowlist.file" is missing';
  if (typeof value.allowlist.sha256 !== 'string' || !/^[0-9a-f]{64}$/.test(value.allowlist.sha256)) {
    return '"allowlist.sha256" is not a SHA-256 hex digest';
  }
  if (!isRecord(value.facts) || !Array.isArray(value.facts.endpointOverrides)) return '"facts" is missing';
  const plan = value.plan;
  if (!isRecord(plan) || !Array.isArray(plan.users) || !Array.isArray(plan.runGuards) || typeof plan.snapshotTakenAt !== 'string') {
    return '"plan" is not a plan';
  }
  if (plan.accountId !== value.accountId) return `"plan.accountId" ${JSON.stringify(plan.accountId)} is not "accountId" ${value.accountId}`;
  if (!Array.isArray(value.actions)) return '"actions" is not a list';
  // The actions must be the plan's own: a file edited to add a user (or change a UserId) is refused.
  const expected = JSON.stringify(plannedActions(plan as unknown as Plan));
  if (JSON.stringify(value.actions) !== expected) return '"actions" are not the plan\'s planned actions (the file was edited)';
  return null;
}

/** " at line L, column C" of a JSON.parse error that gives a position; "" otherwise. */
function jsonErrorPlace(text: string, err: Error): string {
  const match = /position (\d+)/.exec(err.message);
  if (!match) return '';
  const before = text.slice(0, Number(match[1]));
  const line = before.split('\n').length;
  return ` at line ${line}, column ${before.length - before.lastIndexOf('\n')}`;
}

export interface SavedPlanCheck {
  /** The account of the live credentials (one GetCallerIdentity). */
  readonly liveAccountId: string;
  /** allowlistDigest of the allowlist file as it is now. */
  readonly allowlistSha256: string;
  readonly allowlistFile: string;
  readonly now: Date;
  /** Default DEFAULT_MAX_PLAN_AGE_MS. */
  readonly maxAgeMs?: number;
}

/**
 * Why this saved plan may not be carried out now; [] when it may. Its age counts from the older of its snapshot
 * and its writing (a plan made from an old --snapshot is as old as the snapshot).
 */
export function savedPlanRefusals(saved: SavedPlan, check: SavedPlanCheck): string[] {
  const reasons: string[] = [];
  if (saved.accountId !== check.liveAccountId) {
    reasons.push(`account: the plan is for account ${saved.accountId}, the credentials are for account ${check.liveAccountId}`);
  }
  if (saved.allowlist.sha256 !== check.allowlistSha256) {
    reasons.push(
      `allowlist: ${check.allowlistFile} changed since the plan (sha256 ${short(saved.allowlist.sha256)} at plan time, now ` +
        `${short(check.allowlistSha256)}): plan again`,
    );
  }
  const madeAt = Math.min(Date.parse(saved.createdAt), Date.parse(saved.plan.snapshotTakenAt));
  const age = check.now.getTime() - madeAt;
  const maxAgeMs = check.maxAgeMs ?? DEFAULT_MAX_PLAN_AGE_MS;
  if (age > maxAgeMs) {
    reasons.push(`age: the plan is ${formatDuration(age)} old, more than --max-plan-age ${formatDuration(maxAgeMs)}: plan again`);
  } else if (-age > FUTURE_TOLERANCE_MS) {
    reasons.push(`age: the plan says it was made ${formatDuration(-age)} in the future (${saved.createdAt}): plan again`);
  }
  return reasons;
}

function short(digest: string): string {
  return `${digest.slice(0, 12)}…`;
}

const UNITS: readonly (readonly [string, number])[] = [
  ['d', 86_400_000],
  ['h', 3_600_000],
  ['m', 60_000],
  ['s', 1000],
];

/** "24h", "90m", "45s" when that unit is exact; else hours and minutes, rounded down ("25h 3m", "0h 1m"). */
export function formatDuration(ms: number): string {
  const exact = UNITS.find(([, size]) => ms >= size && ms % size === 0 && size <= 3_600_000);
  if (exact && (exact[1] === 3_600_000 || ms < 3_600_000)) return `${ms / exact[1]}${exact[0]}`;
  if (ms < 60_000) return `${Math.floor(ms / 1000)}s`;
  return `${Math.floor(ms / 3_600_000)}h ${Math.floor((ms % 3_600_000) / 60_000)}m`;
}

/** --max-plan-age: a whole number with a unit s, m, h or d ("24h", "90m"). UsageError otherwise. */
export function parseMaxPlanAge(text: string): number {
  const match = /^(\d+)\s*([smhd])$/.exec(text.trim());
  const size = match ? UNITS.find(([unit]) => unit === match[2])![1] : 0;
  const ms = match ? Number(match[1]) * size : 0;
  if (!match || ms <= 0) {
    throw new UsageError(
      `--max-plan-age ${JSON.stringify(text)} is not a duration`,
      'give a whole number and a unit s, m, h or d, e.g. 24h or 90m',
    );
  }
  return ms;
}
