import * as fs from 'fs';
import * as path from 'path';
import { loadSnapshot, saveSnapshot } from '../inventory/snapshot-file';
import { DEFAULT_RECHECK_MAX_AGE_SECONDS } from '../model/allowlist';
import type { Snapshot } from '../model/snapshot';
import { sleep } from '../util/sleep';

/** A scan and when it started (ms since the epoch): its age counts from the start, the conservative end. */
export interface TimedSnapshot {
  readonly snapshot: Snapshot;
  readonly startedAt: number;
}

/**
 * The scan the re-check at the moment of change uses, at most `maxAgeMs` old: shared by every
 * action while it is young enough, taken again (once, however many actions ask) when it is older.
 * A scan taken for a request serves that request however long it took, so a scan slower than the
 * bound cannot loop.
 */
export class BoundedAgeScan {
  private current: { readonly startedAt: number; readonly result: Promise<TimedSnapshot> } | null = null;
  private taken = 0;
  private lastAnswer: Snapshot | null = null;

  /**
   * @param take takes (or fetches from the run's shared cache) a scan no older than the age it is given.
   * @param clock ms since the epoch. Default Date.now; tests pass their own to age scans without waiting.
   */
  constructor(
    private readonly take: (maxAgeMs: number) => Promise<TimedSnapshot>,
    private readonly clock: () => number = Date.now,
  ) {}

  /** Scans this object asked for (each at most one per age window). */
  get scansTaken(): number {
    return this.taken;
  }

  /**
   * The latest scan that has answered, whatever its age; null before the first. A deletion compares it, taken
   * before its own reads, with the scan its re-check used: another one means its reads began before that scan
   * had answered.
   */
  answered(): Snapshot | null {
    return this.lastAnswer;
  }

  /**
   * Starts a scan when none at most `maxAgeMs` old exists or is under way, without waiting for it. Its
   * failure is not reported here: the next get() that needs the scan takes it again and reports that.
   */
  prefetch(maxAgeMs: number): void {
    this.get(maxAgeMs).catch(() => undefined);
  }

  async get(maxAgeMs: number): Promise<Snapshot> {
    const now = this.clock();
    if (this.current && now - this.current.startedAt <= maxAgeMs) return (await this.current.result).snapshot;
    this.taken++;
    const result = this.take(maxAgeMs);
    // Requests while it runs share it; once it answers, its age counts from its own start.
    const entry = { startedAt: now, result };
    this.current = entry;
    try {
      const timed = await result;
      if (this.current === entry) {
        this.current = { startedAt: Math.min(now, timed.startedAt), result };
        this.lastAnswer = timed.snapshot;
      }
      return timed.snapshot;
    } catch (err) {
      if (this.current === entry) this.current = null;
      throw err;
    }
  }
}

/**
 * One fresh account scan per age window, shared by every `enforce` process of a run.
 *
 * Terraform runs one local-exec per planned action, possibly in parallel. Re-checking each action
 * must not cost a full KMS re-scan per user, so the first process of a run (same --run-id) scans
 * under an exclusive lock file and saves the snapshot (its mtime set to the scan's start); the
 * others wait for the lock and reuse it while it is at most `maxAgeMs` old.
 */
export interface SharedScanOptions {
  /** Directory for the cached snapshot and its lock. */
  readonly dir: string;
  readonly runId: string;
  /** A cached scan that started longer ago than this is taken again. Default DEFAULT_RECHECK_MAX_AGE_SECONDS. */
  readonly maxAgeMs?: number;
  /** How long to wait for another process's scan. Default 15 minutes. */
  readonly lockTimeoutMs?: number;
  /** ms since the epoch. Default Date.now. */
  readonly clock?: () => number;
}

export async function sharedFreshSnapshot(options: SharedScanOptions, scan: () => Promise<Snapshot>): Promise<Snapshot> {
  return (await sharedTimedSnapshot(options, scan)).snapshot;
}

/** sharedFreshSnapshot, with the time the returned scan started. */
export async function sharedTimedSnapshot(options: SharedScanOptions, scan: () => Promise<Snapshot>): Promise<TimedSnapshot> {
  const maxAgeMs = options.maxAgeMs ?? DEFAULT_RECHECK_MAX_AGE_SECONDS * 1000;
  const clock = options.clock ?? Date.now;
  const lockTimeoutMs = options.lockTimeoutMs ?? 15 * 60_000;
  const safeId = options.runId.replace(/[^A-Za-z0-9_.-]/g, '_');
  fs.mkdirSync(options.dir, { recursive: true });
  const cacheFile = path.join(options.dir, `run-${safeId}.snapshot.json`);
  const lockFile = `${cacheFile}.lock`;

  const release = await acquireLock(lockFile, lockTimeoutMs);
  try {
    const cached = readIfFresh(cacheFile, maxAgeMs, clock());
    if (cached) return cached;
    const startedAt = clock();
    const snapshot = await scan();
    saveSnapshot(cacheFile, snapshot);
    fs.utimesSync(cacheFile, new Date(startedAt), new Date(startedAt));
    return { snapshot, startedAt };
  } finally {
    release();
  }
}

function readIfFresh(file: string, maxAgeMs: number, now: number): TimedSnapshot | null {
  try {
    const startedAt = fs.statSync(file).mtimeMs;
    return now - startedAt <= maxAgeMs ? { snapshot: loadSnapshot(file), startedAt } : null;
  } catch {
    return null;
  }
}

async function acquireLock(lockFile: string, timeoutMs: number): Promise<() => void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      const fd = fs.openSync(lockFile, 'wx');
      fs.writeSync(fd, String(process.pid));
      fs.closeSync(fd);
      return () => fs.rmSync(lockFile, { force: true });
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
      if (lockHolderIsGone(lockFile)) {
        fs.rmSync(lockFile, { force: true });
        continue;
      }
      if (Date.now() > deadline) throw new Error(`timed out waiting for ${lockFile}; remove it if no iam-allowlist is running`);
      await sleep(200);
    }
  }
}

/** A lock left by a crashed process must not block every later run. */
function lockHolderIsGone(lockFile: string): boolean {
  try {
    const pid = Number(fs.readFileSync(lockFile, 'utf8'));
    if (!Number.isInteger(pid) || pid <= 0) return false;
    process.kill(pid, 0);
    return false;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'ESRCH';
  }
}
