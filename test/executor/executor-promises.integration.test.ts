/**
 * The executor's promises against the local endpoint, through the real SDK over HTTP: write-ahead
 * audit (an unwritable log means no mutating call; a crash's pending intent is reconciled), the
 * re-check at the moment of change (allowlist read again, scan of bounded age), quarantine's live
 * key-use check, a clean stop on a signal, and errors that say what was and was not changed.
 */
import * as fs from 'fs';
import * as path from 'path';
import { CreateAccessKeyCommand, CreateUserCommand } from '@aws-sdk/client-iam';
import { AllowlistRecheckError, enforceActions } from '../../src/commands/enforcement';
import { RefusedError } from '../../src/errors';
import { AuditLog, AuditLogError, readAuditJournal, readAuditLog } from '../../src/executor/audit';
import { executeAction } from '../../src/executor/executor';
import { requestStop, resetStopRequest } from '../../src/executor/interruption';
import type { StepEvent } from '../../src/executor/run-steps';
import { counterDiff, mutations, plannedAction, seedFullUser, useExecutorEndpoint } from './helpers';
import { addKeyPolicyNaming, allowlistYaml, applyInProcess, seedDoomedUsers } from './promises-fixture';
import { UNWRITABLE_PATHS } from './unwritable-paths';

const fixture = useExecutorEndpoint('promises-');
afterEach(() => {
  resetStopRequest();
  fixture.ep.faults.clear();
});

const names = (prefix: string, n: number) => Array.from({ length: n }, (_, i) => `${prefix}-${String(i + 1).padStart(2, '0')}`);

describe('write-ahead audit', () => {
  test.each(UNWRITABLE_PATHS.map((p) => [p.how, p] as const))(
    'GIVEN an audit log with %s WHEN a run of three deletions starts THEN AuditLogError names the path and OS error, and no mutating call is sent',
    async (_how, { make, words }) => {
      seedDoomedUsers(fixture.ep, ['gone-1', 'gone-2', 'gone-3']);
      const actions = await Promise.all(['gone-1', 'gone-2', 'gone-3'].map((n) => plannedAction(fixture.iam, n, 'delete')));
      const auditLog = make(fixture.workDir);
      const before = fixture.ep.counters();

      const err = await enforceActions(actions, {
        clients: fixture.clients,
        accountId: fixture.ep.accountId,
        backupDir: path.join(fixture.workDir, 'backups'),
        auditLog,
        freshPlan: async () => ({ users: [], runGuards: [] }) as never,
      }).catch((e: unknown) => e);

      expect(err).toBeInstanceOf(AuditLogError);
      expect((err as Error).message).toContain(`cannot write the audit log ${auditLog}: ${words}`);
      expect(mutations(counterDiff(fixture.ep.counters(), before))).toEqual({});
      expect(fixture.ep.state.iam.users.size).toBe(3);
    },
  );

  test('GIVEN an earlier run that stopped after sending DeleteAccessKey (intent, no outcome) WHEN the next run deletes the user THEN it reads the live state first and records the reconciliation', async () => {
    const seeded = await seedFullUser(fixture.iam, 'half-done');
    const file = path.join(fixture.workDir, 'audit.log');
    const crashed = new AuditLog({ path: file, runId: 'crashed-run' });
    crashed.intent(
      {
        account: fixture.ep.accountId,
        user: 'half-done',
        userId: seeded.userId,
        step: 'delete-access-keys',
        operation: 'DeleteAccessKey',
        target: seeded.accessKeyIds[0]!,
      },
      1,
    );
    // The crashed run's process is gone: make its run-start line say so.
    const lines = fs.readFileSync(file, 'utf8').replace(`"pid":${process.pid}`, '"pid":4194000');
    fs.writeFileSync(file, lines);

    const result = await executeAction(await plannedAction(fixture.iam, 'half-done', 'delete'), fixture.context());

    const reconcile = readAuditJournal(file).filter((l) => l.phase === 'reconcile');
    expect(reconcile).toHaveLength(1);
    expect(reconcile[0]).toMatchObject({ callId: 'crashed-run#1', operation: 'DeleteAccessKey', liveState: 'target-present' });
    expect(result.notes.join('\n')).toContain(`stopped after sending DeleteAccessKey (${seeded.accessKeyIds[0]}) for half-done`);
    expect(result.outcome).toBe('deleted');
    // Reconciled once: a later run finds nothing pending.
    await executeAction({ action: 'delete', userName: 'half-done', userId: seeded.userId, arn: seeded.arn }, fixture.context());
    expect(readAuditJournal(file).filter((l) => l.phase === 'reconcile')).toHaveLength(1);
  });

  test('GIVEN a backup directory under a regular file WHEN a user is deleted THEN "cannot write backup to …" with the OS error, and the user is untouched', async () => {
    seedDoomedUsers(fixture.ep, ['keep-me']);
    fs.writeFileSync(path.join(fixture.workDir, 'plain-file'), '');
    const backupDir = path.join(fixture.workDir, 'plain-file', 'backups');
    const before = fixture.ep.counters();

    const err = await executeAction(await plannedAction(fixture.iam, 'keep-me', 'delete'), fixture.context({ backupDir })).catch(
      (e: unknown) => e,
    );

    expect((err as Error).message).toMatch(
      new RegExp(`^cannot write backup to ${backupDir}/\\S+\\.json: a file is where a directory should be \\(ENOTDIR\\)`),
    );
    expect((err as Error).message).toContain('[no change was made to keep-me]');
    expect(mutations(counterDiff(fixture.ep.counters(), before))).toEqual({});
  });

  test('GIVEN DeleteUser denied after the dependents were removed WHEN the deletion fails THEN the error says the changes were made and where the backup is', async () => {
    await seedFullUser(fixture.iam, 'stuck');
    fixture.ep.faults.failAlways('iam:DeleteUser', 'AccessDenied');

    const err = await executeAction(await plannedAction(fixture.iam, 'stuck', 'delete'), fixture.context()).catch((e: unknown) => e);

    const okLines = readAuditLog(path.join(fixture.workDir, 'audit.log')).filter((e) => e.outcome === 'ok').length;
    expect(okLines).toBeGreaterThan(5);
    expect((err as Error).message).toContain(`[${okLines} change(s) to stuck were already made before this; backup `);
  });
});

