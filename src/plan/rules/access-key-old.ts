import { accessKeyLabel } from '../activity';
import { daysSince } from '../time';
import { isKept, type FactsRule } from './types';

export const accessKeyOld: FactsRule<'access-key-old'> = {
  id: 'access-key-old',
  category: 'hygiene',
  scope: 'user',
  stage: 'facts',
  severity: 'warning',
  subject: 'credentials',
  description: 'an active access key of a kept user not rotated for more than accessKeyMaxAgeDays (default 90)',
  evaluate: (ctx, user) => {
    if (!isKept(ctx)) return [];
    const limit = ctx.options.accessKeyMaxAgeDays;
    return user.activity.accessKeys.flatMap((key, index) => {
      if (!key.active || key.lastRotated === null) return [];
      const age = daysSince(key.lastRotated, ctx.now);
      if (age <= limit) return [];
      return [{ message: `${accessKeyLabel(key, index)} not rotated for ${age} days (limit ${limit})` }];
    });
  },
};
