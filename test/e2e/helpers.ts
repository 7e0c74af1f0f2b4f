/**
 * Helpers for the end-to-end tests: real binaries (node, cdktf, terraform) as child processes
 * against the local endpoint that runs inside the jest process.
 *
 * Child processes are always spawned asynchronously: the endpoint answers on this process's event
 * loop, so a spawnSync would leave the CLI (and terraform's local-exec) waiting for an endpoint that
 * cannot answer.
 */
import { spawn } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import {
  GetLoginProfileCommand,
  GetUserCommand,
  IAMClient,
  ListAccessKeysCommand,
  ListAttachedUserPoliciesCommand,
  ListGroupsForUserCommand,
  ListUserPoliciesCommand,
  ListUserTagsCommand,
  ListUsersCommand,
} from '@aws-sdk/client-iam';
import { DescribeKeyCommand, KMSClient, ListAliasesCommand } from '@aws-sdk/client-kms';
import type { LocalEndpoint } from '../../src/endpoint';
import { isNoSuchEntity } from '../../src/errors';
import { ensureBuilt } from './build';

export const REPO_ROOT = path.resolve(__dirname, '..', '..');
/** The compiled CLI, as installed packages run it; importing these helpers brings dist/ up to date. */
export const CLI = path.join(REPO_ROOT, 'bin', 'iam-allowlist.js');
ensureBuilt();
export const CDKTF = path.join(REPO_ROOT, 'node_modules', '.bin', 'cdktf');
export const SAMPLE_ALLOWLIST = path.join(REPO_ROOT, 'allowlist.yaml');
export const STACK_NAME = 'iam-allowlist';

// ---------------------------------------------------------------------------------------------
// Temp directories

const createdDirs: string[] = [];

export function tempDir(prefix: string): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), `iam-allowlist-e2e-${prefix}-`));
  createdDirs.push(dir);
  return dir;
}

/** Removes every directory tempDir created in this test file (unless KEEP_E2E_DIRS is set, for debugging). */
export function removeTempDirs(): void {
  if (process.env.KEEP_E2E_DIRS) return;
  for (const dir of createdDirs.splice(0)) fs.rmSync(dir, { recursive: true, force: true });
}

// ---------------------------------------------------------------------------------------------
// Processes

export interface ProcessResult {
  readonly status: number | null;
  readonly stdout: string;
  readonly stderr: string;
  /** stdout and stderr, ANSI colours removed, each whitespace run collapsed to one space (terraform wraps long messages). */
  readonly flat: string;
}

const ANSI = /\u001b\[[0-9;?]*[ -/]*[@-~]/g;

export function stripAnsi(text: string): string {
  return text.replace(ANSI, '');
}

export function flatten(text: string): string {
  return stripAnsi(text).replace(/\s+/g, ' ');
}

export interface RunOptions {
  readonly cwd: string;
  readonly env: NodeJS.ProcessEnv;
  /** Kill the process after this long. Default 150 s. */
  readonly timeoutMs?: number;
}

export function run(command: string, args: readonly string[], options: RunOptions): Promise<ProcessResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args as string[], { cwd: options.cwd, env: options.env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    const timer = setTimeout(() => child.kill('SIGKILL'), options.timeoutMs ?? 150_000);
    child.on('error', (err) => {
      clearTimeout(timer);
      reject(err);
    });
    child.on('close', (status) => {
      clearTimeout(timer);
      resolve({ status, stdout: stripAnsi(stdout), stderr: stripAnsi(stderr), flat: flatten(`${stdout}\n${stderr}`) });
    });
  });
}

/** Throws with the full output when a step that must succeed did not. */
export function expectStatus(result: ProcessResult, expected: number, what: string): ProcessResult {
  if (result.status !== expected) {
    throw new Error(
      `${what}: exit ${result.status}, expected ${expected}\n--- stdout ---\n${result.stdout}\n--- stderr ---\n${result.stderr}`,
    );
  }
  return result;
}

/**
 * Environment for every child: the endpoint's variables (endpoint URL, placeholder credentials,
 * region), no telemetry, an empty terraform CLI configuration.
 */
