/**
 * enforceActions acts on several users at once (one shared IAM client), against the local endpoint
 * through the real SDK over HTTP, run the way `apply --auto-approve` runs it (applyInProcess: one
 * bounded-age scan source, the allowlist file read again before each user): the calls of different
 * users interleave, a latency-bound run is faster, results come in plan order, the per-user audit and
 * backup hold, a stop lets no new user start, and the backups read only what the re-check scan lacks.
 */
import * as fs from 'fs';
import * as path from 'path';
import { AllowlistRecheckError, DEFAULT_ENFORCE_CONCURRENCY } from '../../src/commands/enforcement';
import type { RefusedError } from '../../src/errors';
import { readAuditJournal, readAuditLog } from '../../src/executor/audit';
import { listBackups, readBackup } from '../../src/executor/backup';
import { requestStop, resetStopRequest } from '../../src/executor/interruption';
import type { StepEvent } from '../../src/executor/run-steps';
import { counterDiff, useExecutorEndpoint } from '../executor/helpers';
import { allowlistYaml, applyInProcess, seedDoomedUsers } from '../executor/promises-fixture';

const fixture = useExecutorEndpoint('enforce-concurrency-');
afterEach(() => {
  resetStopRequest();
  fixture.ep.faults.clear();
});

const names = (n: number) => Array.from({ length: n }, (_, i) => `leaver-${String(i + 1).padStart(2, '0')}`);

/** `n` doomed users and an allowlist declaring none of them; `apply` runs them with the given concurrency. */
function doomedRun(n: number, clock: () => number = () => Date.now(), beforeApply?: () => void, onScanStart?: () => void) {
  const users = names(n);
  seedDoomedUsers(fixture.ep, users);
  const allowlistFile = path.join(fixture.workDir, 'allowlist.yaml');
  fs.writeFileSync(allowlistFile, allowlistYaml([]));
  const apply = (concurrency: number | undefined, onStep?: (e: StepEvent) => void) =>
    applyInProcess({
      clients: fixture.clients,
      allowlistFile,
      workDir: fixture.workDir,
      clock,
      onStep,
      concurrency,
      beforeApply,
      onScanStart,
    });
  return { users, allowlistFile, apply };
}

/** Per-user list calls the endpoint answered before its first DeleteUser: 1 when users run one after another. */
function userListingsBeforeFirstDeleteUser(fromSeq: number): number {
  const log = fixture.ep.requestLog().filter((e) => e.seq > fromSeq);
  const firstDelete = log.findIndex((e) => e.operation === 'DeleteUser');
  return log.slice(0, firstDelete).filter((e) => e.operation === 'ListAccessKeys').length;
}

function lastSeq(): number {
  const log = fixture.ep.requestLog();
  return log.length > 0 ? log[log.length - 1]!.seq : 0;
}

/** Every intent of the audit log has its outcome: each call that was sent was recorded. */
function expectEveryIntentAnswered(): void {
  const journal = readAuditJournal(path.join(fixture.workDir, 'audit.log'));
  const outcomes = new Set(journal.filter((l) => l.phase === 'outcome').map((l) => (l as { callId: string }).callId));
  const intents = journal.filter((l) => l.phase === 'intent').map((l) => (l as { callId: string }).callId);
  expect(intents.filter((id) => !outcomes.has(id))).toEqual([]);
}

test(`GIVEN 6 doomed users WHEN applied with the default concurrency (${DEFAULT_ENFORCE_CONCURRENCY}) THEN the endpoint sees their calls interleaved, results come in plan order, each has its backup and audit lines`, async () => {
  const { users, apply } = doomedRun(6);
  const from = lastSeq();
  // The first user answers slowest: in a concurrent run it finishes last, yet is reported first.
  fixture.ep.faults.setLatency('iam:DeleteAccessKey', 200);

  const { outcome } = await apply(undefined);

  expect(userListingsBeforeFirstDeleteUser(from)).toBeGreaterThan(1);
  expect(outcome.results.map((r) => [r.userName, r.outcome])).toEqual(users.map((u) => [u, 'deleted']));
  expect(outcome.failures).toEqual([]);
  for (const user of users) expect(fixture.ep.state.iam.users.has(user)).toBe(false);
  const audit = readAuditLog(path.join(fixture.workDir, 'audit.log'));
  for (const r of outcome.results) {
    expect(listBackups(path.join(fixture.workDir, 'backups'), fixture.ep.accountId, r.userName, r.userId)).toHaveLength(1);
    expect(audit.filter((a) => a.user === r.userName).map((a) => [a.operation, a.outcome])).toEqual([
      ['DeleteAccessKey', 'ok'],
      ['DeleteUser', 'ok'],
    ]);
  }
  expectEveryIntentAnswered();
});

