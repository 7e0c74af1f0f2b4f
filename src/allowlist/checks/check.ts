import { isRecord } from '../data-path';
import type { Diagnostic, DiagnosticCode, Severity } from '../diagnostics';
import type { PathSegment, PathTarget, YamlSource } from '../yaml-source';

/** What every semantic check sees: the raw parsed data (not yet known to be valid) and its source. */
export interface CheckContext {
  readonly data: unknown;
  readonly source: YamlSource;
  readonly file: string;
  readonly now: Date;
}

/** A semantic rule the JSON Schema cannot express. Must tolerate malformed data (the schema reports that). */
export type AllowlistCheck = (context: CheckContext) => Diagnostic[];

export interface ListEntry {
  readonly list: 'users' | 'exceptions';
  readonly index: number;
  readonly entry: Readonly<Record<string, unknown>>;
}

/** The mapping entries of users: or exceptions:, skipping anything that is not a mapping. */
export function entriesOf(data: unknown, list: 'users' | 'exceptions'): ListEntry[] {
  const items = isRecord(data) ? data[list] : undefined;
  if (!Array.isArray(items)) return [];
  const entries: ListEntry[] = [];
  items.forEach((entry, index) => {
    if (isRecord(entry)) entries.push({ list, index, entry });
  });
  return entries;
}

export function stringField(entry: ListEntry, key: string): string | null {
  const value = entry.entry[key];
  return typeof value === 'string' ? value : null;
}

export function diagnosticAt(
  context: CheckContext,
  path: readonly PathSegment[],
  target: PathTarget,
  severity: Severity,
  code: DiagnosticCode,
  message: string,
  fix: string,
): Diagnostic {
  const position = context.source.locate(path, target);
  return { file: context.file, line: position.line, column: position.column, severity, code, message, fix };
}
