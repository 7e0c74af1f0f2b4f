/**
 * Conventional flags and output of the CLI (issue 14 item 4), as a separate process against the sandbox endpoint
 * started in this process: --version, --quiet, colour, progress lines, the SDK's Node warning, the plan header,
 * --profile/--region through the SDK's chains, --assume-role checked first, an unreachable endpoint failing fast.
 */
import * as fs from 'fs';
import * as path from 'path';
import { startEndpoint, type LocalEndpoint } from '../../src/endpoint';
import { CLI, SAMPLE_ALLOWLIST, childEnv, removeTempDirs, tempDir } from './helpers';
import { runRaw } from './raw-process';

const TEST_TIMEOUT = 60_000;
const ESC = '\u001b[';

let ep: LocalEndpoint;
let dir: string;

beforeAll(async () => {
  ep = await startEndpoint({ seed: 'sandbox' });
  dir = tempDir('conventions');
});

afterAll(async () => {
  await ep?.stop();
  removeTempDirs();
});

/** The endpoint's environment without the e2e helper's NO_COLOR and NODE_NO_WARNINGS (this file tests both). */
function plainEnv(extra: Record<string, string | undefined> = {}): NodeJS.ProcessEnv {
  const env = childEnv(ep, dir);
  delete env.NO_COLOR;
  delete env.FORCE_COLOR;
  delete env.NODE_NO_WARNINGS;
  for (const [key, value] of Object.entries(extra)) {
    if (value === undefined) delete env[key];
    else env[key] = value;
  }
  return env;
}

const cli = (args: readonly string[], env: NodeJS.ProcessEnv = plainEnv()) => runRaw('node', [CLI, ...args], { cwd: dir, env });

/** The CLI on a pseudo-terminal: stdout and stderr are a TTY, both arrive on stdout. */
const onTerminal = (args: readonly string[], env: NodeJS.ProcessEnv = plainEnv()) =>
  runRaw('node', [CLI, ...args], { cwd: dir, env, terminal: true });

describe('--version and the SDK warning', () => {
  it('GIVEN --version WHEN run THEN the version of package.json and exit 0', async () => {
    const version = (JSON.parse(fs.readFileSync(path.join(__dirname, '..', '..', 'package.json'), 'utf8')) as { version: string }).version;
    const result = await cli(['--version']);
    expect({ status: result.status, stdout: result.stdout.trim() }).toEqual({ status: 0, stdout: version });
  });

  it(
    'GIVEN Node 20 and no NODE_NO_WARNINGS WHEN plan reads the account THEN no NodeVersionSupportWarning is printed',
    async () => {
      const result = await cli(['plan', '-a', SAMPLE_ALLOWLIST]);
      expect(result.status).toBe(3);
      expect(result.stderr).not.toContain('NodeVersionSupportWarning');
    },
    TEST_TIMEOUT,
  );
});

