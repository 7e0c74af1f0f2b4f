import * as crypto from 'crypto';
import * as fs from 'fs';
import * as path from 'path';
import {
  CreateAccessKeyCommand,
  CreateServiceSpecificCredentialCommand,
  CreateUserCommand,
  GetUserCommand,
  ListAttachedUserPoliciesCommand,
  ListGroupsForUserCommand,
  ListSigningCertificatesCommand,
  ListSSHPublicKeysCommand,
  ListUserPoliciesCommand,
  TagUserCommand,
} from '@aws-sdk/client-iam';
import { AwsError, RefusedError } from '../../src/errors';
import { readAuditLog } from '../../src/executor/audit';
import { findSecrets, listBackups, readBackup } from '../../src/executor/backup';
import { DEACTIVATED_KEYS_TAG } from '../../src/executor/deactivated-keys';
import { executeAction } from '../../src/executor/executor';
import { releaseUser } from '../../src/executor/release';
import { restoreUser } from '../../src/executor/restore';
import { SimulatedCrashError } from '../../src/executor/run-steps';
import { DELETE_STEPS } from '../../src/executor/delete-steps';
import { RESTORED_FROM_TAG } from '../../src/executor/restore-steps';
import {
  ACCOUNT,
  counterDiff,
  deactivateKey,
  FAST_RETRY,
  INLINE_DOCUMENT,
  keyStatuses,
  mutations,
  plannedAction,
  seedFullUser,
  tagsOf,
  useExecutorEndpoint,
} from './helpers';

const DAY_MS = 24 * 60 * 60 * 1000;

const fixture = useExecutorEndpoint('executor-fixes-');

/** A 40-character base64 string with upper case, lower case and a digit: the shape of a secret access key. */
function secretShaped(): string {
  const body = crypto.randomBytes(30).toString('base64').slice(0, 37);
  return `Aa1${body}`;
}

