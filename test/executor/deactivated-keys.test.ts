import { deactivatedKeysTagValue, keysToReactivate, parseDeactivatedKeys } from '../../src/executor/deactivated-keys';
import type { LiveUserDetails } from '../../src/executor/read-user';

const KEY_A = 'AKIAAAAAAAAAAAAAAAA1';
const KEY_B = 'AKIABBBBBBBBBBBBBBB2';
const KEY_C = 'AKIACCCCCCCCCCCCCCC3';

function backupWithKeys(keys: readonly (readonly [string, string])[]): LiveUserDetails {
  return {
    name: 'former-contractor',
    path: '/contractors/',
    userId: 'AIDAFORMER000000001',
    arn: 'arn:aws:iam::111122223333:user/contractors/former-contractor',
    createDate: null,
    tags: [],
    permissionsBoundaryArn: null,
    groups: [],
    inlinePolicies: [],
    attachedPolicyArns: [],
    loginProfile: { present: false, createDate: null, passwordResetRequired: null },
    accessKeys: keys.map(([accessKeyId, status]) => ({ accessKeyId, status, createDate: null })),
    mfaDevices: [],
    sshPublicKeys: [],
    signingCertificates: [],
    serviceSpecificCredentials: [],
  };
}

const live = (...keys: (readonly [string, string])[]) => keys.map(([accessKeyId, status]) => ({ accessKeyId, status }));

describe('parseDeactivatedKeys', () => {
  test.each([
    [undefined, []],
    ['', []],
    [KEY_A, [KEY_A]],
    [` ${KEY_A} ,${KEY_B},,${KEY_A}`, [KEY_A, KEY_B]],
  ])('GIVEN tag value %j WHEN parsed THEN %j', (value, expected) => {
    expect(parseDeactivatedKeys(value)).toEqual(expected);
  });
});

describe('deactivatedKeysTagValue', () => {
  test('GIVEN nothing recorded WHEN two keys were deactivated THEN both ids, sorted, comma-separated', () => {
    expect(deactivatedKeysTagValue(undefined, [KEY_B, KEY_A], [KEY_A, KEY_B])).toBe(`${KEY_A},${KEY_B}`);
  });

  test('GIVEN a recorded key that no longer exists WHEN a new one is deactivated THEN only existing keys are kept', () => {
    expect(deactivatedKeysTagValue(KEY_C, [KEY_A], [KEY_A, KEY_B])).toBe(KEY_A);
  });

  test('GIVEN a recorded key WHEN a re-run deactivates another THEN both are kept', () => {
    expect(deactivatedKeysTagValue(KEY_A, [KEY_B], [KEY_A, KEY_B])).toBe(`${KEY_A},${KEY_B}`);
  });

  test('GIVEN two access keys (IAM maximum) WHEN recorded THEN the value fits a 256-character tag value', () => {
    expect(deactivatedKeysTagValue(undefined, [KEY_A, KEY_B], [KEY_A, KEY_B])!.length).toBeLessThanOrEqual(256);
  });

  test('GIVEN more ids than fit in a tag value WHEN recorded THEN null', () => {
    const many = Array.from({ length: 20 }, (_, i) => `AKIA${String(i).padStart(16, '0')}`);
    expect(deactivatedKeysTagValue(undefined, many, many)).toBeNull();
  });
});

describe('keysToReactivate', () => {
  test('GIVEN a key quarantine deactivated, Active before and Inactive now WHEN released THEN it is re-activated', () => {
    const decision = keysToReactivate(KEY_A, [backupWithKeys([[KEY_A, 'Active']])], live([KEY_A, 'Inactive']));
    expect(decision.reactivate).toEqual([KEY_A]);
    expect(decision.leftAlone).toEqual([]);
  });

  test('GIVEN a key Active before quarantine that quarantine did not record WHEN released THEN it stays Inactive and is named', () => {
    // GIVEN someone disabled KEY_B by hand before a quarantine re-run deactivated only KEY_A
    const decision = keysToReactivate(
      KEY_A,
      [
        backupWithKeys([
          [KEY_A, 'Active'],
          [KEY_B, 'Active'],
        ]),
      ],
      live([KEY_A, 'Inactive'], [KEY_B, 'Inactive']),
    );
    expect(decision.reactivate).toEqual([KEY_A]);
    expect(decision.leftAlone.map((k) => k.accessKeyId)).toEqual([KEY_B]);
    expect(decision.leftAlone[0]!.reason).toMatch(/by hand/);
  });

  test('GIVEN a key Inactive in the backup and now WHEN released THEN it stays Inactive without a note', () => {
    const decision = keysToReactivate(
      KEY_A,
      [
        backupWithKeys([
          [KEY_A, 'Active'],
          [KEY_B, 'Inactive'],
        ]),
      ],
      live([KEY_A, 'Inactive'], [KEY_B, 'Inactive']),
    );
    expect(decision.reactivate).toEqual([KEY_A]);
    expect(decision.leftAlone).toEqual([]);
  });

  test('GIVEN a recorded key that no backup saw Active (tag edited) WHEN released THEN it stays Inactive', () => {
    const decision = keysToReactivate(
      `${KEY_A},${KEY_B}`,
      [
        backupWithKeys([
          [KEY_A, 'Active'],
          [KEY_B, 'Inactive'],
        ]),
      ],
      live([KEY_A, 'Inactive'], [KEY_B, 'Inactive']),
    );
    expect(decision.reactivate).toEqual([KEY_A]);
    expect(decision.leftAlone.map((k) => k.accessKeyId)).toEqual([KEY_B]);
  });

  test('GIVEN no record at all (lost, or an older quarantine) WHEN released THEN nothing is re-activated and the candidates are named', () => {
    const decision = keysToReactivate(undefined, [backupWithKeys([[KEY_A, 'Active']])], live([KEY_A, 'Inactive']));
    expect(decision.reactivate).toEqual([]);
    expect(decision.leftAlone.map((k) => k.accessKeyId)).toEqual([KEY_A]);
  });

  test('GIVEN a recorded key that was deleted WHEN released THEN it is named as gone', () => {
    const decision = keysToReactivate(KEY_A, [backupWithKeys([[KEY_A, 'Active']])], live());
    expect(decision.reactivate).toEqual([]);
    expect(decision.leftAlone).toEqual([{ accessKeyId: KEY_A, reason: expect.stringMatching(/no longer exists/) }]);
  });

  test('GIVEN a key Active now WHEN released again THEN nothing to do', () => {
    expect(keysToReactivate(KEY_A, [backupWithKeys([[KEY_A, 'Active']])], live([KEY_A, 'Active']))).toEqual({
      reactivate: [],
      leftAlone: [],
    });
  });

  test('GIVEN the key was Active only in an older backup WHEN released THEN it still counts as Active before quarantine', () => {
    const older = backupWithKeys([[KEY_A, 'Active']]);
    const newer = backupWithKeys([[KEY_A, 'Inactive']]);
    expect(keysToReactivate(KEY_A, [older, newer], live([KEY_A, 'Inactive'])).reactivate).toEqual([KEY_A]);
  });
});
