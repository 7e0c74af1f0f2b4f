/**
 * The local endpoint as the benchmark uses it. The endpoint stands in for AWS: `npm run bench` runs it in a
 * process of its own (bench/endpoint-process.ts), so that its request handling, state and garbage are not
 * measured as the tool's; `--in-process-endpoint` and the tests of test/bench run it in the tool's process.
 * Either way the bench does everything through BenchEndpoint, whose work (seeding, limits, counting) runs
 * where the endpoint's state is (EndpointControl) and returns plain, serialisable data.
 */
import { startEndpoint } from '../src/endpoint';
import type { LocalEndpoint } from '../src/endpoint/api';
import { accountFingerprint, seedAccount, type AccountSpec, type SeededAccount } from './generate';
import type { RateLimits } from './lower-bound';
import { cpuMsSince, isThrottlingCode, MemorySampler, type MemoryPeak } from './measure';

/** Calls the endpoint answered since the last take. */
export interface EndpointCounts {
  /** Per "service:Operation", every attempt. */
  readonly calls: Readonly<Record<string, number>>;
  readonly throttled: number;
  /** Throttled calls per "service:Operation" (included in `calls`). */
  readonly throttledCalls: Readonly<Record<string, number>>;
  /** Calls answered with any error, throttling included. */
  readonly errors: number;
  readonly mutating: number;
}

/** A freshly seeded account and the digest of what the endpoint holds (see accountFingerprint). */
export interface SeededRun {
  readonly seeded: SeededAccount;
  readonly fingerprint: string;
}

export interface UserPresence {
  /** The names asked about that are still users. */
  readonly present: readonly string[];
  /** Users in the account. */
  readonly users: number;
}

/**
 * The bench's operations on the endpoint, run next to its state: in the tool's process, or in the endpoint
 * process on a command from the tool's. Arguments and results are plain data (structured-clone serialisable).
 */
export class EndpointControl {
  private cpuAtPhase = process.cpuUsage();

  constructor(
    private readonly ep: LocalEndpoint,
    /** This process's memory when the endpoint has a process of its own; null when it shares the tool's. */
    private readonly memory: MemorySampler | null,
  ) {}

  /** Wipes the endpoint (state, faults, counters, id generators) and seeds the account of `spec`, relative to `now`. */
  seed(spec: AccountSpec, now: Date): SeededRun {
    this.ep.reset('empty');
    const seeded = seedAccount(this.ep.state, spec, now);
    return { seeded, fingerprint: accountFingerprint(this.ep.state, seeded.regions) };
  }

  /** Latency on every call and the documented rate limits as token buckets. */
  applyLimits(latencyMs: number, limits: RateLimits): void {
    const faults = this.ep.faults;
    faults.clear();
    if (latencyMs > 0) faults.setLatency('*', latencyMs);
    faults.setRateLimit('iam:*', limits.iamPerSecond);
    for (const [op, rate] of Object.entries(limits.kmsPerSecond)) faults.setRateLimit(`kms:${op}`, rate);
  }

  /** A phase starts: counters and request log emptied, the memory peak forgotten, the CPU clock restarted. */
  beginPhase(): void {
    this.ep.resetCounters();
    this.memory?.restart();
    this.cpuAtPhase = process.cpuUsage();
  }

  /** The calls since the last take (or beginPhase), then counters and request log emptied. */
  takeCounts(): EndpointCounts {
    const calls = this.ep.counters();
    let throttled = 0;
    const throttledCalls: Record<string, number> = {};
    let errors = 0;
    let mutating = 0;
    for (const entry of this.ep.requestLog()) {
      if (entry.errorCode !== undefined) errors++;
      if (isThrottlingCode(entry.errorCode)) {
        throttled++;
        const op = `${entry.service}:${entry.operation}`;
        throttledCalls[op] = (throttledCalls[op] ?? 0) + 1;
      }
      if (entry.mutating) mutating++;
    }
    this.ep.resetCounters();
    return { calls, throttled, throttledCalls, errors, mutating };
  }

  /** Calls of `operation` (e.g. "ListAccountAliases") answered without an error since the last take. */
  successfulCalls(operation: string): number {
    return this.ep.requestLog().filter((e) => e.operation === operation && e.errorCode === undefined).length;
  }

