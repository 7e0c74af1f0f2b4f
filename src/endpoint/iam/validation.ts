import { ServiceError } from '../errors';

const NAME_PATTERN = /^[\w+=,.@-]+$/;
const PATH_PATTERN = /^(\/|\/[\u0021-\u007E]+\/)$/;

function validationError(field: string, value: string, constraint: string): ServiceError {
  return new ServiceError(
    'ValidationError',
    `1 validation error detected: Value '${value}' at '${field}' failed to satisfy constraint: ${constraint}`,
    400,
  );
}

/** IAM entity names: [\w+=,.@-]+ with a maximum length per entity type (users 64, roles 64, groups 128, policies 128). */
export function checkName(field: string, value: string, maxLength: number): string {
  if (value.length > maxLength) {
    throw validationError(field, value, `Member must have length less than or equal to ${maxLength}`);
  }
  if (!NAME_PATTERN.test(value)) {
    throw validationError(field, value, 'Member must satisfy regular expression pattern: [\\w+=,.@-]+');
  }
  return value;
}

/** IAM paths: "/" or "/segments/" of printable ASCII, at most 512 characters. */
export function checkPath(field: string, value: string | undefined): string {
  const path = value ?? '/';
  if (path.length > 512 || !PATH_PATTERN.test(path)) {
    throw validationError(field, path, 'Member must satisfy regular expression pattern: (\\u002F)|(\\u002F[\\u0021-\\u007E]+\\u002F)');
  }
  return path;
}

/** A policy document must be JSON text (IAM answers MalformedPolicyDocument otherwise). */
export function checkPolicyDocument(document: string): string {
  try {
    const parsed: unknown = JSON.parse(document);
    if (parsed === null || typeof parsed !== 'object') throw new Error('not an object');
  } catch {
    throw new ServiceError('MalformedPolicyDocument', 'Syntax errors in policy.', 400);
  }
  return document;
}
