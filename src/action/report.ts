/**
 * What the action writes for a human: the job summary, the sticky pull-request comment and the
 * drift issue, as Markdown. Pure: the run's facts in, text out.
 */
import { ExitCode } from '../plan/render/exit-code';

/** The outcome of one CLI call the action made. */
export interface CommandOutcome {
  readonly exitCode: number;
  readonly stdout: string;
  readonly stderr: string;
}

/** GitHub refuses comment and issue bodies over 65,536 characters. */
export const BODY_LIMIT = 65_000;

export function markerFor(kind: 'plan' | 'drift', allowlist: string): string {
  return `<!-- iam-allowlist:${kind}:${allowlist} -->`;
}

function fence(text: string): string {
  const ticks = text.includes('```') ? '````' : '```';
  return `${ticks}\n${text.trimEnd()}\n${ticks}`;
}

export type PlanState = 'clean' | 'changes' | 'blocked' | 'failed';

/** From the exit code (see ExitCode): 0 clean, 2 changes pending, 3 blocked by a guard, anything else failed. */
export function planState(outcome: CommandOutcome): PlanState {
  if (outcome.exitCode === ExitCode.nothingToDo) return 'clean';
  if (outcome.exitCode === ExitCode.changesPending) return 'changes';
  return outcome.exitCode === ExitCode.blockedByGuard ? 'blocked' : 'failed';
}

const VERDICTS: Record<PlanState, string> = {
  clean: 'No changes: every IAM user is declared.',
  changes: 'Changes pending: `deploy` will carry out the removals below.',
  blocked: 'Blocked: a guard stops this run, nothing will be removed until it is resolved.',
  failed: 'Failed: the plan could not be made (the error is below). Nothing was changed.',
};

export function planVerdict(outcome: CommandOutcome): string {
  return VERDICTS[planState(outcome)];
}

/** Cuts text that would exceed the limit, saying where the whole of it is. */
export function truncate(body: string, runUrl: string | undefined, limit = BODY_LIMIT): string {
  if (body.length <= limit) return body;
  const note = `\n\n… cut at ${limit} characters; the whole plan is in the job summary${runUrl ? ` of ${runUrl}` : ''}.\n`;
  return body.slice(0, limit - note.length) + note;
}

/** The plan as the summary and the comment show it: verdict, the CLI's Markdown, and any error output. */
export function planReport(allowlist: string, outcome: CommandOutcome, runUrl?: string): string {
  const parts = [`### iam-allowlist plan: \`${allowlist}\``, '', `**${planVerdict(outcome)}**`, ''];
  if (outcome.stdout.trim() !== '') parts.push(outcome.stdout.trimEnd(), '');
  if (outcome.stderr.trim() !== '') {
    const title = planState(outcome) === 'failed' ? 'Error' : 'Messages';
    parts.push(`<details${title === 'Error' ? ' open' : ''}><summary>${title}</summary>`, '', fence(outcome.stderr), '', '</details>', '');
  }
  if (runUrl) parts.push(`[Workflow run](${runUrl})`, '');
  return parts.join('\n');
}

export function validateReport(allowlist: string, outcome: CommandOutcome): string {
  const verdict = outcome.exitCode === 0 ? 'valid' : 'invalid: see the annotations on the file';
  const messages = outcome.stderr.trim() === '' ? [] : ['', fence(outcome.stderr)];
  return [`### iam-allowlist validate: \`${allowlist}\` is ${verdict}`, ...messages, ''].join('\n');
}

export function deployReport(outcome: CommandOutcome): string {
  const verdict = outcome.exitCode === 0 ? 'done' : `failed (exit ${outcome.exitCode})`;
  const tail = `${outcome.stdout}\n${outcome.stderr}`.trim().split('\n').slice(-60).join('\n');
  const details = ['<details><summary>Last lines of cdktf deploy</summary>', '', fence(tail), '', '</details>'];
  return [`### iam-allowlist deploy: ${verdict}`, '', ...details, ''].join('\n');
}
