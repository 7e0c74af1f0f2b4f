import { AllowlistError, loadAllowlistFile } from '../../src/allowlist/load';
import { UsageError } from '../../src/errors';
import { FILE, errorsOf, load, positions, rejected, yamlLines } from './helpers';

const VALID = yamlLines('version: 1', 'users:', '  - name: alice', '    owner: alice@example.com', '    reason: lead');

describe('parseAllowlist: a valid file', () => {
  test('GIVEN a minimal allowlist WHEN loaded THEN every default is applied', () => {
    const { allowlist, warnings } = load(VALID);
    expect(warnings).toEqual([]);
    expect(allowlist.account).toBeNull();
    expect(allowlist.defaults).toEqual({
      action: 'delete',
      inactiveAfterDays: null,
      onInactive: 'report',
      maxRemovalsPerRun: 10,
      unusedGraceDays: 7,
    });
    expect(allowlist.guards).toEqual({
      kms: 'block',
      regions: 'all',
      unscannedRegions: 'hold',
      recentlyActiveDays: 7,
      recentlyActive: 'hold',
      allowEmpty: false,
    });
    expect(allowlist.users).toEqual([
      {
        name: 'alice',
        path: '/',
        owner: 'alice@example.com',
        reason: 'lead',
        expires: null,
        action: null,
        inactiveAfterDays: null,
        protect: false,
        line: 3,
      },
    ]);
    expect(allowlist.exceptions).toEqual([]);
    expect(allowlist.sourceFile).toBe(FILE);
  });

  test('GIVEN every key set WHEN loaded THEN each value is carried over', () => {
    const { allowlist } = load(
      yamlLines(
        'version: 1',
        'account: "012345678901"',
        'defaults:',
        '  action: quarantine',
        '  inactiveAfterDays: 90',
        '  onInactive: quarantine',
        '  maxRemovalsPerRun: 0',
        '  unusedGraceDays: 3',
        'guards:',
        '  kms: hold',
        '  regions: [us-east-1, eu-west-1]',
        '  unscannedRegions: allow',
        '  recentlyActiveDays: 14',
        '  recentlyActive: quarantine',
        '  allowEmpty: true',
        'users:',
        '  - name: alice',
        '    path: /engineering/',
        '    owner: alice@example.com',
        '    reason: lead',
        '    expires: 2027-06-30',
        '    action: quarantine',
        '    inactiveAfterDays: 30',
        '    protect: true',
        'exceptions:',
        '  - name: legacy-etl',
        '    path: /',
        '    owner: data@example.com',
        '    reason: DATA-123',
        '    expires: 2026-12-31',
      ),
    );
    expect(allowlist.account).toBe('012345678901');
    expect(allowlist.defaults).toEqual({
      action: 'quarantine',
      inactiveAfterDays: 90,
      onInactive: 'quarantine',
      maxRemovalsPerRun: 0,
      unusedGraceDays: 3,
    });
    expect(allowlist.guards).toEqual({
      kms: 'hold',
      regions: ['us-east-1', 'eu-west-1'],
      unscannedRegions: 'allow',
      recentlyActiveDays: 14,
      recentlyActive: 'quarantine',
      allowEmpty: true,
    });
    expect(allowlist.users[0]).toMatchObject({
      path: '/engineering/',
      expires: '2027-06-30',
      action: 'quarantine',
      inactiveAfterDays: 30,
      protect: true,
      line: 17,
    });
    expect(allowlist.exceptions).toEqual([
      { name: 'legacy-etl', path: '/', owner: 'data@example.com', reason: 'DATA-123', expires: '2026-12-31', line: 26 },
    ]);
  });

  test('GIVEN an exception without path WHEN loaded THEN its path is null (any path)', () => {
    const { allowlist } = load(
      VALID + yamlLines('exceptions:', '  - name: etl', '    owner: o', '    reason: r', '    expires: 2026-12-31'),
    );
    expect(allowlist.exceptions[0]?.path).toBeNull();
  });

  test('GIVEN unquoted and quoted dates WHEN loaded THEN both come out as YYYY-MM-DD strings', () => {
    const { allowlist } = load(
      VALID.replace('reason: lead', 'reason: lead\n    expires: 2027-01-02') +
        yamlLines('exceptions:', '  - name: etl', '    owner: o', '    reason: r', "    expires: '2026-12-31'"),
    );
    expect(allowlist.users[0]?.expires).toBe('2027-01-02');
    expect(allowlist.exceptions[0]?.expires).toBe('2026-12-31');
  });

  test('GIVEN defaults.inactiveAfterDays: null WHEN loaded THEN the inactivity check is off', () => {
    const { allowlist } = load(yamlLines('version: 1', 'defaults:', '  inactiveAfterDays: null') + VALID.replace('version: 1\n', ''));
    expect(allowlist.defaults.inactiveAfterDays).toBeNull();
  });
});

