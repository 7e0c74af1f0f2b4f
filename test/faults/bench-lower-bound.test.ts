/** The benchmark's lower bound (bench/lower-bound.ts) is pure arithmetic: plain unit tests. */
import { applyBound, byOperation, deletionCalls, planBound, rateSeconds, scanCalls, type AccountShape } from '../../bench/lower-bound';
import { LIMITS, NO_DEPENDENTS } from '../bench/fixtures';

function account(overrides: Partial<AccountShape> = {}): AccountShape {
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
  const ops = byOperation(scanCalls(account()));
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
  const ops = byOperation(scanCalls(account({ perRegion: [{ region: 'us-east-1', keys: 0, customerKeys: 0, aliases: 0 }] })));
  expect(ops['kms:ListKeys']).toBe(1);
  expect(ops['kms:ListAliases']).toBe(1);
  expect(ops['kms:GetKeyPolicy']).toBe(0);
});

test('GIVEN 3000 ListGrants in one region at 100 rps WHEN bounding time THEN the bucket beyond its burst dominates', () => {
  // (3000 - 100 burst) / 100 rps = 29 s; the IAM calls (about 8) fit in the IAM burst.
  expect(planBound(account(), LIMITS, 2).rateSeconds).toBeCloseTo(29, 5);
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
  const small = account({
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
