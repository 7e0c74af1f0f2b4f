import { kmsErrors } from './errors';
import { compareText } from '../../util/text';

/**
 * Marker pagination over lists sorted by a string position. A marker names the position of the
 * last item returned (not an index), so a page boundary stays correct when items are added or
 * removed between calls. Markers are opaque to clients but deterministic, and carry the list they
 * belong to, so a marker from another list is an InvalidMarkerException.
 */
export interface Page<T> {
  readonly items: T[];
  readonly truncated: boolean;
  readonly nextMarker?: string;
}

export function encodeMarker(listName: string, position: string): string {
  return Buffer.from(`${listName}\n${position}`, 'utf8').toString('base64url');
}

/** The position a marker names; undefined when no marker was given. */
export function decodeMarker(listName: string, marker: string | undefined): string | undefined {
  if (marker === undefined) return undefined;
  const text = Buffer.from(marker, 'base64url').toString('utf8');
  const separator = text.indexOf('\n');
  if (separator < 0 || text.slice(0, separator) !== listName || encodeMarker(listName, text.slice(separator + 1)) !== marker) {
    throw kmsErrors.invalidMarker();
  }
  return text.slice(separator + 1);
}

/**
 * One page of `sorted` (ascending by `positionOf`) starting after the marker's position.
 */
export function paginate<T>(
  sorted: readonly T[],
  positionOf: (item: T) => string,
  listName: string,
  marker: string | undefined,
  limit: number,
): Page<T> {
  const after = decodeMarker(listName, marker);
  const start = after === undefined ? 0 : firstIndexAfter(sorted, positionOf, after);
  const items = sorted.slice(start, start + limit);
  const truncated = start + limit < sorted.length;
  return truncated ? { items, truncated, nextMarker: encodeMarker(listName, positionOf(items[items.length - 1])) } : { items, truncated };
}

function firstIndexAfter<T>(sorted: readonly T[], positionOf: (item: T) => string, position: string): number {
  let low = 0;
  let high = sorted.length;
  while (low < high) {
    const middle = (low + high) >>> 1;
    if (compareText(positionOf(sorted[middle]), position) <= 0) low = middle + 1;
    else high = middle;
  }
  return low;
}

/** A fixed-width decimal so that numeric order and string order agree. */
export function sequencePosition(sequence: number): string {
  return sequence.toString().padStart(15, '0');
}
