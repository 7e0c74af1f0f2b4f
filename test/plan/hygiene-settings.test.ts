import { parseAllowlist } from '../../src/allowlist/load';
import { plan } from '../../src/plan/plan';
import { aKey, aSnapshot, aUser, daysAgo, NOW } from './fixtures';

/** Loads an allowlist declaring bob, with the given extra top-level YAML lines. */
function allowlistWith(...lines: string[]) {
  const text = ['version: 1', ...lines, 'users:', '  - name: bob', '    owner: o', '    reason: r', ''].join('\n');
  return parseAllowlist(text, 'allowlist.yaml', { now: NOW }).allowlist;
}

function rulesFor(allowlist: ReturnType<typeof allowlistWith>, keyAgeDays: number, used: boolean): string[] {
  const key = aKey({ lastRotated: daysAgo(keyAgeDays), lastUsed: used ? daysAgo(1) : null });
  const snapshot = aSnapshot({ users: [aUser({ name: 'bob', activity: { accessKeys: [key] } })] });
  return plan(snapshot, allowlist, NOW).users[0]!.findings.map((finding) => finding.rule);
}

describe('hygiene thresholds are allowlist settings', () => {
  it('GIVEN no hygiene section WHEN a used key is 60 or 100 days old THEN only the 100-day key is old (default 90)', () => {
    const allowlist = allowlistWith();
    expect(allowlist.hygiene).toEqual({ accessKeyMaxAgeDays: 90, unusedAccessKeyGraceDays: 7 });
    expect(rulesFor(allowlist, 60, true)).not.toContain('access-key-old');
    expect(rulesFor(allowlist, 100, true)).toContain('access-key-old');
  });

  it('GIVEN hygiene.accessKeyMaxAgeDays: 30 WHEN a used key is 40 days old THEN access-key-old names the limit 30', () => {
    const allowlist = allowlistWith('hygiene:', '  accessKeyMaxAgeDays: 30');
    const key = aKey({ lastRotated: daysAgo(40), lastUsed: daysAgo(1) });
    const snapshot = aSnapshot({ users: [aUser({ name: 'bob', activity: { accessKeys: [key] } })] });
    const findings = plan(snapshot, allowlist, NOW).users[0]!.findings;
    expect(findings.find((finding) => finding.rule === 'access-key-old')?.message).toContain('(limit 30)');
  });

  it('GIVEN hygiene.unusedAccessKeyGraceDays: 20 WHEN a never-used key is 10 or 25 days old THEN only the 25-day key is unused', () => {
    const allowlist = allowlistWith('hygiene:', '  unusedAccessKeyGraceDays: 20');
    expect(rulesFor(allowlist, 10, false)).not.toContain('access-key-unused');
    expect(rulesFor(allowlist, 25, false)).toContain('access-key-unused');
  });

  it('GIVEN only defaults.unusedGraceDays: 3 WHEN loaded THEN the unused-key grace follows it (the behaviour before the setting)', () => {
    const allowlist = allowlistWith('defaults:', '  unusedGraceDays: 3');
    expect(allowlist.hygiene?.unusedAccessKeyGraceDays).toBe(3);
    expect(rulesFor(allowlist, 5, false)).toContain('access-key-unused');
  });

  it('GIVEN hygiene.accessKeyMaxAgeDays: 0 or an unknown hygiene key WHEN loaded THEN rejected at that line', () => {
    expect(() => allowlistWith('hygiene:', '  accessKeyMaxAgeDays: 0')).toThrow(/allowlist\.yaml:3/);
    expect(() => allowlistWith('hygiene:', '  keyAge: 30')).toThrow(/allowlist\.yaml:3/);
  });
});
