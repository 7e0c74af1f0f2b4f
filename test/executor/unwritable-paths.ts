import * as fs from 'fs';
import * as path from 'path';

export interface UnwritablePath {
  readonly how: string;
  /** Makes the path inside `dir` (or names a system one) and returns it. */
  readonly make: (dir: string) => string;
  /** The OS error in words, as the error message must say it. */
  readonly words: string;
}

/**
 * Four ways a log or backup path cannot be written on this machine. The tests run as root, for whom
 * permissions stop nothing, so these are real failures: ENOTDIR, ENOSPC (/dev/full), EISDIR and a
 * parent that cannot be created (under /proc). No read-only mount can be made without privileges.
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
  { how: 'a missing parent that cannot be created', make: () => '/proc/iam-allowlist-missing/audit.log', words: 'no such file or directory' },
];
