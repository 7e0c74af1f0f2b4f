'use strict';
// Preloaded into every `enforce` process of `npm run bench -- --terraform` (NODE_OPTIONS=--require, set
// only in the environment bench/terraform-path.ts gives terraform): appends one JSON line per process
// to $IAM_ALLOWLIST_BENCH_PROBE with when the process started, when its modules were loaded and its
// main had run (the first turn of the event loop: start-up), when it exited, and its peak RSS. The stack itself is
// the one users get; nothing else is changed.
const fs = require('fs');
const { performance } = require('perf_hooks');

const file = process.env.IAM_ALLOWLIST_BENCH_PROBE;
if (file) {
  const startedAt = performance.timeOrigin;
  let readyAt = null;
  setImmediate(() => {
    readyAt = performance.timeOrigin + performance.now();
  });
  process.on('exit', (code) => {
    const exitedAt = performance.timeOrigin + performance.now();
    fs.appendFileSync(
      file,
      JSON.stringify({ pid: process.pid, startedAt, readyAt, exitedAt, exitCode: code, maxRssKiB: process.resourceUsage().maxRSS }) + '\n',
    );
  });
}
