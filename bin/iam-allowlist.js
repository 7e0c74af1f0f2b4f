#!/usr/bin/env node
'use strict';
// In a checkout (the TypeScript sources and ts-node are there) the sources run, so a stale dist/
// can never enforce with older guards than the ones that planned. An installed package without
// sources runs the compiled dist/.
const path = require('path');
const fs = require('fs');
const root = path.join(__dirname, '..');
const sources = path.join(root, 'src', 'cli', 'main.ts');
const compiled = path.join(root, 'dist', 'src', 'cli', 'main.js');

function tsNodeAvailable() {
  try {
    require.resolve('ts-node');
    return true;
  } catch {
    return false;
  }
}

if (fs.existsSync(sources) && tsNodeAvailable()) {
  require('ts-node').register({ transpileOnly: true, project: path.join(root, 'tsconfig.json') });
  require(sources).runCli(process.argv);
} else {
  require(compiled).runCli(process.argv);
}
