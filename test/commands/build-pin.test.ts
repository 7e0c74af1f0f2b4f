import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import {
  assertExpectedBuild,
  buildIdFileFor,
  formatBuildId,
  runningBuildId,
  sourceFingerprint,
  staleBuildWarning,
} from '../../src/commands/build-pin';
import { RefusedError } from '../../src/errors';

const REPO_ROOT = path.resolve(__dirname, '..', '..');

const createdDirs: string[] = [];

function fakePackage(): string {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'iam-allowlist-build-pin-'));
  createdDirs.push(root);
  fs.mkdirSync(path.join(root, 'src', 'plan'), { recursive: true });
  fs.mkdirSync(path.join(root, 'schema'));
  fs.writeFileSync(path.join(root, 'package.json'), JSON.stringify({ name: 'iam-allowlist', version: '1.2.3' }));
  fs.writeFileSync(path.join(root, 'src', 'plan', 'guard.ts'), 'export const limit = 90;\n');
  fs.writeFileSync(path.join(root, 'schema', 'allowlist.schema.json'), '{}');
  fs.writeFileSync(path.join(root, 'tsconfig.json'), '{}');
  fs.writeFileSync(path.join(root, 'tsconfig.build.json'), '{}');
  return root;
}

afterAll(() => {
  for (const dir of createdDirs.splice(0)) fs.rmSync(dir, { recursive: true, force: true });
});

describe('build fingerprint', () => {
  it('GIVEN the same sources WHEN fingerprinted twice THEN the same id, with the package version', () => {
    const root = fakePackage();
    expect(sourceFingerprint(root)).toBe(sourceFingerprint(root));
    expect(formatBuildId(buildIdFileFor(root))).toMatch(/^1\.2\.3\+[0-9a-f]{16}$/);
  });

  it('GIVEN one guard source changed WHEN fingerprinted THEN the fingerprint differs', () => {
    const root = fakePackage();
    const before = sourceFingerprint(root);
    fs.writeFileSync(path.join(root, 'src', 'plan', 'guard.ts'), 'export const limit = 30;\n');
    expect(sourceFingerprint(root)).not.toBe(before);
  });

  it('GIVEN the allowlist schema or the compiler settings changed WHEN fingerprinted THEN the fingerprint differs', () => {
    const root = fakePackage();
    const before = sourceFingerprint(root);
    fs.writeFileSync(path.join(root, 'schema', 'allowlist.schema.json'), '{"type":"object"}');
    const afterSchema = sourceFingerprint(root);
    fs.writeFileSync(path.join(root, 'tsconfig.build.json'), '{"compilerOptions":{}}');
    expect(new Set([before, afterSchema, sourceFingerprint(root)]).size).toBe(3);
  });

  it('GIVEN this process runs from the TypeScript sources WHEN asked for its build THEN it is the fingerprint of the checkout', () => {
    expect(runningBuildId()).toBe(formatBuildId(buildIdFileFor(REPO_ROOT)));
  });
});

describe('assertExpectedBuild', () => {
  it('GIVEN the stack pins the running build WHEN enforce checks THEN it proceeds', () => {
    expect(() => assertExpectedBuild('1.2.3+aaaa', '1.2.3+aaaa')).not.toThrow();
  });

  it('GIVEN no pin (enforce typed by hand) WHEN enforce checks THEN it proceeds', () => {
    expect(() => assertExpectedBuild(undefined, '1.2.3+aaaa')).not.toThrow();
  });

  it('GIVEN the stack was planned by another build WHEN enforce checks THEN it refuses, naming both builds and the fix', () => {
    let thrown: unknown;
    try {
      assertExpectedBuild('1.2.2+bbbb', '1.2.3+aaaa');
    } catch (err) {
      thrown = err;
    }
    expect(thrown).toBeInstanceOf(RefusedError);
    const refused = thrown as RefusedError;
    expect(refused.message).toContain('planned by iam-allowlist 1.2.2+bbbb');
    expect(refused.message).toContain('the CLI enforcing it is 1.2.3+aaaa');
    expect(refused.reasons.join('\n')).toContain('npm run build');
  });
});

describe('staleBuildWarning (running from the sources)', () => {
  function buildIdFile(content: object | null): string {
    const dir = fakePackage();
    const file = path.join(dir, 'build-id.json');
    if (content !== null) fs.writeFileSync(file, JSON.stringify(content));
    return file;
  }

  it('GIVEN dist/ built from these sources WHEN checked THEN no warning', () => {
    expect(staleBuildWarning('1.2.3+aaaa', buildIdFile({ version: '1.2.3', fingerprint: 'aaaa' }))).toBeNull();
  });

  it('GIVEN dist/ built from older sources WHEN checked THEN a warning names both builds and `npm run build`', () => {
    const warning = staleBuildWarning('1.2.3+bbbb', buildIdFile({ version: '1.2.3', fingerprint: 'aaaa' }));
    expect(warning).toContain('dist/ (1.2.3+aaaa) is not built from these sources (1.2.3+bbbb)');
    expect(warning).toContain('run `npm run build`, or enforce refuses this stack');
  });

  it('GIVEN no dist/ at all WHEN checked THEN the warning says it is missing', () => {
    expect(staleBuildWarning('1.2.3+bbbb', buildIdFile(null))).toContain('dist/ (missing)');
  });
});
