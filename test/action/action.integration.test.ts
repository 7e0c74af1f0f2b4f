/**
 * The GitHub Action's logic (src/action/run.ts) against the sandbox endpoint and a fake GitHub API
 * (a local HTTP server): the job summary and the one sticky comment are written whatever the plan's
 * outcome, blocked and failed runs included.
 */
import * as fs from 'fs';
import * as path from 'path';
import { runAction } from '../../src/action/run';
import { childEnv, sampleAllowlistText, tempDir, useSandboxAccount } from '../e2e/helpers';
import { FakeGithub } from './fake-github';

const TIMEOUT = 120_000;
const PULL_REQUEST = 7;
const sandbox = useSandboxAccount();
const github = new FakeGithub('acme/infra', 'ghs_fake_token');

beforeAll(() => github.start());
afterAll(() => github.stop());
beforeEach(() => {
  github.comments.length = 0;
  github.issues.length = 0;
  github.failWith = null;
});

interface Workspace {
  readonly dir: string;
  readonly summary: string;
  readonly output: string;
  readonly env: NodeJS.ProcessEnv;
}

function workspace(allowlistText: string, event: object = { pull_request: { number: PULL_REQUEST } }): Workspace {
  const dir = tempDir('action');
  fs.writeFileSync(path.join(dir, 'allowlist.yaml'), allowlistText);
  fs.writeFileSync(path.join(dir, 'event.json'), JSON.stringify(event));
  const summary = path.join(dir, 'step-summary.md');
  const output = path.join(dir, 'github-output');
  const env = {
    ...childEnv(sandbox.ep, dir),
    INPUT_ALLOWLIST: 'allowlist.yaml',
    GITHUB_STEP_SUMMARY: summary,
    GITHUB_OUTPUT: output,
    GITHUB_TOKEN: github.token,
    GITHUB_API_URL: github.url,
    GITHUB_REPOSITORY: github.repository,
    GITHUB_EVENT_PATH: path.join(dir, 'event.json'),
    GITHUB_SERVER_URL: 'https://github.example',
    GITHUB_RUN_ID: '42',
  };
  return { dir, summary, output, env };
}

async function action(ws: Workspace, inputs: Record<string, string>): Promise<{ code: number; log: string; summary: string }> {
  let log = '';
  const code = await runAction({ env: { ...ws.env, ...inputs }, cwd: ws.dir, log: (text) => (log += text) });
  const summary = fs.existsSync(ws.summary) ? fs.readFileSync(ws.summary, 'utf8') : '';
  return { code, log, summary };
}

