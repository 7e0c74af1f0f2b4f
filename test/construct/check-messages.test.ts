/** The text of the `check` warnings Terraform prints for held and reported users: each fact once. */
import { buildStackModel, type UserWarningSpec } from '../../src/construct/stack-model';
import type { Allowlist } from '../../src/model/allowlist';
import type { Plan } from '../../src/model/plan';
import { plan } from '../../src/plan/plan';
import { NOW } from '../plan/fixtures';
import { sandboxAllowlist, sandboxSnapshot } from '../plan/scenario';

const COMMAND = { cliCommand: ['node', '/cli.js'], allowlistFile: '/repo/allowlist.yaml' };

function sandboxPlan(change: (allowlist: Allowlist) => Allowlist): Plan {
  return plan(sandboxSnapshot(), change(sandboxAllowlist()), NOW);
}

function occurrences(text: string, part: string): number {
  return text.split(part).length - 1;
}

function warningFor(warnings: readonly UserWarningSpec[], userName: string): string {
  return warnings.find((w) => w.userName === userName)!.message;
}

describe('held warnings (guards.kms: hold)', () => {
  const holdPlan = sandboxPlan((a) => ({ ...a, guards: { ...a.guards, kms: 'hold' } }));
  const model = buildStackModel(holdPlan, COMMAND);

  it("GIVEN the sandbox's held users WHEN their warnings are written THEN each guard finding is printed exactly once", () => {
    const held = holdPlan.users.filter((u) => u.decision === 'hold');
    expect(held.length).toBeGreaterThanOrEqual(5);
    for (const user of held) {
      const message = warningFor(model.held, user.name);
      for (const guard of user.guards)
        expect({ user: user.name, guard: guard.kind, times: occurrences(message, guard.message) }).toEqual({
          user: user.name,
          guard: guard.kind,
          times: 1,
        });
    }
  });

  it('GIVEN the caller, held by two guards WHEN its warning is written THEN the guards, then why it would be deleted', () => {
    expect(warningFor(model.held, 'ci-bootstrap')).toBe(
      [
        'IAM user "ci-bootstrap" is held: it would be deleted, but 2 guards stop it:',
        '- caller [high]: it is the identity running this tool (arn:aws:iam::111122223333:user/ci-bootstrap)',
        '- recently-active [medium]: used 0 days ago (within 7 days)',
        'It would be deleted because: not declared in the allowlist; last used today.',
      ].join('\n'),
    );
  });

  it('GIVEN a user held by one KMS grant WHEN its warning is written THEN "a guard stops it" and the grant once, with its key', () => {
    const message = warningFor(model.held, 'report-generator');
    expect(message.split('\n')[0]).toBe('IAM user "report-generator" is held: it would be deleted, but a guard stops it:');
    const keyAndRegion = '(arn:aws:kms:us-east-1:111122223333:key/us-reports, us-east-1)';
    const grantLines = message.split('\n').filter((line) => line.startsWith('- kms-grant [high]: grantee of grant '));
    expect(grantLines).toHaveLength(1);
    expect(grantLines[0]!.endsWith(keyAndRegion)).toBe(true);
    expect(occurrences(message, 'grantee of grant')).toBe(1);
    expect(message.split('\n').at(-1)).toBe('It would be deleted because: not declared in the allowlist; last used 90 days ago.');
  });
});

describe('reported warnings', () => {
  it('GIVEN an inactive declared user reported (onInactive: report) WHEN its warning is written THEN its inactivity once', () => {
    const model = buildStackModel(
      sandboxPlan((a) => ({ ...a, defaults: { ...a.defaults, onInactive: 'report' } })),
      COMMAND,
    );
    expect(warningFor(model.reported, 'former-contractor')).toBe(
      [
        'IAM user "former-contractor" is declared but reported (not enforced).',
        '- inactive: last used 200 days ago (limit 90)',
        '- password-without-mfa: console password without MFA',
        '- access-key-old: access key #1 not rotated for 480 days (limit 90)',
      ].join('\n'),
    );
  });
});
