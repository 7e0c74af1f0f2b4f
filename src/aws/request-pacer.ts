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
 * How much longer than a second each operation's window is, in ms. AWS counts an operation's requests per second
 * ("if users in your account submit 1000 DescribeKey requests in a second, AWS KMS throttles all subsequent
 * DescribeKey requests in that second", AWS KMS Developer Guide, "Throttling AWS KMS requests"), from when a request
 * arrives; ours count from when it is sent. A request sent one window after an earlier one can arrive less than a
 * second after it when its latency is lower (or the event loop held the earlier one): the margin absorbs that much
 * jitter, at the cost of sending at 1000 / (1000 + margin) of the quota.
 */
export const WINDOW_MARGIN_MS = 50;

/**
 * One operation's sends: at most `limit` in any window of `windowMs` (the quota's requests in one second, plus
 * WINDOW_MARGIN_MS). A token bucket holding a one-second burst would send up to twice the quota within the first
 * second, which a service counting per second throttles; a window sends the quota at once, then each request one
 * window after the one it replaces, which a token bucket of the same quota (AWS's other model) also accepts.
 * Callers are served in the order they asked; one timer at a time waits for the oldest send to leave the window.
 */
class SendWindow {
  private readonly limit: number;
  private readonly windowMs: number;
  /** Send times still inside the window, oldest first. */
  private readonly sentAt: number[] = [];
  private readonly waiting: (() => void)[] = [];
  private draining = false;

  constructor(
    rate: number,
    private readonly clock: PacerClock,
  ) {
    // A quota below one request a second: one request per 1 / rate seconds.
    this.limit = Math.max(1, Math.floor(rate));
    this.windowMs = (this.limit / rate) * 1000 + WINDOW_MARGIN_MS;
  }

  acquire(): Promise<void> {
    if (this.waiting.length === 0 && this.take()) return Promise.resolve();
    return new Promise((resolve) => {
      this.waiting.push(resolve);
      if (!this.draining) void this.drain();
    });
  }

  private take(): boolean {
    const now = this.clock.now();
    while (this.sentAt.length > 0 && now - this.sentAt[0]! >= this.windowMs) this.sentAt.shift();
    if (this.sentAt.length >= this.limit) return false;
    this.sentAt.push(now);
    return true;
  }

  private async drain(): Promise<void> {
    this.draining = true;
    while (this.waiting.length > 0) {
      if (this.take()) this.waiting.shift()!();
      else await this.clock.sleep(Math.max(1, Math.ceil(this.sentAt[0]! + this.windowMs - this.clock.now())));
    }
    this.draining = false;
  }
}

/**
 * Client-side pacing of one region's KMS requests: a send window per operation at its request quota, so a scan
 * sends at the quota instead of bouncing off it (a throttled request costs a backoff of up to a second, and the
 * adaptive retry then slows every operation of the client). Right against real AWS because the quotas are AWS's
 * documented defaults, shared per account and region: pacing at them never sends more than AWS would accept, and the
 * adaptive retry (still in place) handles a quota that is lower in practice, e.g. another workload using the same one.
 */
export class RequestPacer {
  private readonly windows = new Map<string, SendWindow>();

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
    let window = this.windows.get(operation);
    if (!window) {
      window = new SendWindow(this.quotas[operation]!, this.clock);
      this.windows.set(operation, window);
    }
    return window.acquire();
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
