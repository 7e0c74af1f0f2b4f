import { isExceptionEntry } from '../match';
import type { UserGuard } from './types';

/**
 * protect: true (break-glass users) is never quarantined or deleted by the tool — also after the
 * declaration has expired, since losing a break-glass user to a forgotten date is worse than keeping it.
 */
export const protectedGuard: UserGuard = (_ctx, { match, intended }) => {
  const expired = match.expiredEntry !== null && !isExceptionEntry(match.expiredEntry) ? match.expiredEntry : null;
  const entry = match.declared ?? expired;
  if (entry === null || !entry.protect) return [];
  return [
    {
      kind: 'protected',
      severity: 'high',
      resource: null,
      region: null,
      message: `declared with protect: true: never ${intended === 'quarantine' ? 'quarantined' : 'deleted'} by the tool`,
      blocksRun: false,
    },
  ];
};
