/**
 * The pure planner: Snapshot + Allowlist + now -> Plan. No I/O, no AWS SDK.
 *
 * Per user: the facts rules (src/plan/rules, stage "facts") say what is intended (keep, report, delete,
 * quarantine); for an intended removal the user guards (src/plan/guards, scope "user") may turn it into
 * hold (or a delete into quarantine: recently-active in "quarantine" mode); the outcome rules (stage
 * "outcome": the quarantine-state rules) then see the decision reached — a quarantine already in place
 * that the plan wants settles as report (done, not pending). Then the run guards (scope "run") that block
 * turn every remaining delete/quarantine into hold.
 * Deterministic: users sorted case-insensitively, findings in a fixed order.
 */
import type { Allowlist } from '../model/allowlist';
import {
  PLAN_SCHEMA_VERSION,
  type ActionStatus,
  type BlockedBy,
  type Decision,
  type GuardFinding,
  type Plan,
  type PlanSummary,
  type RuleFinding,
  type UserPlan,
} from '../model/plan';
import type { Snapshot, UserFacts } from '../model/snapshot';
import { compareText } from '../util/text';
import { describeActivity } from './activity';
import { buildContext, type PlanContext, type PlanOptions, type RuleContext } from './context';
import { compareGuardFindings, RUN_GUARDS, USER_GUARDS } from './guards';
import { evaluateRunGuard, evaluateUserGuard, type GuardResult, type RunGuardRecord, type UserGuardRecord } from './guards/types';
import { matchDeclared, type AllowlistMatch } from './match';
import { collectNotices } from './notices';
import { FACTS_RULES, OUTCOME_RULES } from './rules';
import { evaluateOutcomeRule, evaluateRule, type FactsRule, type OutcomeRule, type RuleRecord, type RuleResult } from './rules/types';

export type { PlanOptions } from './context';
export { plannedActions, blockingFindings } from './actions';

/** The records a plan is computed with: the registries, or another pack (tests). */
export interface PlanRecords {
  readonly factsRules: readonly FactsRule[];
  readonly outcomeRules: readonly OutcomeRule[];
  readonly userGuards: readonly UserGuardRecord[];
  readonly runGuards: readonly RunGuardRecord[];
}

export const REGISTERED_RECORDS: PlanRecords = {
  factsRules: FACTS_RULES,
  outcomeRules: OUTCOME_RULES,
  userGuards: USER_GUARDS,
  runGuards: RUN_GUARDS,
};

/** A finding with the record that produced it: the planner reads the record's metadata, never the id. */
interface Judged {
  readonly record: RuleRecord;
  readonly result: RuleResult;
}

interface Draft {
  readonly user: UserFacts;
  readonly match: AllowlistMatch;
  readonly decision: Decision;
  readonly intended: 'delete' | 'quarantine' | null;
  /** Reasons before any hold: the rule's reason, activity, quarantine-instead note. */
  readonly baseReasons: readonly string[];
  readonly findings: readonly Judged[];
  readonly guards: readonly GuardResult[];
}

export function plan(snapshot: Snapshot, allowlist: Allowlist, now: Date, options: PlanOptions = {}): Plan {
  return planWith(REGISTERED_RECORDS, snapshot, allowlist, now, options);
}

export function planWith(records: PlanRecords, snapshot: Snapshot, allowlist: Allowlist, now: Date, options: PlanOptions = {}): Plan {
  const ctx = buildContext(snapshot, allowlist, now, options);
  const drafts = [...snapshot.users].sort(compareUsers).map((user) => planUser(ctx, records, user));
  const intendedRemovals = drafts.filter((draft) => isRemoval(draft.decision)).length;
  const runGuards = records.runGuards.flatMap((guard) => evaluateRunGuard(guard, ctx, { intendedRemovals })).sort(compareGuardFindings);
  const holding = runGuards.filter((guard) => guard.blocksRun);
  // The same findings as blockingFindings(plan): the blocking run guards, and every user guard with blocksRun.
  const runBlocked = holding.length > 0 || drafts.some((draft) => draft.guards.some((guard) => guard.blocksRun));
  const users = drafts.map((draft) => finishUser(draft, holding, runBlocked));
  return {
    schemaVersion: PLAN_SCHEMA_VERSION,
    accountId: snapshot.accountId,
    snapshotTakenAt: snapshot.takenAt,
    plannedAt: now.toISOString(),
    allowlistFile: allowlist.sourceFile,
    users,
    runGuards,
    runBlocked,
    notices: collectNotices(ctx),
    summary: summarize(users),
  };
}

