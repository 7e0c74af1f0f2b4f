import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';

export interface UnwritablePath {
  readonly how: string;
  /** Makes the path inside `dir` (or names a system one) and returns it. */
  readonly make: (dir: string) => string;
  /** The OS error in words, as the error message must say it. */
  readonly words: string;
}

/**
 * Five ways a log or backup path cannot be written on this machine. The tests run as root, for whom
 * permissions stop nothing, so these are real failures: ENOTDIR, ENOSPC (/dev/full), EISDIR, a
 * parent that cannot be created (under /proc) and a read-only file system (a read-only tmpfs this
 * process mounts once; mounting needs root, which the tests and CI have: a failed mount fails the test).
 */
export const UNWRITABLE_PATHS: readonly UnwritablePath[] = [
  {
    how: 'a file where a directory should be',
    make: (dir) => {
      fs.writeFileSync(path.join(dir, 'a-file'), 'not a directory');
      return path.join(dir, 'a-file', 'logs', 'audit.log');
    },
    words: 'a file is where a directory should be (ENOTDIR)',
  },
  { how: 'a full file system (/dev/full)', make: () => '/dev/full', words: 'no space left on device (ENOSPC)' },
  {
    how: 'a directory at the path',
    make: (dir) => {
      fs.mkdirSync(path.join(dir, 'audit.log'));
      return path.join(dir, 'audit.log');
    },
    words: 'it is a directory (EISDIR)',
  },
  {
    how: 'a missing parent that cannot be created',
    make: () => '/proc/iam-allowlist-missing/audit.log',
    words: 'no such file or directory',
  },
  { how: 'a read-only file system', make: () => path.join(readOnlyMount(), 'audit.log'), words: 'read-only file system (EROFS)' },
];

let mounted: string | null = null;

/** A read-only tmpfs for the importing test file, unmounted after its last test. */
function readOnlyMount(): string {
  if (mounted !== null) return mounted;
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'read-only-'));
  execFileSync('mount', ['-t', 'tmpfs', '-o', 'ro,size=1m', 'tmpfs', dir]);
  mounted = dir;
  return dir;
}

// Registered at import time, inside the importing test file: the hook runs after its last test.
afterAll(() => {
  if (mounted === null) return;
  execFileSync('umount', [mounted]);
  fs.rmdirSync(mounted);
  mounted = null;
});
