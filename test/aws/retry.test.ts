/**
 * The retry strategy's waits, on a fake clock (no endpoint): the default must stay the SDK's own timing, and a
 * RetryTiming (what the throttling integration tests use) must shorten every wait of the same retry path.
 */
import type { RetryErrorInfo, RetryToken } from '@smithy/types';
import { AwsClients } from '../../src/aws/clients';
import { PersistentAdaptiveRetryStrategy, UNLIMITED_CLIENT_MAX_BACKOFF_MS, type RetryTiming } from '../../src/aws/retry';

const THROTTLED: RetryErrorInfo = { errorType: 'THROTTLING' };
const TIMING: RetryTiming = { baseDelayMs: 20, maxDelayMs: 100, minSendRatePerSecond: 100 };

/** Fake milliseconds until the strategy hands out the token of the next retry after `errorInfo`. */
async function waitBeforeRetry(strategy: PersistentAdaptiveRetryStrategy, token: RetryToken, errorInfo: RetryErrorInfo) {
  const started = Date.now();
  let next: RetryToken | undefined;
  void strategy.refreshRetryTokenForRetry(token, errorInfo).then((t) => (next = t));
  while (!next) await jest.advanceTimersByTimeAsync(1);
  return { next, waitedMs: Date.now() - started };
}

beforeEach(() => {
  jest.useFakeTimers();
  // The largest jitter: every wait is its ceiling.
  jest.spyOn(Math, 'random').mockReturnValue(0.9999);
});

afterEach(() => {
  jest.useRealTimers();
  jest.restoreAllMocks();
});

describe('PersistentAdaptiveRetryStrategy waits', () => {
  test('GIVEN no timing (production) WHEN a throttled call is retried THEN it waits the SDK 1 s throttling backoff, at least', async () => {
    const strategy = new PersistentAdaptiveRetryStrategy(10);
    const token = await strategy.acquireInitialRetryToken('iam');

    const { waitedMs } = await waitBeforeRetry(strategy, token, THROTTLED);

    expect(waitedMs).toBeGreaterThanOrEqual(999);
  });

  test('GIVEN a retry timing WHEN a throttled call is retried twice THEN the waits follow its base, doubled, plus one token', async () => {
    const strategy = new PersistentAdaptiveRetryStrategy(10, TIMING);
    const token = await strategy.acquireInitialRetryToken('iam');

    const first = await waitBeforeRetry(strategy, token, THROTTLED);
    const second = await waitBeforeRetry(strategy, first.next, THROTTLED);

    // Backoff ceiling 20 ms then 40 ms; the rate limiter's floor of 100 requests/s adds at most 10 ms per token.
    expect(first.waitedMs).toBeGreaterThanOrEqual(19);
    expect(first.waitedMs).toBeLessThanOrEqual(30);
    expect(second.waitedMs).toBeGreaterThanOrEqual(39);
    expect(second.waitedMs).toBeLessThanOrEqual(50);
    expect(second.next.getRetryCount()).toBe(2);
  });

  /** The waits before each of `retries` retries of one throttled call. */
  async function throttledWaits(strategy: PersistentAdaptiveRetryStrategy, retries: number): Promise<number[]> {
    let token = await strategy.acquireInitialRetryToken('iam');
    const waits: number[] = [];
    for (let i = 0; i < retries; i++) {
      const { next, waitedMs } = await waitBeforeRetry(strategy, token, THROTTLED);
      waits.push(waitedMs);
      token = next;
    }
    return waits;
  }

  test(`GIVEN a client without a rate limiter (an enforce process) WHEN one call is throttled 6 times THEN the SDK's doubling 1 s backoff stops at ${UNLIMITED_CLIENT_MAX_BACKOFF_MS} ms`, async () => {
    const waits = await throttledWaits(new PersistentAdaptiveRetryStrategy(10, undefined, false), 6);

    // Ceilings 1, 2, 4, 8, 16, 20 s in the SDK; here 1, 2, then the cap.
    expect(waits[0]).toBeGreaterThanOrEqual(999);
    expect(waits[1]).toBeGreaterThanOrEqual(1999);
    for (const wait of waits) expect(wait).toBeLessThanOrEqual(UNLIMITED_CLIENT_MAX_BACKOFF_MS);
    expect(Math.max(...waits)).toBeGreaterThanOrEqual(UNLIMITED_CLIENT_MAX_BACKOFF_MS - 1);
  });

  test(`GIVEN a client without a rate limiter WHEN throttled past the SDK's retry quota (100 throttled retries) THEN every wait stays within ${UNLIMITED_CLIENT_MAX_BACKOFF_MS} ms`, async () => {
    const strategy = new PersistentAdaptiveRetryStrategy(200, undefined, false);
    let token = await strategy.acquireInitialRetryToken('iam');
    let longest = 0;
    for (let i = 0; i < 110; i++) {
      const started = Date.now();
      let next: RetryToken | undefined;
      void strategy.refreshRetryTokenForRetry(token, THROTTLED).then((t) => (next = t));
      while (!next) await jest.advanceTimersByTimeAsync(100);
      longest = Math.max(longest, Date.now() - started);
      token = next;
    }

    expect(token.getRetryCount()).toBe(110);
    expect(longest).toBeGreaterThanOrEqual(UNLIMITED_CLIENT_MAX_BACKOFF_MS - 100);
    expect(longest).toBeLessThanOrEqual(UNLIMITED_CLIENT_MAX_BACKOFF_MS + 100);
  });

  test("GIVEN a client with its rate limiter (apply) WHEN one call is throttled 4 times THEN the backoff is the SDK's own, past that cap", async () => {
    const waits = await throttledWaits(new PersistentAdaptiveRetryStrategy(10), 4);

    expect(waits[3]).toBeGreaterThanOrEqual(7999);
  });

  test('GIVEN a retry timing WHEN the attempts are used up THEN the retry is still refused', async () => {
    const strategy = new PersistentAdaptiveRetryStrategy(2, TIMING);
    const token = await strategy.acquireInitialRetryToken('iam');
    const { next } = await waitBeforeRetry(strategy, token, THROTTLED);

    await expect(strategy.refreshRetryTokenForRetry(next, THROTTLED)).rejects.toThrow();
  });
});

describe('AwsClients retry timing', () => {
  test('GIVEN AwsClients with a retry timing WHEN a strategy is made THEN it carries the timing', async () => {
    const clients = new AwsClients({ region: 'us-east-1', retryTiming: TIMING });
    try {
      const strategy = clients.retryStrategy();
      const token = await strategy.acquireInitialRetryToken('iam');

      const { waitedMs } = await waitBeforeRetry(strategy, token, THROTTLED);

      expect(waitedMs).toBeLessThanOrEqual(30);
    } finally {
      clients.destroy();
    }
  });
});
