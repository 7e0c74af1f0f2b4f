/**
 * Public API of the local AWS-compatible endpoint (IAM Query, KMS JSON 1.1, STS Query).
 * Implemented in src/endpoint/server.ts. Tests, the demo and the benchmark use only this.
 */

import type { EndpointState } from './state';

export interface EndpointOptions {
  /** Port on 127.0.0.1; 0 (default) picks an ephemeral port. */
  readonly port?: number;
  /** "sandbox" (default) seeds the sandbox account; "empty" starts with nothing. */
  readonly seed?: 'sandbox' | 'empty';
  /** Default "111122223333". */
  readonly accountId?: string;
}

/** Who GetCallerIdentity says is calling, and who "the caller" is for read-only mode. */
export type CallerConfig =
  | { readonly kind: 'user'; readonly userName: string }
  | { readonly kind: 'assumed-role'; readonly roleName: string; readonly sessionName: string };

export interface RequestLogEntry {
  readonly seq: number;
  readonly time: string;
  readonly service: 'iam' | 'kms' | 'sts' | 'account';
  readonly region: string;
  readonly operation: string;
  /** HTTP status the endpoint answered with. */
  readonly status: number;
  /** AWS error code when status >= 400. */
  readonly errorCode?: string;
  readonly mutating: boolean;
}

export interface FaultControls {
  /** Added latency in milliseconds for an operation ("iam:ListUsers", "kms:GetKeyPolicy") or "*" for all. */
  setLatency(operation: string, ms: number): void;
  /** Token bucket per operation (or "iam:*", "kms:*" per service and region): answers with the service's real throttling error. */
  setRateLimit(operation: string, ratePerSecond: number, burst?: number): void;
  /** Throttle a random fraction (0..1) of all calls, deterministically from a seed. */
  setThrottleFraction(fraction: number, seed?: number): void;
  /** The nth call (1-based, counted from now) of an operation fails with the given error code. */
  failNth(operation: string, n: number, code?: string): void;
  /** Every call of an operation fails with the given code from now on (until clear). */
  failAlways(operation: string, code?: string): void;
  /** KMS calls naming this key id or ARN answer AccessDeniedException. */
  denyKey(keyIdOrArn: string): void;
  /** Every KMS call in this region answers AccessDeniedException. */
  denyRegion(region: string): void;
  /** Refuse every mutating call with AccessDenied (a read-only caller). */
  setReadOnly(readOnly: boolean): void;
  /**
   * Answer AccessDenied (each service's own error shape, as for a policy that does not allow the
   * action) to every call whose "service:Operation" is not listed, like a caller whose identity
   * policy allows exactly these actions. null lifts it. Cleared by `clear()`.
   */
  allowOnly(actions: readonly string[] | null): void;
  /** Remove every fault, limit and latency. */
  clear(): void;
}

export interface LocalEndpoint {
  /** e.g. http://127.0.0.1:43210 */
  readonly url: string;
  readonly port: number;
  readonly accountId: string;
  /** Environment that points the SDK, the CLI and Terraform's local-exec at this endpoint (with dummy credentials and region). */
  env(): Record<string, string>;
  /** The same as `export K=V` lines. */
  exportLines(): string[];
  readonly faults: FaultControls;
  setCaller(caller: CallerConfig): void;
  /** Calls per "service:Operation" since start or the last resetCounters(). */
  counters(): Record<string, number>;
  requestLog(): readonly RequestLogEntry[];
  resetCounters(): void;
  /** Wipe all state (and faults, counters) and seed again. */
  reset(seed?: 'sandbox' | 'empty'): void;
  /** Direct access to the in-memory account for fast seeding (benchmark, tests). */
  readonly state: EndpointState;
  stop(): Promise<void>;
}
