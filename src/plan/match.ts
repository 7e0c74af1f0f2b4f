import type { Allowlist, DeclaredUser, ExceptionEntry } from '../model/allowlist';
import { isExpired } from './time';

/** How a live user relates to the allowlist at one moment. */
export interface AllowlistMatch {
  /** A users[] entry that matches and has not expired. */
  readonly declared: DeclaredUser | null;
  /** An exceptions[] entry that matches and has not expired. */
  readonly exception: ExceptionEntry | null;
  /**
   * An entry that matches but has expired, when no valid entry matches.
   * A declaration wins over an exception when both have expired.
   */
  readonly expiredEntry: DeclaredUser | ExceptionEntry | null;
}

export interface UserIdentity {
  readonly name: string;
  readonly path: string;
}

/** IAM user names are case-insensitive; paths are compared exactly. A null entry path matches any path. */
export function entryMatches(entry: { readonly name: string; readonly path: string | null }, user: UserIdentity): boolean {
  return entry.name.toLowerCase() === user.name.toLowerCase() && (entry.path === null || entry.path === user.path);
}

/**
 * Finds the allowlist entries for a live user. Entries apply through the whole UTC day of `expires`.
 * (Mirror of src/allowlist/load.ts `matchDeclared`, kept here so the planner has no dependency on the loader.)
 */
export function matchDeclared(allowlist: Allowlist, user: UserIdentity, now: Date): AllowlistMatch {
  const declarations = allowlist.users.filter((entry) => entryMatches(entry, user));
  const exceptions = allowlist.exceptions.filter((entry) => entryMatches(entry, user));
  const declared = declarations.find((entry) => !isExpired(entry.expires, now)) ?? null;
  const exception = exceptions.find((entry) => !isExpired(entry.expires, now)) ?? null;
  const expiredEntry =
    declared !== null || exception !== null ? null : (declarations[0] ?? exceptions[0] ?? null);
  return { declared, exception, expiredEntry };
}

export function isExceptionEntry(entry: DeclaredUser | ExceptionEntry): entry is ExceptionEntry {
  return !('protect' in entry);
}
