#!/usr/bin/env node
'use strict';
// `npm run build`: compile src/ to dist/ (tsconfig.build.json, with type declarations), then write
// dist/build-id.json, the version and the fingerprint of the sources just compiled, which
// `enforce --expect-build` compares with the stack's pin (src/commands/build-pin.ts).
// Skips the compiler when dist/ was built from exactly these sources (`--force` compiles anyway), so
// `prepare`, `prepack` and the end-to-end tests can all ask for a build without paying for it twice.
const { spawnSync } = require('child_process');
const fs = require('fs');
const path = require('path');

const root = path.join(__dirname, '..');
const dist = path.join(root, 'dist');
const buildIdFile = path.join(dist, 'build-id.json');
const buildPin = () => require(path.join(dist, 'src', 'commands', 'build-pin.js'));

function upToDate() {
  try {
    if (!fs.existsSync(path.join(dist, 'src', 'cli', 'main.js'))) return false;
    const recorded = JSON.parse(fs.readFileSync(buildIdFile, 'utf8'));
    const current = buildPin().buildIdFileFor(root);
    return recorded.version === current.version && recorded.fingerprint === current.fingerprint;
  } catch {
    return false;
  }
}

if (!process.argv.includes('--force') && upToDate()) {
  const recorded = JSON.parse(fs.readFileSync(buildIdFile, 'utf8'));
  process.stdout.write(`dist/ is up to date: iam-allowlist ${buildPin().formatBuildId(recorded)}\n`);
  process.exit(0);
}
fs.rmSync(dist, { recursive: true, force: true });
const tsc = spawnSync(process.execPath, [require.resolve('typescript/bin/tsc'), '-p', path.join(root, 'tsconfig.build.json')], {
  cwd: root,
  stdio: 'inherit',
});
if (tsc.status !== 0) process.exit(tsc.status ?? 1);
const buildId = buildPin().buildIdFileFor(root);
fs.writeFileSync(buildIdFile, JSON.stringify(buildId, null, 2) + '\n');
process.stdout.write(`dist/ built: iam-allowlist ${buildPin().formatBuildId(buildId)}\n`);
