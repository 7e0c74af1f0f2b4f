/**
 * Fault suite: the whole pipeline (inventory -> plan -> enforce) against the local endpoint through
 * the real SDK over HTTP, with faults injected by the endpoint. Each scenario prints one summary line.
 * The sandbox account and the sample allowlist are used, with guards.kms set to "hold" so that the
 * sandbox's KMS references hold single users instead of blocking the run.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { CreateUserCommand, DeleteAccessKeyCommand, DeleteUserCommand, ListAccessKeysCommand } from '@aws-sdk/client-iam';
import { loadAllowlistFile } from '../../src/allowlist/load';
import { AwsClients } from '../../src/aws/clients';
import { enforceActions, memoize } from '../../src/commands/enforcement';
import { startEndpoint } from '../../src/endpoint';
import type { LocalEndpoint } from '../../src/endpoint/api';
import { RefusedError } from '../../src/errors';
import { listBackups, readBackup } from '../../src/executor/backup';
import { executeAction, type ActionResult } from '../../src/executor/executor';
import { SimulatedCrashError } from '../../src/executor/run-steps';
import { DELETE_STEPS } from '../../src/executor/delete-steps';
import { takeSnapshot } from '../../src/inventory/inventory';
import type { Allowlist } from '../../src/model/allowlist';
import type { Plan, PlannedAction } from '../../src/model/plan';
import { plan, plannedActions } from '../../src/plan/plan';
import { recheckAction } from '../../src/plan/recheck';
import { FAST_SDK_RETRY } from '../aws/fast-retry';

const ACCOUNT = '111122223333';
const FAST_RETRY = { attempts: 6, baseDelayMs: 5, maxDelayMs: 50 };
const THROTTLING_CODES = new Set(['Throttling', 'ThrottlingException', 'TooManyRequestsException']);

let ep: LocalEndpoint;
let clients: AwsClients;
let allowlist: Allowlist;
let workDir: string;
const savedEnv = { ...process.env };

beforeAll(async () => {
  ep = await startEndpoint({ seed: 'sandbox' });
  Object.assign(process.env, ep.env());
  clients = new AwsClients({ retryTiming: FAST_SDK_RETRY });
  const sample = loadAllowlistFile(path.join(__dirname, '../../allowlist.yaml'), { now: new Date() }).allowlist;
  allowlist = { ...sample, guards: { ...sample.guards, kms: 'hold' } };
});

afterAll(async () => {
  clients?.destroy();
  await ep?.stop();
  process.env = savedEnv;
});

beforeEach(() => {
  ep.reset('sandbox');
  workDir = fs.mkdtempSync(path.join(os.tmpdir(), 'faults-'));
});

afterEach(() => {
  ep.faults.clear();
  fs.rmSync(workDir, { recursive: true, force: true });
});

async function freshPlan(): Promise<Plan> {
  const now = new Date();
  return plan(await takeSnapshot(clients, { regions: allowlist.guards.regions, now }), allowlist, now);
}

function apply(actions: readonly PlannedAction[]): ReturnType<typeof enforceActions> {
  return enforceActions(actions, {
    clients,
    accountId: ACCOUNT,
    backupDir: path.join(workDir, 'backups'),
    auditLog: path.join(workDir, 'audit.log'),
    freshPlan: memoize(freshPlan),
  });
}

/** The parts of a plan that must not depend on faults: who, which UserId, what decision, which guards. */
function decisions(p: Plan): string[] {
  return p.users.map((u) => `${u.name} ${u.userId} ${u.decision} [${u.guards.map((g) => g.kind).join(',')}]`);
}

/** The account's IAM users and what they still have, read from the endpoint's state (not through the tool). */
function endState(): string[] {
  return ep.state.iam.sortedUsers().map((u) =>
    JSON.stringify({
      name: u.name,
      userId: u.userId,
      password: u.loginProfile !== undefined,
      keys: u.accessKeys.map((k) => `${k.accessKeyId}:${k.status}`),
      inline: [...u.inlinePolicies.keys()].sort(),
      attached: [...u.attachedPolicyArns].sort(),
      groups: [...u.groups].sort(),
      // Quarantine tags carry the time; their keys are what must match.
      tagKeys: u.tags.map((t) => t.Key).sort(),
      certs: u.signingCertificates.length,
      ssh: u.sshPublicKeys.length,
      ssc: u.serviceCredentials.length,
    }),
  );
}

