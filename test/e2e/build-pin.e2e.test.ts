/**
 * The compiled CLI refuses to enforce a stack that another build planned (`--expect-build`, which
 * every synthesized enforce call carries), and enforces one its own build planned.
 */
import * as fs from 'fs';
import * as path from 'path';
import { runningBuildId } from '../../src/commands/build-pin';
import { CLI, childEnv, run, sampleAllowlistText, tempDir, useSandboxAccount } from './helpers';

const sandbox = useSandboxAccount();

async function enforceDelete(expectBuild: string): Promise<{ status: number | null; stderr: string }> {
  const dir = tempDir('build-pin');
  fs.writeFileSync(path.join(dir, 'allowlist.yaml'), sampleAllowlistText('hold'));
  const userId = await sandbox.view.userId('temp-deploy-user');
  const args = ['enforce', '--action', 'delete', '--user', 'temp-deploy-user', '--user-id', userId!, '--expect-build', expectBuild];
  return run('node', [CLI, ...args, '--allowlist', 'allowlist.yaml'], { cwd: dir, env: childEnv(sandbox.ep, dir), timeoutMs: 100_000 });
}

describe('enforce --expect-build (compiled CLI)', () => {
  it('GIVEN a stack planned by another build WHEN enforce runs THEN it refuses naming both builds and the user is untouched', async () => {
    const before = await sandbox.view.fingerprint('temp-deploy-user');
    const result = await enforceDelete('0.0.1+0000000000000000');
    expect(result.status).toBe(1);
    expect(result.stderr).toContain('Refused: this stack was planned by iam-allowlist 0.0.1+0000000000000000');
    expect(result.stderr).toContain(`the CLI enforcing it is ${runningBuildId()}`);
    expect(await sandbox.view.fingerprint('temp-deploy-user')).toEqual(before);
  }, 120_000);

  it('GIVEN a stack planned by the running build WHEN enforce runs THEN the user is deleted', async () => {
    const result = await enforceDelete(runningBuildId());
    expect({ status: result.status, stderr: result.stderr }).toEqual({ status: 0, stderr: expect.any(String) });
    expect(await sandbox.view.userId('temp-deploy-user')).toBeNull();
  }, 120_000);
});
