/**
 * The jest projects (jest.config.js) are what keeps `npm run test:unit` fast: a unit file that starts the local
 * endpoint or spawns a process would slow it down unnoticed, and a file matched by no project would never run.
 */
import * as fs from 'fs';
import * as path from 'path';
import { globsToMatcher } from 'jest-util';

const REPO_ROOT = path.resolve(__dirname, '..');

const jestConfig = require('../jest.config.js') as {
  readonly projects: ReadonlyArray<{
    readonly displayName: string;
    readonly testMatch: string[];
    readonly testPathIgnorePatterns?: string[];
  }>;
  readonly testProjectOf: (relativePath: string) => string;
};

/** What only an integration or e2e test does: start the local endpoint, or run a child process. */
const OUT_OF_PROCESS = /\bstartEndpoint\b|\buse(Iam|Executor)Endpoint\b|['"]child_process['"]|from ['"]\.\.\/e2e\/helpers['"]/;

function testFiles(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) return testFiles(full);
    return entry.name.endsWith('.test.ts') ? [path.relative(REPO_ROOT, full).split(path.sep).join('/')] : [];
  });
}

/** The displayNames of the projects whose testMatch and testPathIgnorePatterns select a file, as jest applies them. */
function projectsSelecting(relativePath: string): string[] {
  const absolute = path.join(REPO_ROOT, relativePath).split(path.sep).join('/');
  return jestConfig.projects
    .filter((project) => {
      const matches = globsToMatcher(project.testMatch.map((glob) => glob.replace('<rootDir>', REPO_ROOT)));
      const ignored = (project.testPathIgnorePatterns ?? []).some((pattern) => new RegExp(pattern).test(absolute));
      return matches(absolute) && !ignored;
    })
    .map((project) => project.displayName);
}

const files = testFiles(path.join(REPO_ROOT, 'test'));

describe('jest projects', () => {
  test('GIVEN the test tree WHEN listed THEN the three projects are all represented', () => {
    const projects = new Set(files.map((file) => jestConfig.testProjectOf(file)));
    expect([...projects].sort()).toEqual(['e2e', 'integration', 'unit']);
  });

  test.each(files)('GIVEN %s WHEN jest selects projects THEN exactly its own project runs it', (file) => {
    expect(projectsSelecting(file)).toEqual([jestConfig.testProjectOf(file)]);
  });

  test('GIVEN the unit project WHEN its files are read THEN none starts the local endpoint or spawns a process', () => {
    const offenders = files
      .filter((file) => jestConfig.testProjectOf(file) === 'unit')
      .filter((file) => OUT_OF_PROCESS.test(fs.readFileSync(path.join(REPO_ROOT, file), 'utf8')));
    // A file listed here belongs in an integration location: name it `*.integration.test.ts` (or see jest.config.js).
    expect(offenders).toEqual([]);
  });
});
