/**
 * The least work any tool would need for the same result (pure arithmetic, no I/O): the minimum
 * API calls per operation given AWS's page sizes, and the minimum time given the documented
 * request quotas and the per-call latency.
 */
import type { DependentCounts } from './generate';

/** Requests per second; KMS quotas apply per region and operation, IAM's throttle account-wide. */
export interface RateLimits {
  /** All IAM calls together (IAM publishes no rate; it throttles at roughly 15 rps). */
  readonly iamPerSecond: number;
  /** Per KMS operation, per region. */
  readonly kmsPerSecond: Readonly<Record<string, number>>;
}

/** Defaults from the AWS KMS "Request quotas" table (requests per second, per region). */
export const DOCUMENTED_LIMITS: RateLimits = {
  iamPerSecond: 15,
  kmsPerSecond: { DescribeKey: 2000, GetKeyPolicy: 1000, ListKeys: 500, ListAliases: 500, ListGrants: 100 },
};

/** Page maxima: GetAccountAuthorizationDetails/ListVirtualMFADevices MaxItems, KMS Limit. */
const IAM_PAGE = 1000;
const LIST_KEYS_PAGE = 1000;
const LIST_ALIASES_PAGE = 100;
const LIST_GRANTS_PAGE = 100;

/** What the lower bound needs to know about an account. */
export interface AccountShape {
  readonly users: number;
  readonly roles: number;
  readonly virtualMfaDevices: number;
  readonly perRegion: readonly { readonly region: string; readonly keys: number; readonly customerKeys: number; readonly aliases: number }[];
  readonly grantsPerKey: number;
}

/** Calls of one "service:Operation", in one region for KMS. */
export interface CallCount {
  readonly operation: string;
  readonly region?: string;
  readonly count: number;
}

export interface Bound {
  readonly calls: readonly CallCount[];
  readonly totalCalls: number;
  /** Longest chain of calls that must follow one another. */
  readonly chain: number;
  /** Seconds the rate limits alone force (token buckets starting full, burst = rate). */
  readonly rateSeconds: number;
  /** max(rateSeconds, chain × latency): nothing can be faster. */
  readonly seconds: number;
}

const pages = (items: number, pageSize: number): number => Math.max(1, Math.ceil(items / pageSize));

/** Calls per operation summed over regions. */
export function byOperation(calls: readonly CallCount[]): Record<string, number> {
  const out: Record<string, number> = {};
  for (const c of calls) out[c.operation] = (out[c.operation] ?? 0) + c.count;
  return out;
}

/** Seconds the token buckets force: per bucket, calls beyond the initial burst at `rate` per second. */
export function rateSeconds(calls: readonly CallCount[], limits: RateLimits): number {
  const buckets = new Map<string, { calls: number; rate: number }>();
  const add = (key: string, count: number, rate: number) => {
    const bucket = buckets.get(key) ?? { calls: 0, rate };
    bucket.calls += count;
    buckets.set(key, bucket);
  };
  for (const c of calls) {
    const [service, op] = c.operation.split(':');
    if (service === 'iam') add('iam', c.count, limits.iamPerSecond);
    const kmsRate = limits.kmsPerSecond[op];
    if (service === 'kms' && kmsRate !== undefined) add(`${op}|${c.region ?? ''}`, c.count, kmsRate);
  }
  let worst = 0;
  for (const b of buckets.values()) worst = Math.max(worst, Math.max(0, b.calls - b.rate) / b.rate);
  return worst;
}

function bound(calls: CallCount[], chain: number, limits: RateLimits, latencyMs: number): Bound {
  const nonZero = calls.filter((c) => c.count > 0);
  const rate = rateSeconds(nonZero, limits);
  return {
    calls: nonZero,
    totalCalls: nonZero.reduce((n, c) => n + c.count, 0),
    chain,
    rateSeconds: rate,
    seconds: Math.max(rate, (chain * latencyMs) / 1000),
  };
}

/**
 * Reading the account once: caller, region list, one bulk IAM read (users and roles), the credential
 * report (generate, get), the virtual MFA listing, and per region the key and alias listings plus
 * DescribeKey for every listed key and GetKeyPolicy and ListGrants pages for every customer key.
 */
