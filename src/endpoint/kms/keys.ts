import { epochSeconds, KmsCallContext, requireCustomerManaged, requireNotPendingDeletion } from './context';
import { kmsErrors } from './errors';
import { keyArn, newKeyId, resolveKey } from './identifiers';
import { paginate } from './pagination';
import { integerInRange, optionalBoolean, optionalEnum, optionalString, RequestBody, requiredString } from './params';
import { awsManagedKeyPolicy, defaultKeyPolicy, validateKeyPolicy } from './policies';
import { KmsKey, KmsKeyManager, KmsKeyState } from './state';
import { readTagList } from './tags';

const KEY_USAGES = ['ENCRYPT_DECRYPT', 'SIGN_VERIFY', 'GENERATE_VERIFY_MAC', 'KEY_AGREEMENT'] as const;
const KEY_SPECS = [
  'SYMMETRIC_DEFAULT',
  'RSA_2048',
  'RSA_3072',
  'RSA_4096',
  'ECC_NIST_P256',
  'ECC_NIST_P384',
  'ECC_NIST_P521',
  'ECC_SECG_P256K1',
  'HMAC_224',
  'HMAC_256',
  'HMAC_384',
  'HMAC_512',
  'SM2',
] as const;
const MAX_DESCRIPTION_LENGTH = 8192;

export interface NewKeyProperties {
  readonly policy?: string;
  readonly description?: string;
  readonly keyManager?: KmsKeyManager;
  readonly multiRegion?: boolean;
  readonly keySpec?: string;
  readonly keyUsage?: string;
  readonly keyState?: KmsKeyState;
  readonly keyId?: string;
  readonly tags?: ReadonlyArray<{ TagKey: string; TagValue: string }>;
  /** For AWS managed keys without a policy: the owning service (from alias/aws/<service>). */
  readonly awsService?: string;
}

/** Creates and stores a key (shared by CreateKey and direct seeding). */
export function addKey(context: KmsCallContext, properties: NewKeyProperties): KmsKey {
  const multiRegion = properties.multiRegion ?? false;
  const keyId = properties.keyId ?? newKeyId(context.randomBytes, multiRegion);
  if (context.state.keys.has(keyId)) throw kmsErrors.alreadyExists(`Key ${keyId} already exists.`);
  const keyManager = properties.keyManager ?? 'CUSTOMER';
  const policy =
    properties.policy ??
    (keyManager === 'AWS'
      ? awsManagedKeyPolicy(context.accountId, context.region, properties.awsService ?? 'aws')
      : defaultKeyPolicy(context.accountId));
  validateKeyPolicy(policy);
  const keyState = properties.keyState ?? 'Enabled';
  const key: KmsKey = {
    keyId,
    arn: keyArn(context.region, context.accountId, keyId),
    region: context.region,
    creationDate: context.now,
    keyManager,
    multiRegion,
    keySpec: properties.keySpec ?? 'SYMMETRIC_DEFAULT',
    keyUsage: properties.keyUsage ?? 'ENCRYPT_DECRYPT',
    description: properties.description ?? '',
    policy,
    keyState,
    tags: new Map((properties.tags ?? []).map((tag) => [tag.TagKey, tag.TagValue])),
    grants: [],
  };
  if (keyState === 'PendingDeletion') schedule(key, context.now, 30);
  context.state.addKey(key);
  return key;
}

export function keyMetadata(context: KmsCallContext, key: KmsKey): Record<string, unknown> {
  const metadata: Record<string, unknown> = {
    AWSAccountId: context.accountId,
    KeyId: key.keyId,
    Arn: key.arn,
    CreationDate: epochSeconds(key.creationDate),
    Enabled: key.keyState === 'Enabled',
    Description: key.description,
    KeyUsage: key.keyUsage,
    KeyState: key.keyState,
    Origin: 'AWS_KMS',
    KeyManager: key.keyManager,
    CustomerMasterKeySpec: key.keySpec,
    KeySpec: key.keySpec,
    MultiRegion: key.multiRegion,
  };
  if (key.keySpec === 'SYMMETRIC_DEFAULT') metadata.EncryptionAlgorithms = ['SYMMETRIC_DEFAULT'];
  if (key.multiRegion) {
    metadata.MultiRegionConfiguration = {
      MultiRegionKeyType: 'PRIMARY',
      PrimaryKey: { Arn: key.arn, Region: key.region },
      ReplicaKeys: [],
    };
  }
  if (key.keyState === 'PendingDeletion') {
    metadata.DeletionDate = epochSeconds(key.deletionDate ?? context.now);
    metadata.PendingDeletionWindowInDays = key.pendingWindowInDays;
  }
  return metadata;
}

