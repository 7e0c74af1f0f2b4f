/**
 * Matching one policy string (a Principal entry or a Condition value) against a value of the principal
 * under evaluation, with IAM policy variables (only in statements whose document has
 * `"Version": "2012-10-17"`; elsewhere `${...}` is literal text):
 * - `${aws:username}`, `${aws:userid}`, `${aws:PrincipalAccount}`, `${aws:PrincipalArn}` and
 *   `${aws:PrincipalType}` are replaced by what is known of that principal (names are case-insensitive);
 *   a key the principal does not have (aws:username of a role) takes the `${key, 'default'}` default,
 *   or makes the string match nothing, as in AWS;
 * - every other variable (tags, source IP, session names, ...) matches anything: for a safety check a
 *   false "referenced" is cheap, a missed reference is not;
 * - `${*}`, `${?}` and `${$}` are the literal characters, never wildcards.
 */
import { globMatches } from './glob';
import type { PrincipalIdentity } from './principal';

/** `exact`: StringEquals-like (wildcards are literal); `glob`: StringLike/ArnLike-like (`*` and `?`). */
export type Comparison = 'exact' | 'glob';

type Token =
  | { readonly kind: 'text'; readonly text: string }
  | { readonly kind: 'literal'; readonly text: string }
  | { readonly kind: 'variable'; readonly key: string; readonly fallback: string | null };

const VARIABLE = /\$\{([^}]*)\}/g;
const ESCAPES: Readonly<Record<string, string>> = { '*': '*', '?': '?', $: '$' };
const NAMED_VARIABLE = /^\s*([^\s,']+)\s*(?:,\s*'((?:[^']|'')*)'\s*)?$/;

const tokenCache = new Map<string, readonly Token[]>();
const MAX_CACHED_PATTERNS = 10_000;

function tokenize(pattern: string): readonly Token[] {
  const cached = tokenCache.get(pattern);
  if (cached !== undefined) return cached;
  const tokens: Token[] = [];
  let last = 0;
  for (const match of pattern.matchAll(VARIABLE)) {
    if (match.index > last) tokens.push({ kind: 'text', text: pattern.slice(last, match.index) });
    const body = match[1] ?? '';
    const escaped = ESCAPES[body];
    const named = NAMED_VARIABLE.exec(body);
    if (escaped !== undefined) tokens.push({ kind: 'literal', text: escaped });
    else if (named !== null)
      tokens.push({ kind: 'variable', key: (named[1] ?? '').toLowerCase(), fallback: named[2]?.replace(/''/g, "'") ?? null });
    // A malformed variable cannot be resolved: it may stand for anything.
    else tokens.push({ kind: 'variable', key: '', fallback: null });
    last = match.index + match[0].length;
  }
  if (last < pattern.length) tokens.push({ kind: 'text', text: pattern.slice(last) });
  if (tokenCache.size >= MAX_CACHED_PATTERNS) tokenCache.clear();
  tokenCache.set(pattern, tokens);
  return tokens;
}

/** What `aws:PrincipalType` says for a principal: IAM users, role sessions, the account root. */
export function principalType(who: PrincipalIdentity): 'User' | 'AssumedRole' | 'Account' {
  if (/:root$/i.test(who.arn)) return 'Account';
  return /:role\//i.test(who.arn) ? 'AssumedRole' : 'User';
}

/**
 * The value of a variable for `who`: a string when known, null when `who` has no such key in its
 * request context (the variable cannot be resolved), undefined when it is not known here.
 */
function variableValue(key: string, who: PrincipalIdentity): string | null | undefined {
  switch (key) {
    case 'aws:username':
      return who.name;
    case 'aws:userid':
      // A role session's aws:userid is "AROA…:<session name>", which no policy reveals.
      return principalType(who) === 'AssumedRole' ? undefined : who.id;
    case 'aws:principalaccount':
      return who.arn.split(':')[4] || undefined;
    case 'aws:principalarn':
      return who.arn;
    case 'aws:principaltype':
      return principalType(who);
    default:
      return undefined;
  }
}

const escapeRegex = (text: string): string => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

function regexOf(tokens: readonly Token[], comparison: Comparison, who: PrincipalIdentity): RegExp | null {
  let source = '';
  for (const token of tokens) {
    if (token.kind === 'literal') {
      source += escapeRegex(token.text);
    } else if (token.kind === 'text') {
      source +=
        comparison === 'glob'
          ? token.text
              .split('')
              .map((ch) => (ch === '*' ? '.*' : ch === '?' ? '.' : escapeRegex(ch)))
              .join('')
          : escapeRegex(token.text);
    } else {
      const value = variableValue(token.key, who);
      if (value === undefined) source += '.*';
      else if (value !== null) source += escapeRegex(value);
      else if (token.fallback !== null) source += escapeRegex(token.fallback);
      else return null;
    }
  }
  return new RegExp(`^${source}$`, 'is');
}

/**
 * Whether the policy string `pattern` matches `actual` (a value of `who`), case-insensitively.
 * `variables` says whether the statement's document enables policy variables.
 */
export function policyValueMatches(
  pattern: string,
  actual: string,
  comparison: Comparison,
  who: PrincipalIdentity,
  variables: boolean,
): boolean {
  if (!variables || !pattern.includes('${')) {
    return comparison === 'glob' ? globMatches(pattern, actual) : pattern.toLowerCase() === actual.toLowerCase();
  }
  const regex = regexOf(tokenize(pattern), comparison, who);
  return regex !== null && regex.test(actual);
}

/** Whether a string may contain a policy variable that makes it match more than its literal text. */
export function hasVariable(pattern: string, variables: boolean): boolean {
  return variables && pattern.includes('${');
}
