import { UsageError } from '../errors';

export type ActionCommand = 'validate' | 'plan' | 'deploy';

/** The action's inputs (action.yml passes each as an INPUT_* variable) and the GitHub context it runs in. */
export interface ActionInputs {
  readonly command: ActionCommand;
  /** Default "allowlist.yaml". */
  readonly allowlist: string;
  /** `--assume-role` of the CLI (the role in the target account). Default: none. */
  readonly assumeRole?: string;
  /** Plan offline from this snapshot (fork pull requests). Default: read the account. */
  readonly snapshot?: string;
  /** plan: create or update the one sticky pull-request comment. Default true. */
  readonly comment: boolean;
  /** plan: open or update one issue while the account has drift (scheduled runs). Default false. */
  readonly driftIssue: boolean;
  readonly github: GithubContext;
}

export interface GithubContext {
  /** GITHUB_STEP_SUMMARY; no summary is written without it (a local run). */
  readonly stepSummaryFile?: string;
  /** GITHUB_OUTPUT. */
  readonly outputFile?: string;
  readonly token?: string;
  /** Default https://api.github.com (GITHUB_API_URL on GitHub Enterprise). */
  readonly apiUrl: string;
  /** owner/name. */
  readonly repository?: string;
  /** The pull request the run belongs to (from GITHUB_EVENT_PATH), if any. */
  readonly pullRequest?: number;
  /** Link to this run, for the comment and the issue. */
  readonly runUrl?: string;
}

const COMMANDS: readonly ActionCommand[] = ['validate', 'plan', 'deploy'];

function flag(env: NodeJS.ProcessEnv, name: string, fallback: boolean): boolean {
  const raw = (env[name] ?? '').trim().toLowerCase();
  if (raw === '') return fallback;
  if (raw === 'true') return true;
  if (raw === 'false') return false;
  throw new UsageError(`input ${inputName(name)} is "${env[name]}", expected true or false`);
}

function inputName(variable: string): string {
  return variable
    .replace(/^INPUT_/, '')
    .toLowerCase()
    .replace(/_/g, '-');
}

function optional(env: NodeJS.ProcessEnv, name: string): string | undefined {
  const value = (env[name] ?? '').trim();
  return value === '' ? undefined : value;
}

/** The pull request number of a pull_request / pull_request_target event. */
export function pullRequestOf(eventJson: string | undefined): number | undefined {
  if (eventJson === undefined) return undefined;
  const event = JSON.parse(eventJson) as { pull_request?: { number?: unknown } };
  const number = event.pull_request?.number;
  return typeof number === 'number' ? number : undefined;
}

export function readInputs(env: NodeJS.ProcessEnv, readFile: (file: string) => string): ActionInputs {
  const command = (env.INPUT_COMMAND ?? '').trim() as ActionCommand;
  if (!COMMANDS.includes(command)) {
    throw new UsageError(`input command is "${env.INPUT_COMMAND ?? ''}"`, `set command to one of ${COMMANDS.join(', ')}`);
  }
  const { GITHUB_SERVER_URL: server, GITHUB_REPOSITORY: repository, GITHUB_RUN_ID: runId } = env;
  const runUrl = server && repository && runId ? `${server}/${repository}/actions/runs/${runId}` : undefined;
  return {
    command,
    allowlist: optional(env, 'INPUT_ALLOWLIST') ?? 'allowlist.yaml',
    assumeRole: optional(env, 'INPUT_ASSUME_ROLE'),
    snapshot: optional(env, 'INPUT_SNAPSHOT'),
    comment: flag(env, 'INPUT_COMMENT', true),
    driftIssue: flag(env, 'INPUT_DRIFT_ISSUE', false),
    github: {
      stepSummaryFile: optional(env, 'GITHUB_STEP_SUMMARY'),
      outputFile: optional(env, 'GITHUB_OUTPUT'),
      token: optional(env, 'GITHUB_TOKEN'),
      apiUrl: optional(env, 'GITHUB_API_URL') ?? 'https://api.github.com',
      repository: optional(env, 'GITHUB_REPOSITORY'),
      pullRequest: env.GITHUB_EVENT_PATH ? pullRequestOf(readFile(env.GITHUB_EVENT_PATH)) : undefined,
      runUrl,
    },
  };
}
