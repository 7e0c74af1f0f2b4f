import { plan as computePlan } from '../plan/plan';
import { renderText } from '../plan/render/text';
import { renderJson } from '../plan/render/json';
import { renderMarkdown } from '../plan/render/markdown';
import { exitCodeFor } from '../plan/render/exit-code';
import type { Plan } from '../model/plan';
import { loadAllowlistOrThrow, obtainSnapshot, parseNow } from './context';

export interface PlanOptions {
  /** Assume this role first (see AwsClients). */
  readonly assumeRole?: string;
  readonly allowlist: string;
  readonly format?: 'text' | 'json' | 'markdown';
  readonly snapshot?: string;
  readonly saveSnapshot?: string;
  readonly now?: string;
}

/** Read-only. Like `terraform plan -detailed-exitcode`: 0 nothing to do, 2 changes pending, 3 blocked by a guard (see ExitCode). */
export async function planCommand(options: PlanOptions): Promise<number> {
  const now = parseNow(options.now);
  const allowlist = loadAllowlistOrThrow(options.allowlist, now);
  const snapshot = await obtainSnapshot(allowlist, { snapshotFile: options.snapshot, saveSnapshotFile: options.saveSnapshot, now, assumeRole: options.assumeRole });
  const plan = computePlan(snapshot, allowlist, now);
  process.stdout.write(renderPlan(plan, options.format ?? 'text'));
  return exitCodeFor(plan);
}

export function renderPlan(plan: Plan, format: 'text' | 'json' | 'markdown'): string {
  const out = format === 'json' ? renderJson(plan) : format === 'markdown' ? renderMarkdown(plan) : renderText(plan);
  return out.endsWith('\n') ? out : out + '\n';
}
