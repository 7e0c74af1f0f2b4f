import * as fs from 'fs';
import * as path from 'path';
import { colorWanted, configureOutput } from './output';

/** The options every command accepts (commander keeps them on the program, before or after the command name). */
export interface GlobalOptions {
  readonly quiet?: boolean;
  /** false with --no-color (or -no-color). */
  readonly color?: boolean;
  readonly profile?: string;
  readonly region?: string;
}

/**
 * The version printed by --version: the one in the package's package.json, the nearest above this file named
 * iam-allowlist (src/cli in a checkout, dist/src/cli compiled, node_modules/iam-allowlist/... installed).
 */
export function cliVersion(start: string = __dirname): string {
  for (let dir = start; ; dir = path.dirname(dir)) {
    const manifest = path.join(dir, 'package.json');
    if (fs.existsSync(manifest)) {
      const parsed = JSON.parse(fs.readFileSync(manifest, 'utf8')) as { name?: unknown; version?: unknown };
      if (parsed.name === 'iam-allowlist' && typeof parsed.version === 'string') return parsed.version;
    }
    if (path.dirname(dir) === dir) return 'unknown';
  }
}

/**
 * Applies the global options before a command runs. --profile and --region set AWS_PROFILE and AWS_REGION, which
 * the SDK's own chains read: a profile's region, SSO and assume-role settings then apply as in the AWS CLI, and
 * the commands that Terraform runs later see the same values only if they are exported (flags are per process).
 */
export function applyGlobalOptions(options: GlobalOptions, env: NodeJS.ProcessEnv = process.env): void {
  if (options.profile !== undefined) env.AWS_PROFILE = options.profile;
  if (options.region !== undefined) env.AWS_REGION = options.region;
  const noColorFlag = options.color === false;
  configureOutput({
    quiet: options.quiet === true,
    color: colorWanted(process.stdout, env, noColorFlag),
    stderrColor: colorWanted(process.stderr, env, noColorFlag),
  });
}
