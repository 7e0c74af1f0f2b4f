/** The benchmark's lower bound (bench/lower-bound.ts) after issue 15: pure arithmetic, unit tests. */
import {
  applyBound,
  byOperation,
  deletionCalls,
  planBound,
  rateSeconds,
  recheckScans,
  scanCalls,
  type AccountShape,
} from '../../bench/lower-bound';
import type { DependentCounts } from '../../bench/generate';
import { LIMITS, NO_DEPENDENTS } from './fixtures';

const ACCOUNT: AccountShape = {
  users: 500,
  roles: 1,
  virtualMfaDevices: 200,
  perRegion: [
    { region: 'us-east-1', keys: 69, customerKeys: 67, aliases: 69 },
    { region: 'eu-west-1', keys: 68, customerKeys: 66, aliases: 68 },
  ],
  grantsPerKey: 3,
};

const PLAIN: DependentCounts = { ...NO_DEPENDENTS, accessKeys: 1 };

describe('the scan in the bound', () => {
  it('GIVEN customer and AWS-managed keys WHEN counting the scan THEN 2 calls per customer key, no DescribeKey, none per AWS key', () => {
    const ops = byOperation(scanCalls(ACCOUNT));
    expect(ops['kms:DescribeKey']).toBeUndefined();
    expect(ops['kms:GetKeyPolicy']).toBe(67 + 66);
    expect(ops['kms:ListGrants']).toBe(67 + 66);
    expect(ops['kms:ListKeys']).toBe(2);
    expect(ops['kms:ListAliases']).toBe(2);
  });

  it('GIVEN the same account WHEN bounding the plan THEN the scan: 6 IAM/STS/Account calls + KMS pages + 2 per customer key', () => {
    expect(planBound(ACCOUNT, LIMITS, 2).totalCalls).toBe(6 + 4 + 2 * 133);
  });
});

describe('re-check scans in the apply bound (a scan at most recheckMaxAgeSeconds before each first mutation)', () => {
  it('GIVEN nothing to delete WHEN bounding THEN no re-check scan at all', () => {
    expect(recheckScans(ACCOUNT, 0, LIMITS, 60)).toBe(0);
    expect(applyBound(ACCOUNT, [], LIMITS, 2).totalCalls).toBe(0);
  });

  it('GIVEN 20 or 50 deletions and the default 60 s WHEN bounding THEN one scan serves them all (15 rps × 60 s + burst > users)', () => {
    expect(recheckScans(ACCOUNT, 20, LIMITS, 60)).toBe(1);
    expect(recheckScans(ACCOUNT, 50, LIMITS, 60)).toBe(1);
    const bound = applyBound(
      ACCOUNT,
      Array.from({ length: 20 }, () => PLAIN),
      LIMITS,
      2,
    );
    expect(bound.recheckScans).toBe(1);
    expect(byOperation(bound.calls)['kms:GetKeyPolicy']).toBe(133);
  });

  it('GIVEN a 1 s window WHEN 100 users are deleted THEN 30 IAM calls per window minus the scan’s 4: 26 users per scan, 4 scans', () => {
    // The scan's IAM calls: GetAccountAuthorizationDetails 1, Generate 1, Get 1, ListVirtualMFADevices 1.
    expect(recheckScans(ACCOUNT, 100, LIMITS, 1)).toBe(4);
    const bound = applyBound(
      ACCOUNT,
      Array.from({ length: 100 }, () => PLAIN),
      LIMITS,
      2,
      1,
    );
    expect(bound.recheckScans).toBe(4);
    const ops = byOperation(bound.calls);
    expect(ops['kms:GetKeyPolicy']).toBe(4 * 133);
    expect(ops['iam:GetAccountAuthorizationDetails']).toBe(4);
    expect(ops['iam:DeleteUser']).toBe(100);
  });

  it('GIVEN a plain user with one key WHEN bounded THEN GetUser, 4 listings, DeleteAccessKey, DeleteUser; no backup reads', () => {
    const scanOnly = applyBound(ACCOUNT, [PLAIN], LIMITS, 2).totalCalls - planBound(ACCOUNT, LIMITS, 2).totalCalls;
    expect(scanOnly).toBe(7);
    const ops = byOperation(applyBound(ACCOUNT, [PLAIN], LIMITS, 2).calls);
    expect(ops['iam:GetAccessKeyLastUsed']).toBeUndefined();
    expect(ops['iam:GetSSHPublicKey']).toBeUndefined();
    expect(ops['iam:DeleteUserPermissionsBoundary']).toBeUndefined();
  });
});

