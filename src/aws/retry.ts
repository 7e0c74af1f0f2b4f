import { AdaptiveRetryStrategy, DefaultRateLimiter } from '@smithy/core/retry';
import type { RetryErrorInfo, RetryStrategyV2, RetryToken, StandardRetryBackoffStrategy } from '@smithy/types';
import { isUnreachableEndpointError } from './connection-errors';
import { sleep } from '../util/sleep';

/**
 * How long retries wait, when not the SDK's own timing. Production never sets it: the SDK backs off from 50 ms
 * (1 s when throttled, doubled per retry, full jitter, at most 20 s) and its adaptive rate limiter may slow a
 * throttled client down to 0.5 requests a second. Right against AWS; in a test that throttles 30% of the local
 * endpoint's answers, minutes of waiting. A timing keeps the whole retry path (the SDK's adaptive strategy, its
 * rate limiter, the quota override below) and only shortens its waits.
 */
export interface RetryTiming {
  /** Ceiling of the first retry's delay in ms, for throttling and transient errors alike; doubled per retry, full jitter. */
  readonly baseDelayMs: number;
  /** Upper bound of one retry's delay in ms. */
  readonly maxDelayMs: number;
  /** The slowest the adaptive rate limiter may make a throttled client, in requests per second. */
  readonly minSendRatePerSecond: number;
}

/** Exponential backoff with full jitter: a random wait below min(maxMs, baseMs * 2^retryCount). */
function fullJitterDelayMs(baseMs: number, maxMs: number, retryCount: number): number {
  return Math.floor(Math.random() * Math.min(maxMs, baseMs * 2 ** retryCount));
}

/** The SDK's backoff slot filled with a fixed base: its per-error-type bases (setDelayBase) are ignored. */
class FixedBaseBackoff implements StandardRetryBackoffStrategy {
  constructor(private readonly timing: RetryTiming) {}

  computeNextBackoffDelay(retryCount: number): number {
    return fullJitterDelayMs(this.timing.baseDelayMs, this.timing.maxDelayMs, retryCount);
  }

  setDelayBase(): void {}
}

/** The SDK limiter's own state this subclass reads and seeds (JavaScript fields, private only to TypeScript). */
interface LimiterInternals {
  enabled?: unknown;
  measuredTxRate?: unknown;
}

/** After a throttle has slowed the client down, further throttles within this long only count as answers. */
const ONE_CUT_PER_MS = 500;

/**
 * The SDK's adaptive rate limiter, without two stalls measured at the start of every apply (IAM idle for
 * about 4 s) and of every `enforce` process. The limiter measures the client's send rate in half-second
 * windows and cuts its rate to 0.7 × that on every throttled answer, then climbs back along a cubic
 * curve. (1) A first throttle before a window has closed meets a measured rate of zero, so the client
 * fell to the 0.5 requests-a-second floor: on the first throttle the measured rate is raised to the
 * answers of the last second, the rate the client really sent at. (2) Calls in flight together are
 * throttled together, and five throttles in one burst cut the rate five times (0.7^5: a sixth of it)
 * for what was one overload: the rate is cut at most once per half second (ONE_CUT_PER_MS), like TCP's
 * once per round trip; later throttles in that half second count as answers for the measure. The
 * throttled calls themselves still back off and are retried. Should a later SDK version rename its
 * fields, (1) falls back to the SDK's behaviour.
 */
export class SteadyRateLimiter extends DefaultRateLimiter {
  private readonly answers: number[] = [];
  private lastCutAt = -Infinity;

  override updateClientSendingRate(response: unknown): void {
    // The SDK limiter's own clock.
    const now = Date.now();
    this.answers.push(now);
    while (this.answers.length > 0 && now - this.answers[0]! > 1000) this.answers.shift();
    const throttled = (response as Partial<RetryErrorInfo> | undefined)?.errorType === 'THROTTLING';
    if (!throttled) return super.updateClientSendingRate(response);
    if (now - this.lastCutAt < ONE_CUT_PER_MS) return super.updateClientSendingRate({});
    this.lastCutAt = now;
    const internals = this as unknown as LimiterInternals;
    if (internals.enabled === false && typeof internals.measuredTxRate === 'number') {
      internals.measuredTxRate = Math.max(internals.measuredTxRate, this.answers.length);
    }
    super.updateClientSendingRate(response);
  }
}

/**
 * The SDK's own backoff (a random wait below base × 2^retry, full jitter; base 1 s when throttled, else 50 ms,
 * as the SDK sets it) with a lower ceiling than the SDK's 20 s. For a client without a rate limiter: it finds
 * IAM's limit only by backing off, and ten short-lived processes sharing that limit (Terraform's parallel
 * `enforce`) made one unlucky process wait out a run of doubling throttle delays long after the budget was free.
 */
class CappedBackoff implements StandardRetryBackoffStrategy {
  private baseMs = 50;

  constructor(private readonly maxMs: number) {}

