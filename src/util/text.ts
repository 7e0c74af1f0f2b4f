/** Plain code-unit order: deterministic regardless of locale (localeCompare differs between machines). */
export function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
