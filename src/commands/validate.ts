import { AllowlistError, formatDiagnostics, formatGithubAnnotations, githubCommand, loadAllowlistFile } from '../allowlist/load';
import { UsageError } from '../errors';
import { outputSettings } from '../cli/output';
import { parseNow } from './context';
import { plural } from '../plural';

export interface ValidateOptions {
  readonly file: string;
  /** text (default): compiler-style lines; github: workflow annotations; json: the diagnostics. */
  readonly format?: 'text' | 'github' | 'json';
  readonly now?: string;
}

/**
 * Exit 0 when the allowlist is valid (warnings allowed), 1 when not. With --format github every line printed is
 * a workflow command with the file name escaped (the summary too, and an unreadable file as an error annotation),
 * so no file name can inject a command of its own.
 */
export async function validateCommand(options: ValidateOptions): Promise<number> {
  const now = parseNow(options.now);
  const format = options.format ?? 'text';
  const { color } = outputSettings();
  try {
    const { allowlist, warnings } = loadAllowlistFile(options.file, { now });
    if (format === 'json') {
      process.stdout.write(JSON.stringify({ valid: true, diagnostics: warnings }, null, 2) + '\n');
    } else {
      if (warnings.length > 0) {
        process.stdout.write((format === 'github' ? formatGithubAnnotations(warnings) : formatDiagnostics(warnings, { color })) + '\n');
      }
      const counts = [
        plural(allowlist.users.length, 'user'),
        plural(allowlist.exceptions.length, 'exception'),
        plural(warnings.length, 'warning'),
      ].join(', ');
      process.stdout.write(`${summary(format, options.file, `valid (${counts})`)}\n`);
    }
    return 0;
  } catch (err) {
    if (format === 'github' && err instanceof UsageError && !(err instanceof AllowlistError)) {
      const fix = err.hint === undefined ? '' : `\nfix: ${err.hint}`;
      process.stdout.write(`${githubCommand('error', { file: options.file, title: 'allowlist unreadable' }, `${err.message}${fix}`)}\n`);
      return 1;
    }
    if (!(err instanceof AllowlistError)) throw err;
    const diagnostics = err.diagnostics;
    if (format === 'json') {
      process.stdout.write(JSON.stringify({ valid: false, diagnostics }, null, 2) + '\n');
    } else {
      process.stdout.write((format === 'github' ? formatGithubAnnotations(diagnostics) : formatDiagnostics(diagnostics, { color })) + '\n');
      const errors = diagnostics.filter((d) => d.severity === 'error').length;
      process.stdout.write(`${summary(format, options.file, `invalid (${plural(errors, 'error')})`)}\n`);
    }
    return 1;
  }
}

/** The closing line: plain text, or in github format a notice whose data carries the (escaped) file name. */
function summary(format: 'text' | 'github', file: string, verdict: string): string {
  return format === 'github' ? githubCommand('notice', { title: 'allowlist validate' }, `${file}: ${verdict}`) : `${file}: ${verdict}`;
}
