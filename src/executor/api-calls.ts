import { AwsError, awsErrorCode, InternalError } from '../errors';
import { sleep } from '../util/sleep';
import type { AuditLog } from './audit';
import { throwIfStopRequested } from './interruption';

/** An AWS SDK v3 client: `config.serviceId` names its service ("IAM", "STS"). */
export interface AwsClient {
  readonly config: { readonly serviceId?: string };
  send(command: never): Promise<unknown>;
}

/** An AWS SDK v3 command ("DeleteUserCommand"); its output type is what its handler resolves to. */
export interface AwsCommand {
  readonly input: object;
  resolveMiddleware(...args: never[]): unknown;
}

/** The output type of a command, e.g. GetUserCommandOutput for GetUserCommand. */
export type OutputOf<C> = C extends { resolveMiddleware(...args: never[]): (...args: never[]) => Promise<{ output: infer O }> } ? O : never;

/** What the executor's step declares and the caller enforces: its id and every action it may call. */
export interface DeclaredStep {
  readonly id: string;
  /** "service:Operation", e.g. "iam:DeleteUser". */
  readonly permissions: readonly string[];
}

/**
 * The IAM action a command performs, "iam:DeleteUser" for a DeleteUserCommand sent by an IAMClient:
 * the SDK names every command class after its operation, and every client's config its service.
 */
export function actionOf(client: AwsClient, command: AwsCommand): string {
  const service = client.config.serviceId?.toLowerCase().replace(/\s+/g, '');
  const className = command.constructor.name;
  if (!service || !/^[A-Z][A-Za-z0-9]*Command$/.test(className)) {
    throw new InternalError(`cannot tell the AWS action of ${className} sent by a ${service ?? 'nameless'} client`);
  }
  return `${service}:${className.slice(0, -'Command'.length)}`;
}

/** How errors and the audit log name an action: IAM operations plainly ("DeleteUser"), others "sts:GetCallerIdentity". */
function operationName(action: string): string {
  return action.startsWith('iam:') ? action.slice('iam:'.length) : action;
}

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

export interface ReadOptions {
  /** Error codes answered as `undefined` instead of thrown. Default: none. */
  readonly tolerate?: readonly string[];
}

export interface MutateOptions {
  /** What the call acts on (an access key id, a policy name), for the audit log. Default: the user itself (null). */
  readonly target?: string | null;
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

/** What a mutating call did: "ok" carries the answer (CreateUser's new UserId). */
export type MutateResult<O> = { readonly outcome: 'ok'; readonly output: O } | { readonly outcome: 'already-done' };

const NO_STEP: DeclaredStep = { id: 'none', permissions: [] };

function errorMessage(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

/**
 * Every AWS call of the executor goes through here: it refuses (InternalError, nothing sent) an
 * action the current step did not declare, counts calls per action (per step and in total), writes the audit log ahead of every mutating call (an fsynced intent line before each
 * attempt is sent, its outcome line after), sends nothing once a stop was requested, retries IAM's
 * transient answers, and turns failures into AwsError.
 */
export class ApiCaller {
  /** Calls per "iam:Operation" of the current step; reset by `beginStep`. */
  private stepCalls: Record<string, number> = {};
  private readonly allCalls: Record<string, number> = {};
  private step: DeclaredStep = NO_STEP;
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

  /** Every call until the next beginStep must be one of `step.permissions`. */
  beginStep(step: DeclaredStep): void {
    this.step = step;
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

  /** A step that calls what it did not declare is a bug: its least-privilege policy would fail on AWS. */
  private assertDeclared(action: string): void {
    if (this.step.permissions.includes(action)) return;
    throw new InternalError(
      `step ${this.step.id} called ${action}, which it does not declare (declared: ${this.step.permissions.join(', ') || 'nothing'}); nothing was sent`,
    );
  }

  private count(action: string): void {
    this.stepCalls[action] = (this.stepCalls[action] ?? 0) + 1;
    this.allCalls[action] = (this.allCalls[action] ?? 0) + 1;
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

  /** A read of `command` sent by `client`; error codes in `options.tolerate` are answered as `undefined`. */
  read<C extends AwsCommand>(client: AwsClient, command: C, options: ReadOptions = {}): Promise<OutputOf<C> | undefined> {
    return this.readAction(actionOf(client, command), () => client.send(command as never), options.tolerate ?? []) as Promise<
      OutputOf<C> | undefined
    >;
  }

  /** A read that must succeed. */
  async readRequired<C extends AwsCommand>(client: AwsClient, command: C): Promise<OutputOf<C>> {
    return (await this.read(client, command)) as OutputOf<C>;
  }

  private async readAction(action: string, send: () => Promise<unknown>, tolerate: readonly string[]): Promise<unknown> {
    this.assertDeclared(action);
    const operation = operationName(action);
    for (let attempt = 0; ; attempt++) {
      this.count(action);
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

  /**
   * A mutating call. Returns "ok" when it changed something, "already-done" when AWS answered
   * with a code listed in `alreadyDoneCodes` (default NoSuchEntity).
   */
  async mutate<C extends AwsCommand>(client: AwsClient, command: C, options: MutateOptions = {}): Promise<MutateResult<OutputOf<C>>> {
    const action = actionOf(client, command);
    this.assertDeclared(action);
    const operation = operationName(action);
    const target = options.target ?? null;
    const alreadyDone = options.alreadyDoneCodes ?? ['NoSuchEntity'];
    const retryable = [...TRANSIENT_CODES, ...(options.retryCodes ?? [])];
    const attempts = Math.max(1, Math.min(this.attempts, options.attempts ?? this.attempts));
    for (let attempt = 0; ; attempt++) {
      throwIfStopRequested(`${operation}${target ? ` (${target})` : ''} of ${this.identity.user}`);
      const call = { ...this.identity, step: this.step.id, operation, target };
      // Throws (and nothing is sent) when the intent cannot be made durable.
      const callId = this.audit.intent(call, attempt + 1);
      this.count(action);
      let out: unknown;
      try {
        out = await client.send(command as never);
      } catch (err) {
        const code = awsErrorCode(err) ?? 'Error';
        if (alreadyDone.includes(code)) {
          this.audit.outcome(callId, { ...call, outcome: 'already-done', errorCode: code, attempts: sdkAttempts(err) });
          return { outcome: 'already-done' };
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
      return { outcome: 'ok', output: out as OutputOf<C> };
    }
  }
}

/** The SDK reports HTTP attempts in `$metadata` of both outputs and exceptions. */
function sdkAttempts(value: unknown): number | null {
  const attempts = (value as { $metadata?: { attempts?: unknown } } | undefined)?.$metadata?.attempts;
  return typeof attempts === 'number' ? attempts : null;
}

/** An IAM list answer: one page, and the marker of the next. */
type Paged = { IsTruncated?: boolean; Marker?: string };

/** Collects every page of an IAM list call (Marker / IsTruncated); `command` makes the request for a marker. */
export async function listAll<C extends AwsCommand, T>(
  api: ApiCaller,
  client: AwsClient,
  command: (marker: string | undefined) => C,
  items: (page: OutputOf<C>) => readonly T[] | undefined,
): Promise<T[]> {
  const out: T[] = [];
  let marker: string | undefined;
  do {
    const page = await api.readRequired(client, command(marker));
    out.push(...(items(page) ?? []));
    const paged = page as Paged;
    marker = paged.IsTruncated ? paged.Marker : undefined;
  } while (marker);
  return out;
}
