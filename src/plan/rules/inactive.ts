import { activityUnknown, lastActivity } from '../activity';
import { daysSince, isKnownTime } from '../time';
import type { FactsRule } from './types';

/**
 * Protected users are never inactive. A never-used user counts from its creation date. Unknown activity
 * (no credential report row, or never used with an unparsable creation date) is never called inactive.
 */
export const inactive: FactsRule<'inactive'> = {
  id: 'inactive',
  category: 'decision',
  scope: 'user',
  stage: 'facts',
  severity: {
    among: ['action', 'warning'],
    how: 'action (proposes quarantine) when defaults.onInactive is "quarantine", else warning (proposes report)',
  },
  subject: 'activity',
  statesActivity: true,
  description: "a declared user without password or key use for inactiveAfterDays (the entry's own value first)",
  evaluate: (ctx, user) => {
    const entry = ctx.match.declared;
    if (entry === null || entry.protect || activityUnknown(user)) return [];
    const threshold = entry.inactiveAfterDays ?? ctx.allowlist.defaults.inactiveAfterDays;
    if (threshold === null) return [];
    const last = lastActivity(user);
    // Never used and no usable creation date: how long it has been idle is unknown (create-date-unknown warns).
    if (last === null && !isKnownTime(user.createDate)) return [];
    const idleDays = daysSince(last ?? user.createDate, ctx.now);
    if (idleDays <= threshold) return [];
    const quarantine = ctx.allowlist.defaults.onInactive === 'quarantine';
    const idle = last === null ? `never used ${idleDays} days since creation` : `last used ${idleDays} days ago`;
    return [
      {
        severity: quarantine ? 'action' : 'warning',
        message: `inactive: ${idle} (limit ${threshold})`,
        proposes: quarantine ? 'quarantine' : 'report',
      },
    ];
  },
};
