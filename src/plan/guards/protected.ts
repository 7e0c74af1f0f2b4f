import type { DeclaredUser } from '../../model/allowlist';
import { isExceptionEntry } from '../match';
import type { UserGuardHit, UserGuardRecord } from './types';

/**
 * Also after the declaration has expired, since losing a break-glass user to a forgotten date is worse
 * than keeping it, and also when the user was moved to another path than the protected entry names (the
 * move makes it undeclared, but it is still the same break-glass user).
 */
export const protectedGuard: UserGuardRecord<'protected'> = {
  id: 'protected',
  category: 'decision',
  scope: 'user',
  severity: 'high',
  blocksRun: false,
  description: 'protect: true (break-glass users): never quarantined or deleted by the tool',
  evaluate: (ctx, { user, match, intended }) => {
    const verb = intended === 'quarantine' ? 'quarantined' : 'deleted';
    const expired = match.expiredEntry !== null && !isExceptionEntry(match.expiredEntry) ? match.expiredEntry : null;
    const entry = match.declared ?? expired;
    if (entry !== null && entry.protect) {
      return [hit(`declared with protect: true: never ${verb} by the tool`)];
    }
    const moved = protectedElsewhere(ctx.allowlist.users, user);
    if (moved === undefined) return [];
    return [
      hit(
        `declared with protect: true at path ${moved.path} but the live user is at ${user.path}: ` +
          `it moved (or the entry is wrong); never ${verb} by the tool — fix the path in the allowlist`,
      ),
    ];
  },
};

/** A protected users[] entry with this user's name (case-insensitive, as IAM) but another path. */
function protectedElsewhere(
  entries: readonly DeclaredUser[],
  user: { readonly name: string; readonly path: string },
): DeclaredUser | undefined {
  const name = user.name.toLowerCase();
  return entries.find((entry) => entry.protect && entry.name.toLowerCase() === name && entry.path !== user.path);
}

function hit(message: string): UserGuardHit {
  return { resource: null, region: null, message };
}
