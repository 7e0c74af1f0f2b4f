import * as crypto from 'crypto';
import * as fs from 'fs';
import * as path from 'path';
import {
  AddUserToGroupCommand,
  CreateAccessKeyCommand,
  CreateGroupCommand,
  CreateLoginProfileCommand,
  CreateUserCommand,
  DeleteUserCommand,
  GetLoginProfileCommand,
  GetUserCommand,
  GetUserPolicyCommand,
  ListAccessKeysCommand,
  ListAttachedUserPoliciesCommand,
  ListGroupsForUserCommand,
  ListSigningCertificatesCommand,
  ListSSHPublicKeysCommand,
  GetSSHPublicKeyCommand,
  ListUserPoliciesCommand,
  ListUserTagsCommand,
  ListVirtualMFADevicesCommand,
  PutUserPolicyCommand,
} from '@aws-sdk/client-iam';
import { AwsClients } from '../../src/aws/clients';
import { AwsError, RefusedError } from '../../src/errors';
import { readAuditLog } from '../../src/executor/audit';
import { findSecrets, listBackups, readBackup } from '../../src/executor/backup';
import { executeAction } from '../../src/executor/executor';
import { QUARANTINED_AT_TAG, QUARANTINE_POLICY_NAME, QUARANTINE_REASON_TAG } from '../../src/model/quarantine-marker';
import { releaseUser } from '../../src/executor/release';
import { restoreUser } from '../../src/executor/restore';
import { SimulatedCrashError, type StepEvent } from '../../src/executor/run-steps';
import { DELETE_STEPS } from '../../src/executor/delete-steps';
import { QUARANTINE_STEPS } from '../../src/executor/quarantine-steps';
import { RESTORED_FROM_TAG } from '../../src/executor/restore-steps';
import { AuditLog } from '../../src/executor/audit';
import { DEACTIVATED_KEYS_TAG } from '../../src/executor/deactivated-keys';
import {
  ACCOUNT,
  counterDiff,
  deactivateKey,
  FAST_RETRY,
  INLINE_DOCUMENT,
  MUTATING_OPERATION,
  plannedAction,
  seedFullUser,
  seedKeeper,
  useExecutorEndpoint,
  type SeededUser,
} from './helpers';
import { FAST_SDK_RETRY } from '../aws/fast-retry';

const fixture = useExecutorEndpoint('executor-');

async function userExists(name: string): Promise<boolean> {
  try {
    await fixture.iam.send(new GetUserCommand({ UserName: name }));
    return true;
  } catch (err) {
    if ((err as { name?: string }).name === 'NoSuchEntityException' || (err as { name?: string }).name === 'NoSuchEntity') return false;
    throw err;
  }
}

async function virtualMfaSerials(): Promise<string[]> {
  const out = await fixture.iam.send(new ListVirtualMFADevicesCommand({}));
  return (out.VirtualMFADevices ?? []).map((d) => d.SerialNumber!);
}

async function expectKeeperUntouched(name: string, keeper: { userId: string; accessKeyId: string }, groupName: string): Promise<void> {
  const got = await fixture.iam.send(new GetUserCommand({ UserName: name }));
  expect(got.User?.UserId).toBe(keeper.userId);
  const keys = await fixture.iam.send(new ListAccessKeysCommand({ UserName: name }));
  expect(keys.AccessKeyMetadata?.map((k) => [k.AccessKeyId, k.Status])).toEqual([[keeper.accessKeyId, 'Active']]);
  const policies = await fixture.iam.send(new ListUserPoliciesCommand({ UserName: name }));
  expect(policies.PolicyNames).toEqual(['keeper-inline']);
  const groups = await fixture.iam.send(new ListGroupsForUserCommand({ UserName: name }));
  expect(groups.Groups?.map((g) => g.GroupName)).toEqual([groupName]);
}

function expectFullBackup(file: string, seeded: SeededUser): void {
  const text = fs.readFileSync(file, 'utf8');
  for (const secret of seeded.secrets) expect(text.includes(secret)).toBe(false);
  const backup = readBackup(file);
  expect(findSecrets(backup)).toEqual([]);
  const u = backup.user;
  expect(path.basename(file)).toMatch(new RegExp(`^${ACCOUNT}-${seeded.name}-${seeded.userId}-\\d{8}T\\d{9}Z\\.json$`));
  expect(u).toMatchObject({
    name: seeded.name,
    path: '/legacy/',
    userId: seeded.userId,
    arn: seeded.arn,
    permissionsBoundaryArn: seeded.boundaryArn,
  });
  expect(u.tags).toEqual([
    { key: 'team', value: 'legacy' },
    { key: 'cost-center', value: '42' },
  ]);
  expect(u.groups).toEqual([seeded.groupName]);
  expect(u.inlinePolicies).toEqual([{ name: 'legacy-s3', document: INLINE_DOCUMENT }]);
  expect(u.attachedPolicyArns).toEqual([seeded.managedArn]);
  expect(u.loginProfile.present).toBe(true);
  expect(u.accessKeys.map((k) => [k.accessKeyId, k.status]).sort()).toEqual(seeded.accessKeyIds.map((id) => [id, 'Active']).sort());
  expect(u.mfaDevices).toEqual([expect.objectContaining({ serialNumber: seeded.mfaSerial, virtual: true })]);
  expect(u.sshPublicKeys.map((k) => [k.body, k.status])).toEqual([[seeded.sshBody, 'Active']]);
  expect(u.signingCertificates.map((c) => [c.body.trim(), c.status])).toEqual([[seeded.certBody.trim(), 'Active']]);
  expect(u.serviceSpecificCredentials).toEqual([expect.objectContaining({ serviceName: 'codecommit.amazonaws.com', status: 'Active' })]);
}

