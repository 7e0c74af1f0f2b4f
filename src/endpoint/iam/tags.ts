import { ServiceError } from '../errors';
import type { QueryParams } from '../protocol/query';
import type { Tag } from './model';
import { limitExceeded } from './store';

const MAX_TAGS = 50;

export function tagsParam(params: QueryParams, name = 'Tags'): Tag[] {
  return params.structList(name, ['Key', 'Value']).map((t) => {
    if (!t.Key) throw new ServiceError('ValidationError', 'Tag keys must not be empty', 400);
    return { Key: t.Key, Value: t.Value ?? '' };
  });
}

/** Adds or overwrites tags (keys compared case-insensitively, as IAM does). */
export function mergeTags(existing: readonly Tag[], added: readonly Tag[]): Tag[] {
  const merged = [...existing];
  for (const tag of added) {
    const index = merged.findIndex((t) => t.Key.toLowerCase() === tag.Key.toLowerCase());
    if (index >= 0) merged[index] = tag;
    else merged.push(tag);
  }
  if (merged.length > MAX_TAGS) throw limitExceeded(`The number of tags has reached the maximum limit of ${MAX_TAGS}.`);
  return merged;
}

export function removeTags(existing: readonly Tag[], keys: readonly string[]): Tag[] {
  const lower = new Set(keys.map((k) => k.toLowerCase()));
  return existing.filter((t) => !lower.has(t.Key.toLowerCase()));
}
