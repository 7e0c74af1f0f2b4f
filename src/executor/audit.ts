import * as crypto from 'crypto';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { DEFAULT_AUDIT_LOG_PATH } from '../defaults';
import { UsageError } from '../errors';
import { appendDurably, describeFsError, ensureDirectory } from './local-files';

export { DEFAULT_AUDIT_LOG_PATH };

export type AuditOutcome = 'ok' | 'already-done' | 'error';

/** What one mutating AWS call acts on. */
export interface AuditCall {
  readonly account: string;
  readonly user: string;
  /** UserId of the user acted on; null when it is not known yet (restore before CreateUser answered). */
  readonly userId: string | null;
  /** Step id from the step tables, e.g. "delete-access-keys". */
  readonly step: string;
  /** IAM operation, e.g. "DeleteAccessKey". */
  readonly operation: string;
  /** What the call acted on besides the user, e.g. an access key id or a policy ARN. */
  readonly target: string | null;
}

/** One mutating AWS call's answer (one per attempt), as one JSON line of the audit log. */
export interface AuditEntry extends AuditCall {
  /** ISO-8601 time the call finished. */
  readonly time: string;
  readonly outcome: AuditOutcome;
  /** AWS error code when outcome is "already-done" (the code that proved it) or "error". */
  readonly errorCode: string | null;
  /**
   * HTTP attempts the SDK made for this call (its own throttling retries included), when it says;
   * the sum over all lines equals the mutating requests the service received.
   */
  readonly attempts: number | null;
  /** Written by the executor: the run and the intent line this outcome closes. */
  readonly phase?: 'outcome';
  readonly runId?: string;
  readonly callId?: string;
}

/** Written and fsynced before a mutating call is sent: a crash before its outcome leaves it pending. */
export interface AuditIntentEntry extends AuditCall {
  readonly time: string;
  readonly phase: 'intent';
  readonly runId: string;
  readonly callId: string;
  /** 1-based attempt of the executor's own retry loop (each retry is a new call with its own line). */
  readonly attempt: number;
}

/** First line of every run that may mutate: proves the log is writable before anything is sent. */
export interface AuditRunStart {
  readonly time: string;
  readonly phase: 'run-start';
  readonly runId: string;
  readonly command: string;
  readonly pid: number;
  readonly host: string;
}

/** A later run read the live state behind an intent that never got its outcome. */
export interface AuditReconcileEntry extends AuditCall {
  readonly time: string;
  readonly phase: 'reconcile';
  readonly runId: string;
  /** The pending intent's call id (of the earlier run). */
  readonly callId: string;
  /** What the live read found, e.g. "user-absent", "target-absent", "target-present". */
  readonly liveState: string;
  readonly note: string;
}

export interface AuditRunEnd {
  readonly time: string;
  readonly phase: 'run-end';
  readonly runId: string;
  readonly status: 'complete' | 'interrupted' | 'stopped';
  readonly summary: string;
}

export type AuditLine = AuditEntry | AuditIntentEntry | AuditRunStart | AuditReconcileEntry | AuditRunEnd;

export interface AuditLogOptions {
  /** File the lines are appended to. Default: DEFAULT_AUDIT_LOG_PATH. Parent directories are created. */
  readonly path?: string;
  /** Clock for the `time` field. Default: the system clock. */
  readonly now?: () => Date;
  /** Names the run in every line. Default: time, pid and random bytes. */
  readonly runId?: string;
  /** What the run-start line says started the run. Default "iam-allowlist". */
  readonly command?: string;
}

/** The fields a caller provides for a call's outcome; `time` is stamped by the log. */
export type AuditRecord = Omit<AuditEntry, 'time'>;

/** The audit log cannot be written: nothing more may be sent to AWS. */
export class AuditLogError extends UsageError {
  constructor(
    readonly file: string,
    readonly cause: unknown,
    consequence: string,
  ) {
    super(
      `cannot write the audit log ${file}: ${describeFsError(cause)}; ${consequence}`,
      'point --audit-log at a file on a writable file system with free space',
    );
  }
}

