import { plan as computePlan } from '../plan/plan';
import { renderText } from '../plan/render/text';
import { renderJson } from '../plan/render/json';
import { renderMarkdown } from '../plan/render/markdown';
import { renderPlanSummary } from '../plan/render/summary';
import { exitCodeFor } from '../plan/render/exit-code';
import type { Plan } from '../model/plan';
import { runFactsOf, type RunFacts } from '../plan/render/run-facts';
import { outputSettings } from '../cli/output';
import { loadAllowlistOrThrow, obtainSnapshot, parseNow } from './context';

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
}

/** Read-only. Like `terraform plan -detailed-exitcode`: 0 nothing to do, 2 changes pending, 3 blocked by a guard (see ExitCode). */
export async function planCommand(options: PlanOptions): Promise<number> {
  const now = parseNow(options.now);
  const allowlist = loadAllowlistOrThrow(options.allowlist, now);
  const source = { snapshotFile: options.snapshot, saveSnapshotFile: options.saveSnapshot, now, assumeRole: options.assumeRole };
  const snapshot = await obtainSnapshot(allowlist, source);
  const plan = computePlan(snapshot, allowlist, now);
  const facts = runFactsOf(snapshot);
  const { color } = outputSettings();
  const summary = options.textView === 'summary' && (options.format ?? 'text') === 'text';
  process.stdout.write(summary ? renderPlanSummary(plan, { facts, color }) : renderPlan(plan, options.format ?? 'text', { facts, color }));
  return exitCodeFor(plan);
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
