/**
 * A request that never reached the endpoint is not retried until the endpoint has answered once; throttling and
 * errors after a first answer keep the persistent retries. Fake clock, no endpoint.
 */
import type { RetryErrorInfo } from '@smithy/types';
import { isUnreachableEndpointError } from '../../src/aws/connection-errors';
import { PersistentAdaptiveRetryStrategy } from '../../src/aws/retry';

const TIMING = { baseDelayMs: 5, maxDelayMs: 10, minSendRatePerSecond: 1000 };

function connectionError(code: string): RetryErrorInfo {
  return { errorType: 'TRANSIENT', error: Object.assign(new Error(`connect ${code} 127.0.0.1:9`), { code, $metadata: {} }) as never };
}

const throttled: RetryErrorInfo = {
  errorType: 'THROTTLING',
  error: Object.assign(new Error('Rate exceeded'), { name: 'Throttling', $metadata: { httpStatusCode: 400 } }) as never,
};

describe('isUnreachableEndpointError', () => {
  const codes = ['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'EHOSTUNREACH', 'ENETUNREACH'];
  it.each(codes)('GIVEN %s WHEN classified THEN unreachable', (code) => {
    expect(isUnreachableEndpointError(Object.assign(new Error(code), { code }))).toBe(true);
  });

  it('GIVEN the HTTP handler connect timeout WHEN classified THEN unreachable; a reset or a socket timeout is not', () => {
    const connectTimeout = Object.assign(new Error('the request socket did not establish a connection with the server within 5000 ms.'), {
      name: 'TimeoutError',
    });
    expect(isUnreachableEndpointError(connectTimeout)).toBe(true);
    expect(isUnreachableEndpointError(Object.assign(new Error('socket hang up'), { code: 'ECONNRESET' }))).toBe(false);
    expect(isUnreachableEndpointError(Object.assign(new Error('timed out'), { name: 'TimeoutError' }))).toBe(false);
    expect(isUnreachableEndpointError(undefined)).toBe(false);
  });
});

describe('PersistentAdaptiveRetryStrategy and unreachable endpoints', () => {
  it('GIVEN a client that never reached its endpoint WHEN the connection is refused THEN no retry: the error is thrown', async () => {
    const strategy = new PersistentAdaptiveRetryStrategy(10, TIMING);
    const token = await strategy.acquireInitialRetryToken('sts');
    const refused = connectionError('ECONNREFUSED');

    await expect(strategy.refreshRetryTokenForRetry(token, refused)).rejects.toBe(refused.error);
  });

  it('GIVEN a client whose endpoint answered once WHEN a connection is refused THEN it is retried as a transient error', async () => {
    const strategy = new PersistentAdaptiveRetryStrategy(10, TIMING);
    const first = await strategy.acquireInitialRetryToken('iam');
    strategy.recordSuccess(first);
    const token = await strategy.acquireInitialRetryToken('iam');

    const next = await strategy.refreshRetryTokenForRetry(token, connectionError('ECONNREFUSED'));

    expect(next.getRetryCount()).toBe(1);
  });

  it('GIVEN a throttled first answer WHEN later refused THEN retried (the endpoint answered); throttling itself is retried', async () => {
    const strategy = new PersistentAdaptiveRetryStrategy(10, TIMING);
    const token = await strategy.acquireInitialRetryToken('iam');

    const afterThrottle = await strategy.refreshRetryTokenForRetry(token, throttled);
    const afterRefusal = await strategy.refreshRetryTokenForRetry(afterThrottle, connectionError('ECONNREFUSED'));

    expect(afterRefusal.getRetryCount()).toBe(2);
  });
});