describe('parseAllowlist: YAML and file shape', () => {
  test('GIVEN an empty file WHEN loaded THEN empty-file at 1:1', () => {
    expect(positions(errorsOf(''))).toEqual([['empty-file', 1, 1]]);
  });

  test('GIVEN a file of only comments WHEN loaded THEN empty-file', () => {
    expect(errorsOf('# nothing here\n\n# still nothing\n').map((d) => d.code)).toEqual(['empty-file']);
  });

  test('GIVEN a list at the top WHEN loaded THEN not-a-mapping at the list start', () => {
    expect(positions(errorsOf('\n- name: alice\n'))).toEqual([['not-a-mapping', 2, 1]]);
  });

  test('GIVEN a single scalar WHEN loaded THEN not-a-mapping', () => {
    expect(errorsOf('hello\n').map((d) => d.code)).toEqual(['not-a-mapping']);
  });

  test('GIVEN an unclosed flow list WHEN loaded THEN a yaml-syntax error with its position', () => {
    const errors = errorsOf(yamlLines('version: 1', 'users: [', ''));
    expect(errors.length).toBeGreaterThan(0);
    expect(errors.every((d) => d.code === 'yaml-syntax')).toBe(true);
    expect(errors[0]?.line).toBeGreaterThanOrEqual(2);
  });

  test('GIVEN a tab used for indentation WHEN loaded THEN yaml-syntax at the tab with a spaces fix', () => {
    const errors = errorsOf('version: 1\nusers:\n\t- name: x\n');
    expect(positions(errors)[0]).toEqual(['yaml-syntax', 3, 1]);
    expect(errors[0]?.fix).toMatch(/spaces/);
  });

  test('GIVEN the same key twice in a mapping WHEN loaded THEN yaml-syntax at the second key', () => {
    const errors = errorsOf(yamlLines('version: 1', 'version: 1', 'users: []'));
    expect(positions(errors)).toEqual([['yaml-syntax', 2, 1]]);
    expect(errors[0]?.message).toMatch(/unique/);
  });

  test('GIVEN two YAML documents WHEN loaded THEN yaml-syntax at the second', () => {
    expect(positions(errorsOf(yamlLines('version: 1', 'users: []', '---', 'version: 1')))).toEqual([['yaml-syntax', 3, 1]]);
  });

  test('GIVEN an alias without anchor WHEN loaded THEN yaml-syntax at the alias', () => {
    const errors = errorsOf(yamlLines('version: 1', 'users: *people'));
    expect(positions(errors)).toEqual([['yaml-syntax', 2, 8]]);
    expect(errors[0]?.message).toContain('*people');
  });

  test('GIVEN a list used as a key WHEN loaded THEN invalid-key at that key', () => {
    expect(positions(errorsOf(yamlLines('version: 1', 'users: []', '? [a, b]', ': 1')))).toEqual([['invalid-key', 3, 3]]);
  });

  test('GIVEN a custom tag WHEN loaded THEN a yaml-warning, and the file still loads', () => {
    const { warnings } = load(VALID.replace('reason: lead', 'reason: !why lead'));
    expect(positions(warnings)).toEqual([['yaml-warning', 5, 13]]);
  });

  test('GIVEN anchors and aliases that resolve WHEN loaded THEN the aliased values are used', () => {
    const { allowlist } = load(
      yamlLines(
        'version: 1',
        'users:',
        '  - name: a',
        '    owner: &team platform@example.com',
        '    reason: r',
        '  - name: b',
        '    owner: *team',
        '    reason: r',
      ),
    );
    expect(allowlist.users.map((u) => u.owner)).toEqual(['platform@example.com', 'platform@example.com']);
  });

  test('GIVEN a YAML merge key WHEN loaded THEN it is an unknown key (merges are not supported)', () => {
    const errors = errorsOf(yamlLines('version: 1', 'users:', '  - <<: {owner: o}', '    name: a', '    reason: r'));
    expect(errors.map((d) => d.code)).toContain('unknown-key');
  });
});