export function childEnv(ep: LocalEndpoint, dir: string, extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const cliConfig = path.join(dir, '.terraformrc');
  if (!fs.existsSync(cliConfig)) fs.writeFileSync(cliConfig, '');
  return {
    ...process.env,
    ...ep.env(),
    CHECKPOINT_DISABLE: '1',
    CI: '1',
    TF_IN_AUTOMATION: '1',
    TF_CLI_CONFIG_FILE: cliConfig,
    NO_COLOR: '1',
    FORCE_COLOR: '0',
    NODE_NO_WARNINGS: '1',
    ...extra,
  };
}

// ---------------------------------------------------------------------------------------------
// Allowlists

/** The sample allowlist with `guards.kms` set to the given mode (the sample says `block`). */
export function sampleAllowlistText(kms: 'block' | 'hold'): string {
  const text = fs.readFileSync(SAMPLE_ALLOWLIST, 'utf8');
  const pattern = /^(\s+kms:\s*)block\b/m;
  if (!pattern.test(text)) throw new Error('the sample allowlist no longer has `guards.kms: block`; update the e2e helper');
  return kms === 'block' ? text : text.replace(pattern, '$1hold');
}

// ---------------------------------------------------------------------------------------------
// The account seen through the real SDK

export class AccountView {
  readonly iam: IAMClient;
  private readonly kmsClients = new Map<string, KMSClient>();

  constructor(private readonly ep: LocalEndpoint) {
    this.iam = new IAMClient(this.config('us-east-1'));
  }

  private config(region: string) {
    return { endpoint: this.ep.url, region, credentials: { accessKeyId: 'e2e', secretAccessKey: 'e2e-placeholder' }, maxAttempts: 3 };
  }

  kms(region: string): KMSClient {
    let client = this.kmsClients.get(region);
    if (!client) {
      client = new KMSClient(this.config(region));
      this.kmsClients.set(region, client);
    }
    return client;
  }

  destroy(): void {
    this.iam.destroy();
    for (const client of this.kmsClients.values()) client.destroy();
  }

  async userNames(): Promise<string[]> {
    const names: string[] = [];
    let marker: string | undefined;
    do {
      const page = await this.iam.send(new ListUsersCommand({ Marker: marker }));
      for (const user of page.Users ?? []) names.push(user.UserName!);
      marker = page.IsTruncated ? page.Marker : undefined;
    } while (marker);
    return names.sort();
  }

  /** UserId of a user, or null when it does not exist. */
  async userId(name: string): Promise<string | null> {
    try {
      return (await this.iam.send(new GetUserCommand({ UserName: name }))).User!.UserId!;
    } catch (err) {
      if (isNoSuchEntity(err)) return null;
      throw err;
    }
  }

  async hasLoginProfile(name: string): Promise<boolean> {
    try {
      await this.iam.send(new GetLoginProfileCommand({ UserName: name }));
      return true;
    } catch (err) {
      if (isNoSuchEntity(err)) return false;
      throw err;
    }
  }

  async accessKeyStatuses(name: string): Promise<Record<string, string>> {
    const keys = await this.iam.send(new ListAccessKeysCommand({ UserName: name }));
    return Object.fromEntries((keys.AccessKeyMetadata ?? []).map((k) => [k.AccessKeyId!, k.Status!]));
  }

  async inlinePolicyNames(name: string): Promise<string[]> {
    return ((await this.iam.send(new ListUserPoliciesCommand({ UserName: name }))).PolicyNames ?? []).sort();
  }

  /** Everything enforcement could change on a user; equal fingerprints mean "untouched". */
  async fingerprint(name: string): Promise<Record<string, unknown> | null> {
    const userId = await this.userId(name);
    if (userId === null) return null;
    const [attached, groups, tags] = await Promise.all([
      this.iam.send(new ListAttachedUserPoliciesCommand({ UserName: name })),
      this.iam.send(new ListGroupsForUserCommand({ UserName: name })),
      this.iam.send(new ListUserTagsCommand({ UserName: name })),
    ]);
    return {
      userId,
      loginProfile: await this.hasLoginProfile(name),
      accessKeys: await this.accessKeyStatuses(name),
      inlinePolicies: await this.inlinePolicyNames(name),
      attached: (attached.AttachedPolicies ?? []).map((p) => p.PolicyArn).sort(),
      groups: (groups.Groups ?? []).map((g) => g.GroupName).sort(),
      tags: (tags.Tags ?? []).map((t) => `${t.Key}=${t.Value}`).sort(),
    };
  }

