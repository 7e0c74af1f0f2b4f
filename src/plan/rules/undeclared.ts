import { entriesNamed } from '../match';
import { isExpired } from '../time';
import type { FactsRule } from './types';

export const undeclared: FactsRule<'undeclared'> = {
  id: 'undeclared',
  category: 'decision',
  scope: 'user',
  stage: 'facts',
  severity: 'action',
  subject: 'allowlist',
  description: 'a live user that no allowlist entry (valid or expired) names: defaults.action',
  evaluate: (ctx, user) => {
    const { declared, exception, expiredEntry } = ctx.match;
    if (declared !== null || exception !== null || expiredEntry !== null) return [];
    const elsewhere = entriesNamed(ctx.allowlist, user.name).users.find((entry) => !isExpired(entry.expires, ctx.now));
    const message =
      elsewhere === undefined
        ? 'not declared in the allowlist'
        : `not declared at its path: the allowlist declares ${elsewhere.name} at ${elsewhere.path}, the live user is at ${user.path}`;
    return [{ message, proposes: ctx.allowlist.defaults.action }];
  },
};
