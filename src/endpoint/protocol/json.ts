import { ServiceError } from '../errors';

/** AWS JSON 1.1 (KMS) and REST-JSON (Account) error body: `{"__type": code, "message": …}`. */
export function jsonErrorBody(error: ServiceError): string {
  return JSON.stringify({ __type: error.code, message: error.message });
}

export function parseJsonBody(body: string): Record<string, unknown> {
  if (body.trim() === '') return {};
  let parsed: unknown;
  try {
    parsed = JSON.parse(body);
  } catch {
    throw new ServiceError('SerializationException', 'Request body is not valid JSON', 400);
  }
  if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) {
    throw new ServiceError('SerializationException', 'Request body must be a JSON object', 400);
  }
  return parsed as Record<string, unknown>;
}
