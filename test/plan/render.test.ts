/** Renderers and exit codes: assertions on content, not whole-output snapshots. */
import type { Plan } from '../../src/model/plan';
import { blockingFindings, plan } from '../../src/plan/plan';
import { exitCodeFor } from '../../src/plan/render/exit-code';
import { renderJson } from '../../src/plan/render/json';
import { escapeCell, renderMarkdown } from '../../src/plan/render/markdown';
import { renderText } from '../../src/plan/render/text';
import { aKey, anAllowlist, aScanError, aSnapshot, aUser, daysAgo, NOW } from './fixtures';
import { keys, sandboxAllowlist, sandboxSnapshot } from './scenario';

const sandboxPlan = plan(sandboxSnapshot(), sandboxAllowlist(), NOW);

function lineOf(text: string, fragment: string): string {
  const line = text.split('\n').find((candidate) => candidate.includes(fragment));
  if (line === undefined) throw new Error(`no line with ${fragment}`);
  return line;
}

describe('text renderer', () => {
  const text = renderText(sandboxPlan);

  it('GIVEN the sandbox plan WHEN rendered THEN it ends with the summary line', () => {
    expect(text.trimEnd().split('\n').slice(-2)[0]).toBe('Plan: 3 to delete, 1 to quarantine, 7 held.');
  });

  it('GIVEN each decision WHEN rendered THEN Terraform-like markers', () => {
    expect(lineOf(text, 'temp-deploy-user')).toMatch(/^ {2}- delete temp-deploy-user/);
    expect(lineOf(text, 'former-contractor ')).toMatch(/^ {2}~ quarantine former-contractor/);
    expect(lineOf(text, 'held data-pipeline')).toMatch(/^ {2}! held data-pipeline \(would delete\)/);
  });

  it('GIVEN held users WHEN rendered THEN guard details with KMS key ARNs appear', () => {
    expect(text).toContain(keys.pipelineKey.arn);
    expect(text).toContain(keys.legacyKey.arn);
    expect(text).toMatch(/! \[critical\] kms-sole-admin: .*orphans the key/);
  });

  it('GIVEN KMS findings in block mode WHEN rendered THEN the run is marked blocked', () => {
    expect(text).toContain('Run blocked');
  });

  it('GIVEN a report-only plan WHEN rendered THEN "# report" lines and hygiene section', () => {
    const reported = plan(aSnapshot({ users: [aUser({ name: 'stray' })] }), anAllowlist({ defaults: { action: 'report' } }), NOW);
    const out = renderText(reported);
    expect(lineOf(out, 'stray')).toMatch(/# report stray/);
    expect(out).toContain('Plan: 0 to delete, 0 to quarantine, 0 held.');
    expect(renderText(sandboxPlan)).toContain('# bob: password-without-mfa');
  });

  it('GIVEN verbose WHEN rendered THEN kept users are listed too', () => {
    expect(renderText(sandboxPlan)).not.toContain('keep alice');
    expect(renderText(sandboxPlan, { verbose: true })).toContain('keep alice');
  });

  it('GIVEN notices WHEN rendered THEN a Notices section', () => {
    const withNotice = plan(aSnapshot(), anAllowlist(), NOW);
    expect(renderText(withNotice)).toContain('Notices:\n  * declared user declared-placeholder');
  });
});

describe('json renderer', () => {
  it('GIVEN a plan WHEN rendered THEN it parses back to the same plan, with schemaVersion', () => {
    const parsed = JSON.parse(renderJson(sandboxPlan)) as Plan;
    expect(parsed).toEqual(sandboxPlan);
    expect(parsed.schemaVersion).toBe(1);
  });

  it('GIVEN a plan WHEN rendered THEN keys are sorted at every level and output ends with a newline', () => {
    const json = renderJson(sandboxPlan);
    expect(json.endsWith('}\n')).toBe(true);
    const topKeys = Object.keys(JSON.parse(json) as object);
    expect(topKeys).toEqual([...topKeys].sort());
    const firstUserKeys = Object.keys((JSON.parse(json) as { users: object[] }).users[0] as object);
    expect(firstUserKeys).toEqual([...firstUserKeys].sort());
  });

  it('GIVEN two equal plans built in different key order WHEN rendered THEN identical bytes', () => {
    const reordered = Object.fromEntries(Object.entries(sandboxPlan).reverse()) as unknown as Plan;
    expect(Object.keys(reordered)[0]).not.toBe(Object.keys(sandboxPlan)[0]);
    expect(renderJson(reordered)).toBe(renderJson(sandboxPlan));
  });
});

describe('markdown renderer', () => {
  const md = renderMarkdown(sandboxPlan);

  it('GIVEN the sandbox plan WHEN rendered THEN a summary table with counts', () => {
    expect(md).toContain('| Decision | Users |');
    expect(md).toContain('| delete | 3 |');
    expect(md).toContain('| held | 7 |');
    expect(md).toContain('Plan: 3 to delete, 1 to quarantine, 7 held.');
  });

  it('GIVEN removals WHEN rendered THEN a Removals table row per user with the reason', () => {
    expect(md).toContain('### Removals');
    expect(lineOf(md, '`legacy-etl`')).toContain('| delete | exception for legacy-etl expired on 2026-01-31');
  });

  it('GIVEN held users WHEN rendered THEN a section per user with guard severity, kind and key ARN', () => {
    expect(md).toContain('#### `key-admin-legacy` (would delete)');
    expect(md).toMatch(/\*\*critical\*\* `kms-sole-admin`/);
    expect(md).toContain(`\`${keys.pipelineKey.arn}\` in eu-west-1`);
  });

  it('GIVEN hygiene findings WHEN rendered THEN they are collapsed in <details>', () => {
    const details = md.slice(md.indexOf('<details>'), md.indexOf('</details>'));
    expect(details).toContain('Hygiene findings (6)');
    expect(details).toContain('`password-without-mfa`');
  });

  it('GIVEN cell text with pipes, newlines and HTML WHEN escaped THEN the table cannot break', () => {
    expect(escapeCell('a|b\nc <b>')).toBe('a\\|b c &lt;b&gt;');
  });

  it('GIVEN a plan with nothing held WHEN rendered THEN no Held section', () => {
    const quiet = plan(aSnapshot({ users: [aUser({ name: 'declared-placeholder' })] }), anAllowlist(), NOW);
    expect(renderMarkdown(quiet)).not.toContain('### Held');
  });
});

describe('exitCodeFor', () => {
  const quarantineOnly = () =>
    plan(
      aSnapshot({ users: [aUser({ name: 'x', activity: { accessKeys: [aKey({ lastUsed: daysAgo(50) })] } })] }),
      anAllowlist({ defaults: { action: 'quarantine' } }),
      NOW,
    );

  it('GIVEN deletes or quarantines and nothing blocking the run WHEN asked THEN 2', () => {
    const deleteOnly = plan(aSnapshot({ users: [aUser({ name: 'x' })] }), anAllowlist(), NOW);
    expect(deleteOnly.users[0]?.decision).toBe('delete');
    expect(exitCodeFor(deleteOnly)).toBe(2);
    expect(quarantineOnly().users[0]?.decision).toBe('quarantine');
    expect(exitCodeFor(quarantineOnly())).toBe(2);
  });

  it('GIVEN a KMS guard in block mode blocking the run (the sandbox) WHEN asked THEN 3 (blocked by a guard), although deletes are listed', () => {
    expect(blockingFindings(sandboxPlan).some((finding) => finding.kind === 'kms-key-policy')).toBe(true);
    expect(sandboxPlan.summary.delete).toBeGreaterThan(0);
    expect(exitCodeFor(sandboxPlan)).toBe(3);
  });

  it('GIVEN the same KMS findings in hold mode WHEN asked THEN 2 (only those users are held)', () => {
    const holdMode = plan(sandboxSnapshot(), { ...sandboxAllowlist(), guards: { ...sandboxAllowlist().guards, kms: 'hold' } }, NOW);
    expect(blockingFindings(holdMode)).toEqual([]);
    expect(exitCodeFor(holdMode)).toBe(2);
  });

  it.each([
    ['scan-incomplete', aSnapshot({ users: [aUser({ name: 'x' })], scanErrors: [aScanError()] }), anAllowlist()],
    ['account-pin', aSnapshot({ users: [aUser({ name: 'x' })] }), anAllowlist({ account: '999999999999' })],
    [
      'max-removals',
      aSnapshot({ users: [aUser({ name: 'x' }), aUser({ name: 'y' })] }),
      anAllowlist({ defaults: { maxRemovalsPerRun: 1 } }),
    ],
    ['empty-allowlist', aSnapshot({ users: [aUser({ name: 'x' })] }), anAllowlist({ users: [] })],
  ])('GIVEN the run guard %s holding every removal WHEN asked THEN 3 (the run is blocked, not an error)', (kind, snapshot, allowlist) => {
    const blocked = plan(snapshot, allowlist, NOW);
    expect(blocked.runGuards.map((guard) => guard.kind)).toContain(kind);
    expect(blocked.users.every((user) => user.decision === 'hold')).toBe(true);
    expect(exitCodeFor(blocked)).toBe(3);
  });

  it('GIVEN only keep, report and per-user hold decisions WHEN asked THEN 0', () => {
    const heldOnly = plan(
      aSnapshot({ users: [aUser({ name: 'x', activity: { accessKeys: [aKey({ lastUsed: daysAgo(1) })] } })] }),
      anAllowlist(),
      NOW,
    );
    expect(heldOnly.users[0]?.decision).toBe('hold');
    expect(heldOnly.runGuards).toEqual([]);
    expect(exitCodeFor(heldOnly)).toBe(0);
    expect(exitCodeFor(plan(aSnapshot({ users: [aUser({ name: 'declared-placeholder' })] }), anAllowlist(), NOW))).toBe(0);
  });
});
