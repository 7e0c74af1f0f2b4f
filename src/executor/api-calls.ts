import { AwsError, awsErrorCode } from '../errors';
import type { AuditLog, AuditOutcome } from './audit';
import { throwIfStopRequested } from './interruption';

/** Bounded retry for IAM's own "try again" answers (throttling is the SDK's adaptive retry's job). */
export interface RetryOptions {
  /** Attempts per call including the first. Default 6. */
  readonly attempts?: number;
  /** First backoff in ms, doubled each time (with jitter). Default 250. */
  readonly baseDelayMs?: number;
  /** Upper bound of one backoff in ms. Default 5000. */
  readonly maxDelayMs?: number;
}

/** Always worth another try: IAM is still settling a previous change to the same entity. */
export const TRANSIENT_CODES: readonly string[] = ['EntityTemporarilyUnmodifiable', 'ConcurrentModification'];

export interface MutateOptions {
  /** Error codes that mean the desired end state already holds. Default: NoSuchEntity. */
  readonly alreadyDoneCodes?: readonly string[];
  /** Extra codes to retry with backoff besides TRANSIENT_CODES (e.g. DeleteConflict for DeleteUser). */
  readonly retryCodes?: readonly string[];
  /** Attempts of this call including the first, at most the caller's. Default: the caller's (RetryOptions.attempts). */
  readonly attempts?: number;
}

export interface CallIdentity {
  readonly account: string;
  readonly user: string;
  userId: string | null;
}

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

