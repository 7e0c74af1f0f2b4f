/**
 * Terraform-like text: `- delete`, `~ quarantine`, `! held`, `# report`, then the summary line
 * "Plan: 3 to delete, 1 to quarantine, 5 held.".
 */
import type { Plan, UserPlan } from '../../model/plan';
import { blockingFindings, hygieneFindings, reasonsBesideGuards, summaryLine, usersWith, whereOf } from './common';
import { plural } from '../../plural';

export interface TextRenderOptions {
  /** Also list kept users. Default false. */
  readonly verbose?: boolean;
}

const SYMBOL: Record<UserPlan['decision'], string> = {
  delete: '- delete',
  quarantine: '~ quarantine',
  hold: '! held',
  report: '# report',
  keep: '  keep',
};

function userBlock(user: UserPlan): string[] {
  const intended = user.decision === 'hold' && user.intended !== null ? ` (would ${user.intended})` : '';
  const lines = [`  ${SYMBOL[user.decision]} ${user.name}${intended}  ${user.arn}`];
  for (const reason of reasonsBesideGuards(user)) lines.push(`      ${reason}`);
  if (user.decision === 'hold') {
    for (const guard of user.guards) lines.push(`      ! [${guard.severity}] ${guard.kind}: ${guard.message}${whereOf(guard)}`);
  }
  return lines;
}

export function renderText(plan: Plan, options: TextRenderOptions = {}): string {
  const lines: string[] = [];
  lines.push(`iam-allowlist plan for account ${plan.accountId}`);
  lines.push(`  snapshot taken ${plan.snapshotTakenAt}, planned at ${plan.plannedAt}${plan.allowlistFile ? `, allowlist ${plan.allowlistFile}` : ''}`);
  const blocking = blockingFindings(plan);
  if (blocking.length > 0) {
    lines.push('', 'Run blocked: apply removes nothing while these stand:');
    for (const finding of blocking) lines.push(`  ! [${finding.severity}] ${finding.kind}: ${finding.message}${whereOf(finding)}`);
  }
  const order: UserPlan['decision'][] = ['delete', 'quarantine', 'hold', 'report', ...(options.verbose ? (['keep'] as const) : [])];
  for (const decision of order) {
    const users = usersWith(plan, decision);
    if (users.length === 0) continue;
    lines.push('');
    for (const user of users) lines.push(...userBlock(user));
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
  lines.push('', summaryLine(plan), `${report} report only, ${keep} kept, ${plural(users, 'user')} in total.`);
  return `${lines.join('\n')}\n`;
}
