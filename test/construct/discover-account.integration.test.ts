/**
 * discoverAccount reading the account (no snapshot file), against the local endpoint through the real SDK over
 * HTTP: the allowlist's account pin is checked by the inventory right after GetCallerIdentity.
 */
import * as fs from 'fs';
import * as path from 'path';
import { discoverAccount } from '../../src/construct/iam-allowlist-stack';
import { RefusedError } from '../../src/errors';
import { useSandboxEndpoint } from '../inventory/helpers';
import { NOW } from '../plan/fixtures';
import { removeTempDirs, tempDir } from './synth';

const REPO_ROOT = path.resolve(__dirname, '..', '..');
const sandbox = useSandboxEndpoint();

afterAll(removeTempDirs);

/** A project whose allowlist is the sample pinned to `account`. */
function projectPinnedTo(account: string): string {
  const dir = tempDir('discover');
  const sample = fs.readFileSync(path.join(REPO_ROOT, 'allowlist.yaml'), 'utf8');
  const pinned = sample.replace(/^account: "\d{12}"$/m, `account: "${account}"`);
  if (!pinned.includes(`account: "${account}"`)) throw new Error('the sample allowlist no longer pins an account; update this test');
  fs.writeFileSync(path.join(dir, 'allowlist.yaml'), pinned);
  return dir;
}

const servicesCalled = (): string[] => [...new Set(sandbox.ep.requestLog().map((entry) => entry.service))].sort();

describe('discoverAccount and the account pin', () => {
  it('GIVEN an allowlist pinned to another account WHEN discovering THEN RefusedError after one STS call, no IAM or KMS call', async () => {
    const discovery = discoverAccount('iam-allowlist', { projectDirectory: projectPinnedTo('999999999999'), now: NOW });

    await expect(discovery).rejects.toBeInstanceOf(RefusedError);
    await expect(discovery).rejects.toThrow(/pinned to account 999999999999 but the credentials are for account 111122223333/);
    expect(servicesCalled()).toEqual(['sts']);
    expect(sandbox.ep.counters()['sts:GetCallerIdentity']).toBe(1);
  });

  it('GIVEN an allowlist pinned to the account of the credentials WHEN discovering THEN the account is read and planned', async () => {
    const discovered = await discoverAccount('iam-allowlist', { projectDirectory: projectPinnedTo('111122223333'), now: NOW });

    expect(discovered.plan.accountId).toBe('111122223333');
    expect(discovered.plan.users.length).toBeGreaterThan(0);
    expect(servicesCalled()).toEqual(['account', 'iam', 'kms', 'sts']);
  });
});
