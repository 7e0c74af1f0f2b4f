import { AwsError, RefusedError } from '../../src/errors';
import { InterruptedError } from '../../src/executor/interruption';
import type { PlannedAction } from '../../src/model/plan';
import { exitCodeOfRun } from '../../src/commands/run-exit-code';

const action: PlannedAction = { action: 'delete', userName: 'leaver', userId: 'AIDALEAVER', arn: 'arn:aws:iam::111122223333:user/leaver' };

describe('exitCodeOfRun', () => {
  it('GIVEN no failures and no stop WHEN judged THEN 0', () => {
    expect(exitCodeOfRun({ failures: [] })).toBe(0);
  });

  it('GIVEN only refusals WHEN judged THEN 3 (a safety check said no)', () => {
    const failures = [{ action, error: new RefusedError('re-check refused', ['guard kms']) }];
    expect(exitCodeOfRun({ failures })).toBe(3);
  });

  it('GIVEN a refusal and an AWS error WHEN judged THEN 1 (the error wins)', () => {
    const failures = [
      { action, error: new RefusedError('re-check refused') },
      { action, error: new AwsError('denied', 'AccessDenied', 'DeleteUser') },
    ];
    expect(exitCodeOfRun({ failures })).toBe(1);
  });

  it('GIVEN a plain filesystem error WHEN judged THEN 1', () => {
    expect(exitCodeOfRun({ failures: [{ action, error: new Error('cannot write backup') }] })).toBe(1);
  });

  it('GIVEN a stop by SIGTERM (an InterruptedError is a RefusedError) WHEN judged THEN 143, not 3', () => {
    const error = new InterruptedError('SIGTERM', 'DeleteUser');
    expect(exitCodeOfRun({ failures: [{ action, error }], stop: { signal: 'SIGTERM', error } })).toBe(143);
    expect(exitCodeOfRun({ failures: [], stop: { signal: 'SIGINT', error: null } })).toBe(130);
  });

  it('GIVEN a stop without a signal (audit log, allowlist) WHEN judged THEN 1', () => {
    expect(exitCodeOfRun({ failures: [], stop: { signal: null, error: new Error('audit log') } })).toBe(1);
  });
});
