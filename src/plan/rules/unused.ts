import { activityUnknown, lastActivity } from '../activity';
import { daysSince } from '../time';
import type { Rule } from './types';

/** Never signed in and no access key ever used, and older than the grace period. */
export const unused: Rule = (ctx, user) => {
  if (activityUnknown(user) || lastActivity(user) !== null) return [];
  const age = daysSince(user.createDate, ctx.now);
  if (age <= ctx.allowlist.defaults.unusedGraceDays) return [];
  return [{ rule: 'unused', severity: 'warning', message: `never used since it was created ${age} days ago` }];
};
