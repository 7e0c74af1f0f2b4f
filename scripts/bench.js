#!/usr/bin/env node
'use strict';
// `npm run bench`: the benchmark runs compiled JavaScript, as the product does (dist/), not under ts-node,
// whose compiler alone holds ~135 MiB of the process's RSS. Compiles src/ and bench/ with the project's
// TypeScript (tsconfig.bench.json) into .bench-build/ unless it is newer than every source, writes
// .bench-build/build-id.json (the compiled build-pin.js reads its build id there, as dist/ does, since the
// sources it would otherwise hash are not next to it), then runs .bench-build/bench/bench.js with our
// arguments and forwards its exit code.
const { spawnSync } = require('child_process');
const fs = require('fs');
const path = require('path');

const root = path.join(__dirname, '..');
const outDir = path.join(root, '.bench-build');
const stamp = path.join(outDir, '.compiled');
const SOURCE_DIRS = ['src', 'bench', 'schema'];
const SOURCE_FILES = ['package.json', 'tsconfig.json', 'tsconfig.bench.json', 'tsconfig.build.json'];

function newestSourceMtimeMs() {
  let newest = 0;
  const visit = (file) => {
    const stat = fs.statSync(file);
    if (stat.isDirectory()) {
      for (const entry of fs.readdirSync(file)) visit(path.join(file, entry));
      newest = Math.max(newest, stat.mtimeMs); // a deleted or renamed file changes its directory
    } else if (/\.(ts|json)$/.test(file)) {
      newest = Math.max(newest, stat.mtimeMs);
    }
  };
  for (const dir of SOURCE_DIRS) visit(path.join(root, dir));
  for (const file of SOURCE_FILES) visit(path.join(root, file));
  return newest;
}

function upToDate() {
  try {
    return fs.statSync(stamp).mtimeMs > newestSourceMtimeMs();
  } catch {
    return false;
  }
}

function compile() {
  fs.rmSync(outDir, { recursive: true, force: true });
  const started = Date.now();
  // The compiler's messages go to stderr: stdout is the report.
  const tsc = spawnSync(process.execPath, [require.resolve('typescript/bin/tsc'), '-p', path.join(root, 'tsconfig.bench.json')], {
    cwd: root,
    stdio: ['ignore', 2, 2],
  });
  if (tsc.status !== 0) {
    process.stderr.write(`[bench] compiling .bench-build/ failed (tsc exit ${tsc.status ?? tsc.signal})\n`);
    process.exit(tsc.status ?? 1);
  }
  const buildPin = require(path.join(outDir, 'src', 'commands', 'build-pin.js'));
  fs.writeFileSync(path.join(outDir, 'build-id.json'), JSON.stringify(buildPin.buildIdFileFor(root), null, 2) + '\n');
  fs.writeFileSync(stamp, '');
  process.stderr.write(`[bench] compiled src/ and bench/ to .bench-build/ in ${Date.now() - started} ms\n`);
}

if (!upToDate()) compile();
const run = spawnSync(process.execPath, [path.join(outDir, 'bench', 'bench.js'), ...process.argv.slice(2)], {
  cwd: root,
  stdio: 'inherit',
  env: { ...process.env, AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true' },
});
if (run.error) throw run.error;
if (run.signal) process.kill(process.pid, run.signal);
process.exit(run.status ?? 1);