export function formatAuditLine(entry: AuditEntry): string {
  // Fixed key order so the log diffs and greps predictably; executor-only keys are left out when unset.
  const ordered: AuditEntry = {
    time: entry.time,
    phase: entry.phase,
    runId: entry.runId,
    callId: entry.callId,
    account: entry.account,
    user: entry.user,
    userId: entry.userId,
    step: entry.step,
    operation: entry.operation,
    target: entry.target,
    outcome: entry.outcome,
    errorCode: entry.errorCode,
    attempts: entry.attempts,
  };
  return JSON.stringify(ordered) + '\n';
}

/** Only a regular file is read back (a device such as /dev/full would never end). */
function isRegularFile(file: string): boolean {
  try {
    return fs.statSync(file).isFile();
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return false;
    throw err;
  }
}

function newRunId(now: Date): string {
  return `${now.toISOString().replace(/[-:.]/g, '')}-${process.pid}-${crypto.randomBytes(3).toString('hex')}`;
}

function isProcessAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * Intents of earlier runs without an outcome or reconcile line: the process stopped between sending
 * a call and recording its answer. Intents of a run whose process still runs on this host (a
 * parallel `enforce` of the same Terraform apply) are in flight, not pending.
 */
export function pendingIntents(lines: readonly AuditLine[], ownRunId?: string): AuditIntentEntry[] {
  const closed = new Set<string>();
  const runs = new Map<string, AuditRunStart>();
  for (const line of lines) {
    if (line.phase === 'run-start') runs.set(line.runId, line);
    else if ((line.phase === 'outcome' || line.phase === 'reconcile') && line.callId) closed.add(line.callId);
  }
  const host = os.hostname();
  return lines.filter((line): line is AuditIntentEntry => {
    if (line.phase !== 'intent' || closed.has(line.callId) || line.runId === ownRunId) return false;
    const run = runs.get(line.runId);
    return !(run && run.host === host && run.pid !== process.pid && isProcessAlive(run.pid));
  });
}

/**
 * Append-only, one JSON object per line, written write-ahead: `open` fsyncs a run-start line before
 * anything is sent, `intent` fsyncs a line before each mutating call, `outcome` one after it. Every
 * line is on disk before the method returns; a failure throws AuditLogError.
 */
export class AuditLog {
  readonly path: string;
  readonly runId: string;
  private readonly now: () => Date;
  private readonly command: string;
  private opened = false;
  private pending: AuditIntentEntry[] = [];
  private callSeq = 0;

  constructor(options: AuditLogOptions = {}) {
    this.path = path.resolve(options.path ?? DEFAULT_AUDIT_LOG_PATH);
    this.now = options.now ?? (() => new Date());
    this.runId = options.runId ?? newRunId(this.now());
    this.command = options.command ?? 'iam-allowlist';
  }

  /**
   * Writes (and fsyncs) the run-start line, once; reads the intents earlier runs left pending.
   * Throws AuditLogError when the log cannot be written: call it before the first mutating call.
   */
  open(): void {
    if (this.opened) return;
    try {
      ensureDirectory(path.dirname(this.path));
      const earlier = isRegularFile(this.path) ? parseAuditLines(fs.readFileSync(this.path, 'utf8')) : [];
      const start: AuditRunStart = {
        time: this.time(),
        phase: 'run-start',
        runId: this.runId,
        command: this.command,
        pid: process.pid,
        host: os.hostname(),
      };
      appendDurably(this.path, JSON.stringify(start) + '\n');
      this.pending = pendingIntents(earlier, this.runId);
    } catch (err) {
      throw new AuditLogError(this.path, err, 'no change was made');
    }
    this.opened = true;
  }

  /** Intents earlier runs left without an outcome and this run has not reconciled yet. */
  pendingIntents(): readonly AuditIntentEntry[] {
    return this.pending;
  }