describe('parseAllowlist: version and top-level keys', () => {
  test('GIVEN version 2 WHEN loaded THEN unsupported-version at the value', () => {
    const errors = errorsOf(VALID.replace('version: 1', 'version: 2'));
    expect(positions(errors)).toEqual([['unsupported-version', 1, 10]]);
    expect(errors[0]?.fix).toContain('version: 1');
  });

  test('GIVEN version "1" as a string WHEN loaded THEN unsupported-version', () => {
    expect(errorsOf(VALID.replace('version: 1', 'version: "1"')).map((d) => d.code)).toEqual(['unsupported-version']);
  });

  test('GIVEN no version WHEN loaded THEN missing-key pointing at the first key', () => {
    const errors = errorsOf(VALID.replace('version: 1\n', ''));
    expect(positions(errors)).toEqual([['missing-key', 1, 1]]);
    expect(errors[0]?.message).toContain('`version`');
    expect(errors[0]?.fix).toBe('add `version: 1`');
  });

  test('GIVEN no users key WHEN loaded THEN missing-key users', () => {
    const errors = errorsOf('version: 1\n');
    expect(errors.map((d) => d.message)).toEqual(['missing required key `users` at the top level']);
  });

  test('GIVEN a misspelt top-level key WHEN loaded THEN unknown-key at the key suggesting the right one', () => {
    const errors = errorsOf(VALID + 'gaurds:\n  kms: hold\n');
    expect(positions(errors)).toEqual([['unknown-key', 6, 1]]);
    expect(errors[0]?.fix).toMatch(/^did you mean `guards`\?/);
  });

  test('GIVEN a misspelt user key WHEN loaded THEN unknown-key suggests `owner` and missing-key reports owner', () => {
    const errors = errorsOf(VALID.replace('owner:', 'ownr:'));
    expect(positions(errors)).toEqual([
      ['missing-key', 3, 5],
      ['unknown-key', 4, 5],
    ]);
    expect(errors[1]?.fix).toMatch(/^did you mean `owner`\?/);
  });

  test('GIVEN a key differing only in case WHEN loaded THEN the correctly cased key is suggested', () => {
    const errors = errorsOf(VALID.replace('reason:', 'Reason:'));
    expect(errors.find((d) => d.code === 'unknown-key')?.fix).toMatch(/^did you mean `reason`\?/);
  });

  test('GIVEN an unknown key far from every valid one WHEN loaded THEN the valid keys are listed instead', () => {
    const errors = errorsOf(VALID + 'colour: blue\n');
    expect(errors[0]?.fix).toBe('remove it; valid keys here: version, account, defaults, guards, hygiene, users, exceptions');
  });

  test('GIVEN a guards key written under defaults WHEN loaded THEN the fix says where it belongs', () => {
    const errors = errorsOf(yamlLines('version: 1', 'defaults:', '  kms: hold', 'users: []'));
    expect(positions(errors)).toEqual([['unknown-key', 3, 3]]);
    expect(errors[0]?.fix).toBe('`kms` belongs under `guards:`; move it there');
  });

  test('GIVEN a defaults key written at the top level WHEN loaded THEN the fix says to move it under defaults', () => {
    const errors = errorsOf(VALID + 'maxRemovalsPerRun: 3\n');
    expect(errors[0]?.message).toBe('unknown key `maxRemovalsPerRun` at the top level');
    expect(errors[0]?.fix).toBe('`maxRemovalsPerRun` belongs under `defaults:`; move it there');
  });

  test('GIVEN unknown keys in defaults and guards WHEN loaded THEN both are reported at their keys', () => {
    const text = yamlLines('version: 1', 'defaults:', '  actoin: delete', 'guards:', '  kmss: hold', 'users: []');
    expect(positions(errorsOf(text))).toEqual([
      ['unknown-key', 3, 3],
      ['unknown-key', 5, 3],
    ]);
  });
});

