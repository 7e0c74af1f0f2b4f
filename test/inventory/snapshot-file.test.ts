import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { UsageError } from '../../src/errors';
import { loadSnapshot, saveSnapshot } from '../../src/inventory/snapshot-file';
import type { Snapshot } from '../../src/model/snapshot';

const SNAPSHOT: Snapshot = {
  schemaVersion: 1,
  takenAt: '2026-03-01T00:00:00.000Z',
  accountId: '111122223333',
  partition: 'aws',
  caller: {
    account: '111122223333',
    arn: 'arn:aws:iam::111122223333:user/ci-bootstrap',
    userId: 'AIDA1',
    kind: 'user',
    userName: 'ci-bootstrap',
  },
  users: [
    {
      name: 'alice',
      userId: 'AIDA2',
      arn: 'arn:aws:iam::111122223333:user/engineering/alice',
      path: '/engineering/',
      createDate: '2024-01-01T00:00:00.000Z',
      tags: { owner: 'alice@example.com' },
      permissionsBoundaryArn: null,
      groups: [],
      inlinePolicyNames: [],
      attachedPolicyArns: [],
      activity: {
        passwordEnabled: true,
        passwordLastUsed: null,
        mfaActive: true,
        accessKeys: [{ accessKeyId: null, active: true, lastRotated: null, lastUsed: '2026-02-28T00:00:00.000Z', lastUsedService: 's3' }],
        activeCertificates: 0,
      },
      mfaDevices: ['arn:aws:iam::111122223333:mfa/alice'],
    },
  ],
  roles: [{ name: 'r', arn: 'arn:aws:iam::111122223333:role/r', roleId: 'AROA1', trustPolicy: '{}' }],
  kms: [
    {
      region: 'us-east-1',
      awsManagedKeysSkipped: 2,
      keys: [
        {
          keyId: 'k1',
          arn: 'arn:aws:kms:us-east-1:111122223333:key/k1',
          region: 'us-east-1',
          keyState: 'Enabled',
          multiRegion: false,
          aliases: ['alias/a'],
          policy: null,
          grants: null,
        },
      ],
    },
  ],
  credentialReportGeneratedAt: null,
  scanErrors: [
    { service: 'kms', operation: 'GetKeyPolicy', region: 'us-east-1', resource: 'k1', code: 'AccessDeniedException', message: 'denied' },
  ],
};

