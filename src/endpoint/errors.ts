/**
 * An error answered by the local endpoint with an AWS error code and HTTP status.
 * Each protocol renders it its own way (IAM/STS: XML ErrorResponse; KMS: JSON __type).
 */
export class ServiceError extends Error {
  constructor(
    readonly code: string,
    message: string,
    readonly status: number = 400,
    /** "Sender" (the caller's fault) or "Receiver" (the service's). */
    readonly fault: 'Sender' | 'Receiver' = 'Sender',
  ) {
    super(message);
  }
}
