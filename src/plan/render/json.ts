/**
 * JSON rendering of a Plan: the Plan object exactly as defined in src/model/plan.ts (schemaVersion 1), plus `run`
 * (RunFacts: callerArn, baseCallerArn, accountAlias, endpointOverrides) when the command knows them,
 * with object keys sorted alphabetically at every level, two-space indent and a trailing newline.
 * Arrays keep the planner's order (users by name case-insensitively; reasons most important first;
 * guards by severity). Stable: the same plan always renders to the same bytes.
 */
import type { Plan } from '../../model/plan';
import type { RunFacts } from './run-facts';

export function sortKeysDeep(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortKeysDeep);
  if (value !== null && typeof value === 'object') {
    const sorted: Record<string, unknown> = {};
    for (const key of Object.keys(value).sort()) {
      const child = (value as Record<string, unknown>)[key];
      if (child !== undefined) sorted[key] = sortKeysDeep(child);
    }
    return sorted;
  }
  return value;
}

/** `facts` (the header's caller, alias and endpoint overrides) are added as a top-level `run` object when given. */
export function renderJson(plan: Plan, facts?: RunFacts): string {
  return `${JSON.stringify(sortKeysDeep(facts ? { ...plan, run: facts } : plan), null, 2)}\n`;
}
