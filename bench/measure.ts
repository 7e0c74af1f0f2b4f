/** Measuring one phase: API calls seen by the endpoint, wall time, peak memory of the tool's process and of the endpoint's. */
import type { BenchEndpoint, EndpointCounts } from './bench-endpoint';

export interface PhaseMeasurement {
  readonly name: string;
  readonly wallMs: number;
  /** Calls per "service:Operation" as the endpoint counted them (every attempt, throttled ones included). */
  readonly calls: Readonly<Record<string, number>>;
  readonly totalCalls: number;
  /** Calls the endpoint answered with a throttling error. */
  readonly throttled: number;
  /**
   * Throttled calls per "service:Operation" (included in `calls`): `calls` minus these are the calls that were
   * answered, which do not depend on timing.
   */
  readonly throttledCalls: Readonly<Record<string, number>>;
  /** Calls the endpoint answered with any error (throttling included). */
  readonly errors: number;
  readonly mutatingCalls: number;
  /**
   * Peak resident set size of tool and endpoint, MiB, comparable with the figure of reports made when the
   * endpoint always ran in the tool's process (then: that one process's peak). With the endpoint in its own
   * process it is the sum of the two processes' peaks in the phase: an upper bound of the old single-process
   * figure (the two peaks need not coincide, and each process carries node's own baseline).
   */
  readonly peakRssMiB: number;
  /** Peak V8 heap used of tool and endpoint, MiB (the sum of the two processes' peaks, as peakRssMiB). */
  readonly peakHeapMiB: number;
  /** Peak RSS of the tool's process alone, MiB (with --in-process-endpoint the endpoint is in it too). */
  readonly toolPeakRssMiB: number;
  /** Peak V8 heap used of the tool's process alone, MiB (with --in-process-endpoint the endpoint's too). */
  readonly toolPeakHeapMiB: number;
  /** Peak RSS of the endpoint's process, MiB; null when the endpoint ran in the tool's process. */
  readonly endpointPeakRssMiB: number | null;
  /** Peak V8 heap used of the endpoint's process, MiB; null when the endpoint ran in the tool's process. */
  readonly endpointPeakHeapMiB: number | null;
  /**
   * CPU time of the tool's process in the phase, ms (user + system, every thread: JIT and GC threads count); null
   * when the phase's work ran in child processes (the Terraform path's init and apply), whose CPU it would not see.
   * Beside the wall time it says whether the phase waited on the rate limits or on the processor.
   */
  readonly toolCpuMs: number | null;
  /** CPU time of the endpoint's process in the phase, ms; null when the endpoint ran in the tool's process (then in toolCpuMs). */
  readonly endpointCpuMs: number | null;
}

/** CPU time (user + system) this process has used since `since`, in ms. */
export function cpuMsSince(since: NodeJS.CpuUsage): number {
  const used = process.cpuUsage(since);
  return (used.user + used.system) / 1000;
}

/** Whose CPU a measured phase can see: the work in this process, or in child processes it waits for. */
export interface MeasureOptions {
  /** The phase's work runs in child processes (terraform, enforce): the tool's CPU is not measured. Default false. */
  readonly workInChildProcesses?: boolean;
}

/** Peak resident set size and V8 heap used of a process, in bytes. */
export interface MemoryPeak {
  readonly rssBytes: number;
  readonly heapUsedBytes: number;
}

const THROTTLING_CODES = new Set(['Throttling', 'ThrottlingException', 'TooManyRequestsException']);
const MIB = 1024 * 1024;
const SAMPLE_INTERVAL_MS = 20;

/** This process's peak memory, sampled every 20 ms from creation or the last restart() (the endpoint process keeps one too). */
export class MemorySampler {
  private rss = 0;
  private heapUsed = 0;
  private readonly timer: NodeJS.Timeout;

  constructor() {
    this.sample();
    this.timer = setInterval(() => this.sample(), SAMPLE_INTERVAL_MS);
    this.timer.unref();
  }

  sample(): void {
    const m = process.memoryUsage();
    this.rss = Math.max(this.rss, m.rss);
    this.heapUsed = Math.max(this.heapUsed, m.heapUsed);
  }

  /** Forgets the peak so far: a new phase starts. */
  restart(): void {
    this.rss = 0;
    this.heapUsed = 0;
    this.sample();
  }

