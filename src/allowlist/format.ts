import { ANSI, painter } from '../ansi';
import type { Diagnostic } from './diagnostics';

/** By line, then column; errors before warnings at the same spot. */
export function compareDiagnostics(a: Diagnostic, b: Diagnostic): number {
  return a.line - b.line || a.column - b.column || (a.severity === b.severity ? 0 : a.severity === 'error' ? -1 : 1);
}

export interface FormatOptions {
  /** ANSI colours (red errors, yellow warnings). Default false. */
  readonly color?: boolean;
  /** The file's text: when given, each diagnostic shows its source line with a caret. Default none. */
  readonly sourceText?: string;
}

/**
 * Compiler-style rendering, one diagnostic per block:
 *   allowlist.yaml:12:5: error: unknown key `ownr` in users[0]
 *     fix: did you mean `owner`?
 */
export function formatDiagnostics(diagnostics: readonly Diagnostic[], options: FormatOptions = {}): string {
  const paint = painter(options.color);
  const lines = options.sourceText?.split('\n').map((line) => line.replace(/\r$/, ''));
  const blocks = [...diagnostics].sort(compareDiagnostics).map((d) => {
    const where = paint(ANSI.bold, `${d.file}:${d.line}:${d.column}:`);
    const severity = paint(d.severity === 'error' ? ANSI.red : ANSI.yellow, `${d.severity}:`);
    const out = [`${where} ${severity} ${d.message} [${d.code}]`];
    const sourceLine = lines?.[d.line - 1];
    if (sourceLine !== undefined) {
      out.push(`  ${sourceLine.replace(/\t/g, ' ')}`);
      out.push(`  ${' '.repeat(Math.max(0, d.column - 1))}${paint(ANSI.bold, '^')}`);
    }
    out.push(`  ${paint(ANSI.cyan, 'fix:')} ${d.fix}`);
    return out.join('\n');
  });
  return blocks.join('\n');
}

/** GitHub Actions workflow commands, so a pull-request check annotates the offending lines. */
export function formatGithubAnnotations(diagnostics: readonly Diagnostic[]): string {
  return [...diagnostics]
    .sort(compareDiagnostics)
    .map((d) =>
      githubCommand(d.severity, { file: d.file, line: d.line, col: d.column, title: `allowlist ${d.code}` }, `${d.message}\nfix: ${d.fix}`),
    )
    .join('\n');
}

/**
 * One workflow command, `::command key=value,...::data`, escaped as the Actions runner requires: in data
 * `%`, CR and LF; in property values also `:` and `,`. Nothing from a file name or message can end the
 * command early or start another one.
 */
export function githubCommand(
  command: 'error' | 'warning' | 'notice',
  properties: Readonly<Record<string, string | number>>,
  data: string,
): string {
  const props = Object.entries(properties)
    .map(([key, value]) => `${key}=${escapeProperty(String(value))}`)
    .join(',');
  return `::${command}${props === '' ? '' : ` ${props}`}::${escapeData(data)}`;
}

function escapeData(text: string): string {
  return text.replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A');
}

function escapeProperty(text: string): string {
  return escapeData(text).replace(/:/g, '%3A').replace(/,/g, '%2C');
}
