/**
 * The end-to-end tests run the compiled CLI (bin/iam-allowlist.js -> dist/), as users do. dist/ is
 * brought up to date with the sources once per test process (scripts/build.js compiles only when the
 * sources changed); a lock directory keeps parallel jest workers from compiling into dist/ at once.
 */
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';

const REPO_ROOT = path.resolve(__dirname, '..', '..');
const LOCK = path.join(REPO_ROOT, '.build.lock');
const LOCK_STALE_MS = 10 * 60_000;
const BUILD_TIMEOUT_MS = 5 * 60_000;

let built = false;

function sleep(ms: number): void {
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
}

function acquireLock(): void {
  const deadline = Date.now() + BUILD_TIMEOUT_MS;
  for (;;) {
    try {
      fs.mkdirSync(LOCK);
      return;
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
      // A lock left by a killed process would otherwise stop every later run.
      const age = Date.now() - fs.statSync(LOCK, { throwIfNoEntry: false })!.mtimeMs;
      if (age > LOCK_STALE_MS) fs.rmSync(LOCK, { recursive: true, force: true });
      if (Date.now() > deadline) throw new Error(`timed out waiting for ${LOCK} (another test process is building dist/)`);
      sleep(200);
    }
  }
}

/** Builds dist/ unless it is up to date with the sources; synchronous, before any endpoint serves. */
export function ensureBuilt(): void {
  if (built) return;
  acquireLock();
  try {
    const result = spawnSync(process.execPath, [path.join(REPO_ROOT, 'scripts', 'build.js')], {
      cwd: REPO_ROOT,
      encoding: 'utf8',
      timeout: BUILD_TIMEOUT_MS,
    });
    if (result.status !== 0) throw new Error(`npm run build failed (exit ${result.status}):\n${result.stdout}\n${result.stderr}`);
  } finally {
    fs.rmSync(LOCK, { recursive: true, force: true });
  }
  built = true;
}
