/**
 * The KMS request pacer on a fake clock (no endpoint): at most the quota in any second (the first included), first come first served,
 * one window per operation, and its place in each KMS client's middleware stack.
 */
import { AwsClients } from '../../src/aws/clients';
import {
  checkRequestQuotas,
  KMS_DOCUMENTED_REQUEST_QUOTAS,
  operationOfCommand,
  REQUEST_PACER_MIDDLEWARE_NAME,
  RequestPacer,
  type PacerClock,
  WINDOW_MARGIN_MS,
} from '../../src/aws/request-pacer';
import { UsageError } from '../../src/errors';

/** A clock that moves only when told to, firing the pacer's sleeps in time order. */
class FakeClock implements PacerClock {
  private ms = 0;
  private timers: { readonly at: number; readonly wake: () => void }[] = [];

  now(): number {
    return this.ms;
  }

  sleep(ms: number): Promise<void> {
    return new Promise((wake) => this.timers.push({ at: this.ms + ms, wake }));
  }

  /** Moves the time to `ms` without firing any sleep (a timer that has not run yet). */
  jumpTo(ms: number): void {
    this.ms = ms;
  }

  /** Moves the time to `ms`, firing every sleep due by then, each at its own time. */
  async runUntil(ms: number): Promise<void> {
    await settle();
    for (;;) {
      const due = this.timers.filter((t) => t.at <= ms).sort((a, b) => a.at - b.at)[0];
      if (!due) break;
      this.timers = this.timers.filter((t) => t !== due);
      this.ms = Math.max(this.ms, due.at);
      due.wake();
      await settle();
    }
    this.ms = ms;
    await settle();
  }
}

const settle = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

/** Asks the pacer for `operation` once per label, in order, and records when (fake ms) and in which order each got its token. */
function ask(pacer: RequestPacer, clock: FakeClock, operation: string, labels: readonly string[], served: { label: string; at: number }[]) {
  for (const label of labels) void pacer.acquire(operation).then(() => served.push({ label, at: clock.now() }));
}

const labels = (prefix: string, n: number): string[] => Array.from({ length: n }, (_, i) => `${prefix}${i}`);

describe('RequestPacer', () => {
  test('GIVEN a quota of 10 rps WHEN 25 requests ask at once THEN 10 go at once and each next 10 one window (a second and the margin) later', async () => {
    const rate = 10;
    const clock = new FakeClock();
    const pacer = new RequestPacer({ ListGrants: rate }, clock);
    const served: { label: string; at: number }[] = [];

    ask(pacer, clock, 'ListGrants', labels('r', 25), served);
    await clock.runUntil(5_000);

    const windowMs = 1000 + WINDOW_MARGIN_MS;
    expect(served.map((s) => s.at)).toEqual(Array.from({ length: 25 }, (_, i) => Math.floor(i / rate) * windowMs));
  });

  test('GIVEN a quota WHEN requests keep coming THEN no second, the first included, holds more than the quota, and the steady rate is the quota less the margin', async () => {
    const rate = 50;
    const clock = new FakeClock();
    const pacer = new RequestPacer({ GetKeyPolicy: rate }, clock);
    const served: { label: string; at: number }[] = [];

    ask(pacer, clock, 'GetKeyPolicy', labels('r', 300), served);
    await clock.runUntil(10_000);

    expect(served).toHaveLength(300);
    for (let from = 0; from <= 6_000; from += 25) {
      const inWindow = served.filter((s) => s.at >= from && s.at < from + 1000).length;
      expect(inWindow).toBeLessThanOrEqual(rate);
    }
    // A token bucket with a full burst would have sent 2 × rate within the first second.
    expect(served.filter((s) => s.at < 1000)).toHaveLength(rate);
    expect(served[served.length - 1]!.at).toBe((300 / rate - 1) * (1000 + WINDOW_MARGIN_MS));
  });

  test('GIVEN a quota below one request a second WHEN three ask THEN one goes per 1 / rate seconds', async () => {
    const clock = new FakeClock();
    const pacer = new RequestPacer({ ListGrants: 0.5 }, clock);
    const served: { label: string; at: number }[] = [];

    ask(pacer, clock, 'ListGrants', labels('r', 3), served);
    await clock.runUntil(10_000);

    expect(served.map((s) => s.at)).toEqual([0, 2000 + WINDOW_MARGIN_MS, 2 * (2000 + WINDOW_MARGIN_MS)]);
  });

  test('GIVEN requests waiting WHEN a token comes free before the waiting timer runs and a new request asks THEN the waiting ones go first', async () => {
    const clock = new FakeClock();
    const pacer = new RequestPacer({ ListGrants: 1 }, clock);
    const served: { label: string; at: number }[] = [];
    ask(pacer, clock, 'ListGrants', ['first', 'second', 'third'], served);
    await clock.runUntil(0);

    clock.jumpTo(1_500);
    ask(pacer, clock, 'ListGrants', ['late'], served);
    await clock.runUntil(10_000);

    expect(served.map((s) => s.label)).toEqual(['first', 'second', 'third', 'late']);
  });

  test('GIVEN one operation out of tokens WHEN another operation and an unpaced one ask THEN they go at once', async () => {
    const clock = new FakeClock();
    const pacer = new RequestPacer({ ListGrants: 1, GetKeyPolicy: 5 }, clock);
    const served: { label: string; at: number }[] = [];
    ask(pacer, clock, 'ListGrants', labels('grants', 5), served);
    await clock.runUntil(0);

    ask(pacer, clock, 'GetKeyPolicy', labels('policy', 4), served);
    ask(pacer, clock, 'CreateGrant', ['unpaced'], served);
    await clock.runUntil(0);

    const atZero = served.filter((s) => s.at === 0).map((s) => s.label);
    expect(atZero).toEqual(['grants0', 'policy0', 'policy1', 'policy2', 'policy3', 'unpaced']);
    await clock.runUntil(10_000);
    expect(served.filter((s) => s.label.startsWith('grants')).map((s) => s.at)).toEqual(
      [0, 1, 2, 3, 4].map((i) => i * (1000 + WINDOW_MARGIN_MS)),
    );
  });
});

