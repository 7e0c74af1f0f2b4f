import Ajv from 'ajv';
import type { ErrorObject } from 'ajv';
import allowlistSchema from '../../schema/allowlist.schema.json';
import { describePath, isRecord, segmentsOf, showValue, valueAt } from './data-path';
import type { Diagnostic, DiagnosticCode } from './diagnostics';
import { nearest } from './suggest';
import type { PathSegment, PathTarget, YamlSource } from './yaml-source';

let compiled: ReturnType<Ajv['compile']> | null = null;

/** The ajv validator for schema/allowlist.schema.json (draft-07), compiled once. */
export function allowlistValidator(): ReturnType<Ajv['compile']> {
  if (!compiled) {
    const ajv = new Ajv({ allErrors: true, verbose: true, strict: true });
    compiled = ajv.compile(allowlistSchema);
  }
  return compiled;
}

/** Validates parsed data against the JSON Schema and maps every error back to its source position. */
export function schemaDiagnostics(data: unknown, source: YamlSource, file: string): Diagnostic[] {
  const validate = allowlistValidator();
  if (validate(data)) return [];
  const errors = relevantErrors(validate.errors ?? []);
  const seen = new Set<string>();
  const diagnostics: Diagnostic[] = [];
  for (const error of errors) {
    const path = segmentsOf(error.instancePath, data);
    const explained = explain(error, path, data);
    const dedupeKey = `${error.instancePath}|${explained.dedupe}`;
    if (seen.has(dedupeKey)) continue;
    seen.add(dedupeKey);
    const position = source.locate(explained.path ?? path, explained.target);
    diagnostics.push({
      file,
      line: position.line,
      column: position.column,
      severity: 'error',
      code: explained.code,
      message: explained.message,
      fix: explained.fix,
    });
  }
  return diagnostics;
}

/**
 * Drops the noise of `anyOf`: when a value fails every branch, each branch reports its own error.
 * A branch whose type does not fit the value (const/type/enum failed) says nothing useful; when the
 * remaining branch reports something more specific (a bad or duplicate region), the anyOf error
 * itself goes too, otherwise it stays alone with its hand-written message.
 */
function relevantErrors(errors: readonly ErrorObject[]): ErrorObject[] {
  const anyOfPaths = new Set(errors.filter((e) => e.keyword === 'anyOf').map((e) => e.instancePath));
  const isBranchMismatch = (e: ErrorObject): boolean =>
    anyOfPaths.has(e.instancePath) && e.schemaPath.includes('/anyOf/') && ['const', 'type', 'enum'].includes(e.keyword);
  const specific = errors.filter((e) => e.keyword !== 'anyOf' && !isBranchMismatch(e));
  return errors.filter((error) => {
    if (isBranchMismatch(error)) return false;
    if (error.keyword !== 'anyOf') return true;
    const path = error.instancePath;
    return !specific.some((e) => e.instancePath === path || e.instancePath.startsWith(`${path}/`));
  });
}

interface Explained {
  readonly code: DiagnosticCode;
  readonly message: string;
  readonly fix: string;
  readonly target: PathTarget;
  /** Overrides the error's own path (an unknown or missing key). */
  readonly path?: PathSegment[];
  /** Errors with the same path and dedupe key say the same thing; only the first is kept. */
  readonly dedupe: string;
}

