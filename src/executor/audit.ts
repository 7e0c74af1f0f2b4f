import * as fs from 'fs';
import * as path from 'path';

/** Default audit log location, relative to the working directory. */
export const DEFAULT_AUDIT_LOG_PATH = './.iam-allowlist/audit.log';

export type AuditOutcome = 'ok' | 'already-done' | 'error';

/** One mutating AWS call, as one JSON line of the audit log. */
export interface AuditEntry {
  /** ISO-8601 time the call finished. */
  readonly time: string;
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
  readonly outcome: AuditOutcome;
  /** AWS error code when outcome is "already-done" (the code that proved it) or "error". */
  readonly errorCode: string | null;
  /**
   * HTTP attempts the SDK made for this call (its own throttling retries included), when it says;
   * the sum over all lines equals the mutating requests the service received.
   */
  readonly attempts: number | null;
}

export interface AuditLogOptions {
  /** File the lines are appended to. Default: DEFAULT_AUDIT_LOG_PATH. Parent directories are created. */
  readonly path?: string;
  /** Clock for the `time` field. Default: the system clock. */
  readonly now?: () => Date;
}

/** The fields a caller provides; `time` is stamped by the log. */
export type AuditRecord = Omit<AuditEntry, 'time'>;

export function formatAuditLine(entry: AuditEntry): string {
  // Fixed key order so the log diffs and greps predictably.
  const ordered: AuditEntry = {
    time: entry.time,
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

/**
 * Append-only, one JSON object per line. Every append is written and fsynced before it returns,
 * so a crash right after a mutating call still leaves its line on disk.
 */
export class AuditLog {
  readonly path: string;
  private readonly now: () => Date;

  constructor(options: AuditLogOptions = {}) {
    this.path = path.resolve(options.path ?? DEFAULT_AUDIT_LOG_PATH);
    this.now = options.now ?? (() => new Date());
  }

  append(record: AuditRecord): AuditEntry {
    const entry: AuditEntry = { time: this.now().toISOString(), ...record };
    fs.mkdirSync(path.dirname(this.path), { recursive: true });
    const fd = fs.openSync(this.path, 'a', 0o600);
    try {
      fs.writeSync(fd, formatAuditLine(entry));
      fs.fsyncSync(fd);
    } finally {
      fs.closeSync(fd);
    }
    return entry;
  }
}

/** Reads an audit log back (tests, `status`-style commands). A missing file is an empty log. */
export function readAuditLog(file: string): AuditEntry[] {
  if (!fs.existsSync(file)) return [];
  return fs
    .readFileSync(file, 'utf8')
    .split('\n')
    .filter((line) => line.trim() !== '')
    .map((line) => JSON.parse(line) as AuditEntry);
}