describe('request quotas', () => {
  test('GIVEN the documented table THEN it holds the five operations the scan and the plan call, at their documented rates', () => {
    expect(KMS_DOCUMENTED_REQUEST_QUOTAS).toEqual({
      DescribeKey: 2000,
      GetKeyPolicy: 1000,
      ListAliases: 500,
      ListGrants: 100,
      ListKeys: 500,
    });
  });

  test.each([0, -1, Number.NaN, Number.POSITIVE_INFINITY])('GIVEN a quota of %p WHEN checked THEN it is a UsageError', (rate) => {
    expect(() => checkRequestQuotas({ ListGrants: rate })).toThrow(UsageError);
    expect(() => new AwsClients({ region: 'us-east-1', kmsRequestQuotas: { ListGrants: rate } })).toThrow(UsageError);
  });

  test('GIVEN SDK command names WHEN mapped THEN they are the operations of the quota table', () => {
    expect(operationOfCommand('ListGrantsCommand')).toBe('ListGrants');
    expect(operationOfCommand('GetKeyPolicyCommand')).toBe('GetKeyPolicy');
    expect(operationOfCommand('')).toBe('');
  });
});

describe('AwsClients KMS pacing', () => {
  const stackOf = (clients: AwsClients): string[] => clients.kms('eu-west-1').middlewareStack.identify();
  const position = (stack: string[], name: string): number => stack.findIndex((entry) => entry.startsWith(name));

  test('GIVEN the default options WHEN a KMS client is made THEN each attempt is paced after the retry and before signing', () => {
    const clients = new AwsClients({ region: 'us-east-1' });
    const stack = stackOf(clients);
    clients.destroy();

    const pacer = position(stack, REQUEST_PACER_MIDDLEWARE_NAME);
    expect(pacer).toBeGreaterThan(position(stack, 'retryMiddleware'));
    expect(position(stack, 'retryMiddleware')).toBeGreaterThanOrEqual(0);
    expect(position(stack, 'httpSigningMiddleware')).toBe(pacer + 1);
  });

  test("GIVEN kmsRequestQuotas 'off' WHEN a KMS client is made THEN nothing paces it", () => {
    const clients = new AwsClients({ region: 'us-east-1', kmsRequestQuotas: 'off' });
    const stack = stackOf(clients);
    clients.destroy();

    expect(position(stack, REQUEST_PACER_MIDDLEWARE_NAME)).toBe(-1);
    expect(position(stack, 'retryMiddleware')).toBeGreaterThanOrEqual(0);
  });
});