function totalCalls(): number {
  return Object.values(ep.counters()).reduce((a, b) => a + b, 0);
}

function throttledCalls(): number {
  return ep.requestLog().filter((e) => e.errorCode !== undefined && THROTTLING_CODES.has(e.errorCode)).length;
}

function userExists(name: string): boolean {
  return ep.state.iam.users.has(name.toLowerCase());
}

/** The key id an alias points to in a region of the sandbox. */
function keyIdOf(region: string, alias: string): string {
  const target = ep.state.kms.regionState(region).aliases.get(alias)?.targetKeyId;
  if (!target) throw new Error(`no ${alias} in ${region}`);
  return target;
}

function deletedCount(results: readonly ActionResult[]): number {
  return results.filter((r) => r.outcome === 'deleted').length;
}

test('GIVEN a throttling storm (30% of calls) WHEN planning and applying THEN the plan and the end state equal a clean run', async () => {
  // Clean run.
  let started = Date.now();
  const cleanPlan = await freshPlan();
  const cleanActions = plannedActions(cleanPlan);
  const clean = await apply(cleanActions);
  const cleanEnd = endState();
  const cleanCalls = totalCalls();
  const cleanMs = Date.now() - started;
  expect(clean.failures).toEqual([]);
  expect(deletedCount(clean.results)).toBe(3);

  // Same account, every call has a 30% chance of being throttled.
  ep.reset('sandbox');
  fs.rmSync(workDir, { recursive: true, force: true });
  fs.mkdirSync(workDir);
  ep.faults.setThrottleFraction(0.3, 42);
  started = Date.now();
  const stormPlan = await freshPlan();
  const stormActions = plannedActions(stormPlan);
  const storm = await apply(stormActions);
  const calls = totalCalls();
  const throttled = throttledCalls();
  const stormMs = Date.now() - started;

  expect(stormPlan.runGuards).toEqual([]);
  expect(decisions(stormPlan)).toEqual(decisions(cleanPlan));
  expect(stormActions).toEqual(cleanActions);
  expect(storm.failures.map((f) => f.error.message)).toEqual([]);
  expect(deletedCount(storm.results)).toBe(deletedCount(clean.results));
  expect(endState()).toEqual(cleanEnd);
  expect(throttled).toBeGreaterThan(0);
  console.log(
    `fault: throttling-storm 30% -> same plan, ${deletedCount(storm.results)} deleted, ${calls} calls (${throttled} throttled) in ${(stormMs / 1000).toFixed(1)} s; clean run ${cleanCalls} calls in ${(cleanMs / 1000).toFixed(1)} s`,
  );
}, 240_000);

test('GIVEN a crash after each step of the delete table WHEN the action runs again THEN it converges, with a backup present', async () => {
  const converged: string[] = [];
  for (const step of DELETE_STEPS) {
    ep.reset('sandbox');
    const backupDir = path.join(workDir, step.id, 'backups');
    const auditLog = path.join(workDir, step.id, 'audit.log');
    const p = await freshPlan();
    const action = plannedActions(p).find((a) => a.userName === 'old-admin');
    expect(action).toMatchObject({ action: 'delete' });
    const ctx = {
      clients,
      accountId: ACCOUNT,
      backupDir,
      auditLog,
      retry: FAST_RETRY,
      recheck: async (a: PlannedAction) => recheckAction(a, await freshPlan()),
    };

    await expect(executeAction(action!, { ...ctx, crashAfterStep: step.id })).rejects.toBeInstanceOf(SimulatedCrashError);
    const again = await executeAction(action!, ctx);

    expect(userExists('old-admin')).toBe(false);
    expect(['deleted', 'already-done']).toContain(again.outcome);
    const backups = listBackups(backupDir, ACCOUNT, 'old-admin', action!.userId);
    expect(backups.length).toBeGreaterThanOrEqual(1);
    const backup = readBackup(backups[0]);
    expect(backup.user.userId).toBe(action!.userId);
    // The backup was taken before anything was removed: it holds every dependent kind.
    expect(backup.user.accessKeys).toHaveLength(2);
    expect(backup.user.loginProfile.present).toBe(true);
    expect(backup.user.groups).toEqual(['admins']);
    // The old-admin's virtual MFA device is gone too, nobody else was touched.
    expect([...ep.state.iam.mfaDevices.values()].some((d) => d.serialNumber.endsWith('/old-admin'))).toBe(false);
    expect(userExists('alice') && userExists('bob') && userExists('legacy-etl')).toBe(true);
    converged.push(`${step.id}:${again.outcome}`);
  }
  expect(converged).toHaveLength(DELETE_STEPS.length);
  console.log(
    `fault: crash-after-step x${DELETE_STEPS.length} -> every re-run converged (${converged.join(', ')}), backup present each time`,
  );
}, 240_000);

