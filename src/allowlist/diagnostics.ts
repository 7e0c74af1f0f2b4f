import { UsageError } from '../errors';
import { compareDiagnostics, formatDiagnostics } from './format';
import { plural } from '../plural';

export type Severity = 'error' | 'warning';

/** Stable identifiers of every problem the loader reports (usable in tests and CI filters). */
export type DiagnosticCode =
  | 'yaml-syntax'
  | 'yaml-warning'
  | 'empty-file'
  | 'file-too-large'
  | 'not-a-mapping'
  | 'invalid-key'
  | 'unknown-key'
  | 'missing-key'
  | 'wrong-type'
  | 'unsupported-version'
  | 'invalid-value'
  | 'invalid-name'
  | 'invalid-path'
  | 'invalid-account'
  | 'invalid-region'
  | 'invalid-date'
  | 'duplicate-user'
  | 'duplicate-exception'
  | 'declared-and-excepted'
  | 'expired'
  | 'action-without-expiry'
  | 'placeholder-owner'
  | 'empty-users';

/** One problem in an allowlist file, positioned like a compiler message. */
export interface Diagnostic {
  readonly file: string;
  /** 1-based. */
  readonly line: number;
  /** 1-based, in UTF-16 code units. */
  readonly column: number;
  readonly severity: Severity;
  readonly code: DiagnosticCode;
  /** What is wrong. */
  readonly message: string;
  /** How to fix it. */
  readonly fix: string;
}

/**
 * The allowlist could not be loaded. Carries every diagnostic found (errors and warnings), sorted by
 * position; the message already lists them all, so printing it alone loses nothing.
 */
export class AllowlistError extends UsageError {
  readonly diagnostics: readonly Diagnostic[];

  constructor(
    readonly file: string,
    diagnostics: readonly Diagnostic[],
  ) {
    const sorted = [...diagnostics].sort(compareDiagnostics);
    const errorCount = sorted.filter((d) => d.severity === 'error').length;
    super(
      `${file}: ${plural(errorCount, 'error')} in the allowlist\n${formatDiagnostics(sorted)}`,
      'fix every error listed (each names file:line:column and how to fix it), then run again',
    );
    this.diagnostics = sorted;
  }

  get errors(): readonly Diagnostic[] {
    return this.diagnostics.filter((d) => d.severity === 'error');
  }
}
