/**
 * The benchmark's baseline must run on the same account as ours (bench/generate.ts accountFingerprint):
 * the in-memory endpoint state is seeded directly, no HTTP, so these are unit tests.
 */
import { accountFingerprint, seedAccount, type AccountSpec } from '../../bench/generate';
import { EndpointState } from '../../src/endpoint/state';

const SPEC: AccountSpec = { users: 30, keys: 6, regions: 2, grantsPerKey: 3, deletions: 3 };
const NOW = new Date('2026-03-01T12:00:00.000Z');

function fingerprintOf(state: EndpointState, spec: AccountSpec = SPEC): string {
  const seeded = seedAccount(state, spec, NOW);
  return accountFingerprint(state, seeded.regions);
}

describe('account fingerprint', () => {
  it('GIVEN the same state seeded again from the same spec and time (as bench.ts does) WHEN fingerprinted THEN equal', () => {
    const state = new EndpointState('111122223333');
    const first = fingerprintOf(state);
    state.iam.users.delete('stale-0000'); // what our apply does before the baseline reseeds
    expect(fingerprintOf(state)).toBe(first);
  });

  it('GIVEN a user removed, a grant added or another seed WHEN fingerprinted THEN different', () => {
    const state = new EndpointState('111122223333');
    const first = fingerprintOf(state);
    state.iam.users.delete('stale-0000');
    expect(accountFingerprint(state, ['us-east-1', 'eu-west-1'])).not.toBe(first);

    fingerprintOf(state);
    const key = [...state.kms.regionState('us-east-1').keys.values()].find((k) => k.keyManager === 'CUSTOMER')!;
    const grantee = 'arn:aws:iam::111122223333:user/user-00001';
    state.kms.createGrant('us-east-1', key.keyId, { granteePrincipal: grantee, operations: ['Decrypt'] });
    expect(accountFingerprint(state, ['us-east-1', 'eu-west-1'])).not.toBe(first);

    expect(fingerprintOf(state, { ...SPEC, seed: 8 })).not.toBe(first);
  });
});
