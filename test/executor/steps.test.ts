import { DELETE_STEPS } from '../../src/executor/delete-steps';
import { leastPrivilegePolicy, READ_PERMISSIONS, requiredPermissions } from '../../src/executor/permissions';
import { QUARANTINE_STEPS } from '../../src/executor/quarantine-steps';
import { RELEASE_STEPS } from '../../src/executor/release-steps';
import { RESTORE_STEPS } from '../../src/executor/restore-steps';
import { DELETE_BLOCKERS } from '../../src/executor/dependents';

const ACTION_SHAPE = /^(iam|sts|kms|account):[A-Z][A-Za-z0-9]+$/;
const MUTATING = /^(iam|kms):(Create|Delete|Put|Update|Upload|Attach|Detach|Add|Remove|Tag|Untag|Deactivate|Enable|Reset|Change|Set)/;

describe('deletion step table', () => {
  test('GIVEN the table WHEN read in order THEN it lists, re-checks and backs up before removing every dependent, and DeleteUser is last', () => {
    expect(DELETE_STEPS.map((s) => s.id)).toEqual([
      'list-credentials',
      'recheck',
      'backup',
      'check-recent-key-use',
      'delete-login-profile',
      'delete-access-keys',
      'remove-mfa-devices',
      'delete-signing-certificates',
      'delete-ssh-public-keys',
      'delete-service-specific-credentials',
      'delete-inline-policies',
      'detach-managed-policies',
      'remove-from-groups',
      'delete-user',
    ]);
  });

  test('GIVEN the table WHEN looking at the steps before the re-check and the backup THEN none of them mutates', () => {
    const firstChange = DELETE_STEPS.findIndex((s) => s.permissions.some((p) => MUTATING.test(p)));
    expect(DELETE_STEPS.slice(0, firstChange).map((s) => s.id)).toEqual(['list-credentials', 'recheck', 'backup', 'check-recent-key-use']);
    for (const step of DELETE_STEPS.slice(0, firstChange)) expect(step.permissions.filter((p) => MUTATING.test(p))).toEqual([]);
  });

  test('GIVEN the recheck step WHEN its permissions are read THEN it may only read the user and its access keys again (reads older than the re-check scan)', () => {
    expect(DELETE_STEPS.find((s) => s.id === 'recheck')?.permissions).toEqual(['iam:GetUser', 'iam:ListAccessKeys']);
    expect(QUARANTINE_STEPS[0]?.id).toBe('recheck');
  });

  test.each(
    [...DELETE_STEPS, ...QUARANTINE_STEPS, ...RELEASE_STEPS, ...RESTORE_STEPS]
      .filter((s) => s.id !== 'recheck')
      .map((s) => [s.id, s] as const),
  )(
    'GIVEN step %s WHEN its permissions are listed THEN there is at least one and each is service:Action without wildcards',
    (_id, step) => {
      expect(step.permissions.length).toBeGreaterThan(0);
      for (const p of step.permissions) expect(p).toMatch(ACTION_SHAPE);
      expect(step.description.length).toBeGreaterThan(5);
    },
  );

  test('GIVEN the tables WHEN ids are compared THEN they are unique within each table', () => {
    for (const table of [DELETE_STEPS, QUARANTINE_STEPS, RELEASE_STEPS, RESTORE_STEPS]) {
      const ids = table.map((s) => s.id);
      expect(new Set(ids).size).toBe(ids.length);
    }
  });

  test('GIVEN the MFA step WHEN its permissions are read THEN it deactivates and deletes virtual devices', () => {
    const mfa = DELETE_STEPS.find((s) => s.id === 'remove-mfa-devices');
    expect(mfa?.permissions).toEqual(['iam:DeactivateMFADevice', 'iam:DeleteVirtualMFADevice']);
  });

  test('GIVEN the removal steps WHEN their permissions are read THEN they only mutate: the backup read is what they act on', () => {
    const removalSteps = DELETE_STEPS.filter((s) => DELETE_BLOCKERS.some((b) => b.stepId === s.id));
    expect(removalSteps.map((s) => s.id)).toEqual(DELETE_BLOCKERS.map((b) => b.stepId));
    for (const step of removalSteps) expect(step.permissions.every((p) => MUTATING.test(p))).toBe(true);
  });

  test('GIVEN the delete-user step WHEN its permissions are read THEN it may re-read the user, ask how added keys were used and remove every blocker (the DeleteConflict fallback)', () => {
    const deleteUser = DELETE_STEPS.find((s) => s.id === 'delete-user');
    // Spelled out, not recomputed from READ_USER_PERMISSIONS and DELETE_BLOCKERS: dropping one there must fail here.
    const reRead = [
      'iam:GetLoginProfile',
      'iam:GetSSHPublicKey',
      'iam:GetUser',
      'iam:GetUserPolicy',
      'iam:ListAccessKeys',
      'iam:ListAttachedUserPolicies',
      'iam:ListGroupsForUser',
      'iam:ListMFADevices',
      'iam:ListSSHPublicKeys',
      'iam:ListServiceSpecificCredentials',
      'iam:ListSigningCertificates',
      'iam:ListUserPolicies',
      'iam:ListUserTags',
    ];
    const removeEveryBlocker = [
      'iam:DeactivateMFADevice',
      'iam:DeleteAccessKey',
      'iam:DeleteLoginProfile',
      'iam:DeleteSSHPublicKey',
      'iam:DeleteServiceSpecificCredential',
      'iam:DeleteSigningCertificate',
      'iam:DeleteUserPolicy',
      'iam:DeleteVirtualMFADevice',
      'iam:DetachUserPolicy',
      'iam:RemoveUserFromGroup',
    ];
    // The recent use of a key found by the re-read is asked before it is removed.
    const checkAddedKeys = ['iam:GetAccessKeyLastUsed'];
    expect(deleteUser?.permissions).toEqual(['iam:DeleteUser', ...reRead, ...checkAddedKeys, ...removeEveryBlocker].sort());
  });

  test('GIVEN the recent-use check WHEN its permissions are read THEN it only reads key last use, and comes right after the backup', () => {
    const check = DELETE_STEPS.find((s) => s.id === 'check-recent-key-use');
    expect(check?.permissions).toEqual(['iam:GetAccessKeyLastUsed']);
    expect(DELETE_STEPS.indexOf(check!)).toBe(DELETE_STEPS.findIndex((s) => s.id === 'backup') + 1);
    expect(requiredPermissions('delete')).toContain('iam:GetAccessKeyLastUsed');
  });
});

