import { isRecord } from '../util/record';

/**
 * A tolerant, normalised reading of an IAM/KMS policy document (key policies and role trust policies alike).
 * Normalises every shape AWS accepts: Statement as one object or a list, Principal as "*" or
 * {"AWS"|"Service"|...: string | string[]}, Action/NotAction as string or list, Condition values
 * as scalars or lists. Condition keys are lower-cased (they are case-insensitive in AWS).
 */

export interface PrincipalEntry {
  /** "AWS", "Service", "Federated", "CanonicalUser"; a bare `"Principal": "*"` is read as AWS "*". */
  readonly type: string;
  readonly value: string;
}

export interface ConditionClause {
  /** As written, e.g. "ForAnyValue:StringLikeIfExists". */
  readonly operator: string;
  /** Without set prefix and IfExists suffix, lower-cased, e.g. "stringlike". */
  readonly baseOperator: string;
  /** Lower-cased condition key, e.g. "aws:principalarn". */
  readonly key: string;
  readonly values: readonly string[];
}

export interface PolicyStatement {
  /** 0-based position in the document. */
  readonly index: number;
  readonly sid: string | null;
  readonly effect: 'Allow' | 'Deny';
  readonly principals: readonly PrincipalEntry[] | null;
  readonly notPrincipals: readonly PrincipalEntry[] | null;
  readonly actions: readonly string[] | null;
  readonly notActions: readonly string[] | null;
  readonly conditions: readonly ConditionClause[];
  /**
   * Whether `${...}` in this statement's strings is a policy variable: only in a document with
   * `"Version": "2012-10-17"`. Without a Version (AWS reads that as 2008-10-17) it is literal text.
   */
  readonly variables: boolean;
}

/** The only policy language version in which `${...}` is a policy variable. */
export const VARIABLES_VERSION = '2012-10-17';

export type ParsedPolicy =
  { readonly ok: true; readonly statements: readonly PolicyStatement[] } | { readonly ok: false; readonly error: string };

type Json = unknown;

function scalarList(value: Json): string[] {
  const items = Array.isArray(value) ? value : [value];
  return items.filter((item) => item !== null && item !== undefined).map((item) => String(item));
}

function readPrincipals(value: Json): PrincipalEntry[] | null {
  if (value === undefined) return null;
  if (typeof value === 'string') return [{ type: 'AWS', value }];
  if (!isRecord(value)) throw new Error('Principal must be "*" or an object');
  const entries: PrincipalEntry[] = [];
  for (const [type, raw] of Object.entries(value)) {
    for (const item of scalarList(raw)) entries.push({ type, value: item });
  }
  return entries;
}

function baseOperatorOf(operator: string): string {
  const withoutPrefix = operator.replace(/^(ForAnyValue|ForAllValues):/i, '');
  return withoutPrefix.replace(/IfExists$/i, '').toLowerCase();
}

function readConditions(value: Json): ConditionClause[] {
  if (value === undefined) return [];
  if (!isRecord(value)) throw new Error('Condition must be an object');
  const clauses: ConditionClause[] = [];
  for (const [operator, block] of Object.entries(value)) {
    if (!isRecord(block)) throw new Error(`Condition operator ${operator} must map keys to values`);
    for (const [key, raw] of Object.entries(block)) {
      clauses.push({ operator, baseOperator: baseOperatorOf(operator), key: key.toLowerCase(), values: scalarList(raw) });
    }
  }
  return clauses;
}

function readStatement(raw: Json, index: number, variables: boolean): PolicyStatement {
  if (!isRecord(raw)) throw new Error(`Statement ${index} is not an object`);
  const effect = typeof raw['Effect'] === 'string' ? raw['Effect'].toLowerCase() : '';
  if (effect !== 'allow' && effect !== 'deny') throw new Error(`Statement ${index} has no valid Effect`);
  return {
    index,
    sid: typeof raw['Sid'] === 'string' ? raw['Sid'] : null,
    effect: effect === 'allow' ? 'Allow' : 'Deny',
    principals: readPrincipals(raw['Principal']),
    notPrincipals: readPrincipals(raw['NotPrincipal']),
    actions: raw['Action'] === undefined ? null : scalarList(raw['Action']),
    notActions: raw['NotAction'] === undefined ? null : scalarList(raw['NotAction']),
    conditions: readConditions(raw['Condition']),
    variables,
  };
}

/** Parses a policy document. Anything that cannot be understood is an error, never an empty policy. */
export function parsePolicyDocument(text: string): ParsedPolicy {
  let document: Json;
  try {
    document = JSON.parse(text);
  } catch (err) {
    return { ok: false, error: `not valid JSON (${(err as Error).message})` };
  }
  if (!isRecord(document)) return { ok: false, error: 'not a JSON object' };
  const rawStatements = document['Statement'];
  if (rawStatements === undefined) return { ok: false, error: 'no Statement element' };
  const variables = document['Version'] === VARIABLES_VERSION;
  try {
    const list = Array.isArray(rawStatements) ? rawStatements : [rawStatements];
    return { ok: true, statements: list.map((raw, index) => readStatement(raw, index, variables)) };
  } catch (err) {
    return { ok: false, error: (err as Error).message };
  }
}

/** "Sid \"x\"" or "statement #2" for messages. */
export function describeStatement(statement: PolicyStatement): string {
  return statement.sid !== null && statement.sid !== '' ? `statement "${statement.sid}"` : `statement #${statement.index + 1}`;
}
