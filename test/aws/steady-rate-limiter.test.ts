import { DefaultRateLimiter } from '@smithy/core/retry';
import { SteadyRateLimiter, PersistentAdaptiveRetryStrategy } from '../../src/aws/retry';

const THROTTLE = { errorType: 'THROTTLING' } as const;

/** Whether getSendToken answers within `ms` of real time (the SDK's limiter sleeps on real timers). */
async function tokenWithin(limiter: { getSendToken(): Promise<void> }, ms: number): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<false>((resolve) => (timer = setTimeout(() => resolve(false), ms)));
  const answered = await Promise.race([limiter.getSendToken().then(() => true as const), late]);
  clearTimeout(timer);
  return answered;
}

describe('SteadyRateLimiter', () => {
  test('GIVEN the SDK limiter throttled at a cold start WHEN the next token is asked THEN the bare limiter stalls and the wrapped one does not', async () => {
    // GIVEN a burst answered at once, the last one throttled (the SDK's measured send rate still zero)
    const bare = new DefaultRateLimiter();
    const seeded = new SteadyRateLimiter();
    for (const limiter of [bare, seeded]) {
      for (let i = 0; i < 20; i++) limiter.updateClientSendingRate({});
      limiter.updateClientSendingRate(THROTTLE);
    }

    // THEN the bare limiter has fallen to its floor (0.5 requests a second: about 2 s per token)
    expect(await tokenWithin(bare, 300)).toBe(false);
    expect(await tokenWithin(seeded, 300)).toBe(true);
  });

  test('GIVEN a cold-start throttle WHEN the seeded limiter is asked for many tokens THEN it still slows down, to about 0.7 × the 21 answers of its last second', async () => {
    const limiter = new SteadyRateLimiter();
    for (let i = 0; i < 20; i++) limiter.updateClientSendingRate({});
    limiter.updateClientSendingRate(THROTTLE);

    // WHEN 15 tokens are taken: the bucket starts empty and refills at 14.7 a second
    const started = Date.now();
    for (let i = 0; i < 15; i++) await limiter.getSendToken();
    const seconds = (Date.now() - started) / 1000;

    // THEN it took about a second: throttled, not unlimited and not at the 0.5 rps floor
    expect(seconds).toBeGreaterThan(0.7);
    expect(seconds).toBeLessThan(1.6);
  });

  test('GIVEN five throttled answers at once WHEN tokens are taken THEN the rate was cut once, not five times (0.7^5)', async () => {
    const limiter = new SteadyRateLimiter();
    for (let i = 0; i < 20; i++) limiter.updateClientSendingRate({});
    for (let i = 0; i < 5; i++) limiter.updateClientSendingRate(THROTTLE);

    // THEN 15 tokens come in about a second (cut once: about 17 a second); cut five times it would be about 4 s
    const fifteen = (async () => {
      for (let i = 0; i < 15; i++) await limiter.getSendToken();
      return true as const;
    })();
    expect(await tokenWithin({ getSendToken: () => fifteen.then(() => undefined) }, 2000)).toBe(true);
  });
});

describe('PersistentAdaptiveRetryStrategy without the adaptive rate limit', () => {
  const SLOW_FLOOR = { baseDelayMs: 1, maxDelayMs: 2, minSendRatePerSecond: 0.5 };

  /** A strategy after `throttles` throttled retries in a row (each backs off 0-2 ms). */
  async function throttled(adaptiveRateLimit: boolean, throttles: number): Promise<PersistentAdaptiveRetryStrategy> {
    const strategy = new PersistentAdaptiveRetryStrategy(throttles + 2, SLOW_FLOOR, adaptiveRateLimit);
    let token = await strategy.acquireInitialRetryToken('iam');
    for (let i = 0; i < throttles; i++) token = await strategy.refreshRetryTokenForRetry(token, THROTTLE as never);
    return strategy;
  }

  test('GIVEN throttled answers WHEN the next calls start THEN with the limiter they wait, without it they go at once', async () => {
    const limited = await throttled(true, 1);
    const unlimited = await throttled(false, 5);
    const twenty = (s: PersistentAdaptiveRetryStrategy) => ({
      getSendToken: async () => {
        for (let i = 0; i < 20; i++) await s.acquireInitialRetryToken('iam');
      },
    });

    expect(await tokenWithin(twenty(limited), 300)).toBe(false);
    expect(await tokenWithin(twenty(unlimited), 300)).toBe(true);
  });
});
