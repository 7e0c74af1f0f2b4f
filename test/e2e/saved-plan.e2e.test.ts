/**
 * Saved plans (issue 14 item 2), from the compiled CLI against the sandbox endpoint: `plan -o FILE` writes the
 * plan, `apply FILE` carries out exactly its actions (each still re-checked live), and refuses a plan for another
 * account, from another allowlist, or too old, changing nothing.
 */
import * as fs from 'fs';
import * as path from 'path';
import { CreateUserCommand, DeleteAccessKeyCommand, DeleteUserCommand, ListAccessKeysCommand } from '@aws-sdk/client-iam';
import { DELETED, QUARANTINED, expectStatus, sampleAllowlistText, secretLookingKeys, tempDir, useSandboxAccount } from './helpers';
import { sandboxCli } from './sandbox-cli';

const TEST_TIMEOUT = 90_000;
const sandbox = useSandboxAccount();

const cli = sandboxCli(sandbox);

/** A working directory with a `kms: hold` allowlist and a saved plan of the sandbox made from it (relative paths). */
async function planned(): Promise<{ dir: string; planFile: string; saved: Record<string, unknown> }> {
  const dir = tempDir('saved-plan');
  fs.writeFileSync(path.join(dir, 'allowlist.yaml'), sampleAllowlistText('hold'));
  const result = await cli(dir, ['plan', '-o', 'plan.json']);
  expectStatus(result, 2, 'plan -o');
  expect(result.stderr).toContain('Saved the plan to plan.json');
  const planFile = path.join(dir, 'plan.json');
  return { dir, planFile, saved: JSON.parse(fs.readFileSync(planFile, 'utf8')) as Record<string, unknown> };
}

function doctor(planFile: string, change: (saved: Record<string, unknown>) => void): void {
  const saved = JSON.parse(fs.readFileSync(planFile, 'utf8')) as Record<string, unknown>;
  change(saved);
  fs.writeFileSync(planFile, JSON.stringify(saved, null, 2));
}

async function everyone(): Promise<Record<string, Record<string, unknown> | null>> {
  return sandbox.view.fingerprints(await sandbox.view.userNames());
}

describe('plan -o then apply FILE', () => {
  it(
    'GIVEN a saved plan and a user created after it WHEN apply FILE THEN the planned actions are done and the new user is NOT deleted',
    async () => {
      const { dir, saved } = await planned();
      expect({
        kind: saved.kind,
        account: saved.accountId,
        actions: (saved.actions as { userName: string }[]).map((a) => a.userName),
      }).toEqual({
        kind: 'iam-allowlist/saved-plan',
        account: '111122223333',
        actions: [QUARANTINED, ...DELETED].sort(),
      });
      expect(secretLookingKeys(saved)).toEqual([]);
      await sandbox.view.iam.send(new CreateUserCommand({ UserName: 'newcomer' }));

      const result = await cli(dir, ['apply', 'plan.json', '--auto-approve']);

      expectStatus(result, 0, 'apply plan.json');
      expect(result.stdout).toContain('Saved plan plan.json, made ');
      expect(result.stdout).toMatch(/Apply complete: 4 done, 0 refused or failed/);
      for (const name of DELETED) expect({ name, userId: await sandbox.view.userId(name) }).toEqual({ name, userId: null });
      expect(await sandbox.view.inlinePolicyNames(QUARANTINED)).toContain('iam-allowlist-quarantine');
      expect(await sandbox.view.userId('newcomer')).not.toBeNull();
      // A fresh plan would delete it: the saved plan carried out only its own actions.
      const fresh = await cli(dir, ['plan']);
      expect(fresh.status).toBe(2);
      expect(fresh.stdout).toContain('- delete newcomer');
    },
    TEST_TIMEOUT,
  );

  it(
    'GIVEN a planned user recreated after the plan WHEN apply FILE THEN refused at the re-check, the rest done: exit 3',
    async () => {
      const { dir } = await planned();
      const keys = await sandbox.view.iam.send(new ListAccessKeysCommand({ UserName: 'temp-deploy-user' }));
      for (const key of keys.AccessKeyMetadata ?? []) {
        await sandbox.view.iam.send(new DeleteAccessKeyCommand({ UserName: 'temp-deploy-user', AccessKeyId: key.AccessKeyId! }));
      }
      await sandbox.view.iam.send(new DeleteUserCommand({ UserName: 'temp-deploy-user' }));
      await sandbox.view.iam.send(new CreateUserCommand({ UserName: 'temp-deploy-user' }));
      const recreated = await sandbox.view.userId('temp-deploy-user');

      const result = await cli(dir, ['apply', 'plan.json', '--auto-approve']);

      expect(result.status).toBe(3);
      expect(result.stdout).toContain('! temp-deploy-user');
      expect(await sandbox.view.userId('temp-deploy-user')).toBe(recreated);
      expect(await sandbox.view.userId('old-admin')).toBeNull();
    },
    TEST_TIMEOUT,
  );
});

