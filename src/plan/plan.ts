/**
 * The pure planner: Snapshot + Allowlist + now -> Plan. No I/O, no AWS SDK.
 *
 * Per user: the rules (src/plan/rules) say what is intended (keep, report, delete, quarantine);
 * for an intended removal the user guards (src/plan/guards) may turn it into hold (or a delete into
 * quarantine: recently-active in "quarantine" mode); then the run guards (scan-incomplete,
 * account-pin, empty-allowlist, max-removals) turn every remaining delete/quarantine into hold.
 * A user already quarantined by this tool is settled by the quarantined rule (src/plan/rules/quarantined.ts)
 * before the run guards: when its quarantine is what the plan wants, it becomes report (done, not pending).
 * Deterministic: users sorted case-insensitively, findings in a fixed order.
 */
import type { Allowlist } from '../model/allowlist';
import { PLAN_SCHEMA_VERSION, type Decision, type GuardFinding, type Plan, type PlanSummary, type RuleFinding, type UserPlan } from '../model/plan';
import type { Snapshot, UserFacts } from '../model/snapshot';
import { describeActivity } from './activity';
import { buildContext, type PlanContext, type PlanOptions, type RuleContext } from './context';
import { compareGuardFindings, RUN_GUARDS, USER_GUARDS } from './guards';
import type { GuardResult } from './guards/types';
import { matchDeclared, type AllowlistMatch } from './match';
import { collectNotices } from './notices';
import { RULES } from './rules';
import { quarantined, QUARANTINED_RULE } from './rules/quarantined';
import type { RuleResult } from './rules/types';

export type { PlanOptions } from './context';
export { plannedActions, blockingFindings } from './actions';

interface Draft {
  readonly user: UserFacts;
  readonly match: AllowlistMatch;
  readonly decision: Decision;
  readonly intended: 'delete' | 'quarantine' | null;
  /** Reasons before any hold: the rule's reason, activity, quarantine-instead note. */
  readonly baseReasons: readonly string[];
  readonly findings: readonly RuleFinding[];
  readonly guards: readonly GuardResult[];
}

