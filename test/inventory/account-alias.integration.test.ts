/** The account alias in the snapshot: one ListAccountAliases call through the real SDK; its failure is no scan error. */
import { takeSnapshot } from '../../src/inventory/inventory';
import { useSandboxEndpoint } from './helpers';

const sandbox = useSandboxEndpoint();

describe('accountAlias', () => {
  it('GIVEN the sandbox account with an alias WHEN inventoried THEN the snapshot carries it, read with one call', async () => {
    const snapshot = await takeSnapshot(sandbox.clients, { regions: [] });
    expect(snapshot.accountAlias).toBe('iam-allowlist-sandbox');
    expect(sandbox.ep.counters()['iam:ListAccountAliases']).toBe(1);
  });

  it('GIVEN ListAccountAliases denied WHEN inventoried THEN no alias field and no scan error (a display fact holds nothing)', async () => {
    sandbox.ep.faults.failAlways('iam:ListAccountAliases', 'AccessDenied');
    const snapshot = await takeSnapshot(sandbox.clients, { regions: [] });
    expect(snapshot).not.toHaveProperty('accountAlias');
    expect(snapshot.scanErrors).toEqual([]);
  });
});