export function createKey(context: KmsCallContext, body: RequestBody): unknown {
  const policy = optionalString(body, 'Policy');
  const description = optionalString(body, 'Description');
  if (description !== undefined && description.length > MAX_DESCRIPTION_LENGTH) {
    throw kmsErrors.validation(`Description must be at most ${MAX_DESCRIPTION_LENGTH} characters.`);
  }
  // CustomerMasterKeySpec is the deprecated name of KeySpec.
  const keySpec = optionalEnum(body, 'KeySpec', KEY_SPECS) ?? optionalEnum(body, 'CustomerMasterKeySpec', KEY_SPECS);
  const keyUsage = optionalEnum(body, 'KeyUsage', KEY_USAGES);
  const origin = optionalString(body, 'Origin');
  if (origin !== undefined && origin !== 'AWS_KMS') {
    throw kmsErrors.unsupportedOperation(`Origin ${origin} is not supported by this endpoint.`);
  }
  const key = addKey(context, {
    policy,
    description,
    multiRegion: optionalBoolean(body, 'MultiRegion'),
    keySpec,
    keyUsage,
    tags: readTagList(body),
  });
  return { KeyMetadata: keyMetadata(context, key) };
}

export function describeKey(context: KmsCallContext, body: RequestBody): unknown {
  const key = resolveKey(context, requiredString(body, 'KeyId'), 'keyOrAlias');
  return { KeyMetadata: keyMetadata(context, key) };
}

export function listKeys(context: KmsCallContext, body: RequestBody): unknown {
  const limit = integerInRange(body, 'Limit', 1, 1000, 100);
  const page = paginate(context.state.sortedKeyIds(), (keyId) => keyId, 'ListKeys', optionalString(body, 'Marker'), limit);
  const keys = page.items.map((keyId) => ({ KeyId: keyId, KeyArn: keyArn(context.region, context.accountId, keyId) }));
  return page.truncated ? { Keys: keys, NextMarker: page.nextMarker, Truncated: true } : { Keys: keys, Truncated: false };
}

export function enableKey(context: KmsCallContext, body: RequestBody): unknown {
  const key = resolveKey(context, requiredString(body, 'KeyId'), 'keyIdOrArn');
  requireCustomerManaged(context, key, 'EnableKey');
  requireNotPendingDeletion(key);
  key.keyState = 'Enabled';
  return {};
}

export function disableKey(context: KmsCallContext, body: RequestBody): unknown {
  const key = resolveKey(context, requiredString(body, 'KeyId'), 'keyIdOrArn');
  requireCustomerManaged(context, key, 'DisableKey');
  requireNotPendingDeletion(key);
  key.keyState = 'Disabled';
  return {};
}

export function scheduleKeyDeletion(context: KmsCallContext, body: RequestBody): unknown {
  const key = resolveKey(context, requiredString(body, 'KeyId'), 'keyIdOrArn');
  const pendingWindowInDays = integerInRange(body, 'PendingWindowInDays', 7, 30, 30);
  requireCustomerManaged(context, key, 'ScheduleKeyDeletion');
  requireNotPendingDeletion(key);
  schedule(key, context.now, pendingWindowInDays);
  return {
    KeyId: key.arn,
    DeletionDate: epochSeconds(key.deletionDate ?? context.now),
    KeyState: key.keyState,
    PendingWindowInDays: pendingWindowInDays,
  };
}

/** A key whose deletion is cancelled comes back Disabled, as in AWS. */
export function cancelKeyDeletion(context: KmsCallContext, body: RequestBody): unknown {
  const key = resolveKey(context, requiredString(body, 'KeyId'), 'keyIdOrArn');
  requireCustomerManaged(context, key, 'CancelKeyDeletion');
  if (key.keyState !== 'PendingDeletion') throw kmsErrors.invalidState(`${key.arn} is not pending deletion.`);
  key.keyState = 'Disabled';
  key.deletionDate = undefined;
  key.pendingWindowInDays = undefined;
  return { KeyId: key.arn };
}

export function updateKeyDescription(context: KmsCallContext, body: RequestBody): unknown {
  const key = resolveKey(context, requiredString(body, 'KeyId'), 'keyIdOrArn');
  const description = optionalString(body, 'Description');
  if (description === undefined)
    throw kmsErrors.validation(
      "1 validation error detected: Value null at 'description' failed to satisfy constraint: Member must not be null",
    );
  requireCustomerManaged(context, key, 'UpdateKeyDescription');
  requireNotPendingDeletion(key);
  key.description = description;
  return {};
}

function schedule(key: KmsKey, now: number, pendingWindowInDays: number): void {
  key.keyState = 'PendingDeletion';
  key.pendingWindowInDays = pendingWindowInDays;
  key.deletionDate = now + pendingWindowInDays * 24 * 60 * 60 * 1000;
}