export function plan(snapshot: Snapshot, allowlist: Allowlist, now: Date, options: PlanOptions = {}): Plan {
  const ctx = buildContext(snapshot, allowlist, now, options);
  const drafts = [...snapshot.users].sort(compareUsers).map((user) => planUser(ctx, user));
  const intendedRemovals = drafts.filter((draft) => isRemoval(draft.decision)).length;
  const runGuards = RUN_GUARDS.flatMap((guard) => guard(ctx, { intendedRemovals })).sort(compareGuardFindings);
  const users = drafts.map((draft) => finishUser(draft, runGuards));
  return {
    schemaVersion: PLAN_SCHEMA_VERSION,
    accountId: snapshot.accountId,
    snapshotTakenAt: snapshot.takenAt,
    plannedAt: now.toISOString(),
    allowlistFile: allowlist.sourceFile,
    users,
    runGuards,
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

function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

function isRemoval(decision: Decision): decision is 'delete' | 'quarantine' {
  return decision === 'delete' || decision === 'quarantine';
}

function withoutProposal({ rule, severity, message }: RuleResult): RuleFinding {
  return { rule, severity, message };
}

function withoutEffect({ kind, severity, resource, region, message, blocksRun }: GuardResult): GuardFinding {
  return { kind, severity, resource, region, message, blocksRun };
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

function planUser(ctx: PlanContext, user: UserFacts): Draft {
  const match = matchDeclared(ctx.allowlist, user, ctx.now);
  const ruleContext = { ...ctx, match };
  const results = RULES.flatMap((rule) => rule(ruleContext, user));
  const findings = results.map(withoutProposal);
  const governing = results.find((result) => result.proposes !== undefined);
  const base = { user, match, findings };
  const settle = (draft: Draft): Draft => settleQuarantined(ruleContext, draft);
  if (governing === undefined) {
    return settle({ ...base, decision: 'keep', intended: null, baseReasons: [keepReason(match)], guards: [] });
  }
  const activity = governing.rule === 'inactive' ? [] : [results.find((r) => r.rule === 'unused')?.message ?? describeActivity(user, ctx.now)];
  const baseReasons = [governing.message, ...activity];
  if (governing.proposes === 'report') {
    return settle({ ...base, decision: 'report', intended: null, baseReasons, guards: [] });
  }
  const intended = governing.proposes === 'quarantine' ? 'quarantine' : 'delete';
  if (intended === 'quarantine') {
    // A quarantine already in place needs no guard: nothing is done, so nothing can go wrong.
    const done = settle({ ...base, decision: 'quarantine', intended, baseReasons, guards: [] });
    if (done.decision === 'report') return done;
  }
  const guards = USER_GUARDS.flatMap((guard) => guard(ctx, { user, match, intended })).sort(compareGuardFindings);
  const held = guards.some((guard) => (guard.effect ?? 'hold') === 'hold');
  const quarantineInstead = !held && guards.some((guard) => guard.effect === 'quarantine');
  const decision: Decision = held ? 'hold' : quarantineInstead ? 'quarantine' : intended;
  const notes = quarantineInstead ? guards.filter((guard) => guard.effect === 'quarantine').map((guard) => guard.message) : [];
  return settle({ ...base, decision, intended, baseReasons: [...baseReasons, ...notes], guards });
}

/**
 * Applies the quarantined rule to a draft: a quarantine already in place that the plan still wants
 * (or that the allowlist no longer wants) settles as report, with no guards and nothing intended,
 * so it is neither counted by max-removals nor held by a run guard, and exitCodeFor gives 0 (unless
 * something else blocks the run).
 * Otherwise the rule's findings are added and the decision stands.
 */
const CREDENTIAL_HYGIENE_RULES: ReadonlySet<string> = new Set(['password-without-mfa', 'access-key-old', 'access-key-unused', 'long-term-credentials']);

function settleQuarantined(ctx: RuleContext, draft: Draft): Draft {
  const results = quarantined(ctx, draft.user, draft.decision);
  if (results.length === 0) return draft;
  const findings = [...draft.findings, ...results.map(withoutProposal)];
  const settled = results.find((result) => result.proposes === 'report');
  if (settled !== undefined) {
    // The quarantine deactivated keys and removed the password; the credential report can show them for
    // hours more, so hygiene notes about them would be noise on a finished quarantine.
    const relevant = settled.rule === QUARANTINED_RULE ? findings.filter((finding) => !CREDENTIAL_HYGIENE_RULES.has(finding.rule)) : findings;
    return { ...draft, findings: relevant, decision: 'report', intended: null, guards: [], baseReasons: [settled.message, ...draft.baseReasons] };
  }
  const notes = draft.decision === 'keep' ? [] : results.filter((result) => result.rule === QUARANTINED_RULE).map((result) => result.message);
  return { ...draft, findings, baseReasons: [...draft.baseReasons, ...notes] };
}

function finishUser(draft: Draft, runGuards: readonly GuardFinding[]): UserPlan {
  const affected = draft.intended !== null && (isRemoval(draft.decision) || draft.decision === 'hold');
  const guards: GuardResult[] = affected && runGuards.length > 0 ? [...draft.guards, ...runGuards].sort(compareGuardFindings) : [...draft.guards];
  const decision: Decision = affected && runGuards.length > 0 ? 'hold' : draft.decision;
  const firstHold = decision === 'hold' ? guards.find((guard) => (guard.effect ?? 'hold') === 'hold') : undefined;
  const reasons = firstHold === undefined ? draft.baseReasons : [`held: ${firstHold.message}`, ...draft.baseReasons];
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
    findings: draft.findings,
    guards: guards.map(withoutEffect),
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
