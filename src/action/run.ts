import { spawn } from 'child_process';
import * as fs from 'fs';
import { ownCliLauncher } from '../construct/cli-launcher';
import { UsageError } from '../errors';
import { GithubApi } from './github-api';
import { readInputs, type ActionInputs } from './inputs';
import { deployReport, markerFor, planReport, planState, truncate, validateReport, type CommandOutcome } from './report';

/** Where the action runs: its environment (INPUT_*, GITHUB_*), directory and log. */
export interface ActionRuntime {
  readonly env: NodeJS.ProcessEnv;
  /** The consumer's project directory (action.yml's working-directory). */
  readonly cwd: string;
  /** The job log: the CLI's output is passed through (validate's annotations must reach it). */
  readonly log: (text: string) => void;
}

const DRIFT_TITLE = 'iam-allowlist: undeclared IAM users found';

/** Runs a command (asynchronously: a test's endpoint may be serving in this very process), output captured and logged. */
function runCommand(runtime: ActionRuntime, command: string, args: readonly string[], env: NodeJS.ProcessEnv): Promise<CommandOutcome> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args as string[], { cwd: runtime.cwd, env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
      stdout += chunk;
      runtime.log(chunk);
    });
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => {
      stderr += chunk;
      runtime.log(chunk);
    });
    child.on('error', reject);
    child.on('close', (code) => resolve({ exitCode: code ?? 1, stdout, stderr }));
  });
}

function cli(runtime: ActionRuntime, args: readonly string[]): Promise<CommandOutcome> {
  return runCommand(runtime, process.execPath, [ownCliLauncher(), ...args], runtime.env);
}

function appendFile(file: string | undefined, text: string): void {
  if (file !== undefined) fs.appendFileSync(file, text.endsWith('\n') ? text : text + '\n');
}

/** A failed comment or issue must not hide the plan: it is a warning, the summary is already written. */
async function tryGithub(runtime: ActionRuntime, what: string, call: () => Promise<string>): Promise<void> {
  try {
    runtime.log(`${await call()}\n`);
  } catch (err) {
    const e = err as Error & { hint?: string };
    runtime.log(`::warning title=iam-allowlist::could not ${what}: ${e.message}${e.hint ? ` (${e.hint})` : ''}\n`);
  }
}

function githubApi(inputs: ActionInputs): GithubApi | null {
  const { token, repository, apiUrl } = inputs.github;
  return token && repository ? new GithubApi({ apiUrl, token, repository }) : null;
}

async function validate(runtime: ActionRuntime, inputs: ActionInputs): Promise<number> {
  const outcome = await cli(runtime, ['validate', inputs.allowlist, '--format', 'github']);
  appendFile(inputs.github.stepSummaryFile, validateReport(inputs.allowlist, outcome));
  return outcome.exitCode;
}

/**
 * Always: the job summary, then the one sticky comment (pull requests) and the drift issue (when
 * asked), whatever the plan's outcome: a blocked or failed run explains itself where reviewers look.
 * Exit code: 0 nothing to do or changes pending (the `state` output says which), 3 blocked by a guard, 1 failed.
 */
async function planAction(runtime: ActionRuntime, inputs: ActionInputs): Promise<number> {
  const args = ['plan', '--allowlist', inputs.allowlist, '--format', 'markdown'];
  if (inputs.assumeRole) args.push('--assume-role', inputs.assumeRole);
  if (inputs.snapshot) args.push('--snapshot', inputs.snapshot);
  const outcome = await cli(runtime, args);
  const report = planReport(inputs.allowlist, outcome, inputs.github.runUrl);
  appendFile(inputs.github.stepSummaryFile, report);
  const state = planState(outcome);
  appendFile(inputs.github.outputFile, `exit-code=${outcome.exitCode}\nstate=${state}\nchanges=${state === 'changes'}`);

  const api = githubApi(inputs);
  const pullRequest = inputs.github.pullRequest;
  if (inputs.comment && pullRequest !== undefined) {
    if (api === null) {
      runtime.log('::warning title=iam-allowlist::no GITHUB_TOKEN or GITHUB_REPOSITORY: the plan is in the job summary only\n');
    } else {
      const body = truncate(`${markerFor('plan', inputs.allowlist)}\n${report}`, inputs.github.runUrl);
      await tryGithub(
        runtime,
        'comment on the pull request',
        async () => `plan comment ${await api.upsertComment(pullRequest, markerFor('plan', inputs.allowlist), body)} on #${pullRequest}`,
      );
    }
  }
  // Drift: the account holds users the allowlist does not declare (or the run cannot even tell).
  if (inputs.driftIssue && state !== 'clean' && api !== null) {
    const marker = markerFor('drift', inputs.allowlist);
    const body = truncate(`${marker}\n${report}`, inputs.github.runUrl);
    await tryGithub(runtime, 'open or update the drift issue', async () => {
      const issue = await api.upsertIssue(marker, DRIFT_TITLE, body);
      return `drift issue #${issue.number} ${issue.action}`;
    });
  }
  return outcome.exitCode === 2 ? 0 : outcome.exitCode;
}

async function deploy(runtime: ActionRuntime, inputs: ActionInputs): Promise<number> {
  const env = {
    ...runtime.env,
    IAM_ALLOWLIST_FILE: inputs.allowlist,
    ...(inputs.assumeRole ? { IAM_ALLOWLIST_ASSUME_ROLE: inputs.assumeRole } : {}),
  };
  const outcome = await runCommand(runtime, 'npx', ['--no', 'cdktf', 'deploy', '--auto-approve'], env);
  appendFile(inputs.github.stepSummaryFile, deployReport(outcome));
  return outcome.exitCode;
}

/** The GitHub Action (action.yml runs bin/iam-allowlist-action.js, which calls this). Returns the step's exit code. */
export async function runAction(runtime: ActionRuntime): Promise<number> {
  let inputs: ActionInputs;
  try {
    inputs = readInputs(runtime.env, (file) => fs.readFileSync(file, 'utf8'));
  } catch (err) {
    if (!(err instanceof UsageError)) throw err;
    runtime.log(`::error title=iam-allowlist::${err.message}${err.hint ? ` (${err.hint})` : ''}\n`);
    return 1;
  }
  if (inputs.command === 'validate') return validate(runtime, inputs);
  if (inputs.command === 'plan') return planAction(runtime, inputs);
  return deploy(runtime, inputs);
}
