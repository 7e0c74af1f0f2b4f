import { isExceptionEntry } from '../match';
import type { FactsRule } from './types';

export const declarationExpired: FactsRule<'declaration-expired'> = {
  id: 'declaration-expired',
  category: 'decision',
  scope: 'user',
  stage: 'facts',
  severity: 'action',
  subject: 'allowlist',
  description: "a users[] entry past its `expires` day: the user counts as undeclared, with the entry's own action if set",
  evaluate: (ctx, user) => {
    const entry = ctx.match.expiredEntry;
    if (entry === null || isExceptionEntry(entry)) return [];
    return [
      {
        message: `declaration of ${user.name} expired on ${entry.expires} (owner ${entry.owner})`,
        proposes: entry.action ?? ctx.allowlist.defaults.action,
      },
    ];
  },
};
