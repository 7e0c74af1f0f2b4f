/**
 * The CLI run end to end under exactly the policies `iam-allowlist policy --for <mode>` prints: the
 * endpoint answers AccessDenied (each service's real error shape) to every action the printed policy
 * does not allow, as AWS would for a role holding only that policy. A call the tool makes without
 * declaring it fails here, whether it goes through the executor (which refuses undeclared calls
 * itself) or through the inventory and the re-check (which the endpoint refuses).
 */
import * as fs from 'fs';
import * as path from 'path';
import {
  CLI,
  DELETED,
  QUARANTINE_POLICY,
  QUARANTINED,
  backupFiles,
  childEnv,
  expectStatus,
  run,
  sampleAllowlistText,
  tempDir,
  type ProcessResult,
  useSandboxAccount,
} from './helpers';

const TEST_TIMEOUT = 180_000;
const MODES = ['plan', 'enforce', 'release', 'restore'] as const;
type Mode = (typeof MODES)[number];

const sandbox = useSandboxAccount();

function cli(dir: string, args: readonly string[]): Promise<ProcessResult> {
  return run('node', [CLI, ...args], { cwd: dir, env: childEnv(sandbox.ep, dir), timeoutMs: 150_000 });
}

/** A fresh sandbox account and a working directory holding a `kms: hold` copy of the sample allowlist. */
function freshWorkspace(): { dir: string; allowlist: string } {
  sandbox.ep.reset('sandbox');
  const dir = tempDir('least-privilege');
  const allowlist = path.join(dir, 'allowlist.yaml');
  fs.writeFileSync(allowlist, sampleAllowlistText('hold'));
  return { dir, allowlist };
}

/** The actions the printed policy of `mode` allows. */
async function printedPolicy(dir: string, mode: Mode): Promise<string[]> {
  const printed = expectStatus(await cli(dir, ['policy', '--for', mode]), 0, `policy --for ${mode}`);
  const policy = JSON.parse(printed.stdout) as { Statement: Array<{ Effect: string; Action: string[]; Resource: string }> };
  expect(policy.Statement.every((s) => s.Effect === 'Allow' && s.Resource === '*')).toBe(true);
  return policy.Statement.flatMap((s) => s.Action);
}

/** Runs the CLI with the endpoint allowing only `actions`; returns the result and the calls it denied. */
async function under(
  actions: readonly string[],
  dir: string,
  args: readonly string[],
): Promise<{ result: ProcessResult; denied: string[] }> {
  sandbox.ep.resetCounters();
  sandbox.ep.faults.allowOnly(actions);
  try {
    const result = await cli(dir, args);
    const denied = sandbox.ep
      .requestLog()
      .filter((e) => e.errorCode === 'AccessDenied' || e.errorCode === 'AccessDeniedException')
      .map((e) => `${e.service}:${e.operation}`);
    return { result, denied };
  } finally {
    sandbox.ep.faults.allowOnly(null);
  }
}

describe('the CLI under the least-privilege policies it prints', () => {
  it(
    'GIVEN each printed policy alone WHEN plan, apply (delete + quarantine), release and restore run THEN each succeeds and no call is denied',
    async () => {
      const { dir, allowlist } = freshWorkspace();
      const policies = {} as Record<Mode, string[]>;
      for (const mode of MODES) policies[mode] = await printedPolicy(dir, mode);
      const before = await sandbox.view.fingerprints([QUARANTINED, 'old-admin']);

      // plan: read-only, and it still sees every decision (exit 2: changes pending).
      const plan = await under(policies.plan, dir, ['plan', '-a', allowlist, '--format', 'json']);
      expect({ status: plan.result.status, denied: plan.denied }).toEqual({ status: 2, denied: [] });
      const planned = (JSON.parse(plan.result.stdout) as { users: Array<{ name: string; decision: string }> }).users
        .filter((u) => u.decision === 'delete' || u.decision === 'quarantine')
        .map((u) => `${u.decision} ${u.name}`)
        .sort();
      expect(planned).toEqual([...DELETED.map((n) => `delete ${n}`), `quarantine ${QUARANTINED}`].sort());

      // apply under the enforce policy: the scan, the re-checks, the deletions and the quarantine.
      const apply = await under(policies.enforce, dir, ['apply', '-a', allowlist, '--auto-approve']);
      expect({ status: apply.result.status, denied: apply.denied }).toEqual({ status: 0, denied: [] });
      expect(apply.result.stdout).toMatch(/Apply complete: 4 done, 0 refused or failed/);
      for (const name of DELETED) expect({ name, userId: await sandbox.view.userId(name) }).toEqual({ name, userId: null });
      expect(await sandbox.view.inlinePolicyNames(QUARANTINED)).toContain(QUARANTINE_POLICY);

      // release under the release policy.
      const release = await under(policies.release, dir, ['release', '--user', QUARANTINED]);
      expect({ status: release.result.status, denied: release.denied, stderr: release.result.stderr }).toEqual({
        status: 0,
        denied: [],
        stderr: '',
      });
      expect(await sandbox.view.inlinePolicyNames(QUARANTINED)).not.toContain(QUARANTINE_POLICY);
      expect(await sandbox.view.accessKeyStatuses(QUARANTINED)).toEqual(before[QUARANTINED]!.accessKeys);

      // restore under the restore policy.
      const backup = backupFiles(path.join(dir, '.iam-allowlist', 'backups')).find((f) => path.basename(f).includes('-old-admin-'));
      expect(backup).toBeDefined();
      const restore = await under(policies.restore, dir, ['restore', '--backup', backup!]);
      expect({ status: restore.result.status, denied: restore.denied, stderr: restore.result.stderr }).toEqual({
        status: 0,
        denied: [],
        stderr: '',
      });
      const restored = await sandbox.view.fingerprint('old-admin');
      expect({ groups: restored?.groups, attached: restored?.attached }).toEqual({
        groups: before['old-admin']!.groups,
        attached: before['old-admin']!.attached,
      });
    },
    TEST_TIMEOUT,
  );

  it(
    'GIVEN the plan policy WHEN apply runs under it THEN the first change is denied by the endpoint: the mode is not a no-op',
    async () => {
      const { dir, allowlist } = freshWorkspace();
      const planPolicy = await printedPolicy(dir, 'plan');

      const apply = await under(planPolicy, dir, ['apply', '-a', allowlist, '--auto-approve']);

      expect(apply.result.status).toBe(1);
      expect(apply.denied.length).toBeGreaterThan(0);
      expect(apply.denied.every((a) => !planPolicy.includes(a))).toBe(true);
      for (const name of DELETED) expect(await sandbox.view.userId(name)).not.toBeNull();
    },
    TEST_TIMEOUT,
  );
});
