import { QUARANTINE_TAG_KEYS } from '../model/quarantine-marker';
import type { LiveUserDetails } from './read-user';

/**
 * Written by the quarantine's deactivate-access-keys step right after its UpdateAccessKey calls:
 * the ids of the access keys that quarantine itself turned Inactive, comma-separated. Release
 * re-activates only these (see keysToReactivate). A user has at most two access keys, so the value
 * (2 x 20 characters and a comma) stays far below IAM's 256-character tag value limit.
 */
export const DEACTIVATED_KEYS_TAG = 'iam-allowlist:deactivated-keys';

/** Every tag the executor itself puts on a user: not part of what a backup must preserve. */
export const EXECUTOR_MARK_TAG_KEYS: readonly string[] = [...QUARANTINE_TAG_KEYS, DEACTIVATED_KEYS_TAG];

/** IAM tag values are at most 256 characters. */
const MAX_TAG_VALUE = 256;

/** "AKIA1,AKIA2" -> ["AKIA1", "AKIA2"]; absent or empty -> []. */
export function parseDeactivatedKeys(value: string | undefined): string[] {
  if (!value) return [];
  return [
    ...new Set(
      value
        .split(',')
        .map((id) => id.trim())
        .filter((id) => id !== ''),
    ),
  ];
}

/**
 * The tag value after this run deactivated `deactivatedNow`: the ids already recorded plus the new
 * ones, keeping only keys that still exist (a deleted key can never be re-activated), sorted.
 * Returns null when it would not fit in a tag value (impossible with IAM's two keys per user).
 */
export function deactivatedKeysTagValue(
  recorded: string | undefined,
  deactivatedNow: readonly string[],
  existingKeyIds: readonly string[],
): string | null {
  const existing = new Set(existingKeyIds);
  const ids = [...new Set([...parseDeactivatedKeys(recorded), ...deactivatedNow])].filter((id) => existing.has(id)).sort();
  const value = ids.join(',');
  return value.length <= MAX_TAG_VALUE ? value : null;
}

export interface ReactivationDecision {
  /** Keys release turns Active again. */
  readonly reactivate: readonly string[];
  /** Keys left as they are, each with the reason, for the operator. */
  readonly leftAlone: readonly { readonly accessKeyId: string; readonly reason: string }[];
}

/**
 * Which access keys release re-activates. A key is re-activated only when all of these hold:
 * - the quarantine recorded that it deactivated it (the DEACTIVATED_KEYS_TAG on the live user);
 * - a backup of this very user (same UserId) saw it Active before quarantine;
 * - it still exists and is Inactive now.
 * So a key someone disabled by hand (before a quarantine re-run, or one that was Inactive already
 * before quarantine) stays Inactive. When the record is missing (a crash between the deactivation
 * and the tag, or a quarantine by an older version) release fails safe: it re-activates nothing it
 * cannot prove quarantine deactivated, and names those keys so a person can decide.
 */
export function keysToReactivate(
  recordedTagValue: string | undefined,
  backups: readonly LiveUserDetails[],
  live: readonly { readonly accessKeyId: string; readonly status: string }[],
): ReactivationDecision {
  const recorded = new Set(parseDeactivatedKeys(recordedTagValue));
  const activeBefore = new Set(backups.flatMap((b) => b.accessKeys.filter((k) => k.status === 'Active').map((k) => k.accessKeyId)));
  const liveStatus = new Map(live.map((k) => [k.accessKeyId, k.status]));
  const reactivate: string[] = [];
  const leftAlone: { accessKeyId: string; reason: string }[] = [];
  for (const id of [...new Set([...recorded, ...activeBefore])].sort()) {
    const status = liveStatus.get(id);
    if (status === undefined) {
      leftAlone.push({ accessKeyId: id, reason: 'no longer exists; it cannot be re-activated' });
      continue;
    }
    if (status === 'Active') continue;
    if (!recorded.has(id)) {
      leftAlone.push({
        accessKeyId: id,
        reason: `was Active before quarantine, but quarantine did not record deactivating it (${DEACTIVATED_KEYS_TAG}): someone disabled it by hand, or the record was lost; left Inactive, re-activate it by hand if intended`,
      });
      continue;
    }
    if (!activeBefore.has(id)) {
      leftAlone.push({
        accessKeyId: id,
        reason: `is recorded as deactivated by quarantine, but no backup of this user saw it Active: left Inactive`,
      });
      continue;
    }
    reactivate.push(id);
  }
  return { reactivate, leftAlone };
}
