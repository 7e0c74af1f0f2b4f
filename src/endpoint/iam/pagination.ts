import { QueryParams } from '../protocol/query';
import { ServiceError } from '../errors';

export interface Page<T> {
  readonly items: T[];
  readonly isTruncated: boolean;
  /** Present only when truncated, as in IAM. */
  readonly marker?: string;
}

/** MaxItems: 1..1000, default 100 (IAM's limits). */
export function maxItems(params: QueryParams): number {
  const value = params.int('MaxItems') ?? 100;
  if (value < 1 || value > 1000) {
    throw new ServiceError(
      'ValidationError',
      `1 validation error detected: Value '${value}' at 'maxItems' failed to satisfy constraint: Member must have value between 1 and 1000`,
      400,
    );
  }
  return value;
}

/**
 * One page of `items` (already sorted by `key`). The marker names the last key returned, so
 * deleting entities between pages neither skips nor repeats the rest.
 */
export function paginate<T>(items: readonly T[], key: (item: T) => string, params: QueryParams): Page<T> {
  const limit = maxItems(params);
  const markerText = params.optional('Marker');
  let start = 0;
  if (markerText !== undefined) {
    const after = decodeMarker(markerText);
    let lo = 0;
    let hi = items.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (key(items[mid]) <= after) lo = mid + 1;
      else hi = mid;
    }
    start = lo;
  }
  const page = items.slice(start, start + limit);
  const isTruncated = start + limit < items.length;
  return {
    items: page,
    isTruncated,
    marker: isTruncated ? encodeMarker(key(page[page.length - 1])) : undefined,
  };
}

export function encodeMarker(value: string): string {
  return Buffer.from('m1:' + value, 'utf8').toString('base64');
}

export function decodeMarker(marker: string): string {
  const text = Buffer.from(marker, 'base64').toString('utf8');
  if (!text.startsWith('m1:')) throw new ServiceError('InvalidInput', 'Invalid Marker.', 400);
  return text.slice(3);
}

/** The IsTruncated/Marker members every IAM list result carries. */
export function pageFields<T>(page: Page<T>): { IsTruncated: boolean; Marker?: string } {
  return page.marker === undefined ? { IsTruncated: page.isTruncated } : { IsTruncated: page.isTruncated, Marker: page.marker };
}
