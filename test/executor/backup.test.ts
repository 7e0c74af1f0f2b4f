import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { InternalError } from '../../src/errors';
import {
  assertNoSecrets,
  backupFileName,
  ensureBackup,
  findSecrets,
  isCoveredBy,
  itemsMissingFrom,
  listBackups,
  mergeUserDetails,
  looksLikeSecretAccessKey,
  readBackup,
} from '../../src/executor/backup';
import type { LiveUserDetails } from '../../src/executor/read-user';
import { QUARANTINE_POLICY_DOCUMENT, QUARANTINE_POLICY_NAME, QUARANTINED_AT_TAG } from '../../src/model/quarantine-marker';
import { DEACTIVATED_KEYS_TAG } from '../../src/executor/deactivated-keys';

// Built at run time so the test source itself holds no literal secret-shaped string.
const SECRET_LIKE = ['wJalrXUtnFEMI', 'K7MDENG', 'bPxRfiCYEXAMPLEKEY'].join('/');

function user(overrides: Partial<LiveUserDetails> = {}): LiveUserDetails {
  return {
    name: 'old-admin',
    path: '/',
    userId: 'AIDAOLDADMIN00000001',
    arn: 'arn:aws:iam::111122223333:user/old-admin',
    createDate: '2024-01-01T00:00:00.000Z',
    tags: [{ key: 'team', value: 'platform' }],
    permissionsBoundaryArn: 'arn:aws:iam::111122223333:policy/boundary',
    groups: ['admins'],
    inlinePolicies: [{ name: 'inline', document: '{"Version":"2012-10-17","Statement":[]}' }],
    attachedPolicyArns: ['arn:aws:iam::111122223333:policy/custom'],
    loginProfile: { present: true, createDate: '2024-01-01T00:00:00.000Z', passwordResetRequired: false },
    accessKeys: [
      { accessKeyId: 'AKIAOLD0000000000001', status: 'Active', createDate: null },
      { accessKeyId: 'AKIAOLD0000000000002', status: 'Inactive', createDate: null },
    ],
    mfaDevices: [{ serialNumber: 'arn:aws:iam::111122223333:mfa/old-admin', virtual: true, enableDate: null }],
    sshPublicKeys: [
      { sshPublicKeyId: 'APKAOLD1', status: 'Active', fingerprint: 'aa:bb', body: 'ssh-rsa AAAAB3Nza old', uploadDate: null },
    ],
    signingCertificates: [
      {
        certificateId: 'CERTOLD1',
        status: 'Active',
        body: '-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----',
        uploadDate: null,
      },
    ],
    serviceSpecificCredentials: [
      {
        serviceSpecificCredentialId: 'ACCAOLD1',
        serviceName: 'codecommit.amazonaws.com',
        serviceUserName: 'old-admin-at-1',
        status: 'Active',
        createDate: null,
      },
    ],
    ...overrides,
  };
}

describe('secret detection', () => {
  test('GIVEN a 40-char mixed-case base64 value WHEN checked THEN it looks like a secret access key', () => {
    expect(SECRET_LIKE).toHaveLength(40);
    expect(looksLikeSecretAccessKey(SECRET_LIKE)).toBe(true);
  });

  test('GIVEN a git SHA and an access key id WHEN checked THEN neither looks like a secret', () => {
    expect(looksLikeSecretAccessKey('3f2a9c0d8e7b6a5f4e3d2c1b0a9f8e7d6c5b4a39')).toBe(false);
    expect(looksLikeSecretAccessKey('AKIAOLD0000000000001')).toBe(false);
  });

  test.each([
    [{ SecretAccessKey: 'x' }, '$.SecretAccessKey'],
    [{ a: { Password: 'x' } }, '$.a.Password'],
    [{ creds: [{ ServicePassword: 'x' }] }, '$.creds[0].ServicePassword'],
    [{ SessionToken: 'x' }, '$.SessionToken'],
    [{ accessKeys: [{ accessKeyId: 'IQoJb3JpZ2luX2VjEXAMPLE' }] }, '$.accessKeys[0].accessKeyId'],
    [{ tags: [{ key: 'k', value: 'v', SecretAccessKey: 'x' }] }, '$.tags[0].SecretAccessKey'],
  ])('GIVEN %j WHEN scanned THEN the secret is found at its path', (value, at) => {
    expect(findSecrets(value)).toEqual([at]);
  });

  test('GIVEN a full user backup WHEN scanned THEN nothing is found', () => {
    expect(findSecrets(user())).toEqual([]);
  });

  test('GIVEN secret-shaped values in free-text fields (tag key and value, names, group, policy document) WHEN scanned THEN nothing is found', () => {
    // GIVEN values people choose freely that happen to have a secret's shape
    const freeText = user({
      name: SECRET_LIKE,
      tags: [
        { key: SECRET_LIKE, value: SECRET_LIKE },
        { key: 'session', value: 'IQoJb3JpZ2luX2VjEXAMPLE' },
      ],
      groups: [SECRET_LIKE],
      inlinePolicies: [{ name: SECRET_LIKE, document: JSON.stringify({ Sid: SECRET_LIKE }) }],
    });
    // WHEN scanned THEN none of them counts as a secret
    expect(findSecrets(freeText)).toEqual([]);
    expect(() => assertNoSecrets(freeText)).not.toThrow();
  });

  test('GIVEN a secret-shaped value in an AWS-generated field WHEN asserted THEN InternalError names the path but not the value', () => {
    const bad = user({ accessKeys: [{ accessKeyId: SECRET_LIKE, status: 'Active', createDate: null }] });
    let thrown: unknown;
    try {
      assertNoSecrets(bad);
    } catch (err) {
      thrown = err;
    }
    expect(thrown).toBeInstanceOf(InternalError);
    expect((thrown as Error).message).toContain('$.accessKeys[0].accessKeyId');
    expect((thrown as Error).message).not.toContain(SECRET_LIKE);
  });
});