describe('apply FILE: the allowlist and the guards of the saved plan', () => {
  it(
    'GIVEN a plan from -a custom.yaml WHEN apply FILE without -a THEN the re-check reads custom.yaml (no allowlist.yaml) and all is done',
    async () => {
      const dir = tempDir('saved-plan-custom');
      fs.writeFileSync(path.join(dir, 'custom.yaml'), sampleAllowlistText('hold'));
      expectStatus(await cli(dir, ['plan', '-a', 'custom.yaml', '-o', 'plan.json']), 2, 'plan -a custom.yaml -o');

      const result = await cli(dir, ['apply', 'plan.json', '--auto-approve']);

      expectStatus(result, 0, 'apply plan.json');
      for (const name of DELETED) expect({ name, userId: await sandbox.view.userId(name) }).toEqual({ name, userId: null });
    },
    TEST_TIMEOUT,
  );

  it(
    'GIVEN a plan saved while a guard blocks the run WHEN apply FILE THEN exit 3 and nothing changed',
    async () => {
      const dir = tempDir('saved-plan-blocked');
      fs.writeFileSync(path.join(dir, 'allowlist.yaml'), sampleAllowlistText('block'));
      expect((await cli(dir, ['plan', '-o', 'plan.json'])).status).toBe(3);
      const before = await everyone();

      const result = await cli(dir, ['apply', 'plan.json', '--auto-approve']);

      expect(result.status).toBe(3);
      expect(result.stdout).toMatch(/Nothing was changed: \d+ findings? blocks? this run/);
      expect(await everyone()).toEqual(before);
    },
    TEST_TIMEOUT,
  );
});

describe('apply FILE refuses a plan it may not carry out (exit 1, nothing changed)', () => {
  it(
    'GIVEN a plan for another account WHEN apply FILE THEN refused naming both accounts',
    async () => {
      const { dir, planFile } = await planned();
      doctor(planFile, (saved) => {
        saved.accountId = '999988887777';
        (saved.plan as Record<string, unknown>).accountId = '999988887777';
      });
      const before = await everyone();
      const result = await cli(dir, ['apply', 'plan.json', '--auto-approve']);
      expect(result.status).toBe(1);
      expect(result.stderr).toContain('Refused: the saved plan plan.json cannot be carried out; nothing was changed');
      expect(result.stderr).toContain('account: the plan is for account 999988887777, the credentials are for account 111122223333');
      expect(await everyone()).toEqual(before);
    },
    TEST_TIMEOUT,
  );

  it(
    'GIVEN the allowlist edited after the plan WHEN apply FILE THEN refused: plan again',
    async () => {
      const { dir } = await planned();
      fs.appendFileSync(path.join(dir, 'allowlist.yaml'), '# reviewed again\n');
      const before = await everyone();
      const result = await cli(dir, ['apply', 'plan.json', '--auto-approve']);
      expect(result.status).toBe(1);
      expect(result.stderr).toMatch(
        /allowlist: allowlist\.yaml changed since the plan \(sha256 [0-9a-f]{12}… at plan time, now [0-9a-f]{12}…\): plan again/,
      );
      expect(await everyone()).toEqual(before);
    },
    TEST_TIMEOUT,
  );

  it(
    'GIVEN a plan 25 hours old WHEN apply FILE THEN refused; WHEN --max-plan-age 48h THEN carried out',
    async () => {
      const { dir, planFile } = await planned();
      const old = new Date(Date.now() - 25 * 3_600_000).toISOString();
      doctor(planFile, (saved) => {
        saved.createdAt = old;
      });
      const before = await everyone();
      const refused = await cli(dir, ['apply', 'plan.json', '--auto-approve']);
      expect(refused.status).toBe(1);
      expect(refused.stderr).toMatch(/age: the plan is 25h \d+m old, more than --max-plan-age 24h: plan again/);
      expect(await everyone()).toEqual(before);

      expectStatus(await cli(dir, ['apply', 'plan.json', '--auto-approve', '--max-plan-age', '48h']), 0, 'apply --max-plan-age 48h');
      for (const name of DELETED) expect({ name, userId: await sandbox.view.userId(name) }).toEqual({ name, userId: null });
    },
    TEST_TIMEOUT,
  );

  it(
    'GIVEN a saved plan with an action added by hand WHEN apply FILE THEN a usage error naming the file, nothing changed',
    async () => {
      const { dir, planFile } = await planned();
      doctor(planFile, (saved) => {
        (saved.actions as unknown[]).push({
          action: 'delete',
          userName: 'alice',
          userId: 'AIDAALICE',
          arn: 'arn:aws:iam::111122223333:user/alice',
        });
      });
      const before = await everyone();
      const result = await cli(dir, ['apply', 'plan.json', '--auto-approve']);
      expect(result.status).toBe(1);
      expect(result.stderr).toContain('Error: saved plan plan.json cannot be used: "actions" are not the plan\'s planned actions');
      expect(await everyone()).toEqual(before);
    },
    TEST_TIMEOUT,
  );
});

describe('flags a saved plan does not go with', () => {
  it('GIVEN --max-plan-age without a plan file WHEN apply THEN a usage error with the fix, exit 1, no call made', async () => {
    const dir = tempDir('saved-plan-flags');
    sandbox.ep.resetCounters();
    const result = await cli(dir, ['apply', '--max-plan-age', '1h', '--auto-approve']);
    expect(result.status).toBe(1);
    expect(result.stderr).toContain('Error: --max-plan-age applies to a saved plan only');
    expect(sandbox.ep.requestLog()).toEqual([]);
  });

  it('GIVEN -o with --now WHEN planned THEN a usage error, exit 1, no file written', async () => {
    const dir = tempDir('saved-plan-now');
    fs.writeFileSync(path.join(dir, 'allowlist.yaml'), sampleAllowlistText('hold'));
    const result = await cli(dir, ['plan', '-o', 'plan.json', '--now', '2026-12-01T00:00:00Z']);
    expect(result.status).toBe(1);
    expect(result.stderr).toContain('Error: -o and --now cannot be combined');
    expect(fs.existsSync(path.join(dir, 'plan.json'))).toBe(false);
  });
});
