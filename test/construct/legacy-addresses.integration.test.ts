/**
 * Upgrading from the version whose every action lived at `terraform_data.user_<name>`: the stack's `moved`
 * blocks carry those states to `delete_user_<name>` / `quarantine_user_<name>`, checked with the real
 * terraform binary. fixtures/legacy-user-addresses.tf.json is that version's synthesis (commit ccc5696,
 * test/construct/builders.ts plan: delete temp-deploy-user and a.b, quarantine former-contractor, keep alice),
 * its CLI the workspace's recorder (`node recorder.js`).
 */
import * as fs from 'fs';
import * as path from 'path';
import { legacyResourceName, resourceNameForAction } from '../../src/construct/names';
import { planOf, quarantineDone, toDelete, userPlan } from './builders';
import { removeTempDirs } from './synth';
import { Workspace } from './terraform-workspace';

afterAll(removeTempDirs);
jest.setTimeout(120_000);

const LEGACY_STACK = fs.readFileSync(path.join(__dirname, 'fixtures', 'legacy-user-addresses.tf.json'), 'utf8');
const ENFORCED = [
  ['delete', 'a.b'],
  ['quarantine', 'former-contractor'],
  ['delete', 'temp-deploy-user'],
] as const;

/** A workspace whose state is what the previous version's `terraform apply` left: every action at user_<name>. */
function appliedWithLegacyAddresses(): Workspace {
  const ws = new Workspace();
  ws.writeConfiguration(LEGACY_STACK);
  ws.init();
  const apply = ws.apply();
  if (apply.status !== 0) throw new Error(`legacy apply failed:\n${apply.stdout}\n${apply.stderr}`);
  return ws;
}

function movedLines(stdout: string): string[] {
  return stdout
    .split('\n')
    .filter((line) => line.includes(' has moved to '))
    .map((line) => line.trim())
    .sort();
}

describe('state from the user_<name> addresses', () => {
  it('GIVEN a state applied at the legacy addresses WHEN the new stack is planned and applied THEN only moves: nothing else runs', () => {
    const ws = appliedWithLegacyAddresses();
    expect(ws.stateAddresses()).toEqual(ENFORCED.map(([, user]) => `terraform_data.${legacyResourceName(user)}`).sort());
    const enforceCalls = ws.calls().length;
    expect(enforceCalls).toBe(3);

    // WHEN the account is as enforcing left it: two users gone (read back from the state, as main.ts does), one quarantined.
    const after = planOf([quarantineDone('former-contractor'), userPlan('alice', { declared: true })]);
    ws.write(after, ws.completedFor(after));
    const plan = ws.plan();

    expect(plan.stderr).toBe('');
    // Moves change the state: -detailed-exitcode says 2 until they are applied.
    expect(plan.status).toBe(2);
    const moves = ENFORCED.map(
      ([action, user]) => `# terraform_data.${legacyResourceName(user)} has moved to terraform_data.${resourceNameForAction(action, user)}`,
    );
    expect(movedLines(plan.stdout)).toEqual(moves.sort());
    expect(plan.stdout).toContain('Plan: 0 to add, 0 to change, 0 to destroy.');
    expect(plan.stdout).not.toMatch(/will be created|will be destroyed|must be replaced|will be updated/);

    const apply = ws.apply();
    expect(apply.status).toBe(0);
    expect(ws.calls()).toHaveLength(enforceCalls);
    expect(ws.stateAddresses()).toEqual(ENFORCED.map(([action, user]) => `terraform_data.${resourceNameForAction(action, user)}`).sort());

    const next = ws.plan();
    expect({ status: next.status, noChanges: next.stdout.includes('No changes.') }).toEqual({ status: 0, noChanges: true });
  });

  it('GIVEN a legacy quarantine WHEN the new plan deletes that user instead THEN it is moved and replaced, so enforce deletes', () => {
    const ws = appliedWithLegacyAddresses();
    const before = ws.calls().length;

    const now = planOf([toDelete('former-contractor'), userPlan('alice', { declared: true })]);
    ws.write(now, ws.completedFor(now));
    const plan = ws.plan();

    expect(plan.status).toBe(2);
    expect(plan.stdout).toContain('terraform_data.delete_user_former-contractor must be replaced');
    expect(plan.stdout).toContain('(moved from terraform_data.user_former-contractor)');
    expect(plan.stdout).toContain('Plan: 1 to add, 0 to change, 1 to destroy.');

    expect(ws.apply().status).toBe(0);
    const calls = ws.calls().slice(before);
    expect(calls.map((c) => c.argv.slice(c.argv.indexOf('--action'), c.argv.indexOf('--action') + 4))).toEqual([
      ['--action', 'delete', '--user', 'former-contractor'],
    ]);
  });
});
