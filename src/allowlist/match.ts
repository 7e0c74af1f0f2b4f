import type { Allowlist, DeclaredUser, ExceptionEntry } from '../model/allowlist';
import { isExpired } from './dates';

/** The identity of a live IAM user as far as the allowlist is concerned. */
export interface UserIdentity {
  readonly name: string;
  readonly path: string;
}

export interface DeclaredMatch {
  /** The users: entry for this name and path that is still valid at `now`. */
  readonly declared: DeclaredUser | null;
  /** The exceptions: entry for this name (and path, when it gives one) that is still valid at `now`. */
  readonly exception: ExceptionEntry | null;
  /** A matching entry that has expired, when no valid entry matches: the user is undeclared because of it. */
  readonly expiredEntry: DeclaredUser | ExceptionEntry | null;
  /**
   * An entry with this name but another path (the user was moved, or the entry is wrong).
   * The user is NOT declared by it; reported so messages can say why.
   */
  readonly pathMismatch: DeclaredUser | ExceptionEntry | null;
}

/** Same user name (case-insensitive, as IAM) and, when the entry gives a path, the same path. */
export function entryMatches(entry: { readonly name: string; readonly path: string | null }, user: UserIdentity): boolean {
  return entry.name.toLowerCase() === user.name.toLowerCase() && (entry.path === null || entry.path === user.path);
}

/** The users: and exceptions: entries with one name, each list in allowlist order. */
export interface EntriesNamed {
  readonly users: readonly DeclaredUser[];
  readonly exceptions: readonly ExceptionEntry[];
}

const NO_ENTRIES: EntriesNamed = { users: [], exceptions: [] };
const entryIndexes = new WeakMap<Allowlist, ReadonlyMap<string, EntriesNamed>>();

/**
 * The entries whose name is `name` (case-insensitive, as IAM). Built once per allowlist: matching every
 * user of an account against every entry would cost users × entries comparisons (25 million at 5,000 each).
 */
export function entriesNamed(allowlist: Allowlist, name: string): EntriesNamed {
  let index = entryIndexes.get(allowlist);
  if (!index) {
    const built = new Map<string, { users: DeclaredUser[]; exceptions: ExceptionEntry[] }>();
    const slot = (entryName: string) => {
      const key = entryName.toLowerCase();
      let entries = built.get(key);
      if (!entries) built.set(key, (entries = { users: [], exceptions: [] }));
      return entries;
    };
    for (const entry of allowlist.users) slot(entry.name).users.push(entry);
    for (const entry of allowlist.exceptions) slot(entry.name).exceptions.push(entry);
    index = built;
    entryIndexes.set(allowlist, index);
  }
  return index.get(name.toLowerCase()) ?? NO_ENTRIES;
}

/** Exceptions have no `protect` field; declarations always do. */
export function isExceptionEntry(entry: DeclaredUser | ExceptionEntry): entry is ExceptionEntry {
  return !('protect' in entry);
}

/**
 * The one place where a live user is matched against the allowlist.
 * Names compare case-insensitively (IAM names are unique regardless of case); paths compare exactly
 * whenever the entry has one; an entry is valid through the whole UTC day its `expires` names.
 */
export function matchDeclared(allowlist: Allowlist, user: UserIdentity, now: Date): DeclaredMatch {
  const name = user.name.toLowerCase();
  let declared: DeclaredUser | null = null;
  let exception: ExceptionEntry | null = null;
  let expiredEntry: DeclaredUser | ExceptionEntry | null = null;
  let pathMismatch: DeclaredUser | ExceptionEntry | null = null;
  const consider = <T extends DeclaredUser | ExceptionEntry>(entry: T, keep: (entry: T) => void): void => {
    if (entry.name.toLowerCase() !== name) return;
    if (entry.path !== null && entry.path !== user.path) {
      pathMismatch ??= entry;
      return;
    }
    if (entry.expires !== null && isExpired(entry.expires, now)) expiredEntry ??= entry;
    else keep(entry);
  };
  const named = entriesNamed(allowlist, name);
  for (const entry of named.users) consider(entry, (e) => (declared ??= e));
  for (const entry of named.exceptions) consider(entry, (e) => (exception ??= e));
  return {
    declared,
    exception,
    expiredEntry: declared || exception ? null : expiredEntry,
    pathMismatch: declared || exception ? null : pathMismatch,
  };
}
