/**
 * Exit codes CI can use for the mutating commands (issue 14 item 3), from the compiled CLI against the sandbox
 * endpoint: apply 0 done or nothing to do, 3 blocked by a guard or refused at the re-check, 1 error or cancelled;
 * enforce 0 done or already done, 3 refused, 1 failed.
 */
import * as fs from 'fs';
import * as path from 'path';
import { DELETED, QUARANTINED, expectStatus, sampleAllowlistText, tempDir, useSandboxAccount } from './helpers';
import { sandboxCli } from './sandbox-cli';

const TEST_TIMEOUT = 90_000;
const sandbox = useSandboxAccount();

const cli = sandboxCli(sandbox);

/** A working directory with the sample allowlist in the given KMS mode. */
function workspace(kms: 'block' | 'hold'): { dir: string; allowlist: string } {
  const dir = tempDir('exit-codes');
  const allowlist = path.join(dir, 'allowlist.yaml');
  fs.writeFileSync(allowlist, sampleAllowlistText(kms));
  return { dir, allowlist };
}

/** The allowlist text with one more declared user (path "/"), before the exceptions section. */
function declaring(text: string, name: string): string {
  const at = text.indexOf('\nexceptions:');
  if (at < 0) throw new Error('the sample allowlist has no exceptions section any more; update this test');
  const marker = text.lastIndexOf('\n#', at);
  const cut = marker > 0 && marker < at ? marker : at;
  return `${text.slice(0, cut)}\n  - name: ${name}\n    owner: e2e@example.com\n    reason: declared during the apply\n${text.slice(cut)}`;
}

