/**
 * A pull-request comment: summary table, removals, held users with their guard findings,
 * report-only users, hygiene findings collapsed in <details>, notices.
 */
import type { Plan, UserPlan } from '../../model/plan';
import type { RunFacts } from './run-facts';
import { blockingFindings, hygieneFindings, reasonsBesideGuards, summaryLine, usersWith, whereOf } from './common';

/**
 * Text from the allowlist or the account (owners, reasons, tag values, user names, messages) rendered inert:
 * URLs, `www.` names and anything with an `@` (mentions, e-mail autolinks) become code spans, where GitHub
 * links and mentions nothing; elsewhere Markdown punctuation that starts links, images, emphasis, code
 * spans or strikethrough is backslash-escaped and HTML characters become entities. One line: newlines are
 * spaces. `inTable`: also escape `|` (inside code spans too, as GFM tables require).
 */
function neutralise(text: string, inTable: boolean): string {
  const line = text.replace(/\r?\n|\r/g, ' ');
  let out = '';
  let last = 0;
  for (const match of line.matchAll(LINKABLE)) {
    // Brackets and sentence punctuation around the token stay prose: "(owner a@example.com)." keeps "(" and ").".
    const lead = /^[(["']*/.exec(match[0])?.[0] ?? '';
    const token = match[0].slice(lead.length).replace(/[)\].,;:!?'"]+$/, '');
    if (token === '') continue;
    const start = match.index + lead.length;
    out += escapeInline(line.slice(last, start), inTable) + codeSpan(token, inTable);
    last = start + token.length;
  }
  return out + escapeInline(line.slice(last), inTable);
}

/** What GitHub would turn into a link or a mention: scheme URLs, www. names, words with an @. */
const LINKABLE = /(?:\b[a-z][a-z0-9+.-]*:\/\/|\b(?:mailto|javascript|data|vbscript|file):|\bwww\.)\S*|\S*@\S*/gi;

function escapeInline(text: string, inTable: boolean): string {
  const escaped = text
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/[\\`*_[\]~]/g, (char) => `\\${char}`);
  return inTable ? escaped.replace(/\|/g, '\\|') : escaped;
}

/** A code span that shows `text` literally, whatever backticks it holds (a fence longer than any run inside). */
function codeSpan(text: string, inTable: boolean): string {
  const longestRun = Math.max(0, ...[...text.matchAll(/`+/g)].map((run) => run[0].length));
  const fence = '`'.repeat(longestRun + 1);
  const padded = text.startsWith('`') || text.endsWith('`') ? ` ${text} ` : text;
  return `${fence}${inTable ? padded.replace(/\|/g, '\\|') : padded}${fence}`;
}

/** Safe inside a table cell: no pipes, no newlines, no raw HTML, no links, mentions or stray backticks. */
export function escapeCell(text: string): string {
  return neutralise(text, true);
}

/** Safe in a list item, quote or heading (outside tables): like escapeCell, but `|` stays as it is. */
export function escapeText(text: string): string {
  return neutralise(text, false);
}

/** A name, id or ARN as a code span; `inTable` escapes `|` for a table cell. */
function code(text: string, inTable = false): string {
  return codeSpan(text.replace(/\r?\n|\r/g, ' '), inTable);
}

/** `facts`: caller, account alias and endpoint overrides for the header. Default: the header names the account only. */
export function renderMarkdown(plan: Plan, facts?: RunFacts): string {
  const out: string[] = [];
  const alias = facts?.accountAlias ? ` (${code(facts.accountAlias)})` : '';
  out.push(`## iam-allowlist plan for account ${code(plan.accountId)}${alias}`, '');
  if (facts) {
    const assumer = facts.baseCallerArn === null ? 'an unknown identity' : code(facts.baseCallerArn ?? '');
    const base = facts.baseCallerArn === undefined ? '' : `, assumed by ${assumer}`;
    const overrides = facts.endpointOverrides.map((o) => `${code(o.variable)} = ${code(o.url)}`).join(', ');
    out.push(`Caller ${code(facts.callerArn)}${base}.${overrides === '' ? '' : ` Endpoint override: ${overrides}.`}`, '');
  }
  out.push(`**${summaryLine(plan)}** Snapshot taken ${plan.snapshotTakenAt}.`, '');
  const blocking = blockingFindings(plan);
  if (blocking.length > 0) {
    out.push('> [!CAUTION]', '> **Run blocked:** apply removes nothing while these stand:');
    for (const finding of blocking)
      out.push(`> - **${finding.severity}** ${code(finding.kind)}: ${escapeText(finding.message)}${escapeText(whereOf(finding))}`);
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
    for (const user of removals) out.push(`| ${code(user.name, true)} | ${user.decision} | ${escapeCell(user.reasons.join('; '))} |`);
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
    for (const user of reported) out.push(`| ${code(user.name, true)} | ${escapeCell(user.reasons.join('; '))} |`);
    out.push('');
  }
  const hygiene = hygieneFindings(plan);
  if (hygiene.length > 0) {
    out.push(`<details><summary>Hygiene findings (${hygiene.length})</summary>`, '', '| User | Rule | Finding |', '|---|---|---|');
    for (const item of hygiene) out.push(`| ${code(item.user.name, true)} | ${code(item.rule, true)} | ${escapeCell(item.message)} |`);
    out.push('', '</details>', '');
  }
  if (plan.notices.length > 0) {
    out.push('### Notices', '');
    for (const notice of plan.notices) out.push(`- ${escapeText(notice)}`);
    out.push('');
  }
  return `${out.join('\n')}\n`;
}

function heldSection(user: UserPlan): string[] {
  const lines = [`#### ${code(user.name)}${user.intended === null ? '' : ` (would ${user.intended})`}`, ''];
  for (const reason of reasonsBesideGuards(user)) lines.push(`- ${escapeText(reason)}`);
  for (const guard of user.guards) {
    const resource = guard.resource ? ` — ${code(guard.resource)}` : '';
    lines.push(
      `- **${guard.severity}** ${code(guard.kind)}: ${escapeText(guard.message)}${resource}${guard.region ? ` in ${escapeText(guard.region)}` : ''}`,
    );
  }
  lines.push('');
  return lines;
}
