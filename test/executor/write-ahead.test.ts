/**
 * Unit tests of the executor's promises that need no endpoint: the write-ahead audit log, the stop
 * request, the bounded-age scan and the run-id cache's age.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { BoundedAgeScan, sharedFreshSnapshot } from '../../src/commands/shared-scan';
import { DeleteAccessKeyCommand, DeleteUserCommand } from '@aws-sdk/client-iam';
import { ApiCaller, type AwsClient } from '../../src/executor/api-calls';
import { AuditLog, AuditLogError, pendingIntents, readAuditJournal, readAuditLog } from '../../src/executor/audit';
import { installStopHandlers, InterruptedError, requestStop, resetStopRequest, stopRequested } from '../../src/executor/interruption';
import { describeFsError, ensureDirectory } from '../../src/executor/local-files';
import { saveSnapshot } from '../../src/inventory/snapshot-file';
import type { Snapshot } from '../../src/model/snapshot';
import { aSnapshot } from '../plan/fixtures';
import { UNWRITABLE_PATHS } from './unwritable-paths';

const identity = { account: '111122223333', user: 'old-admin', userId: 'AIDAEXAMPLE1' };
const DELETE_USER_STEP = { id: 'delete-user', permissions: ['iam:DeleteUser'] };

/** An IAM client whose every call is `send`: these tests are about what happens around the call. */
function fakeIam(send: () => Promise<unknown>): AwsClient {
  return { config: { serviceId: 'IAM' }, send };
}

let dir: string;
beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'write-ahead-'));
});
afterEach(() => {
  resetStopRequest();
  fs.rmSync(dir, { recursive: true, force: true });
});

