import { ServiceError } from './errors';
import type { QueryParams } from './protocol/query';
import type { XmlValue } from './protocol/xml';
import type { EndpointState } from './state';

export const STS_NAMESPACE = 'https://sts.amazonaws.com/doc/2011-06-15/';

/** STS over the Query protocol: only GetCallerIdentity, answering the configured caller. */
export function handleSts(state: EndpointState, params: QueryParams): { [key: string]: XmlValue } {
  if (params.action !== 'GetCallerIdentity') {
    throw new ServiceError('InvalidAction', `Could not find operation ${params.action} for version 2011-06-15`, 400);
  }
  const caller = state.resolveCaller();
  if (!caller.exists) {
    throw new ServiceError('InvalidClientTokenId', 'The security token included in the request is invalid.', 403);
  }
  return { UserId: caller.userId, Account: caller.account, Arn: caller.arn };
}
