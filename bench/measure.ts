/** Measuring one phase: API calls seen by the endpoint, wall time, peak memory of this process. */
import type { LocalEndpoint } from '../src/endpoint/api';

export interface PhaseMeasurement {
  readonly name: string;
  readonly wallMs: number;
  /** Calls per "service:Operation" as the endpoint counted them (every attempt, throttled ones included). */
  readonly calls: Readonly<Record<string, number>>;
  readonly totalCalls: number;
  /** Calls the endpoint answered with a throttling error. */
  readonly throttled: number;
  /** Calls the endpoint answered with any error (throttling included). */
  readonly errors: number;
  readonly mutatingCalls: number;
  /** Peak resident set size of the whole process (the endpoint runs in it too), MiB. */
  readonly peakRssMiB: number;
  /** Peak V8 heap used, MiB. */
  readonly peakHeapMiB: number;
}

const THROTTLING_CODES = new Set(['Throttling', 'ThrottlingException', 'TooManyRequestsException']);
const MIB = 1024 * 1024;

/**
 * Counts the endpoint's calls for one phase. The endpoint keeps a bounded request log, so long
 * phases call `flush()` now and then: it folds counters and log into the totals and resets both.
 */
export class PhaseMeter {
  private readonly calls: Record<string, number> = {};
  private throttled = 0;
  private errors = 0;
  private mutating = 0;
  private peakRss = 0;
  private peakHeap = 0;
  private readonly timer: NodeJS.Timeout;
  private readonly started = process.hrtime.bigint();

  constructor(
    readonly name: string,
    private readonly endpoint: LocalEndpoint,
  ) {
    endpoint.resetCounters();
    this.sample();
    this.timer = setInterval(() => this.sample(), 20);
    this.timer.unref();
  }

  private sample(): void {
    const m = process.memoryUsage();
    this.peakRss = Math.max(this.peakRss, m.rss);
    this.peakHeap = Math.max(this.peakHeap, m.heapUsed);
  }

  flush(): void {
    for (const [op, n] of Object.entries(this.endpoint.counters())) this.calls[op] = (this.calls[op] ?? 0) + n;
    for (const entry of this.endpoint.requestLog()) {
      if (entry.errorCode !== undefined) this.errors++;
      if (entry.errorCode !== undefined && THROTTLING_CODES.has(entry.errorCode)) this.throttled++;
      if (entry.mutating) this.mutating++;
    }
    this.endpoint.resetCounters();
    this.sample();
  }

  finish(): PhaseMeasurement {
    const wallMs = Number(process.hrtime.bigint() - this.started) / 1e6;
    this.flush();
    clearInterval(this.timer);
    const calls = Object.fromEntries(Object.entries(this.calls).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
    return {
      name: this.name,
      wallMs,
      calls,
      totalCalls: Object.values(calls).reduce((a, b) => a + b, 0),
      throttled: this.throttled,
      errors: this.errors,
      mutatingCalls: this.mutating,
      peakRssMiB: this.peakRss / MIB,
      peakHeapMiB: this.peakHeap / MIB,
    };
  }
}

/** Runs `work` as one measured phase. */
export async function measure<T>(
  name: string,
  endpoint: LocalEndpoint,
  work: (meter: PhaseMeter) => Promise<T>,
): Promise<{ result: T; phase: PhaseMeasurement }> {
  const meter = new PhaseMeter(name, endpoint);
  try {
    const result = await work(meter);
    return { result, phase: meter.finish() };
  } catch (err) {
    meter.finish();
    throw err;
  }
}
