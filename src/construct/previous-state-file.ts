import * as fs from 'fs';
import * as path from 'path';
import { UsageError } from '../errors';
import { completedActionsFromState, type CompletedAction } from './previous-state';

/** Where the previous state of a stack is looked for (see previous-state.ts for the why). */
export interface PreviousStateOptions {
  /** Stack id: cdktf's default local state is `terraform.<stackName>.tfstate`. */
  readonly stackName: string;
  /** An explicit state file, e.g. from `terraform state pull`; it must exist and parse. Default: none. */
  readonly explicitFile?: string;
  /** Directory of cdktf's default local state (where `cdktf` runs). Default: process.cwd(). */
  readonly projectDirectory?: string;
}

export interface PreviousStateResult {
  /** The file the actions were read from; null when there was none to read. */
  readonly source: string | null;
  readonly completedActions: readonly CompletedAction[];
  /** Why a default state file present on disk was not used (it never stops synthesis). */
  readonly warning: string | null;
}

/**
 * The completed actions of the previous apply whose users are no longer live. An explicit file that
 * cannot be read is a UsageError (the pipeline asked for it); a missing default file means a first run.
 */
export function loadCompletedActions(options: PreviousStateOptions, liveUserIds: Iterable<string>): PreviousStateResult {
  if (options.explicitFile !== undefined && options.explicitFile !== '') {
    const file = path.resolve(options.explicitFile);
    let text: string;
    try {
      text = fs.readFileSync(file, 'utf8');
    } catch (err) {
      throw new UsageError(`cannot read the previous state ${file}: ${(err as Error).message}`);
    }
    // `terraform state pull` prints nothing when the backend holds no state yet.
    if (text.trim() === '') return { source: file, completedActions: [], warning: null };
    return { source: file, completedActions: completedActionsFromState(parseJson(file, text), liveUserIds), warning: null };
  }
  const file = path.join(options.projectDirectory ?? process.cwd(), `terraform.${options.stackName}.tfstate`);
  if (!fs.existsSync(file)) return { source: null, completedActions: [], warning: null };
  try {
    return {
      source: file,
      completedActions: completedActionsFromState(parseJson(file, fs.readFileSync(file, 'utf8')), liveUserIds),
      warning: null,
    };
  } catch (err) {
    return { source: null, completedActions: [], warning: `ignoring the previous state ${file}: ${(err as Error).message}` };
  }
}

function parseJson(file: string, text: string): unknown {
  try {
    return JSON.parse(text);
  } catch (err) {
    throw new UsageError(`the previous state ${file} is not JSON: ${(err as Error).message}`);
  }
}
