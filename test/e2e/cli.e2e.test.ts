/**
 * The CLI (`node bin/iam-allowlist.js`, the compiled dist/) as a separate process against
 * the sandbox endpoint started in this process. What it changed is checked through the real SDK.
 */
import * as fs from 'fs';
import * as path from 'path';
import { startEndpoint, type LocalEndpoint } from '../../src/endpoint';
import {
  AccountView,
  CLI,
  DELETED,
  QUARANTINE_POLICY,
  QUARANTINED,
  SAMPLE_ALLOWLIST,
  backupFiles,
  childEnv,
  expectStatus,
  removeTempDirs,
  run,
  sampleAllowlistText,
  tempDir,
  type ProcessResult,
} from './helpers';

const TEST_TIMEOUT = 120_000;

let ep: LocalEndpoint;
let view: AccountView;

beforeAll(async () => {
  ep = await startEndpoint({ seed: 'sandbox' });
  view = new AccountView(ep);
});

afterAll(async () => {
  view?.destroy();
  await ep?.stop();
  removeTempDirs();
});

/** A fresh sandbox account and a working directory holding a `kms: hold` copy of the sample allowlist. */
function freshWorkspace(): { dir: string; holdAllowlist: string } {
  ep.reset('sandbox');
  const dir = tempDir('cli');
  const holdAllowlist = path.join(dir, 'allowlist-hold.yaml');
  fs.writeFileSync(holdAllowlist, sampleAllowlistText('hold'));
  return { dir, holdAllowlist };
}

function cli(dir: string, args: readonly string[], extraEnv: Record<string, string> = {}): Promise<ProcessResult> {
  return run('node', [CLI, ...args], { cwd: dir, env: childEnv(ep, dir, extraEnv), timeoutMs: 100_000 });
}

interface JsonUserPlan {
  name: string;
  userId: string;
  arn: string;
  decision: string;
  reasons: string[];
  guards: Array<{ kind: string; resource: string | null; region: string | null }>;
  findings: Array<{ rule: string; severity: string; message: string }>;
}

interface JsonPlan {
  accountId: string;
  users: JsonUserPlan[];
}

function parsePlan(result: ProcessResult): JsonPlan {
  try {
    return JSON.parse(result.stdout) as JsonPlan;
  } catch {
    throw new Error(`plan --format json printed no JSON (exit ${result.status}):\n${result.stdout}\n${result.stderr}`);
  }
}

function decisions(plan: JsonPlan): Record<string, string> {
  return Object.fromEntries(plan.users.map((u) => [u.name, u.decision]));
}

describe('iam-allowlist validate', () => {
  it('GIVEN the sample allowlist WHEN validated THEN exit 0 and it reports itself valid', async () => {
    const { dir } = freshWorkspace();

    const result = await cli(dir, ['validate', SAMPLE_ALLOWLIST]);

    expectStatus(result, 0, 'validate sample');
    expect(result.stdout).toContain(`${SAMPLE_ALLOWLIST}: valid (5 users, 1 exception,`);
  });

  it('GIVEN a file with a misspelt key WHEN validated (text and github) THEN exit 1 pointing at file:line:column', async () => {
    const { dir } = freshWorkspace();
    const broken = path.join(dir, 'broken.yaml');
    // Line 6, column 5: the misspelt `reasn`.
    fs.writeFileSync(
      broken,
      'version: 1\naccount: "111122223333"\nusers:\n  - name: alice\n    owner: alice@example.com\n    reasn: typo\n',
    );

    const text = await cli(dir, ['validate', broken]);
    const github = await cli(dir, ['validate', broken, '--format', 'github']);

    expect(text.status).toBe(1);
    expect(text.stdout).toMatch(new RegExp(`^${escapeRegExp(broken)}:6:5: error: .*reasn`, 'm'));
    expect(github.status).toBe(1);
    expect(github.stdout).toMatch(new RegExp(`^::error file=${escapeRegExp(broken)},line=6,col=5[,:].*reasn`, 'm'));
  });
});

