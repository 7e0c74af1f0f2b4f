import * as fs from 'fs';
import * as path from 'path';
import { UsageError } from '../errors';
import { SNAPSHOT_SCHEMA_VERSION, type Snapshot } from '../model/snapshot';
import { snapshotShapeProblem } from './snapshot-shape';

/**
 * Writes the snapshot as pretty JSON. Atomic: a temp file in the same directory is renamed over the
 * target, so a reader (or a crash) never sees half a file.
 */
export function saveSnapshot(filePath: string, snapshot: Snapshot): void {
  const directory = path.dirname(path.resolve(filePath));
  const tempPath = path.join(directory, `.${path.basename(filePath)}.${process.pid}.${Date.now()}.tmp`);
  try {
    fs.writeFileSync(tempPath, `${JSON.stringify(snapshot, null, 2)}\n`, { encoding: 'utf8', flag: 'wx' });
    fs.renameSync(tempPath, filePath);
  } catch (err) {
    fs.rmSync(tempPath, { force: true });
    throw new UsageError(`cannot write snapshot file ${filePath}: ${(err as Error).message}`);
  }
}

/** Reads a snapshot written by saveSnapshot. UsageError naming the file when it is missing, not JSON or not a snapshot. */
export function loadSnapshot(filePath: string): Snapshot {
  let text: string;
  try {
    text = fs.readFileSync(filePath, 'utf8');
  } catch (err) {
    throw new UsageError(`cannot read snapshot file ${filePath}: ${(err as Error).message}`);
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (err) {
    throw new UsageError(`snapshot file ${filePath} is not valid JSON: ${(err as Error).message}`);
  }
  const version = (value as { schemaVersion?: unknown } | null)?.schemaVersion;
  if (version !== SNAPSHOT_SCHEMA_VERSION) {
    throw new UsageError(
      `snapshot file ${filePath} has schemaVersion ${JSON.stringify(version)}; this tool reads version ${SNAPSHOT_SCHEMA_VERSION}`,
      'take a new snapshot with this version of the tool (--save-snapshot)',
    );
  }
  const problem = snapshotShapeProblem(value);
  if (problem) throw new UsageError(`snapshot file ${filePath} is not a valid snapshot: ${problem}`);
  return value as Snapshot;
}
