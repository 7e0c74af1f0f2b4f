/** Date arithmetic for the planner. All dates are UTC; "days" are whole 24-hour periods. */

const MS_PER_DAY = 24 * 60 * 60 * 1000;

/** Whether `iso` is a time Date.parse understands (a missing createDate is "", which it does not). */
export function isKnownTime(iso: string | null | undefined): iso is string {
  return typeof iso === 'string' && iso !== '' && !Number.isNaN(Date.parse(iso));
}

/** Whole days from `iso` to `now` (negative when `iso` is in the future). */
export function daysSince(iso: string, now: Date): number {
  return Math.floor((now.getTime() - Date.parse(iso)) / MS_PER_DAY);
}

/** The first instant at which an entry with `expires: YYYY-MM-DD` no longer applies (start of the next UTC day). */
export function expiryInstant(expires: string): number {
  const [year, month, day] = expires.split('-').map((part) => Number(part));
  return Date.UTC(year ?? NaN, (month ?? NaN) - 1, (day ?? NaN) + 1);
}

/**
 * An entry is valid through the whole UTC day of `expires`. An unparsable date counts as expired
 * (fail closed: the allowlist loader validates the format, so this only guards against misuse).
 */
export function isExpired(expires: string | null, now: Date): boolean {
  if (expires === null) return false;
  const end = expiryInstant(expires);
  return Number.isNaN(end) || now.getTime() >= end;
}

/** Whole days left before the entry stops applying (0 on its last valid day). */
export function daysUntilExpiry(expires: string, now: Date): number {
  return Math.ceil((expiryInstant(expires) - now.getTime()) / MS_PER_DAY) - 1;
}

/** The most recent of several optional ISO times, or null. */
export function latest(times: readonly (string | null)[]): string | null {
  let best: string | null = null;
  let bestMs = -Infinity;
  for (const time of times) {
    if (time === null) continue;
    const ms = Date.parse(time);
    if (!Number.isNaN(ms) && ms > bestMs) {
      best = time;
      bestMs = ms;
    }
  }
  return best;
}
