import * as fs from 'fs';
import * as path from 'path';
import { loadSnapshot, saveSnapshot } from '../inventory/snapshot-file';
import type { Snapshot } from '../model/snapshot';

/**
 * One fresh account scan per run, shared by every `enforce` process of that run.
 *
 * Terraform runs one local-exec per planned action, possibly in parallel. Re-checking each action
 * must not cost a full KMS re-scan per user, so the first process of a run (same --run-id) scans
 * under an exclusive lock file and saves the snapshot; the others wait for the lock and reuse it.
 */
export interface SharedScanOptions {
  /** Directory for the cached snapshot and its lock. */
  readonly dir: string;
  readonly runId: string;
  /**
   * A cached scan older than this is taken again. Default 5 minutes: long enough for one apply's
   * parallel enforce processes, short enough that a later apply of the same plan scans afresh.
   */
  readonly maxAgeMs?: number;
  /** How long to wait for another process's scan. Default 15 minutes. */
  readonly lockTimeoutMs?: number;
}

export async function sharedFreshSnapshot(options: SharedScanOptions, scan: () => Promise<Snapshot>): Promise<Snapshot> {
  const maxAgeMs = options.maxAgeMs ?? 5 * 60_000;
  const lockTimeoutMs = options.lockTimeoutMs ?? 15 * 60_000;
  const safeId = options.runId.replace(/[^A-Za-z0-9_.-]/g, '_');
  fs.mkdirSync(options.dir, { recursive: true });
  const cacheFile = path.join(options.dir, `run-${safeId}.snapshot.json`);
  const lockFile = `${cacheFile}.lock`;

  const release = await acquireLock(lockFile, lockTimeoutMs);
  try {
    const cached = readIfFresh(cacheFile, maxAgeMs);
    if (cached) return cached;
    const snapshot = await scan();
    saveSnapshot(cacheFile, snapshot);
    return snapshot;
  } finally {
    release();
  }
}

function readIfFresh(file: string, maxAgeMs: number): Snapshot | null {
  try {
    const age = Date.now() - fs.statSync(file).mtimeMs;
    return age <= maxAgeMs ? loadSnapshot(file) : null;
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
      await new Promise((r) => setTimeout(r, 200));
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
