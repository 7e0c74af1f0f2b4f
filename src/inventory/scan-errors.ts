import { awsErrorCode } from '../errors';
import type { ScanError } from '../model/snapshot';
import { compareText } from '../util/text';

/** Where a failed read happened. */
export interface ScanErrorContext {
  readonly service: ScanError['service'];
  readonly operation: string;
  readonly region?: string;
  readonly resource?: string;
}

/** A read that failed inside a multi-call sequence, naming the call that failed. */
export class FailedRead extends Error {
  override readonly name = 'FailedRead';
  constructor(
    readonly operation: string,
    readonly cause: unknown,
  ) {
    super(cause instanceof Error ? cause.message : String(cause));
  }
}

/** Runs one call of a sequence; its failure becomes a FailedRead naming `operation`. */
export async function step<T>(operation: string, call: () => Promise<T>): Promise<T> {
  try {
    return await call();
  } catch (err) {
    throw err instanceof FailedRead ? err : new FailedRead(operation, err);
  }
}

/** A ScanError for an exception raised by a read (after the SDK's own retries). */
export function toScanError(context: ScanErrorContext, failure: unknown): ScanError {
  const operation = failure instanceof FailedRead ? failure.operation : context.operation;
  const err = failure instanceof FailedRead ? failure.cause : failure;
  const message = err instanceof Error ? err.message : String(err);
  return {
    service: context.service,
    operation,
    ...(context.region !== undefined ? { region: context.region } : {}),
    ...(context.resource !== undefined ? { resource: context.resource } : {}),
    code: awsErrorCode(err) ?? 'Error',
    message: message === '' ? 'no message' : message,
  };
}

/** Collects the reads that failed during one inventory run. */
export class ScanErrorLog {
  private readonly entries: ScanError[] = [];

  add(context: ScanErrorContext, err: unknown): void {
    this.entries.push(toScanError(context, err));
  }

  addEntry(entry: ScanError): void {
    this.entries.push(entry);
  }

  get count(): number {
    return this.entries.length;
  }

  /** Sorted by service, region, operation, resource so two runs over the same failures compare equal. */
  sorted(): ScanError[] {
    const key = (e: ScanError): string => [e.service, e.region ?? '', e.operation, e.resource ?? '', e.code].join('\u0000');
    return [...this.entries].sort((a, b) => compareText(key(a), key(b)));
  }
}
