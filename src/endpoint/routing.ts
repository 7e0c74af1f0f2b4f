import type { IncomingHttpHeaders } from 'http';
import type { ServiceName } from './faults';

export interface Route {
  readonly service: ServiceName;
  readonly region: string;
}

const SCOPE = /Credential=[^/,\s]+\/\d{8}\/([^/]+)\/([^/]+)\/aws4_request/;

/**
 * Which service a request is for. The SDK sends every client to the same AWS_ENDPOINT_URL,
 * so the SigV4 credential scope (region/service) is the reliable discriminator; without a
 * signature the protocol shape decides (X-Amz-Target: KMS; /listRegions: Account; else Query).
 */
export function routeRequest(headers: IncomingHttpHeaders, path: string, body: string): Route {
  const authorization = headers.authorization;
  const scope = typeof authorization === 'string' ? SCOPE.exec(authorization) : null;
  if (scope) {
    const region = scope[1];
    const service = scope[2];
    if (service === 'kms' || service === 'sts' || service === 'account' || service === 'iam') return { service, region };
  }
  const region = scope?.[1] ?? 'us-east-1';
  const target = headers['x-amz-target'];
  if (typeof target === 'string' && target.startsWith('TrentService.')) return { service: 'kms', region };
  if (path.startsWith('/listRegions')) return { service: 'account', region };
  if (/(^|&)Action=(GetCallerIdentity|AssumeRole)(&|$)/.test(body)) return { service: 'sts', region };
  return { service: 'iam', region };
}
