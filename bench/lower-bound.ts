/**
 * The least work any correct tool would need for the same result (pure arithmetic, no I/O): the minimum
 * API calls per operation given AWS's page sizes, and the minimum time given the documented request
 * quotas and the per-call latency.
 *
 * "Correct" is this project's safety contract (README "Safety model", DESIGN.md): fail closed on
 * anything unread, the UserId checked at the moment of change, and the guards judged on a scan no
 * older than guards.recheckMaxAgeSeconds before each user's first mutation. Only calls no such tool
 * can avoid are counted, each in its cheapest (bulk) form; every count below says why it is
 * unavoidable. Deliberately NOT counted, because a correct tool can do without them (so they are
 * what separates a measured figure from its bound): DescribeKey (AWS-managed keys are known by their
 * `alias/aws/*` alias, and a key's state changes no decision); a second GenerateCredentialReport poll;
 * per-user reads the bulk reads already answered (GetLoginProfile, GetUserPolicy, ListUserPolicies,
 * ListAttachedUserPolicies, ListGroupsForUser, ListMFADevices for virtual devices); the live
 * GetAccessKeyLastUsed check and GetSSHPublicKey for the backup (this tool's extra safety, not in the
 * contract's minimum); the second GetUser and ListAccessKeys of a user whose reads overlapped the re-check
 * scan (a tool that waits for the scan before reading a user needs neither); and retries of throttled calls. (DeleteUserPermissionsBoundary, which does not
 * block DeleteUser, and a GetUser after DeleteUser to verify it are not counted either; the tool no
 * longer makes them.)
 */
import { KMS_DOCUMENTED_REQUEST_QUOTAS } from '../src/aws/request-pacer';
import { DEFAULT_RECHECK_MAX_AGE_SECONDS } from '../src/model/allowlist';
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
  kmsPerSecond: KMS_DOCUMENTED_REQUEST_QUOTAS,
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
  readonly perRegion: readonly {
    readonly region: string;
    readonly keys: number;
    readonly customerKeys: number;
    readonly aliases: number;
  }[];
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
  /** Apply only: the re-check scans included in `calls` (see recheckScans). */
  readonly recheckScans?: number;
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
 * Reading the account once, each call unavoidable:
 * - sts:GetCallerIdentity: the account (pinned by the allowlist) and the caller the caller guard protects.
 * - account:ListRegions: which regions can hold KMS keys (regions: all); a region not read is a gap.
 * - iam:GetAccountAuthorizationDetails, one page per 1000 users and roles: every user with its UserId,
 *   groups, inline and attached policies, and every role's trust policy, in the only bulk form.
 * - iam:GenerateCredentialReport + iam:GetCredentialReport: password and access-key last use of every
 *   user in one CSV (the per-user alternative costs a call per key); a report must be requested to be read.
 * - iam:ListVirtualMFADevices, one page per 1000: the serials of virtual MFA devices, which DeleteUser needs
 *   gone and no other bulk read returns.
 * - per region kms:ListKeys (1000/page) and kms:ListAliases (100/page): every key, and the `alias/aws/*`
 *   aliases that identify AWS-managed keys without a call per key.
 * - per customer-managed key kms:GetKeyPolicy and kms:ListGrants (100 grants/page): the policy and the grants
 *   are what may name a user; nothing returns them for several keys at once.
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
 * Deleting one user with nothing wasted, each call unavoidable:
 * - iam:GetUser: the safety contract checks the planned UserId live at the moment of change (a user
 *   recreated under the same name since the scan must be refused, and the scan may be up to
 *   recheckMaxAgeSeconds old).
 * - iam:ListAccessKeys, iam:ListSigningCertificates, iam:ListSSHPublicKeys, iam:ListServiceSpecificCredentials:
 *   their ids are needed to delete them and no bulk read returns them (the credential report only says
 *   whether a key or certificate exists). Login profile, MFA serials, inline/attached policies and
 *   groups come from the scan's bulk reads.
 * - one call per dependent (two per virtual MFA device: deactivate, delete) and iam:DeleteUser: AWS
 *   refuses DeleteUser while any of them exists, and has no call that removes several at once.
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

/** guards.recheckMaxAgeSeconds when the allowlist does not set it: the product's own default, not a copy. */
export { DEFAULT_RECHECK_MAX_AGE_SECONDS };

/**
 * Re-check scans the safety contract forces on an apply of `deletions` users: each user's first mutation
 * must follow the start of a scan by at most `maxAgeSeconds`. Within one window IAM carries at most
 * rate × window calls (plus the burst), the scan's own IAM calls included, and each user needs at least
 * one of them (its first mutation) inside the window. So one scan serves up to that many users, and the
 * best schedule needs ceil(deletions / users per window) scans; none when nothing is deleted.
 */
export function recheckScans(account: AccountShape, deletions: number, limits: RateLimits, maxAgeSeconds: number): number {
  if (deletions === 0) return 0;
  const scanIamCalls = scanCalls(account)
    .filter((c) => c.operation.startsWith('iam:'))
    .reduce((n, c) => n + c.count, 0);
  const burst = limits.iamPerSecond; // the buckets' burst equals their rate
  const usersPerWindow = Math.max(1, Math.floor(limits.iamPerSecond * maxAgeSeconds + burst) - scanIamCalls);
  return Math.ceil(deletions / usersPerWindow);
}

/**
 * Apply: the re-check scans (see recheckScans), then every deletion (users may run in parallel). The
 * plan's own scan is not reused: `apply` runs in its own process, as `npm run bench` measures it.
 */
export function applyBound(
  account: AccountShape,
  deletions: readonly DependentCounts[],
  limits: RateLimits,
  latencyMs: number,
  maxAgeSeconds: number = DEFAULT_RECHECK_MAX_AGE_SECONDS,
): Bound {
  const scans = recheckScans(account, deletions.length, limits, maxAgeSeconds);
  const scan = scanCalls(account);
  const calls = [...scan.map((c) => ({ ...c, count: c.count * scans })), ...deletions.flatMap(deletionCalls)];
  const chain = (scans > 0 ? scanChain(account) : 0) + (deletions.length > 0 ? DELETION_CHAIN : 0);
  return { ...bound(calls, chain, limits, latencyMs), recheckScans: scans };
}
