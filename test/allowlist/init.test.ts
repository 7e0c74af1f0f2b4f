import { generateAllowlist } from '../../src/allowlist/init';
import { matchDeclared } from '../../src/allowlist/load';
import type { Snapshot, UserFacts } from '../../src/model/snapshot';
import { load } from './helpers';

const NOW = new Date('2026-11-23T10:00:00Z');

function user(name: string, overrides: Partial<UserFacts> = {}): UserFacts {
  return {
    name,
    userId: `AIDA${name
      .toUpperCase()
      .replace(/[^A-Z0-9]/g, '')
      .padEnd(17, 'X')
      .slice(0, 17)}`,
    arn: `arn:aws:iam::111122223333:user${overrides.path ?? '/'}${name}`,
    path: '/',
    createDate: '2025-01-04T09:00:00Z',
    tags: {},
    permissionsBoundaryArn: null,
    groups: [],
    inlinePolicyNames: [],
    attachedPolicyArns: [],
    activity: { passwordEnabled: false, passwordLastUsed: null, mfaActive: false, accessKeys: [], activeCertificates: 0 },
    mfaDevices: [],
    ...overrides,
  };
}

function snapshot(users: UserFacts[]): Snapshot {
  return {
    schemaVersion: 1,
    takenAt: NOW.toISOString(),
    accountId: '011122223333',
    partition: 'aws',
    caller: {
      account: '011122223333',
      arn: 'arn:aws:iam::011122223333:user/ci-bootstrap',
      userId: 'AIDACIBOOTSTRAP0000',
      kind: 'user',
      userName: 'ci-bootstrap',
    },
    users,
    roles: [],
    kms: [],
    credentialReportGeneratedAt: NOW.toISOString(),
    scanErrors: [],
  };
}

const USERS: UserFacts[] = [
  user('alice', { path: '/engineering/', tags: { Owner: 'alice@example.com' } }),
  user('deploy-bot', {
    path: '/service/',
    tags: { team: 'platform' },
    activity: {
      passwordEnabled: false,
      passwordLastUsed: '2026-11-01T00:00:00Z',
      mfaActive: false,
      accessKeys: [{ accessKeyId: null, active: true, lastRotated: null, lastUsed: '2026-11-22T08:00:00Z', lastUsedService: 'sts' }],
      activeCertificates: 0,
    },
  }),
  user('ci-bootstrap'),
  // Names that YAML would read as something other than a string unless quoted.
  user('1234'),
  user('true'),
  user('null'),
  user('2026-01-31'),
  user('a@b.c,d=e+f'),
  user('weird-owner', { tags: { OWNER: 'Data: core # team "x"' } }),
];

describe('generateAllowlist', () => {
  const text = generateAllowlist(snapshot(USERS), { now: NOW });

  test('GIVEN a snapshot WHEN generated THEN the output loads without errors', () => {
    expect(() => load(text, NOW)).not.toThrow();
  });

  test('GIVEN a snapshot WHEN generated THEN every user is declared at its own path, so nobody is removed', () => {
    const { allowlist } = load(text, NOW);
    for (const u of USERS) {
      expect(matchDeclared(allowlist, { name: u.name, path: u.path }, NOW).declared?.name).toBe(u.name);
    }
    expect(allowlist.users).toHaveLength(USERS.length);
  });

  test('GIVEN owner tags WHEN generated THEN owners come from Owner/team tags, else TODO (with a warning)', () => {
    const { allowlist, warnings } = load(text, NOW);
    const owners = Object.fromEntries(allowlist.users.map((u) => [u.name, u.owner]));
    expect(owners['alice']).toBe('alice@example.com');
    expect(owners['deploy-bot']).toBe('platform');
    expect(owners['1234']).toBe('TODO');
    expect(owners['weird-owner']).toBe('Data: core # team "x"');
    expect(warnings.filter((w) => w.code === 'placeholder-owner')).toHaveLength(USERS.length - 3);
  });

  test('GIVEN a fallback owner WHEN generated THEN untagged users get it and no placeholder warning remains', () => {
    const { allowlist, warnings } = load(generateAllowlist(snapshot(USERS), { now: NOW, owner: 'platform@example.com' }), NOW);
    expect(allowlist.users.find((u) => u.name === 'ci-bootstrap')?.owner).toBe('platform@example.com');
    expect(warnings.filter((w) => w.code === 'placeholder-owner')).toEqual([]);
  });

  test('GIVEN a snapshot WHEN generated THEN account, reason and last-use comments are written', () => {
    const { allowlist } = load(text, NOW);
    expect(allowlist.account).toBe('011122223333');
    expect(allowlist.users.every((u) => u.reason === 'adopted by iam-allowlist init on 2026-11-23')).toBe(true);
    expect(text).toContain('# last used 2026-11-22 (access key); created 2025-01-04');
    expect(text).toContain('# never used; created 2025-01-04; the identity that ran init');
    expect(text.startsWith('# yaml-language-server: $schema=./schema/allowlist.schema.json\n')).toBe(true);
  });

  test('GIVEN the same snapshot twice WHEN generated THEN identical output (pure, sorted by name)', () => {
    expect(generateAllowlist(snapshot([...USERS].reverse()), { now: NOW })).toBe(text);
  });

  test('GIVEN an account without users WHEN generated THEN users: [] loads with only the empty-users warning', () => {
    const { allowlist, warnings } = load(generateAllowlist(snapshot([]), { now: NOW }), NOW);
    expect(allowlist.users).toEqual([]);
    expect(warnings.map((w) => w.code)).toEqual(['empty-users']);
  });
});
