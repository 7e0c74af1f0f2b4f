/** Error codes of a connection that never got to a server: refused, no such host, no route. */
const UNREACHABLE_CODES = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'EHOSTUNREACH', 'ENETUNREACH']);

/**
 * True for an error of a request that never reached a server: the connection was refused, the host name does not
 * resolve, there is no route, or the connect timeout passed (the node HTTP handler's TimeoutError). Errors after a
 * connection was made (ECONNRESET, socket timeouts, EPIPE) are not: a reached server may answer the retry.
 */
export function isUnreachableEndpointError(err: unknown): boolean {
  const e = err as { code?: unknown; name?: unknown; message?: unknown } | null | undefined;
  if (typeof e?.code === 'string' && UNREACHABLE_CODES.has(e.code)) return true;
  return e?.name === 'TimeoutError' && typeof e.message === 'string' && e.message.includes('did not establish a connection');
}