test('GIVEN concurrency 1 WHEN the same users are applied THEN one user is listed before the first DeleteUser (the interleaving check can fail)', async () => {
  const { apply } = doomedRun(3);
  const from = lastSeq();

  const { outcome } = await apply(1);

  expect(outcome.results).toHaveLength(3);
  expect(userListingsBeforeFirstDeleteUser(from)).toBe(1);
});

test('GIVEN 50 ms latency on every IAM call WHEN 8 users are applied concurrently and one at a time THEN the concurrent run is faster', async () => {
  const timed = async (concurrency: number): Promise<number> => {
    fixture.ep.reset('empty');
    fixture.ep.faults.setLatency('*', 50);
    const { apply } = doomedRun(8);
    const started = Date.now();
    const { outcome } = await apply(concurrency);
    expect(outcome.results).toHaveLength(8);
    return Date.now() - started;
  };

  const sequentialMs = await timed(1);
  const concurrentMs = await timed(DEFAULT_ENFORCE_CONCURRENCY);

  console.log(`8 deletions at 50 ms per call: one at a time ${sequentialMs} ms, ${DEFAULT_ENFORCE_CONCURRENCY} at once ${concurrentMs} ms`);
  expect(concurrentMs).toBeLessThan(sequentialMs * 0.6);
});

test('GIVEN a concurrent apply WHEN SIGINT arrives while the first DeleteAccessKey is in flight THEN no further user starts, the calls in flight are recorded, the rest is left untouched', async () => {
  const { users, apply } = doomedRun(DEFAULT_ENFORCE_CONCURRENCY + 3);
  fixture.ep.faults.setLatency('iam:DeleteAccessKey', 300);
  let signalled = false;

  const { outcome } = await apply(undefined, (e) => {
    if (!signalled && e.phase === 'start' && e.stepId === 'delete-access-keys') {
      signalled = true;
      setTimeout(() => requestStop('SIGINT'), 100);
    }
  });

  expect(outcome.stop?.signal).toBe('SIGINT');
  const notStarted = users.slice(DEFAULT_ENFORCE_CONCURRENCY);
  expect(outcome.left.map((a) => a.userName)).toEqual(expect.arrayContaining(notStarted));
  for (const name of notStarted) expect(fixture.ep.state.iam.users.get(name)?.accessKeys).toHaveLength(1);
  // Nobody got further than the call in flight: no DeleteUser was sent
  expect(fixture.ep.requestLog().filter((e) => e.operation === 'DeleteUser')).toEqual([]);
  expect(outcome.results.length + outcome.failures.length + outcome.left.length).toBe(users.length);
  expectEveryIntentAnswered();
});

test('GIVEN a concurrent apply WHEN the allowlist becomes invalid after the first deletion THEN the run stops: no user starts after it, the others stop before their next step', async () => {
  const { users, allowlistFile, apply } = doomedRun(DEFAULT_ENFORCE_CONCURRENCY + 3);
  fixture.ep.faults.setLatency('iam:DeleteUser', 200);
  let edited = false;

  const { outcome } = await apply(undefined, (e) => {
    if (!edited && e.phase === 'done' && e.stepId === 'delete-user') {
      edited = true;
      fs.writeFileSync(allowlistFile, 'version: 1\nusers: [\n');
    }
  });

  expect(outcome.stop?.error).toBeInstanceOf(AllowlistRecheckError);
  // The next user to start read the broken file: refused before any change; none started after it
  const [discoverer, ...after] = users.slice(DEFAULT_ENFORCE_CONCURRENCY);
  expect(outcome.failures.find((f) => f.action.userName === discoverer)?.error).toBeInstanceOf(AllowlistRecheckError);
  expect(outcome.left.map((a) => a.userName)).toEqual(expect.arrayContaining(after));
  for (const name of [discoverer!, ...after]) expect(fixture.ep.state.iam.users.get(name)?.accessKeys).toHaveLength(1);
  // No step of any user started after the edit: those in flight were at their last step, DeleteUser / verify
  for (const f of outcome.failures) expect(f.error.message).toMatch(/the run stopped|cannot be used/);
  expectEveryIntentAnswered();
});

test('GIVEN a run through the re-check scan WHEN users are deleted THEN no user is read per user for what the scan holds', async () => {
  const { apply } = doomedRun(5);
  const before = fixture.ep.counters();

  const { outcome } = await apply(undefined);

  expect(outcome.results).toHaveLength(5);
  const used = counterDiff(fixture.ep.counters(), before);
  const perUserBulkReadable = [
    'iam:ListUserTags',
    'iam:ListGroupsForUser',
    'iam:ListUserPolicies',
    'iam:ListAttachedUserPolicies',
    'iam:GetLoginProfile',
    'iam:ListMFADevices',
  ];
  expect(perUserBulkReadable.filter((op) => used[op] !== undefined)).toEqual([]);
  // GetUser: only the UserId check, per user (DeleteUser's answer is the confirmation)
  expect(used['iam:GetUser']).toBe(5);
});

