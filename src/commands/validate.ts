import { AllowlistError, formatDiagnostics, formatGithubAnnotations, loadAllowlistFile } from '../allowlist/load';
import { parseNow } from './context';

export interface ValidateOptions {
  readonly file: string;
  /** text (default): compiler-style lines; github: workflow annotations; json: the diagnostics. */
  readonly format?: 'text' | 'github' | 'json';
  readonly now?: string;
}

/** Exit 0 when the allowlist is valid (warnings allowed), 1 when not. */
export async function validateCommand(options: ValidateOptions): Promise<number> {
  const now = parseNow(options.now);
  const format = options.format ?? 'text';
  try {
    const { allowlist, warnings } = loadAllowlistFile(options.file, { now });
    if (format === 'json') {
      process.stdout.write(JSON.stringify({ valid: true, diagnostics: warnings }, null, 2) + '\n');
    } else {
      if (warnings.length > 0) {
        process.stdout.write((format === 'github' ? formatGithubAnnotations(warnings) : formatDiagnostics(warnings)) + '\n');
      }
      process.stdout.write(
        `${options.file}: valid (${allowlist.users.length} users, ${allowlist.exceptions.length} exceptions, ${warnings.length} warnings)\n`,
      );
    }
    return 0;
  } catch (err) {
    if (!(err instanceof AllowlistError)) throw err;
    const diagnostics = err.diagnostics;
    if (format === 'json') {
      process.stdout.write(JSON.stringify({ valid: false, diagnostics }, null, 2) + '\n');
    } else {
      process.stdout.write((format === 'github' ? formatGithubAnnotations(diagnostics) : formatDiagnostics(diagnostics)) + '\n');
      const errors = diagnostics.filter((d) => d.severity === 'error').length;
      process.stdout.write(`${options.file}: invalid (${errors} error${errors === 1 ? '' : 's'})\n`);
    }
    return 1;
  }
}