describe('quarantine step table', () => {
  test('GIVEN the table WHEN read in order THEN re-check, backup, live key-use check, deny policy, keys, password, tag', () => {
    expect(QUARANTINE_STEPS.map((s) => s.id)).toEqual([
      'recheck',
      'backup',
      'check-recent-key-use',
      'put-deny-policy',
      'deactivate-access-keys',
      'delete-login-profile',
      'tag-quarantined',
    ]);
  });

  test('GIVEN the table WHEN permissions after the backup are read THEN no step lists again: only the live key-use check reads', () => {
    const afterBackup = QUARANTINE_STEPS.slice(QUARANTINE_STEPS.findIndex((s) => s.id === 'backup') + 1).flatMap((s) => s.permissions);
    expect(afterBackup.filter((p) => !MUTATING.test(p))).toEqual(['iam:GetAccessKeyLastUsed']);
  });

  test('GIVEN the table WHEN permissions are collected THEN nothing deletes the user or its keys', () => {
    const perms = requiredPermissions('quarantine');
    expect(perms).not.toContain('iam:DeleteUser');
    expect(perms).not.toContain('iam:DeleteAccessKey');
    expect(perms).toEqual(expect.arrayContaining(['iam:PutUserPolicy', 'iam:UpdateAccessKey', 'iam:DeleteLoginProfile', 'iam:TagUser']));
  });
  test('GIVEN the deactivate step WHEN its permissions are read THEN it deactivates keys and tags which ones it deactivated', () => {
    expect(QUARANTINE_STEPS.find((s) => s.id === 'deactivate-access-keys')?.permissions).toEqual(['iam:UpdateAccessKey', 'iam:TagUser']);
  });
});

