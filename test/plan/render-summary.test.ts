import { plan } from '../../src/plan/plan';
import { renderPlanSummary } from '../../src/plan/render/summary';
import { NOW } from './fixtures';
import { sandboxAllowlist, sandboxSnapshot } from './scenario';

describe('renderPlanSummary', () => {
  const summary = renderPlanSummary(plan(sandboxSnapshot(), sandboxAllowlist(), NOW));

  it('GIVEN the sandbox plan WHEN summarised THEN what blocks the run, one row per decision, the summary line, within 80 columns', () => {
    const lines = summary.trimEnd().split('\n');
    expect(lines[1]).toBe('  Run blocked by 4 findings (kms-key-policy, kms-sole-admin, kms-grant): apply removes nothing');
    expect(lines).toContain('  - delete      legacy-etl, old-admin, temp-deploy-user');
    expect(lines).toContain('  ~ quarantine  former-contractor');
    expect(lines.at(-1)).toBe('Plan: 3 to delete, 1 to quarantine, 7 held.');
    expect(lines.filter((line) => line.length > 80 && !line.startsWith('  Run blocked'))).toEqual([]);
    expect(lines.length).toBeLessThan(12);
  });

  it('GIVEN held users WHEN summarised THEN each is named once with the kinds of guard that hold it', () => {
    expect(summary).toContain('ci-bootstrap (caller, recently-active)');
    expect(summary).toContain('key-admin-legacy (kms-sole-admin)');
    expect(summary.split('data-pipeline').length - 1).toBe(1);
  });
});
