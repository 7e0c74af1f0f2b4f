#!/usr/bin/env node
'use strict';
// Always the compiled dist/ (no TypeScript compiler at run time). In a checkout, `npm ci` builds it
// (prepare) and `npm run build` rebuilds it; a stack synthesized by other sources is refused by
// `enforce --expect-build` (src/commands/build-pin.ts), so stale guards never enforce.
const path = require('path');
const compiled = path.join(__dirname, '..', 'dist', 'src', 'cli', 'main.js');
let cli;
try {
  cli = require(compiled);
} catch (err) {
  if (err && err.code === 'MODULE_NOT_FOUND' && String(err.message).includes(compiled)) {
    process.stderr.write(`Error: ${compiled} is missing\n  fix: run \`npm run build\` in ${path.dirname(__dirname)}\n`);
    process.exit(1);
  }
  throw err;
}
cli.runCli(process.argv);
