import { isExceptionEntry } from '../match';
import type { Rule } from './types';

/** A users[] entry past its `expires` day: the user counts as undeclared, with the entry's own action if set. */
export const declarationExpired: Rule = (ctx, user) => {
  const entry = ctx.match.expiredEntry;
  if (entry === null || isExceptionEntry(entry)) return [];
  return [
    {
      rule: 'declaration-expired',
      severity: 'action',
      message: `declaration of ${user.name} expired on ${entry.expires} (owner ${entry.owner})`,
      proposes: entry.action ?? ctx.allowlist.defaults.action,
    },
  ];
};
