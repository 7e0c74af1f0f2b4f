import { spawn } from 'child_process';

/** A finished child process with its output as written: ANSI codes and carriage returns kept (helpers.run strips them). */
export interface RawResult {
  readonly status: number | null;
  readonly stdout: string;
  readonly stderr: string;
  readonly elapsedMs: number;
}

/**
 * Spawned asynchronously (the endpoint of the test answers on this process's event loop), killed after `timeoutMs`.
 * With `terminal`, run on a pseudo-terminal through util-linux `script`: stdout and stderr are then a TTY and
 * both arrive on stdout.
 */
export function runRaw(
  command: string,
  args: readonly string[],
  options: { readonly cwd: string; readonly env: NodeJS.ProcessEnv; readonly terminal?: boolean; readonly timeoutMs?: number },
): Promise<RawResult> {
  const started = Date.now();
  const quoted = [command, ...args].map((part) => `'${part.replace(/'/g, `'\\''`)}'`).join(' ');
  const [file, argv] = options.terminal ? ['script', ['-qec', quoted, '/dev/null']] : [command, [...args]];
  return new Promise((resolve, reject) => {
    const child = spawn(file, argv, { cwd: options.cwd, env: options.env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    const timer = setTimeout(() => child.kill('SIGKILL'), options.timeoutMs ?? 100_000);
    child.on('error', reject);
    child.on('close', (status) => {
      clearTimeout(timer);
      resolve({ status, stdout, stderr, elapsedMs: Date.now() - started });
    });
  });
}