describe('action: plan', () => {
  it(
    'GIVEN a run blocked by the KMS guard WHEN planned, then planned again with hold THEN summary and ONE comment both times, updated',
    async () => {
      const ws = workspace(sampleAllowlistText('block'));
      const blocked = await action(ws, { INPUT_COMMAND: 'plan' });

      expect(blocked.code).toBe(3);
      expect(blocked.summary).toContain('**Blocked: a guard stops this run');
      expect(blocked.summary).toContain('data-pipeline');
      expect(blocked.summary).toContain('https://github.example/acme/infra/actions/runs/42');
      expect(github.comments).toHaveLength(1);
      expect(github.comments[0]!.issue).toBe(PULL_REQUEST);
      expect(github.comments[0]!.body).toContain('<!-- iam-allowlist:plan:allowlist.yaml -->');
      expect(github.comments[0]!.body).toContain(blocked.summary.trim());
      expect(fs.readFileSync(ws.output, 'utf8')).toContain('state=blocked\n');

      fs.writeFileSync(path.join(ws.dir, 'allowlist.yaml'), sampleAllowlistText('hold'));
      const pending = await action(ws, { INPUT_COMMAND: 'plan' });

      expect(pending.code).toBe(0);
      expect(github.comments).toHaveLength(1);
      expect(github.comments[0]!.body).toContain('**Changes pending');
      expect(github.comments[0]!.body).not.toContain('**Blocked');
      expect(pending.log).toContain(`plan comment updated on #${PULL_REQUEST}`);
      expect(fs.readFileSync(ws.output, 'utf8')).toMatch(/exit-code=2\nstate=changes\nchanges=true\n$/);
    },
    TIMEOUT,
  );

  it(
    'GIVEN an allowlist the CLI rejects WHEN planned THEN the summary and the comment carry the positioned error, and the step fails',
    async () => {
      const ws = workspace(sampleAllowlistText('hold').replace(/^version: 1$/m, 'version: 2'));
      const failed = await action(ws, { INPUT_COMMAND: 'plan' });

      expect(failed.code).toBe(1);
      expect(failed.summary).toContain('**Failed: the plan could not be made');
      expect(failed.summary).toMatch(/allowlist\.yaml:\d+:\d+/);
      expect(fs.readFileSync(ws.output, 'utf8')).toContain('state=failed\n');
      expect(github.comments).toHaveLength(1);
      expect(github.comments[0]!.body).toMatch(/allowlist\.yaml:\d+:\d+/);
    },
    TIMEOUT,
  );

  it(
    'GIVEN a token that may not comment (fork) WHEN planned THEN a warning, the summary is written and the exit code is the plan`s',
    async () => {
      github.failWith = 403;
      const ws = workspace(sampleAllowlistText('hold'));
      const result = await action(ws, { INPUT_COMMAND: 'plan' });

      expect(result.code).toBe(0);
      expect(result.log).toContain('::warning title=iam-allowlist::could not comment on the pull request: GitHub API POST');
      expect(result.log).toContain('HTTP 403');
      expect(result.summary).toContain('**Changes pending');
      expect(github.comments).toHaveLength(0);
    },
    TIMEOUT,
  );

  it(
    'GIVEN a scheduled run with drift-issue WHEN undeclared users are found twice THEN ONE open issue, updated, and no comment',
    async () => {
      const ws = workspace(sampleAllowlistText('hold'), { schedule: '0 6 * * *' });
      const first = await action(ws, { INPUT_COMMAND: 'plan', INPUT_DRIFT_ISSUE: 'true' });
      const second = await action(ws, { INPUT_COMMAND: 'plan', INPUT_DRIFT_ISSUE: 'true' });

      expect([first.code, second.code]).toEqual([0, 0]);
      expect(github.issues).toHaveLength(1);
      expect(github.issues[0]!.title).toBe('iam-allowlist: undeclared IAM users found');
      expect(github.issues[0]!.body).toContain('<!-- iam-allowlist:drift:allowlist.yaml -->');
      expect(github.issues[0]!.body).toContain('old-admin');
      expect(first.log).toContain('drift issue #1 created');
      expect(second.log).toContain('drift issue #1 updated');
      expect(github.comments).toHaveLength(0);
    },
    TIMEOUT,
  );
});

describe('action: validate', () => {
  it(
    'GIVEN an invalid allowlist WHEN validated THEN annotations on the file reach the log, the summary says invalid, the step fails',
    async () => {
      const ws = workspace(sampleAllowlistText('hold').replace(/^version: 1$/m, 'version: 2'));
      const result = await action(ws, { INPUT_COMMAND: 'validate' });

      expect(result.code).toBe(1);
      expect(result.log).toMatch(/::error file=allowlist\.yaml,line=\d+,col=\d+/);
      expect(result.summary).toContain('`allowlist.yaml` is invalid');
    },
    TIMEOUT,
  );

  it(
    'GIVEN an unknown command input WHEN the action starts THEN an error annotation names the allowed commands',
    async () => {
      const ws = workspace(sampleAllowlistText('hold'));
      const result = await action(ws, { INPUT_COMMAND: 'apply' });
      expect(result.code).toBe(1);
      expect(result.log).toContain('::error title=iam-allowlist::input command is "apply" (set command to one of validate, plan, deploy)');
    },
    TIMEOUT,
  );
});