describe('write-ahead audit log', () => {
  test.each(UNWRITABLE_PATHS.map((p) => [p.how, p] as const))(
    'GIVEN %s WHEN the run opens the log THEN AuditLogError names the path and the OS error in words',
    (_how, { make, words }) => {
      const file = make(dir);
      const log = new AuditLog({ path: file });
      let caught: unknown;
      try {
        log.open();
      } catch (err) {
        caught = err;
      }
      expect(caught).toBeInstanceOf(AuditLogError);
      expect((caught as Error).message).toContain(`cannot write the audit log ${file}: ${words}`);
      expect((caught as Error).message).toContain('no change was made');
    },
  );

  test('GIVEN a mutating call WHEN it is sent THEN its intent line is already fsynced, and its outcome follows with the same call id', async () => {
    const file = path.join(dir, 'audit.log');
    const log = new AuditLog({ path: file, runId: 'run-1' });
    const api = new ApiCaller(log, { ...identity });
    api.beginStep({ id: 'delete-access-keys', permissions: ['iam:DeleteAccessKey'] });
    let seenWhileSending: string[] = [];
    const iam = fakeIam(async () => {
      seenWhileSending = readAuditJournal(file).map((l) => l.phase ?? 'legacy');
      return { $metadata: { attempts: 1 } };
    });
    await api.mutate(iam, new DeleteAccessKeyCommand({ UserName: identity.user, AccessKeyId: 'AKIAEXAMPLE1' }), { target: 'AKIAEXAMPLE1' });
    expect(seenWhileSending).toEqual(['run-start', 'intent']);
    const journal = readAuditJournal(file);
    expect(journal.map((l) => l.phase)).toEqual(['run-start', 'intent', 'outcome']);
    const [, intent, outcome] = journal as [unknown, { callId: string }, { callId: string }];
    expect(outcome.callId).toBe(intent.callId);
    expect(readAuditLog(file).map((e) => [e.operation, e.target, e.outcome, e.attempts])).toEqual([
      ['DeleteAccessKey', 'AKIAEXAMPLE1', 'ok', 1],
    ]);
  });

  test('GIVEN a retried call WHEN each attempt is sent THEN each attempt has its own intent and outcome', async () => {
    const file = path.join(dir, 'audit.log');
    const api = new ApiCaller(new AuditLog({ path: file }), { ...identity }, { attempts: 3, baseDelayMs: 1, maxDelayMs: 1 });
    api.beginStep(DELETE_USER_STEP);
    let calls = 0;
    const iam = fakeIam(async () => {
      if (++calls < 3) throw Object.assign(new Error('settling'), { name: 'EntityTemporarilyUnmodifiable' });
      return {};
    });
    await api.mutate(iam, new DeleteUserCommand({ UserName: identity.user }));
    const phases = readAuditJournal(file).map((l) => l.phase);
    expect(phases).toEqual(['run-start', 'intent', 'outcome', 'intent', 'outcome', 'intent', 'outcome']);
  });

  test('GIVEN an unwritable log WHEN a mutating call is due THEN it is not sent', async () => {
    const api = new ApiCaller(new AuditLog({ path: '/dev/full' }), { ...identity });
    api.beginStep(DELETE_USER_STEP);
    let sent = false;
    const iam = fakeIam(async () => (sent = true));
    const err = await api.mutate(iam, new DeleteUserCommand({ UserName: identity.user })).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(AuditLogError);
    expect(sent).toBe(false);
  });

  test('GIVEN an intent without outcome from a process that is gone WHEN the next run opens the log THEN it is pending until reconciled', () => {
    const file = path.join(dir, 'audit.log');
    const crashed = new AuditLog({ path: file, runId: 'crashed' });
    crashed.intent({ ...identity, step: 'delete-user', operation: 'DeleteUser', target: null }, 1);
    const closed = crashed.intent({ ...identity, step: 'delete-access-keys', operation: 'DeleteAccessKey', target: 'AKIA1' }, 1);
    crashed.outcome(closed, {
      ...identity,
      step: 'delete-access-keys',
      operation: 'DeleteAccessKey',
      target: 'AKIA1',
      outcome: 'ok',
      errorCode: null,
      attempts: 1,
    });
    // The crashed run "was" another process that no longer exists.
    const lines = readAuditJournal(file).map((l) => (l.phase === 'run-start' ? { ...l, pid: 2 ** 22 + 12345 } : l));

    expect(pendingIntents(lines).map((p) => p.operation)).toEqual(['DeleteUser']);
    const next = new AuditLog({ path: file, runId: 'next' });
    fs.writeFileSync(file, lines.map((l) => JSON.stringify(l)).join('\n') + '\n');
    next.open();
    expect(next.pendingIntents().map((p) => p.operation)).toEqual(['DeleteUser']);
    next.reconciled(next.pendingIntents()[0]!, 'user-absent', 'gone');
    expect(next.pendingIntents()).toEqual([]);
    expect(pendingIntents(readAuditJournal(file))).toEqual([]);
  });

  test('GIVEN an intent of a run whose process still runs (a parallel enforce) WHEN another run opens the log THEN it is in flight, not pending', () => {
    const file = path.join(dir, 'audit.log');
    const lines = [
      { time: 't', phase: 'run-start' as const, runId: 'parallel', command: 'enforce', pid: process.ppid, host: os.hostname() },
      {
        time: 't',
        phase: 'intent' as const,
        runId: 'parallel',
        callId: 'parallel#1',
        attempt: 1,
        ...identity,
        step: 'delete-user',
        operation: 'DeleteUser',
        target: null,
      },
    ];
    fs.writeFileSync(file, lines.map((l) => JSON.stringify(l)).join('\n') + '\n');
    expect(pendingIntents(readAuditJournal(file))).toEqual([]);
  });

  test('GIVEN OS errors WHEN described THEN words and code, never a bare errno', () => {
    expect(describeFsError(Object.assign(new Error('EROFS: x'), { code: 'EROFS' }))).toBe('read-only file system (EROFS)');
    expect(describeFsError(Object.assign(new Error('ENOSPC: x'), { code: 'ENOSPC' }))).toBe('no space left on device (ENOSPC)');
  });

  test('GIVEN a missing directory under /proc WHEN ensured THEN it fails with the OS error instead of looping', () => {
    expect(() => ensureDirectory('/proc/iam-allowlist-missing/sub')).toThrow(/ENOENT/);
  });
});

describe('stop request', () => {
  test('GIVEN the stop handlers WHEN SIGINT arrives once THEN a stop is requested and the process goes on; WHEN a second signal (SIGTERM) arrives THEN it exits at once with its code, 143', () => {
    const written: string[] = [];
    const exit = jest.spyOn(process, 'exit').mockImplementation(((code?: number) => {
      throw new Error(`exit ${code}`);
    }) as typeof process.exit);
    const remove = installStopHandlers((text) => written.push(text));
    try {
      process.emit('SIGINT');
      expect(stopRequested()).toBe('SIGINT');
      expect(exit).not.toHaveBeenCalled();
      expect(written.join('')).toContain('SIGINT received: finishing the calls in flight, then stopping');
      expect(() => process.emit('SIGTERM')).toThrow('exit 143');
      expect(written.join('')).toContain('SIGTERM again: exiting now; the next run reconciles the call that was in flight.');
    } finally {
      remove();
      exit.mockRestore();
    }
  });

  test('GIVEN SIGTERM was received WHEN the next mutating call is due THEN InterruptedError, nothing sent, nothing logged', async () => {
    const file = path.join(dir, 'audit.log');
    const api = new ApiCaller(new AuditLog({ path: file }), { ...identity });
    api.beginStep(DELETE_USER_STEP);
    requestStop('SIGTERM');
    let sent = false;
    const iam = fakeIam(async () => (sent = true));
    const err = await api.mutate(iam, new DeleteUserCommand({ UserName: identity.user })).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(InterruptedError);
    expect((err as InterruptedError).signal).toBe('SIGTERM');
    expect(sent).toBe(false);
    expect(readAuditJournal(file)).toEqual([]);
  });
});

