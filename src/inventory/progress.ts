/** The parts of an inventory run, in the order they usually finish. */
export type InventoryPhase = 'caller' | 'users' | 'credential-report' | 'mfa' | 'regions' | 'kms' | 'activity';

export type ProgressEvent =
  | { readonly kind: 'phase-start'; readonly phase: InventoryPhase }
  | { readonly kind: 'phase-done'; readonly phase: InventoryPhase; readonly detail?: string }
  | { readonly kind: 'regions'; readonly regions: readonly string[] }
  | { readonly kind: 'region-keys'; readonly region: string; readonly keys: number }
  | { readonly kind: 'key-done'; readonly region: string }
  | { readonly kind: 'region-done'; readonly region: string; readonly keys: number; readonly failed: boolean }
  /** The snapshot is complete (the last event of a run). */
  | { readonly kind: 'done'; readonly scanErrors: number };

/** Where progress goes; a subset of NodeJS.WriteStream so tests can pass a fake. */
export interface ProgressStream {
  write(text: string): unknown;
  readonly isTTY?: boolean;
}

export interface ProgressReporterOptions {
  /** Single updating line instead of plain lines. Default: stream.isTTY. */
  readonly interactive?: boolean;
}

/** Pass it as InventoryOptions.onProgress. */
export interface ProgressReporter {
  (event: ProgressEvent): void;
  /** Ends an open updating line (also done by the "done" event) so later output starts on a fresh line. */
  finish(): void;
}

const REDRAW_INTERVAL_MS = 100;

/**
 * Progress of an inventory run on stderr. Interactive (a TTY): one line rewritten in place with the
 * regions and keys done so far. Otherwise: one plain line per phase boundary and per region, so CI
 * logs stay short and readable.
 */
export function createProgressReporter(
  stream: ProgressStream = process.stderr,
  options: ProgressReporterOptions = {},
): ProgressReporter {
  const interactive = options.interactive ?? stream.isTTY === true;
  const counts = { regionsTotal: 0, regionsDone: 0, keysTotal: 0, keysDone: 0 };
  const phasesDone: string[] = [];
  let lineOpen = false;
  let lastDrawAt = 0;

  const statusLine = (): string =>
    `inventory: ${phasesDone.join(', ') || 'starting'} | KMS regions ${counts.regionsDone}/${counts.regionsTotal}, ` +
    `keys ${counts.keysDone}/${counts.keysTotal}`;
  const redraw = (): void => {
    stream.write(`\r\u001b[2K${statusLine()}`);
    lineOpen = true;
  };
  const plain = (text: string): void => {
    stream.write(`inventory: ${text}\n`);
  };

  const onProgress = (event: ProgressEvent): void => {
    switch (event.kind) {
      case 'phase-start':
        if (!interactive) plain(`${event.phase}…`);
        break;
      case 'phase-done':
        phasesDone.push(event.phase);
        if (!interactive) plain(`${event.phase} done${event.detail ? ` (${event.detail})` : ''}`);
        break;
      case 'regions':
        counts.regionsTotal = event.regions.length;
        if (!interactive) plain(`scanning KMS in ${event.regions.length} region(s): ${event.regions.join(', ')}`);
        break;
      case 'region-keys':
        counts.keysTotal += event.keys;
        break;
      case 'key-done':
        counts.keysDone += 1;
        break;
      case 'region-done':
        counts.regionsDone += 1;
        if (!interactive) {
          plain(`KMS ${event.region}: ${event.failed ? 'FAILED to list keys' : `${event.keys} customer key(s)`}`);
        }
        break;
      case 'done':
        if (!interactive) {
          plain(event.scanErrors === 0 ? 'complete' : `complete with ${event.scanErrors} scan error(s)`);
        }
        break;
    }
    // Thousands of keys must not mean thousands of terminal writes.
    if (interactive && (event.kind !== 'key-done' || Date.now() - lastDrawAt >= REDRAW_INTERVAL_MS)) {
      lastDrawAt = Date.now();
      redraw();
    }
    if (event.kind === 'done') finish();
  };
  const finish = (): void => {
    if (lineOpen) stream.write('\n');
    lineOpen = false;
  };

  return Object.assign(onProgress, { finish });
}
