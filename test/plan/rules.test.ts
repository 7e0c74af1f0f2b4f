/** Each rule on its own: GIVEN a user and an allowlist, WHEN the rule runs, THEN its findings. */
import type { Allowlist } from '../../src/model/allowlist';
import type { UserFacts } from '../../src/model/snapshot';
import { buildContext, type PlanOptions } from '../../src/plan/context';
import { matchDeclared } from '../../src/plan/match';
import { plan } from '../../src/plan/plan';
import { accessKeyOld } from '../../src/plan/rules/access-key-old';
import { accessKeyUnused } from '../../src/plan/rules/access-key-unused';
import { createDateUnknown } from '../../src/plan/rules/create-date-unknown';
import { declarationExpired } from '../../src/plan/rules/declaration-expired';
import { exceptionExpired } from '../../src/plan/rules/exception-expired';
import { inactive } from '../../src/plan/rules/inactive';
import { longTermCredentials } from '../../src/plan/rules/long-term-credentials';
import { passwordWithoutMfa } from '../../src/plan/rules/password-without-mfa';
import { evaluateRule, type FactsRule } from '../../src/plan/rules/types';
import { undeclared } from '../../src/plan/rules/undeclared';
import { unused } from '../../src/plan/rules/unused';
import { aDeclared, aKey, anAllowlist, anException, aSnapshot, aUser, dateIn, daysAgo, NOW } from './fixtures';

function apply(rule: FactsRule, user: UserFacts, allowlist: Allowlist = anAllowlist(), options: PlanOptions = {}) {
  const ctx = buildContext(aSnapshot({ users: [user] }), allowlist, NOW, options);
  return evaluateRule(rule, { ...ctx, match: matchDeclared(allowlist, user, NOW) }, user);
}

const declaring = (name: string, extra: Parameters<typeof aDeclared>[0] = {}) => anAllowlist({ users: [aDeclared({ name, ...extra })] });

describe('undeclared', () => {
  const stranger = aUser({ name: 'temp-deploy-user' });

  it('GIVEN a user no entry names WHEN checked THEN an action finding proposing defaults.action', () => {
    expect(apply(undeclared, stranger)).toEqual([expect.objectContaining({ rule: 'undeclared', severity: 'action', proposes: 'delete' })]);
    expect(apply(undeclared, stranger, anAllowlist({ defaults: { action: 'report' } }))[0]?.proposes).toBe('report');
  });

  it('GIVEN a declaration for the same name at another path WHEN checked THEN undeclared, and the message names both paths', () => {
    const [finding] = apply(undeclared, aUser({ name: 'alice', path: '/sales/' }), declaring('alice', { path: '/engineering/' }));
    expect(finding?.message).toContain('/engineering/');
    expect(finding?.message).toContain('/sales/');
  });

  it('GIVEN a declaration with the name in other case WHEN checked THEN not undeclared', () => {
    expect(apply(undeclared, aUser({ name: 'Alice' }), declaring('alice'))).toEqual([]);
  });

  it('GIVEN a valid exception WHEN checked THEN not undeclared', () => {
    expect(apply(undeclared, stranger, anAllowlist({ exceptions: [anException({ name: 'temp-deploy-user' })] }))).toEqual([]);
  });
});

describe('declaration-expired', () => {
  const contractor = aUser({ name: 'contractor' });

  it('GIVEN a declaration that expired yesterday WHEN checked THEN it proposes the entry action, else defaults.action', () => {
    expect(apply(declarationExpired, contractor, declaring('contractor', { expires: dateIn(-1), action: 'quarantine' }))[0]).toMatchObject({
      rule: 'declaration-expired',
      proposes: 'quarantine',
    });
    expect(apply(declarationExpired, contractor, declaring('contractor', { expires: dateIn(-1) }))[0]?.proposes).toBe('delete');
  });

  it('GIVEN a declaration expiring today WHEN checked THEN it still applies through the whole UTC day', () => {
    expect(apply(declarationExpired, contractor, declaring('contractor', { expires: dateIn(0) }))).toEqual([]);
  });
});

describe('exception-expired', () => {
  const etl = aUser({ name: 'legacy-etl' });

  it('GIVEN an exception that expired WHEN checked THEN it proposes defaults.action and names the date', () => {
    const [finding] = apply(
      exceptionExpired,
      etl,
      anAllowlist({ exceptions: [anException({ name: 'legacy-etl', expires: '2026-01-31' })] }),
    );
    expect(finding).toMatchObject({ rule: 'exception-expired', severity: 'action', proposes: 'delete' });
    expect(finding?.message).toContain('2026-01-31');
  });

  it('GIVEN an exception still valid WHEN checked THEN no finding', () => {
    expect(apply(exceptionExpired, etl, anAllowlist({ exceptions: [anException({ name: 'legacy-etl', expires: dateIn(5) })] }))).toEqual(
      [],
    );
  });

  it('GIVEN an exception limited to another path WHEN checked THEN it does not match (so no expiry either)', () => {
    const allowlist = anAllowlist({ exceptions: [anException({ name: 'legacy-etl', path: '/other/', expires: dateIn(-5) })] });
    expect(apply(exceptionExpired, etl, allowlist)).toEqual([]);
  });
});

