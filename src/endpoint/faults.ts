import type { FaultControls } from './api';
import { ServiceError } from './errors';
import { Prng } from './prng';

export type ServiceName = 'iam' | 'sts' | 'kms' | 'account';

/** One incoming call as the fault layer sees it. */
export interface CallDescriptor {
  readonly service: ServiceName;
  readonly operation: string;
  readonly region: string;
  readonly mutating: boolean;
  readonly callerArn: string;
  /** KMS: the KeyId named in the request, if any. */
  readonly keyId?: string;
}

/** HTTP statuses of the error codes a fault may inject (from the SDK models and the common-error docs). */
const STATUS_BY_CODE: Readonly<Record<string, number>> = {
  Throttling: 400,
  ThrottlingException: 400,
  TooManyRequestsException: 429,
  AccessDenied: 403,
  NoSuchEntity: 404,
  DeleteConflict: 409,
  EntityAlreadyExists: 409,
  EntityTemporarilyUnmodifiable: 409,
  ConcurrentModification: 409,
  LimitExceeded: 409,
  ReportNotPresent: 410,
  ReportExpired: 410,
  ReportInProgress: 404,
  InvalidClientTokenId: 403,
  ServiceFailure: 500,
  InternalFailure: 500,
  ServiceUnavailable: 503,
  KMSInternalException: 500,
  DependencyTimeoutException: 503,
  InternalServerException: 500,
};

function defaultFailureCode(service: ServiceName): string {
  if (service === 'kms') return 'KMSInternalException';
  if (service === 'account') return 'InternalServerException';
  return 'ServiceFailure';
}

export function injectedError(service: ServiceName, code: string, message = 'Injected fault'): ServiceError {
  const status = code === 'AccessDeniedException' ? (service === 'kms' ? 400 : 403) : (STATUS_BY_CODE[code] ?? 400);
  return new ServiceError(code, message, status, status >= 500 ? 'Receiver' : 'Sender');
}

export function throttlingError(service: ServiceName): ServiceError {
  if (service === 'kms') return new ServiceError('ThrottlingException', 'Rate exceeded', 400);
  if (service === 'account') return new ServiceError('TooManyRequestsException', 'Rate exceeded', 429);
  return new ServiceError('Throttling', 'Rate exceeded', 400);
}

export function accessDeniedError(call: CallDescriptor, why: string): ServiceError {
  const action = `${call.service}:${call.operation}`;
  const message = `User: ${call.callerArn} is not authorized to perform: ${action} ${why}`;
  if (call.service === 'kms') return new ServiceError('AccessDeniedException', message, 400);
  if (call.service === 'account') return new ServiceError('AccessDeniedException', message, 403);
  return new ServiceError('AccessDenied', message, 403);
}

interface TokenBucket {
  readonly rate: number;
  readonly burst: number;
  tokens: number;
  updatedAt: number;
}

interface CountdownFault {
  readonly operation: string;
  remaining: number;
  readonly code?: string;
}

/** Does a fault key ("iam:ListUsers", "iam:*", "*") apply to this call? */
function matches(pattern: string, call: CallDescriptor): boolean {
  return pattern === '*' || pattern === `${call.service}:*` || pattern === `${call.service}:${call.operation}`;
}

function keyMatches(denied: string, keyId: string): boolean {
  if (denied === keyId) return true;
  const tail = (ref: string) => (ref.includes(':key/') ? ref.slice(ref.indexOf(':key/') + 5) : ref);
  return tail(denied) === tail(keyId);
}

/**
 * Injected faults and limits of the local endpoint. `check` decides, per call, whether it
 * fails and how; `latencyMs` how long to hold the answer. Everything is cleared by `clear()`.
 */
export class Faults implements FaultControls {
  private readonly latency = new Map<string, number>();
  private readonly rateLimits = new Map<string, { rate: number; burst: number }>();
  private readonly buckets = new Map<string, TokenBucket>();
  private throttleFraction = 0;
  private throttlePrng = new Prng(1);
  private countdowns: CountdownFault[] = [];
  private readonly always = new Map<string, string | undefined>();
  private readonly deniedKeys = new Set<string>();
  private readonly deniedRegions = new Set<string>();
  private readOnly = false;
  private allowed: ReadonlySet<string> | null = null;

  constructor(private readonly clock: () => number = () => Date.now()) {}

  setLatency(operation: string, ms: number): void {
    this.latency.set(operation, ms);
  }