describe('parseAllowlist: types and values', () => {
  test('GIVEN an unquoted account id WHEN loaded THEN wrong-type telling to quote it', () => {
    const errors = errorsOf(VALID + 'account: 111122223333\n');
    expect(positions(errors)).toEqual([['wrong-type', 6, 10]]);
    expect(errors[0]?.fix).toContain('account: "111122223333"');
  });

  test('GIVEN an account id of 11 digits WHEN loaded THEN invalid-account', () => {
    expect(positions(errorsOf(VALID + 'account: "11112222333"\n'))).toEqual([['invalid-account', 6, 10]]);
  });

  test('GIVEN a misspelt enum value WHEN loaded THEN invalid-value suggesting the nearest value', () => {
    const errors = errorsOf(yamlLines('version: 1', 'defaults:', '  action: delet', 'users: []'));
    expect(positions(errors)).toEqual([['invalid-value', 3, 11]]);
    expect(errors[0]?.fix).toBe('did you mean `delete`?');
  });

  test('GIVEN an enum value nowhere near a valid one WHEN loaded THEN the valid values are listed', () => {
    const errors = errorsOf(yamlLines('version: 1', 'guards:', '  kms: ignore', 'users: []'));
    expect(errors[0]?.fix).toBe('use one of: block, hold');
  });

  test('GIVEN zero, a negative and a fraction for day counts WHEN loaded THEN each is reported', () => {
    const text = yamlLines(
      'version: 1',
      'defaults:',
      '  inactiveAfterDays: 0',
      '  unusedGraceDays: -3',
      'guards:',
      '  recentlyActiveDays: 1.5',
      'users: []',
    );
    expect(positions(errorsOf(text))).toEqual([
      ['invalid-value', 3, 22],
      ['invalid-value', 4, 20],
      ['wrong-type', 6, 23],
    ]);
  });

  test('GIVEN maxRemovalsPerRun: 0 WHEN loaded THEN it is accepted (removals off)', () => {
    expect(
      load(yamlLines('version: 1', 'defaults:', '  maxRemovalsPerRun: 0') + VALID.replace('version: 1\n', '')).allowlist.defaults
        .maxRemovalsPerRun,
    ).toBe(0);
  });

  test('GIVEN a quoted number WHEN loaded THEN wrong-type asks for a whole number', () => {
    const errors = errorsOf(yamlLines('version: 1', 'defaults:', '  maxRemovalsPerRun: "5"', 'users: []'));
    expect(positions(errors)).toEqual([['wrong-type', 3, 22]]);
    expect(errors[0]?.fix).toContain('whole number');
  });

  test('GIVEN protect: "yes" WHEN loaded THEN wrong-type asks for true or false', () => {
    const errors = errorsOf(VALID + '    protect: "yes"\n');
    expect(positions(errors)).toEqual([['wrong-type', 6, 14]]);
    expect(errors[0]?.fix).toContain('true');
  });

  test('GIVEN defaults as a scalar WHEN loaded THEN wrong-type says a mapping is needed', () => {
    const errors = errorsOf(VALID + 'defaults: delete\n');
    expect(errors[0]?.message).toBe('defaults must be a mapping (key: value lines), not the string "delete"');
  });

  test('GIVEN users as a mapping WHEN loaded THEN wrong-type says a list is needed', () => {
    const errors = errorsOf(yamlLines('version: 1', 'users:', '  alice: {owner: a, reason: b}'));
    expect(positions(errors)).toEqual([['wrong-type', 3, 3]]);
    expect(errors[0]?.message).toContain('users must be a list');
  });

  test('GIVEN an empty users: key WHEN loaded THEN wrong-type points at the key, not the next line', () => {
    expect(positions(errorsOf(yamlLines('version: 1', 'users:', 'exceptions: []')))).toEqual([['wrong-type', 2, 1]]);
  });

  test('GIVEN a user entry that is a plain string WHEN loaded THEN wrong-type at the entry', () => {
    expect(positions(errorsOf(yamlLines('version: 1', 'users:', '  - alice')))).toEqual([['wrong-type', 3, 5]]);
  });

  test('GIVEN a numeric user name WHEN loaded THEN wrong-type suggests quoting', () => {
    const errors = errorsOf(VALID.replace('name: alice', 'name: 1234'));
    expect(positions(errors)).toEqual([['wrong-type', 3, 11]]);
    expect(errors[0]?.fix).toBe('quote the value: name: "1234"');
  });

  test('GIVEN missing owner and reason WHEN loaded THEN one missing-key each at the entry', () => {
    const errors = errorsOf(yamlLines('version: 1', 'users:', '  - name: alice'));
    expect(positions(errors)).toEqual([
      ['missing-key', 3, 5],
      ['missing-key', 3, 5],
    ]);
    expect(errors.map((d) => d.message)).toEqual(['missing required key `owner` in users[0]', 'missing required key `reason` in users[0]']);
  });

  test('GIVEN an empty or blank owner WHEN loaded THEN invalid-value at the value', () => {
    expect(positions(errorsOf(VALID.replace('owner: alice@example.com', 'owner: ""')))).toEqual([['invalid-value', 4, 12]]);
    expect(positions(errorsOf(VALID.replace('reason: lead', 'reason: "   "')))).toEqual([['invalid-value', 5, 13]]);
  });

  test('GIVEN regions with a bad name and a duplicate WHEN loaded THEN each is reported at its item', () => {
    const errors = errorsOf(yamlLines('version: 1', 'guards:', '  regions: [us-east-1, US-EAST-1, us-east-1]', 'users: []'));
    expect(positions(errors)).toEqual([
      ['invalid-region', 3, 24],
      ['invalid-region', 3, 35],
    ]);
  });

  test('GIVEN regions: everywhere WHEN loaded THEN one invalid-region explaining both forms', () => {
    const errors = errorsOf(yamlLines('version: 1', 'guards:', '  regions: everywhere', 'users: []'));
    expect(positions(errors)).toEqual([['invalid-region', 3, 12]]);
    expect(errors[0]?.message).toContain('`all` or a list of region names');
  });

  test('GIVEN regions: [] WHEN loaded THEN invalid-region asks for at least one', () => {
    expect(errorsOf(yamlLines('version: 1', 'guards:', '  regions: []', 'users: []'))[0]?.message).toContain('empty list');
  });
});

