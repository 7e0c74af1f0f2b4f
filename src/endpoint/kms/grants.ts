import { epochSeconds, KmsCallContext, requireCustomerManaged, requireNotPendingDeletion } from './context';
import { kmsErrors } from './errors';
import { isWellFormedGrantId, keyArn, newGrantId, newGrantToken, resolveKey } from './identifiers';
import { paginate, sequencePosition } from './pagination';
import { integerInRange, optionalBoolean, optionalObject, optionalString, optionalStringList, RequestBody, requiredString } from './params';
import { KmsGrant, KmsKey } from './state';

export const GRANT_OPERATIONS = [
  'CreateGrant',
  'Decapsulate',
  'Decrypt',
  'DeriveSharedSecret',
  'DescribeKey',
  'Encapsulate',
  'Encrypt',
  'GenerateDataKey',
  'GenerateDataKeyPair',
  'GenerateDataKeyPairWithoutPlaintext',
  'GenerateDataKeyWithoutPlaintext',
  'GenerateMac',
  'GetPublicKey',
  'ReEncryptFrom',
  'ReEncryptTo',
  'RetireGrant',
  'Sign',
  'Verify',
  'VerifyMac',
] as const;
const MAX_GRANTS_PER_KEY = 50000;
const GRANT_NAME = /^[a-zA-Z0-9:/_-]+$/;

export interface NewGrantProperties {
  readonly granteePrincipal: string;
  readonly retiringPrincipal?: string;
  readonly operations: readonly string[];
  readonly name?: string;
  readonly constraints?: Record<string, unknown>;
}

/** Creates and stores a grant (shared by CreateGrant and direct seeding). */
export function addGrant(context: KmsCallContext, key: KmsKey, properties: NewGrantProperties): KmsGrant {
  if (key.grants.length >= MAX_GRANTS_PER_KEY) {
    throw kmsErrors.limitExceeded(`Key ${key.arn} already has the maximum of ${MAX_GRANTS_PER_KEY} grants.`);
  }
  const grant: KmsGrant = {
    grantId: newGrantId(context.randomBytes),
    grantToken: newGrantToken(context.randomBytes),
    sequence: context.state.nextGrantSequence(),
    keyId: key.keyId,
    name: properties.name,
    creationDate: context.now,
    granteePrincipal: properties.granteePrincipal,
    retiringPrincipal: properties.retiringPrincipal,
    operations: [...properties.operations],
    constraints: properties.constraints,
  };
  context.state.addGrant(key, grant);
  return grant;
}

function grantEntry(context: KmsCallContext, grant: KmsGrant): Record<string, unknown> {
  const entry: Record<string, unknown> = {
    KeyId: keyArn(context.region, context.accountId, grant.keyId),
    GrantId: grant.grantId,
    CreationDate: epochSeconds(grant.creationDate),
    GranteePrincipal: grant.granteePrincipal,
    IssuingAccount: `arn:aws:iam::${context.accountId}:root`,
    Operations: [...grant.operations],
  };
  if (grant.name !== undefined) entry.Name = grant.name;
  if (grant.retiringPrincipal !== undefined) entry.RetiringPrincipal = grant.retiringPrincipal;
  if (grant.constraints !== undefined) entry.Constraints = grant.constraints;
  return entry;
}

/** Same name and same parameters: KMS answers with the existing grant instead of a new one. */
function sameGrant(grant: KmsGrant, properties: NewGrantProperties): boolean {
  return (
    grant.name === properties.name &&
    grant.granteePrincipal === properties.granteePrincipal &&
    grant.retiringPrincipal === properties.retiringPrincipal &&
    [...grant.operations].sort().join(',') === [...properties.operations].sort().join(',') &&
    JSON.stringify(grant.constraints ?? null) === JSON.stringify(properties.constraints ?? null)
  );
}

export function createGrant(context: KmsCallContext, body: RequestBody): unknown {
  const key = resolveKey(context, requiredString(body, 'KeyId'), 'keyIdOrArn');
  const granteePrincipal = requiredString(body, 'GranteePrincipal');
  const retiringPrincipal = optionalString(body, 'RetiringPrincipal');
  const operations = optionalStringList(body, 'Operations');
  if (operations === undefined || operations.length === 0) {
    throw kmsErrors.validation(
      "1 validation error detected: Value null at 'operations' failed to satisfy constraint: Member must not be null",
    );
  }
  const unknownOperation = operations.find((operation) => !(GRANT_OPERATIONS as readonly string[]).includes(operation));
  if (unknownOperation !== undefined) {
    throw kmsErrors.validation(
      `1 validation error detected: Value '[${operations.join(', ')}]' at 'operations' failed to satisfy constraint: ` +
        `Member must satisfy constraint: [Member must satisfy enum value set: [${GRANT_OPERATIONS.join(', ')}]]`,
    );
  }
  const name = optionalString(body, 'Name');
  if (name !== undefined && (name.length > 256 || !GRANT_NAME.test(name))) {
    throw kmsErrors.validation(
      `1 validation error detected: Value '${name}' at 'name' failed to satisfy constraint: Member must satisfy regular expression pattern: ^[a-zA-Z0-9:/_-]+$`,
    );
  }
  const constraints = optionalObject(body, 'Constraints');
  requireCustomerManaged(context, key, 'CreateGrant');
  requireNotPendingDeletion(key);
  if (optionalBoolean(body, 'DryRun') === true) {
    throw kmsErrors.dryRun();
  }
  const properties: NewGrantProperties = { granteePrincipal, retiringPrincipal, operations, name, constraints };
  const existing = name === undefined ? undefined : key.grants.find((grant) => sameGrant(grant, properties));
  const grant = existing ?? addGrant(context, key, properties);
  return { GrantId: grant.grantId, GrantToken: grant.grantToken };
}

