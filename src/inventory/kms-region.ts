import { GetKeyPolicyCommand, KMSClient, paginateListAliases, paginateListGrants, paginateListKeys } from '@aws-sdk/client-kms';
import pLimit from 'p-limit';
import type { KmsGrantFacts, KmsKeyFacts, KmsRegionFacts } from '../model/snapshot';
import { isAwsManagedByAlias } from './kms-key-kind';
import type { ProgressEvent } from './progress';
import { ScanErrorLog } from './scan-errors';
import { compareText } from '../util/text';

export interface KmsRegionScanOptions {
  /** Keys read at the same time in this region. */
  readonly concurrency: number;
  readonly errors: ScanErrorLog;
  readonly onProgress?: (event: ProgressEvent) => void;
}

/**
 * Every customer-managed key of one region with its aliases, "default" policy and grants: per key GetKeyPolicy
 * and ListGrants, no DescribeKey (a key's state decides nothing; keyState and multiRegion stay null, and
 * describe-keys.ts fills them only for the keys a displayed plan names). AWS-managed keys are recognised by their
 * `alias/aws/*` alias and counted, not read. Any failed read is recorded in options.errors and the
 * affected field is null; a failed ListKeys leaves the region with no keys and a scan error, which the
 * planner treats as "unknown", never as "empty". A failed ListAliases (a scan error too) leaves every
 * key to be read as customer-managed.
 */
export async function scanKmsRegion(kms: KMSClient, region: string, options: KmsRegionScanOptions): Promise<KmsRegionFacts> {
  const { errors } = options;
  const emit = options.onProgress ?? (() => undefined);

  let listed: { keyId: string; arn: string | null }[];
  try {
    listed = [];
    for await (const page of paginateListKeys({ client: kms, pageSize: 1000 }, {})) {
      for (const key of page.Keys ?? []) if (key.KeyId) listed.push({ keyId: key.KeyId, arn: key.KeyArn ?? null });
    }
  } catch (err) {
    errors.add({ service: 'kms', operation: 'ListKeys', region }, err);
    emit({ kind: 'region-done', region, keys: 0, failed: true });
    return { region, keys: [], awsManagedKeysSkipped: 0 };
  }

  const aliasesByKey = await readAliases(kms, region, errors);
  const aliasesOf = (keyId: string): readonly string[] => aliasesByKey.get(keyId) ?? [];
  const customer = listed.filter((key) => !isAwsManagedByAlias(aliasesOf(key.keyId)));
  emit({ kind: 'region-keys', region, keys: customer.length });
  const limit = pLimit(Math.max(1, options.concurrency));
  const results = await Promise.all(
    customer.map((key) =>
      limit(async () => {
        const facts = await readKey(kms, region, key.keyId, key.arn, aliasesOf(key.keyId), errors);
        emit({ kind: 'key-done', region });
        return facts;
      }),
    ),
  );

  const keys = results.sort((a, b) => compareText(a.keyId, b.keyId));
  emit({ kind: 'region-done', region, keys: keys.length, failed: false });
  return { region, keys, awsManagedKeysSkipped: listed.length - customer.length };
}

/** Alias names per target key id from one paginated listing of the region; empty (and a scan error) on failure. */
async function readAliases(kms: KMSClient, region: string, errors: ScanErrorLog): Promise<Map<string, string[]>> {
  const byKey = new Map<string, string[]>();
  try {
    for await (const page of paginateListAliases({ client: kms, pageSize: 100 }, {})) {
      for (const alias of page.Aliases ?? []) {
        if (!alias.TargetKeyId || !alias.AliasName) continue;
        const names = byKey.get(alias.TargetKeyId) ?? [];
        names.push(alias.AliasName);
        byKey.set(alias.TargetKeyId, names);
      }
    }
  } catch (err) {
    errors.add({ service: 'kms', operation: 'ListAliases', region }, err);
    return new Map();
  }
  for (const names of byKey.values()) names.sort(compareText);
  return byKey;
}

/** One customer-managed key's facts: policy and grants; its state is not read here (see describe-keys.ts). */
async function readKey(
  kms: KMSClient,
  region: string,
  keyId: string,
  listedArn: string | null,
  aliases: readonly string[],
  errors: ScanErrorLog,
): Promise<KmsKeyFacts> {
  const resource = listedArn ?? keyId;
  const [policy, grants] = await Promise.all([
    readPolicy(kms, region, keyId, resource, errors),
    readGrants(kms, region, keyId, resource, errors),
  ]);
  return {
    keyId,
    arn: resource,
    region,
    keyState: null,
    multiRegion: null,
    aliases,
    policy,
    grants,
  };
}

async function readPolicy(kms: KMSClient, region: string, keyId: string, resource: string, errors: ScanErrorLog): Promise<string | null> {
  try {
    const answer = await kms.send(new GetKeyPolicyCommand({ KeyId: keyId, PolicyName: 'default' }));
    if (answer.Policy === undefined) throw new Error('GetKeyPolicy answered without a Policy');
    return answer.Policy;
  } catch (err) {
    errors.add({ service: 'kms', operation: 'GetKeyPolicy', region, resource }, err);
    return null;
  }
}

async function readGrants(
  kms: KMSClient,
  region: string,
  keyId: string,
  resource: string,
  errors: ScanErrorLog,
): Promise<KmsGrantFacts[] | null> {
  try {
    const grants: KmsGrantFacts[] = [];
    for await (const page of paginateListGrants({ client: kms, pageSize: 100 }, { KeyId: keyId })) {
      for (const grant of page.Grants ?? []) {
        if (!grant.GrantId) continue;
        grants.push({
          grantId: grant.GrantId,
          name: grant.Name ? grant.Name : null,
          granteePrincipal: grant.GranteePrincipal ?? null,
          retiringPrincipal: grant.RetiringPrincipal ?? null,
          operations: [...(grant.Operations ?? [])].sort(compareText),
        });
      }
    }
    return grants.sort((a, b) => compareText(a.grantId, b.grantId));
  } catch (err) {
    errors.add({ service: 'kms', operation: 'ListGrants', region, resource }, err);
    return null;
  }
}