describe('parseAllowlist: names and paths', () => {
  test.each([['a'.repeat(65)], ['al ice'], ['alice/bob'], ['ålice'], ['alice#1']])(
    'GIVEN the user name %p WHEN loaded THEN invalid-name at the name',
    (name) => {
      expect(positions(errorsOf(VALID.replace('name: alice', `name: "${name}"`)))).toEqual([['invalid-name', 3, 11]]);
    },
  );

  test.each([['a'.repeat(64)], ['A+b=c,d.e@f_g-h'], ['1']])('GIVEN the valid user name %p WHEN loaded THEN it is accepted', (name) => {
    expect(load(VALID.replace('name: alice', `name: "${name}"`)).allowlist.users[0]?.name).toBe(name);
  });

  test('GIVEN a name written as an ARN WHEN loaded THEN the fix says to split name and path', () => {
    const errors = errorsOf(VALID.replace('name: alice', 'name: arn:aws:iam::111122223333:user/service/data-pipeline'));
    expect(errors[0]?.code).toBe('invalid-name');
    expect(errors[0]?.fix).toContain('path');
  });

  test.each([['engineering'], ['/engineering'], ['engineering/'], ['/a b/'], ['//'], [`/${'a'.repeat(511)}/`], ['/é/']])(
    'GIVEN the path %p WHEN loaded THEN invalid-path at the path',
    (path) => {
      expect(positions(errorsOf(VALID + `    path: "${path}"\n`))).toEqual([['invalid-path', 6, 11]]);
    },
  );

  test('GIVEN a path without slashes WHEN loaded THEN the fix suggests the slashed path', () => {
    expect(errorsOf(VALID + '    path: engineering\n')[0]?.fix).toBe('did you mean `path: /engineering/`?');
  });

  test.each([['/'], ['/a/b/'], ['/~!{}/'], [`/${'a'.repeat(510)}/`]])('GIVEN the valid path %p WHEN loaded THEN accepted', (path) => {
    expect(load(VALID + `    path: "${path}"\n`).allowlist.users[0]?.path).toBe(path);
  });
});