export function listGrants(context: KmsCallContext, body: RequestBody): unknown {
  const key = resolveKey(context, requiredString(body, 'KeyId'), 'keyIdOrArn');
  const limit = integerInRange(body, 'Limit', 1, 100, 50);
  const grantId = optionalString(body, 'GrantId');
  if (grantId !== undefined && !isWellFormedGrantId(grantId)) throw kmsErrors.invalidGrantId(`Invalid grant ID: ${grantId}`);
  const granteePrincipal = optionalString(body, 'GranteePrincipal');
  const selected =
    grantId === undefined && granteePrincipal === undefined
      ? key.grants
      : key.grants.filter(
          (grant) =>
            (grantId === undefined || grant.grantId === grantId) &&
            (granteePrincipal === undefined || grant.granteePrincipal === granteePrincipal),
        );
  return grantsPage(context, body, selected, `ListGrants:${key.keyId}`, limit);
}

export function listRetirableGrants(context: KmsCallContext, body: RequestBody): unknown {
  const retiringPrincipal = requiredString(body, 'RetiringPrincipal');
  const limit = integerInRange(body, 'Limit', 1, 100, 50);
  const selected = [...context.state.grantsById.values()]
    .filter((grant) => grant.retiringPrincipal === retiringPrincipal)
    .sort((a, b) => a.sequence - b.sequence);
  return grantsPage(context, body, selected, `ListRetirableGrants:${retiringPrincipal}`, limit);
}

/** One page of grants in creation order, as ListGrants and ListRetirableGrants answer it. */
function grantsPage(context: KmsCallContext, body: RequestBody, selected: readonly KmsGrant[], scope: string, limit: number): unknown {
  const page = paginate(selected, (grant) => sequencePosition(grant.sequence), scope, optionalString(body, 'Marker'), limit);
  const grants = page.items.map((grant) => grantEntry(context, grant));
  return page.truncated ? { Grants: grants, NextMarker: page.nextMarker, Truncated: true } : { Grants: grants, Truncated: false };
}

/** The grant named by KeyId + GrantId (the key id or key ARN of the grant's key). */
function grantOfKey(context: KmsCallContext, body: RequestBody): { key: KmsKey; grant: KmsGrant } {
  const key = resolveKey(context, requiredString(body, 'KeyId'), 'keyIdOrArn');
  const grantId = requiredString(body, 'GrantId');
  if (!isWellFormedGrantId(grantId)) throw kmsErrors.invalidGrantId(`Invalid grant ID: ${grantId}`);
  const grant = context.state.grantsById.get(grantId);
  if (!grant || grant.keyId !== key.keyId) throw kmsErrors.notFound(`Grant ID ${grantId} not found for key ${key.arn}`);
  return { key, grant };
}

/**
 * Who may retire a grant: the account that issued it (root), its retiring principal, or its
 * grantee when the grant allows RetireGrant.
 */
export function retireGrant(context: KmsCallContext, body: RequestBody): unknown {
  const grantToken = optionalString(body, 'GrantToken');
  let grant: KmsGrant;
  if (grantToken !== undefined) {
    const byToken = context.state.grantsByToken.get(grantToken);
    if (!byToken) throw kmsErrors.invalidGrantToken('The grant token is not valid or the grant no longer exists.');
    grant = byToken;
  } else if (body.KeyId !== undefined || body.GrantId !== undefined) {
    grant = grantOfKey(context, body).grant;
  } else {
    throw kmsErrors.validation('Either GrantToken or both KeyId and GrantId must be specified.');
  }
  const callerArn = context.callerArn;
  const mayRetire =
    callerArn === `arn:aws:iam::${context.accountId}:root` ||
    callerArn === grant.retiringPrincipal ||
    (callerArn === grant.granteePrincipal && grant.operations.includes('RetireGrant'));
  if (!mayRetire) {
    throw kmsErrors.accessDenied(callerArn, 'RetireGrant', keyArn(context.region, context.accountId, grant.keyId));
  }
  if (optionalBoolean(body, 'DryRun') === true) {
    throw kmsErrors.dryRun();
  }
  context.state.removeGrant(grant);
  return {};
}

export function revokeGrant(context: KmsCallContext, body: RequestBody): unknown {
  const { grant } = grantOfKey(context, body);
  if (optionalBoolean(body, 'DryRun') === true) {
    throw kmsErrors.dryRun();
  }
  context.state.removeGrant(grant);
  return {};
}
