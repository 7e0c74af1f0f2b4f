/** The benchmark's lower bound (bench/lower-bound.ts) after issue 15: pure arithmetic, unit tests. */
import { applyBound, byOperation, planBound, recheckScans, scanCalls, type AccountShape } from '../../bench/lower-bound';
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
