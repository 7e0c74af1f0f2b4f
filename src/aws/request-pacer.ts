import type { FinalizeRequestMiddleware, HandlerExecutionContext, Pluggable } from '@smithy/types';
import { UsageError } from '../errors';
import { sleep } from '../util/sleep';

/**
 * AWS's default KMS request quotas, requests per second per account and region, for the operations this tool
 * calls. Source: AWS KMS Developer Guide, "Request quotas" (Request quotas for each AWS KMS API operation).
 * Every one is adjustable, so an account may have more (see AwsClientsOptions.kmsRequestQuotas).
 */
export const KMS_DOCUMENTED_REQUEST_QUOTAS: Readonly<Record<string, number>> = {
  DescribeKey: 2000,
  GetKeyPolicy: 1000,
  ListAliases: 500,
  ListGrants: 100,
  ListKeys: 500,
};

/** `quotas`, checked: every rate a positive, finite number of requests per second (else UsageError). */
export function checkRequestQuotas(quotas: Readonly<Record<string, number>>): Readonly<Record<string, number>> {
  for (const [operation, rate] of Object.entries(quotas)) {
    if (typeof rate !== 'number' || !Number.isFinite(rate) || rate <= 0) {
      throw new UsageError(`the request quota of ${operation} must be a positive number of requests per second, not ${String(rate)}`);
    }
  }
  return quotas;
}

/** Time as the pacer sees it; tests inject a fake one. */
export interface PacerClock {
  /** Milliseconds from any fixed origin, never going back. */
  now(): number;
  sleep(ms: number): Promise<void>;
}

const SYSTEM_CLOCK: PacerClock = { now: () => performance.now(), sleep };

/**
 * How much of a one-second burst each bucket holds back, in ms of its rate. AWS's bucket starts when the first
 * request arrives, ours when it is sent; a later request that arrives sooner after the first than it was sent (the
 * latency of the first was higher, or the event loop held it) finds AWS's bucket short by the difference. Holding
 * back 100 ms of burst absorbs that much jitter for the whole run, at a one-time cost of 100 ms per operation and
 * region; the steady rate stays the quota. Measured on the large bench scan (500 keys in each of 4 regions, ListGrants
 * at 100 rps): with the full burst 18-21 throttled ListGrants and 12.5-12.8 s, as without pacing (each throttle slows the
 * whole client); 50 ms held back 3-6 throttles; 100 ms none, 5.5-6.7 s.
 */
export const BURST_HELD_BACK_MS = 100;

/**
 * One operation's token bucket: `rate` tokens a second, holding a one-second burst (less BURST_HELD_BACK_MS) and
 * starting full — the model of AWS's own request-rate buckets. Callers are served in the order they asked; one timer
 * at a time waits for the next token of the oldest caller.
 */
class TokenBucket {
  private readonly burst: number;
  private tokens: number;
  private updatedAt: number;
  private readonly waiting: (() => void)[] = [];
  private draining = false;

  constructor(
    private readonly rate: number,
    private readonly clock: PacerClock,
  ) {
    this.burst = Math.max(1, rate * (1 - BURST_HELD_BACK_MS / 1000));
    this.tokens = this.burst;
    this.updatedAt = clock.now();
  }

  acquire(): Promise<void> {
    if (this.waiting.length === 0 && this.refill() >= 1) {
      this.tokens -= 1;
      return Promise.resolve();
    }
    return new Promise((resolve) => {
      this.waiting.push(resolve);
      if (!this.draining) void this.drain();
    });
  }

  private refill(): number {
    const now = this.clock.now();
    this.tokens = Math.min(this.burst, this.tokens + ((now - this.updatedAt) / 1000) * this.rate);
    this.updatedAt = now;
    return this.tokens;
  }

  private async drain(): Promise<void> {
    this.draining = true;
    while (this.waiting.length > 0) {
      if (this.refill() >= 1) {
        this.tokens -= 1;
        this.waiting.shift()!();
      } else {
        await this.clock.sleep(Math.ceil(((1 - this.tokens) / this.rate) * 1000));
      }
    }
    this.draining = false;
  }
}

/**
 * Client-side pacing of one region's KMS requests: a token bucket per operation at its request quota, so a scan
 * sends at the quota instead of bouncing off it (a throttled request costs a backoff of up to a second, and the
 * adaptive retry then slows every operation of the client). Right against real AWS because the quotas are AWS's
 * documented defaults, shared per account and region: pacing at them never sends more than AWS would accept, and the
 * adaptive retry (still in place) handles a quota that is lower in practice, e.g. another workload using the same one.
 */
export class RequestPacer {
  private readonly buckets = new Map<string, TokenBucket>();

  /** `quotas`: requests per second by operation name ("ListGrants"); operations not named are not paced. */
  constructor(
    private readonly quotas: Readonly<Record<string, number>>,
    private readonly clock: PacerClock = SYSTEM_CLOCK,
  ) {
    checkRequestQuotas(quotas);
  }

  /** Resolves when `operation` may send one request: at once for an operation without a quota. */
  acquire(operation: string): Promise<void> {
    if (!Object.hasOwn(this.quotas, operation)) return Promise.resolve();
    let bucket = this.buckets.get(operation);
    if (!bucket) {
      bucket = new TokenBucket(this.quotas[operation], this.clock);
      this.buckets.set(operation, bucket);
    }
    return bucket.acquire();
  }
}

/** The operation of an SDK command: "ListGrantsCommand" -> "ListGrants". */
export function operationOfCommand(commandName: string): string {
  return commandName.endsWith('Command') ? commandName.slice(0, -'Command'.length) : commandName;
}

export const REQUEST_PACER_MIDDLEWARE_NAME = 'requestPacerMiddleware';

/**
 * The pacer as SDK middleware: each attempt (retries included, so after the retry middleware) takes a token of its
 * operation, and is signed after the wait (before the signing middleware), so the signature's time is the send time.
 */
export function requestPacerPlugin<Input extends object, Output extends object>(pacer: RequestPacer): Pluggable<Input, Output> {
  const middleware: FinalizeRequestMiddleware<Input, Output> = (next, context: HandlerExecutionContext) => async (args) => {
    await pacer.acquire(operationOfCommand(context.commandName ?? ''));
    return next(args);
  };
  return {
    applyToStack: (stack) => {
      stack.addRelativeTo(middleware, {
        name: REQUEST_PACER_MIDDLEWARE_NAME,
        relation: 'before',
        toMiddleware: 'httpSigningMiddleware',
        override: true,
      });
    },
  };
}