function explain(error: ErrorObject, path: PathSegment[], data: unknown): Explained {
  const label = describePath(data, path);
  const value = valueAt(data, path);
  const field = fieldOf(path);
  const regions = isRegionsPointer(error.instancePath) ? explainRegions(error, path, data, label, value) : null;
  if (regions !== null) return regions;
  switch (error.keyword) {
    case 'additionalProperties': {
      const key = String((error.params as { additionalProperty: string }).additionalProperty);
      const valid = Object.keys(propertiesOf(error.parentSchema));
      const suggestion = nearest(key, valid);
      const home = sectionOf(key);
      const where = path.length === 0 ? 'at the top level' : `in ${label}`;
      return {
        code: 'unknown-key',
        message: `unknown key \`${key}\` ${where}`,
        fix:
          home && home !== path[0]
            ? `\`${key}\` belongs under \`${home}:\`; move it there`
            : suggestion
              ? `did you mean \`${suggestion}\`? (valid keys here: ${valid.join(', ')})`
              : `remove it; valid keys here: ${valid.join(', ')}`,
        target: 'key',
        path: [...path, key],
        dedupe: `unknown:${key}`,
      };
    }
    case 'required': {
      const key = String((error.params as { missingProperty: string }).missingProperty);
      return {
        code: 'missing-key',
        message: `missing required key \`${key}\` ${path.length === 0 ? 'at the top level' : `in ${label}`}`,
        fix: `add \`${key}: ${exampleFor(key)}\``,
        target: 'value',
        dedupe: `missing:${key}`,
      };
    }
    case 'type':
      return {
        code: 'wrong-type',
        message: `${label} must be ${typeWords(error.params as { type: string | string[] })}, not ${typeOf(value)}`,
        fix: typeFix(field, error.params as { type: string | string[] }, value, typeof path[path.length - 1] === 'number'),
        target: 'value',
        dedupe: 'value',
      };
    case 'const':
      if (field === 'version')
        return {
          code: 'unsupported-version',
          message: `unsupported allowlist version ${showValue(value)}; this tool reads version 1`,
          fix: 'set `version: 1` (the only format version so far)',
          target: 'value',
          dedupe: 'value',
        };
      return generic(error, label);
    case 'anyOf':
      return {
        code: 'invalid-value',
        message: `${label} has none of the allowed forms: ${showValue(value)}`,
        fix: 'see schema/allowlist.schema.json or the README section "The allowlist" for the allowed values',
        target: 'value',
        dedupe: 'value',
      };
    case 'enum': {
      const allowed = ((error.params as { allowedValues: unknown[] }).allowedValues ?? []).map(String);
      const suggestion = typeof value === 'string' ? nearest(value, allowed) : null;
      return {
        code: 'invalid-value',
        message: `${label} must be one of ${allowed.join(', ')}; got ${showValue(value)}`,
        fix: suggestion ? `did you mean \`${suggestion}\`?` : `use one of: ${allowed.join(', ')}`,
        target: 'value',
        dedupe: 'value',
      };
    }
    case 'pattern':
    case 'minLength':
    case 'maxLength':
      return stringRule(field, label, value);
    case 'minimum': {
      const limit = (error.params as { limit: number }).limit;
      return {
        code: 'invalid-value',
        message: `${label} must be at least ${limit}, not ${showValue(value)}`,
        fix: limit === 0 ? 'use 0 or a positive whole number' : 'use a positive whole number of days, such as 90',
        target: 'value',
        dedupe: 'value',
      };
    }
    case 'minItems':
      return {
        code: 'invalid-value',
        message: `${label} must list at least ${(error.params as { limit: number }).limit} item(s)`,
        fix: 'add an entry, or remove the key to use its default',
        target: 'value',
        dedupe: 'value',
      };
    case 'uniqueItems':
      return duplicateItem(error, path, data, label, 'invalid-value');
    default:
      return generic(error, label);
  }
}

/** The JSON pointer of guards.regions: its value and its entries get region-specific messages. */
const REGIONS_POINTER = '/guards/regions';

function isRegionsPointer(instancePath: string): boolean {
  return instancePath === REGIONS_POINTER || instancePath.startsWith(`${REGIONS_POINTER}/`);
}

/** Messages for guards.regions (`all` or a list of AWS region names), or null for the generic ones. */
function explainRegions(error: ErrorObject, path: PathSegment[], data: unknown, label: string, value: unknown): Explained | null {
  switch (error.keyword) {
    case 'anyOf':
      return {
        code: 'invalid-region',
        message: `${label} must be \`all\` or a list of region names, not ${showValue(value)}`,
        fix: 'write `regions: all` or a list such as `regions: [us-east-1, eu-west-1]`',
        target: 'value',
        dedupe: 'value',
      };
    case 'minItems':
      return {
        code: 'invalid-region',
        message: `${label} is an empty list`,
        fix: 'list at least one region, or write `regions: all` to scan every enabled region',
        target: 'value',
        dedupe: 'value',
      };
    case 'uniqueItems':
      return duplicateItem(error, path, data, label, 'invalid-region');
    default:
      return null;
  }
}

function duplicateItem(error: ErrorObject, path: PathSegment[], data: unknown, label: string, code: DiagnosticCode): Explained {
  const { i, j } = error.params as { i: number; j: number };
  return {
    code,
    message: `${label} lists ${showValue(valueAt(data, [...path, Math.max(i, j)]))} twice`,
    fix: 'remove the second occurrence',
    target: 'value',
    path: [...path, Math.max(i, j)],
    dedupe: 'value',
  };
}

function generic(error: ErrorObject, label: string): Explained {
  return {
    code: 'invalid-value',
    message: `${label} ${error.message ?? 'is invalid'}`,
    fix: 'see schema/allowlist.schema.json or the README section "The allowlist" for the allowed values',
    target: 'value',
    dedupe: 'value',
  };
}

/** The key a value belongs to: "name" for users[0].name, "regions" for guards.regions[1]. */
function fieldOf(path: readonly PathSegment[]): string {
  for (let i = path.length - 1; i >= 0; i--) {
    const segment = path[i];
    if (typeof segment === 'string') return segment;
  }
  return '';
}

/** The section (defaults, guards) that owns a settings key, for keys written in the wrong place. */
function sectionOf(key: string): string | null {
  const top = propertiesOf(allowlistSchema);
  for (const section of ['defaults', 'guards']) {
    if (Object.prototype.hasOwnProperty.call(propertiesOf(top[section]), key)) return section;
  }
  return null;
}

function propertiesOf(schema: unknown): Record<string, unknown> {
  const properties = isRecord(schema) ? schema['properties'] : undefined;
  return isRecord(properties) ? properties : {};
}

