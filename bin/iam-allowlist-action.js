#!/usr/bin/env node
'use strict';
// What action.yml runs: the GitHub Action's logic, from the compiled dist/ of the installed package.
require('../dist/src/action/main.js').main();
