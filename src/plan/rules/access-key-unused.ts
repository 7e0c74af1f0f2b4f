import { accessKeyLabel } from '../activity';
import { daysSince } from '../time';
import { isKept, type Rule } from './types';

/** Active access keys never used, once older than unusedGraceDays (a key minted today is not yet "unused"). */
export const accessKeyUnused: Rule = (ctx, user) => {
  if (!isKept(ctx)) return [];
  const grace = ctx.allowlist.defaults.unusedGraceDays;
  return user.activity.accessKeys.flatMap((key, index) => {
    if (!key.active || key.lastUsed !== null) return [];
    if (key.lastRotated !== null && daysSince(key.lastRotated, ctx.now) <= grace) return [];
    return [{ rule: 'access-key-unused', severity: 'warning' as const, message: `${accessKeyLabel(key, index)} is active but was never used` }];
  });
};