  peak(): MemoryPeak {
    this.sample();
    return { rssBytes: this.rss, heapUsedBytes: this.heapUsed };
  }

  stop(): void {
    clearInterval(this.timer);
  }
}

/** Whether a request log entry's error code is a throttle (the meter's count and the endpoint's summary agree on it). */
export function isThrottlingCode(code: string | undefined): boolean {
  return code !== undefined && THROTTLING_CODES.has(code);
}

/**
 * Counts the endpoint's calls for one phase. The endpoint keeps a bounded request log, so long
 * phases call `flush()` now and then: it folds the endpoint's counts into the totals and resets them.
 */
export class PhaseMeter {
  private readonly calls: Record<string, number> = {};
  private throttled = 0;
  private readonly throttledCalls: Record<string, number> = {};
  private errors = 0;
  private mutating = 0;
  private readonly memory = new MemorySampler();
  private readonly started = process.hrtime.bigint();
  private readonly cpuAtStart = process.cpuUsage();

  private constructor(
    readonly name: string,
    private readonly endpoint: BenchEndpoint,
    private readonly options: MeasureOptions,
  ) {}

  /** A meter whose phase starts now: the endpoint's counters, memory peak and CPU clock are reset first. */
  static async start(name: string, endpoint: BenchEndpoint, options: MeasureOptions = {}): Promise<PhaseMeter> {
    await endpoint.beginPhase();
    return new PhaseMeter(name, endpoint, options);
  }

  private add(counts: EndpointCounts): void {
    for (const [op, n] of Object.entries(counts.calls)) this.calls[op] = (this.calls[op] ?? 0) + n;
    this.throttled += counts.throttled;
    for (const [op, n] of Object.entries(counts.throttledCalls)) this.throttledCalls[op] = (this.throttledCalls[op] ?? 0) + n;
    this.errors += counts.errors;
    this.mutating += counts.mutating;
  }

  async flush(): Promise<void> {
    this.add(await this.endpoint.takeCounts());
    this.memory.sample();
  }

  /** Stops sampling without a measurement (the phase failed). */
  stop(): void {
    this.memory.stop();
  }

  async finish(): Promise<PhaseMeasurement> {
    const wallMs = Number(process.hrtime.bigint() - this.started) / 1e6;
    const toolCpuMs = this.options.workInChildProcesses ? null : cpuMsSince(this.cpuAtStart);
    const tool = this.memory.peak();
    this.memory.stop();
    await this.flush();
    const endpoint = await this.endpoint.memoryPeak();
    const endpointCpuMs = await this.endpoint.cpuMsSincePhaseBegan();
    const byName = (calls: Record<string, number>) =>
      Object.fromEntries(Object.entries(calls).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
    const calls = byName(this.calls);
    return {
      name: this.name,
      wallMs,
      calls,
      totalCalls: Object.values(calls).reduce((a, b) => a + b, 0),
      throttled: this.throttled,
      throttledCalls: byName(this.throttledCalls),
      errors: this.errors,
      mutatingCalls: this.mutating,
      peakRssMiB: (tool.rssBytes + (endpoint?.rssBytes ?? 0)) / MIB,
      peakHeapMiB: (tool.heapUsedBytes + (endpoint?.heapUsedBytes ?? 0)) / MIB,
      toolPeakRssMiB: tool.rssBytes / MIB,
      toolPeakHeapMiB: tool.heapUsedBytes / MIB,
      endpointPeakRssMiB: endpoint === null ? null : endpoint.rssBytes / MIB,
      endpointPeakHeapMiB: endpoint === null ? null : endpoint.heapUsedBytes / MIB,
      toolCpuMs,
      endpointCpuMs,
    };
  }
}

/** Runs `work` as one measured phase. */
export async function measure<T>(
  name: string,
  endpoint: BenchEndpoint,
  work: (meter: PhaseMeter) => Promise<T>,
  options: MeasureOptions = {},
): Promise<{ result: T; phase: PhaseMeasurement }> {
  const meter = await PhaseMeter.start(name, endpoint, options);
  let result: T;
  try {
    result = await work(meter);
  } catch (err) {
    meter.stop();
    throw err;
  }
  return { result, phase: await meter.finish() };
}
