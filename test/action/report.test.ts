import { BODY_LIMIT, markerFor, planReport, planState, truncate } from '../../src/action/report';

const outcome = (exitCode: number, stdout = '', stderr = '') => ({ exitCode, stdout, stderr });

describe('planState', () => {
  it('GIVEN the plan exit codes WHEN classified THEN 0 clean, 2 changes, 3 blocked, 1 failed (also with output)', () => {
    expect([
      planState(outcome(0, 'plan')),
      planState(outcome(2, 'plan')),
      planState(outcome(3, '### plan\nRun blocked')),
      planState(outcome(1, '', 'Error: bad file')),
      planState(outcome(1, 'partial', 'Error: bad file')),
    ]).toEqual(['clean', 'changes', 'blocked', 'failed', 'failed']);
  });
});

describe('planReport', () => {
  it('GIVEN a failed plan WHEN reported THEN the error output is shown open, fenced, under the verdict', () => {
    const report = planReport('prod.yaml', outcome(1, '', 'Error: prod.yaml:3:1: bad'));
    expect(report).toContain('### iam-allowlist plan: `prod.yaml`');
    expect(report).toContain('**Failed: the plan could not be made');
    expect(report).toContain('<details open><summary>Error</summary>\n\n```\nError: prod.yaml:3:1: bad\n```');
  });

  it('GIVEN error output that itself holds a code fence WHEN reported THEN a longer fence keeps it inside', () => {
    const report = planReport('a.yaml', outcome(1, '', 'see ```x```'));
    expect(report).toContain('````\nsee ```x```\n````');
  });
});

describe('truncate', () => {
  it('GIVEN a body under the limit WHEN truncated THEN unchanged', () => {
    expect(truncate('short', undefined)).toBe('short');
  });

  it('GIVEN a body over the limit WHEN truncated THEN it fits and says where the whole plan is', () => {
    const cut = truncate('x'.repeat(BODY_LIMIT * 2), 'https://github.example/run/1');
    expect(cut.length).toBeLessThanOrEqual(BODY_LIMIT);
    expect(cut).toContain('the whole plan is in the job summary of https://github.example/run/1');
  });
});

describe('markerFor', () => {
  it('GIVEN two allowlists (two accounts) WHEN marked THEN each gets its own sticky comment marker', () => {
    expect(markerFor('plan', 'prod.yaml')).not.toBe(markerFor('plan', 'dev.yaml'));
    expect(markerFor('plan', 'prod.yaml')).toMatch(/^<!-- .* -->$/);
  });
});
