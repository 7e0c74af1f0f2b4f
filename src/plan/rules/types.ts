import type { UserFacts } from '../../model/snapshot';
import type { Decision, RuleFinding } from '../../model/plan';
import type { RuleContext } from '../context';

/** What a rule asks for; the planner takes the first proposal among the findings. */
export type Proposal = 'delete' | 'quarantine' | 'report';

/** A rule finding plus, for the rules that drive the decision, what they propose. */
export interface RuleResult extends RuleFinding {
  readonly proposes?: Proposal;
}

export type Rule = (ctx: RuleContext, user: UserFacts) => RuleResult[];

/** Hygiene rules look at users the allowlist keeps (declared, or under a valid exception). */
export function isKept(ctx: RuleContext): boolean {
  return ctx.match.declared !== null || ctx.match.exception !== null;
}

/**
 * A rule that needs the decision the other rules and the user guards reached (`outcome`, before
 * run guards). A result proposing "report" settles the user as report: nothing left to do.
 */
export type OutcomeRule = (ctx: RuleContext, user: UserFacts, outcome: Decision) => RuleResult[];
