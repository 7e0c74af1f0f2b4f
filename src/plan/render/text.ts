/**
 * Terraform-like text: `- delete`, `~ quarantine`, `! held`, `# report`, then the summary line
 * "Plan: 3 to delete, 1 to quarantine, 5 held.".
 */
import { ANSI, painter, type AnsiCode } from '../../ansi';
import type { Plan, UserPlan } from '../../model/plan';
import { blockingFindings, hygieneFindings, reasonsBesideGuards, summaryLine, usersWith, whereOf } from './common';
import { plural } from '../../plural';
import { aliasSuffix, callerLine, overridesLine, type RunFacts } from './run-facts';

type Paint = ReturnType<typeof painter>;

export interface TextRenderOptions {
  /** Also list kept users. Default false. */
  readonly verbose?: boolean;
  /** ANSI colours: deletions red, quarantines yellow, held users and a blocked run magenta/red. Default false. */
  readonly color?: boolean;
  /** Caller, account alias and endpoint overrides for the header. Default: the header names the account only. */
  readonly facts?: RunFacts;
}

const COLOR: Record<UserPlan['decision'], AnsiCode | null> = {
  delete: ANSI.red,
  quarantine: ANSI.yellow,
  hold: ANSI.magenta,
  report: ANSI.cyan,
  keep: null,
};

const SYMBOL: Record<UserPlan['decision'], string> = {
  delete: '- delete',
  quarantine: '~ quarantine',
  hold: '! held',
  report: '# report',
  keep: '  keep',
};

function userBlock(user: UserPlan, paint: Paint): string[] {
  const intended = user.decision === 'hold' && user.intended !== null ? ` (would ${user.intended})` : '';
  const color = COLOR[user.decision];
  const title = `${SYMBOL[user.decision]} ${user.name}${intended}`;
  const lines = [`  ${color === null ? title : paint(color, title)}  ${user.arn}`];
  for (const reason of reasonsBesideGuards(user)) lines.push(`      ${reason}`);
  if (user.decision === 'hold') {
    for (const guard of user.guards) lines.push(`      ! [${guard.severity}] ${guard.kind}: ${guard.message}${whereOf(guard)}`);
  }
  return lines;
}

export function renderText(plan: Plan, options: TextRenderOptions = {}): string {
  const paint = painter(options.color);
  const lines: string[] = [];
  lines.push(paint(ANSI.bold, `iam-allowlist plan for account ${plan.accountId}${aliasSuffix(options.facts)}`));
  if (options.facts) {
    lines.push(`  caller ${callerLine(options.facts)}`);
    const overrides = overridesLine(options.facts);
    if (overrides !== null) lines.push(`  endpoint override: ${overrides}`);
  }
  const allowlist = plan.allowlistFile ? `, allowlist ${plan.allowlistFile}` : '';
  lines.push(`  snapshot taken ${plan.snapshotTakenAt}, planned at ${plan.plannedAt}${allowlist}`);
  const blocking = blockingFindings(plan);
  if (blocking.length > 0) {
    lines.push('', paint(ANSI.red, paint(ANSI.bold, 'Run blocked: apply removes nothing while these stand:')));
    for (const finding of blocking) lines.push(`  ! [${finding.severity}] ${finding.kind}: ${finding.message}${whereOf(finding)}`);
  }
  const order: UserPlan['decision'][] = ['delete', 'quarantine', 'hold', 'report', ...(options.verbose ? (['keep'] as const) : [])];
  for (const decision of order) {
    const users = usersWith(plan, decision);
    if (users.length === 0) continue;
    lines.push('');
    for (const user of users) lines.push(...userBlock(user, paint));
  }
  const hygiene = hygieneFindings(plan);
  if (hygiene.length > 0) {
    lines.push('', 'Hygiene (report only):');
    for (const item of hygiene) lines.push(`  # ${item.user.name}: ${item.rule}: ${item.message}`);
  }
  if (plan.notices.length > 0) {
    lines.push('', 'Notices:');
    for (const notice of plan.notices) lines.push(`  * ${notice}`);
  }
  const { report, keep, users } = plan.summary;
  lines.push('', paint(ANSI.bold, summaryLine(plan)), `${report} report only, ${keep} kept, ${plural(users, 'user')} in total.`);
  return `${lines.join('\n')}\n`;
}