  /** Fsyncs the intent line of one call (one attempt) and returns its call id. Opens the log first if needed. */
  intent(call: AuditCall, attempt: number): string {
    this.open();
    const callId = `${this.runId}#${++this.callSeq}`;
    const entry: AuditIntentEntry = { time: this.time(), phase: 'intent', runId: this.runId, callId, attempt, ...call };
    this.write(JSON.stringify(entry) + '\n', `the ${call.operation} call for ${call.user} was not sent`);
    return callId;
  }

  /** Fsyncs the outcome line that closes `callId`. */
  outcome(callId: string, record: AuditRecord): AuditEntry {
    const entry: AuditEntry = { time: this.time(), ...record, phase: 'outcome', runId: this.runId, callId };
    const sent = `the ${record.operation} call for ${record.user} was sent and answered ${record.outcome}${record.errorCode ? ` (${record.errorCode})` : ''}`;
    this.write(formatAuditLine(entry), `${sent}, but its outcome is not recorded (the next run reconciles it)`);
    return entry;
  }

  /** Records what the live read found behind a pending intent; it is pending no more. */
  reconciled(intent: AuditIntentEntry, liveState: string, note: string): void {
    const { account, user, userId, step, operation, target, callId } = intent;
    const entry: AuditReconcileEntry = {
      time: this.time(),
      phase: 'reconcile',
      runId: this.runId,
      callId,
      account,
      user,
      userId,
      step,
      operation,
      target,
      liveState,
      note,
    };
    this.write(JSON.stringify(entry) + '\n', 'no change was made for it');
    this.pending = this.pending.filter((p) => p.callId !== callId);
  }

  /** Closes an opened run with a summary line (nothing is written when the run never opened the log). */
  end(status: AuditRunEnd['status'], summary: string): void {
    if (!this.opened) return;
    const entry: AuditRunEnd = { time: this.time(), phase: 'run-end', runId: this.runId, status, summary };
    this.write(JSON.stringify(entry) + '\n', 'the run had already finished');
  }

  /** Appends one outcome line without an intent (callers outside the executor; kept for tools and tests). */
  append(record: AuditRecord): AuditEntry {
    const entry: AuditEntry = { time: this.time(), ...record };
    try {
      ensureDirectory(path.dirname(this.path));
      appendDurably(this.path, formatAuditLine(entry));
    } catch (err) {
      throw new AuditLogError(this.path, err, 'the line was not recorded');
    }
    return entry;
  }

  private write(line: string, consequence: string): void {
    try {
      appendDurably(this.path, line);
    } catch (err) {
      throw new AuditLogError(this.path, err, consequence);
    }
  }

  private time(): string {
    return this.now().toISOString();
  }
}

/** Every line, in order; a torn last line (a crash in the middle of a write) is skipped. */
export function parseAuditLines(text: string): AuditLine[] {
  const out: AuditLine[] = [];
  for (const line of text.split('\n')) {
    if (line.trim() === '') continue;
    try {
      out.push(JSON.parse(line) as AuditLine);
    } catch {
      // Only a write cut short by a crash produces this; the line before it is intact.
    }
  }
  return out;
}

/** Every line of an audit log: run starts, intents, outcomes, reconciliations, run ends. */
export function readAuditJournal(file: string): AuditLine[] {
  if (!isRegularFile(file)) return [];
  return parseAuditLines(fs.readFileSync(file, 'utf8'));
}

function isCallOutcome(line: AuditLine): line is AuditEntry {
  return line.phase === undefined || line.phase === 'outcome';
}

/**
 * The answered mutating calls of an audit log, one entry per attempt (tests, `status`-style
 * commands): run-start, intent, reconcile and run-end lines are left out, so an empty list means no
 * mutating call was answered. A missing file is an empty log.
 */
export function readAuditLog(file: string): AuditEntry[] {
  return readAuditJournal(file).filter(isCallOutcome);
}
