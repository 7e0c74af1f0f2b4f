import { isExceptionEntry } from '../match';
import type { Rule } from './types';

/** An exceptions[] entry past its `expires` day: the user counts as undeclared. */
export const exceptionExpired: Rule = (ctx, user) => {
  const entry = ctx.match.expiredEntry;
  if (entry === null || !isExceptionEntry(entry)) return [];
  return [
    {
      rule: 'exception-expired',
      severity: 'action',
      message: `exception for ${user.name} expired on ${entry.expires} (owner ${entry.owner}: ${entry.reason})`,
      proposes: ctx.allowlist.defaults.action,
    },
  ];
};