describe('parseAllowlist: duplicates', () => {
  const twoUsers = (first: string, second: string): string =>
    yamlLines(
      'version: 1',
      'users:',
      `  - name: ${first}`,
      '    owner: o',
      '    reason: r',
      `  - name: ${second}`,
      '    path: /other/',
      '    owner: o',
      '    reason: r',
    );

  test('GIVEN the same name twice WHEN loaded THEN duplicate-user at the second, naming the first line', () => {
    const errors = errorsOf(twoUsers('alice', 'alice'));
    expect(positions(errors)).toEqual([['duplicate-user', 6, 11]]);
    expect(errors[0]?.message).toContain('line 3');
  });

  test('GIVEN names differing only in case (and path) WHEN loaded THEN duplicate-user explains case-insensitivity', () => {
    const errors = errorsOf(twoUsers('alice', 'Alice'));
    expect(positions(errors)).toEqual([['duplicate-user', 6, 11]]);
    expect(errors[0]?.message).toContain('case-insensitive');
  });

  test('GIVEN a name in users and in exceptions WHEN loaded THEN declared-and-excepted at the exception', () => {
    const text = VALID + yamlLines('exceptions:', '  - name: ALICE', '    owner: o', '    reason: r', '    expires: 2026-12-31');
    expect(positions(errorsOf(text))).toEqual([['declared-and-excepted', 7, 11]]);
  });

  test('GIVEN the same exception twice WHEN loaded THEN duplicate-exception', () => {
    const entry = ['  - name: etl', '    owner: o', '    reason: r', '    expires: 2026-12-31'];
    expect(positions(errorsOf(VALID + yamlLines('exceptions:', ...entry, ...entry)))).toEqual([['duplicate-exception', 11, 11]]);
  });

  test('GIVEN different names WHEN loaded THEN no duplicate is reported', () => {
    expect(load(twoUsers('alice', 'alice2')).allowlist.users).toHaveLength(2);
  });
});

describe('parseAllowlist: dates and expiry', () => {
  test.each([['2026-02-30'], ['2026-13-01'], ['2026-00-10'], ['2025-02-29'], ['2026-04-31']])(
    'GIVEN expires: %s WHEN loaded THEN invalid-date at the value',
    (date) => {
      expect(positions(errorsOf(VALID + `    expires: ${date}\n`))).toEqual([['invalid-date', 6, 14]]);
    },
  );

  test('GIVEN 2026-02-30 WHEN loaded THEN the fix names the last day of February', () => {
    expect(errorsOf(VALID + '    expires: 2026-02-30\n')[0]?.fix).toContain('2026-02-28');
  });

  test('GIVEN 2028-02-29 (leap year) WHEN loaded THEN accepted', () => {
    expect(load(VALID + '    expires: 2028-02-29\n').allowlist.users[0]?.expires).toBe('2028-02-29');
  });

  test.each([['31-01-2026'], ['2026-1-31'], ['"2026-01-31T00:00:00Z"'], ['tomorrow']])(
    'GIVEN expires: %s WHEN loaded THEN invalid-date asks for YYYY-MM-DD',
    (date) => {
      const errors = errorsOf(VALID + `    expires: ${date}\n`);
      expect(positions(errors)).toEqual([['invalid-date', 6, 14]]);
      expect(errors[0]?.fix).toContain('YYYY-MM-DD');
    },
  );

  test('GIVEN a user expired yesterday WHEN loaded THEN an expired warning, not an error', () => {
    const { allowlist, warnings } = load(VALID + '    expires: 2026-02-28\n');
    expect(allowlist.users).toHaveLength(1);
    expect(positions(warnings)).toEqual([['expired', 6, 14]]);
    expect(warnings[0]?.severity).toBe('warning');
  });

  test('GIVEN a user expiring today WHEN loaded THEN no warning (valid through the whole day)', () => {
    expect(load(VALID + '    expires: 2026-03-01\n').warnings).toEqual([]);
  });

  test('GIVEN a past exception WHEN loaded THEN an expired warning saying the user is now undeclared', () => {
    const { warnings } = load(
      VALID + yamlLines('exceptions:', '  - name: etl', '    owner: o', '    reason: r', '    expires: 2026-01-31'),
    );
    expect(positions(warnings)).toEqual([['expired', 10, 14]]);
    expect(warnings[0]?.message).toContain('undeclared');
  });

  test('GIVEN an exception without expires WHEN loaded THEN missing-key expires', () => {
    const errors = errorsOf(VALID + yamlLines('exceptions:', '  - name: etl', '    owner: o', '    reason: r'));
    expect(errors.map((d) => d.message)).toEqual(['missing required key `expires` in exceptions[0]']);
  });
});

