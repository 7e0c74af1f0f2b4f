/** Shared inputs of the bench tests (test/bench/*). */
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

/** High enough that no call is throttled: for tests about which calls are made, not how fast. */
export const FAST: RateLimits = {
  iamPerSecond: 10_000,
  kmsPerSecond: { DescribeKey: 10_000, GetKeyPolicy: 10_000, ListKeys: 10_000, ListAliases: 10_000, ListGrants: 10_000 },
};
