import type { GuardFinding } from '../../model/plan';
import type { UserFacts } from '../../model/snapshot';
import type { PlanContext } from '../context';
import type { AllowlistMatch } from '../match';

/** A user the rules want to remove, as a guard sees it. */
export interface GuardSubject {
  readonly user: UserFacts;
  readonly match: AllowlistMatch;
  readonly intended: 'delete' | 'quarantine';
}

/** A guard finding plus what it does to the intended action (default: hold). */
export interface GuardResult extends GuardFinding {
  readonly effect?: 'hold' | 'quarantine';
}

export type UserGuard = (ctx: PlanContext, subject: GuardSubject) => GuardResult[];

/** What run-level guards know about the plan built so far. */
export interface RunState {
  /** Users whose decision is delete or quarantine after the per-user guards. */
  readonly intendedRemovals: number;
}

export type RunGuard = (ctx: PlanContext, state: RunState) => GuardFinding[];