describe('deletion', () => {
  test('GIVEN a user with every dependent kind WHEN deleted THEN the user and its virtual MFA device are gone, a full backup exists and every call is counted', async () => {
    const seeded = await seedFullUser(fixture.iam, 'old-admin');
    const keeper = await seedKeeper(fixture.iam, 'alice', seeded.groupName);
    const action = await plannedAction(fixture.iam, 'old-admin', 'delete');
    const before = fixture.ep.counters();
    const logStart = fixture.ep.requestLog().length;

    const result = await executeAction(action, fixture.context());

    const used = counterDiff(fixture.ep.counters(), before);
    expect(result.outcome).toBe('deleted');
    expect(await userExists('old-admin')).toBe(false);
    expect(await virtualMfaSerials()).not.toContain(seeded.mfaSerial);
    expectFullBackup(result.backupFile!, seeded);
    await expectKeeperUntouched('alice', keeper, seeded.groupName);

    // THEN the executor's own count equals what the endpoint saw (no retries happened here)
    expect(result.apiCalls).toEqual(used);
    expect(result.totalApiCalls).toBe(Object.values(used).reduce((a, b) => a + b, 0));
    // THEN every call of a step is covered by the permissions that step declares
    for (const step of result.steps) {
      const declared = step.id === 'preflight' ? ['iam:GetUser'] : DELETE_STEPS.find((s) => s.id === step.id)!.permissions;
      for (const op of Object.keys(step.apiCalls)) expect(declared).toContain(op);
    }
    expect(result.steps.map((s) => s.id)).toEqual(['preflight', ...DELETE_STEPS.map((s) => s.id)]);
    expect(result.steps.filter((s) => s.outcome === 'ok').map((s) => s.id)).toEqual(
      DELETE_STEPS.map((s) => s.id).filter((id) => !['list-credentials', 'recheck', 'check-recent-key-use'].includes(id)),
    );

    // THEN one audit line per mutating call, in the same order the endpoint received them
    const mutating = fixture.ep
      .requestLog()
      .slice(logStart)
      .filter((e) => e.mutating);
    const audit = readAuditLog(path.join(fixture.workDir, 'audit.log'));
    expect(audit.map((a) => a.operation)).toEqual(mutating.map((m) => m.operation));
    expect(audit.every((a) => a.outcome === 'ok' && a.account === ACCOUNT && a.user === 'old-admin' && a.userId === seeded.userId)).toBe(
      true,
    );
    expect(
      audit
        .filter((a) => a.operation === 'DeleteAccessKey')
        .map((a) => a.target)
        .sort(),
    ).toEqual([...seeded.accessKeyIds].sort());
    const auditText = fs.readFileSync(path.join(fixture.workDir, 'audit.log'), 'utf8');
    for (const secret of seeded.secrets) expect(auditText.includes(secret)).toBe(false);

    // THEN the removal steps act on the backup read: after it, only mutations
    for (const step of result.steps.filter((s) => !['preflight', 'list-credentials', 'recheck', 'backup'].includes(s.id))) {
      expect(Object.keys(step.apiCalls).filter((op) => !MUTATING_OPERATION.test(op))).toEqual([]);
    }
    // THEN each dependent kind is read once (the credentials before the re-check, the rest by the backup)
    // and GetUser twice: the UserId check before the re-check and the backup's full read after it (no
    // scan is passed here); nothing reads the user after DeleteUser, nothing removes the boundary
    for (const [op, n] of Object.entries(used))
      if (!MUTATING_OPERATION.test(op)) expect([op, n]).toEqual([op, op === 'iam:GetUser' ? 2 : 1]);
    expect(used['iam:DeleteUserPermissionsBoundary']).toBeUndefined();
    // Measured: 25 (12 mutations, 11 reads, 2 GetUser); 27 with the boundary removal and a verifying GetUser, 36 when every step listed its kind again.
    expect(result.totalApiCalls).toBeLessThanOrEqual(25);

    // Reported to the lead: API calls per deleted user with every dependent kind.
    console.log(
      `API calls to delete one user with every dependent kind (total ${result.totalApiCalls}):\n${JSON.stringify(used, null, 1)}`,
    );
  });

  test('GIVEN the user was deleted and recreated with the same name WHEN the old plan is applied THEN it is refused as recreated and nothing changes', async () => {
    await fixture.iam.send(new CreateUserCommand({ UserName: 'temp-deploy-user' }));
    const action = await plannedAction(fixture.iam, 'temp-deploy-user', 'delete');
    await fixture.iam.send(new DeleteUserCommand({ UserName: 'temp-deploy-user' }));
    const again = await fixture.iam.send(new CreateUserCommand({ UserName: 'temp-deploy-user' }));
    expect(again.User?.UserId).not.toBe(action.userId);

    const attempt = executeAction(action, fixture.context());
    await expect(attempt).rejects.toBeInstanceOf(RefusedError);
    await expect(executeAction(action, fixture.context())).rejects.toThrow(/recreated/);
    expect(await userExists('temp-deploy-user')).toBe(true);
    expect(readAuditLog(path.join(fixture.workDir, 'audit.log'))).toEqual([]);
    expect(fs.existsSync(path.join(fixture.workDir, 'backups'))).toBe(false);
  });

  test('GIVEN the fresh re-check fails WHEN applied THEN RefusedError carries its reasons and nothing is backed up or changed', async () => {
    await seedFullUser(fixture.iam, 'data-pipeline');
    const action = await plannedAction(fixture.iam, 'data-pipeline', 'delete');
    const recheck = jest.fn(async () => ({ ok: false as const, reasons: ['kms-key-policy: named by key 1234'] }));
    const err = await executeAction(action, fixture.context({ recheck })).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(RefusedError);
    expect((err as RefusedError).reasons).toEqual(['kms-key-policy: named by key 1234']);
    expect(recheck).toHaveBeenCalledWith(action);
    expect(await userExists('data-pipeline')).toBe(true);
    expect(readAuditLog(path.join(fixture.workDir, 'audit.log'))).toEqual([]);
    // THEN no backup either: the re-check comes before the backup, only the credential lists were read
    expect(fs.existsSync(path.join(fixture.workDir, 'backups'))).toBe(false);
  });

  test('GIVEN the user is already gone WHEN applied THEN it converges as already-done without any mutation', async () => {
    await fixture.iam.send(new CreateUserCommand({ UserName: 'gone' }));
    const action = await plannedAction(fixture.iam, 'gone', 'delete');
    await fixture.iam.send(new DeleteUserCommand({ UserName: 'gone' }));
    const result = await executeAction(action, fixture.context());
    expect(result.outcome).toBe('already-done');
    expect(result.totalApiCalls).toBe(1);
    expect(readAuditLog(path.join(fixture.workDir, 'audit.log'))).toEqual([]);
  });

  test('GIVEN the user is deleted right after the UserId check WHEN its credentials are listed THEN it is already done: no re-check, no backup, no mutation', async () => {
    await fixture.iam.send(new CreateUserCommand({ UserName: 'vanishing' }));
    const action = await plannedAction(fixture.iam, 'vanishing', 'delete');
    const recheck = jest.fn(async () => ({ ok: false as const, reasons: ['would refuse: the user is not in the fresh scan'] }));

    const result = await executeAction(
      action,
      fixture.context({
        recheck,
        onStep: async (e) => {
          if (e.phase === 'start' && e.stepId === 'list-credentials')
            await fixture.iam.send(new DeleteUserCommand({ UserName: 'vanishing' }));
        },
      }),
    );

    expect(result.outcome).toBe('already-done');
    expect(recheck).not.toHaveBeenCalled();
    expect(result.backupFile).toBeNull();
    expect(readAuditLog(path.join(fixture.workDir, 'audit.log'))).toEqual([]);
  });

  test('GIVEN a plain user with one access key WHEN deleted THEN no call is made for kinds it does not have', async () => {
    await fixture.iam.send(new CreateUserCommand({ UserName: 'temp-deploy-user' }));
    const key = await fixture.iam.send(new CreateAccessKeyCommand({ UserName: 'temp-deploy-user' }));
    const action = await plannedAction(fixture.iam, 'temp-deploy-user', 'delete');
    const before = fixture.ep.counters();

    const result = await executeAction(action, fixture.context());

    const used = counterDiff(fixture.ep.counters(), before);
    expect(result.outcome).toBe('deleted');
    expect(await userExists('temp-deploy-user')).toBe(false);
    expect(result.apiCalls).toEqual(used);
    // THEN the only mutations are the key and the user: no DeleteLoginProfile without a login profile
    expect(Object.entries(used).filter(([op]) => MUTATING_OPERATION.test(op))).toEqual([
      ['iam:DeleteAccessKey', 1],
      ['iam:DeleteUser', 1],
    ]);
    expect(readAuditLog(path.join(fixture.workDir, 'audit.log')).map((a) => [a.operation, a.target])).toEqual([
      ['DeleteAccessKey', key.AccessKey!.AccessKeyId],
      ['DeleteUser', null],
    ]);
    // Measured: 15 (3 GetUser, 10 backup reads, 2 mutations); it was 25 when every step listed its kind again.
    expect(result.totalApiCalls).toBeLessThanOrEqual(15);
    console.log(`API calls to delete a plain user with one access key (total ${result.totalApiCalls}):\n${JSON.stringify(used, null, 1)}`);
  });

  describe('something is added to the user after the backup read', () => {
    /** Runs `add` with the SDK when the given step event fires; its own calls are kept apart from the executor's. */
    function raceAt(stepId: string, phase: 'start' | 'done', add: () => Promise<void>) {
      const own = { calls: {} as Record<string, number>, operations: [] as string[] };
      let fired = false;
      const onStep = async (event: StepEvent): Promise<void> => {
        if (fired || event.stepId !== stepId || event.phase !== phase) return;
        fired = true;
        const before = fixture.ep.counters();
        const logStart = fixture.ep.requestLog().length;
        await add();
        own.calls = counterDiff(fixture.ep.counters(), before);
        own.operations = fixture.ep
          .requestLog()
          .slice(logStart)
          .map((e) => e.operation);
      };
      return { onStep, own, fired: () => fired };
    }

    test('GIVEN a new access key and inline policy after the backup read (once the old keys are gone: 2 per user) WHEN deleted THEN DeleteConflict triggers a full re-read, both are removed, audited and backed up', async () => {
      const seeded = await seedFullUser(fixture.iam, 'old-admin');
      const keeper = await seedKeeper(fixture.iam, 'alice', seeded.groupName);
      const action = await plannedAction(fixture.iam, 'old-admin', 'delete');
      let newKeyId = '';
      const race = raceAt('delete-access-keys', 'done', async () => {
        const key = await fixture.iam.send(new CreateAccessKeyCommand({ UserName: 'old-admin' }));
        newKeyId = key.AccessKey!.AccessKeyId!;
        await fixture.iam.send(
          new PutUserPolicyCommand({ UserName: 'old-admin', PolicyName: 'added-later', PolicyDocument: INLINE_DOCUMENT }),
        );
      });
      const before = fixture.ep.counters();
      const logStart = fixture.ep.requestLog().length;

      const result = await executeAction(action, fixture.context({ onStep: race.onStep }));

      const used = counterDiff(fixture.ep.counters(), before);
      const requests = fixture.ep.requestLog().slice(logStart);
      expect(race.fired()).toBe(true);
      expect(result.outcome).toBe('deleted');
      expect(await userExists('old-admin')).toBe(false);
      expect(await virtualMfaSerials()).not.toContain(seeded.mfaSerial);
      await expectKeeperUntouched('alice', keeper, seeded.groupName);

      // THEN the first DeleteUser met the conflict, the re-read removed the new items, the retry succeeded
      const audit = readAuditLog(path.join(fixture.workDir, 'audit.log'));
      expect(audit.filter((a) => a.operation === 'DeleteUser').map((a) => [a.outcome, a.errorCode])).toEqual([
        ['error', 'DeleteConflict'],
        ['ok', null],
      ]);
      const fromSweep = audit
        .filter((a) => a.step === 'delete-user' && a.operation !== 'DeleteUser')
        .map((a) => [a.operation, a.target, a.outcome]);
      expect(fromSweep).toEqual(
        expect.arrayContaining([
          ['DeleteAccessKey', newKeyId, 'ok'],
          ['DeleteUserPolicy', 'added-later', 'ok'],
        ]),
      );
      // THEN nothing the first read found is removed twice
      expect(fromSweep.filter(([, target]) => target !== newKeyId && target !== 'added-later')).toEqual([]);

      // THEN one audit line per mutating call of the executor, in the endpoint's order
      const ownOps = [...race.own.operations];
      const mutating = requests
        .filter((e) => e.mutating)
        .filter((e) => {
          const i = ownOps.indexOf(e.operation);
          if (i < 0) return true;
          ownOps.splice(i, 1);
          return false;
        });
      expect(audit.map((a) => a.operation)).toEqual(mutating.map((m) => m.operation));

      // THEN the counts are the executor's own calls, and each step stays within its permissions
      for (const [op, n] of Object.entries(race.own.calls)) used[op] = (used[op] ?? 0) - n;
      expect(result.apiCalls).toEqual(Object.fromEntries(Object.entries(used).filter(([, n]) => n > 0)));
      for (const step of result.steps) {
        const declared = step.id === 'preflight' ? ['iam:GetUser'] : DELETE_STEPS.find((s) => s.id === step.id)!.permissions;
        for (const op of Object.keys(step.apiCalls)) expect(declared).toContain(op);
      }

      // THEN the newest backup holds the first read and the added items; the notes name them
      const backups = listBackups(path.join(fixture.workDir, 'backups'), ACCOUNT, 'old-admin', seeded.userId);
      expect(backups).toHaveLength(2);
      expect(backups[0]).toBe(result.backupFile);
      expectFullBackup(backups[0]!, seeded);
      const merged = readBackup(backups[1]!).user;
      expect(merged.accessKeys.map((k) => k.accessKeyId).sort()).toEqual([...seeded.accessKeyIds, newKeyId].sort());
      expect(merged.inlinePolicies.map((p) => p.name).sort()).toEqual(['added-later', 'legacy-s3']);
      expect(merged.groups).toEqual([seeded.groupName]);
      expect(merged.loginProfile.present).toBe(true);
      expect(findSecrets(merged)).toEqual([]);
      const note = result.notes.find((n) => n.includes('DeleteConflict'));
      expect(note).toContain(`access key ${newKeyId}`);
      expect(note).toContain('inline policy added-later');
      expect(note).toContain(backups[1]);
    });

    test('GIVEN a console password and a group membership added just before DeleteUser WHEN deleted THEN they are removed too and the user is gone', async () => {
      await fixture.iam.send(new CreateGroupCommand({ GroupName: 'late-group' }));
      await fixture.iam.send(new CreateUserCommand({ UserName: 'temp-deploy-user' }));
      const action = await plannedAction(fixture.iam, 'temp-deploy-user', 'delete');
      const race = raceAt('delete-user', 'start', async () => {
        await fixture.iam.send(
          new CreateLoginProfileCommand({ UserName: 'temp-deploy-user', Password: `Aa1!${crypto.randomBytes(12).toString('hex')}` }),
        );
        await fixture.iam.send(new AddUserToGroupCommand({ UserName: 'temp-deploy-user', GroupName: 'late-group' }));
      });

      const result = await executeAction(action, fixture.context({ onStep: race.onStep }));

      expect(race.fired()).toBe(true);
      expect(result.outcome).toBe('deleted');
      expect(await userExists('temp-deploy-user')).toBe(false);
      const audit = readAuditLog(path.join(fixture.workDir, 'audit.log'));
      expect(audit.map((a) => [a.step, a.operation, a.outcome])).toEqual([
        ['delete-user', 'DeleteUser', 'error'],
        ['delete-user', 'DeleteLoginProfile', 'ok'],
        ['delete-user', 'RemoveUserFromGroup', 'ok'],
        ['delete-user', 'DeleteUser', 'ok'],
      ]);
      const backups = listBackups(path.join(fixture.workDir, 'backups'), ACCOUNT, 'temp-deploy-user', action.userId);
      const newest = readBackup(backups[backups.length - 1]!).user;
      expect(newest.loginProfile.present).toBe(true);
      expect(newest.groups).toEqual(['late-group']);
    });
  });

  test.each(DELETE_STEPS.map((s) => s.id))(
    'GIVEN a crash right after step %s WHEN the action is run again THEN it converges with one full backup and the declared user untouched',
    async (stepId) => {
      const seeded = await seedFullUser(fixture.iam, 'old-admin');
      const keeper = await seedKeeper(fixture.iam, 'alice', seeded.groupName);
      const action = await plannedAction(fixture.iam, 'old-admin', 'delete');
      const crash = await executeAction(action, fixture.context({ crashAfterStep: stepId })).catch((e: unknown) => e);
      expect(crash).toBeInstanceOf(SimulatedCrashError);

      const result = await executeAction(action, fixture.context());

      expect(['deleted', 'already-done']).toContain(result.outcome);
      expect(await userExists('old-admin')).toBe(false);
      expect(await virtualMfaSerials()).not.toContain(seeded.mfaSerial);
      const backups = listBackups(path.join(fixture.workDir, 'backups'), ACCOUNT, 'old-admin', seeded.userId);
      expect(backups).toHaveLength(1);
      expectFullBackup(backups[0]!, seeded);
      await expectKeeperUntouched('alice', keeper, seeded.groupName);
    },
  );

  test.each(['EntityTemporarilyUnmodifiable', 'DeleteConflict'])(
    'GIVEN DeleteUser answers %s once WHEN deleted THEN the bounded retry converges and both attempts are audited',
    async (code) => {
      await seedFullUser(fixture.iam, 'old-admin');
      const action = await plannedAction(fixture.iam, 'old-admin', 'delete');
      fixture.ep.faults.failNth('iam:DeleteUser', 1, code);
      const result = await executeAction(action, fixture.context());
      expect(result.outcome).toBe('deleted');
      expect(await userExists('old-admin')).toBe(false);
      const deletes = readAuditLog(path.join(fixture.workDir, 'audit.log')).filter((a) => a.operation === 'DeleteUser');
      expect(deletes.map((a) => [a.outcome, a.errorCode])).toEqual([
        ['error', code],
        ['ok', null],
      ]);
      expect(result.apiCalls['iam:DeleteUser']).toBe(2);
    },
  );

  test('GIVEN DeleteUser keeps answering DeleteConflict WHEN deleted THEN it gives up after the bounded attempts with AwsError', async () => {
    await seedFullUser(fixture.iam, 'old-admin');
    const action = await plannedAction(fixture.iam, 'old-admin', 'delete');
    fixture.ep.faults.failAlways('iam:DeleteUser', 'DeleteConflict');
    const err = await executeAction(action, fixture.context()).catch((e: unknown) => e);
    fixture.ep.faults.clear();
    expect(err).toBeInstanceOf(AwsError);
    expect((err as AwsError).code).toBe('DeleteConflict');
    const deletes = readAuditLog(path.join(fixture.workDir, 'audit.log')).filter((a) => a.operation === 'DeleteUser');
    expect(deletes).toHaveLength(FAST_RETRY.attempts);
    // THEN a later run converges
    expect((await executeAction(action, fixture.context())).outcome).toBe('deleted');
  });

  test('GIVEN a run that failed between deactivating and deleting the virtual MFA device WHEN run again THEN the unassigned device is deleted from the backup serial', async () => {
    const seeded = await seedFullUser(fixture.iam, 'old-admin');
    const action = await plannedAction(fixture.iam, 'old-admin', 'delete');
    fixture.ep.faults.failNth('iam:DeleteVirtualMFADevice', 1, 'AccessDenied');
    const err = await executeAction(action, fixture.context()).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(AwsError);
    expect(await virtualMfaSerials()).toContain(seeded.mfaSerial);

    const result = await executeAction(action, fixture.context());

    expect(result.outcome).toBe('deleted');
    expect(await virtualMfaSerials()).not.toContain(seeded.mfaSerial);
    expect(await userExists('old-admin')).toBe(false);
    const audit = readAuditLog(path.join(fixture.workDir, 'audit.log')).filter((a) => a.operation === 'DeleteVirtualMFADevice');
    expect(audit.map((a) => [a.target, a.outcome])).toEqual([
      [seeded.mfaSerial, 'error'],
      [seeded.mfaSerial, 'ok'],
    ]);
  });

  test('GIVEN the sandbox account WHEN old-admin is deleted THEN it is gone and the declared alice keeps her keys', async () => {
    fixture.ep.reset('sandbox');
    const aliceBefore = await fixture.iam.send(new ListAccessKeysCommand({ UserName: 'alice' }));
    const action = await plannedAction(fixture.iam, 'old-admin', 'delete');
    const result = await executeAction(action, fixture.context());
    expect(result.outcome).toBe('deleted');
    expect(await userExists('old-admin')).toBe(false);
    const backup = readBackup(result.backupFile!);
    expect(backup.user.accessKeys).toHaveLength(2);
    expect(backup.user.groups).toEqual(['admins']);
    expect(findSecrets(backup)).toEqual([]);
    const aliceAfter = await fixture.iam.send(new ListAccessKeysCommand({ UserName: 'alice' }));
    expect(aliceAfter.AccessKeyMetadata).toEqual(aliceBefore.AccessKeyMetadata);
    console.log(`API calls to delete the sandbox old-admin: ${result.totalApiCalls}`);
  });

  test('GIVEN 30% of all calls are throttled WHEN a full user is deleted THEN it still converges', async () => {
    const seeded = await seedFullUser(fixture.iam, 'old-admin');
    const keeper = await seedKeeper(fixture.iam, 'alice', seeded.groupName);
    const action = await plannedAction(fixture.iam, 'old-admin', 'delete');
    const logStart = fixture.ep.requestLog().length;
    // A client of its own: the adaptive retry's rate limiter learns from throttling and would slow later tests.
    const throttledClients = new AwsClients({ retryTiming: FAST_SDK_RETRY });
    fixture.ep.faults.setThrottleFraction(0.3, 7);
    const started = Date.now();
    const result = await executeAction(action, fixture.context({ clients: throttledClients })).finally(() => {
      fixture.ep.faults.clear();
      throttledClients.destroy();
    });
    console.log(`30% throttling: deletion converged in ${Date.now() - started} ms`);
    // THEN the audit still accounts for every mutating request, the SDK's retried attempts included
    const mutating = fixture.ep
      .requestLog()
      .slice(logStart)
      .filter((e) => e.mutating);
    const audit = readAuditLog(path.join(fixture.workDir, 'audit.log'));
    expect(audit.reduce((n, a) => n + (a.attempts ?? 0), 0)).toBe(mutating.length);
    expect(result.outcome).toBe('deleted');
    expect(await userExists('old-admin')).toBe(false);
    expect(await virtualMfaSerials()).not.toContain(seeded.mfaSerial);
    expectFullBackup(result.backupFile!, seeded);
    await expectKeeperUntouched('alice', keeper, seeded.groupName);
    const throttled = fixture.ep.requestLog().filter((e) => e.errorCode && /Throttl/.test(e.errorCode)).length;
    expect(throttled).toBeGreaterThan(0);
  }, 180_000);
});

