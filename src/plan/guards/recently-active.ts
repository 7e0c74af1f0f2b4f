import { plural } from '../../plural';
import { activityUnknown, lastActivity } from '../activity';
import { daysSince } from '../time';
import type { UserGuardRecord } from './types';

const MS_PER_DAY = 24 * 60 * 60 * 1000;

/** Unknown activity (no credential report row) always holds: we cannot tell it is not in use. */
export const recentlyActiveGuard: UserGuardRecord<'recently-active'> = {
  id: 'recently-active',
  category: 'decision',
  scope: 'user',
  severity: 'medium',
  blocksRun: false,
  description:
    'a user whose password or any access key was used within guards.recentlyActiveDays is not deleted: held, or ' +
    'quarantined instead when guards.recentlyActive is "quarantine"',
  evaluate: (ctx, { user, intended }) => {
    const { recentlyActiveDays, recentlyActive } = ctx.allowlist.guards;
    if (activityUnknown(user)) {
      return [{ resource: null, region: null, message: 'activity unknown (no credential report row): it may be in use', effect: 'hold' }];
    }
    const last = lastActivity(user);
    if (last === null || ctx.now.getTime() - Date.parse(last) > recentlyActiveDays * MS_PER_DAY) return [];
    const quarantineInstead = recentlyActive === 'quarantine' && intended === 'delete';
    const instead = quarantineInstead ? ': quarantined instead of deleted' : '';
    return [
      {
        resource: null,
        region: null,
        message: `used ${plural(daysSince(last, ctx.now), 'day')} ago (within ${plural(recentlyActiveDays, 'day')})${instead}`,
        effect: quarantineInstead ? 'quarantine' : 'hold',
      },
    ];
  },
};
