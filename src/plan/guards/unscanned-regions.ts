import type { Allowlist } from '../../model/allowlist';
import type { Snapshot } from '../../model/snapshot';

/**
 * Enabled regions the KMS scan left out, described for a reviewer, or null when nothing was left out.
 * A KMS key there may name a user the plan would remove, so the scan-incomplete guard holds every removal
 * on it unless guards.unscannedRegions is "allow"; then the plan's notices carry it instead.
 *
 * Read from the snapshot (what the inventory saw), not from the allowlist: an offline plan of a snapshot
 * taken with another regions setting is judged by what that snapshot covers.
 */
export function unscannedRegionsGap(snapshot: Snapshot, allowlist: Allowlist): string | null {
  const scanned = snapshot.kms.map((region) => region.region);
  const list = scanned.length === 0 ? 'no region' : scanned.join(', ');
  const unscanned = snapshot.unscannedRegions;
  if (unscanned === undefined) {
    if (allowlist.guards.regions === 'all') return null;
    return (
      `the snapshot does not record which enabled regions the scan of ${list} left out (it was written by an older version), ` +
      'so KMS keys there were not checked; take a new snapshot'
    );
  }
  if (unscanned === null) {
    // With `regions: all` the failed ListRegions is a scan error, reported as such.
    const error = snapshot.unscannedRegionsError;
    if (error === undefined) return null;
    return (
      `the enabled regions could not be listed (account ${error.operation} failed with ${error.code}: ${error.message}), ` +
      `so regions other than the scanned ${list} may hold KMS keys that were not checked`
    );
  }
  if (unscanned.length === 0) return null;
  const regions = unscanned.join(', ');
  return (
    `enabled region${unscanned.length === 1 ? '' : 's'} ${regions} ${unscanned.length === 1 ? 'is' : 'are'} not scanned ` +
    `(guards.regions lists ${list}), so KMS key policies and grants there were not checked`
  );
}
