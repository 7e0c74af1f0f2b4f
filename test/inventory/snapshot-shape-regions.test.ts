/** The saved-snapshot shape check and the unscanned-region fields: old files still load, new ones are checked. */
import { snapshotShapeProblem } from '../../src/inventory/snapshot-shape';
import { aScanError, aSnapshot } from '../plan/fixtures';

const asFile = (value: unknown): unknown => JSON.parse(JSON.stringify(value));

describe('snapshotShapeProblem and unscannedRegions', () => {
  it('GIVEN a snapshot written before the field existed (no unscannedRegions) WHEN checked THEN accepted', () => {
    const old = asFile(aSnapshot()) as Record<string, unknown>;
    expect('unscannedRegions' in old).toBe(false);
    expect(snapshotShapeProblem(old)).toBeNull();
  });

  it('GIVEN a list, null with its error, or an empty list WHEN checked THEN accepted', () => {
    expect(snapshotShapeProblem(asFile(aSnapshot({ unscannedRegions: ['eu-west-1'] })))).toBeNull();
    expect(snapshotShapeProblem(asFile(aSnapshot({ unscannedRegions: [] })))).toBeNull();
    const unknown = aSnapshot({
      unscannedRegions: null,
      unscannedRegionsError: aScanError({ service: 'account', operation: 'ListRegions' }),
    });
    expect(snapshotShapeProblem(asFile(unknown))).toBeNull();
  });

  it('GIVEN unscannedRegions of the wrong type WHEN checked THEN the problem names the field', () => {
    expect(snapshotShapeProblem({ ...(asFile(aSnapshot()) as object), unscannedRegions: 'eu-west-1' })).toBe(
      'snapshot.unscannedRegions: expected a list',
    );
    expect(snapshotShapeProblem({ ...(asFile(aSnapshot()) as object), unscannedRegions: [7] })).toBe(
      'snapshot.unscannedRegions[0]: expected a string',
    );
    expect(snapshotShapeProblem({ ...(asFile(aSnapshot()) as object), unscannedRegionsError: { service: 'ec2' } })).toMatch(
      /^snapshot\.unscannedRegionsError\.service: expected one of/,
    );
  });
});
