import { UsageError } from '../../src/errors';
import { assertValidRecentlyActiveDays, isRecentUse } from '../../src/executor/recent-key-use';

const NOW = new Date('2026-03-01T12:00:00.000Z');
const hoursAgo = (h: number) => new Date(NOW.getTime() - h * 3_600_000);

describe('isRecentUse', () => {
  test.each([
    ['used 1 hour ago, limit 7 days', hoursAgo(1), 7, true],
    ['used 6 days 23 hours ago, limit 7 days', hoursAgo(7 * 24 - 1), 7, true],
    ['used exactly 7 days ago, limit 7 days', hoursAgo(7 * 24), 7, false],
    ['used 30 days ago, limit 7 days', hoursAgo(30 * 24), 7, false],
    ['never used', undefined, 7, false],
    ['used in the future (clock skew)', hoursAgo(-1), 7, true],
    ['used 1 hour ago, limit 0 days', hoursAgo(1), 0, false],
  ])('GIVEN a key %s WHEN checked THEN recent is %s', (_label, lastUsed, days, expected) => {
    expect(isRecentUse(lastUsed, NOW, days)).toBe(expected);
  });
});

describe('assertValidRecentlyActiveDays', () => {
  test.each([undefined, 0, 7, 1.5])('GIVEN %p WHEN validated THEN accepted', (days) => {
    expect(() => assertValidRecentlyActiveDays(days)).not.toThrow();
  });

  test.each([-1, Number.NaN, Number.POSITIVE_INFINITY])('GIVEN %p WHEN validated THEN UsageError', (days) => {
    expect(() => assertValidRecentlyActiveDays(days)).toThrow(UsageError);
  });
});
