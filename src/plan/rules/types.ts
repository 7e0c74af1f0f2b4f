import type { Decision, RuleFinding, RuleId, RuleSeverity } from '../../model/plan';
import type { UserFacts } from '../../model/snapshot';
import type { RuleContext } from '../context';
import { InternalError } from '../../errors';
import { severityOf, type SeverityDeclaration } from '../severity';

/** What a rule asks for; the planner takes the first proposal among the findings. */
export type Proposal = 'delete' | 'quarantine' | 'report';

/** A rule finding plus, for the rules that drive the decision, what they propose. */
export interface RuleResult extends RuleFinding {
  readonly proposes?: Proposal;
}

/** One thing a rule found; the registry's runner adds the rule's id and severity. */
export interface RuleHit {
  readonly message: string;
  /** Only for a rule whose severity is chosen per finding: one of its declared levels. */
  readonly severity?: RuleSeverity;
  readonly proposes?: Proposal;
}

/** An outcome rule can only settle a user: "report" means nothing is left to do. */
export interface OutcomeHit extends Omit<RuleHit, 'proposes'> {
  readonly proposes?: 'report';
}

/** The metadata every rule record declares (one record per file src/plan/rules/<id>.ts). */
interface RuleMetadata<Id extends RuleId> {
  readonly id: Id;
  /** decision: may propose what happens to the user; hygiene: a report-only note (a proposal from it is a bug). */
  readonly category: 'decision' | 'hygiene';
  /** Rules look at one user at a time. */
  readonly scope: 'user';
  readonly severity: SeverityDeclaration<RuleSeverity>;
  /** One sentence: what the rule finds. */
  readonly description: string;
  /**
   * What the rule looks at. Findings about credentials are dropped from a settled quarantine: the
   * quarantine turned them off, and the credential report can show them for hours more.
   */
  readonly subject: 'allowlist' | 'activity' | 'credentials' | 'quarantine';
  /** Its message says how long the user has been idle: the planner uses it instead of describing activity itself. */
  readonly statesActivity?: true;
  /**
   * Quarantine-state rules: a finding of this rule says a complete quarantine by this tool is in place,
   * and either stands ("quarantine-in-place") or should be released, the allowlist keeping the user
   * ("quarantine-to-release"). Read into UserPlan.quarantineInPlace and actionStatus.
   */
  readonly attests?: 'quarantine-in-place' | 'quarantine-to-release';
}

/** Evaluated on the user's facts, in registry order, before any guard. */
export interface FactsRule<Id extends RuleId = RuleId> extends RuleMetadata<Id> {
  readonly stage: 'facts';
  readonly evaluate: (ctx: RuleContext, user: UserFacts) => readonly RuleHit[];
}

/**
 * Evaluated with the decision the facts rules and the user guards reached (`outcome`, before run guards).
 * A hit proposing "report" settles the user as report: nothing left to do.
 */
export interface OutcomeRule<Id extends RuleId = RuleId> extends RuleMetadata<Id> {
  readonly stage: 'outcome';
  readonly evaluate: (ctx: RuleContext, user: UserFacts, outcome: Decision) => readonly OutcomeHit[];
}

export type RuleRecord<Id extends RuleId = RuleId> = FactsRule<Id> | OutcomeRule<Id>;

/** Hygiene rules look at users the allowlist keeps (declared, or under a valid exception). */
export function isKept(ctx: RuleContext): boolean {
  return ctx.match.declared !== null || ctx.match.exception !== null;
}

export function evaluateRule(rule: FactsRule, ctx: RuleContext, user: UserFacts): RuleResult[] {
  return rule.evaluate(ctx, user).map((hit) => resultOf(rule, hit));
}

export function evaluateOutcomeRule(rule: OutcomeRule, ctx: RuleContext, user: UserFacts, outcome: Decision): RuleResult[] {
  return rule.evaluate(ctx, user, outcome).map((hit) => resultOf(rule, hit));
}

function resultOf(rule: RuleRecord, { message, severity, proposes }: RuleHit): RuleResult {
  if (proposes !== undefined && rule.category !== 'decision') {
    throw new InternalError(`${rule.id} is a ${rule.category} rule but proposes ${proposes}`);
  }
  const finding: RuleFinding = { rule: rule.id, severity: severityOf(rule.id, rule.severity, severity), message };
  return proposes === undefined ? finding : { ...finding, proposes };
}