describe('restore into the backed-up user itself (a deletion that stopped part-way)', () => {
  test('GIVEN DeleteUser was refused after every dependent was stripped WHEN restored THEN everything restorable comes back into the same UserId and a re-run changes nothing', async () => {
    // GIVEN a deletion whose DeleteUser is refused after all removal steps ran
    const seeded = await seedFullUser(fixture.iam, 'old-admin');
    const action = await plannedAction(fixture.iam, 'old-admin', 'delete');
    fixture.ep.faults.failAlways('iam:DeleteUser', 'AccessDenied');
    const err = await executeAction(action, fixture.context()).catch((e: unknown) => e);
    fixture.ep.faults.clear();
    expect(err).toBeInstanceOf(AwsError);
    expect((await fixture.iam.send(new GetUserCommand({ UserName: 'old-admin' }))).User?.UserId).toBe(seeded.userId);
    expect((await fixture.iam.send(new ListGroupsForUserCommand({ UserName: 'old-admin' }))).Groups).toEqual([]);
    const [backupFile] = listBackups(path.join(fixture.workDir, 'backups'), ACCOUNT, 'old-admin', seeded.userId);
    const before = fixture.ep.counters();

    // WHEN the team declares it again and restores from the backup
    const restored = await restoreUser(fixture.clients, backupFile!, fixture.audit(), { retry: FAST_RETRY });

    // THEN it was restored into the existing user: same UserId, nothing created
    expect(restored.mode).toBe('into-existing');
    expect(restored.newUserId).toBe(seeded.userId);
    const got = await fixture.iam.send(new GetUserCommand({ UserName: 'old-admin' }));
    expect(got.User?.UserId).toBe(seeded.userId);
    expect(got.User?.PermissionsBoundary?.PermissionsBoundaryArn).toBe(seeded.boundaryArn);
    expect((await fixture.iam.send(new ListGroupsForUserCommand({ UserName: 'old-admin' }))).Groups?.map((g) => g.GroupName)).toEqual([
      seeded.groupName,
    ]);
    expect((await fixture.iam.send(new ListUserPoliciesCommand({ UserName: 'old-admin' }))).PolicyNames).toEqual(['legacy-s3']);
    expect(
      (await fixture.iam.send(new ListAttachedUserPoliciesCommand({ UserName: 'old-admin' }))).AttachedPolicies?.map((p) => p.PolicyArn),
    ).toEqual([seeded.managedArn]);
    expect((await fixture.iam.send(new ListSSHPublicKeysCommand({ UserName: 'old-admin' }))).SSHPublicKeys).toHaveLength(1);
    expect(
      (await fixture.iam.send(new ListSigningCertificatesCommand({ UserName: 'old-admin' }))).Certificates?.map((c) =>
        c.CertificateBody?.trim(),
      ),
    ).toEqual([seeded.certBody.trim()]);
    // THEN tags and the boundary were never removed (a deletion leaves the boundary to DeleteUser), so
    // neither is written, and the user is not marked as a recreation
    expect(await tagsOf(fixture.iam, 'old-admin')).toEqual({ team: 'legacy', 'cost-center': '42' });
    expect(mutations(counterDiff(fixture.ep.counters(), before))).toEqual({
      'iam:AddUserToGroup': 1,
      'iam:PutUserPolicy': 1,
      'iam:AttachUserPolicy': 1,
      'iam:UploadSSHPublicKey': 1,
      'iam:UploadSigningCertificate': 1,
    });
    // THEN credentials are listed as lost, but the UserId is not: policies naming it still apply
    const lost = restored.cannotRestore.join('\n');
    for (const id of seeded.accessKeyIds) expect(lost).toContain(id);
    expect(lost).toMatch(/console password/);
    expect(lost).toContain(seeded.mfaSerial);
    expect(lost).not.toMatch(/old UserId/);
    expect(restored.notes.join('\n')).toMatch(/backed-up UserId/);

    // THEN a re-run finds nothing missing and makes no mutating call
    const beforeAgain = fixture.ep.counters();
    const again = await restoreUser(fixture.clients, backupFile!, fixture.audit(), { retry: FAST_RETRY });
    expect(again.mode).toBe('into-existing');
    expect(again.restored).toEqual([]);
    expect(mutations(counterDiff(fixture.ep.counters(), beforeAgain))).toEqual({});
  });

  test('GIVEN a deletion that crashed after removing the certificates WHEN restored THEN only the certificate is put back: nothing still there is duplicated', async () => {
    const seeded = await seedFullUser(fixture.iam, 'old-admin');
    const action = await plannedAction(fixture.iam, 'old-admin', 'delete');
    const crash = await executeAction(action, fixture.context({ crashAfterStep: 'delete-signing-certificates' })).catch((e: unknown) => e);
    expect(crash).toBeInstanceOf(SimulatedCrashError);
    const [backupFile] = listBackups(path.join(fixture.workDir, 'backups'), ACCOUNT, 'old-admin', seeded.userId);
    const before = fixture.ep.counters();

    const restored = await restoreUser(fixture.clients, backupFile!, fixture.audit(), { retry: FAST_RETRY });

    expect(restored.mode).toBe('into-existing');
    expect(mutations(counterDiff(fixture.ep.counters(), before))).toEqual({ 'iam:UploadSigningCertificate': 1 });
    expect(restored.restored).toEqual([expect.stringMatching(/^signing certificate /)]);
    expect((await fixture.iam.send(new ListSSHPublicKeysCommand({ UserName: 'old-admin' }))).SSHPublicKeys).toHaveLength(1);
    expect((await fixture.iam.send(new ListSigningCertificatesCommand({ UserName: 'old-admin' }))).Certificates).toHaveLength(1);
    expect((await fixture.iam.send(new ListUserPoliciesCommand({ UserName: 'old-admin' }))).PolicyNames).toEqual(['legacy-s3']);
    // THEN the service-specific credential still exists, so it is not listed as lost
    const lost = restored.cannotRestore.join('\n');
    expect(lost).not.toMatch(/service-specific credential/);
    expect(lost).toMatch(/console password/);
  });

  test('GIVEN a same-name user with another UserId that no restore created WHEN restoring THEN it is refused and left alone', async () => {
    await seedFullUser(fixture.iam, 'old-admin');
    const deleted = await executeAction(await plannedAction(fixture.iam, 'old-admin', 'delete'), fixture.context());
    const stranger = await fixture.iam.send(
      new CreateUserCommand({ UserName: 'old-admin', Tags: [{ Key: RESTORED_FROM_TAG, Value: 'AIDASOMEBODYELSE0001' }] }),
    );
    const err = await restoreUser(fixture.clients, deleted.backupFile!, fixture.audit(), { retry: FAST_RETRY }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(RefusedError);
    expect((err as RefusedError).reasons).toEqual(['user-exists']);
    expect((await fixture.iam.send(new GetUserCommand({ UserName: 'old-admin' }))).User?.UserId).toBe(stranger.User?.UserId);
    expect((await fixture.iam.send(new ListUserPoliciesCommand({ UserName: 'old-admin' }))).PolicyNames).toEqual([]);
  });

  test('GIVEN a user deleted for good WHEN restored THEN the result says it was recreated', async () => {
    await seedFullUser(fixture.iam, 'old-admin');
    const deleted = await executeAction(await plannedAction(fixture.iam, 'old-admin', 'delete'), fixture.context());
    const restored = await restoreUser(fixture.clients, deleted.backupFile!, fixture.audit(), { retry: FAST_RETRY });
    expect(restored.mode).toBe('recreated');
    const again = await restoreUser(fixture.clients, deleted.backupFile!, fixture.audit(), { retry: FAST_RETRY });
    expect(again.mode).toBe('continued');
    expect(again.newUserId).toBe(restored.newUserId);
    expect(again.restored).toEqual([]);
  });
});

describe('release', () => {
  test('GIVEN a quarantined user WHEN released under a differently-cased name THEN the backup is found under the exact name and the keys come back', async () => {
    const seeded = await seedFullUser(fixture.iam, 'former-contractor');
    await executeAction(await plannedAction(fixture.iam, 'former-contractor', 'quarantine'), fixture.context());

    const released = await releaseUser(fixture.clients, 'Former-Contractor', path.join(fixture.workDir, 'backups'), fixture.audit(), {
      retry: FAST_RETRY,
    });

    expect(released.userName).toBe('former-contractor');
    expect(released.userId).toBe(seeded.userId);
    expect(path.basename(released.backupFile)).toMatch(/^111122223333-former-contractor-/);
    expect([...released.reactivatedKeys].sort()).toEqual([...seeded.accessKeyIds].sort());
    expect(Object.values(await keyStatuses(fixture.iam, 'former-contractor'))).toEqual(['Active', 'Active']);
    const releaseLines = readAuditLog(path.join(fixture.workDir, 'audit.log')).filter((a) =>
      ['remove-deny-policy', 'reactivate-access-keys', 'untag-quarantined'].includes(a.step),
    );
    expect(releaseLines.length).toBeGreaterThan(0);
    expect(releaseLines.every((a) => a.user === 'former-contractor')).toBe(true);
  });

  test('GIVEN a key someone disabled by hand before a quarantine re-run WHEN released THEN only the key quarantine deactivated comes back', async () => {
    // GIVEN a quarantine that crashed after its backup (both keys Active) and deny policy
    const seeded = await seedFullUser(fixture.iam, 'former-contractor');
    const [keyA, keyB] = seeded.accessKeyIds as [string, string];
    const action = await plannedAction(fixture.iam, 'former-contractor', 'quarantine');
    const crash = await executeAction(action, fixture.context({ crashAfterStep: 'put-deny-policy' })).catch((e: unknown) => e);
    expect(crash).toBeInstanceOf(SimulatedCrashError);
    // GIVEN a person deliberately disables key B, then the quarantine is run again
    await deactivateKey(fixture.iam, 'former-contractor', keyB);
    await executeAction(action, fixture.context());
    const backups = listBackups(path.join(fixture.workDir, 'backups'), ACCOUNT, 'former-contractor', seeded.userId);
    expect(backups).toHaveLength(1);
    expect(readBackup(backups[0]!).user.accessKeys.map((k) => k.status)).toEqual(['Active', 'Active']);
    // THEN the quarantine recorded only the key it deactivated itself
    expect((await tagsOf(fixture.iam, 'former-contractor'))[DEACTIVATED_KEYS_TAG]).toBe(keyA);

    // WHEN released
    const released = await releaseUser(fixture.clients, 'former-contractor', path.join(fixture.workDir, 'backups'), fixture.audit(), {
      retry: FAST_RETRY,
    });

    // THEN key A is Active again, key B stays Inactive and is named for the operator
    expect(released.reactivatedKeys).toEqual([keyA]);
    expect(await keyStatuses(fixture.iam, 'former-contractor')).toEqual({ [keyA]: 'Active', [keyB]: 'Inactive' });
    expect(released.notes.find((n) => n.includes(keyB))).toMatch(/by hand/);
    // THEN the quarantine marks, the record included, are gone
    expect(Object.keys(await tagsOf(fixture.iam, 'former-contractor')).sort()).toEqual(['cost-center', 'team']);
  });

  test('GIVEN the record of deactivated keys was lost (TagUser failed right after the deactivation) WHEN released THEN no key is re-activated and both are named', async () => {
    const seeded = await seedFullUser(fixture.iam, 'former-contractor');
    const action = await plannedAction(fixture.iam, 'former-contractor', 'quarantine');
    fixture.ep.faults.failNth('iam:TagUser', 1, 'AccessDenied');
    const err = await executeAction(action, fixture.context()).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(AwsError);
    expect(Object.values(await keyStatuses(fixture.iam, 'former-contractor'))).toEqual(['Inactive', 'Inactive']);
    // the re-run converges; it cannot tell its own deactivations from a person's, so it records none
    const again = await executeAction(action, fixture.context());
    expect(again.outcome).toBe('quarantined');
    expect((await tagsOf(fixture.iam, 'former-contractor'))[DEACTIVATED_KEYS_TAG]).toBeUndefined();

    const released = await releaseUser(fixture.clients, 'former-contractor', path.join(fixture.workDir, 'backups'), fixture.audit(), {
      retry: FAST_RETRY,
    });

    expect(released.reactivatedKeys).toEqual([]);
    expect(Object.values(await keyStatuses(fixture.iam, 'former-contractor'))).toEqual(['Inactive', 'Inactive']);
    for (const id of seeded.accessKeyIds) expect(released.notes.join('\n')).toContain(id);
  });
});

describe('live key activity before a deletion (recentlyActiveDays)', () => {
  async function userWithKeys(name: string): Promise<{ active: string; inactive: string }> {
    await fixture.iam.send(new CreateUserCommand({ UserName: name }));
    const active = (await fixture.iam.send(new CreateAccessKeyCommand({ UserName: name }))).AccessKey!.AccessKeyId!;
    const inactive = (await fixture.iam.send(new CreateAccessKeyCommand({ UserName: name }))).AccessKey!.AccessKeyId!;
    await deactivateKey(fixture.iam, name, inactive);
    return { active, inactive };
  }
  /** Whole seconds: the wire format carries no milliseconds. */
  const secondsAgo = (ms: number) => new Date(Math.floor((Date.now() - ms) / 1000) * 1000);

  test('GIVEN an Active key used 1 hour ago WHEN deleted with recentlyActiveDays 7 THEN refused before any change, with one GetAccessKeyLastUsed per Active key', async () => {
    const keys = await userWithKeys('temp-deploy-user');
    const usedAt = secondsAgo(60 * 60 * 1000);
    fixture.ep.state.iam.setAccessKeyLastUsed(keys.active, { date: usedAt, serviceName: 's3', region: 'us-east-1' });
    // the Inactive key was used recently too, but cannot be used now: it is not asked about
    fixture.ep.state.iam.setAccessKeyLastUsed(keys.inactive, { date: usedAt, serviceName: 's3', region: 'us-east-1' });
    const action = await plannedAction(fixture.iam, 'temp-deploy-user', 'delete');
    const before = fixture.ep.counters();

    const err = await executeAction(action, fixture.context({ recentlyActiveDays: 7 })).catch((e: unknown) => e);

    expect(err).toBeInstanceOf(RefusedError);
    expect((err as RefusedError).reasons).toEqual([`recently active: key ${keys.active} used ${usedAt.toISOString()}`]);
    const used = counterDiff(fixture.ep.counters(), before);
    expect(used['iam:GetAccessKeyLastUsed']).toBe(1);
    expect(mutations(used)).toEqual({});
    expect(readAuditLog(path.join(fixture.workDir, 'audit.log'))).toEqual([]);
    expect(Object.keys(await keyStatuses(fixture.iam, 'temp-deploy-user')).sort()).toEqual([keys.active, keys.inactive].sort());
  });

  test('GIVEN an Active key used 30 days ago WHEN deleted with recentlyActiveDays 7 THEN it proceeds and the check is counted in its step', async () => {
    const keys = await userWithKeys('temp-deploy-user');
    fixture.ep.state.iam.setAccessKeyLastUsed(keys.active, { date: secondsAgo(30 * DAY_MS), serviceName: 's3', region: 'us-east-1' });
    const action = await plannedAction(fixture.iam, 'temp-deploy-user', 'delete');

    const result = await executeAction(action, fixture.context({ recentlyActiveDays: 7 }));

    expect(result.outcome).toBe('deleted');
    const check = result.steps.find((s) => s.id === 'check-recent-key-use')!;
    expect(check.apiCalls).toEqual({ 'iam:GetAccessKeyLastUsed': 1 });
    expect(check.outcome).toBe('already-done');
    expect(result.apiCalls['iam:GetAccessKeyLastUsed']).toBe(1);
    for (const op of Object.keys(check.apiCalls)) expect(DELETE_STEPS.find((s) => s.id === check.id)!.permissions).toContain(op);
  });

  /** Creates an Active key for `name` once the first access-key removal is done: after the backup read and the recent-use check. */
  function keyAddedAfterTheCheck(name: string, usedAgoMs: number | null) {
    let added = '';
    const onStep = async (event: { readonly stepId: string; readonly phase: string }): Promise<void> => {
      if (added !== '' || event.stepId !== 'delete-access-keys' || event.phase !== 'done') return;
      added = (await fixture.iam.send(new CreateAccessKeyCommand({ UserName: name }))).AccessKey!.AccessKeyId!;
      if (usedAgoMs !== null)
        fixture.ep.state.iam.setAccessKeyLastUsed(added, { date: secondsAgo(usedAgoMs), serviceName: 's3', region: 'us-east-1' });
    };
    return { onStep, added: () => added };
  }

  test('GIVEN an Active key created after the recent-use check and used since WHEN DeleteUser meets the conflict THEN the sweep asks about that key and refuses, the key kept and backed up', async () => {
    const keys = await userWithKeys('temp-deploy-user');
    fixture.ep.state.iam.setAccessKeyLastUsed(keys.active, { date: secondsAgo(30 * DAY_MS), serviceName: 's3', region: 'us-east-1' });
    const race = keyAddedAfterTheCheck('temp-deploy-user', 60 * 60 * 1000);
    const action = await plannedAction(fixture.iam, 'temp-deploy-user', 'delete');

    const err = await executeAction(action, fixture.context({ recentlyActiveDays: 7, onStep: race.onStep })).catch((e: unknown) => e);

    expect(err).toBeInstanceOf(RefusedError);
    expect((err as RefusedError).reasons).toEqual([expect.stringContaining(`recently active: key ${race.added()} used`)]);
    expect((err as Error).message).not.toContain('Nothing was changed');
    // THEN the added key is still there, and the newest backup holds it
    expect(Object.keys(await keyStatuses(fixture.iam, 'temp-deploy-user'))).toEqual([race.added()]);
    const backups = listBackups(path.join(fixture.workDir, 'backups'), ACCOUNT, 'temp-deploy-user', action.userId);
    expect(readBackup(backups[backups.length - 1]!).user.accessKeys.map((k) => k.accessKeyId)).toContain(race.added());
  });

  test('GIVEN an Active key created after the recent-use check and never used WHEN DeleteUser meets the conflict THEN the sweep asks about it once and deletes the user', async () => {
    const keys = await userWithKeys('temp-deploy-user');
    fixture.ep.state.iam.setAccessKeyLastUsed(keys.active, { date: secondsAgo(30 * DAY_MS), serviceName: 's3', region: 'us-east-1' });
    const race = keyAddedAfterTheCheck('temp-deploy-user', null);
    const action = await plannedAction(fixture.iam, 'temp-deploy-user', 'delete');

    const result = await executeAction(action, fixture.context({ recentlyActiveDays: 7, onStep: race.onStep }));

    expect(result.outcome).toBe('deleted');
    const sweep = result.steps.find((s) => s.id === 'delete-user')!;
    // THEN only the key the first check had not seen is asked about again
    expect(sweep.apiCalls['iam:GetAccessKeyLastUsed']).toBe(1);
    expect(result.apiCalls['iam:GetAccessKeyLastUsed']).toBe(2);
    for (const op of Object.keys(sweep.apiCalls)) expect(DELETE_STEPS.find((s) => s.id === 'delete-user')!.permissions).toContain(op);
  });

  test('GIVEN a key used 1 hour ago WHEN deleted without recentlyActiveDays THEN no live check is made', async () => {
    const keys = await userWithKeys('temp-deploy-user');
    fixture.ep.state.iam.setAccessKeyLastUsed(keys.active, { date: secondsAgo(60 * 60 * 1000), serviceName: 's3', region: 'us-east-1' });
    const result = await executeAction(await plannedAction(fixture.iam, 'temp-deploy-user', 'delete'), fixture.context());
    expect(result.outcome).toBe('deleted');
    expect(result.apiCalls['iam:GetAccessKeyLastUsed']).toBeUndefined();
  });

  test('GIVEN a negative recentlyActiveDays WHEN deleting THEN a usage error and nothing is called', async () => {
    await userWithKeys('temp-deploy-user');
    const action = await plannedAction(fixture.iam, 'temp-deploy-user', 'delete');
    const before = fixture.ep.counters();
    await expect(executeAction(action, fixture.context({ recentlyActiveDays: -1 }))).rejects.toThrow(/recentlyActiveDays/);
    expect(counterDiff(fixture.ep.counters(), before)).toEqual({});
  });
});

describe('secret detection in backups', () => {
  test('GIVEN a tag value shaped like a secret access key WHEN the user is deleted THEN the backup is written with it and the user is gone', async () => {
    const value = secretShaped();
    await fixture.iam.send(new CreateUserCommand({ UserName: 'temp-deploy-user' }));
    await fixture.iam.send(new TagUserCommand({ UserName: 'temp-deploy-user', Tags: [{ Key: 'artifact-digest', Value: value }] }));

    const result = await executeAction(await plannedAction(fixture.iam, 'temp-deploy-user', 'delete'), fixture.context());

    expect(result.outcome).toBe('deleted');
    expect(readBackup(result.backupFile!).user.tags).toEqual([{ key: 'artifact-digest', value }]);
  });

  test('GIVEN a real access key and service password from the SDK WHEN a user with every dependent is backed up THEN neither appears, and the detector still finds them where a bug would put them', async () => {
    // GIVEN a user whose two access keys, password and service-specific credential were created with the SDK
    const seeded = await seedFullUser(fixture.iam, 'old-admin');
    expect(seeded.secrets).toHaveLength(4);
    const secrets = seeded.secrets;
    // GIVEN the SDK's own answers carrying a secret (another user: a user has at most two keys)
    await fixture.iam.send(new CreateUserCommand({ UserName: 'key-holder' }));
    const created = await fixture.iam.send(new CreateAccessKeyCommand({ UserName: 'key-holder' }));
    const ssc = await fixture.iam.send(
      new CreateServiceSpecificCredentialCommand({ UserName: 'key-holder', ServiceName: 'codecommit.amazonaws.com' }),
    );

    const result = await executeAction(await plannedAction(fixture.iam, 'old-admin', 'quarantine'), fixture.context());

    const text = fs.readFileSync(result.backupFile!, 'utf8');
    for (const secret of secrets) expect(text.includes(secret)).toBe(false);
    const backup = readBackup(result.backupFile!);
    expect(findSecrets(backup)).toEqual([]);
    expect(backup.user.inlinePolicies.map((p) => p.document)).toEqual([INLINE_DOCUMENT]);
    // THEN the SDK's own answers are caught by field name, and a secret in an id field by its shape
    expect(findSecrets({ accessKey: created.AccessKey })).toEqual(['$.accessKey.SecretAccessKey']);
    expect(findSecrets({ credential: ssc.ServiceSpecificCredential })).toEqual(['$.credential.ServicePassword']);
    const leaked = {
      ...backup,
      user: { ...backup.user, accessKeys: [{ accessKeyId: created.AccessKey!.SecretAccessKey!, status: 'Active', createDate: null }] },
    };
    expect(findSecrets(leaked)).toEqual(['$.user.accessKeys[0].accessKeyId']);
  });
});
