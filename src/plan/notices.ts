import type { DeclaredUser, ExceptionEntry } from '../model/allowlist';
import type { UserFacts } from '../model/snapshot';
import type { PlanContext } from './context';
import { unscannedRegionsGap } from './guards/unscanned-regions';
import { entryMatches } from './match';
import { daysUntilExpiry, isExpired } from './time';
import { plural } from '../plural';

/**
 * Things a reviewer should know that are not decisions about live users: enabled regions left out of the
 * scan that guards.unscannedRegions: allow accepts (first), allowlist entries for users that do not exist,
 * entries (exceptions and declarations) expiring soon. In allowlist order.
 */
export function collectNotices(ctx: PlanContext): string[] {
  const notices: string[] = [];
  const gap = ctx.allowlist.guards.unscannedRegions === 'allow' ? unscannedRegionsGap(ctx.snapshot, ctx.allowlist) : null;
  if (gap !== null) notices.push(`accepted by guards.unscannedRegions: allow: ${gap}`);
  // Users by lower-cased name, in snapshot order: one pass, not one per entry.
  const usersNamed = new Map<string, UserFacts[]>();
  for (const user of ctx.snapshot.users) {
    const key = user.name.toLowerCase();
    const same = usersNamed.get(key);
    if (same) same.push(user);
    else usersNamed.set(key, [user]);
  }
  const describe = (kind: 'declared user' | 'exception for', entry: DeclaredUser | ExceptionEntry): void => {
    const where = entry.path === null ? '' : ` (path ${entry.path})`;
    const line = entry.line === null ? '' : ` [line ${entry.line}]`;
    const expired = isExpired(entry.expires, ctx.now);
    const sameNamed = usersNamed.get(entry.name.toLowerCase()) ?? [];
    if (!sameNamed.some((user) => entryMatches(entry, user))) {
      const sameName = sameNamed[0];
      const hint = sameName === undefined ? '' : `; a user of that name exists at path ${sameName.path}`;
      notices.push(
        expired
          ? `${kind} ${entry.name}${where}${line} expired on ${entry.expires} and the user does not exist: remove the entry`
          : `${kind} ${entry.name}${where}${line} does not exist in account ${ctx.snapshot.accountId}${hint}`,
      );
      return;
    }
    if (entry.expires !== null && !expired) {
      const days = daysUntilExpiry(entry.expires, ctx.now);
      if (days <= ctx.options.expiringSoonDays) {
        const when = days === 0 ? 'last day today' : `in ${plural(days, 'day')}`;
        notices.push(`${kind} ${entry.name}${where}${line} expires on ${entry.expires} (${when})`);
      }
    }
  };
  for (const entry of ctx.allowlist.users) describe('declared user', entry);
  for (const entry of ctx.allowlist.exceptions) describe('exception for', entry);
  return notices;
}
