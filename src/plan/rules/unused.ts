import { activityUnknown, lastActivity } from '../activity';
import { daysSince, isKnownTime } from '../time';
import type { FactsRule } from './types';

export const unused: FactsRule<'unused'> = {
  id: 'unused',
  category: 'hygiene',
  scope: 'user',
  stage: 'facts',
  severity: 'warning',
  subject: 'activity',
  statesActivity: true,
  description: 'never signed in and no access key ever used, and older than unusedGraceDays (unknown age: create-date-unknown)',
  evaluate: (ctx, user) => {
    if (activityUnknown(user) || lastActivity(user) !== null || !isKnownTime(user.createDate)) return [];
    const age = daysSince(user.createDate, ctx.now);
    if (age <= ctx.allowlist.defaults.unusedGraceDays) return [];
    return [{ message: `never used since it was created ${age} days ago` }];
  },
};
