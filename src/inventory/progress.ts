import { plural } from '../plural';

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
  /** Milliseconds clock for the run's duration. Default Date.now. */
  readonly clock?: () => number;
}

/** Pass it as InventoryOptions.onProgress. */
export interface ProgressReporter {
  (event: ProgressEvent): void;
  /** Ends an open updating line (also done by the "done" event) so later output starts on a fresh line. */
  finish(): void;
}

const REDRAW_INTERVAL_MS = 100;

/**
 * Progress of an inventory run on stderr. Interactive (a TTY): one line rewritten in place with the phases,
 * regions and keys done so far. Otherwise (CI logs, pipes) at most two lines: one when the run starts, one when it
 * ends with what was read, how long it took, and the scan errors and failed KMS regions if there were any.
 */
export function createProgressReporter(stream: ProgressStream = process.stderr, options: ProgressReporterOptions = {}): ProgressReporter {
  const interactive = options.interactive ?? stream.isTTY === true;
  const clock = options.clock ?? Date.now;
  const counts = { regionsTotal: 0, regionsDone: 0, keysTotal: 0, keysDone: 0 };
  const phasesDone: string[] = [];
  const details = new Map<InventoryPhase, string>();
  const failedRegions: string[] = [];
  let startedAt: number | null = null;
  let lineOpen = false;
  let lastDrawAt = 0;

  const statusLine = (): string =>
    `inventory: ${phasesDone.join(', ') || 'starting'} | KMS regions ${counts.regionsDone}/${counts.regionsTotal}, ` +
    `keys ${counts.keysDone}/${counts.keysTotal}`;
  const redraw = (): void => {
    stream.write(`\r\u001b[2K${statusLine()}`);
    lineOpen = true;
  };
  const endLine = (scanErrors: number): string => {
    const seconds = ((clock() - (startedAt ?? clock())) / 1000).toFixed(1);
    const users = details.get('activity');
    const keys = details.get('kms');
    const read = [...(users ? [users] : []), ...(keys ? [`${keys} in ${plural(counts.regionsTotal, 'KMS region')}`] : [])];
    const problems = [
      ...(scanErrors > 0 ? [plural(scanErrors, 'scan error')] : []),
      ...(failedRegions.length > 0 ? [`KMS keys not listed in ${failedRegions.join(', ')}`] : []),
    ];
    const what = read.length > 0 ? ` (${read.join(', ')})` : '';
    return `inventory: complete in ${seconds} s${what}${problems.length > 0 ? `, with ${problems.join('; ')}` : ''}`;
  };

  const onProgress = (event: ProgressEvent): void => {
    if (startedAt === null) {
      startedAt = clock();
      if (!interactive) stream.write('inventory: reading the account (IAM users, credential report, KMS keys)…\n');
    }
    switch (event.kind) {
      case 'phase-done':
        phasesDone.push(event.phase);
        if (event.detail !== undefined) details.set(event.phase, event.detail);
        break;
      case 'regions':
        counts.regionsTotal = event.regions.length;
        break;
      case 'region-keys':
        counts.keysTotal += event.keys;
        break;
      case 'key-done':
        counts.keysDone += 1;
        break;
      case 'region-done':
        counts.regionsDone += 1;
        if (event.failed) failedRegions.push(event.region);
        break;
      case 'done':
        if (!interactive) stream.write(`${endLine(event.scanErrors)}\n`);
        break;
      case 'phase-start':
        break;
    }
    // Thousands of keys must not mean thousands of terminal writes.
    if (interactive && (event.kind !== 'key-done' || clock() - lastDrawAt >= REDRAW_INTERVAL_MS)) {
      lastDrawAt = clock();
      redraw();
    }
    if (event.kind === 'done') {
      if (interactive && lineOpen) {
        stream.write(`\r\u001b[2K${endLine(event.scanErrors)}`);
      }
      finish();
    }
  };
  const finish = (): void => {
    if (lineOpen) stream.write('\n');
    lineOpen = false;
  };

  return Object.assign(onProgress, { finish });
}
