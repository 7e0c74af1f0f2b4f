import type { GuardFinding, GuardSeverity, RunGuardKind, UserGuardKind } from '../../model/plan';
import type { UserFacts } from '../../model/snapshot';
import type { PlanContext } from '../context';
import type { AllowlistMatch } from '../match';
import { severityOf, type SeverityDeclaration } from '../severity';

/** A user the rules want to remove, as a guard sees it. */
export interface GuardSubject {
  readonly user: UserFacts;
  readonly match: AllowlistMatch;
  readonly intended: 'delete' | 'quarantine';
}

/** What a user guard finding does to the intended action. */
export type GuardEffect = 'hold' | 'quarantine';

/** A guard finding plus what it does to the intended action (default: hold). */
export interface GuardResult extends GuardFinding {
  readonly effect?: GuardEffect;
}

/** What run-level guards know about the plan built so far. */
export interface RunState {
  /** Users whose decision is delete or quarantine after the per-user guards. */
  readonly intendedRemovals: number;
}

/** One thing a run guard found; the registry's runner adds the kind, severity and blocksRun. */
export interface RunGuardHit {
  readonly resource: string | null;
  readonly region: string | null;
  readonly message: string;
  /** Only for a guard whose severity is chosen per finding: one of its declared levels. */
  readonly severity?: GuardSeverity;
}

/** One thing a user guard found. */
export interface UserGuardHit extends RunGuardHit {
  /** Default hold; "quarantine": quarantine instead of delete (unless another guard holds). */
  readonly effect?: GuardEffect;
}

/** Fixed, or chosen from the allowlist (`how` says how). */
export type BlocksRunDeclaration = boolean | { readonly how: string; readonly choose: (ctx: PlanContext) => boolean };

/** The metadata every guard record declares (one record per file src/plan/guards/<kind>.ts). */
interface GuardMetadata<Kind> {
  readonly id: Kind;
  /** Guards only ever stop or change an action. */
  readonly category: 'decision';
  readonly severity: SeverityDeclaration<GuardSeverity>;
  /** One sentence: what the guard stops, and why. */
  readonly description: string;
}

/** Evaluated for each user the rules want to remove; a finding holds it (or, effect quarantine, quarantines instead). */
export interface UserGuardRecord<Kind extends UserGuardKind = UserGuardKind> extends GuardMetadata<Kind> {
  readonly scope: 'user';
  /** true: a finding also stops the whole run (every other removal too), not only this user's. */
  readonly blocksRun: BlocksRunDeclaration;
  readonly evaluate: (ctx: PlanContext, subject: GuardSubject) => readonly UserGuardHit[];
}

/**
 * Evaluated once, when the per-user decisions are known. blocksRun is honoured: true holds every removal
 * of the run while a finding stands; false makes the finding a run-level warning that holds nothing.
 */
export interface RunGuardRecord<Kind extends RunGuardKind = RunGuardKind> extends GuardMetadata<Kind> {
  readonly scope: 'run';
  readonly blocksRun: boolean;
  readonly evaluate: (ctx: PlanContext, state: RunState) => readonly RunGuardHit[];
}

export type GuardRecord = UserGuardRecord | RunGuardRecord;

export function evaluateUserGuard(guard: UserGuardRecord, ctx: PlanContext, subject: GuardSubject): GuardResult[] {
  const blocksRun = typeof guard.blocksRun === 'boolean' ? guard.blocksRun : guard.blocksRun.choose(ctx);
  return guard.evaluate(ctx, subject).map(({ effect, ...hit }) => {
    const finding = findingOf(guard, hit, blocksRun);
    return effect === undefined ? finding : { ...finding, effect };
  });
}

export function evaluateRunGuard(guard: RunGuardRecord, ctx: PlanContext, state: RunState): GuardFinding[] {
  return guard.evaluate(ctx, state).map((hit) => findingOf(guard, hit, guard.blocksRun));
}

function findingOf(guard: GuardRecord, { resource, region, message, severity }: RunGuardHit, blocksRun: boolean): GuardFinding {
  return { kind: guard.id, severity: severityOf(guard.id, guard.severity, severity), resource, region, message, blocksRun };
}

/** The KMS guards stop the whole run in guards.kms "block" mode (the default), only the user in "hold" mode. */
export const KMS_BLOCKS_RUN: BlocksRunDeclaration = {
  how: 'guards.kms "block" (the default) stops the whole run, "hold" holds only this user',
  choose: (ctx) => ctx.allowlist.guards.kms === 'block',
};