  computeNextBackoffDelay(retryCount: number): number {
    return fullJitterDelayMs(this.baseMs, this.maxMs, retryCount);
  }

  setDelayBase(delayMs: number): void {
    this.baseMs = delayMs;
  }
}

/** The longest a throttled call of a client without a rate limiter waits before its retry (CappedBackoff). */
export const UNLIMITED_CLIENT_MAX_BACKOFF_MS = 4_000;

/** A limiter that never waits: throttled calls still back off and retry (exponential, full jitter). */
const NO_RATE_LIMIT = { getSendToken: async (): Promise<void> => undefined, updateClientSendingRate: (): void => undefined };

/**
 * The SDK's adaptive retry (client-side rate limiting that slows down when throttled), made to
 * keep retrying throttled and transient failures until `maxAttempts` even after the client's retry
 * quota is spent.
 *
 * Why: the SDK stops retrying once a client has spent its retry quota (500 tokens, 5 per throttled
 * retry). Under sustained throttling — IAM throttles account-wide at roughly 15 requests a second —
 * a scan of thousands of keys then fails part-way, and a failed read holds every deletion. The
 * adaptive rate limiter already protects the service from a retry storm; backing off a little
 * longer is the right answer for a batch tool, not giving up.
 *
 * One exception: until the endpoint has answered once (any answer, an error response too), a request that never
 * reached it (connection refused, unknown host, no route, connect timeout) is not retried. A wrong or stopped
 * endpoint then fails in seconds with its own error, not after 20 s of backoff; once the endpoint has answered,
 * connection errors are transient again and retried as before. Throttling retries are unchanged.
 */
export class PersistentAdaptiveRetryStrategy implements RetryStrategyV2 {
  private readonly adaptive: AdaptiveRetryStrategy;
  /** Backoff base for retries the SDK refused (200 ms unless a timing says otherwise); doubled per retry, with full jitter. */
  private readonly baseDelayMs: number;
  private readonly maxDelayMs: number;
  /** The endpoint has answered at least once (see the class comment). */
  private endpointReached = false;

  constructor(
    private readonly maxAttempts: number,
    /** Default: the SDK's own timing. */
    timing?: RetryTiming,
    /** false: no client-side rate limiter, only the back-off of each throttled call (see AwsClientsOptions.adaptiveRateLimit). Default true. */
    adaptiveRateLimit = true,
  ) {
    const rateLimiter = !adaptiveRateLimit
      ? NO_RATE_LIMIT
      : new SteadyRateLimiter(timing ? { minFillRate: timing.minSendRatePerSecond } : undefined);
    const backoff = timing
      ? new FixedBaseBackoff(timing)
      : !adaptiveRateLimit
        ? new CappedBackoff(UNLIMITED_CLIENT_MAX_BACKOFF_MS)
        : undefined;
    this.adaptive = new AdaptiveRetryStrategy(maxAttempts, { maxAttempts, rateLimiter, ...(backoff ? { backoff } : {}) });
    this.baseDelayMs = timing?.baseDelayMs ?? 200;
    // A client without a limiter keeps its cap once the SDK's retry quota is spent too.
    this.maxDelayMs = timing?.maxDelayMs ?? (adaptiveRateLimit ? 10_000 : UNLIMITED_CLIENT_MAX_BACKOFF_MS);
  }

  acquireInitialRetryToken(scope: string): Promise<RetryToken> {
    return this.adaptive.acquireInitialRetryToken(scope);
  }

  async refreshRetryTokenForRetry(token: RetryToken, errorInfo: RetryErrorInfo): Promise<RetryToken> {
    const retryCount = token.getRetryCount() + 1;
    const retryable = errorInfo.errorType === 'THROTTLING' || errorInfo.errorType === 'TRANSIENT';
    if (isUnreachableEndpointError(errorInfo.error)) {
      if (!this.endpointReached) throw errorInfo.error;
    } else if (errorInfo.error === undefined || hasResponse(errorInfo.error)) {
      this.endpointReached = true;
    }
    try {
      return await this.adaptive.refreshRetryTokenForRetry(token as never, errorInfo);
    } catch (refused) {
      // Only the quota refusal is overridden: attempts and non-retryable errors stay refused.
      if (!retryable || retryCount >= this.maxAttempts) throw refused;
    }
    const delayMs = fullJitterDelayMs(this.baseDelayMs, this.maxDelayMs, retryCount);
    await sleep(delayMs);
    return { getRetryCount: () => retryCount, getRetryDelay: () => 0, getRetryCost: () => undefined } as RetryToken;
  }

  recordSuccess(token: RetryToken): void {
    this.endpointReached = true;
    this.adaptive.recordSuccess(token as never);
  }
}

/** An error the server sent (it carries an HTTP status), as opposed to one raised before any answer. */
function hasResponse(error: unknown): boolean {
  return typeof (error as { $metadata?: { httpStatusCode?: unknown } }).$metadata?.httpStatusCode === 'number';
}
