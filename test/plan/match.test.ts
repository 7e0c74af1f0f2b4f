import { matchDeclared } from '../../src/plan/match';
import { daysUntilExpiry, isExpired } from '../../src/plan/time';
import { aDeclared, anAllowlist, anException } from './fixtures';

describe('matchDeclared', () => {
  const allowlist = anAllowlist({
    users: [aDeclared({ name: 'Alice', path: '/engineering/' }), aDeclared({ name: 'old', expires: '2026-01-01' })],
    exceptions: [anException({ name: 'etl', expires: '2026-03-01' }), anException({ name: 'old', expires: '2026-02-01' })],
  });

  it('GIVEN a name in other case and the same path WHEN matched THEN declared', () => {
    expect(matchDeclared(allowlist, { name: 'alice', path: '/engineering/' }, new Date('2026-03-01T00:00:00Z')).declared?.name).toBe(
      'Alice',
    );
  });

  it('GIVEN the same name at another path WHEN matched THEN it is not declared, and the mismatch is reported', () => {
    const match = matchDeclared(allowlist, { name: 'alice', path: '/' }, new Date('2026-03-01T00:00:00Z'));
    expect(match).toMatchObject({ declared: null, exception: null, expiredEntry: null });
    expect(match.pathMismatch?.name).toBe('Alice');
  });

  it('GIVEN an exception with no path WHEN matched at any path THEN it applies through the last second of its day', () => {
    expect(matchDeclared(allowlist, { name: 'etl', path: '/x/' }, new Date('2026-03-01T23:59:59Z')).exception?.name).toBe('etl');
    expect(matchDeclared(allowlist, { name: 'etl', path: '/x/' }, new Date('2026-03-02T00:00:00Z')).expiredEntry?.name).toBe('etl');
  });

  it('GIVEN an expired declaration and an expired exception WHEN matched THEN the declaration is the expired entry', () => {
    const match = matchDeclared(allowlist, { name: 'old', path: '/' }, new Date('2026-03-01T00:00:00Z'));
    expect(match.expiredEntry).toHaveProperty('protect');
  });
});

describe('expiry arithmetic', () => {
  it('GIVEN expires 2026-01-31 WHEN checked around midnight UTC THEN valid through the day, expired after', () => {
    expect(isExpired('2026-01-31', new Date('2026-01-31T23:59:59.999Z'))).toBe(false);
    expect(isExpired('2026-01-31', new Date('2026-02-01T00:00:00Z'))).toBe(true);
    expect(isExpired(null, new Date())).toBe(false);
    expect(isExpired('garbage', new Date())).toBe(true);
  });

  it('GIVEN an expiry WHEN counting days left THEN 0 on the last day', () => {
    expect(daysUntilExpiry('2026-01-31', new Date('2026-01-31T10:00:00Z'))).toBe(0);
    expect(daysUntilExpiry('2026-01-31', new Date('2026-01-26T10:00:00Z'))).toBe(5);
  });
});
