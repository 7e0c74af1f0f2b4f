/**
 * `iam-allowlist demo` as a user runs it (a separate process; it starts its own sandbox endpoint): the story told
 * once and short, and no scratch directory left behind, also when a step fails.
 */
import * as fs from 'fs';
import { CLI, REPO_ROOT, removeTempDirs, tempDir } from './helpers';
import { runRaw, type RawResult } from './raw-process';

const TEST_TIMEOUT = 120_000;

afterAll(() => removeTempDirs());

/** The demo with TMPDIR pointed at a directory of its own, so what it leaves there can be seen. */
function demo(cwd: string, tmp: string, args: readonly string[] = [], terminal = false): Promise<RawResult> {
  const env: NodeJS.ProcessEnv = { ...process.env, TMPDIR: tmp, CHECKPOINT_DISABLE: '1' };
  for (const key of ['NO_COLOR', 'FORCE_COLOR', 'NODE_NO_WARNINGS', 'AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED']) delete env[key];
  return runRaw('node', [CLI, 'demo', ...args], { cwd, env, terminal });
}

const count = (text: string, fragment: string): number => text.split(fragment).length - 1;

/** The demo's scratch directories (node keeps a compile cache in TMPDIR too). */
const demoDirs = (tmp: string): string[] => fs.readdirSync(tmp).filter((name) => name.startsWith('iam-allowlist-demo-'));

describe('iam-allowlist demo', () => {
  it(
    'GIVEN the sample allowlist WHEN the demo runs THEN under 80 lines, each command once, the warning once, no scratch directory left',
    async () => {
      const tmp = tempDir('demo-tmp');

      const result = await demo(REPO_ROOT, tmp);

      expect({ status: result.status, stderr: result.stderr }).toEqual({ status: 0, stderr: '' });
      const lines = result.stdout.trimEnd().split('\n');
      expect(lines.length).toBeLessThan(80);
      for (const command of ['validate', 'plan   #', 'apply --auto-approve   #', 'release', 'restore']) {
        expect({ command, shown: count(result.stdout, `$ iam-allowlist ${command}`) }).toEqual({ command, shown: 1 });
      }
      expect(count(result.stdout, 'the exception for "legacy-etl" expired')).toBe(1);
      expect(count(result.stdout, 'Plan: 3 to delete, 1 to quarantine, 7 held.')).toBe(1);
      expect(result.stdout).toContain('Apply complete: 4 done, 0 refused or failed.');
      expect(result.stdout).not.toContain('NodeVersionSupportWarning');
      expect(demoDirs(tmp)).toEqual([]);
    },
    TEST_TIMEOUT,
  );

  it(
    'GIVEN a terminal WHEN the demo runs THEN still under 80 lines',
    async () => {
      const tmp = tempDir('demo-tty');
      const result = await demo(REPO_ROOT, tmp, [], true);
      expect(result.status).toBe(0);
      expect(result.stdout.trimEnd().split('\n').length).toBeLessThan(80);
      expect(demoDirs(tmp)).toEqual([]);
    },
    TEST_TIMEOUT,
  );

  it(
    'GIVEN --full WHEN the demo runs THEN the full plan text is shown',
    async () => {
      const tmp = tempDir('demo-full');
      const result = await demo(REPO_ROOT, tmp, ['--full']);
      expect(result.status).toBe(0);
      expect(result.stdout).toContain('Hygiene (report only):');
      expect(demoDirs(tmp)).toEqual([]);
    },
    TEST_TIMEOUT,
  );

  it(
    'GIVEN a directory without allowlist.yaml WHEN the demo fails at validate THEN exit 1 and still no scratch directory left',
    async () => {
      const tmp = tempDir('demo-fail');
      const empty = tempDir('demo-cwd');

      const result = await demo(empty, tmp);

      expect(result.status).toBe(1);
      expect(result.stderr).toContain('cannot read allowlist allowlist.yaml: ENOENT');
      expect(demoDirs(tmp)).toEqual([]);
    },
    TEST_TIMEOUT,
  );
});