function compareUsers(a: UserFacts, b: UserFacts): number {
  return (
    compareText(a.name.toLowerCase(), b.name.toLowerCase()) ||
    compareText(a.path, b.path) ||
    compareText(a.name, b.name) ||
    compareText(a.userId, b.userId)
  );
}

function isRemoval(decision: Decision): decision is 'delete' | 'quarantine' {
  return decision === 'delete' || decision === 'quarantine';
}

function withoutProposal({ result: { rule, severity, message } }: Judged): RuleFinding {
  return { rule, severity, message };
}

function withoutEffect({ kind, severity, resource, region, message, blocksRun }: GuardResult): GuardFinding {
  return { kind, severity, resource, region, message, blocksRun };
}

function judged(record: RuleRecord, results: readonly RuleResult[]): Judged[] {
  return results.map((result) => ({ record, result }));
}

function keepReason(match: AllowlistMatch): string {
  if (match.declared !== null) {
    const until = match.declared.expires === null ? '' : ` until ${match.declared.expires}`;
    return `declared${until} (owner ${match.declared.owner})${match.declared.protect ? ', protected' : ''}`;
  }
  if (match.exception !== null) {
    return `exception until ${match.exception.expires} (owner ${match.exception.owner}: ${match.exception.reason})`;
  }
  return 'kept';
}

/**
 * The activity reason under the governing rule's: none when its own message states the activity
 * (inactive), else a hygiene finding that states it (unused), else a description of the last use.
 */
function activityReasons(ctx: PlanContext, user: UserFacts, findings: readonly Judged[], governing: Judged): string[] {
  if (governing.record.statesActivity === true) return [];
  const stated = findings.find(({ record }) => record.statesActivity === true && record.category === 'hygiene');
  return [stated?.result.message ?? describeActivity(user, ctx.now)];
}

function planUser(ctx: PlanContext, records: PlanRecords, user: UserFacts): Draft {
  const match = matchDeclared(ctx.allowlist, user, ctx.now);
  const ruleContext = { ...ctx, match };
  const findings = records.factsRules.flatMap((rule) => judged(rule, evaluateRule(rule, ruleContext, user)));
  const governing = findings.find(({ result }) => result.proposes !== undefined);
  const base = { user, match, findings };
  const settle = (draft: Draft): Draft => applyOutcomeRules(records.outcomeRules, ruleContext, draft);
  if (governing === undefined) {
    return settle({ ...base, decision: 'keep', intended: null, baseReasons: [keepReason(match)], guards: [] });
  }
  const baseReasons = [governing.result.message, ...activityReasons(ctx, user, findings, governing)];
  if (governing.result.proposes === 'report') {
    return settle({ ...base, decision: 'report', intended: null, baseReasons, guards: [] });
  }
  const intended = governing.result.proposes === 'quarantine' ? 'quarantine' : 'delete';
  if (intended === 'quarantine') {
    // A quarantine already in place needs no guard: nothing is done, so nothing can go wrong.
    const done = settle({ ...base, decision: 'quarantine', intended, baseReasons, guards: [] });
    if (done.decision === 'report') return done;
  }
  const guards = records.userGuards.flatMap((guard) => evaluateUserGuard(guard, ctx, { user, match, intended })).sort(compareGuardFindings);
  const held = guards.some((guard) => (guard.effect ?? 'hold') === 'hold');
  const quarantineInstead = !held && guards.some((guard) => guard.effect === 'quarantine');
  const decision: Decision = held ? 'hold' : quarantineInstead ? 'quarantine' : intended;
  const notes = quarantineInstead ? guards.filter((guard) => guard.effect === 'quarantine').map((guard) => guard.message) : [];
  return settle({ ...base, decision, intended, baseReasons: [...baseReasons, ...notes], guards });
}

