import { FailedRead, ScanErrorLog, step, toScanError } from '../../src/inventory/scan-errors';

describe('scan errors', () => {
  it('GIVEN an SDK-style error WHEN recorded THEN its code, message and context are kept', () => {
    const err = Object.assign(new Error('User is not authorized'), { name: 'AccessDeniedException' });
    expect(toScanError({ service: 'kms', operation: 'GetKeyPolicy', region: 'eu-west-1', resource: 'arn:k' }, err)).toEqual({
      service: 'kms',
      operation: 'GetKeyPolicy',
      region: 'eu-west-1',
      resource: 'arn:k',
      code: 'AccessDeniedException',
      message: 'User is not authorized',
    });
  });

  it('GIVEN a plain Error WHEN recorded THEN code is "Error" and absent context fields are absent', () => {
    const entry = toScanError({ service: 'iam', operation: 'X' }, new Error('boom'));
    expect(entry.code).toBe('Error');
    expect('region' in entry).toBe(false);
  });

  it('GIVEN a failure inside a step WHEN recorded THEN the step names the operation', async () => {
    const throttled = Object.assign(new Error('Rate exceeded'), { name: 'Throttling' });
    const failure = await step('ListAccessKeys', () => Promise.reject(throttled)).catch((e: unknown) => e);
    expect(failure).toBeInstanceOf(FailedRead);
    const entry = toScanError({ service: 'iam', operation: 'GetUser' }, failure);
    expect(entry.operation).toBe('ListAccessKeys');
    expect(entry.code).toBe('Throttling');
  });

  it('GIVEN errors recorded in any order WHEN sorted THEN the order is by service, region, operation, resource', () => {
    const log = new ScanErrorLog();
    log.add({ service: 'kms', operation: 'ListKeys', region: 'us-east-1' }, new Error('a'));
    log.add({ service: 'kms', operation: 'GetKeyPolicy', region: 'eu-west-1', resource: 'k2' }, new Error('b'));
    log.add({ service: 'iam', operation: 'GetCredentialReport' }, new Error('c'));
    log.add({ service: 'kms', operation: 'GetKeyPolicy', region: 'eu-west-1', resource: 'k1' }, new Error('d'));
    expect(log.sorted().map((e) => e.message)).toEqual(['c', 'd', 'b', 'a']);
    expect(log.count).toBe(4);
  });
});
