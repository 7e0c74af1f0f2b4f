import { isExceptionEntry } from '../match';
import type { FactsRule } from './types';

export const exceptionExpired: FactsRule<'exception-expired'> = {
  id: 'exception-expired',
  category: 'decision',
  scope: 'user',
  stage: 'facts',
  severity: 'action',
  subject: 'allowlist',
  description: 'an exceptions[] entry past its `expires` day: the user counts as undeclared (defaults.action)',
  evaluate: (ctx, user) => {
    const entry = ctx.match.expiredEntry;
    if (entry === null || !isExceptionEntry(entry)) return [];
    return [
      {
        message: `exception for ${user.name} expired on ${entry.expires} (owner ${entry.owner}: ${entry.reason})`,
        proposes: ctx.allowlist.defaults.action,
      },
    ];
  },
};
