import { renderText } from '../plan/render/text';
import { renderJson } from '../plan/render/json';
import { renderMarkdown } from '../plan/render/markdown';
import { renderPlanSummary } from '../plan/render/summary';
import { exitCodeFor } from '../plan/render/exit-code';
import type { Plan } from '../model/plan';
import { runFactsOf, type RunFacts } from '../plan/render/run-facts';
import { outputSettings } from '../cli/output';
import { loadAllowlistOrThrow, obtainSnapshot, parseNow, planForDisplay, type DisplayedPlan } from './context';
import { AwsClients } from '../aws/clients';
import { saveSnapshot } from '../inventory/snapshot-file';
import type { Allowlist } from '../model/allowlist';
import { allowlistDigest } from '../allowlist/digest';
import { UsageError } from '../errors';
import { savedPlanOf } from '../plan/saved-plan';
import { writeSavedPlan } from './saved-plan';

export interface PlanOptions {
  /** Assume this role first (see AwsClients). */
  readonly assumeRole?: string;
  readonly allowlist: string;
  readonly format?: 'text' | 'json' | 'markdown';
  readonly snapshot?: string;
  readonly saveSnapshot?: string;
  readonly now?: string;
  /** Text format only: "summary" prints a few lines (renderPlanSummary) instead of the full plan. Default "full". */
  readonly textView?: 'full' | 'summary';
  /** -o / --out: also write the plan as a saved plan for `apply FILE` (see src/plan/saved-plan.ts). Default: none. */
  readonly out?: string;
}

/** Read-only. Like `terraform plan -detailed-exitcode`: 0 nothing to do, 2 changes pending, 3 blocked by a guard (see ExitCode). */
export async function planCommand(options: PlanOptions): Promise<number> {
  if (options.out !== undefined && options.now !== undefined) {
    throw new UsageError('-o and --now cannot be combined', 'a saved plan is carried out by the real clock: plan -o without --now');
  }
  const now = parseNow(options.now);
  // Before the load: an edit in between leaves the digest of the older text, and apply FILE refuses (the safe side).
  const allowlistSha256 = options.out !== undefined ? digestUnlessUnreadable(options.allowlist) : '';
  const allowlist = loadAllowlistOrThrow(options.allowlist, now);
  const { plan, snapshot } = await displayedPlan(allowlist, options, now);
  // The described snapshot: its named keys carry their state, so a plan from the file shows it too.
  if (options.saveSnapshot) saveSnapshot(options.saveSnapshot, snapshot);
  const facts = runFactsOf(snapshot);
  if (options.out !== undefined) {
    writeSavedPlan(options.out, savedPlanOf({ plan, snapshot, allowlistFile: options.allowlist, allowlistSha256, createdAt: now }));
    process.stderr.write(`Saved the plan to ${options.out}: carry out exactly these actions with \`iam-allowlist apply ${options.out}\`\n`);
  }
  const { color } = outputSettings();
  const summary = options.textView === 'summary' && (options.format ?? 'text') === 'text';
  process.stdout.write(summary ? renderPlanSummary(plan, { facts, color }) : renderPlan(plan, options.format ?? 'text', { facts, color }));
  return exitCodeFor(plan);
}

/** From a saved snapshot offline (nothing described), or from a fresh scan with the named keys described. */
async function displayedPlan(allowlist: Allowlist, options: PlanOptions, now: Date): Promise<DisplayedPlan> {
  if (options.snapshot) return planForDisplay(await obtainSnapshot(allowlist, { snapshotFile: options.snapshot, now }), allowlist, now);
  const clients = new AwsClients({ assumeRoleArn: options.assumeRole });
  try {
    return await planForDisplay(await obtainSnapshot(allowlist, { now }, clients), allowlist, now, clients);
  } finally {
    clients.destroy();
  }
}

/** An unreadable file is left to the allowlist load's error; '' is never a valid digest (apply FILE refuses it). */
function digestUnlessUnreadable(file: string): string {
  try {
    return allowlistDigest(file);
  } catch {
    return '';
  }
}

export interface RenderPlanOptions {
  /** The header's caller, alias and endpoint overrides. Default: none (the header names the account only). */
  readonly facts?: RunFacts;
  /** ANSI colours (text format only). Default false. */
  readonly color?: boolean;
}

export function renderPlan(plan: Plan, format: 'text' | 'json' | 'markdown', options: RenderPlanOptions = {}): string {
  const { facts, color } = options;
  const out =
    format === 'json' ? renderJson(plan, facts) : format === 'markdown' ? renderMarkdown(plan, facts) : renderText(plan, { facts, color });
  return out.endsWith('\n') ? out : out + '\n';
}