describe('progress, quiet and colour', () => {
  it(
    'GIVEN stdout and stderr are pipes WHEN planned THEN two progress lines at most and no colour codes',
    async () => {
      const result = await cli(['plan', '-a', SAMPLE_ALLOWLIST]);
      const progress = result.stderr.split('\n').filter((line) => line.startsWith('inventory:'));
      expect(progress).toHaveLength(2);
      expect(progress[1]).toMatch(/^inventory: complete in \d+\.\d s \(15 users, 5 customer keys in 3 KMS regions\)$/);
      expect(result.stdout + result.stderr).not.toContain(ESC);
    },
    TEST_TIMEOUT,
  );

  it(
    'GIVEN --quiet WHEN planned THEN nothing on stderr (no warnings, no progress) and the plan on stdout',
    async () => {
      const result = await cli(['plan', '-a', SAMPLE_ALLOWLIST, '--quiet']);
      expect(result.status).toBe(3);
      expect(result.stderr).toBe('');
      expect(result.stdout).toContain('Plan: 3 to delete, 1 to quarantine, 7 held.');
    },
    TEST_TIMEOUT,
  );

  it(
    'GIVEN a terminal WHEN planned THEN colour codes and one updating progress line; none with NO_COLOR, --no-color or -no-color',
    async () => {
      const coloured = await onTerminal(['plan', '-a', SAMPLE_ALLOWLIST]);
      expect(coloured.stdout).toContain(`${ESC}31m- delete`);
      expect(coloured.stdout).toContain('\r');
      expect(coloured.stdout.split('\n').filter((line) => line.includes('inventory:'))).toHaveLength(1);

      for (const [what, result] of [
        ['NO_COLOR', await onTerminal(['plan', '-a', SAMPLE_ALLOWLIST], plainEnv({ NO_COLOR: '1' }))],
        ['--no-color', await onTerminal(['plan', '-a', SAMPLE_ALLOWLIST, '--no-color'])],
        ['-no-color', await onTerminal(['plan', '-no-color', '-a', SAMPLE_ALLOWLIST])],
      ] as const) {
        const painted = result.stdout.replace(/\r\u001b\[2K/g, '').includes(ESC);
        expect({ what, painted, planned: result.stdout.includes('Plan: 3 to delete') }).toEqual({ what, painted: false, planned: true });
      }
    },
    TEST_TIMEOUT,
  );
});

describe('the plan header', () => {
  it(
    'GIVEN the sandbox through AWS_ENDPOINT_URL WHEN planned as text and JSON THEN caller ARN, account alias and the override are named',
    async () => {
      const text = await cli(['plan', '-a', SAMPLE_ALLOWLIST, '-q']);
      const header = text.stdout.split('\n').slice(0, 4);
      expect(header).toEqual([
        'iam-allowlist plan for account 111122223333 (alias iam-allowlist-sandbox)',
        '  caller arn:aws:iam::111122223333:user/ci-bootstrap',
        `  endpoint override: AWS_ENDPOINT_URL=${ep.url}`,
        expect.stringMatching(/^ {2}snapshot taken /),
      ]);
      const json = JSON.parse((await cli(['plan', '-a', SAMPLE_ALLOWLIST, '-q', '-f', 'json'])).stdout) as { run: unknown };
      expect(json.run).toEqual({
        accountAlias: 'iam-allowlist-sandbox',
        callerArn: 'arn:aws:iam::111122223333:user/ci-bootstrap',
        endpointOverrides: [{ url: ep.url, variable: 'AWS_ENDPOINT_URL' }],
      });
    },
    TEST_TIMEOUT,
  );
});

describe('--profile and --region through the SDK chains', () => {
  /** A config file whose profile names a region and whose credentials file holds its keys; no AWS_REGION, no key env. */
  function profileEnv(): NodeJS.ProcessEnv {
    const config = path.join(dir, 'aws-config');
    const credentials = path.join(dir, 'aws-credentials');
    fs.writeFileSync(config, '[profile e2e]\nregion = eu-west-3\n');
    fs.writeFileSync(credentials, '[e2e]\naws_access_key_id = e2eprofile\naws_secret_access_key = e2e-placeholder\n');
    return plainEnv({
      AWS_CONFIG_FILE: config,
      AWS_SHARED_CREDENTIALS_FILE: credentials,
      AWS_REGION: undefined,
      AWS_DEFAULT_REGION: undefined,
      AWS_ACCESS_KEY_ID: undefined,
      AWS_SECRET_ACCESS_KEY: undefined,
      AWS_PROFILE: undefined,
    });
  }

  const stsRegions = (): string[] => [
    ...new Set(
      ep
        .requestLog()
        .filter((e) => e.service === 'sts')
        .map((e) => e.region),
    ),
  ];

  it(
    'GIVEN --profile e2e whose region is eu-west-3 WHEN planned THEN its credentials and its region are used',
    async () => {
      ep.resetCounters();
      const result = await cli(['plan', '-a', SAMPLE_ALLOWLIST, '-q', '--profile', 'e2e'], profileEnv());
      expect({ status: result.status, stderr: result.stderr }).toEqual({ status: 3, stderr: '' });
      expect(stsRegions()).toEqual(['eu-west-3']);
    },
    TEST_TIMEOUT,
  );

  it(
    'GIVEN --profile e2e and --region eu-central-1 WHEN planned THEN the flag wins over the profile',
    async () => {
      ep.resetCounters();
      const result = await cli(['plan', '-a', SAMPLE_ALLOWLIST, '-q', '--profile', 'e2e', '--region', 'eu-central-1'], profileEnv());
      expect(result.status).toBe(3);
      expect(stsRegions()).toEqual(['eu-central-1']);
    },
    TEST_TIMEOUT,
  );

  it(
    'GIVEN no region anywhere WHEN planned THEN exit 1 with a fix naming --region, and no call made',
    async () => {
      ep.resetCounters();
      const env = plainEnv({ AWS_REGION: undefined, AWS_DEFAULT_REGION: undefined, AWS_CONFIG_FILE: path.join(dir, 'none') });
      const result = await cli(['plan', '-a', SAMPLE_ALLOWLIST, '-q'], env);
      expect(result.status).toBe(1);
      expect(result.stderr).toContain('Error: no AWS region is configured');
      expect(result.stderr).toContain('fix: pass --region');
      expect(ep.requestLog()).toEqual([]);
    },
    TEST_TIMEOUT,
  );
});

describe('failing early and clearly', () => {
  it(
    'GIVEN --assume-role not-an-arn WHEN planned THEN a usage error about the flag, exit 1, and no call made',
    async () => {
      ep.resetCounters();
      const result = await cli(['plan', '-a', SAMPLE_ALLOWLIST, '-q', '--assume-role', 'not-an-arn']);
      expect(result.status).toBe(1);
      expect(result.stderr).toContain('Error: --assume-role "not-an-arn" is not an IAM role ARN');
      expect(result.stderr).toContain('arn:<partition>:iam::<12-digit account id>:role/');
      expect(ep.requestLog()).toEqual([]);
    },
    TEST_TIMEOUT,
  );

  it(
    'GIVEN AWS_ENDPOINT_URL on a closed port WHEN planned THEN exit 1 within a few seconds, naming the endpoint',
    async () => {
      const result = await cli(['plan', '-a', SAMPLE_ALLOWLIST, '-q'], plainEnv({ AWS_ENDPOINT_URL: 'http://127.0.0.1:9' }));
      expect(result.status).toBe(1);
      expect(result.stderr).toContain('cannot reach http://127.0.0.1:9 (AWS_ENDPOINT_URL)');
      expect(result.stderr).toContain('ECONNREFUSED');
      // Node start-up and the sources' compilation included; the retries this replaces took 19-25 s.
      expect(result.elapsedMs).toBeLessThan(8_000);
    },
    TEST_TIMEOUT,
  );
});