describe('unused', () => {
  it('GIVEN never signed in, no key ever used, created 60 days ago WHEN checked THEN unused', () => {
    const user = aUser({ name: 'temp', createDate: daysAgo(60), activity: { accessKeys: [aKey({ lastUsed: null })] } });
    expect(apply(unused, user)).toEqual([expect.objectContaining({ rule: 'unused', severity: 'warning' })]);
  });

  it('GIVEN a never-used user created 3 days ago (grace 7) WHEN checked THEN not unused', () => {
    expect(apply(unused, aUser({ name: 'new', createDate: daysAgo(3) }))).toEqual([]);
  });

  it('GIVEN a key used once WHEN checked THEN not unused', () => {
    expect(apply(unused, aUser({ name: 'used', activity: { accessKeys: [aKey({ lastUsed: daysAgo(200) })] } }))).toEqual([]);
  });

  it('GIVEN unknown activity WHEN checked THEN not called unused', () => {
    expect(apply(unused, aUser({ name: 'unknown', activity: { passwordEnabled: null } }))).toEqual([]);
  });
});

describe('inactive', () => {
  const contractor = aUser({
    name: 'former-contractor',
    activity: { passwordEnabled: true, passwordLastUsed: daysAgo(200), accessKeys: [aKey({ lastUsed: daysAgo(200) })] },
  });

  it('GIVEN a declared user idle 200 days, per-user limit 90, onInactive quarantine WHEN checked THEN an action proposing quarantine', () => {
    const allowlist = anAllowlist({
      users: [aDeclared({ name: 'former-contractor', inactiveAfterDays: 90 })],
      defaults: { onInactive: 'quarantine' },
    });
    expect(apply(inactive, contractor, allowlist)).toEqual([
      expect.objectContaining({ rule: 'inactive', severity: 'action', proposes: 'quarantine' }),
    ]);
  });

  it('GIVEN onInactive report WHEN checked THEN a warning proposing report', () => {
    const allowlist = anAllowlist({ users: [aDeclared({ name: 'former-contractor' })], defaults: { inactiveAfterDays: 90 } });
    expect(apply(inactive, contractor, allowlist)).toEqual([expect.objectContaining({ severity: 'warning', proposes: 'report' })]);
  });

  it('GIVEN the per-user override is larger than the idle time WHEN checked THEN not inactive', () => {
    const allowlist = anAllowlist({
      users: [aDeclared({ name: 'former-contractor', inactiveAfterDays: 365 })],
      defaults: { inactiveAfterDays: 30 },
    });
    expect(apply(inactive, contractor, allowlist)).toEqual([]);
  });

  it('GIVEN protect: true WHEN checked THEN never inactive', () => {
    const allowlist = anAllowlist({ users: [aDeclared({ name: 'former-contractor', protect: true, inactiveAfterDays: 1 })] });
    expect(apply(inactive, contractor, allowlist)).toEqual([]);
  });

  it('GIVEN no inactivity limit configured WHEN checked THEN off', () => {
    expect(apply(inactive, contractor, declaring('former-contractor'))).toEqual([]);
  });

  it('GIVEN an undeclared user WHEN checked THEN inactive does not apply', () => {
    expect(apply(inactive, contractor, anAllowlist({ defaults: { inactiveAfterDays: 1 } }))).toEqual([]);
  });

  it('GIVEN a never-used declared user created 10 days ago (limit 30) WHEN checked THEN not inactive (counts from creation)', () => {
    const fresh = aUser({ name: 'fresh', createDate: daysAgo(10) });
    expect(apply(inactive, fresh, declaring('fresh', { inactiveAfterDays: 30 }))).toEqual([]);
  });
});

describe('missing or unparsable creation date', () => {
  const quarantineInactive = (name: string) =>
    anAllowlist({ users: [aDeclared({ name, inactiveAfterDays: 30 })], defaults: { onInactive: 'quarantine' } });

  it.each([[''], ['not-a-date']])(
    'GIVEN a never-used declared user with createDate %j WHEN checked THEN neither inactive nor unused, and a warning',
    (createDate) => {
      const user = aUser({ name: 'dateless', createDate });
      expect(apply(inactive, user, quarantineInactive('dateless'))).toEqual([]);
      expect(apply(unused, user)).toEqual([]);
      const [warning] = apply(createDateUnknown, user);
      expect(warning).toMatchObject({ rule: 'create-date-unknown', severity: 'warning' });
      expect(warning?.message).not.toContain('NaN');
      expect(warning?.proposes).toBeUndefined();
    },
  );

  it('GIVEN such a user WHEN planned THEN kept with the warning, never quarantined for "NaN days"', () => {
    const result = plan(aSnapshot({ users: [aUser({ name: 'dateless', createDate: '' })] }), quarantineInactive('dateless'), NOW);
    expect(result.users[0]?.decision).toBe('keep');
    expect(result.users[0]?.findings.map((f) => f.rule)).toEqual(['create-date-unknown']);
    expect(JSON.stringify(result)).not.toContain('NaN');
  });

  it('GIVEN an unparsable createDate but a key used 200 days ago WHEN checked THEN inactive still counts from the last use', () => {
    const user = aUser({ name: 'dateless', createDate: 'garbage', activity: { accessKeys: [aKey({ lastUsed: daysAgo(200) })] } });
    expect(apply(inactive, user, quarantineInactive('dateless'))).toEqual([
      expect.objectContaining({ rule: 'inactive', proposes: 'quarantine' }),
    ]);
  });

  it('GIVEN a valid createDate WHEN checked THEN no create-date warning (control case)', () => {
    expect(apply(createDateUnknown, aUser({ name: 'dated' }))).toEqual([]);
  });
});

