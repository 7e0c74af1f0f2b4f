/**
 * IAM-style wildcard matching: `*` matches any run of characters (including `/` and `:`), `?` exactly one.
 * Always case-insensitive: IAM names are case-insensitive, and for a safety check a false
 * "referenced" is cheap while a missed reference is not.
 */

type Matcher = (value: string) => boolean;

const compiled = new Map<string, Matcher>();
const MAX_CACHED_PATTERNS = 10_000;

export function hasWildcard(pattern: string): boolean {
  return pattern.includes('*') || pattern.includes('?');
}

function compile(pattern: string): Matcher {
  if (!hasWildcard(pattern)) {
    const lower = pattern.toLowerCase();
    return (value) => value.length === lower.length && value.toLowerCase() === lower;
  }
  const source = pattern
    .split('')
    .map((ch) => (ch === '*' ? '.*' : ch === '?' ? '.' : ch.replace(/[.+^${}()|[\]\\]/g, '\\$&')))
    .join('');
  const regex = new RegExp(`^${source}$`, 'is');
  return (value) => regex.test(value);
}

export function globMatches(pattern: string, value: string): boolean {
  let matcher = compiled.get(pattern);
  if (matcher === undefined) {
    matcher = compile(pattern);
    if (compiled.size >= MAX_CACHED_PATTERNS) compiled.clear();
    compiled.set(pattern, matcher);
  }
  return matcher(value);
}
