import { CLI, childEnv, run, type ProcessResult, type SandboxFixture } from './helpers';

/** The compiled CLI in `dir` against the fixture's sandbox endpoint (killed after 80 s). */
export function sandboxCli(sandbox: SandboxFixture): (dir: string, args: readonly string[]) => Promise<ProcessResult> {
  return (dir, args) => run('node', [CLI, ...args], { cwd: dir, env: childEnv(sandbox.ep, dir), timeoutMs: 80_000 });
}
