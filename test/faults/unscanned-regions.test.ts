/**
 * Fault suite, unscanned regions: guards.regions lists only us-east-1 while the sandbox account has
 * eu-west-1 (where the data-pipeline key names the undeclared user data-pipeline) and ap-southeast-2
 * enabled too. The whole pipeline (inventory -> plan -> enforce) runs against the local endpoint through
 * the real SDK over HTTP. Each scenario prints one summary line.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { loadAllowlistFile } from '../../src/allowlist/load';
import { enforceActions, memoize } from '../../src/commands/enforcement';
import { RefusedError } from '../../src/errors';
import { takeSnapshot } from '../../src/inventory/inventory';
import type { Allowlist, GuardSettings } from '../../src/model/allowlist';
import type { Plan, PlannedAction } from '../../src/model/plan';
import { plan, plannedActions } from '../../src/plan/plan';
import { useSandboxEndpoint } from '../inventory/helpers';

const ACCOUNT = '111122223333';
const sandbox = useSandboxEndpoint();
let sample: Allowlist;
let workDir: string;

beforeAll(() => {
  sample = loadAllowlistFile(path.join(__dirname, '../../allowlist.yaml'), { now: new Date() }).allowlist;
});

beforeEach(() => {
  sandbox.ep.reset('sandbox');
  workDir = fs.mkdtempSync(path.join(os.tmpdir(), 'faults-regions-'));
});

afterEach(() => fs.rmSync(workDir, { recursive: true, force: true }));

/** The sample allowlist with guards.kms: hold (so KMS references hold single users) and the given guards. */
function allowlistWith(guards: Partial<GuardSettings>): Allowlist {
  return { ...sample, guards: { ...sample.guards, kms: 'hold', ...guards } };
}

async function freshPlan(allowlist: Allowlist): Promise<Plan> {
  const now = new Date();
  return plan(await takeSnapshot(sandbox.clients, { regions: allowlist.guards.regions, now }), allowlist, now);
}

function apply(actions: readonly PlannedAction[], allowlist: Allowlist): ReturnType<typeof enforceActions> {
  return enforceActions(actions, {
    clients: sandbox.clients,
    accountId: ACCOUNT,
    backupDir: path.join(workDir, 'backups'),
    auditLog: path.join(workDir, 'audit.log'),
    freshPlan: memoize(() => freshPlan(allowlist)),
  });
}

const userCount = (): number => sandbox.ep.state.iam.users.size;
const decisionOf = (p: Plan, name: string): string | undefined => p.users.find((user) => user.name === name)?.decision;
const US_EAST_1 = { regions: ['us-east-1'] };

test('GIVEN regions [us-east-1] and two more enabled regions WHEN planning THEN the plan names them and holds all; an earlier plan is refused', async () => {
  const all = await freshPlan(allowlistWith({}));
  expect(decisionOf(all, 'data-pipeline')).toBe('hold');
  const cleanActions = plannedActions(all);
  expect(cleanActions.length).toBeGreaterThan(0);

  const listed = allowlistWith(US_EAST_1);
  const gap = await freshPlan(listed);
  const finding = gap.runGuards.find((guard) => guard.kind === 'scan-incomplete');
  expect(finding?.message).toContain('enabled regions ap-southeast-2, eu-west-1 are not scanned (guards.regions lists us-east-1)');
  expect(plannedActions(gap)).toEqual([]);
  expect(decisionOf(gap, 'data-pipeline')).toBe('hold');

  // Actions planned with every region scanned, applied under the narrowed allowlist: the fresh re-check holds them.
  const before = userCount();
  const outcome = await apply(cleanActions, listed);
  expect(outcome.results).toEqual([]);
  expect(outcome.failures).toHaveLength(cleanActions.length);
  for (const failure of outcome.failures) expect(failure.error).toBeInstanceOf(RefusedError);
  expect(userCount()).toBe(before);
  console.log(
    `fault: unscanned-regions [us-east-1] -> plan names ap-southeast-2, eu-west-1, holds all (${gap.summary.hold} held, 0 planned), ` +
      `apply refused ${outcome.failures.length}/${cleanActions.length}, nothing changed`,
  );
}, 120_000);

test('GIVEN ListRegions denied with a region list WHEN planning THEN the plan says the regions could not be listed and holds all', async () => {
  sandbox.ep.faults.failAlways('account:ListRegions', 'AccessDeniedException');
  const denied = await freshPlan(allowlistWith(US_EAST_1));
  const messages = denied.runGuards.map((guard) => guard.message);
  expect(
    messages.some((message) =>
      message.includes('the enabled regions could not be listed (account ListRegions failed with AccessDeniedException'),
    ),
  ).toBe(true);
  expect(plannedActions(denied)).toEqual([]);
  console.log(
    `fault: unscanned-regions ListRegions denied -> "enabled regions could not be listed", holds all (${denied.summary.hold} held, 0 planned)`,
  );
}, 120_000);

test('GIVEN regions [us-east-1] and unscannedRegions: allow WHEN planning THEN removals proceed and a notice names the accepted gap', async () => {
  const accepted = await freshPlan(allowlistWith({ ...US_EAST_1, unscannedRegions: 'allow' }));
  expect(accepted.runGuards.filter((guard) => guard.kind === 'scan-incomplete')).toEqual([]);
  expect(accepted.notices.find((notice) => notice.startsWith('accepted by guards.unscannedRegions: allow'))).toContain(
    'ap-southeast-2, eu-west-1',
  );
  // The accepted gap in numbers: the user named only by the eu-west-1 key is no longer held.
  expect(decisionOf(accepted, 'data-pipeline')).toBe('delete');
  console.log(
    `fault: unscanned-regions allow -> notice names ap-southeast-2, eu-west-1, ${plannedActions(accepted).length} planned ` +
      `(data-pipeline, named only by an eu-west-1 key, ${decisionOf(accepted, 'data-pipeline')})`,
  );
}, 120_000);