describe('pages, rate buckets and deletions (moved from test/faults, where a pure unit test did not belong)', () => {
  function largeAccount(overrides: Partial<AccountShape> = {}): AccountShape {
    return {
      users: 2500,
      roles: 10,
      virtualMfaDevices: 1200,
      perRegion: [
        { region: 'us-east-1', keys: 1502, customerKeys: 1500, aliases: 1502 },
        { region: 'eu-west-1', keys: 2, customerKeys: 0, aliases: 2 },
      ],
      grantsPerKey: 150,
      ...overrides,
    };
  }

  test('GIVEN 2510 users and roles, 1200 MFA devices, 1502 keys with 150 grants each WHEN counting the scan THEN pages follow the API maxima', () => {
    const ops = byOperation(scanCalls(largeAccount()));
    expect(ops['iam:GetAccountAuthorizationDetails']).toBe(3); // 1000 per page
    expect(ops['iam:ListVirtualMFADevices']).toBe(2);
    expect(ops['kms:ListKeys']).toBe(2 + 1); // 1000 per page in us-east-1, 1 in eu-west-1
    expect(ops['kms:ListAliases']).toBe(16 + 1); // 100 per page
    // Issue 15: DescribeKey is avoidable (AWS-managed keys are known by alias, a key's state decides nothing): not in the bound.
    expect(ops['kms:DescribeKey']).toBeUndefined();
    expect(ops['kms:GetKeyPolicy']).toBe(1500);
    expect(ops['kms:ListGrants']).toBe(1500 * 2);
  });

  test('GIVEN an empty region WHEN counting THEN its listings still cost one call each', () => {
    const ops = byOperation(scanCalls(largeAccount({ perRegion: [{ region: 'us-east-1', keys: 0, customerKeys: 0, aliases: 0 }] })));
    expect(ops['kms:ListKeys']).toBe(1);
    expect(ops['kms:ListAliases']).toBe(1);
    expect(ops['kms:GetKeyPolicy']).toBe(0);
  });

  test('GIVEN 3000 ListGrants in one region at 100 rps WHEN bounding time THEN the bucket beyond its burst dominates', () => {
    // (3000 - 100 burst) / 100 rps = 29 s; the IAM calls (about 8) fit in the IAM burst.
    expect(planBound(largeAccount(), LIMITS, 2).rateSeconds).toBeCloseTo(29, 5);
  });

  test('GIVEN KMS calls split over two regions WHEN bounding time THEN each region has its own bucket', () => {
    const split = rateSeconds(
      [
        { operation: 'kms:ListGrants', region: 'a', count: 300 },
        { operation: 'kms:ListGrants', region: 'b', count: 300 },
      ],
      LIMITS,
    );
    expect(split).toBeCloseTo(2, 5);
  });

  test('GIVEN a user with every dependent kind WHEN counting its deletion THEN each dependent costs one call, a virtual MFA two', () => {
    const ops = byOperation(
      deletionCalls({
        ...NO_DEPENDENTS,
        loginProfile: 1,
        accessKeys: 2,
        virtualMfa: 1,
        signingCertificates: 1,
        sshPublicKeys: 1,
        serviceCredentials: 1,
        inlinePolicies: 2,
        attachedPolicies: 1,
        groups: 3,
      }),
    );
    const total = Object.values(ops).reduce((a, b) => a + b, 0);
    // GetUser + 4 listings + DeleteUser = 6, dependents 1+2+2+1+1+1+2+1+3 = 14.
    expect(total).toBe(20);
    expect(ops['iam:DeactivateMFADevice']).toBe(1);
    expect(ops['iam:DeleteVirtualMFADevice']).toBe(1);
  });

  test('GIVEN 30 bare users to delete WHEN bounding apply THEN IAM calls beyond the burst run at 15 rps', () => {
    const small = largeAccount({
      users: 40,
      virtualMfaDevices: 0,
      perRegion: [{ region: 'us-east-1', keys: 0, customerKeys: 0, aliases: 0 }],
      grantsPerKey: 0,
    });
    const bound = applyBound(
      small,
      Array.from({ length: 30 }, () => NO_DEPENDENTS),
      LIMITS,
      0,
    );
    const iamCalls = Object.entries(byOperation(bound.calls))
      .filter(([op]) => op.startsWith('iam:'))
      .reduce((n, [, c]) => n + c, 0);
    // scan: GAAD 1, generate 1, get 1, MFA 1 = 4; per user 6 -> 184 IAM calls.
    expect(iamCalls).toBe(4 + 30 * 6);
    expect(bound.seconds).toBeCloseTo((184 - 15) / 15, 5);
  });
});
