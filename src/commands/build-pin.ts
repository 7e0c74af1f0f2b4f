import { createHash } from 'crypto';
import * as fs from 'fs';
import * as path from 'path';
import { RefusedError } from '../errors';

/**
 * `enforce` must never run older guards than the ones that planned. The synthesized stack passes
 * the build that planned as `--expect-build <id>`; `enforce` compares it with its own build and
 * refuses on a mismatch. A build id is `<package version>+<fingerprint>`, the fingerprint a hash of
 * the sources (src/, the allowlist schema, the compiler settings) the code was compiled from: compiled code reads it
 * from dist/build-id.json (written by scripts/build.js), code running from the TypeScript sources
 * (tests, ts-node) computes it, so a dist/ older than the sources is refused too.
 */

/** dist/build-id.json, written next to dist/src by scripts/build.js. */
export interface BuildIdFile {
  readonly version: string;
  readonly fingerprint: string;
}

const PACKAGE_ROOT_FROM_SOURCES = path.resolve(__dirname, '..', '..');
/** Compiled, this file is dist/src/commands/build-pin.js. */
const BUILD_ID_FILE_WHEN_COMPILED = path.resolve(__dirname, '..', '..', 'build-id.json');
const FINGERPRINT_LENGTH = 16;

/** Every file whose content decides what the tool does; sorted, so the hash is stable. */
function fingerprintedFiles(packageRoot: string): string[] {
  const files: string[] = [];
  const walk = (dir: string): void => {
    for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
      const full = path.join(dir, entry.name);
      if (entry.isDirectory()) walk(full);
      else if (entry.name.endsWith('.ts') && !entry.name.endsWith('.d.ts')) files.push(full);
    }
  };
  walk(path.join(packageRoot, 'src'));
  for (const file of ['schema/allowlist.schema.json', 'tsconfig.json', 'tsconfig.build.json']) {
    files.push(path.join(packageRoot, file));
  }
  return files.map((file) => path.relative(packageRoot, file).split(path.sep).join('/')).sort();
}

/** The fingerprint of the sources under packageRoot (what scripts/build.js stores). */
export function sourceFingerprint(packageRoot: string): string {
  const hash = createHash('sha256');
  for (const relative of fingerprintedFiles(packageRoot)) {
    hash
      .update(relative, 'utf8')
      .update('\0')
      .update(fs.readFileSync(path.join(packageRoot, relative)))
      .update('\0');
  }
  return hash.digest('hex').slice(0, FINGERPRINT_LENGTH);
}

function packageVersion(packageRoot: string): string {
  const manifest = JSON.parse(fs.readFileSync(path.join(packageRoot, 'package.json'), 'utf8')) as { version?: unknown };
  return typeof manifest.version === 'string' ? manifest.version : '0.0.0';
}

export function formatBuildId(file: BuildIdFile): string {
  return `${file.version}+${file.fingerprint}`;
}

/** What the build step writes: the version and the fingerprint of the sources it compiled. */
export function buildIdFileFor(packageRoot: string): BuildIdFile {
  return { version: packageVersion(packageRoot), fingerprint: sourceFingerprint(packageRoot) };
}

let cached: string | undefined;

/** The build id of the code running in this process. */
export function runningBuildId(): string {
  if (cached !== undefined) return cached;
  if (fs.existsSync(BUILD_ID_FILE_WHEN_COMPILED)) {
    cached = formatBuildId(JSON.parse(fs.readFileSync(BUILD_ID_FILE_WHEN_COMPILED, 'utf8')) as BuildIdFile);
  } else {
    cached = formatBuildId(buildIdFileFor(PACKAGE_ROOT_FROM_SOURCES));
  }
  return cached;
}

/**
 * Running from the sources (a checkout's cdktf app), the stack pins the sources' fingerprint while
 * `enforce` will run dist/: say at synthesis, not only at apply time, that dist/ is stale.
 * Null when running compiled, or when dist/ matches.
 */
export function staleBuildWarning(
  running: string = runningBuildId(),
  compiledBuildIdFile: string = path.join(PACKAGE_ROOT_FROM_SOURCES, 'dist', 'build-id.json'),
): string | null {
  if (fs.existsSync(BUILD_ID_FILE_WHEN_COMPILED)) return null;
  const compiled = fs.existsSync(compiledBuildIdFile)
    ? formatBuildId(JSON.parse(fs.readFileSync(compiledBuildIdFile, 'utf8')) as BuildIdFile)
    : 'missing';
  if (compiled === running) return null;
  return `dist/ (${compiled}) is not built from these sources (${running}): run \`npm run build\`, or enforce refuses this stack`;
}

/**
 * Refuses when the stack was synthesized by another build than the one running. No expectation
 * (a stack synthesized without the pin, or `enforce` typed by hand) means nothing to compare with.
 */
export function assertExpectedBuild(expected: string | undefined, running: string = runningBuildId()): void {
  if (expected === undefined || expected === running) return;
  throw new RefusedError(
    `this stack was planned by iam-allowlist ${expected}, but the CLI enforcing it is ${running}: ` +
      'nothing was changed, because the running guards are not the ones that planned',
    [
      'synthesize the stack again with the installed version (`cdktf deploy` synthesizes before it applies), then apply',
      'or install the version that planned, and in a checkout run `npm run build` after changing the sources',
    ],
  );
}