  usersPresent(names: readonly string[]): UserPresence {
    const users = this.ep.state.iam.users;
    return { present: names.filter((name) => users.has(name.toLowerCase())), users: users.size };
  }

  /** The endpoint process's peak memory since beginPhase; null when the endpoint runs in the tool's process. */
  memoryPeak(): MemoryPeak | null {
    return this.memory?.peak() ?? null;
  }

  /** The endpoint process's CPU time since beginPhase, ms; null when the endpoint runs in the tool's process. */
  cpuMsSincePhaseBegan(): number | null {
    return this.memory === null ? null : cpuMsSince(this.cpuAtPhase);
  }
}

export type ControlMethod = {
  [M in keyof EndpointControl]: EndpointControl[M] extends (...args: never[]) => unknown ? M : never;
}[keyof EndpointControl];
type Args<M extends ControlMethod> = Parameters<EndpointControl[M]>;
type Result<M extends ControlMethod> = ReturnType<EndpointControl[M]>;

/** One command to the endpoint process and its answer. */
export interface ControlRequest {
  readonly id: number;
  readonly method: ControlMethod;
  readonly args: readonly unknown[];
}
export type ControlResponse =
  | { readonly id: number; readonly ok: true; readonly result: unknown }
  | { readonly id: number; readonly ok: false; readonly message: string };

/** Runs a command on the control (the endpoint process's side of ControlRequest). */
export function dispatch(control: EndpointControl, method: ControlMethod, args: readonly unknown[]): unknown {
  const fn = control[method] as (...a: unknown[]) => unknown;
  return fn.apply(control, [...args]);
}

/** How a command reaches the EndpointControl: a direct call, or a message to the endpoint process. */
export type ControlTransport = (method: ControlMethod, args: readonly unknown[]) => Promise<unknown>;

/** The benchmark's endpoint, wherever it runs. */
export class BenchEndpoint {
  constructor(
    /** Whether the endpoint has a process of its own (its memory is then not in the tool's figures). */
    readonly separateProcess: boolean,
    private readonly endpointEnv: Readonly<Record<string, string>>,
    private readonly transport: ControlTransport,
    private readonly stopEndpoint: () => Promise<void>,
  ) {}

  private call<M extends ControlMethod>(method: M, ...args: Args<M>): Promise<Result<M>> {
    return this.transport(method, args) as Promise<Result<M>>;
  }

  /** What points the SDK, the CLI and Terraform's local-exec at the endpoint (AWS_ENDPOINT_URL, dummy credentials, region). */
  env(): Record<string, string> {
    return { ...this.endpointEnv };
  }

  seed(spec: AccountSpec, now: Date): Promise<SeededRun> {
    return this.call('seed', spec, now);
  }

  applyLimits(latencyMs: number, limits: RateLimits): Promise<void> {
    return this.call('applyLimits', latencyMs, limits);
  }

  beginPhase(): Promise<void> {
    return this.call('beginPhase');
  }

  takeCounts(): Promise<EndpointCounts> {
    return this.call('takeCounts');
  }

  successfulCalls(operation: string): Promise<number> {
    return this.call('successfulCalls', operation);
  }

  usersPresent(names: readonly string[]): Promise<UserPresence> {
    return this.call('usersPresent', names);
  }

  memoryPeak(): Promise<MemoryPeak | null> {
    return this.call('memoryPeak');
  }

  cpuMsSincePhaseBegan(): Promise<number | null> {
    return this.call('cpuMsSincePhaseBegan');
  }

  stop(): Promise<void> {
    return this.stopEndpoint();
  }
}

/** The endpoint in this process (`--in-process-endpoint`, the tests): its memory is in the tool's figures. */
export async function startInProcessEndpoint(): Promise<BenchEndpoint> {
  const ep = await startEndpoint({ seed: 'empty' });
  const control = new EndpointControl(ep, null);
  // Asynchronous like the other transport, so the bench code is the same for both.
  const transport: ControlTransport = (method, args) => Promise.resolve().then(() => dispatch(control, method, args));
  return new BenchEndpoint(false, ep.env(), transport, () => ep.stop());
}
