/** Shared inputs of the lower-bound tests (test/bench/lower-bound.test.ts and its neighbours). */
import type { DependentCounts } from '../../bench/generate';
import type { RateLimits } from '../../bench/lower-bound';

export const LIMITS: RateLimits = {
  iamPerSecond: 15,
  kmsPerSecond: { DescribeKey: 2000, GetKeyPolicy: 1000, ListKeys: 500, ListAliases: 500, ListGrants: 100 },
};

export const NO_DEPENDENTS: DependentCounts = {
  loginProfile: 0,
  accessKeys: 0,
  virtualMfa: 0,
  signingCertificates: 0,
  sshPublicKeys: 0,
  serviceCredentials: 0,
  inlinePolicies: 0,
  attachedPolicies: 0,
  groups: 0,
};
