import type { User } from '@aws-sdk/client-iam';
import { scannedFactsUnusable, type ScannedUserFacts } from '../../src/executor/read-user';
import type { UserFacts } from '../../src/model/snapshot';

const SCAN_START = '2026-03-01T10:00:00.000Z';
const AT = (seconds: number) => new Date(Date.parse(SCAN_START) + seconds * 1000);

function facts(overrides: Partial<UserFacts> = {}): UserFacts {
  return {
    name: 'old-admin',
    userId: 'AIDAOLDADMIN',
    arn: 'arn:aws:iam::111122223333:user/old-admin',
    path: '/',
    createDate: '2024-01-01T00:00:00.000Z',
    tags: {},
    permissionsBoundaryArn: null,
    groups: ['legacy'],
    inlinePolicyNames: ['legacy-s3'],
    inlinePolicyDocuments: { 'legacy-s3': '{"Version":"2012-10-17","Statement":[]}' },
    attachedPolicyArns: [],
    activity: { passwordEnabled: true, passwordLastUsed: null, mfaActive: false, accessKeys: [], activeCertificates: 0 },
    mfaDevices: [],
    ...overrides,
  };
}

const PREFLIGHT_USER: User = { UserName: 'old-admin', UserId: 'AIDAOLDADMIN', Arn: 'x', Path: '/', CreateDate: new Date() };

function scanned(overrides: Partial<UserFacts> = {}, preflightUser: User = PREFLIGHT_USER): ScannedUserFacts {
  return { facts: facts(overrides), scanStartedAt: SCAN_START, maxAgeMs: 60_000, preflightUser };
}

describe('scannedFactsUnusable: when a deletion backup may take the bulk-readable parts from the re-check scan', () => {
  test('GIVEN a scan of the same user within its age bound WHEN deleting THEN the scan is used', () => {
    expect(scannedFactsUnusable(scanned(), { purpose: 'delete', now: AT(60) })).toBeNull();
  });

  test('GIVEN no scan was passed WHEN deleting THEN the user is read in full', () => {
    expect(scannedFactsUnusable(undefined, { purpose: 'delete', now: AT(1) })).toBe('no re-check scan was passed');
  });

  test('GIVEN a fresh scan WHEN quarantining THEN it is not used (quarantine skips what it finds in place)', () => {
    expect(scannedFactsUnusable(scanned(), { purpose: 'quarantine', now: AT(1) })).toBe('quarantine acts on what is in place now');
  });

  test('GIVEN a scan that started longer ago than the bound at the moment of the backup WHEN deleting THEN it is not used', () => {
    expect(scannedFactsUnusable(scanned(), { purpose: 'delete', now: AT(61) })).toBe('the re-check scan is older than 60 s');
  });

  test('GIVEN a scan whose start time cannot be read WHEN deleting THEN it is not used (unknown age fails closed)', () => {
    const bad = { ...scanned(), scanStartedAt: 'not a time' };
    expect(scannedFactsUnusable(bad, { purpose: 'delete', now: AT(1) })).toBe('the re-check scan is older than 60 s');
  });

  test('GIVEN the preflight GetUser shows another UserId than the scan WHEN deleting THEN it is not used', () => {
    const other = scanned({}, { ...PREFLIGHT_USER, UserId: 'AIDARECREATED' });
    expect(scannedFactsUnusable(other, { purpose: 'delete', now: AT(1) })).toBe('the scan saw another UserId');
  });

  test('GIVEN a snapshot without inline policy documents (older format) WHEN deleting THEN it is not used', () => {
    const older = scanned({ inlinePolicyDocuments: undefined });
    expect(scannedFactsUnusable(older, { purpose: 'delete', now: AT(1) })).toBe('the scan holds no inline policy documents');
  });

  test('GIVEN a scan that listed an inline policy without its document WHEN deleting THEN it is not used (restore could not put it back)', () => {
    const listedOnly = scanned({ inlinePolicyDocuments: { 'legacy-s3': '' } });
    expect(scannedFactsUnusable(listedOnly, { purpose: 'delete', now: AT(1) })).toBe('the scan holds no inline policy documents');
  });
});
