import { AdaptiveRetryStrategy } from '@smithy/core/retry';
import type { RetryErrorInfo, RetryStrategyV2, RetryToken } from '@smithy/types';

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
 */
export class PersistentAdaptiveRetryStrategy implements RetryStrategyV2 {
  private readonly adaptive: AdaptiveRetryStrategy;

  constructor(
    private readonly maxAttempts: number,
    /** Backoff base for retries the SDK refused; doubled per retry, with full jitter. */
    private readonly baseDelayMs = 200,
    private readonly maxDelayMs = 10_000,
  ) {
    this.adaptive = new AdaptiveRetryStrategy(maxAttempts);
  }

  acquireInitialRetryToken(scope: string): Promise<RetryToken> {
    return this.adaptive.acquireInitialRetryToken(scope);
  }

  async refreshRetryTokenForRetry(token: RetryToken, errorInfo: RetryErrorInfo): Promise<RetryToken> {
    const retryCount = token.getRetryCount() + 1;
    const retryable = errorInfo.errorType === 'THROTTLING' || errorInfo.errorType === 'TRANSIENT';
    try {
      return await this.adaptive.refreshRetryTokenForRetry(token as never, errorInfo);
    } catch (refused) {
      // Only the quota refusal is overridden: attempts and non-retryable errors stay refused.
      if (!retryable || retryCount >= this.maxAttempts) throw refused;
    }
    const ceiling = Math.min(this.maxDelayMs, this.baseDelayMs * 2 ** retryCount);
    await new Promise((resolve) => setTimeout(resolve, Math.random() * ceiling));
    return { getRetryCount: () => retryCount, getRetryDelay: () => 0, getRetryCost: () => undefined } as RetryToken;
  }

  recordSuccess(token: RetryToken): void {
    this.adaptive.recordSuccess(token as never);
  }
}