test('GIVEN a user deleted and recreated between plan and apply WHEN applying THEN that action is refused and the new user is untouched', async () => {
  const p = await freshPlan();
  const actions = plannedActions(p);
  const planned = actions.find((a) => a.userName === 'temp-deploy-user');
  expect(planned).toBeDefined();

  // Someone recreates the user under the same name: same name, new UserId.
  const keys = await clients.iam.send(new ListAccessKeysCommand({ UserName: 'temp-deploy-user' }));
  for (const key of keys.AccessKeyMetadata ?? []) {
    await clients.iam.send(new DeleteAccessKeyCommand({ UserName: 'temp-deploy-user', AccessKeyId: key.AccessKeyId }));
  }
  await clients.iam.send(new DeleteUserCommand({ UserName: 'temp-deploy-user' }));
  const recreated = await clients.iam.send(new CreateUserCommand({ UserName: 'temp-deploy-user' }));
  const newUserId = recreated.User!.UserId!;
  expect(newUserId).not.toBe(planned!.userId);

  const outcome = await apply(actions);
  const refused = outcome.failures.find((f) => f.action.userName === 'temp-deploy-user');
  expect(refused?.error).toBeInstanceOf(RefusedError);
  expect(refused?.error.message).toMatch(/recreated/);
  expect(ep.state.iam.users.get('temp-deploy-user')?.userId).toBe(newUserId);
  // The other planned actions still went through.
  expect(userExists('old-admin')).toBe(false);
  expect(userExists('legacy-etl')).toBe(false);
  console.log(
    `fault: recreated-user -> refused (${refused?.error.message.split('.')[0]}), ${deletedCount(outcome.results)} other deletion(s) done`,
  );
}, 120_000);

describe.each([
  { name: 'unreadable-key', inject: () => ep.faults.denyKey(keyIdOf('us-east-1', 'alias/reports')), what: 'key alias/reports denied' },
  { name: 'failed-region', inject: () => ep.faults.denyRegion('eu-west-1'), what: 'region eu-west-1 denied' },
])('$name', ({ name, inject, what }) => {
  test(`GIVEN ${what} WHEN planning THEN every deletion is held; WHEN applying an earlier plan THEN every action is refused`, async () => {
    const cleanActions = plannedActions(await freshPlan());
    expect(cleanActions.length).toBeGreaterThan(0);
    const before = endState();

    inject();
    const faulty = await freshPlan();
    expect(faulty.runGuards.map((g) => g.kind)).toContain('scan-incomplete');
    expect(plannedActions(faulty)).toEqual([]);
    expect(faulty.summary.delete + faulty.summary.quarantine).toBe(0);

    // An action planned before the fault is re-checked against a fresh (faulty) scan and refused.
    const outcome = await apply(cleanActions);
    expect(outcome.results).toEqual([]);
    expect(outcome.failures).toHaveLength(cleanActions.length);
    for (const failure of outcome.failures) expect(failure.error).toBeInstanceOf(RefusedError);
    expect(endState()).toEqual(before);
    console.log(
      `fault: ${name} -> plan holds all (${faulty.summary.hold} held, 0 planned), apply refused ${outcome.failures.length}/${cleanActions.length}, nothing changed`,
    );
  }, 120_000);
});

test('GIVEN a read-only caller WHEN planning THEN no mutating call is made and the plan equals a normal one', async () => {
  const normal = await freshPlan();
  ep.resetCounters();
  ep.faults.setReadOnly(true);
  const readOnly = await freshPlan();
  const log = ep.requestLog();
  const mutating = log.filter((e) => e.mutating);

  expect(log.length).toBeGreaterThan(0);
  expect(mutating.map((e) => `${e.service}:${e.operation}`)).toEqual([]);
  expect(log.filter((e) => e.status >= 400).map((e) => `${e.operation} ${e.errorCode}`)).toEqual([]);
  expect(decisions(readOnly)).toEqual(decisions(normal));
  console.log(`fault: read-only-caller -> plan made ${log.length} calls, 0 mutating, same ${readOnly.summary.delete} deletion(s) planned`);
}, 120_000);
