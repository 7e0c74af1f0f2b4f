import { readFileSync, statSync } from 'node:fs';
import type { YAMLError } from 'yaml';
import { isMap, isScalar } from 'yaml';
import { UsageError } from '../errors';
import type { Allowlist } from '../model/allowlist';
import { ALLOWLIST_CHECKS } from './checks';
import { isRecord } from './data-path';
import { AllowlistError, type Diagnostic } from './diagnostics';
import { compareDiagnostics } from './format';
import { toAllowlist } from './normalize';
import { schemaDiagnostics } from './schema-validation';
import { yamlFix } from './yaml-fixes';
import { YamlSource } from './yaml-source';

export { AllowlistError } from './diagnostics';
export type { Diagnostic, DiagnosticCode, Severity } from './diagnostics';
export { formatDiagnostics, formatGithubAnnotations, githubCommand } from './format';
export type { FormatOptions } from './format';
export { matchDeclared } from './match';
export type { DeclaredMatch, UserIdentity } from './match';

export interface LoadOptions {
  /** The moment expiries are judged against (expired entries produce warnings). Default: the current time. */
  readonly now?: Date;
}

/** A valid allowlist and the warnings found while loading it (errors are thrown as AllowlistError). */
export interface LoadResult {
  readonly allowlist: Allowlist;
  readonly warnings: readonly Diagnostic[];
}

/**
 * The largest allowlist accepted: 5 MiB. A declared user takes about 150 bytes, so this holds tens of
 * thousands; a bigger file is a wrong path or generated data, and parsing it would cost memory and time.
 */
export const MAX_ALLOWLIST_BYTES = 5 * 1024 * 1024;

/**
 * Reads and validates an allowlist file. Throws UsageError when unreadable, AllowlistError when invalid
 * (also when larger than MAX_ALLOWLIST_BYTES: refused from its size, before it is read or parsed).
 */
export function loadAllowlistFile(path: string, options: LoadOptions = {}): LoadResult {
  let text: string;
  try {
    const size = statSync(path).size;
    if (size > MAX_ALLOWLIST_BYTES) throw new AllowlistError(path, [tooLarge(path, size)]);
    text = readFileSync(path, 'utf8');
  } catch (err) {
    if (err instanceof AllowlistError) throw err;
    const code = (err as { code?: string }).code ?? 'Error';
    throw new UsageError(
      `cannot read allowlist ${path}: ${code}`,
      // Not `init > file`: the shell creates the empty file first, and init refuses to overwrite it.
      code === 'ENOENT'
        ? `pass the right --allowlist path, or create one with \`iam-allowlist init -o ${path}\``
        : 'check the path and its permissions',
    );
  }
  return parseAllowlist(text, path, options);
}

/**
 * Parses and validates allowlist text. Reports every problem at once: YAML syntax, JSON Schema
 * (types, unknown and missing keys, names, paths) and semantic checks (duplicates, dates, expiry).
 */
export function parseAllowlist(text: string, file: string, options: LoadOptions = {}): LoadResult {
  const size = Buffer.byteLength(text, 'utf8');
  if (size > MAX_ALLOWLIST_BYTES) throw new AllowlistError(file, [tooLarge(file, size)]);
  const now = options.now ?? new Date();
  const source = new YamlSource(text);
  const diagnostics: Diagnostic[] = [];
  const fail = (): never => {
    throw new AllowlistError(file, diagnostics);
  };

  for (const error of source.document.errors) diagnostics.push(yamlDiagnostic(source, file, error, 'error'));
  for (const warning of source.document.warnings) diagnostics.push(yamlDiagnostic(source, file, warning, 'warning'));
  const { unresolvedAliases, complexKeys } = source.unconvertibleNodes();
  for (const alias of unresolvedAliases) {
    const position = source.positionAt(alias.range?.[0] ?? 0);
    diagnostics.push({
      file,
      ...position,
      severity: 'error',
      code: 'yaml-syntax',
      message: `alias *${alias.source} refers to no anchor defined before it`,
      fix: `define \`&${alias.source}\` earlier in the file, or write the value instead of the alias`,
    });
  }
  for (const key of complexKeys) {
    const position = source.positionAt(key.range?.[0] ?? 0);
    diagnostics.push({
      file,
      ...position,
      severity: 'error',
      code: 'invalid-key',
      message: 'a key must be a plain name, not a list or mapping',
      fix: 'write keys as plain words such as `owner:`',
    });
  }
  if (hasErrors(diagnostics)) fail();

  const contents = source.document.contents;
  if (contents === null || (!isMap(contents) && isEmptyScalar(contents))) {
    diagnostics.push({
      file,
      ...source.start,
      severity: 'error',
      code: 'empty-file',
      message: 'the allowlist is empty',
      fix: 'start with `version: 1` and a `users:` list (`iam-allowlist init` writes one for the current account)',
    });
    fail();
  }
  if (!isMap(contents)) {
    diagnostics.push({
      file,
      ...source.start,
      severity: 'error',
      code: 'not-a-mapping',
      message: 'the allowlist must be a mapping of keys (version, users, ...), not a list or a single value',
      fix: 'start the file with `version: 1` and put the users under a `users:` key',
    });
    fail();
  }

  let data: unknown;
  try {
    data = source.document.toJS({ maxAliasCount: 100 });
  } catch (err) {
    diagnostics.push({
      file,
      ...source.start,
      severity: 'error',
      code: 'yaml-syntax',
      message: `the YAML cannot be read: ${err instanceof Error ? err.message : String(err)}`,
      fix: 'remove anchors and aliases (&name, *name) and write the values out',
    });
    fail();
  }

  diagnostics.push(...schemaDiagnostics(data, source, file));
  const context = { data, source, file, now };
  for (const check of ALLOWLIST_CHECKS) diagnostics.push(...check(context));
  if (hasErrors(diagnostics) || !isRecord(data)) fail();

  return {
    allowlist: toAllowlist(data as Record<string, unknown>, source, file),
    warnings: diagnostics.sort(compareDiagnostics),
  };
}

function tooLarge(file: string, size: number): Diagnostic {
  const mib = (bytes: number): string => `${(bytes / (1024 * 1024)).toFixed(1)} MiB`;
  return {
    file,
    line: 1,
    column: 1,
    severity: 'error',
    code: 'file-too-large',
    message: `the allowlist is ${size} bytes (${mib(size)}), more than the limit of ${MAX_ALLOWLIST_BYTES} bytes (${mib(MAX_ALLOWLIST_BYTES)}); it was not parsed`,
    fix: 'check that --allowlist names the allowlist (not generated data or another file); a real allowlist of tens of thousands of users stays under the limit',
  };
}

function hasErrors(diagnostics: readonly Diagnostic[]): boolean {
  return diagnostics.some((d) => d.severity === 'error');
}

function isEmptyScalar(node: unknown): boolean {
  if (!isScalar(node)) return false;
  return node.value === null || node.value === undefined || node.value === '';
}

function yamlDiagnostic(source: YamlSource, file: string, error: YAMLError, severity: Diagnostic['severity']): Diagnostic {
  const position = source.positionAt(error.pos[0]);
  const message = error.message.split('\n')[0]?.trim() || 'invalid YAML';
  return {
    file,
    ...position,
    severity,
    code: severity === 'error' ? 'yaml-syntax' : 'yaml-warning',
    message: `YAML: ${message}`,
    fix: yamlFix(error.code, message),
  };
}
