/**
 * Region coverage and the account pin of the inventory, against the local endpoint through the real SDK
 * over HTTP (sandbox account: us-east-1, eu-west-1, ap-southeast-2 enabled).
 */
import { obtainSnapshot } from '../../src/commands/context';
import { RefusedError } from '../../src/errors';
import { takeSnapshot } from '../../src/inventory/inventory';
import { anAllowlist } from '../plan/fixtures';
import { useSandboxEndpoint } from './helpers';

const NOW = new Date('2026-03-01T12:00:00.000Z');
const sandbox = useSandboxEndpoint();

const servicesCalled = (): string[] => [...new Set(sandbox.ep.requestLog().map((entry) => entry.service))].sort();

describe('takeSnapshot with guards.regions as a list', () => {
  it('GIVEN regions [us-east-1] WHEN scanned THEN only us-east-1 is scanned and the other enabled regions are recorded as unscanned', async () => {
    const snap = await takeSnapshot(sandbox.clients, { regions: ['us-east-1'], now: NOW });
    expect(snap.kms.map((region) => region.region)).toEqual(['us-east-1']);
    expect(snap.unscannedRegions).toEqual(['ap-southeast-2', 'eu-west-1']);
    expect(snap.unscannedRegionsError).toBeUndefined();
    expect(snap.scanErrors).toEqual([]);
    expect(sandbox.ep.counters()['account:ListRegions']).toBe(1);
  });

  it('GIVEN a list naming every enabled region WHEN scanned THEN nothing is unscanned', async () => {
    const snap = await takeSnapshot(sandbox.clients, { regions: ['us-east-1', 'eu-west-1', 'ap-southeast-2'], now: NOW });
    expect(snap.unscannedRegions).toEqual([]);
  });

  it('GIVEN ListRegions denied WHEN a list is scanned THEN unscannedRegions is null with the failure recorded, not read as "none"', async () => {
    sandbox.ep.faults.failAlways('account:ListRegions', 'AccessDeniedException');
    const snap = await takeSnapshot(sandbox.clients, { regions: ['us-east-1'], now: NOW });
    expect(snap.unscannedRegions).toBeNull();
    expect(snap.unscannedRegionsError).toMatchObject({ service: 'account', operation: 'ListRegions', code: 'AccessDeniedException' });
    expect(snap.kms.map((region) => region.region)).toEqual(['us-east-1']);
  });

  it('GIVEN regions: all WHEN scanned THEN every enabled region is scanned and none is unscanned', async () => {
    const snap = await takeSnapshot(sandbox.clients, { regions: 'all', now: NOW });
    expect(snap.kms.map((region) => region.region)).toEqual(['ap-southeast-2', 'eu-west-1', 'us-east-1']);
    expect(snap.unscannedRegions).toEqual([]);
  });
});

describe('the account pin before the scan', () => {
  it('GIVEN expectedAccountId of another account WHEN scanning THEN RefusedError after one STS call, no IAM/KMS/Account call', async () => {
    const scan = takeSnapshot(sandbox.clients, { regions: 'all', now: NOW, expectedAccountId: '999999999999' });
    await expect(scan).rejects.toBeInstanceOf(RefusedError);
    await expect(scan).rejects.toThrow(/pinned to account 999999999999 but the credentials are for account 111122223333/);
    expect(servicesCalled()).toEqual(['sts']);
    expect(sandbox.ep.counters()['sts:GetCallerIdentity']).toBe(1);
  });

  it('GIVEN an allowlist pinned to another account WHEN obtainSnapshot scans THEN it fails fast with no IAM or KMS call', async () => {
    const allowlist = anAllowlist({ account: '999999999999' });
    await expect(obtainSnapshot(allowlist, { now: NOW }, sandbox.clients)).rejects.toBeInstanceOf(RefusedError);
    expect(servicesCalled()).toEqual(['sts']);
  });

  it('GIVEN an allowlist pinned to the right account WHEN obtainSnapshot scans THEN the snapshot is taken', async () => {
    const snap = await obtainSnapshot(anAllowlist({ account: '111122223333' }), { now: NOW }, sandbox.clients);
    expect(snap.accountId).toBe('111122223333');
    expect(servicesCalled()).toEqual(['account', 'iam', 'kms', 'sts']);
  });
});
