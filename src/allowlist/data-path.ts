import { isRecord } from '../util/record';
import type { PathSegment } from './yaml-source';

/** Reads a value at a path in plain parsed data (undefined when absent). */
export function valueAt(data: unknown, path: readonly PathSegment[]): unknown {
  let current = data;
  for (const segment of path) {
    if (Array.isArray(current) && typeof segment === 'number') current = current[segment];
    else if (isRecord(current) && typeof segment === 'string' && Object.prototype.hasOwnProperty.call(current, segment))
      current = current[segment];
    else return undefined;
  }
  return current;
}

export { isRecord };

/** Turns an ajv instancePath (/users/0/name) into segments, with list indexes as numbers. */
export function segmentsOf(instancePath: string, data: unknown): PathSegment[] {
  if (instancePath === '') return [];
  const segments: PathSegment[] = [];
  let current = data;
  for (const raw of instancePath.slice(1).split('/')) {
    const decoded = raw.replace(/~1/g, '/').replace(/~0/g, '~');
    const segment: PathSegment = Array.isArray(current) && /^\d+$/.test(decoded) ? Number(decoded) : decoded;
    segments.push(segment);
    current = valueAt(current, [segment]);
  }
  return segments;
}

/** users[2].owner — how a path is shown in messages; list entries carry their name when they have one. */
export function describePath(data: unknown, path: readonly PathSegment[]): string {
  if (path.length === 0) return 'the top level';
  let text = '';
  for (let i = 0; i < path.length; i++) {
    const segment = path[i];
    if (typeof segment === 'number') {
      text += `[${segment}]`;
      const entry = valueAt(data, path.slice(0, i + 1));
      const name = isRecord(entry) ? entry['name'] : undefined;
      if (typeof name === 'string' && name !== '' && i < path.length - 1) text += ` (${name})`;
    } else {
      text += text === '' ? segment : `.${segment}`;
    }
  }
  return text;
}

/** A value as it appears in a message: short, quoted when a string. */
export function showValue(value: unknown): string {
  if (value === null || value === undefined) return 'an empty value';
  const text = typeof value === 'string' ? JSON.stringify(value) : (JSON.stringify(value) ?? String(value));
  return text.length > 60 ? `${text.slice(0, 57)}...` : text;
}