async function waitFor(what: string, condition: () => boolean, timeoutMs = 60_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

describe('apply exit codes', () => {
  it(
    'GIVEN guards.kms block and KMS-referenced users WHEN apply --auto-approve THEN exit 3 and nothing changed',
    async () => {
      const { dir, allowlist } = workspace('block');
      const before = await sandbox.view.fingerprints(await sandbox.view.userNames());
      const result = await cli(dir, ['apply', '-a', allowlist, '--auto-approve']);
      expect(result.status).toBe(3);
      expect(result.stdout).toMatch(/Nothing was changed: \d+ findings? blocks? this run/);
      expect(await sandbox.view.fingerprints(await sandbox.view.userNames())).toEqual(before);
    },
    TEST_TIMEOUT,
  );

  it(
    'GIVEN removals pending WHEN apply --auto-approve THEN exit 0; WHEN applied again THEN exit 0 with nothing to do',
    async () => {
      const { dir, allowlist } = workspace('hold');
      const first = await cli(dir, ['apply', '-a', allowlist, '--auto-approve']);
      expectStatus(first, 0, 'apply');
      for (const name of DELETED) expect({ name, userId: await sandbox.view.userId(name) }).toEqual({ name, userId: null });
      const again = await cli(dir, ['apply', '-a', allowlist, '--auto-approve']);
      expectStatus(again, 0, 'apply again');
      expect(again.stdout).toContain('Nothing to do.');
    },
    TEST_TIMEOUT,
  );

  it(
    'GIVEN removals pending and stdin not a terminal WHEN apply without --auto-approve THEN exit 1, cancelled, nothing changed',
    async () => {
      const { dir, allowlist } = workspace('hold');
      const before = await sandbox.view.fingerprints(await sandbox.view.userNames());
      const result = await cli(dir, ['apply', '-a', allowlist]);
      expect(result.status).toBe(1);
      expect(result.stdout).toContain('Apply cancelled; nothing was changed.');
      expect(await sandbox.view.fingerprints(await sandbox.view.userNames())).toEqual(before);
    },
    TEST_TIMEOUT,
  );

  it(
    'GIVEN the allowlist declares a planned user while apply runs WHEN that user is re-checked THEN it is refused, the rest done, exit 3',
    async () => {
      const { dir, allowlist } = workspace('hold');
      sandbox.ep.faults.setLatency('iam:DeleteUser', 1500);
      try {
        // One user at a time, so temp-deploy-user's re-check comes after the edit below.
        const child = cli(dir, ['apply', '-a', allowlist, '--auto-approve', '--parallelism', '1']);
        // legacy-etl's keys are gone: its DeleteUser (held 1.5 s) is in flight; temp-deploy-user comes later.
        await waitFor(
          'legacy-etl to be part-way deleted',
          () => (sandbox.ep.state.iam.users.get('legacy-etl')?.accessKeys.length ?? 0) === 0,
        );
        fs.writeFileSync(allowlist, declaring(fs.readFileSync(allowlist, 'utf8'), 'temp-deploy-user'));
        const result = await child;
        expect(result.status).toBe(3);
        expect(result.stdout).toContain('! temp-deploy-user');
        expect(await sandbox.view.userId('temp-deploy-user')).not.toBeNull();
        expect(await sandbox.view.userId('legacy-etl')).toBeNull();
        expect(await sandbox.view.userId('old-admin')).toBeNull();
      } finally {
        sandbox.ep.faults.setLatency('iam:DeleteUser', 0);
      }
    },
    TEST_TIMEOUT,
  );

  it(
    'GIVEN the backup directory is a file WHEN apply --auto-approve THEN the actions fail (not refused): exit 1',
    async () => {
      const { dir, allowlist } = workspace('hold');
      const backupDir = path.join(dir, 'not-a-dir');
      fs.writeFileSync(backupDir, 'a file where the backup directory should be\n');
      const result = await cli(dir, ['apply', '-a', allowlist, '--auto-approve', '--backup-dir', backupDir]);
      expect(result.status).toBe(1);
      expect(result.stdout).toContain('cannot write backup');
      for (const name of DELETED) expect({ name, exists: (await sandbox.view.userId(name)) !== null }).toEqual({ name, exists: true });
    },
    TEST_TIMEOUT,
  );
});

describe('enforce exit codes', () => {
  it(
    'GIVEN a planned deletion WHEN enforced THEN exit 0; WHEN enforced again THEN exit 0 (already done)',
    async () => {
      const { dir, allowlist } = workspace('hold');
      const userId = (await sandbox.view.userId('temp-deploy-user'))!;
      const args = ['enforce', '-a', allowlist, '--action', 'delete', '--user', 'temp-deploy-user', '--user-id', userId];
      expectStatus(await cli(dir, args), 0, 'enforce');
      expect(await sandbox.view.userId('temp-deploy-user')).toBeNull();
      const again = await cli(dir, args);
      expectStatus(again, 0, 'enforce again');
      expect(again.stdout).toContain('already deleted');
    },
    TEST_TIMEOUT,
  );

  it(
    'GIVEN a UserId other than the live one WHEN enforced THEN refused: exit 3 and the user untouched',
    async () => {
      const { dir, allowlist } = workspace('hold');
      const before = await sandbox.view.fingerprint('temp-deploy-user');
      const result = await cli(dir, [
        'enforce',
        '-a',
        allowlist,
        '--action',
        'delete',
        '--user',
        'temp-deploy-user',
        '--user-id',
        'AIDAOTHERUSERID00000',
      ]);
      expect(result.status).toBe(3);
      expect(result.stderr).toContain('was recreated');
      expect(await sandbox.view.fingerprint('temp-deploy-user')).toEqual(before);
    },
    TEST_TIMEOUT,
  );

  it(
    'GIVEN the backup directory is a file WHEN a quarantine is enforced THEN it fails: exit 1',
    async () => {
      const { dir, allowlist } = workspace('hold');
      const backupDir = path.join(dir, 'not-a-dir');
      fs.writeFileSync(backupDir, 'a file\n');
      const userId = (await sandbox.view.userId(QUARANTINED))!;
      const args = [
        'enforce',
        '-a',
        allowlist,
        '--action',
        'quarantine',
        '--user',
        QUARANTINED,
        '--user-id',
        userId,
        '--backup-dir',
        backupDir,
      ];
      const result = await cli(dir, args);
      expect(result.status).toBe(1);
      expect(result.stderr).toContain('cannot write backup');
    },
    TEST_TIMEOUT,
  );
});