describe('quarantine: live key-use check', () => {
  test('GIVEN an Active key used an hour ago WHEN quarantined with recentlyActiveDays 7 THEN refused before any change (the password would be lost)', async () => {
    await fixture.iam.send(new CreateUserCommand({ UserName: 'busy-user' }));
    const key = (await fixture.iam.send(new CreateAccessKeyCommand({ UserName: 'busy-user' }))).AccessKey!.AccessKeyId!;
    const usedAt = new Date(Math.floor((Date.now() - 3600_000) / 1000) * 1000);
    fixture.ep.state.iam.setAccessKeyLastUsed(key, { date: usedAt, serviceName: 's3', region: 'us-east-1' });
    const before = fixture.ep.counters();

    const err = await executeAction(
      await plannedAction(fixture.iam, 'busy-user', 'quarantine'),
      fixture.context({ recentlyActiveDays: 7 }),
    ).catch((e: unknown) => e);

    expect(err).toBeInstanceOf(RefusedError);
    expect((err as RefusedError).reasons).toEqual([`recently active: key ${key} used ${usedAt.toISOString()}`]);
    expect((err as Error).message).toContain('refusing to quarantine busy-user');
    expect(mutations(counterDiff(fixture.ep.counters(), before))).toEqual({});
  });
});

/** `n` doomed users, an allowlist declaring none of them, and an in-process apply of them on `clock`. */
function doomedRun(n: number) {
  const users = names('leaver', n);
  seedDoomedUsers(fixture.ep, users);
  const allowlistFile = path.join(fixture.workDir, 'allowlist.yaml');
  fs.writeFileSync(allowlistFile, allowlistYaml([]));
  // One user at a time, so that "after user 1" is one moment for every later user; the same promises
  // with users acted on concurrently: test/commands/enforce-concurrency.integration.test.ts.
  const apply = (clock: () => number, onStep: (e: StepEvent) => void) =>
    applyInProcess({ clients: fixture.clients, allowlistFile, workDir: fixture.workDir, clock, onStep, concurrency: 1 });
  return { users, allowlistFile, apply };
}

