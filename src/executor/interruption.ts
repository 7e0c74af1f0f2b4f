import { RefusedError } from '../errors';

/**
 * SIGINT / SIGTERM while the executor runs: the calls in flight (one per user acted on) finish and are recorded, nothing
 * more is sent. The request is process-wide (a signal is), checked by ApiCaller before every
 * mutating call and by the run loops before every user.
 */
export type StopSignal = 'SIGINT' | 'SIGTERM';

/** Exit codes of a run stopped by a signal: 128 + the signal number, as shells report them. */
export const SIGNAL_EXIT_CODES: Readonly<Record<StopSignal, number>> = { SIGINT: 130, SIGTERM: 143 };

/** Thrown instead of sending a mutating call once a stop was requested. */
export class InterruptedError extends RefusedError {
  constructor(
    readonly signal: StopSignal,
    what: string,
  ) {
    super(`stopped by ${signal} before ${what}; no further change was sent`, ['interrupted']);
  }
}

let requested: StopSignal | null = null;
const listeners = new Set<(signal: StopSignal) => void>();

/** The signal that asked the run to stop, or null. */
export function stopRequested(): StopSignal | null {
  return requested;
}

/** Asks the run to stop (the signal handlers call this; tests call it directly). */
export function requestStop(signal: StopSignal): void {
  if (requested) return;
  requested = signal;
  for (const listener of [...listeners]) listener(signal);
}

/** Called once when a stop is requested (e.g. to cancel a confirmation prompt). Returns the unsubscribe. */
export function onStopRequested(listener: (signal: StopSignal) => void): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

/** Throws InterruptedError when a stop was requested. `what` names what is not done, e.g. "DeleteUser of bob". */
export function throwIfStopRequested(what: string): void {
  if (requested) throw new InterruptedError(requested, what);
}

/**
 * Installs the SIGINT / SIGTERM handlers of a mutating command and returns their removal. The first
 * signal requests a stop and says so on stderr; a second one of either kind exits at once (the
 * audit log's pending intent is reconciled by the next run).
 */
export function installStopHandlers(write: (text: string) => void = (t) => process.stderr.write(t)): () => void {
  const handler = (signal: StopSignal) => {
    if (requested) {
      write(`\n${signal} again: exiting now; the next run reconciles the call that was in flight.\n`);
      process.exit(SIGNAL_EXIT_CODES[signal]);
    }
    write(`\n${signal} received: finishing the calls in flight, then stopping (no further change will be sent).\n`);
    requestStop(signal);
  };
  const onInt = () => handler('SIGINT');
  const onTerm = () => handler('SIGTERM');
  process.on('SIGINT', onInt);
  process.on('SIGTERM', onTerm);
  return () => {
    process.off('SIGINT', onInt);
    process.off('SIGTERM', onTerm);
  };
}

/** Test hook: forget an earlier stop request and its listeners. */
export function resetStopRequest(): void {
  requested = null;
  listeners.clear();
}
