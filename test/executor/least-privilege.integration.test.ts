/**
 * The inventory and the executor under exactly the least-privilege policies the tool prints, with
 * the endpoint answering AccessDenied to every other action (as AWS does for a role holding only
 * that policy).
 */
import * as fs from 'fs';
import * as path from 'path';
import { AuditLog, readAuditJournal } from '../../src/executor/audit';
import { executeAction } from '../../src/executor/executor';
import { leastPrivilegePolicy, type PolicyMode } from '../../src/executor/permissions';
import { releaseUser } from '../../src/executor/release';
import { takeSnapshot } from '../../src/inventory/inventory';
import { FAST_RETRY, plannedAction, seedFullUser, useExecutorEndpoint } from './helpers';

const fixture = useExecutorEndpoint('least-privilege-');

function allowOnlyThePolicy(mode: PolicyMode): void {
  fixture.ep.faults.allowOnly(leastPrivilegePolicy(mode).Statement.flatMap((s) => s.Action));
}

function deniedCalls(): string[] {
  return fixture.ep
    .requestLog()
    .filter((e) => e.errorCode === 'AccessDenied' || e.errorCode === 'AccessDeniedException')
    .map((e) => `${e.service}:${e.operation}`);
}

/** Leaves, in the audit log, an intent of a run that died (SIGKILL) before recording the answer. */
function leavePendingIntent(file: string, user: { name: string; userId: string }): void {
  const crashed = new AuditLog({ path: file, runId: 'crashed' });
  crashed.intent(
    {
      account: fixture.ep.accountId,
      user: user.name,
      userId: user.userId,
      step: 'delete-access-keys',
      operation: 'DeleteAccessKey',
      target: 'AKIAGONE',
    },
    1,
  );
  // The crashed run "was" another process that no longer exists.
  const lines = readAuditJournal(file).map((l) => (l.phase === 'run-start' ? { ...l, pid: 2 ** 22 + 12345 } : l));
  fs.writeFileSync(file, lines.map((l) => JSON.stringify(l)).join('\n') + '\n');
}

test('GIVEN the sandbox and only the plan policy allowed WHEN the inventory scans THEN nothing is denied and the scan is complete', async () => {
  fixture.ep.reset('sandbox');
  allowOnlyThePolicy('plan');

  const snapshot = await takeSnapshot(fixture.clients, { regions: 'all', now: new Date() });

  expect(deniedCalls()).toEqual([]);
  expect(snapshot.scanErrors).toEqual([]);
  expect(snapshot.users.length).toBe(fixture.ep.state.iam.users.size);
  expect(snapshot.users.length).toBeGreaterThan(0);
});

test('GIVEN a quarantined user and an intent a killed run left pending WHEN release runs under the release policy THEN it reconciles the intent and releases', async () => {
  const seeded = await seedFullUser(fixture.iam, 'former-contractor');
  await executeAction(await plannedAction(fixture.iam, 'former-contractor', 'quarantine'), fixture.context());
  const auditFile = path.join(fixture.workDir, 'audit.log');
  leavePendingIntent(auditFile, { name: seeded.name, userId: seeded.userId });
  fixture.ep.resetCounters();
  allowOnlyThePolicy('release');

  const released = await releaseUser(
    fixture.clients,
    'former-contractor',
    path.join(fixture.workDir, 'backups'),
    new AuditLog({ path: auditFile }),
    {
      retry: FAST_RETRY,
    },
  );

  expect(deniedCalls()).toEqual([]);
  expect(released.notes.some((n) => n.startsWith('an earlier run (crashed) stopped after sending DeleteAccessKey (AKIAGONE)'))).toBe(true);
  expect([...released.reactivatedKeys].sort()).toEqual([...seeded.accessKeyIds].sort());
});
