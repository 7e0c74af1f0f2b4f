import { createHash } from 'crypto';
import type { Snapshot } from '../model/snapshot';

/**
 * The `--run-id` for every `enforce` of one synthesis: all local-exec processes of one
 * `terraform apply` then share one fresh account scan (src/commands/shared-scan.ts). Derived from the
 * snapshot, so the same snapshot always synthesizes the same configuration.
 */
export function runIdFor(snapshot: Pick<Snapshot, 'accountId' | 'takenAt'>): string {
  return createHash('sha256').update(`${snapshot.accountId}/${snapshot.takenAt}`, 'utf8').digest('hex').slice(0, 16);
}