describe('snapshot files', () => {
  let dir: string;
  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'inventory-snapshot-'));
  });
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('GIVEN a snapshot WHEN saved and loaded THEN it round-trips and no temp file is left behind', () => {
    const file = path.join(dir, 'snap.json');
    saveSnapshot(file, SNAPSHOT);
    expect(loadSnapshot(file)).toEqual(SNAPSHOT);
    expect(fs.readdirSync(dir)).toEqual(['snap.json']);
  });

  it('GIVEN an existing file WHEN saved over THEN it is replaced whole', () => {
    const file = path.join(dir, 'snap.json');
    fs.writeFileSync(file, 'old content that is longer than nothing');
    saveSnapshot(file, SNAPSHOT);
    expect(JSON.parse(fs.readFileSync(file, 'utf8')).accountId).toBe('111122223333');
  });

  it('GIVEN a missing directory WHEN saved THEN UsageError naming the file', () => {
    const file = path.join(dir, 'nope', 'snap.json');
    expect(() => saveSnapshot(file, SNAPSHOT)).toThrow(UsageError);
    expect(() => saveSnapshot(file, SNAPSHOT)).toThrow(file);
  });

  it('GIVEN a missing file WHEN loaded THEN UsageError naming the file', () => {
    const file = path.join(dir, 'absent.json');
    expect(() => loadSnapshot(file)).toThrow(UsageError);
    expect(() => loadSnapshot(file)).toThrow(file);
  });

  it('GIVEN text that is not JSON WHEN loaded THEN UsageError naming the file', () => {
    const file = path.join(dir, 'bad.json');
    fs.writeFileSync(file, '{ not json');
    expect(() => loadSnapshot(file)).toThrow(new RegExp(`${file.replace(/[/.]/g, '\\$&')} is not valid JSON`));
  });

  it('GIVEN another schemaVersion WHEN loaded THEN UsageError saying which version is expected', () => {
    const file = path.join(dir, 'v2.json');
    fs.writeFileSync(file, JSON.stringify({ ...SNAPSHOT, schemaVersion: 2 }));
    expect(() => loadSnapshot(file)).toThrow(/schemaVersion 2; this tool reads version 1/);
  });

  it('GIVEN a user without activity WHEN loaded THEN UsageError pointing at the field', () => {
    const file = path.join(dir, 'shape.json');
    const broken = JSON.parse(JSON.stringify(SNAPSHOT));
    delete broken.users[0].activity;
    fs.writeFileSync(file, JSON.stringify(broken));
    expect(() => loadSnapshot(file)).toThrow(/snapshot\.users\[0\]\.activity: expected an object/);
  });

  it('GIVEN grants that are neither null nor a list WHEN loaded THEN UsageError pointing at the field', () => {
    const file = path.join(dir, 'grants.json');
    const broken = JSON.parse(JSON.stringify(SNAPSHOT));
    broken.kms[0].keys[0].grants = 'none';
    fs.writeFileSync(file, JSON.stringify(broken));
    expect(() => loadSnapshot(file)).toThrow(/snapshot\.kms\[0\]\.keys\[0\]\.grants: expected a list/);
  });

  it('GIVEN a snapshot without the optional baseCaller and inlinePolicyDocuments (older version) WHEN loaded THEN accepted', () => {
    const file = path.join(dir, 'old.json');
    saveSnapshot(file, SNAPSHOT);
    expect('baseCaller' in SNAPSHOT).toBe(false);
    expect(SNAPSHOT.users[0]?.inlinePolicyDocuments).toBeUndefined();
    expect(loadSnapshot(file)).toEqual(SNAPSHOT);
  });

  it('GIVEN a snapshot with baseCaller (an identity, or null) and inline policy documents WHEN saved and loaded THEN it round-trips', () => {
    const baseCaller = {
      account: '111122223333',
      arn: 'arn:aws:iam::111122223333:user/ci-bootstrap',
      userId: 'AIDA1',
      kind: 'user' as const,
      userName: 'ci-bootstrap',
    };
    const user = { ...SNAPSHOT.users[0]!, inlinePolicyNames: ['p'], inlinePolicyDocuments: { p: '{"Statement":[]}' } };
    for (const withBase of [baseCaller, null]) {
      const file = path.join(dir, `new-${withBase === null ? 'null' : 'user'}.json`);
      const newer: Snapshot = { ...SNAPSHOT, baseCaller: withBase, users: [user] };
      saveSnapshot(file, newer);
      expect(loadSnapshot(file)).toEqual(newer);
    }
  });

  it('GIVEN malformed optional fields WHEN loaded THEN UsageError pointing at them', () => {
    const file = path.join(dir, 'optional.json');
    fs.writeFileSync(file, JSON.stringify({ ...SNAPSHOT, baseCaller: { ...SNAPSHOT.caller, kind: 'robot' } }));
    expect(() => loadSnapshot(file)).toThrow(/snapshot\.baseCaller\.kind: expected one of/);
    const broken = JSON.parse(JSON.stringify(SNAPSHOT));
    broken.users[0].inlinePolicyDocuments = { p: 42 };
    fs.writeFileSync(file, JSON.stringify(broken));
    expect(() => loadSnapshot(file)).toThrow(/snapshot\.users\[0\]\.inlinePolicyDocuments\.p: expected a string/);
  });

  it('GIVEN a scan error of the account service (ListRegions) WHEN saved and loaded THEN accepted', () => {
    const file = path.join(dir, 'account.json');
    const withRegionsError: Snapshot = {
      ...SNAPSHOT,
      scanErrors: [{ service: 'account', operation: 'ListRegions', code: 'AccessDeniedException', message: 'denied' }],
    };
    saveSnapshot(file, withRegionsError);
    expect(loadSnapshot(file)).toEqual(withRegionsError);
  });

  it('GIVEN an unknown caller kind WHEN loaded THEN UsageError', () => {
    const file = path.join(dir, 'caller.json');
    fs.writeFileSync(file, JSON.stringify({ ...SNAPSHOT, caller: { ...SNAPSHOT.caller, kind: 'robot' } }));
    expect(() => loadSnapshot(file)).toThrow(/caller\.kind: expected one of/);
  });
});