describe('isCoveredBy', () => {
  test('GIVEN a live user emptier than the backup (keys deleted, profile gone) WHEN compared THEN covered', () => {
    expect(
      isCoveredBy(user({ accessKeys: [], loginProfile: { present: false, createDate: null, passwordResetRequired: null } }), user()),
    ).toBe(true);
  });

  test('GIVEN a live user with a key the backup lacks WHEN compared THEN not covered', () => {
    const live = user({ accessKeys: [...user().accessKeys, { accessKeyId: 'AKIANEW0000000000003', status: 'Active', createDate: null }] });
    expect(isCoveredBy(live, user())).toBe(false);
  });

  test('GIVEN a key Active live but Inactive in the backup WHEN compared THEN not covered', () => {
    const live = user({ accessKeys: user().accessKeys.map((k) => ({ ...k, status: 'Active' })) });
    expect(isCoveredBy(live, user())).toBe(false);
  });

  test('GIVEN a quarantined live user (deny policy, tags, keys inactive) WHEN compared THEN covered by the pre-quarantine backup', () => {
    const live = user({
      inlinePolicies: [...user().inlinePolicies, { name: QUARANTINE_POLICY_NAME, document: QUARANTINE_POLICY_DOCUMENT }],
      tags: [
        ...user().tags,
        { key: QUARANTINED_AT_TAG, value: '2026-01-01T00:00:00.000Z' },
        { key: DEACTIVATED_KEYS_TAG, value: 'AKIAOLD0000000000001' },
      ],
      accessKeys: user().accessKeys.map((k) => ({ ...k, status: 'Inactive' })),
      loginProfile: { present: false, createDate: null, passwordResetRequired: null },
    });
    expect(isCoveredBy(live, user())).toBe(true);
  });

  test('GIVEN another userId WHEN compared THEN not covered', () => {
    expect(isCoveredBy(user({ userId: 'AIDAOTHER' }), user())).toBe(false);
  });
});

describe('itemsMissingFrom', () => {
  test('GIVEN a live user with a new key and inline policy WHEN compared with the backup THEN exactly those are named', () => {
    const live = user({
      accessKeys: [{ accessKeyId: 'AKIANEW0000000000003', status: 'Active', createDate: null }],
      inlinePolicies: [...user().inlinePolicies, { name: 'added-later', document: '{}' }],
    });
    expect(itemsMissingFrom(user(), live)).toEqual(['inline policy added-later', 'access key AKIANEW0000000000003']);
  });

  test('GIVEN a live user emptier than the backup WHEN compared THEN nothing is missing', () => {
    expect(itemsMissingFrom(user(), user({ groups: [], accessKeys: [] }))).toEqual([]);
  });
});