describe('quarantine and release', () => {
  async function expectQuarantined(name: string): Promise<void> {
    const policies = await fixture.iam.send(new ListUserPoliciesCommand({ UserName: name }));
    expect(policies.PolicyNames).toContain(QUARANTINE_POLICY_NAME);
    const doc = await fixture.iam.send(new GetUserPolicyCommand({ UserName: name, PolicyName: QUARANTINE_POLICY_NAME }));
    expect(JSON.parse(decodeURIComponent(doc.PolicyDocument!))).toEqual({
      Version: '2012-10-17',
      Statement: [{ Effect: 'Deny', Action: '*', Resource: '*' }],
    });
    const keys = await fixture.iam.send(new ListAccessKeysCommand({ UserName: name }));
    expect(keys.AccessKeyMetadata?.every((k) => k.Status === 'Inactive')).toBe(true);
    await expect(fixture.iam.send(new GetLoginProfileCommand({ UserName: name }))).rejects.toThrow();
    const tags = await fixture.iam.send(new ListUserTagsCommand({ UserName: name }));
    const keysOfTags = (tags.Tags ?? []).map((t) => t.Key);
    expect(keysOfTags).toEqual(expect.arrayContaining([QUARANTINED_AT_TAG, QUARANTINE_REASON_TAG]));
  }

  test('GIVEN a user with an active and an inactive key WHEN quarantined and released THEN access comes back as it was and the password needs a reset', async () => {
    const seeded = await seedFullUser(fixture.iam, 'former-contractor');
    await deactivateKey(fixture.iam, 'former-contractor', seeded.accessKeyIds[1]!);
    const action = await plannedAction(fixture.iam, 'former-contractor', 'quarantine');

    const before = fixture.ep.counters();
    const quarantined = await executeAction(action, fixture.context({ quarantineReason: 'inactive for 200 days (limit 90)' }));
    const used = counterDiff(fixture.ep.counters(), before);
    expect(quarantined.outcome).toBe('quarantined');
    await expectQuarantined('former-contractor');
    // THEN the steps act on the backup read: one UpdateAccessKey for the one Active key, nothing listed again;
    // TagUser twice: the record of the deactivated key, then the quarantine marks
    expect(quarantined.apiCalls).toEqual(used);
    expect(Object.entries(used).filter(([op]) => MUTATING_OPERATION.test(op))).toEqual([
      ['iam:PutUserPolicy', 1],
      ['iam:UpdateAccessKey', 1],
      ['iam:TagUser', 2],
      ['iam:DeleteLoginProfile', 1],
    ]);
    expect(
      (await fixture.iam.send(new ListUserTagsCommand({ UserName: 'former-contractor' }))).Tags?.find((t) => t.Key === DEACTIVATED_KEYS_TAG)
        ?.Value,
    ).toBe(seeded.accessKeyIds[0]);
    for (const step of quarantined.steps) {
      const declared = step.id === 'preflight' ? ['iam:GetUser'] : QUARANTINE_STEPS.find((s) => s.id === step.id)!.permissions;
      for (const op of Object.keys(step.apiCalls)) expect(declared).toContain(op);
    }
    // Measured: 18 (2 GetUser, 11 backup reads, 5 mutations); it was 20 with ListAccessKeys/ListUserTags again.
    expect(quarantined.totalApiCalls).toBeLessThanOrEqual(18);
    console.log(`API calls to quarantine one user with every dependent kind: ${quarantined.totalApiCalls}`);

    // THEN quarantining it again changes nothing and makes no mutating call
    const auditLines = readAuditLog(path.join(fixture.workDir, 'audit.log')).length;
    const requarantined = await executeAction(action, fixture.context({ quarantineReason: 'inactive for 200 days (limit 90)' }));
    expect(requarantined.outcome).toBe('already-done');
    expect(readAuditLog(path.join(fixture.workDir, 'audit.log'))).toHaveLength(auditLines);
    expect(Object.keys(requarantined.apiCalls).filter((op) => MUTATING_OPERATION.test(op))).toEqual([]);
    const reasonTag = (await fixture.iam.send(new ListUserTagsCommand({ UserName: 'former-contractor' }))).Tags?.find(
      (t) => t.Key === QUARANTINE_REASON_TAG,
    );
    expect(reasonTag?.Value).toBe('inactive for 200 days - limit 90');

    const audit = new AuditLog({ path: path.join(fixture.workDir, 'audit.log') });
    const released = await releaseUser(fixture.clients, 'former-contractor', path.join(fixture.workDir, 'backups'), audit, {
      retry: FAST_RETRY,
    });

    expect(released.reactivatedKeys).toEqual([seeded.accessKeyIds[0]]);
    expect(released.passwordNeedsReset).toBe(true);
    expect(released.notes.join('\n')).toMatch(/reset/);
    const policies = await fixture.iam.send(new ListUserPoliciesCommand({ UserName: 'former-contractor' }));
    expect(policies.PolicyNames).toEqual(['legacy-s3']);
    const keys = await fixture.iam.send(new ListAccessKeysCommand({ UserName: 'former-contractor' }));
    expect(keys.AccessKeyMetadata?.map((k) => [k.AccessKeyId, k.Status]).sort()).toEqual(
      [
        [seeded.accessKeyIds[0], 'Active'],
        [seeded.accessKeyIds[1], 'Inactive'],
      ].sort(),
    );
    const tags = await fixture.iam.send(new ListUserTagsCommand({ UserName: 'former-contractor' }));
    expect((tags.Tags ?? []).map((t) => t.Key).sort()).toEqual(['cost-center', 'team']);
    await expect(fixture.iam.send(new GetLoginProfileCommand({ UserName: 'former-contractor' }))).rejects.toThrow();

    // THEN a second release changes nothing
    const again = await releaseUser(fixture.clients, 'former-contractor', path.join(fixture.workDir, 'backups'), audit, {
      retry: FAST_RETRY,
    });
    expect(again.reactivatedKeys).toEqual([]);
  });

  test.each(QUARANTINE_STEPS.map((s) => s.id))(
    'GIVEN a crash right after quarantine step %s WHEN run again THEN it converges and release still restores the keys',
    async (stepId) => {
      const seeded = await seedFullUser(fixture.iam, 'former-contractor');
      const action = await plannedAction(fixture.iam, 'former-contractor', 'quarantine');
      const crash = await executeAction(action, fixture.context({ crashAfterStep: stepId })).catch((e: unknown) => e);
      expect(crash).toBeInstanceOf(SimulatedCrashError);
      await executeAction(action, fixture.context());
      await expectQuarantined('former-contractor');
      expect(listBackups(path.join(fixture.workDir, 'backups'), ACCOUNT, 'former-contractor', seeded.userId)).toHaveLength(1);

      const released = await releaseUser(
        fixture.clients,
        'former-contractor',
        path.join(fixture.workDir, 'backups'),
        new AuditLog({ path: path.join(fixture.workDir, 'audit.log') }),
        { retry: FAST_RETRY },
      );
      expect([...released.reactivatedKeys].sort()).toEqual([...seeded.accessKeyIds].sort());
    },
  );
});