describe('requiredPermissions', () => {
  test.each(['delete', 'quarantine', 'release', 'restore'] as const)('GIVEN %s WHEN listed THEN sorted and without duplicates', (kind) => {
    const perms = requiredPermissions(kind);
    expect(perms).toEqual([...new Set(perms)].sort());
  });

  test('GIVEN delete WHEN listed THEN it is exactly the union of the table plus the UserId check', () => {
    const expected = new Set(['iam:GetUser', ...DELETE_STEPS.flatMap((s) => s.permissions)]);
    expect(new Set(requiredPermissions('delete'))).toEqual(expected);
    expect(requiredPermissions('delete')).toEqual(
      expect.arrayContaining([
        'iam:DeleteUser',
        'iam:DeleteLoginProfile',
        'iam:DeleteAccessKey',
        'iam:DeleteVirtualMFADevice',
        'iam:RemoveUserFromGroup',
      ]),
    );
    // A boundary does not block DeleteUser and goes with the user (the backup keeps it): no call removes it.
    expect(requiredPermissions('delete')).not.toContain('iam:DeleteUserPermissionsBoundary');
  });

  test('GIVEN release WHEN listed THEN it can re-activate keys but never touches passwords', () => {
    const perms = requiredPermissions('release');
    expect(perms).toContain('iam:UpdateAccessKey');
    // Reading the login profile is allowed (the reconciliation of a killed run reads the user in full); changing it is not.
    expect(perms.filter((p) => /LoginProfile|Password/.test(p) && MUTATING.test(p))).toEqual([]);
    expect(MUTATING.test('iam:UpdateLoginProfile') && MUTATING.test('iam:ChangePassword') && MUTATING.test('iam:CreateLoginProfile')).toBe(
      true,
    );
  });

  test('GIVEN release WHEN listed THEN it reads the deactivated-keys tag and removes the marks', () => {
    expect(requiredPermissions('release')).toEqual(
      expect.arrayContaining(['iam:ListUserTags', 'iam:ListAccessKeys', 'iam:UpdateAccessKey', 'iam:UntagUser']),
    );
  });
});

describe('leastPrivilegePolicy', () => {
  test('GIVEN plan mode WHEN generated THEN it is read-only and covers the inventory reads', () => {
    const policy = leastPrivilegePolicy('plan');
    const actions = policy.Statement.flatMap((s) => s.Action);
    expect(actions.filter((a) => MUTATING.test(a))).toEqual([]);
    expect(actions).toEqual(expect.arrayContaining([...READ_PERMISSIONS]));
  });

  test('GIVEN enforce mode WHEN generated THEN it covers reads, deletion and quarantine, one statement per service', () => {
    const policy = leastPrivilegePolicy('enforce');
    expect(policy.Version).toBe('2012-10-17');
    const actions = policy.Statement.flatMap((s) => s.Action);
    for (const p of [...READ_PERMISSIONS, ...requiredPermissions('delete'), ...requiredPermissions('quarantine')])
      expect(actions).toContain(p);
    expect(actions.some((a) => a.includes('*'))).toBe(false);
    expect(new Set(actions).size).toBe(actions.length);
    const services = policy.Statement.map((s) => s.Action[0]!.split(':')[0]);
    expect(new Set(services).size).toBe(policy.Statement.length);
    for (const s of policy.Statement) {
      expect(s.Effect).toBe('Allow');
      expect(s.Sid).toMatch(/^[A-Za-z0-9]+$/);
    }
  });

  test('GIVEN enforce mode WHEN generated THEN restore-only actions are not granted', () => {
    const actions = leastPrivilegePolicy('enforce').Statement.flatMap((s) => s.Action);
    expect(actions).not.toContain('iam:CreateUser');
    expect(actions).not.toContain('iam:AttachUserPolicy');
  });
});
