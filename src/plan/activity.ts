import type { AccessKeyActivity, UserFacts } from '../model/snapshot';
import { daysSince, latest } from './time';

/** Most recent password or access-key use, or null when never used (or unknown). */
export function lastActivity(user: UserFacts): string | null {
  return latest([user.activity.passwordLastUsed, ...user.activity.accessKeys.map((key) => key.lastUsed)]);
}

/** The credential report had no row for this user: its activity is unknown, not "never". */
export function activityUnknown(user: UserFacts): boolean {
  return user.activity.passwordEnabled === null;
}

export function describeActivity(user: UserFacts, now: Date): string {
  if (activityUnknown(user)) return 'activity unknown (no credential report row)';
  const last = lastActivity(user);
  if (last === null) return 'never used';
  const days = daysSince(last, now);
  return days <= 0 ? 'last used today' : days === 1 ? 'last used yesterday' : `last used ${days} days ago`;
}

export function accessKeyLabel(key: AccessKeyActivity, index: number): string {
  return key.accessKeyId ?? `access key #${index + 1}`;
}
