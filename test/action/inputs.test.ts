import { pullRequestOf, readInputs } from '../../src/action/inputs';
import { UsageError } from '../../src/errors';

const noFile = (): string => {
  throw new Error('no event file expected');
};

describe('readInputs', () => {
  it('GIVEN only the command WHEN read THEN the documented defaults apply', () => {
    const inputs = readInputs({ INPUT_COMMAND: 'plan' }, noFile);
    expect(inputs).toMatchObject({ command: 'plan', allowlist: 'allowlist.yaml', comment: true, driftIssue: false });
    expect(inputs.assumeRole).toBeUndefined();
    expect(inputs.github.apiUrl).toBe('https://api.github.com');
  });

  it('GIVEN a pull_request event WHEN read THEN the pull request number and the run link are known', () => {
    const inputs = readInputs(
      {
        INPUT_COMMAND: 'plan',
        INPUT_ASSUME_ROLE: 'arn:aws:iam::111122223333:role/plan',
        INPUT_COMMENT: 'false',
        GITHUB_EVENT_PATH: '/event.json',
        GITHUB_SERVER_URL: 'https://github.com',
        GITHUB_REPOSITORY: 'acme/infra',
        GITHUB_RUN_ID: '9',
      },
      () => JSON.stringify({ pull_request: { number: 12 } }),
    );
    expect(inputs.github.pullRequest).toBe(12);
    expect(inputs.github.runUrl).toBe('https://github.com/acme/infra/actions/runs/9');
    expect(inputs.assumeRole).toBe('arn:aws:iam::111122223333:role/plan');
    expect(inputs.comment).toBe(false);
  });

  it('GIVEN an unknown command WHEN read THEN a UsageError lists the commands', () => {
    expect(() => readInputs({ INPUT_COMMAND: 'apply' }, noFile)).toThrow(UsageError);
  });

  it('GIVEN a boolean input that is neither true nor false WHEN read THEN a UsageError names the input', () => {
    expect(() => readInputs({ INPUT_COMMAND: 'plan', INPUT_DRIFT_ISSUE: 'yes' }, noFile)).toThrow('input drift-issue is "yes"');
  });
});

describe('pullRequestOf', () => {
  it('GIVEN a push or schedule event WHEN read THEN there is no pull request', () => {
    expect(pullRequestOf(JSON.stringify({ ref: 'refs/heads/main' }))).toBeUndefined();
    expect(pullRequestOf(undefined)).toBeUndefined();
  });
});
