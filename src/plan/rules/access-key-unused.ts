import { accessKeyLabel } from '../activity';
import { daysSince } from '../time';
import { isKept, type FactsRule } from './types';

export const accessKeyUnused: FactsRule<'access-key-unused'> = {
  id: 'access-key-unused',
  category: 'hygiene',
  scope: 'user',
  stage: 'facts',
  severity: 'warning',
  subject: 'credentials',
  description: 'an active access key of a kept user never used, once older than unusedGraceDays (a key minted today is not yet "unused")',
  evaluate: (ctx, user) => {
    if (!isKept(ctx)) return [];
    const grace = ctx.options.unusedAccessKeyGraceDays;
    return user.activity.accessKeys.flatMap((key, index) => {
      if (!key.active || key.lastUsed !== null) return [];
      if (key.lastRotated !== null && daysSince(key.lastRotated, ctx.now) <= grace) return [];
      return [{ message: `${accessKeyLabel(key, index)} is active but was never used` }];
    });
  },
};