/**
 * Applies the outcome rules to a draft: a result proposing "report" settles it as report, with no guards
 * and nothing intended, so it is neither counted by max-removals nor held by a run guard, and exitCodeFor
 * gives 0 (unless something else blocks the run).
 * Otherwise the rules' findings are added and the decision stands.
 */
function applyOutcomeRules(rules: readonly OutcomeRule[], ctx: RuleContext, draft: Draft): Draft {
  const outcome = rules.flatMap((rule) => judged(rule, evaluateOutcomeRule(rule, ctx, draft.user, draft.decision)));
  if (outcome.length === 0) return draft;
  const findings = [...draft.findings, ...outcome];
  const settling = outcome.find(({ result }) => result.proposes === 'report');
  if (settling !== undefined) {
    // The quarantine deactivated keys and removed the password; the credential report can show them for
    // hours more, so hygiene notes about them would be noise on a finished quarantine.
    const done = settling.record.attests === 'quarantine-in-place';
    const relevant = done ? findings.filter(({ record }) => record.subject !== 'credentials') : findings;
    const baseReasons = [settling.result.message, ...draft.baseReasons];
    return { ...draft, findings: relevant, decision: 'report', intended: null, guards: [], baseReasons };
  }
  const inPlace = outcome.filter(({ record }) => record.attests === 'quarantine-in-place').map(({ result }) => result.message);
  return { ...draft, findings, baseReasons: [...draft.baseReasons, ...(draft.decision === 'keep' ? [] : inPlace)] };
}

function actionStatusOf(decision: Decision, findings: readonly Judged[]): ActionStatus {
  if (isRemoval(decision) || decision === 'hold') return 'pending';
  const settled = decision === 'report' && findings.some(({ record }) => record.attests === 'quarantine-in-place');
  return settled ? 'done' : 'none';
}

function finishUser(draft: Draft, holdingRunGuards: readonly GuardFinding[], runBlocked: boolean): UserPlan {
  const affected = draft.intended !== null && (isRemoval(draft.decision) || draft.decision === 'hold');
  const heldByRun = affected && holdingRunGuards.length > 0;
  const guards: GuardResult[] = heldByRun ? [...draft.guards, ...holdingRunGuards].sort(compareGuardFindings) : [...draft.guards];
  const decision: Decision = heldByRun ? 'hold' : draft.decision;
  const firstHold = decision === 'hold' ? guards.find((guard) => (guard.effect ?? 'hold') === 'hold') : undefined;
  const reasons = firstHold === undefined ? draft.baseReasons : [`held: ${firstHold.message}`, ...draft.baseReasons];
  const actionStatus = actionStatusOf(decision, draft.findings);
  // Before the run guards, only the user's own guards can have made it hold.
  const blockedBy: BlockedBy | null =
    actionStatus !== 'pending' ? null : draft.decision === 'hold' ? 'user-guard' : runBlocked ? 'run' : null;
  const { user, match } = draft;
  return {
    name: user.name,
    userId: user.userId,
    arn: user.arn,
    path: user.path,
    decision,
    intended: draft.intended,
    declared: match.declared !== null,
    owner: match.declared?.owner ?? match.exception?.owner ?? match.expiredEntry?.owner ?? null,
    reasons,
    findings: draft.findings.map(withoutProposal),
    guards: guards.map(withoutEffect),
    blockedBy,
    actionStatus,
    quarantineInPlace: draft.findings.some(({ record }) => record.attests !== undefined),
  };
}

function summarize(users: readonly UserPlan[]): PlanSummary {
  const count = (decision: Decision): number => users.filter((user) => user.decision === decision).length;
  return {
    users: users.length,
    keep: count('keep'),
    delete: count('delete'),
    quarantine: count('quarantine'),
    hold: count('hold'),
    report: count('report'),
  };
}
