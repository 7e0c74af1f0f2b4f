/**
 * JSON rendering of a Plan: the Plan object exactly as defined in src/model/plan.ts (schemaVersion 1),
 * with object keys sorted alphabetically at every level, two-space indent and a trailing newline.
 * Arrays keep the planner's order (users by name case-insensitively; reasons most important first;
 * guards by severity). Stable: the same plan always renders to the same bytes.
 */
import type { Plan } from '../../model/plan';

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

export function renderJson(plan: Plan): string {
  return `${JSON.stringify(sortKeysDeep(plan), null, 2)}\n`;
}