describe('iam-allowlist plan', () => {
  it(
    'GIVEN the sandbox and the sample allowlist (guards.kms: block) WHEN planned as text THEN exit 3 (run blocked by a guard, told apart from an error) and every kind of guard is shown',
    async () => {
      const { dir } = freshWorkspace();

      const result = await cli(dir, ['plan', '-a', SAMPLE_ALLOWLIST]);

      expectStatus(result, 3, 'plan');
      expect(result.stdout).toContain('Run blocked');
      for (const guard of ['kms-key-policy', 'kms-grant', 'kms-sole-admin', 'caller', 'recently-active', 'role-trust']) {
        expect({ guard, shown: result.stdout.includes(`${guard}:`) }).toEqual({ guard, shown: true });
      }
      expect(result.stdout).toMatch(/delete\s+old-admin/);
      expect(result.stdout).toMatch(/quarantine\s+former-contractor/);
    },
    TEST_TIMEOUT,
  );

  it(
    'GIVEN the sandbox WHEN planned as JSON THEN every live user appears with name, userId, arn, decision, reasons and guards',
    async () => {
      const { dir } = freshWorkspace();
      const liveNames = await view.userNames();

      const result = await cli(dir, ['plan', '-a', SAMPLE_ALLOWLIST, '--format', 'json']);

      expect(result.status).toBe(3);
      const plan = parsePlan(result);
      expect(plan.accountId).toBe('111122223333');
      expect(plan.users.map((u) => u.name).sort()).toEqual(liveNames);
      for (const user of plan.users) {
        expect(user.userId).toBe(await view.userId(user.name));
        expect(user.arn).toMatch(new RegExp(`^arn:aws:iam::111122223333:user(/[^/]+)*/${escapeRegExp(user.name)}$`));
        expect(['keep', 'delete', 'quarantine', 'hold', 'report']).toContain(user.decision);
        expect(Array.isArray(user.reasons) && user.reasons.length > 0).toBe(true);
        expect(Array.isArray(user.guards)).toBe(true);
      }
      expect(decisions(plan)).toMatchObject({
        alice: 'keep',
        'old-admin': 'delete',
        'temp-deploy-user': 'delete',
        'legacy-etl': 'delete',
        'former-contractor': 'quarantine',
        'data-pipeline': 'hold',
        'ci-bootstrap': 'hold',
      });
      const dataPipeline = plan.users.find((u) => u.name === 'data-pipeline')!;
      expect(dataPipeline.guards).toEqual(
        expect.arrayContaining([expect.objectContaining({ kind: 'kms-key-policy', region: 'eu-west-1' })]),
      );
    },
    TEST_TIMEOUT,
  );

  it(
    'GIVEN the sandbox WHEN planned as markdown THEN a pull-request comment with headings, a table and the guards is printed',
    async () => {
      const { dir } = freshWorkspace();

      const result = await cli(dir, ['plan', '-a', SAMPLE_ALLOWLIST, '--format', 'markdown']);

      expect(result.status).toBe(3);
      expect(result.stdout).toMatch(/^#{1,3} .*111122223333/m);
      expect(result.stdout).toMatch(/^\|.*\|$/m);
      expect(result.stdout).toContain('`old-admin`');
      expect(result.stdout).toContain('kms-grant');
      expect(result.stdout).not.toContain('inventory:');
    },
    TEST_TIMEOUT,
  );

  it(
    'GIVEN a read-only caller WHEN planned THEN the plan succeeds and not one mutating call was made',
    async () => {
      const { dir } = freshWorkspace();
      ep.faults.setReadOnly(true);
      ep.resetCounters();
      try {
        const result = await cli(dir, ['plan', '-a', SAMPLE_ALLOWLIST, '--format', 'json']);

        expect(result.status).toBe(3);
        expect(parsePlan(result).users.length).toBeGreaterThan(0);
        const log = ep.requestLog();
        expect(log.length).toBeGreaterThan(0);
        expect(log.filter((entry) => entry.mutating).map((e) => `${e.service}:${e.operation}`)).toEqual([]);
        expect(log.filter((entry) => entry.errorCode === 'AccessDenied')).toEqual([]);
      } finally {
        ep.faults.setReadOnly(false);
      }
    },
    TEST_TIMEOUT,
  );

  it(
    'GIVEN a snapshot saved while planning WHEN planned offline from it THEN the JSON plan is the same and the endpoint is not called',
    async () => {
      const { dir } = freshWorkspace();
      const snapshot = path.join(dir, 'snapshot.json');
      const now = new Date().toISOString();

      const online = await cli(dir, ['plan', '-a', SAMPLE_ALLOWLIST, '--format', 'json', '--now', now, '--save-snapshot', snapshot]);
      ep.resetCounters();
      // Offline: the SDK would fail against a closed port if the CLI tried to reach AWS.
      const offline = await cli(dir, ['plan', '-a', SAMPLE_ALLOWLIST, '--format', 'json', '--now', now, '--snapshot', snapshot], {
        AWS_ENDPOINT_URL: 'http://127.0.0.1:9',
      });

      expect(online.status).toBe(3);
      expect(fs.existsSync(snapshot)).toBe(true);
      expect(offline.status).toBe(3);
      expect(parsePlan(offline)).toEqual(parsePlan(online));
      expect(ep.requestLog()).toEqual([]);
    },
    TEST_TIMEOUT,
  );
});

describe('iam-allowlist apply and what follows it (guards.kms: hold)', () => {
  async function applied(): Promise<{ dir: string; holdAllowlist: string; before: Record<string, Record<string, unknown> | null> }> {
    const workspace = freshWorkspace();
    const before = await view.fingerprints(await view.userNames());
    const result = await cli(workspace.dir, ['apply', '-a', workspace.holdAllowlist, '--auto-approve']);
    expectStatus(result, 0, 'apply --auto-approve');
    expect(result.stdout).toMatch(/Apply complete: 4 done, 0 refused or failed/);
    return { ...workspace, before };
  }

  it(
    'GIVEN an applied plan WHEN planned again THEN nothing is left to do except held users',
    async () => {
      const { dir, holdAllowlist } = await applied();
      for (const name of DELETED) expect({ name, userId: await view.userId(name) }).toEqual({ name, userId: null });

      const again = await cli(dir, ['plan', '-a', holdAllowlist, '--format', 'json']);

      const plan = parsePlan(again);
      const pending = plan.users.filter((u) => u.decision === 'delete' || u.decision === 'quarantine');
      expect({ status: again.status, pending: pending.map((u) => `${u.decision} ${u.name}`) }).toEqual({ status: 0, pending: [] });
      // The quarantine done by apply is recognised, not planned again.
      const quarantined = plan.users.find((u) => u.name === QUARANTINED)!;
      expect(quarantined.decision).toBe('report');
      expect(quarantined.findings.map((f) => f.rule)).toContain('quarantined');
    },
    TEST_TIMEOUT,
  );

  it(
    'GIVEN a quarantined user WHEN released THEN its deny policy is gone and its keys are active again',
    async () => {
      const { dir, before } = await applied();
      expect(await view.inlinePolicyNames(QUARANTINED)).toContain(QUARANTINE_POLICY);
      const quarantinedKeys = await view.accessKeyStatuses(QUARANTINED);
      expect(Object.values(quarantinedKeys).every((s) => s === 'Inactive')).toBe(true);

      const result = await cli(dir, ['release', '--user', QUARANTINED]);

      expectStatus(result, 0, 'release');
      expect(await view.inlinePolicyNames(QUARANTINED)).not.toContain(QUARANTINE_POLICY);
      expect(await view.accessKeyStatuses(QUARANTINED)).toEqual(before[QUARANTINED]!.accessKeys);
      expect(Object.values(before[QUARANTINED]!.accessKeys as Record<string, string>)).toContain('Active');
      expect(result.stdout).toMatch(/password/i);
    },
    TEST_TIMEOUT,
  );

  it(
    'GIVEN a deleted user WHEN restored from its backup THEN it exists again (new UserId, same attachments) and the output says what cannot come back',
    async () => {
      const { dir, before } = await applied();
      const backup = backupFiles(path.join(dir, '.iam-allowlist', 'backups')).find((f) => path.basename(f).includes('-old-admin-'));
      expect(backup).toBeDefined();
      expect(await view.userId('old-admin')).toBeNull();

      const result = await cli(dir, ['restore', '--backup', backup!]);

      expectStatus(result, 0, 'restore');
      const restored = await view.fingerprint('old-admin');
      expect(restored).not.toBeNull();
      expect(restored!.userId).not.toBe(before['old-admin']!.userId);
      expect({ groups: restored!.groups, attached: restored!.attached, inline: restored!.inlinePolicies }).toEqual({
        groups: before['old-admin']!.groups,
        attached: before['old-admin']!.attached,
        inline: before['old-admin']!.inlinePolicies,
      });
      // Restore may add its own provenance tag; the user's own tags all come back.
      expect(restored!.tags).toEqual(expect.arrayContaining(before['old-admin']!.tags as string[]));
      const cannot = result.stdout.slice(result.stdout.indexOf('Cannot come back'));
      expect(result.stdout).toContain('Cannot come back');
      expect(cannot).toMatch(/access key/);
      expect(cannot).toMatch(/password/);
      expect(cannot).toContain(before['old-admin']!.userId as string);
    },
    TEST_TIMEOUT,
  );
});

describe('iam-allowlist init and policy', () => {
  it(
    'GIVEN the sandbox WHEN init writes an allowlist THEN validate accepts it and its plan removes nobody',
    async () => {
      const { dir } = freshWorkspace();
      const written = path.join(dir, 'allowlist.yaml');
      const liveNames = await view.userNames();

      expectStatus(await cli(dir, ['init', '--output', written]), 0, 'init');
      const validate = await cli(dir, ['validate', written]);
      const plan = await cli(dir, ['plan', '-a', written, '--format', 'json']);

      expectStatus(validate, 0, 'validate the written allowlist');
      const parsed = parsePlan(plan);
      expect(parsed.users.map((u) => u.name).sort()).toEqual(liveNames);
      expect(parsed.users.filter((u) => u.decision === 'delete' || u.decision === 'quarantine').map((u) => u.name)).toEqual([]);
      expect(plan.status).toBe(0);
      expect(await view.userNames()).toEqual(liveNames);
    },
    TEST_TIMEOUT,
  );

  it('GIVEN policy --for plan WHEN printed THEN it is an IAM policy of read actions only (and --for enforce is not)', async () => {
    const { dir } = freshWorkspace();

    const forPlan = await cli(dir, ['policy', '--for', 'plan']);
    const forEnforce = await cli(dir, ['policy', '--for', 'enforce']);

    expectStatus(forPlan, 0, 'policy --for plan');
    const actions = policyActions(forPlan.stdout);
    expect(actions.length).toBeGreaterThan(0);
    expect(actions.filter((a) => !isReadAction(a))).toEqual([]);
    expect(actions).toEqual(expect.arrayContaining(['iam:GetAccountAuthorizationDetails', 'kms:GetKeyPolicy', 'kms:ListGrants']));
    // The check itself can fail: the enforcement policy has write actions.
    expectStatus(forEnforce, 0, 'policy --for enforce');
    expect(policyActions(forEnforce.stdout).filter((a) => !isReadAction(a))).toContain('iam:DeleteUser');
  });
});

function policyActions(text: string): string[] {
  const policy = JSON.parse(text) as { Version: string; Statement: Array<{ Effect: string; Action: string | string[] }> };
  expect(policy.Version).toBe('2012-10-17');
  expect(policy.Statement.every((s) => s.Effect === 'Allow')).toBe(true);
  return policy.Statement.flatMap((s) => (Array.isArray(s.Action) ? s.Action : [s.Action]));
}

/** AWS's Read/List access level verbs; iam:GenerateCredentialReport is listed by AWS as a Read action. */
function isReadAction(action: string): boolean {
  return /^[a-z0-9-]+:(Get|List|Describe)[A-Za-z]+$/.test(action) || action === 'iam:GenerateCredentialReport';
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
