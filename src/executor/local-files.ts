import * as fs from 'fs';
import * as path from 'path';

/** What an OS error code means, in words an operator reads without a manual. */
const FS_ERROR_WORDS: Readonly<Record<string, string>> = {
  ENOENT: 'no such file or directory (a parent directory is missing and cannot be created)',
  ENOTDIR: 'a file is where a directory should be',
  EEXIST: 'a file is where a directory should be',
  EISDIR: 'it is a directory',
  EROFS: 'read-only file system',
  ENOSPC: 'no space left on device',
  EDQUOT: 'disk quota exceeded',
  EACCES: 'permission denied',
  EPERM: 'operation not permitted',
  EIO: 'input/output error',
  EMFILE: 'too many open files',
  ENAMETOOLONG: 'file name too long',
};

/** "read-only file system (EROFS)": the OS error as words plus its code, never a bare errno. */
export function describeFsError(err: unknown): string {
  const e = err as NodeJS.ErrnoException;
  const code = typeof e?.code === 'string' ? e.code : undefined;
  if (code && FS_ERROR_WORDS[code]) return `${FS_ERROR_WORDS[code]} (${code})`;
  return e?.message ?? String(err);
}

function errnoError(code: string, syscall: string, file: string): NodeJS.ErrnoException {
  const err: NodeJS.ErrnoException = new Error(`${code}: ${syscall} '${file}'`);
  err.code = code;
  err.syscall = syscall;
  err.path = file;
  return err;
}

/**
 * mkdir -p, one level at a time. `fs.mkdirSync(dir, { recursive: true })` loops forever on some
 * pseudo file systems (a missing directory under /proc); this fails with the OS error instead.
 */
export function ensureDirectory(dir: string): void {
  const absolute = path.resolve(dir);
  try {
    if (!fs.statSync(absolute).isDirectory()) throw errnoError('ENOTDIR', 'mkdir', absolute);
    return;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
  }
  const parent = path.dirname(absolute);
  if (parent !== absolute) ensureDirectory(parent);
  try {
    fs.mkdirSync(absolute);
  } catch (err) {
    // Another process made it meanwhile.
    if ((err as NodeJS.ErrnoException).code !== 'EEXIST' || !fs.statSync(absolute).isDirectory()) throw err;
  }
}

/** Appends `text` and fsyncs it before returning: on disk, not in a cache, when this returns. */
export function appendDurably(file: string, text: string): void {
  writeDurably(file, text, 'a');
}

/** Writes `text` (flag "w": replace, "a": append) to a file readable by its owner only, fsynced before returning. */
export function writeDurably(file: string, text: string, flag: 'w' | 'a'): void {
  const fd = fs.openSync(file, flag, 0o600);
  try {
    fs.writeSync(fd, text);
    fs.fsyncSync(fd);
  } finally {
    fs.closeSync(fd);
  }
}
