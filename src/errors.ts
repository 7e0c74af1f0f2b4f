/**
 * The only error types the tool throws on purpose. The CLI maps them to exit code 1 with a
 * message that says what is wrong and how to fix it; anything else is an internal error.
 */

/** Your input is wrong (allowlist, flags, files). Nothing was changed. */
export class UsageError extends Error {
  override readonly name = 'UsageError';
  constructor(
    message: string,
    readonly hint?: string,
  ) {
    super(message);
  }
}

/** The account (or endpoint) answered with an error, after retries. */
export class AwsError extends Error {
  override readonly name = 'AwsError';
  constructor(
    message: string,
    readonly code: string,
    readonly operation: string,
    readonly cause?: unknown,
  ) {
    super(message);
  }
}

/** A safety check refused to act (recreated user, guard true at apply time, wrong account). */
export class RefusedError extends Error {
  override readonly name = 'RefusedError';
  constructor(
    message: string,
    readonly reasons: readonly string[] = [],
  ) {
    super(message);
  }
}

/** A bug: an invariant of the tool itself does not hold. */
export class InternalError extends Error {
  override readonly name = 'InternalError';
}

/** The AWS error code of an SDK v3 exception (or undefined for non-AWS errors). */
export function awsErrorCode(err: unknown): string | undefined {
  if (err instanceof AwsError) return err.code;
  if (err && typeof err === 'object') {
    const e = err as { name?: unknown; Code?: unknown; code?: unknown };
    if (typeof e.Code === 'string') return e.Code;
    if (typeof e.name === 'string' && e.name !== 'Error') return e.name;
    if (typeof e.code === 'string') return e.code;
  }
  return undefined;
}

export function isNoSuchEntity(err: unknown): boolean {
  const code = awsErrorCode(err);
  return code === 'NoSuchEntity' || code === 'NoSuchEntityException' || code === 'NotFoundException';
}