  setRateLimit(operation: string, ratePerSecond: number, burst?: number): void {
    this.rateLimits.set(operation, { rate: ratePerSecond, burst: burst ?? Math.max(1, ratePerSecond) });
    for (const key of [...this.buckets.keys()]) if (key.startsWith(`${operation}|`)) this.buckets.delete(key);
  }

  setThrottleFraction(fraction: number, seed = 1): void {
    this.throttleFraction = Math.min(1, Math.max(0, fraction));
    this.throttlePrng = new Prng(seed);
  }

  failNth(operation: string, n: number, code?: string): void {
    this.countdowns.push({ operation, remaining: n, code });
  }

  failAlways(operation: string, code?: string): void {
    this.always.set(operation, code);
  }

  denyKey(keyIdOrArn: string): void {
    this.deniedKeys.add(keyIdOrArn);
  }

  denyRegion(region: string): void {
    this.deniedRegions.add(region);
  }

  setReadOnly(readOnly: boolean): void {
    this.readOnly = readOnly;
  }

  allowOnly(actions: readonly string[] | null): void {
    this.allowed = actions === null ? null : new Set(actions);
  }

  clear(): void {
    this.latency.clear();
    this.rateLimits.clear();
    this.buckets.clear();
    this.throttleFraction = 0;
    this.throttlePrng = new Prng(1);
    this.countdowns = [];
    this.always.clear();
    this.deniedKeys.clear();
    this.deniedRegions.clear();
    this.readOnly = false;
    this.allowed = null;
  }

  latencyMs(call: CallDescriptor): number {
    return this.latency.get(`${call.service}:${call.operation}`) ?? this.latency.get(`${call.service}:*`) ?? this.latency.get('*') ?? 0;
  }

  /** The error this call must answer with, or undefined to let the service handle it. */
  check(call: CallDescriptor): ServiceError | undefined {
    for (const [pattern, code] of this.always) {
      if (matches(pattern, call)) return injectedError(call.service, code ?? defaultFailureCode(call.service));
    }
    for (const fault of this.countdowns) {
      if (!matches(fault.operation, call)) continue;
      fault.remaining--;
      if (fault.remaining === 0) {
        this.countdowns = this.countdowns.filter((f) => f !== fault);
        return injectedError(call.service, fault.code ?? defaultFailureCode(call.service));
      }
    }
    if (this.takeTokens(call)) return throttlingError(call.service);
    if (this.throttleFraction > 0 && this.throttlePrng.next() < this.throttleFraction) return throttlingError(call.service);
    if (call.service === 'kms') {
      if (this.deniedRegions.has(call.region)) return accessDeniedError(call, 'because access to this region is denied');
      if (call.keyId !== undefined) {
        for (const denied of this.deniedKeys) {
          if (keyMatches(denied, call.keyId))
            return accessDeniedError(call, `on resource: ${call.keyId} because no resource-based policy allows it`);
        }
      }
    }
    if (this.allowed && !this.allowed.has(`${call.service}:${call.operation}`)) {
      return accessDeniedError(call, `because no identity-based policy allows the ${call.service}:${call.operation} action`);
    }
    if (this.readOnly && call.mutating) {
      return accessDeniedError(call, `because no identity-based policy allows the ${call.service}:${call.operation} action`);
    }
    return undefined;
  }

  /** Takes one token from every bucket that applies; true when any of them was empty (throttle). */
  private takeTokens(call: CallDescriptor): boolean {
    if (this.rateLimits.size === 0) return false;
    const now = this.clock();
    let throttled = false;
    for (const [pattern, limit] of this.rateLimits) {
      if (!matches(pattern, call)) continue;
      // KMS quotas are per region; IAM and STS are global.
      const bucketKey = `${pattern}|${call.service === 'kms' ? call.region : 'global'}`;
      let bucket = this.buckets.get(bucketKey);
      if (!bucket) {
        bucket = { rate: limit.rate, burst: limit.burst, tokens: limit.burst, updatedAt: now };
        this.buckets.set(bucketKey, bucket);
      }
      bucket.tokens = Math.min(bucket.burst, bucket.tokens + ((now - bucket.updatedAt) / 1000) * bucket.rate);
      bucket.updatedAt = now;
      if (bucket.tokens >= 1) bucket.tokens -= 1;
      else throttled = true;
    }
    return throttled;
  }
}