describe('parseAllowlist: advisory warnings', () => {
  test('GIVEN action without expires WHEN loaded THEN action-without-expiry warning at the key', () => {
    expect(positions(load(VALID + '    action: report\n').warnings)).toEqual([['action-without-expiry', 6, 5]]);
  });

  test('GIVEN owner: TODO WHEN loaded THEN placeholder-owner warning at the value', () => {
    expect(positions(load(VALID.replace('alice@example.com', 'TODO')).warnings)).toEqual([['placeholder-owner', 4, 12]]);
  });

  test('GIVEN users: [] without allowEmpty WHEN loaded THEN empty-users warning', () => {
    expect(positions(load('version: 1\nusers: []\n').warnings)).toEqual([['empty-users', 2, 1]]);
  });

  test('GIVEN users: [] with allowEmpty: true WHEN loaded THEN no warning', () => {
    expect(load('version: 1\nguards:\n  allowEmpty: true\nusers: []\n').warnings).toEqual([]);
  });
});

describe('parseAllowlist: reports everything at once', () => {
  test('GIVEN five independent problems WHEN loaded THEN all five are in one AllowlistError, sorted by position', () => {
    const text = yamlLines(
      'version: 3',
      'defaults:',
      '  action: nuke',
      'users:',
      '  - name: bad name',
      '    owner: o',
      '    reason: r',
      '    expires: 2026-02-31',
      '  - name: x',
      '    ownr: o',
      '    reason: r',
    );
    let thrown: unknown;
    try {
      load(text);
    } catch (err) {
      thrown = err;
    }
    expect(thrown).toBeInstanceOf(AllowlistError);
    expect(thrown).toBeInstanceOf(UsageError);
    const error = thrown as AllowlistError;
    expect(positions(error.errors)).toEqual([
      ['unsupported-version', 1, 10],
      ['invalid-value', 3, 11],
      ['invalid-name', 5, 11],
      ['invalid-date', 8, 14],
      ['missing-key', 9, 5],
      ['unknown-key', 10, 5],
    ]);
    expect(error.message.split('\n')[0]).toBe(`${FILE}: 6 errors in the allowlist`);
    expect(error.message).toContain(`${FILE}:1:10: error: unsupported allowlist version 3`);
    expect(error.message).toContain(`${FILE}:10:5: error: unknown key \`ownr\``);
  });

  test('GIVEN an error and a warning WHEN loaded THEN the AllowlistError carries both', () => {
    const all = rejected(VALID + '    expires: 2020-01-01\n    protect: maybe\n');
    expect(all.map((d) => [d.code, d.severity])).toEqual([
      ['expired', 'warning'],
      ['wrong-type', 'error'],
    ]);
  });

  test('GIVEN any rejected file WHEN loaded THEN every diagnostic names the file, a message and a fix', () => {
    for (const d of rejected(yamlLines('version: 9', 'users:', '  - name: "a b"', '    owner: ""', '    reasn: x'))) {
      expect(d.file).toBe(FILE);
      expect(d.message.length).toBeGreaterThan(0);
      expect(d.fix.length).toBeGreaterThan(0);
    }
  });
});

describe('loadAllowlistFile', () => {
  test('GIVEN a missing file WHEN loaded THEN a UsageError that is not an AllowlistError, with a hint', () => {
    let thrown: unknown;
    try {
      loadAllowlistFile('/nonexistent/allowlist.yaml');
    } catch (err) {
      thrown = err;
    }
    expect(thrown).toBeInstanceOf(UsageError);
    expect(thrown).not.toBeInstanceOf(AllowlistError);
    expect((thrown as UsageError).message).toContain('ENOENT');
    expect((thrown as UsageError).hint).toContain('init');
  });
});