function errorMessage(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

/**
 * Every AWS call of the executor goes through here: it counts calls per operation (per step and in
 * total), writes the audit log ahead of every mutating call (an fsynced intent line before each
 * attempt is sent, its outcome line after), sends nothing once a stop was requested, retries IAM's
 * transient answers, and turns failures into AwsError.
 */
export class ApiCaller {
  /** Calls per "iam:Operation" of the current step; reset by `beginStep`. */
  private stepCalls: Record<string, number> = {};
  private readonly allCalls: Record<string, number> = {};
  private stepId = 'none';
  private stepMutated = false;
  private changes = 0;
  private readonly attempts: number;
  private readonly baseDelayMs: number;
  private readonly maxDelayMs: number;

  constructor(
    private readonly audit: AuditLog,
    readonly identity: CallIdentity,
    retry: RetryOptions = {},
  ) {
    this.attempts = Math.max(1, retry.attempts ?? 6);
    this.baseDelayMs = retry.baseDelayMs ?? 250;
    this.maxDelayMs = retry.maxDelayMs ?? 5000;
  }

  beginStep(stepId: string): void {
    this.stepId = stepId;
    this.stepCalls = {};
    this.stepMutated = false;
  }

  /** Calls of the current step, and whether any mutation in it changed something. */
  endStep(): { calls: Record<string, number>; changed: boolean } {
    return { calls: { ...this.stepCalls }, changed: this.stepMutated };
  }

  /** For steps whose change is not an AWS call (the backup file). */
  markChanged(): void {
    this.stepMutated = true;
  }

  /** Mutating calls of this caller that changed something ("ok" answers). */
  changesMade(): number {
    return this.changes;
  }

  totalCalls(): Record<string, number> {
    return { ...this.allCalls };
  }

  private count(operation: string): void {
    // Plain names are IAM operations; other services are written "sts:GetCallerIdentity".
    const key = operation.includes(':') ? operation : `iam:${operation}`;
    this.stepCalls[key] = (this.stepCalls[key] ?? 0) + 1;
    this.allCalls[key] = (this.allCalls[key] ?? 0) + 1;
  }

  /** Attempts per call, for callers that poll (verify after delete). */
  get maxAttempts(): number {
    return this.attempts;
  }

  /** Waits the backoff of the given attempt (0-based). */
  pause(attempt: number): Promise<void> {
    return sleep(this.backoff(attempt));
  }

  private backoff(attempt: number): number {
    const exp = Math.min(this.maxDelayMs, this.baseDelayMs * 2 ** attempt);
    return exp / 2 + Math.random() * (exp / 2);
  }

  /** A read. `tolerate` lists error codes that are returned as `undefined` instead of thrown. */
  async read<T>(operation: string, send: () => Promise<T>, tolerate: readonly string[] = []): Promise<T | undefined> {
    for (let attempt = 0; ; attempt++) {
      this.count(operation);
      try {
        return await send();
      } catch (err) {
        const code = awsErrorCode(err) ?? 'Error';
        if (tolerate.includes(code)) return undefined;
        if (TRANSIENT_CODES.includes(code) && attempt + 1 < this.attempts) {
          await sleep(this.backoff(attempt));
          continue;
        }
        throw new AwsError(`${operation} failed for user ${this.identity.user}: ${errorMessage(err)}`, code, operation, err);
      }
    }
  }

  /** A read that must succeed. */
  async readRequired<T>(operation: string, send: () => Promise<T>): Promise<T> {
    return (await this.read(operation, send)) as T;
  }

  /**
   * A mutating call. Returns "ok" when it changed something, "already-done" when AWS answered
   * with a code listed in `alreadyDoneCodes` (default NoSuchEntity).
   */
  async mutate(
    operation: string,
    target: string | null,
    send: () => Promise<unknown>,
    options: MutateOptions = {},
  ): Promise<Exclude<AuditOutcome, 'error'>> {
    const alreadyDone = options.alreadyDoneCodes ?? ['NoSuchEntity'];
    const retryable = [...TRANSIENT_CODES, ...(options.retryCodes ?? [])];
    const attempts = Math.max(1, Math.min(this.attempts, options.attempts ?? this.attempts));
    for (let attempt = 0; ; attempt++) {
      throwIfStopRequested(`${operation}${target ? ` (${target})` : ''} of ${this.identity.user}`);
      const call = { ...this.identity, step: this.stepId, operation, target };
      // Throws (and nothing is sent) when the intent cannot be made durable.
      const callId = this.audit.intent(call, attempt + 1);
      this.count(operation);
      let out: unknown;
      try {
        out = await send();
      } catch (err) {
        const code = awsErrorCode(err) ?? 'Error';
        if (alreadyDone.includes(code)) {
          this.audit.outcome(callId, { ...call, outcome: 'already-done', errorCode: code, attempts: sdkAttempts(err) });
          return 'already-done';
        }
        this.audit.outcome(callId, { ...call, outcome: 'error', errorCode: code, attempts: sdkAttempts(err) });
        if (retryable.includes(code) && attempt + 1 < attempts) {
          await sleep(this.backoff(attempt));
          continue;
        }
        throw new AwsError(
          `${operation}${target ? ` (${target})` : ''} failed for user ${this.identity.user}: ${errorMessage(err)}`,
          code,
          operation,
          err,
        );
      }
      this.stepMutated = true;
      this.changes++;
      this.audit.outcome(callId, { ...call, outcome: 'ok', errorCode: null, attempts: sdkAttempts(out) });
      return 'ok';
    }
  }
}

/** The SDK reports HTTP attempts in `$metadata` of both outputs and exceptions. */
function sdkAttempts(value: unknown): number | null {
  const attempts = (value as { $metadata?: { attempts?: unknown } } | undefined)?.$metadata?.attempts;
  return typeof attempts === 'number' ? attempts : null;
}

/** Collects every page of an IAM list call (Marker / IsTruncated). */
export async function listAll<O extends { IsTruncated?: boolean; Marker?: string }, T>(
  api: ApiCaller,
  operation: string,
  send: (marker: string | undefined) => Promise<O>,
  items: (page: O) => readonly T[] | undefined,
): Promise<T[]> {
  const out: T[] = [];
  let marker: string | undefined;
  do {
    const page = await api.readRequired(operation, () => send(marker));
    out.push(...(items(page) ?? []));
    marker = page.IsTruncated ? page.Marker : undefined;
  } while (marker);
  return out;
}
