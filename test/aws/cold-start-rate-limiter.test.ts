import { DefaultRateLimiter } from '@smithy/core/retry';
import { ColdStartRateLimiter } from '../../src/aws/retry';

const THROTTLE = { errorType: 'THROTTLING' } as const;

/** Whether getSendToken answers within `ms` of real time (the SDK's limiter sleeps on real timers). */
async function tokenWithin(limiter: { getSendToken(): Promise<void> }, ms: number): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<false>((resolve) => (timer = setTimeout(() => resolve(false), ms)));
  const answered = await Promise.race([limiter.getSendToken().then(() => true as const), late]);
  clearTimeout(timer);
  return answered;
}

describe('ColdStartRateLimiter', () => {
  test('GIVEN a throttle within the first second after the first answer WHEN the limiter is told THEN the wrapped limiter sees an ordinary answer', () => {
    let now = 10_000;
    const seen: unknown[] = [];
    const limiter = new ColdStartRateLimiter(
      { getSendToken: async () => undefined, updateClientSendingRate: (r) => seen.push(r) },
      () => now,
    );

    limiter.updateClientSendingRate({});
    now += 999;
    limiter.updateClientSendingRate(THROTTLE);
    now += 1;
    limiter.updateClientSendingRate(THROTTLE);

    expect(seen).toEqual([{}, {}, THROTTLE]);
  });

  test('GIVEN the SDK limiter throttled at a cold start WHEN the next token is asked THEN the bare limiter stalls and the wrapped one does not', async () => {
    // GIVEN a burst answered at once, the last one throttled (measured send rate still zero)
    const bare = new DefaultRateLimiter();
    const wrapped = new ColdStartRateLimiter(new DefaultRateLimiter());
    for (const limiter of [bare, wrapped]) {
      for (let i = 0; i < 20; i++) limiter.updateClientSendingRate({});
      limiter.updateClientSendingRate(THROTTLE);
    }

    // THEN the bare limiter has fallen to its floor (0.5 requests a second: about 2 s per token)
    expect(await tokenWithin(bare, 300)).toBe(false);
    expect(await tokenWithin(wrapped, 300)).toBe(true);
  });
});
