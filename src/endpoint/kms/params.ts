import { kmsErrors } from './errors';

/**
 * Typed readers for the fields of a parsed KMS JSON request. They answer the way AWS's request
 * validation does: a ValidationException naming the (camelCase) member and the violated constraint.
 */
export type RequestBody = Record<string, unknown>;

function memberName(field: string): string {
  return field.charAt(0).toLowerCase() + field.slice(1);
}

function validationError(field: string, value: unknown, constraint: string) {
  const shown = value === undefined ? 'null' : `'${String(value)}'`;
  return kmsErrors.validation(
    `1 validation error detected: Value ${shown} at '${memberName(field)}' failed to satisfy constraint: ${constraint}`,
  );
}

export function optionalString(body: RequestBody, field: string): string | undefined {
  const value = body[field];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'string') throw validationError(field, value, 'Member must be a string');
  return value;
}

export function requiredString(body: RequestBody, field: string): string {
  const value = optionalString(body, field);
  if (value === undefined) throw validationError(field, undefined, 'Member must not be null');
  if (value.length === 0) throw validationError(field, value, 'Member must have length greater than or equal to 1');
  return value;
}

export function optionalBoolean(body: RequestBody, field: string): boolean | undefined {
  const value = body[field];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'boolean') throw validationError(field, value, 'Member must be a boolean');
  return value;
}

/** An optional integer within [min, max]; `fallback` when absent. */
export function integerInRange(body: RequestBody, field: string, min: number, max: number, fallback: number): number {
  const value = body[field];
  if (value === undefined || value === null) return fallback;
  if (typeof value !== 'number' || !Number.isInteger(value)) throw validationError(field, value, 'Member must be an integer');
  if (value < min) throw validationError(field, value, `Member must have value greater than or equal to ${min}`);
  if (value > max) throw validationError(field, value, `Member must have value less than or equal to ${max}`);
  return value;
}

export function optionalStringList(body: RequestBody, field: string): string[] | undefined {
  const value = body[field];
  if (value === undefined || value === null) return undefined;
  if (!Array.isArray(value) || value.some((item) => typeof item !== 'string')) {
    throw validationError(field, JSON.stringify(value), 'Member must be a list of strings');
  }
  return value as string[];
}

export function optionalEnum<T extends string>(body: RequestBody, field: string, allowed: readonly T[]): T | undefined {
  const value = optionalString(body, field);
  if (value === undefined) return undefined;
  if (!(allowed as readonly string[]).includes(value)) {
    throw validationError(field, value, `Member must satisfy enum value set: [${allowed.join(', ')}]`);
  }
  return value as T;
}

export function optionalObject(body: RequestBody, field: string): Record<string, unknown> | undefined {
  const value = body[field];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'object' || Array.isArray(value)) throw validationError(field, value, 'Member must be a structure');
  return value as Record<string, unknown>;
}