describe('re-check at the moment of change', () => {
  let clockMs: number;
  beforeEach(() => {
    clockMs = Date.now();
  });

  test('GIVEN a 6-user apply WHEN the allowlist declares users 4-6 after user 1 THEN those are refused and the others deleted', async () => {
    const { users, allowlistFile, apply } = doomedRun(6);

    const { outcome } = await apply(
      () => clockMs,
      (e) => {
        if (e.phase === 'done' && e.stepId === 'delete-user' && !fs.readFileSync(allowlistFile, 'utf8').includes('leaver-04')) {
          fs.writeFileSync(allowlistFile, allowlistYaml(users.slice(3)));
        }
      },
    );

    expect(outcome.results.map((r) => r.userName)).toEqual(users.slice(0, 3));
    expect(outcome.failures.map((f) => f.action.userName)).toEqual(users.slice(3));
    for (const f of outcome.failures) expect(f.error.message).toContain('the plan now decides keep');
    for (const name of users.slice(3)) expect(fixture.ep.state.iam.users.has(name)).toBe(true);
  });

  test('GIVEN an apply WHEN the allowlist becomes invalid after user 1 THEN the run stops: no further mutating call, the rest is left', async () => {
    const { users, allowlistFile, apply } = doomedRun(4);
    let mutatingAfterEdit: Record<string, number> | null = null;

    const { outcome } = await apply(
      () => clockMs,
      (e) => {
        if (e.phase === 'done' && e.stepId === 'delete-user' && mutatingAfterEdit === null) {
          fs.writeFileSync(allowlistFile, 'version: 1\nusers: [\n');
          mutatingAfterEdit = fixture.ep.counters();
        }
      },
    );

    expect(outcome.results.map((r) => r.userName)).toEqual([users[0]]);
    expect(outcome.stop?.error).toBeInstanceOf(AllowlistRecheckError);
    expect(outcome.left.map((a) => a.userName)).toEqual(users.slice(2));
    expect(mutations(counterDiff(fixture.ep.counters(), mutatingAfterEdit!))).toEqual({});
  });

  test('GIVEN a 60 s bound WHEN a key policy names user 3 after user 1 THEN within the window the scan is shared; once the clock passes 60 s a new scan refuses user 3', async () => {
    const { users, apply } = doomedRun(4);
    const arnOf = (name: string) => `arn:aws:iam::${fixture.ep.accountId}:user/${name}`;
    let done = 0;

    const { outcome, scan } = await apply(
      () => clockMs,
      (e) => {
        if (e.phase !== 'done' || e.stepId !== 'delete-user') return;
        done++;
        if (done === 1) addKeyPolicyNaming(fixture.ep, [arnOf(users[2]!), arnOf(users[3]!)]);
        // User 2 is checked on the first scan (still young); before user 3 the clock passes the bound.
        if (done === 2) clockMs += 61_000;
      },
    );

    expect(outcome.results.map((r) => r.userName)).toEqual(users.slice(0, 2));
    expect(outcome.failures.map((f) => f.action.userName)).toEqual(users.slice(2));
    for (const f of outcome.failures) expect(f.error.message).toMatch(/kms/i);
    expect(scan.scansTaken).toBe(2);
  });
});

describe('stop on a signal', () => {
  test('GIVEN a 3-user apply WHEN SIGINT arrives while DeleteAccessKey of user 1 is in flight THEN that call finishes and is recorded, nothing more is sent, the rest is left', async () => {
    const { users, apply } = doomedRun(3);
    fixture.ep.faults.setLatency('iam:DeleteAccessKey', 300);

    const { outcome } = await apply(
      () => Date.now(),
      (e) => {
        if (e.phase === 'start' && e.stepId === 'delete-access-keys') setTimeout(() => requestStop('SIGINT'), 100);
      },
    );

    expect(outcome.stop?.signal).toBe('SIGINT');
    expect(outcome.results).toEqual([]);
    expect(outcome.failures.map((f) => [f.action.userName, (f.error as { changesMade?: number }).changesMade])).toEqual([[users[0], 1]]);
    expect(outcome.left.map((a) => a.userName)).toEqual(users.slice(1));
    const mutatingRequests = fixture.ep
      .requestLog()
      .filter((r) => r.mutating)
      .map((r) => r.operation);
    expect(mutatingRequests).toEqual(['DeleteAccessKey']);
    const journal = readAuditJournal(path.join(fixture.workDir, 'audit.log'));
    expect(journal.filter((l) => l.phase === 'outcome').map((l) => (l as { operation: string }).operation)).toEqual(['DeleteAccessKey']);
    expect(journal[journal.length - 1]).toMatchObject({ phase: 'run-end', status: 'interrupted' });
    for (const name of users.slice(1)) expect(fixture.ep.state.iam.users.has(name)).toBe(true);
  });
});
