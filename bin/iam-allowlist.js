#!/usr/bin/env node
'use strict';
// Runs the compiled CLI when `npm run build` has produced it, the TypeScript sources otherwise.
const path = require('path');
const fs = require('fs');
const compiled = path.join(__dirname, '..', 'dist', 'src', 'cli', 'main.js');
if (fs.existsSync(compiled) && !process.env.IAM_ALLOWLIST_FROM_SOURCE) {
  require(compiled).runCli(process.argv);
} else {
  require('ts-node').register({ transpileOnly: true, project: path.join(__dirname, '..', 'tsconfig.json') });
  require('../src/cli/main.ts').runCli(process.argv);
}
