/**
 * The plan in a few lines: header, what blocks the run, one line per decision naming its users (held users with
 * the guards that hold them), the summary line. For overviews such as the demo; `plan` prints the full text.
 */
import { ANSI, painter, type AnsiCode } from '../../ansi';
import type { Plan, UserPlan } from '../../model/plan';
import { plural } from '../../plural';
import { blockingFindings, summaryLine, usersWith } from './common';
import { aliasSuffix, type RunFacts } from './run-facts';

export interface SummaryRenderOptions {
  /** ANSI colours as in the text renderer. Default false. */
  readonly color?: boolean;
  /** For the account alias in the header. Default none. */
  readonly facts?: RunFacts;
  /** Lines are wrapped at about this width. Default 80 (a terminal). */
  readonly width?: number;
}

interface Row {
  readonly decision: UserPlan['decision'];
  readonly label: string;
  readonly color: AnsiCode;
}

const ROWS: readonly Row[] = [
  { decision: 'delete', label: '- delete    ', color: ANSI.red },
  { decision: 'quarantine', label: '~ quarantine', color: ANSI.yellow },
  { decision: 'hold', label: '! held      ', color: ANSI.magenta },
  { decision: 'report', label: '# report    ', color: ANSI.cyan },
];

export function renderPlanSummary(plan: Plan, options: SummaryRenderOptions = {}): string {
  const paint = painter(options.color);
  const width = options.width ?? 80;
  const lines = [paint(ANSI.bold, `iam-allowlist plan for account ${plan.accountId}${aliasSuffix(options.facts)}`)];
  const blocking = blockingFindings(plan);
  if (blocking.length > 0) {
    const kinds = [...new Set(blocking.map((finding) => finding.kind))].join(', ');
    lines.push(paint(ANSI.red, `  Run blocked by ${plural(blocking.length, 'finding')} (${kinds}): apply removes nothing`));
  }
  for (const row of ROWS) {
    const users = usersWith(plan, row.decision);
    if (users.length === 0) continue;
    const names = users.map((user) =>
      row.decision === 'hold' && user.guards.length > 0 ? `${user.name} (${guardKinds(user)})` : user.name,
    );
    const [first, ...rest] = wrap(names, width - row.label.length - 4);
    lines.push(`  ${paint(row.color, row.label)}  ${first}`);
    for (const line of rest) lines.push(`  ${' '.repeat(row.label.length)}  ${line}`);
  }
  lines.push(paint(ANSI.bold, summaryLine(plan)));
  return `${lines.join('\n')}\n`;
}

function guardKinds(user: UserPlan): string {
  return [...new Set(user.guards.map((guard) => guard.kind))].join(', ');
}

/** Comma-separated items in lines of at most `width` characters (an item longer than that gets a line of its own). */
function wrap(items: readonly string[], width: number): string[] {
  const lines: string[] = [];
  let current = '';
  items.forEach((item, index) => {
    const piece = index < items.length - 1 ? `${item},` : item;
    if (current !== '' && current.length + 1 + piece.length > width) {
      lines.push(current);
      current = piece;
    } else {
      current = current === '' ? piece : `${current} ${piece}`;
    }
  });
  if (current !== '') lines.push(current);
  return lines;
}