function stringRule(field: string, label: string, value: unknown): Explained {
  const shown = showValue(value);
  switch (field) {
    case 'name': {
      const looksLikeArn = typeof value === 'string' && value.includes(':user/');
      return {
        code: 'invalid-name',
        message: `invalid IAM user name ${shown} at ${label}: names are 1-64 characters of letters, digits and + = , . @ _ -`,
        fix: looksLikeArn
          ? 'write only the user name, and its path separately (name: data-pipeline, path: /service/)'
          : "write the user's exact IAM name (case does not matter), as shown by `aws iam list-users`",
        target: 'value',
        dedupe: 'value',
      };
    }
    case 'path':
      return {
        code: 'invalid-path',
        message: `invalid IAM path ${shown} at ${label}: a path is "/" or starts and ends with "/", printable ASCII without spaces, at most 512 characters`,
        fix: pathFix(value),
        target: 'value',
        dedupe: 'value',
      };
    case 'account':
      return {
        code: 'invalid-account',
        message: `account must be a 12-digit AWS account id, not ${shown}`,
        fix: 'write it as a quoted 12-digit string, e.g. account: "111122223333"',
        target: 'value',
        dedupe: 'value',
      };
    case 'expires':
      return {
        code: 'invalid-date',
        message: `${label} must be a date written YYYY-MM-DD, not ${shown}`,
        fix: 'write the last valid day as YYYY-MM-DD, e.g. expires: 2026-12-31',
        target: 'value',
        dedupe: 'value',
      };
    case 'owner':
    case 'reason':
      return {
        code: 'invalid-value',
        message: `${label} must not be empty`,
        fix: `write ${field === 'owner' ? 'the person or team responsible, e.g. owner: team@example.com' : 'why the user exists, e.g. a ticket number'}`,
        target: 'value',
        dedupe: 'value',
      };
    default:
      return {
        code: 'invalid-value',
        message: `${label} has an invalid value ${shown}`,
        fix: 'see schema/allowlist.schema.json or the README section "The allowlist" for the allowed values',
        target: 'value',
        dedupe: 'value',
      };
  }
}

function pathFix(value: unknown): string {
  if (typeof value === 'string') {
    const trimmed = value.trim().replace(/^\/+|\/+$/g, '');
    const candidate = trimmed === '' ? '/' : `/${trimmed}/`;
    if (/^(\/|\/[!-~]+\/)$/.test(candidate) && candidate.length <= 512 && candidate !== value)
      return `did you mean \`path: ${candidate}\`?`;
  }
  return 'write the IAM path with a leading and trailing slash, e.g. path: /engineering/ (or omit it for "/")';
}

const EXAMPLES: Readonly<Record<string, string>> = {
  version: '1',
  users: '[]  (then one `- name: ...` entry per user)',
  name: '<IAM user name>',
  owner: 'team@example.com',
  reason: '"why this user exists (ticket)"',
  expires: '2026-12-31',
};

function exampleFor(key: string): string {
  return EXAMPLES[key] ?? '...';
}

function typeWords(params: { type: string | string[] }): string {
  const types = Array.isArray(params.type) ? params.type : String(params.type).split(',');
  return types.map(typeWord).join(' or ');
}

function typeWord(type: string): string {
  switch (type) {
    case 'object':
      return 'a mapping (key: value lines)';
    case 'array':
      return 'a list';
    case 'string':
      return 'a string';
    case 'integer':
      return 'a whole number';
    case 'number':
      return 'a number';
    case 'boolean':
      return 'true or false';
    case 'null':
      return 'null';
    default:
      return type;
  }
}

function typeOf(value: unknown): string {
  if (value === null || value === undefined) return 'an empty value';
  if (Array.isArray(value)) return 'a list';
  if (typeof value === 'object') return 'a mapping';
  if (typeof value === 'number') return Number.isInteger(value) ? `the number ${value}` : `the fraction ${value}`;
  if (typeof value === 'boolean') return `${value}`;
  return `the string ${showValue(value)}`;
}

function typeFix(field: string, params: { type: string | string[] }, value: unknown, isListEntry: boolean): string {
  const types = Array.isArray(params.type) ? params.type : [String(params.type)];
  if (isListEntry && types.includes('object'))
    return `write each entry of \`${field}\` as a mapping: \`- name: ...\` followed by indented \`owner: ...\` and \`reason: ...\` lines`;
  if (field === 'account')
    return 'quote the account id so YAML keeps it a 12-digit string (a number loses leading zeros): account: "111122223333"';
  if (value === null || value === undefined) return `write a value after \`${field}:\`, or remove the key`;
  if (types.includes('string')) return `quote the value: ${field}: "${typeof value === 'object' ? '...' : String(value)}"`;
  if (types.includes('integer')) return `write a whole number without quotes, e.g. ${field}: 90`;
  if (types.includes('boolean')) return `write ${field}: true or ${field}: false (without quotes)`;
  if (types.includes('array'))
    return field === 'users' || field === 'exceptions'
      ? `write one \`- name: ...\` entry per line under \`${field}:\` (or \`${field}: []\` for none)`
      : `write a list, e.g. ${field}: [a, b]`;
  if (types.includes('object')) return `write indented key: value lines under \`${field || 'each entry'}:\``;
  return 'see schema/allowlist.schema.json or the README section "The allowlist" for the allowed values';
}
