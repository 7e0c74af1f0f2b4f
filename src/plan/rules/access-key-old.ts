import { accessKeyLabel } from '../activity';
import { daysSince } from '../time';
import { isKept, type Rule } from './types';

/** Active access keys not rotated for more than accessKeyMaxAgeDays (default 90). */
export const accessKeyOld: Rule = (ctx, user) => {
  if (!isKept(ctx)) return [];
  const limit = ctx.options.accessKeyMaxAgeDays;
  return user.activity.accessKeys.flatMap((key, index) => {
    if (!key.active || key.lastRotated === null) return [];
    const age = daysSince(key.lastRotated, ctx.now);
    if (age <= limit) return [];
    return [{ rule: 'access-key-old', severity: 'warning' as const, message: `${accessKeyLabel(key, index)} not rotated for ${age} days (limit ${limit})` }];
  });
};