function fakeSnapshot(label: string): Snapshot {
  return { label } as unknown as Snapshot;
}

describe('bounded-age scan', () => {
  test('GIVEN a 60 s bound and a test clock WHEN actions ask over 150 s THEN one scan per window, shared within it', async () => {
    let now = 1_000_000;
    let taken = 0;
    const scan = new BoundedAgeScan(
      async () => ({ snapshot: fakeSnapshot(`scan-${++taken}`), startedAt: now }),
      () => now,
    );
    const labels: string[] = [];
    for (let t = 0; t <= 150; t += 10) {
      now = 1_000_000 + t * 1000;
      labels.push(((await scan.get(60_000)) as unknown as { label: string }).label);
    }
    // t=0 scans; t=10..60 reuse; t=70 is 70 s after the first scan: new; t=140 is 70 s after that: new.
    expect(labels.filter((l, i) => labels.indexOf(l) === i)).toEqual(['scan-1', 'scan-2', 'scan-3']);
    expect(labels.indexOf('scan-2')).toBe(7);
    expect(labels.indexOf('scan-3')).toBe(14);
    expect(scan.scansTaken).toBe(3);
  });

  test('GIVEN scans that answer, one under way and one that fails WHEN asked which answered last THEN the latest answer, not the one under way, kept through a failure', async () => {
    let now = 0;
    let fail = false;
    let release: () => void = () => {};
    const scan = new BoundedAgeScan(
      () =>
        new Promise((resolve, reject) => {
          const snapshot = fakeSnapshot(`at-${now}`);
          release = () => (fail ? reject(new Error('ListKeys failed')) : resolve({ snapshot, startedAt: now }));
        }),
      () => now,
    );
    expect(scan.answered()).toBeNull();

    const first = scan.get(60_000);
    expect(scan.answered()).toBeNull();
    release();
    const answered = await first;
    expect(scan.answered()).toBe(answered);

    now = 61_000;
    const second = scan.get(60_000);
    expect(scan.answered()).toBe(answered);
    fail = true;
    release();
    await expect(second).rejects.toThrow('ListKeys failed');
    expect(scan.answered()).toBe(answered);
  });

  test('GIVEN parallel requests WHEN the scan is slow THEN they share one scan', async () => {
    let release: () => void = () => {};
    let taken = 0;
    const scan = new BoundedAgeScan(
      () =>
        new Promise((resolve) => {
          taken++;
          release = () => resolve({ snapshot: fakeSnapshot('one'), startedAt: 0 });
        }),
      () => 0,
    );
    const all = Promise.all([scan.get(1000), scan.get(1000), scan.get(1000)]);
    release();
    await all;
    expect(taken).toBe(1);
  });
});

describe('run-id scan cache', () => {
  const snapshotOf = (label: string): Snapshot => ({
    ...aSnapshot(),
    takenAt: label === 'cached' ? '2026-01-01T00:00:00.000Z' : new Date().toISOString(),
  });

  async function cacheAged(seconds: number, options: { maxAgeMs?: number } = {}): Promise<number> {
    const runs = path.join(dir, 'runs');
    fs.mkdirSync(runs, { recursive: true });
    const cacheFile = path.join(runs, 'run-r1.snapshot.json');
    saveSnapshot(cacheFile, snapshotOf('cached'));
    const then = new Date(Date.now() - seconds * 1000);
    fs.utimesSync(cacheFile, then, then);
    let scans = 0;
    await sharedFreshSnapshot({ dir: runs, runId: 'r1', ...options }, async () => {
      scans++;
      return snapshotOf('fresh');
    });
    return scans;
  }

  test('GIVEN a cached scan 61 s old WHEN another enforce of the run asks with the default bound THEN it scans again', async () => {
    expect(await cacheAged(61)).toBe(1);
  });

  test('GIVEN a cached scan 30 s old WHEN asked with the default bound THEN it is reused', async () => {
    expect(await cacheAged(30)).toBe(0);
  });

  test('GIVEN a cached scan 5 s old WHEN asked with a 1 s bound THEN it scans again', async () => {
    expect(await cacheAged(5, { maxAgeMs: 1000 })).toBe(1);
  });
});
