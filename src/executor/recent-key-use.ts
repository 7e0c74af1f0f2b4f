import { GetAccessKeyLastUsedCommand, type IAMClient } from '@aws-sdk/client-iam';
import { RefusedError, UsageError } from '../errors';
import type { ApiCaller } from './api-calls';
import type { LiveUserDetails } from './read-user';

const DAY_MS = 24 * 60 * 60 * 1000;

/** True when `lastUsed` lies less than `days` days before `now` (a use "in the future" counts too). */
export function isRecentUse(lastUsed: Date | undefined, now: Date, days: number): boolean {
  if (!lastUsed) return false;
  return now.getTime() - lastUsed.getTime() < days * DAY_MS;
}

/** `recentlyActiveDays` must be a finite number of days, 0 or more. */
export function assertValidRecentlyActiveDays(days: number | undefined): void {
  if (days === undefined) return;
  if (!Number.isFinite(days) || days < 0) {
    throw new UsageError(`recentlyActiveDays must be a number of days, 0 or more (got ${days})`);
  }
}

export interface RecentKeyUseCheck {
  readonly iam: IAMClient;
  readonly api: ApiCaller;
  readonly now: Date;
  readonly days: number;
  /** What is refused, for the message. Default "delete". */
  readonly action?: 'delete' | 'quarantine';
  /** Whether the user has been changed already (a key found after the first change): the message then does not say nothing was. Default false. */
  readonly afterChanges?: boolean;
}

/**
 * Guard right before a deletion's or quarantine's first change: the plan's activity comes from the credential
 * report, which can be about four hours old. Asks GetAccessKeyLastUsed for every Active key of the
 * fresh read (Inactive keys cannot be used) and refuses when any was used within `days` days.
 * A key deleted meanwhile (NoSuchEntity) cannot be used any more and is skipped.
 */
export async function refuseIfKeysRecentlyUsed(check: RecentKeyUseCheck, user: LiveUserDetails): Promise<void> {
  const reasons: string[] = [];
  for (const key of user.accessKeys) {
    if (key.status !== 'Active') continue;
    const AccessKeyId = key.accessKeyId;
    const out = await check.api.read(check.iam, new GetAccessKeyLastUsedCommand({ AccessKeyId }), { tolerate: ['NoSuchEntity'] });
    const lastUsed = out?.AccessKeyLastUsed?.LastUsedDate;
    if (isRecentUse(lastUsed, check.now, check.days)) {
      reasons.push(`recently active: key ${AccessKeyId} used ${lastUsed!.toISOString()}`);
    }
  }
  if (reasons.length > 0) {
    throw new RefusedError(
      `refusing to ${check.action ?? 'delete'} ${user.name}: an access key was used within the last ${check.days} days (${reasons.join('; ')}).` +
        (check.afterChanges ? '' : ' Nothing was changed.'),
      reasons,
    );
  }
}
