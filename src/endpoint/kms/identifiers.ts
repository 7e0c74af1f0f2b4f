import { kmsErrors } from './errors';
import { KmsAlias, KmsKey, KmsRegionState } from './state';

const KMS_ARN = /^arn:aws[a-z-]*:kms:([a-z0-9-]+):(\d{12}):(key|alias)\/(.+)$/;
const KEY_ID = /^(?:[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}|mrk-[0-9a-f]{32})$/;
const GRANT_ID = /^[0-9a-f]{64}$/;

/** Source of random bytes for identifiers (crypto by default; seedable for reproducible runs). */
export type RandomBytes = (size: number) => Buffer;

/** A fresh key id: a version-4 UUID, or `mrk-` and 32 hex digits for a multi-Region key. */
export function newKeyId(randomBytes: RandomBytes, multiRegion: boolean): string {
  const bytes = randomBytes(16);
  if (multiRegion) return `mrk-${bytes.toString('hex')}`;
  bytes[6] = (bytes[6] & 0x0f) | 0x40;
  bytes[8] = (bytes[8] & 0x3f) | 0x80;
  const hex = bytes.toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

export function newGrantId(randomBytes: RandomBytes): string {
  return randomBytes(32).toString('hex');
}

export function newGrantToken(randomBytes: RandomBytes): string {
  return randomBytes(96).toString('base64url');
}

/** Random bytes drawn from a float generator in [0, 1) (e.g. a seeded PRNG). */
export function randomBytesFrom(nextFloat: () => number): RandomBytes {
  return (size) => {
    const bytes = Buffer.alloc(size);
    for (let index = 0; index < size; index += 1) bytes[index] = Math.floor(nextFloat() * 256) & 0xff;
    return bytes;
  };
}

export function isWellFormedGrantId(grantId: string): boolean {
  return GRANT_ID.test(grantId);
}

export function keyArn(region: string, accountId: string, keyId: string): string {
  return `arn:aws:kms:${region}:${accountId}:key/${keyId}`;
}

/** `aliasName` includes its `alias/` prefix. */
export function aliasArn(region: string, accountId: string, aliasName: string): string {
  return `arn:aws:kms:${region}:${accountId}:${aliasName}`;
}

export interface KmsArn {
  readonly region: string;
  readonly accountId: string;
  readonly resourceType: 'key' | 'alias';
  /** Key id, or the alias name with its `alias/` prefix. */
  readonly resource: string;
}

/** Parses a KMS key or alias ARN; anything else that starts with `arn:` is an InvalidArnException. */
export function parseKmsArn(arn: string): KmsArn {
  const match = KMS_ARN.exec(arn);
  if (!match) throw kmsErrors.invalidArn(`ARN ${arn} is not a valid KMS key or alias ARN.`);
  const [, region, accountId, resourceType, rest] = match;
  return {
    region,
    accountId,
    resourceType: resourceType as 'key' | 'alias',
    resource: resourceType === 'alias' ? `alias/${rest}` : rest,
  };
}

export interface KeyLookupScope {
  readonly state: KmsRegionState;
  readonly accountId: string;
  readonly region: string;
}

/**
 * Which identifiers an operation's KeyId parameter accepts. DescribeKey (and the cryptographic
 * operations) take key id, key ARN, alias name or alias ARN; every management operation
 * (GetKeyPolicy, PutKeyPolicy, CreateGrant, ListGrants, Enable/Disable, ScheduleKeyDeletion, ...)
 * takes only key id or key ARN.
 */
export type AcceptedKeyIdentifiers = 'keyIdOrArn' | 'keyOrAlias';

export function resolveKey(scope: KeyLookupScope, identifier: string, accepted: AcceptedKeyIdentifiers): KmsKey {
  if (identifier.startsWith('arn:')) {
    const arn = parseKmsArn(identifier);
    if (arn.resourceType === 'alias') {
      if (accepted !== 'keyOrAlias') throw kmsErrors.notFound(`Invalid keyId '${identifier}'`);
      if (arn.region !== scope.region || arn.accountId !== scope.accountId) throw aliasNotFound(identifier);
      return keyOfAlias(scope, arn.resource, identifier);
    }
    if (arn.region !== scope.region || arn.accountId !== scope.accountId) {
      throw kmsErrors.notFound(`Key '${identifier}' does not exist`);
    }
    return keyById(scope, arn.resource);
  }
  if (identifier.startsWith('alias/')) {
    if (accepted !== 'keyOrAlias') throw kmsErrors.notFound(`Invalid keyId '${identifier}'`);
    return keyOfAlias(scope, identifier, aliasArn(scope.region, scope.accountId, identifier));
  }
  return keyById(scope, identifier);
}

function keyById(scope: KeyLookupScope, keyId: string): KmsKey {
  const key = scope.state.keys.get(keyId);
  if (key) return key;
  if (!KEY_ID.test(keyId)) throw kmsErrors.notFound(`Invalid keyId '${keyId}'`);
  throw kmsErrors.notFound(`Key '${keyArn(scope.region, scope.accountId, keyId)}' does not exist`);
}

function keyOfAlias(scope: KeyLookupScope, aliasName: string, aliasArnText: string): KmsKey {
  const alias: KmsAlias | undefined = scope.state.aliases.get(aliasName);
  const key = alias && scope.state.keys.get(alias.targetKeyId);
  if (!key) throw aliasNotFound(aliasArnText);
  return key;
}

function aliasNotFound(aliasArnText: string) {
  return kmsErrors.notFound(`Alias ${aliasArnText} is not found.`);
}
