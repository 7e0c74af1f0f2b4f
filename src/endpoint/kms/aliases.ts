import { epochSeconds, KmsCallContext, requireCustomerManaged, requireNotPendingDeletion } from './context';
import { kmsErrors } from './errors';
import { aliasArn, resolveKey } from './identifiers';
import { paginate } from './pagination';
import { integerInRange, optionalString, RequestBody, requiredString } from './params';
import { KmsAlias, KmsKey } from './state';

const ALIAS_NAME = /^[a-zA-Z0-9:/_-]+$/;
const MAX_ALIAS_NAME_LENGTH = 256;
/** Reserved for AWS managed keys; customers can neither create nor delete such aliases. */
export const AWS_ALIAS_PREFIX = 'alias/aws/';

/** Stores an alias without the customer-facing checks (seeding of AWS managed aliases). */
export function addAlias(context: KmsCallContext, aliasName: string, key: KmsKey): KmsAlias {
  if (context.state.aliases.has(aliasName)) {
    throw kmsErrors.alreadyExists(`An alias with the name ${aliasArn(context.region, context.accountId, aliasName)} already exists`);
  }
  const alias: KmsAlias = {
    aliasName,
    aliasArn: aliasArn(context.region, context.accountId, aliasName),
    targetKeyId: key.keyId,
    creationDate: context.now,
    lastUpdatedDate: context.now,
  };
  context.state.setAlias(alias);
  return alias;
}

function customerAliasName(body: RequestBody): string {
  const aliasName = requiredString(body, 'AliasName');
  if (aliasName.length > MAX_ALIAS_NAME_LENGTH || !ALIAS_NAME.test(aliasName)) {
    throw kmsErrors.validation(
      `1 validation error detected: Value '${aliasName}' at 'aliasName' failed to satisfy constraint: ` +
        `Member must satisfy regular expression pattern: ^[a-zA-Z0-9:/_-]+$`,
    );
  }
  if (!aliasName.startsWith('alias/') || aliasName.length === 'alias/'.length) {
    throw kmsErrors.invalidAliasName(`Alias must start with the prefix "alias/" followed by a name: ${aliasName}`);
  }
  if (aliasName.startsWith(AWS_ALIAS_PREFIX)) {
    throw kmsErrors.notAuthorized(`Alias names beginning with ${AWS_ALIAS_PREFIX} are reserved for AWS managed keys.`);
  }
  return aliasName;
}

function targetKey(context: KmsCallContext, body: RequestBody, action: string): KmsKey {
  const key = resolveKey(context, requiredString(body, 'TargetKeyId'), 'keyIdOrArn');
  requireCustomerManaged(context, key, action);
  requireNotPendingDeletion(key);
  return key;
}

export function createAlias(context: KmsCallContext, body: RequestBody): unknown {
  const aliasName = customerAliasName(body);
  const key = targetKey(context, body, 'CreateAlias');
  addAlias(context, aliasName, key);
  return {};
}

export function updateAlias(context: KmsCallContext, body: RequestBody): unknown {
  const aliasName = customerAliasName(body);
  const alias = context.state.aliases.get(aliasName);
  if (!alias) throw kmsErrors.notFound(`Alias ${aliasArn(context.region, context.accountId, aliasName)} is not found.`);
  const key = targetKey(context, body, 'UpdateAlias');
  alias.targetKeyId = key.keyId;
  alias.lastUpdatedDate = context.now;
  return {};
}

export function deleteAlias(context: KmsCallContext, body: RequestBody): unknown {
  const aliasName = customerAliasName(body);
  if (!context.state.aliases.has(aliasName)) {
    throw kmsErrors.notFound(`Alias ${aliasArn(context.region, context.accountId, aliasName)} is not found.`);
  }
  context.state.deleteAlias(aliasName);
  return {};
}

export function listAliases(context: KmsCallContext, body: RequestBody): unknown {
  const keyIdentifier = optionalString(body, 'KeyId');
  const limit = integerInRange(body, 'Limit', 1, 100, 50);
  const filterKey = keyIdentifier === undefined ? undefined : resolveKey(context, keyIdentifier, 'keyIdOrArn');
  const names = context.state.sortedAliasNames();
  const selected = filterKey ? names.filter((name) => context.state.aliases.get(name)?.targetKeyId === filterKey.keyId) : names;
  const listName = filterKey ? `ListAliases:${filterKey.keyId}` : 'ListAliases';
  const page = paginate(selected, (name) => name, listName, optionalString(body, 'Marker'), limit);
  const aliases = page.items.map((name) => {
    const alias = context.state.aliases.get(name) as KmsAlias;
    return {
      AliasName: alias.aliasName,
      AliasArn: alias.aliasArn,
      TargetKeyId: alias.targetKeyId,
      CreationDate: epochSeconds(alias.creationDate),
      LastUpdatedDate: epochSeconds(alias.lastUpdatedDate),
    };
  });
  return page.truncated ? { Aliases: aliases, NextMarker: page.nextMarker, Truncated: true } : { Aliases: aliases, Truncated: false };
}
