/**
 * A pull-request comment: summary table, removals, held users with their guard findings,
 * report-only users, hygiene findings collapsed in <details>, notices.
 */
import type { Plan, UserPlan } from '../../model/plan';
import { blockingFindings, hygieneFindings, summaryLine, usersWith, whereOf } from './common';

/** Safe inside a table cell: no pipes, no newlines, no raw HTML. */
export function escapeCell(text: string): string {
  return text.replace(/\\/g, '\\\\').replace(/\|/g, '\\|').replace(/\r?\n/g, ' ').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

function code(text: string): string {
  return `\`${text.replace(/`/g, "'")}\``;
}

export function renderMarkdown(plan: Plan): string {
  const out: string[] = [];
  out.push(`## iam-allowlist plan for account ${code(plan.accountId)}`, '');
  out.push(`**${summaryLine(plan)}** Snapshot taken ${plan.snapshotTakenAt}.`, '');
  const blocking = blockingFindings(plan);
  if (blocking.length > 0) {
    out.push('> [!CAUTION]', '> **Run blocked:** apply removes nothing while these stand:');
    for (const finding of blocking) out.push(`> - **${finding.severity}** ${code(finding.kind)}: ${escapeCell(finding.message)}${escapeCell(whereOf(finding))}`);
    out.push('');
  }
  const { summary } = plan;
  out.push('| Decision | Users |', '|---|---:|');
  for (const [label, count] of [
    ['delete', summary.delete],
    ['quarantine', summary.quarantine],
    ['held', summary.hold],
    ['report only', summary.report],
    ['keep', summary.keep],
  ] as const) {
    out.push(`| ${label} | ${count} |`);
  }
  out.push('');

  const removals = usersWith(plan, 'delete', 'quarantine');
  if (removals.length > 0) {
    out.push('### Removals', '', '| User | Action | Why |', '|---|---|---|');
    for (const user of removals) out.push(`| ${code(user.name)} | ${user.decision} | ${escapeCell(user.reasons.join('; '))} |`);
    out.push('');
  }
  const held = usersWith(plan, 'hold');
  if (held.length > 0) {
    out.push('### Held', '');
    for (const user of held) out.push(...heldSection(user));
  }
  const reported = usersWith(plan, 'report');
  if (reported.length > 0) {
    out.push('### Report only', '', '| User | Why |', '|---|---|');
    for (const user of reported) out.push(`| ${code(user.name)} | ${escapeCell(user.reasons.join('; '))} |`);
    out.push('');
  }
  const hygiene = hygieneFindings(plan);
  if (hygiene.length > 0) {
    out.push(`<details><summary>Hygiene findings (${hygiene.length})</summary>`, '', '| User | Rule | Finding |', '|---|---|---|');
    for (const item of hygiene) out.push(`| ${code(item.user.name)} | ${code(item.rule)} | ${escapeCell(item.message)} |`);
    out.push('', '</details>', '');
  }
  if (plan.notices.length > 0) {
    out.push('### Notices', '');
    for (const notice of plan.notices) out.push(`- ${escapeCell(notice)}`);
    out.push('');
  }
  return `${out.join('\n')}\n`;
}

function heldSection(user: UserPlan): string[] {
  const lines = [`#### ${code(user.name)}${user.intended === null ? '' : ` (would ${user.intended})`}`, ''];
  for (const reason of user.reasons.filter((reason) => !reason.startsWith('held: '))) lines.push(`- ${escapeCell(reason)}`);
  for (const guard of user.guards) {
    lines.push(`- **${guard.severity}** ${code(guard.kind)}: ${escapeCell(guard.message)}${guard.resource ? ` — ${code(guard.resource)}` : ''}${guard.region ? ` in ${guard.region}` : ''}`);
  }
  lines.push('');
  return lines;
}
