import { KmsCallContext, requireCustomerManaged, requireNotPendingDeletion } from './context';
import { kmsErrors } from './errors';
import { resolveKey } from './identifiers';
import { paginate } from './pagination';
import { integerInRange, optionalString, optionalStringList, RequestBody, requiredString } from './params';
import { compareText } from '../../util/text';
import type { KmsTag } from './state';

const MAX_TAGS_PER_KEY = 50;

/** The `Tags` member of CreateKey / TagResource: [{ TagKey, TagValue }]. */
export function readTagList(body: RequestBody): KmsTag[] {
  const value = body.Tags;
  if (value === undefined || value === null) return [];
  if (!Array.isArray(value)) throw kmsErrors.validation('Tags must be a list of { TagKey, TagValue }.');
  return value.map((entry: unknown) => {
    const tag = entry as { TagKey?: unknown; TagValue?: unknown };
    if (typeof tag?.TagKey !== 'string' || typeof tag.TagValue !== 'string') {
      throw kmsErrors.validation('Each tag needs a string TagKey and TagValue.');
    }
    if (tag.TagKey.length < 1 || tag.TagKey.length > 128 || tag.TagValue.length > 256) {
      throw kmsErrors.tag('Tag keys must have 1-128 characters and tag values at most 256.');
    }
    if (tag.TagKey.toLowerCase().startsWith('aws:')) throw kmsErrors.tag('Tag keys beginning with aws: are reserved.');
    return { TagKey: tag.TagKey, TagValue: tag.TagValue };
  });
}

export function tagResource(context: KmsCallContext, body: RequestBody): unknown {
  const key = resolveKey(context, requiredString(body, 'KeyId'), 'keyIdOrArn');
  const tags = readTagList(body);
  requireCustomerManaged(context, key, 'TagResource');
  requireNotPendingDeletion(key);
  const newKeys = new Set(tags.map((tag) => tag.TagKey).filter((tagKey) => !key.tags.has(tagKey)));
  if (key.tags.size + newKeys.size > MAX_TAGS_PER_KEY) {
    throw kmsErrors.limitExceeded(`A KMS key can have at most ${MAX_TAGS_PER_KEY} tags.`);
  }
  for (const tag of tags) key.tags.set(tag.TagKey, tag.TagValue);
  return {};
}

export function untagResource(context: KmsCallContext, body: RequestBody): unknown {
  const key = resolveKey(context, requiredString(body, 'KeyId'), 'keyIdOrArn');
  const tagKeys = optionalStringList(body, 'TagKeys');
  if (tagKeys === undefined)
    throw kmsErrors.validation(
      "1 validation error detected: Value null at 'tagKeys' failed to satisfy constraint: Member must not be null",
    );
  requireCustomerManaged(context, key, 'UntagResource');
  requireNotPendingDeletion(key);
  for (const tagKey of tagKeys) key.tags.delete(tagKey);
  return {};
}

export function listResourceTags(context: KmsCallContext, body: RequestBody): unknown {
  const key = resolveKey(context, requiredString(body, 'KeyId'), 'keyIdOrArn');
  const limit = integerInRange(body, 'Limit', 1, 50, 50);
  const sorted = [...key.tags.entries()]
    .map(([TagKey, TagValue]) => ({ TagKey, TagValue }))
    .sort((a, b) => compareText(a.TagKey, b.TagKey));
  const page = paginate(sorted, (tag) => tag.TagKey, `ListResourceTags:${key.keyId}`, optionalString(body, 'Marker'), limit);
  return page.truncated ? { Tags: page.items, NextMarker: page.nextMarker, Truncated: true } : { Tags: page.items, Truncated: false };
}
