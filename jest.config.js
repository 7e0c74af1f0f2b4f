/**
 * Three jest projects, chosen by path so that no test file has to move:
 * - e2e: everything under test/e2e/ (real binaries: the CLI, cdktf, terraform);
 * - integration: `*.integration.test.ts`, everything under test/faults/, and the existing files listed in
 *   INTEGRATION_FILES (they start the local endpoint or spawn terraform under a unit-looking name);
 * - unit: every other `*.test.ts` — in-process, no endpoint, no child process.
 * `npm test` runs all three; `npm run test:unit|test:integration|test:e2e` one (`jest --selectProjects`).
 * test/jest-projects.test.ts checks that each test file lands in exactly one project and that no unit file
 * starts the endpoint or spawns a process.
 */
const path = require('path');

const E2E_DIR = 'test/e2e/';
const INTEGRATION_DIR = 'test/faults/';
const INTEGRATION_SUFFIX = '.integration.test.ts';
/** Older files that start the endpoint or spawn terraform, kept under their names (renaming would conflict with concurrent edits). */
const INTEGRATION_FILES = [
  'test/construct/terraform.test.ts',
  'test/endpoint/credential-report.test.ts',
  'test/endpoint/faults.test.ts',
  'test/endpoint/iam-credentials.test.ts',
  'test/endpoint/iam-delete-conflict.test.ts',
  'test/endpoint/iam-policies.test.ts',
  'test/endpoint/iam-users.test.ts',
  'test/endpoint/kms-sdk.test.ts',
  'test/endpoint/sandbox.test.ts',
];

/** The project a test file (path relative to the repository, forward slashes) belongs to. */
function testProjectOf(relativePath) {
  if (relativePath.startsWith(E2E_DIR)) return 'e2e';
  if (relativePath.startsWith(INTEGRATION_DIR) || relativePath.endsWith(INTEGRATION_SUFFIX)) return 'integration';
  if (INTEGRATION_FILES.includes(relativePath)) return 'integration';
  return 'unit';
}

const escapeRegex = (text) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
/** A testRegex alternative matching one repository-relative path or prefix, under <rootDir> only. */
const underRoot = (relative) => escapeRegex(path.join(__dirname, relative).split(path.sep).join('/'));

const common = {
  rootDir: __dirname,
  testEnvironment: 'node',
  roots: ['<rootDir>/test'],
  // Type checking is done once by `npm run build` (tsc); per-file transpilation keeps jest fast.
  transform: { '^.+\\.ts$': ['ts-jest', { isolatedModules: true, diagnostics: false }] },
  setupFiles: ['<rootDir>/jest.setup.js'],
};

const notUnit = [
  `^${underRoot(E2E_DIR)}`,
  `^${underRoot(INTEGRATION_DIR)}`,
  `${escapeRegex(INTEGRATION_SUFFIX)}$`,
  ...INTEGRATION_FILES.map((file) => `^${underRoot(file)}$`),
];

/** @type {import('jest').Config} */
module.exports = {
  testTimeout: 60000,
  maxWorkers: 2,
  projects: [
    { ...common, displayName: 'unit', testMatch: ['**/*.test.ts'], testPathIgnorePatterns: ['/node_modules/', ...notUnit] },
    {
      ...common,
      displayName: 'integration',
      testMatch: [
        `**/*${INTEGRATION_SUFFIX}`,
        `<rootDir>/${INTEGRATION_DIR}**/*.test.ts`,
        ...INTEGRATION_FILES.map((file) => `<rootDir>/${file}`),
      ],
      testPathIgnorePatterns: ['/node_modules/', `^${underRoot(E2E_DIR)}`],
    },
    { ...common, displayName: 'e2e', testMatch: [`<rootDir>/${E2E_DIR}**/*.test.ts`] },
  ],
};

// Not jest options: the classification itself, for test/jest-projects.test.ts.
Object.defineProperty(module.exports, 'testProjectOf', { value: testProjectOf, enumerable: false });
