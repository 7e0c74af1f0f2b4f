import { activityUnknown, lastActivity } from '../activity';
import { daysSince, isKnownTime } from '../time';
import type { Rule } from './types';

/** Never signed in and no access key ever used, and older than the grace period (unknown age: create-date-unknown). */
export const unused: Rule = (ctx, user) => {
  if (activityUnknown(user) || lastActivity(user) !== null || !isKnownTime(user.createDate)) return [];
  const age = daysSince(user.createDate, ctx.now);
  if (age <= ctx.allowlist.defaults.unusedGraceDays) return [];
  return [{ rule: 'unused', severity: 'warning', message: `never used since it was created ${age} days ago` }];
};
