import { isCalendarDate, isExpired } from '../../src/allowlist/dates';
import { editDistance, nearest } from '../../src/allowlist/suggest';

describe('isCalendarDate', () => {
  test.each([['2026-01-31'], ['2024-02-29'], ['2000-02-29'], ['0001-01-01'], ['0050-12-31']])('GIVEN %s WHEN checked THEN valid', (d) => {
    expect(isCalendarDate(d)).toBe(true);
  });
  test.each([
    ['2026-02-29'],
    ['1900-02-29'],
    ['2026-02-30'],
    ['2026-06-31'],
    ['2026-00-01'],
    ['2026-01-00'],
    ['2026-1-1'],
    [''],
    ['2026-01-31 '],
  ])('GIVEN %p WHEN checked THEN invalid', (d) => {
    expect(isCalendarDate(d)).toBe(false);
  });
});

describe('isExpired', () => {
  test('GIVEN the expiry day itself WHEN checked at 23:59 UTC THEN not expired; the next day THEN expired', () => {
    expect(isExpired('2026-01-31', new Date('2026-01-31T23:59:59Z'))).toBe(false);
    expect(isExpired('2026-01-31', new Date('2026-02-01T00:00:00Z'))).toBe(true);
  });
});

describe('editDistance / nearest', () => {
  test('GIVEN known pairs WHEN measured THEN the Levenshtein distance, ignoring case', () => {
    expect(editDistance('ownr', 'owner')).toBe(1);
    expect(editDistance('gaurds', 'guards')).toBe(2);
    expect(editDistance('Owner', 'owner')).toBe(0);
    expect(editDistance('', 'abc')).toBe(3);
  });

  test('GIVEN a typo WHEN the nearest key is asked THEN the closest plausible key; nothing for a far word', () => {
    expect(nearest('reasn', ['name', 'owner', 'reason'])).toBe('reason');
    expect(nearest('inactiveAfterDay', ['inactiveAfterDays', 'action'])).toBe('inactiveAfterDays');
    expect(nearest('colour', ['version', 'users'])).toBeNull();
  });
});
