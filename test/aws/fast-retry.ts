import type { RetryTiming } from '../../src/aws/retry';

/**
 * SDK retry timing for tests that throttle the local endpoint: the same retry path (adaptive strategy, rate limiter,
 * quota override), waits of milliseconds instead of the SDK's seconds. Use with `new AwsClients({ retryTiming })`.
 */
export const FAST_SDK_RETRY: RetryTiming = { baseDelayMs: 10, maxDelayMs: 100, minSendRatePerSecond: 50 };
