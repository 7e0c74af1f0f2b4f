import { DescribeKeyCommand } from '@aws-sdk/client-kms';
import pLimit from 'p-limit';
import type { AwsClients } from '../aws/clients';
import type { KmsKeyFacts, Snapshot } from '../model/snapshot';

export interface DescribeKeysOptions {
  /** DescribeKey calls in flight at once, over all regions. Default 8 (the scan's default concurrency). */
  readonly concurrency?: number;
}

/**
 * A copy of the snapshot with keyState and multiRegion of the given keys (by ARN) read by DescribeKey, each
 * through its region's KMS client; every other key, and everything else, as it was. Only for messages: a
 * key's state changes no decision (a disabled or pending-deletion key that names a user still holds it), so
 * a failed DescribeKey is NOT a scan error: that key stays null ("state unknown" in the message) and the
 * plan's decisions are the same either way. ARNs not in the snapshot are ignored.
 */
export async function describeKeys(
  clients: AwsClients,
  snapshot: Snapshot,
  keyArns: readonly string[],
  options: DescribeKeysOptions = {},
): Promise<Snapshot> {
  const wanted = new Set(keyArns);
  const keys = snapshot.kms.flatMap((region) => region.keys.filter((key) => wanted.has(key.arn)));
  if (keys.length === 0) return snapshot;
  const limit = pLimit(Math.max(1, options.concurrency ?? 8));
  const described = new Map<string, KmsKeyFacts>();
  await Promise.all(
    keys.map((key) =>
      limit(async () => {
        const state = await readState(clients, key);
        if (state !== null) described.set(key.arn, { ...key, ...state });
      }),
    ),
  );
  return {
    ...snapshot,
    kms: snapshot.kms.map((region) => ({ ...region, keys: region.keys.map((key) => described.get(key.arn) ?? key) })),
  };
}

async function readState(clients: AwsClients, key: KmsKeyFacts): Promise<Pick<KmsKeyFacts, 'keyState' | 'multiRegion'> | null> {
  try {
    const metadata = (await clients.kms(key.region).send(new DescribeKeyCommand({ KeyId: key.keyId }))).KeyMetadata;
    return { keyState: metadata?.KeyState ?? null, multiRegion: metadata?.MultiRegion ?? null };
  } catch {
    // Deliberately swallowed: the state is only shown, so its absence is "state unknown", never a held decision.
    return null;
  }
}