describe('mergeUserDetails', () => {
  test('GIVEN an earlier full read and a later read with some items gone and one added WHEN merged THEN everything from both is there, the later status wins', () => {
    const later = user({
      groups: [],
      accessKeys: [
        { accessKeyId: 'AKIAOLD0000000000002', status: 'Active', createDate: null },
        { accessKeyId: 'AKIANEW0000000000003', status: 'Active', createDate: null },
      ],
      loginProfile: { present: false, createDate: null, passwordResetRequired: null },
      permissionsBoundaryArn: null,
    });

    const merged = mergeUserDetails(user(), later);

    expect(merged.groups).toEqual(['admins']);
    expect(merged.accessKeys).toEqual([
      { accessKeyId: 'AKIAOLD0000000000001', status: 'Active', createDate: null },
      { accessKeyId: 'AKIAOLD0000000000002', status: 'Active', createDate: null },
      { accessKeyId: 'AKIANEW0000000000003', status: 'Active', createDate: null },
    ]);
    expect(merged.loginProfile.present).toBe(true);
    expect(merged.permissionsBoundaryArn).toBe(user().permissionsBoundaryArn);
    expect(isCoveredBy(user(), merged)).toBe(true);
    expect(isCoveredBy(later, merged)).toBe(true);
    expect(isCoveredBy(merged, user())).toBe(false);
  });

  test('GIVEN reads of two different users WHEN merged THEN InternalError', () => {
    expect(() => mergeUserDetails(user(), user({ userId: 'AIDAOTHER' }))).toThrow(InternalError);
  });
});

describe('ensureBackup', () => {
  let dir: string;
  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'backup-'));
  });
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));
  const at = (iso: string) => ({ dir, accountId: '111122223333', purpose: 'delete' as const, now: new Date(iso) });

  test('GIVEN no backup WHEN ensured THEN one file named account-user-userId-timestamp.json holds the user', () => {
    const result = ensureBackup(user(), at('2026-02-14T10:15:00.123Z'));
    expect(result.written).toBe(true);
    expect(path.basename(result.file)).toBe('111122223333-old-admin-AIDAOLDADMIN00000001-20260214T101500123Z.json');
    expect(backupFileName('111122223333', 'old-admin', 'AIDAOLDADMIN00000001', new Date('2026-02-14T10:15:00.123Z'))).toBe(
      path.basename(result.file),
    );
    const back = readBackup(result.file);
    expect(back.user).toEqual(user());
    expect(back.purpose).toBe('delete');
    expect(fs.readdirSync(dir)).toEqual([path.basename(result.file)]);
  });

  test('GIVEN an earlier full backup WHEN a re-run sees an emptier user THEN the earlier backup is kept and nothing is written', () => {
    const first = ensureBackup(user(), at('2026-02-14T10:00:00.000Z'));
    const again = ensureBackup(user({ accessKeys: [], groups: [] }), at('2026-02-14T10:05:00.000Z'));
    expect(again.written).toBe(false);
    expect(again.file).toBe(first.file);
    expect(again.backup.user.accessKeys).toHaveLength(2);
    expect(listBackups(dir, '111122223333', 'old-admin', 'AIDAOLDADMIN00000001')).toEqual([first.file]);
  });

  test('GIVEN an earlier backup WHEN the user gained a group THEN a newer backup is written', () => {
    ensureBackup(user(), at('2026-02-14T10:00:00.000Z'));
    const again = ensureBackup(user({ groups: ['admins', 'ops'] }), at('2026-02-14T10:05:00.000Z'));
    expect(again.written).toBe(true);
    expect(listBackups(dir, '111122223333', 'old-admin', 'AIDAOLDADMIN00000001')).toHaveLength(2);
  });

  test('GIVEN a backup of a same-name user with another userId WHEN ensured THEN it is not reused', () => {
    ensureBackup(user({ userId: 'AIDAPREVIOUS' }), at('2026-02-14T10:00:00.000Z'));
    const result = ensureBackup(user(), at('2026-02-14T10:05:00.000Z'));
    expect(result.written).toBe(true);
    expect(fs.readdirSync(dir)).toHaveLength(2);
  });

  test('GIVEN a secret-shaped value in an id field WHEN ensured THEN nothing is written', () => {
    const bad = user({
      serviceSpecificCredentials: [{ ...user().serviceSpecificCredentials[0]!, serviceSpecificCredentialId: SECRET_LIKE }],
    });
    expect(() => ensureBackup(bad, at('2026-02-14T10:00:00.000Z'))).toThrow(InternalError);
    expect(fs.readdirSync(dir)).toEqual([]);
  });

  test('GIVEN a 40-char base64 tag value WHEN ensured THEN the backup is written with it', () => {
    const tagged = user({ tags: [{ key: 'build-token-fingerprint', value: SECRET_LIKE }] });
    const result = ensureBackup(tagged, at('2026-02-14T10:00:00.000Z'));
    expect(result.written).toBe(true);
    expect(readBackup(result.file).user.tags).toEqual([{ key: 'build-token-fingerprint', value: SECRET_LIKE }]);
  });
});
