/**
 * How the CLI writes for people: quiet or not, colour or not. Set once by the CLI from its global options
 * (--quiet, --no-color) and the environment; commands read it. Commands run in-process (tests, the demo) see
 * the defaults: not quiet, no colour.
 */
export interface OutputSettings {
  /** --quiet: no progress and no allowlist warnings on stderr; results and errors are still printed. Default false. */
  readonly quiet: boolean;
  /** ANSI colours on stdout. Default false. */
  readonly color: boolean;
  /** ANSI colours on stderr (progress, warnings). Default false. */
  readonly stderrColor: boolean;
}

const DEFAULT_OUTPUT: OutputSettings = { quiet: false, color: false, stderrColor: false };

let current: OutputSettings = DEFAULT_OUTPUT;

export function outputSettings(): OutputSettings {
  return current;
}

/** Replaces the settings; returns a function that puts the previous ones back (for the demo and tests). */
export function configureOutput(settings: Partial<OutputSettings>): () => void {
  const previous = current;
  current = { ...current, ...settings };
  return () => {
    current = previous;
  };
}

/**
 * Colour only for a terminal, and never when NO_COLOR is set to anything non-empty (https://no-color.org) or
 * --no-color was given. FORCE_COLOR is not honoured: a pipe gets plain text.
 */
export function colorWanted(stream: { readonly isTTY?: boolean }, env: NodeJS.ProcessEnv, noColorFlag: boolean): boolean {
  if (noColorFlag) return false;
  if (env.NO_COLOR !== undefined && env.NO_COLOR !== '') return false;
  return stream.isTTY === true;
}

/** Terraform spells its flag `-no-color`; accept that spelling too. Other arguments pass unchanged. */
export function normaliseArgv(argv: readonly string[]): string[] {
  return argv.map((arg) => (arg === '-no-color' ? '--no-color' : arg));
}