test('GIVEN the plan scan is too old when the apply starts WHEN users are deleted THEN the re-check scan starts first, their own lists are read while it runs, and nothing is changed before it has answered', async () => {
  let offsetMs = 0;
  const scanStarts: number[] = [];
  const { users, apply } = doomedRun(
    4,
    () => Date.now() + offsetMs,
    () => (offsetMs = 120_000),
    () => scanStarts.push(lastSeq()),
  );
  const from = lastSeq();
  // A slow KMS scan: the endpoint records a call when it answers, so the re-check scan's ListKeys comes late.
  fixture.ep.faults.setLatency('kms:ListKeys', 600);

  const { outcome, scan } = await apply(undefined);

  expect(outcome.results.map((r) => r.outcome)).toEqual(users.map(() => 'deleted'));
  // THEN two scans: the plan's, and the re-check's (the plan's was aged past the bound)
  expect(scan.scansTaken).toBe(2);
  const recheckStart = scanStarts[1]!;
  const log = fixture.ep.requestLog().filter((e) => e.seq > from);
  const lastKmsOfRecheck = Math.max(...log.filter((e) => e.service === 'kms').map((e) => e.seq));
  const listings = log.filter((e) => e.operation === 'ListAccessKeys');
  // THEN the re-check scan was started before any user listed its credentials (not after, as the re-check would)
  expect(listings.filter((e) => e.seq <= recheckStart)).toEqual([]);
  // THEN every user of the first batch (4 at once) listed its credentials before the scan answered
  expect(listings.filter((e) => e.seq < lastKmsOfRecheck)).toHaveLength(DEFAULT_ENFORCE_CONCURRENCY);
  // THEN no change was sent before the re-check scan had answered
  expect(log.filter((e) => e.mutating && e.seq < lastKmsOfRecheck)).toEqual([]);
});

/**
 * DEFAULT_ENFORCE_CONCURRENCY doomed users whose plan scan is too old, so apply takes a re-check scan that takes
 * about a second (ListKeys answers late); `duringScan` runs 0.5 s into it, after the users' first GetUser and lists.
 * Returns the users and `apply` with `duringScan` reporting whether it ran.
 */
function doomedRunChangedDuringRecheckScan(duringScan: (users: readonly string[]) => void) {
  let offsetMs = 0;
  let ran = false;
  const run = doomedRun(
    DEFAULT_ENFORCE_CONCURRENCY,
    () => Date.now() + offsetMs,
    () => (offsetMs = 120_000),
    () => {
      if (offsetMs === 0) return;
      setTimeout(() => {
        duringScan(run.users);
        ran = true;
      }, 500);
    },
  );
  fixture.ep.faults.setLatency('kms:ListKeys', 1_000);
  return { users: run.users, apply: run.apply, ran: () => ran };
}

test('GIVEN users whose own reads overlap a slow re-check scan WHEN one is recreated under its name before the scan answers THEN GetUser is read again after the re-check, the recreated user is refused untouched, and the others are deleted', async () => {
  let recreatedId = '';
  const { users, apply, ran } = doomedRunChangedDuringRecheckScan((names) => {
    fixture.ep.state.iam.users.delete(names[1]!);
    recreatedId = fixture.ep.state.iam.createUser({ name: names[1]!, createDate: new Date() }).userId;
  });
  const before = fixture.ep.counters();

  const { outcome } = await apply(undefined);

  expect(ran()).toBe(true);
  const refused = outcome.failures.find((f) => f.action.userName === users[1]);
  expect((refused?.error as RefusedError | undefined)?.reasons).toEqual(['recreated']);
  expect(fixture.ep.state.iam.users.get(users[1]!)?.userId).toBe(recreatedId);
  expect(outcome.results.map((r) => r.userName).sort()).toEqual(users.filter((u) => u !== users[1]).sort());
  // THEN each user read GetUser and its access keys twice: before the scan had answered, and after the re-check
  const used = counterDiff(fixture.ep.counters(), before);
  expect(used['iam:GetUser']).toBe(2 * users.length);
  expect(used['iam:ListAccessKeys']).toBe(2 * users.length);
  expectEveryIntentAnswered();
});

test('GIVEN users whose own reads overlap a slow re-check scan WHEN one is tagged before the scan answers THEN its backup keeps the tag (GetUser read again after the check)', async () => {
  const { users, apply, ran } = doomedRunChangedDuringRecheckScan((names) =>
    fixture.ep.state.iam.tagUser(names[2]!, [{ Key: 'cost-center', Value: 'added-during-the-scan' }]),
  );

  const { outcome } = await apply(undefined);

  expect(ran()).toBe(true);
  const result = outcome.results.find((r) => r.userName === users[2]);
  expect(result?.outcome).toBe('deleted');
  const [backup] = listBackups(path.join(fixture.workDir, 'backups'), fixture.ep.accountId, users[2]!, result!.userId);
  expect(readBackup(backup!).user.tags).toEqual([{ key: 'cost-center', value: 'added-during-the-scan' }]);
});
