import * as fs from 'fs';
import { UsageError } from '../errors';
import { parseSavedPlan, type SavedPlan } from '../plan/saved-plan';

/** Writes a saved plan (`plan -o FILE`) as pretty JSON; UsageError naming the file when it cannot be written. */
export function writeSavedPlan(file: string, saved: SavedPlan): void {
  try {
    fs.writeFileSync(file, `${JSON.stringify(saved, null, 2)}\n`, 'utf8');
  } catch (err) {
    throw new UsageError(`cannot write the saved plan ${file}: ${(err as Error).message}`, 'choose a writable path for -o');
  }
}

/** Reads and checks a saved plan (`apply FILE`); UsageError naming the file when it is missing, not JSON or not a saved plan. */
export function readSavedPlan(file: string): SavedPlan {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (err) {
    const fix = 'give the file `iam-allowlist plan -o FILE` wrote';
    throw new UsageError(`cannot read the saved plan ${file}: ${(err as Error).message}`, fix);
  }
  return parseSavedPlan(text, file);
}