describe('hygiene rules on declared users', () => {
  it('GIVEN a password without MFA WHEN checked THEN password-without-mfa; WITH MFA THEN nothing', () => {
    const bob = aUser({ name: 'bob', activity: { passwordEnabled: true, mfaActive: false } });
    expect(apply(passwordWithoutMfa, bob, declaring('bob'))).toEqual([
      expect.objectContaining({ rule: 'password-without-mfa', severity: 'warning' }),
    ]);
    const alice = aUser({ name: 'alice', activity: { passwordEnabled: true, mfaActive: true } });
    expect(apply(passwordWithoutMfa, alice, declaring('alice'))).toEqual([]);
  });

  it('GIVEN an undeclared user without MFA WHEN checked THEN hygiene rules stay quiet (removal is the finding)', () => {
    expect(apply(passwordWithoutMfa, aUser({ name: 'x', activity: { passwordEnabled: true } }))).toEqual([]);
  });

  it('GIVEN an active key rotated 200 days ago WHEN checked THEN access-key-old naming the key; 30 days THEN nothing', () => {
    const old = aUser({ name: 'bob', activity: { accessKeys: [aKey({ accessKeyId: 'AKIAOLD', lastRotated: daysAgo(200) })] } });
    const [finding] = apply(accessKeyOld, old, declaring('bob'));
    expect(finding?.rule).toBe('access-key-old');
    expect(finding?.message).toContain('AKIAOLD');
    expect(finding?.message).toContain('200 days');
    const fresh = aUser({ name: 'bob', activity: { accessKeys: [aKey({ lastRotated: daysAgo(30) })] } });
    expect(apply(accessKeyOld, fresh, declaring('bob'))).toEqual([]);
  });

  it('GIVEN accessKeyMaxAgeDays 20 WHEN a key is 30 days old THEN access-key-old', () => {
    const user = aUser({ name: 'bob', activity: { accessKeys: [aKey({ lastRotated: daysAgo(30) })] } });
    expect(apply(accessKeyOld, user, declaring('bob'), { accessKeyMaxAgeDays: 20 })).toHaveLength(1);
  });

  it('GIVEN an old but inactive key WHEN checked THEN not flagged', () => {
    const user = aUser({ name: 'bob', activity: { accessKeys: [aKey({ active: false, lastRotated: daysAgo(400) })] } });
    expect(apply(accessKeyOld, user, declaring('bob'))).toEqual([]);
  });

  it('GIVEN an active key never used (created 30 days ago) WHEN checked THEN access-key-unused; used THEN nothing', () => {
    const unusedKey = aUser({ name: 'svc', activity: { accessKeys: [aKey({ lastUsed: null })] } });
    expect(apply(accessKeyUnused, unusedKey, declaring('svc'))).toEqual([expect.objectContaining({ rule: 'access-key-unused' })]);
    const usedKey = aUser({ name: 'svc', activity: { accessKeys: [aKey()] } });
    expect(apply(accessKeyUnused, usedKey, declaring('svc'))).toEqual([]);
  });

  it('GIVEN a never-used key minted yesterday WHEN checked THEN not yet flagged (grace period)', () => {
    const user = aUser({ name: 'svc', activity: { accessKeys: [aKey({ lastUsed: null, lastRotated: daysAgo(1) })] } });
    expect(apply(accessKeyUnused, user, declaring('svc'))).toEqual([]);
  });

  it('GIVEN a password and an active key WHEN checked THEN long-term-credentials recommending IAM Identity Center', () => {
    const human = aUser({ name: 'alice', activity: { passwordEnabled: true, accessKeys: [aKey()] } });
    const [finding] = apply(longTermCredentials, human, declaring('alice'));
    expect(finding?.rule).toBe('long-term-credentials');
    expect(finding?.message).toContain('IAM Identity Center');
  });

  it('GIVEN a service user (key, no password) WHEN checked THEN no long-term-credentials finding', () => {
    expect(apply(longTermCredentials, aUser({ name: 'deploy-bot', activity: { accessKeys: [aKey()] } }), declaring('deploy-bot'))).toEqual(
      [],
    );
  });
});
