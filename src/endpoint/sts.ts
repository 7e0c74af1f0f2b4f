import { randomBytes } from 'crypto';
import { ServiceError } from './errors';
import type { QueryParams } from './protocol/query';
import type { XmlValue } from './protocol/xml';
import type { EndpointState } from './state';

export const STS_NAMESPACE = 'https://sts.amazonaws.com/doc/2011-06-15/';

/**
 * STS over the Query protocol: GetCallerIdentity (answering the request's caller) and AssumeRole
 * (for a role of this account; the temporary access key then stands for the assumed role).
 */
export function handleSts(state: EndpointState, params: QueryParams, accessKeyId?: string): { [key: string]: XmlValue } {
  if (params.action === 'AssumeRole') return assumeRole(state, params, accessKeyId);
  if (params.action !== 'GetCallerIdentity') {
    throw new ServiceError('InvalidAction', `Could not find operation ${params.action} for version 2011-06-15`, 400);
  }
  const caller = state.resolveCaller(accessKeyId);
  if (!caller.exists) {
    throw new ServiceError('InvalidClientTokenId', 'The security token included in the request is invalid.', 403);
  }
  return { UserId: caller.userId, Account: caller.account, Arn: caller.arn };
}

const ROLE_ARN = /^arn:aws[\w-]*:iam::(\d{12}):role\/(?:[\x21-\x7e]*\/)?([\w+=,.@-]{1,64})$/;

function assumeRole(state: EndpointState, params: QueryParams, accessKeyId?: string): { [key: string]: XmlValue } {
  const roleArn = params.required('RoleArn');
  const sessionName = params.required('RoleSessionName');
  if (!/^[\w+=,.@-]{2,64}$/.test(sessionName)) {
    throw new ServiceError(
      'ValidationError',
      `1 validation error detected: Value '${sessionName}' at 'roleSessionName' failed to satisfy constraint`,
      400,
    );
  }
  const match = ROLE_ARN.exec(roleArn);
  const role = match && match[1] === state.accountId ? state.iam.roles.get(match[2]!.toLowerCase()) : undefined;
  const caller = state.resolveCaller(accessKeyId);
  if (!role) {
    throw new ServiceError('AccessDenied', `User: ${caller.arn} is not authorized to perform: sts:AssumeRole on resource: ${roleArn}`, 403);
  }
  const duration = Number(params.optional('DurationSeconds') ?? '3600');
  const keyId = `ASIA${randomBytes(8).toString('hex').toUpperCase()}`;
  state.sessions.set(keyId, { kind: 'assumed-role', roleName: role.name, sessionName });
  return {
    Credentials: {
      AccessKeyId: keyId,
      // Fresh random values: the endpoint never checks them and never stores them.
      SecretAccessKey: randomBytes(30).toString('base64'),
      SessionToken: randomBytes(48).toString('base64'),
      Expiration: new Date(state.now().getTime() + duration * 1000).toISOString(),
    },
    AssumedRoleUser: {
      AssumedRoleId: `${role.roleId}:${sessionName}`,
      Arn: `arn:aws:sts::${state.accountId}:assumed-role/${role.name}/${sessionName}`,
    },
  };
}
