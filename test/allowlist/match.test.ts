import { matchDeclared } from '../../src/allowlist/load';
import { entriesNamed } from '../../src/allowlist/match';
import { load, yamlLines } from './helpers';

const { allowlist } = load(
  yamlLines(
    'version: 1',
    'users:',
    '  - name: alice',
    '    path: /engineering/',
    '    owner: o',
    '    reason: r',
    '  - name: temp',
    '    owner: o',
    '    reason: r',
    '    expires: 2026-01-31',
    'exceptions:',
    '  - name: legacy-etl',
    '    owner: o',
    '    reason: r',
    '    expires: 2026-01-31',
    '  - name: pinned',
    '    path: /batch/',
    '    owner: o',
    '    reason: r',
    '    expires: 2027-01-01',
  ),
  new Date('2026-01-01T00:00:00Z'),
);

const at = (iso: string): Date => new Date(iso);

describe('matchDeclared', () => {
  test('GIVEN a declared name and path WHEN matched THEN the entry is returned as declared', () => {
    const match = matchDeclared(allowlist, { name: 'alice', path: '/engineering/' }, at('2026-03-01T00:00:00Z'));
    expect(match.declared?.name).toBe('alice');
    expect(match.exception).toBeNull();
    expect(match.expiredEntry).toBeNull();
  });

  test('GIVEN the name in another case WHEN matched THEN it is declared (IAM names are case-insensitive)', () => {
    expect(matchDeclared(allowlist, { name: 'ALICE', path: '/engineering/' }, at('2026-03-01T00:00:00Z')).declared?.name).toBe('alice');
  });

  test('GIVEN the right name at another path WHEN matched THEN it is not declared, and the mismatch is reported', () => {
    const match = matchDeclared(allowlist, { name: 'alice', path: '/' }, at('2026-03-01T00:00:00Z'));
    expect(match.declared).toBeNull();
    expect(match.pathMismatch?.name).toBe('alice');
  });

  test('GIVEN a path that differs only in case WHEN matched THEN it is not declared (paths compare exactly)', () => {
    expect(matchDeclared(allowlist, { name: 'alice', path: '/Engineering/' }, at('2026-03-01T00:00:00Z')).declared).toBeNull();
  });

  test('GIVEN a name that merely contains a declared name WHEN matched THEN nothing matches (no substring)', () => {
    const match = matchDeclared(allowlist, { name: 'alice2', path: '/engineering/' }, at('2026-03-01T00:00:00Z'));
    expect(match).toEqual({ declared: null, exception: null, expiredEntry: null, pathMismatch: null });
  });

  test('GIVEN the last second of the expiry day (UTC) WHEN matched THEN still declared', () => {
    expect(matchDeclared(allowlist, { name: 'temp', path: '/' }, at('2026-01-31T23:59:59.999Z')).declared?.name).toBe('temp');
  });

  test('GIVEN the first instant after the expiry day WHEN matched THEN not declared, and the expired entry is given', () => {
    const match = matchDeclared(allowlist, { name: 'temp', path: '/' }, at('2026-02-01T00:00:00Z'));
    expect(match.declared).toBeNull();
    expect(match.expiredEntry?.name).toBe('temp');
  });

  test('GIVEN a local time zone where the day has turned WHEN matched THEN the UTC date decides', () => {
    // 2026-01-31T23:30 in UTC is already 2026-02-01 in Berlin: still valid.
    expect(matchDeclared(allowlist, { name: 'temp', path: '/' }, at('2026-02-01T00:30:00+01:00')).declared?.name).toBe('temp');
  });

  test('GIVEN an exception without path WHEN matched at any path before expiry THEN the exception is returned', () => {
    const match = matchDeclared(allowlist, { name: 'Legacy-ETL', path: '/anything/' }, at('2026-01-15T00:00:00Z'));
    expect(match.exception?.name).toBe('legacy-etl');
    expect(match.declared).toBeNull();
  });

  test('GIVEN an expired exception WHEN matched THEN expiredEntry is the exception', () => {
    const match = matchDeclared(allowlist, { name: 'legacy-etl', path: '/' }, at('2026-03-01T00:00:00Z'));
    expect(match.exception).toBeNull();
    expect(match.expiredEntry).toMatchObject({ name: 'legacy-etl', expires: '2026-01-31' });
  });

  test('GIVEN an exception with a path WHEN matched at another path THEN no exception', () => {
    const match = matchDeclared(allowlist, { name: 'pinned', path: '/' }, at('2026-03-01T00:00:00Z'));
    expect(match.exception).toBeNull();
    expect(match.pathMismatch?.name).toBe('pinned');
  });

  test('GIVEN an exception with a path WHEN matched at that path THEN the exception is returned', () => {
    expect(matchDeclared(allowlist, { name: 'pinned', path: '/batch/' }, at('2026-03-01T00:00:00Z')).exception?.name).toBe('pinned');
  });
});

describe('entriesNamed', () => {
  // Built directly (the loader refuses duplicate names): the index must still keep every entry, in order.
  const [alice] = allowlist.users;
  const [legacy] = allowlist.exceptions;
  const twice = {
    ...allowlist,
    users: [
      { ...alice!, name: 'Dup', path: '/a/', owner: 'first' },
      { ...alice!, name: 'other', owner: 'o' },
      { ...alice!, name: 'dup', path: '/b/', owner: 'second' },
    ],
    exceptions: [{ ...legacy!, name: 'DUP', expires: '2027-01-01' }],
  };

  test('GIVEN entries whose names differ only in case WHEN looked up THEN all are returned, in allowlist order', () => {
    const named = entriesNamed(twice, 'dUP');
    expect(named.users.map((e) => e.owner)).toEqual(['first', 'second']);
    expect(named.exceptions.map((e) => e.name)).toEqual(['DUP']);
    expect(entriesNamed(twice, 'nobody')).toEqual({ users: [], exceptions: [] });
  });

  test('GIVEN two entries of one name at different paths WHEN a user at the second path is matched THEN the second declares it', () => {
    const match = matchDeclared(twice, { name: 'DUP', path: '/b/' }, at('2026-03-01T00:00:00Z'));
    expect(match.declared?.owner).toBe('second');
    expect(match.exception?.name).toBe('DUP');
  });
});
