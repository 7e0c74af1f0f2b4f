/**
 * Serialises plain values into AWS Query-protocol XML: arrays become <member> lists, Dates
 * ISO-8601 without milliseconds (as IAM sends them), booleans "true"/"false", and
 * null/undefined members are left out. Hand-written for speed: the benchmark makes thousands of calls.
 */

export type XmlValue = string | number | boolean | Date | null | undefined | XmlValue[] | { [key: string]: XmlValue };

export function escapeXml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => (c === '&' ? '&amp;' : c === '<' ? '&lt;' : c === '>' ? '&gt;' : c === '"' ? '&quot;' : '&apos;'));
}

export function isoSeconds(date: Date): string {
  return date.toISOString().replace(/\.\d{3}Z$/, 'Z');
}

function scalar(value: string | number | boolean | Date): string {
  if (value instanceof Date) return isoSeconds(value);
  if (typeof value === 'string') return escapeXml(value);
  return String(value);
}

export function elementXml(name: string, value: XmlValue): string {
  if (value === null || value === undefined) return '';
  if (Array.isArray(value)) {
    let inner = '';
    for (const item of value) inner += elementXml('member', item);
    return `<${name}>${inner}</${name}>`;
  }
  if (typeof value === 'object' && !(value instanceof Date)) return `<${name}>${childrenXml(value)}</${name}>`;
  return `<${name}>${scalar(value)}</${name}>`;
}

export function childrenXml(fields: { [key: string]: XmlValue }): string {
  let out = '';
  for (const key of Object.keys(fields)) out += elementXml(key, fields[key]);
  return out;
}