export function scanCalls(account: AccountShape): CallCount[] {
  const calls: CallCount[] = [
    { operation: 'sts:GetCallerIdentity', count: 1 },
    { operation: 'account:ListRegions', count: 1 },
    { operation: 'iam:GetAccountAuthorizationDetails', count: pages(account.users + account.roles, IAM_PAGE) },
    { operation: 'iam:GenerateCredentialReport', count: 1 },
    { operation: 'iam:GetCredentialReport', count: 1 },
    { operation: 'iam:ListVirtualMFADevices', count: pages(account.virtualMfaDevices, IAM_PAGE) },
  ];
  for (const r of account.perRegion) {
    calls.push(
      { operation: 'kms:ListKeys', region: r.region, count: pages(r.keys, LIST_KEYS_PAGE) },
      { operation: 'kms:ListAliases', region: r.region, count: pages(r.aliases, LIST_ALIASES_PAGE) },
      { operation: 'kms:DescribeKey', region: r.region, count: r.keys },
      { operation: 'kms:GetKeyPolicy', region: r.region, count: r.customerKeys },
      { operation: 'kms:ListGrants', region: r.region, count: r.customerKeys * pages(account.grantsPerKey, LIST_GRANTS_PAGE) },
    );
  }
  return calls;
}

/** IAM pages in sequence vs. region list -> key pages -> policy/grant pages, whichever is longer. */
export function scanChain(account: AccountShape): number {
  const iamChain = Math.max(pages(account.users + account.roles, IAM_PAGE), 2, pages(account.virtualMfaDevices, IAM_PAGE));
  const keyPages = Math.max(1, ...account.perRegion.map((r) => pages(r.keys, LIST_KEYS_PAGE)));
  const kmsChain = 1 + keyPages + pages(account.grantsPerKey, LIST_GRANTS_PAGE);
  return Math.max(iamChain, kmsChain);
}

export function planBound(account: AccountShape, limits: RateLimits, latencyMs: number): Bound {
  return bound(scanCalls(account), scanChain(account), limits, latencyMs);
}

/**
 * Deleting one user with nothing wasted: GetUser (the UserId check), one listing for each kind the
 * snapshot does not reveal (access keys, signing certificates, SSH keys, service credentials), one
 * call per dependent (two per virtual MFA device: deactivate, delete), DeleteUser.
 * Login profile, MFA serials, inline/attached policies and groups come from the bulk reads.
 */
export function deletionCalls(d: DependentCounts): CallCount[] {
  return [
    { operation: 'iam:GetUser', count: 1 },
    { operation: 'iam:ListAccessKeys', count: 1 },
    { operation: 'iam:ListSigningCertificates', count: 1 },
    { operation: 'iam:ListSSHPublicKeys', count: 1 },
    { operation: 'iam:ListServiceSpecificCredentials', count: 1 },
    { operation: 'iam:DeleteLoginProfile', count: d.loginProfile },
    { operation: 'iam:DeleteAccessKey', count: d.accessKeys },
    { operation: 'iam:DeactivateMFADevice', count: d.virtualMfa },
    { operation: 'iam:DeleteVirtualMFADevice', count: d.virtualMfa },
    { operation: 'iam:DeleteSigningCertificate', count: d.signingCertificates },
    { operation: 'iam:DeleteSSHPublicKey', count: d.sshPublicKeys },
    { operation: 'iam:DeleteServiceSpecificCredential', count: d.serviceCredentials },
    { operation: 'iam:DeleteUserPolicy', count: d.inlinePolicies },
    { operation: 'iam:DetachUserPolicy', count: d.attachedPolicies },
    { operation: 'iam:RemoveUserFromGroup', count: d.groups },
    { operation: 'iam:DeleteUser', count: 1 },
  ];
}

/** GetUser -> listings -> deactivate MFA -> delete dependents -> DeleteUser. */
const DELETION_CHAIN = 5;

/** Apply: one fresh scan for the re-check, then every deletion (users may run in parallel). */
export function applyBound(
  account: AccountShape,
  deletions: readonly DependentCounts[],
  limits: RateLimits,
  latencyMs: number,
): Bound {
  const calls = [...scanCalls(account), ...deletions.flatMap(deletionCalls)];
  const chain = scanChain(account) + (deletions.length > 0 ? DELETION_CHAIN : 0);
  return bound(calls, chain, limits, latencyMs);
}
