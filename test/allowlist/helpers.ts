import { AllowlistError, type Diagnostic, type LoadResult, parseAllowlist } from '../../src/allowlist/load';

export const NOW = new Date('2026-03-01T12:00:00Z');
export const FILE = 'allowlist.yaml';

/** A minimal valid allowlist with the given YAML appended (for users: entries etc.). */
export function yamlLines(...lines: string[]): string {
  return `${lines.join('\n')}\n`;
}

export function load(text: string, now: Date = NOW): LoadResult {
  return parseAllowlist(text, FILE, { now });
}

/** Loads text that must be rejected; returns every diagnostic of the AllowlistError. */
export function rejected(text: string, now: Date = NOW): readonly Diagnostic[] {
  try {
    parseAllowlist(text, FILE, { now });
  } catch (err) {
    if (err instanceof AllowlistError) return err.diagnostics;
    throw err;
  }
  throw new Error(`expected the allowlist to be rejected:\n${text}`);
}

export function errorsOf(text: string, now: Date = NOW): readonly Diagnostic[] {
  return rejected(text, now).filter((d) => d.severity === 'error');
}

/** [code, line, column] triples, the compact form exact-position assertions compare. */
export function positions(diagnostics: readonly Diagnostic[]): Array<[string, number, number]> {
  return diagnostics.map((d) => [d.code, d.line, d.column]);
}