  async fingerprints(names: readonly string[]): Promise<Record<string, Record<string, unknown> | null>> {
    const out: Record<string, Record<string, unknown> | null> = {};
    for (const name of names) out[name] = await this.fingerprint(name);
    return out;
  }

  /** ARN of the customer key an alias points at. */
  async keyArnOfAlias(region: string, aliasName: string): Promise<string> {
    const aliases = await this.kms(region).send(new ListAliasesCommand({}));
    const alias = (aliases.Aliases ?? []).find((a) => a.AliasName === aliasName);
    if (!alias?.TargetKeyId) throw new Error(`no alias ${aliasName} in ${region}`);
    const key = await this.kms(region).send(new DescribeKeyCommand({ KeyId: alias.TargetKeyId }));
    return key.KeyMetadata!.Arn!;
  }
}

// ---------------------------------------------------------------------------------------------
// The sandbox account's cast (see src/endpoint/sandbox.ts)

export const DECLARED_KEPT = ['alice', 'bob', 'deploy-bot', 'break-glass'] as const;
export const QUARANTINED = 'former-contractor';
export const DELETED = ['legacy-etl', 'old-admin', 'temp-deploy-user'] as const;
export const HELD = [
  'analytics-reader',
  'ci-bootstrap',
  'data-pipeline',
  'jenkins-legacy',
  'key-admin-legacy',
  'report-generator',
  'shadow-it-user',
] as const;
export const UNTOUCHED: readonly string[] = [...DECLARED_KEPT, ...HELD];
export const QUARANTINE_POLICY = 'iam-allowlist-quarantine';

// ---------------------------------------------------------------------------------------------
// Backups

export function backupFiles(dir: string): string[] {
  if (!fs.existsSync(dir)) return [];
  return fs
    .readdirSync(dir)
    .filter((f) => f.endsWith('.json'))
    .map((f) => path.join(dir, f))
    .sort();
}

const SECRET_KEY_NAMES = /^(secret.*|.*secretaccesskey|password|servicepassword|sessiontoken|privatekey)$/i;

/** Keys of a JSON document whose name says it holds a secret (passwordResetRequired and the like are metadata). */
export function secretLookingKeys(value: unknown, at = '$'): string[] {
  if (Array.isArray(value)) return value.flatMap((v, i) => secretLookingKeys(v, `${at}[${i}]`));
  if (value === null || typeof value !== 'object') return [];
  return Object.entries(value as Record<string, unknown>).flatMap(([key, v]) => [
    ...(SECRET_KEY_NAMES.test(key) ? [`${at}.${key}`] : []),
    ...secretLookingKeys(v, `${at}.${key}`),
  ]);
}

// ---------------------------------------------------------------------------------------------
// One sandbox endpoint per test file

export interface SandboxFixture {
  readonly ep: LocalEndpoint;
  readonly view: AccountView;
}

/**
 * Starts the sandbox endpoint before the file's tests, resets the account before each test, stops
 * it and removes the temp directories after. Read the fixture inside tests (it is filled in beforeAll).
 */
export function useSandboxAccount(): SandboxFixture {
  const fixture = {} as { ep: LocalEndpoint; view: AccountView };
  beforeAll(async () => {
    // Imported here: the helpers must not start anything by being imported.
    const { startEndpoint } = await import('../../src/endpoint');
    fixture.ep = await startEndpoint({ seed: 'sandbox' });
    fixture.view = new AccountView(fixture.ep);
  });
  beforeEach(() => fixture.ep.reset('sandbox'));
  afterAll(async () => {
    fixture.view?.destroy();
    await fixture.ep?.stop();
    removeTempDirs();
  });
  return fixture;
}
