/**
 * The benchmark's endpoint in a process of its own (`npm run bench` without --in-process-endpoint): AWS is
 * not in the tool's process either. Run as a script (child_process.fork), this file starts the local endpoint
 * and answers EndpointControl commands over Node IPC, sampling its own memory every 20 ms for the phases'
 * figures; startEndpointProcess is the tool's side, a BenchEndpoint whose commands are IPC messages.
 */
import { fork, type ChildProcess } from 'child_process';
import { startEndpoint } from '../src/endpoint';
import { BenchEndpoint, dispatch, EndpointControl, type ControlRequest, type ControlResponse } from './bench-endpoint';
import { MemorySampler } from './measure';

/** The endpoint process's first message: it listens. */
interface ReadyMessage {
  readonly ready: true;
  readonly env: Record<string, string>;
}

/** The command that ends the endpoint process (after its answer). */
interface StopRequest {
  readonly id: number;
  readonly stop: true;
}

function send(message: ControlResponse | ReadyMessage): Promise<void> {
  return new Promise((resolve, reject) => process.send!(message, undefined, undefined, (err) => (err ? reject(err) : resolve())));
}

/** The endpoint process's main: serve until told to stop, or until the tool's process is gone. */
async function serve(): Promise<void> {
  const memory = new MemorySampler();
  const ep = await startEndpoint({ seed: 'empty' });
  const control = new EndpointControl(ep, memory);
  // The tool's process is gone (or has let go of us): nothing is left to serve.
  process.on('disconnect', () => {
    memory.stop();
    void ep.stop();
  });
  const answer = async (message: ControlRequest | StopRequest): Promise<void> => {
    if ('stop' in message) {
      await ep.stop();
      await send({ id: message.id, ok: true, result: undefined });
      process.disconnect();
      return;
    }
    let response: ControlResponse;
    try {
      response = { id: message.id, ok: true, result: dispatch(control, message.method, message.args) };
    } catch (err) {
      response = { id: message.id, ok: false, message: err instanceof Error ? (err.stack ?? err.message) : String(err) };
    }
    await send(response);
  };
  process.on('message', (message) => {
    answer(message as ControlRequest | StopRequest).catch((err: unknown) => {
      process.stderr.write(`endpoint process: ${err instanceof Error ? err.message : String(err)}\n`);
      process.exit(1);
    });
  });
  await send({ ready: true, env: ep.env() });
}

/** Where the endpoint process's script is: next to this file, compiled (.bench-build/) or the TypeScript source (tests). */
function childModule(): { readonly script: string; readonly execArgv: string[] } {
  if (__filename.endsWith('.ts')) return { script: __filename, execArgv: ['--require', 'ts-node/register/transpile-only'] };
  return { script: __filename, execArgv: [] };
}

/** How long stop() waits for the endpoint process to exit before it kills it. */
const STOP_TIMEOUT_MS = 5_000;

/** Starts the endpoint process; resolves when it listens. */
export function startEndpointProcess(): Promise<BenchEndpoint> {
  const { script, execArgv } = childModule();
  // 'advanced' serialisation (structured clone): Dates in commands (the seeding clock) arrive as Dates.
  const child: ChildProcess = fork(script, [], { execArgv, serialization: 'advanced', stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  const pending = new Map<number, { resolve: (value: unknown) => void; reject: (err: Error) => void }>();
  let nextId = 1;
  let exited: Error | null = null;
  const exitedPromise = new Promise<void>((resolve) => child.once('exit', () => resolve()));

  const failAll = (err: Error): void => {
    exited = err;
    for (const { reject } of pending.values()) reject(err);
    pending.clear();
  };
  child.on('exit', (code, signal) => failAll(new Error(`the endpoint process exited (${signal ?? `code ${code}`})`)));
  child.on('error', (err) => failAll(err));

  const request = (message: Omit<ControlRequest, 'id'> | { readonly stop: true }): Promise<unknown> => {
    if (exited) return Promise.reject(exited);
    const id = nextId++;
    return new Promise((resolve, reject) => {
      pending.set(id, { resolve, reject });
      child.send({ ...message, id });
    });
  };

  const stop = async (): Promise<void> => {
    // The answer may lose the race with the exit; either way the process ends.
    await request({ stop: true }).catch(() => undefined);
    const killer = setTimeout(() => child.kill('SIGKILL'), STOP_TIMEOUT_MS);
    await exitedPromise;
    clearTimeout(killer);
  };

  return new Promise<BenchEndpoint>((resolveStart, rejectStart) => {
    child.once('exit', (code, signal) =>
      rejectStart(new Error(`the endpoint process exited before it listened (${signal ?? `code ${code}`})`)),
    );
    child.on('message', (raw) => {
      const message = raw as ControlResponse | ReadyMessage;
      if ('ready' in message) {
        resolveStart(new BenchEndpoint(true, message.env, (method, args) => request({ method, args }), stop));
        return;
      }
      const waiting = pending.get(message.id);
      if (!waiting) return;
      pending.delete(message.id);
      if (message.ok) waiting.resolve(message.result);
      else waiting.reject(new Error(`endpoint process: ${message.message}`));
    });
  });
}

if (require.main === module) {
  if (!process.send) {
    process.stderr.write('bench/endpoint-process: run by the benchmark through child_process.fork (it needs the IPC channel)\n');
    process.exit(2);
  }
  serve().catch((err: unknown) => {
    process.stderr.write(`endpoint process failed: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
    process.exit(1);
  });
}