describe('restore', () => {
  test('GIVEN a deleted user with every dependent kind WHEN restored from its backup THEN what it says came back did, and the rest is listed as lost', async () => {
    const seeded = await seedFullUser(fixture.iam, 'old-admin');
    const action = await plannedAction(fixture.iam, 'old-admin', 'delete');
    const deleted = await executeAction(action, fixture.context());
    const audit = new AuditLog({ path: path.join(fixture.workDir, 'audit.log') });

    const restored = await restoreUser(fixture.clients, deleted.backupFile!, audit, { retry: FAST_RETRY });

    expect(restored.newUserId).toBeTruthy();
    expect(restored.newUserId).not.toBe(seeded.userId);
    const got = await fixture.iam.send(new GetUserCommand({ UserName: 'old-admin' }));
    expect(got.User?.UserId).toBe(restored.newUserId);
    expect(got.User?.Path).toBe('/legacy/');
    expect(got.User?.PermissionsBoundary?.PermissionsBoundaryArn).toBe(seeded.boundaryArn);
    const tags = await fixture.iam.send(new ListUserTagsCommand({ UserName: 'old-admin' }));
    expect(Object.fromEntries((tags.Tags ?? []).map((t) => [t.Key, t.Value]))).toEqual({
      team: 'legacy',
      'cost-center': '42',
      [RESTORED_FROM_TAG]: seeded.userId,
    });
    const groups = await fixture.iam.send(new ListGroupsForUserCommand({ UserName: 'old-admin' }));
    expect(groups.Groups?.map((g) => g.GroupName)).toEqual([seeded.groupName]);
    const inline = await fixture.iam.send(new GetUserPolicyCommand({ UserName: 'old-admin', PolicyName: 'legacy-s3' }));
    expect(JSON.parse(decodeURIComponent(inline.PolicyDocument!))).toEqual(JSON.parse(INLINE_DOCUMENT));
    const attached = await fixture.iam.send(new ListAttachedUserPoliciesCommand({ UserName: 'old-admin' }));
    expect(attached.AttachedPolicies?.map((p) => p.PolicyArn)).toEqual([seeded.managedArn]);
    const ssh = await fixture.iam.send(new ListSSHPublicKeysCommand({ UserName: 'old-admin' }));
    expect(ssh.SSHPublicKeys).toHaveLength(1);
    const sshBody = await fixture.iam.send(
      new GetSSHPublicKeyCommand({ UserName: 'old-admin', SSHPublicKeyId: ssh.SSHPublicKeys![0]!.SSHPublicKeyId!, Encoding: 'SSH' }),
    );
    expect(sshBody.SSHPublicKey?.SSHPublicKeyBody).toBe(seeded.sshBody);
    const certs = await fixture.iam.send(new ListSigningCertificatesCommand({ UserName: 'old-admin' }));
    expect(certs.Certificates?.map((c) => c.CertificateBody?.trim())).toEqual([seeded.certBody.trim()]);
    expect((await fixture.iam.send(new ListAccessKeysCommand({ UserName: 'old-admin' }))).AccessKeyMetadata).toEqual([]);

    const lost = restored.cannotRestore.join('\n');
    for (const id of seeded.accessKeyIds) expect(lost).toContain(id);
    expect(lost).toMatch(/console password/);
    expect(lost).toContain(seeded.mfaSerial);
    expect(lost).toContain(`old UserId ${seeded.userId}`);
    expect(restored.restored).toHaveLength(1 + 1 + 1 + 1 + 1 + 1 + 1);

    // THEN a re-run (crash recovery) continues with the user it created and duplicates nothing
    const again = await restoreUser(fixture.clients, deleted.backupFile!, audit, { retry: FAST_RETRY });
    expect(again.newUserId).toBe(restored.newUserId);
    expect((await fixture.iam.send(new ListSSHPublicKeysCommand({ UserName: 'old-admin' }))).SSHPublicKeys).toHaveLength(1);
    expect((await fixture.iam.send(new ListSigningCertificatesCommand({ UserName: 'old-admin' }))).Certificates).toHaveLength(1);
  });

  test('GIVEN someone else created a user of that name WHEN restoring THEN it is refused and that user is left alone', async () => {
    await seedFullUser(fixture.iam, 'old-admin');
    const deleted = await executeAction(await plannedAction(fixture.iam, 'old-admin', 'delete'), fixture.context());
    const stranger = await fixture.iam.send(new CreateUserCommand({ UserName: 'old-admin' }));
    const audit = new AuditLog({ path: path.join(fixture.workDir, 'restore-audit.log') });
    await expect(restoreUser(fixture.clients, deleted.backupFile!, audit, { retry: FAST_RETRY })).rejects.toBeInstanceOf(RefusedError);
    const got = await fixture.iam.send(new GetUserCommand({ UserName: 'old-admin' }));
    expect(got.User?.UserId).toBe(stranger.User?.UserId);
    expect((await fixture.iam.send(new ListUserPoliciesCommand({ UserName: 'old-admin' }))).PolicyNames).toEqual([]);
    expect(readAuditLog(path.join(fixture.workDir, 'restore-audit.log'))).toEqual([]);
  });
});
