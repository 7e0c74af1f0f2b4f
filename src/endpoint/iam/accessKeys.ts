import { randomBytes } from 'crypto';
import type { QueryParams } from '../protocol/query';
import type { AccessKeyRecord, AccessKeyUse, CredentialStatus, IamUser } from './model';
import { IamCallContext, IamOperationTable, reader, writer } from './operation';
import { paginate, pageFields } from './pagination';
import { IamState, invalidInput, limitExceeded, noSuchEntity } from './store';

const MAX_KEYS_PER_USER = 2;

export interface CreateAccessKeyInput {
  readonly status?: CredentialStatus;
  readonly createDate?: Date;
  readonly lastUsed?: AccessKeyUse;
}

export function createAccessKey(iam: IamState, userName: string, input: CreateAccessKeyInput = {}): AccessKeyRecord {
  const user = iam.requireUser(userName);
  if (user.accessKeys.length >= MAX_KEYS_PER_USER) {
    throw limitExceeded(`Cannot exceed quota for AccessKeysPerUser: ${MAX_KEYS_PER_USER}`);
  }
  const key: AccessKeyRecord = {
    accessKeyId: iam.ids.accessKeyId(),
    status: input.status ?? 'Active',
    createDate: input.createDate ?? iam.now(),
    lastUsed: input.lastUsed,
  };
  user.accessKeys.push(key);
  iam.accessKeyOwners.set(key.accessKeyId, user.name.toLowerCase());
  return key;
}

export function requireAccessKey(user: IamUser, accessKeyId: string): AccessKeyRecord {
  const key = user.accessKeys.find((k) => k.accessKeyId === accessKeyId);
  if (!key) throw noSuchEntity(`The Access Key with id ${accessKeyId} cannot be found.`);
  return key;
}

export function statusParam(params: QueryParams): CredentialStatus {
  const status = params.required('Status');
  if (status !== 'Active' && status !== 'Inactive') {
    throw invalidInput(`Invalid status ${status}: must be Active or Inactive.`);
  }
  return status;
}

/** The named user, or the calling user when UserName is omitted (as IAM does for credential operations). */
export function subjectUser(iam: IamState, params: QueryParams, context: IamCallContext): IamUser {
  const name = params.optional('UserName') ?? context.callerUserName;
  if (name === undefined) throw invalidInput('Must specify userName when calling with non-User credentials');
  return iam.requireUser(name);
}

export const accessKeyOperations: IamOperationTable = {
  CreateAccessKey: writer((iam, p, ctx) => {
    const user = subjectUser(iam, p, ctx);
    const key = createAccessKey(iam, user.name);
    return {
      AccessKey: {
        UserName: user.name,
        AccessKeyId: key.accessKeyId,
        Status: key.status,
        // The only place a secret ever appears: generated per call and never stored.
        SecretAccessKey: randomBytes(30).toString('base64'),
        CreateDate: key.createDate,
      },
    };
  }),
  ListAccessKeys: reader((iam, p, ctx) => {
    const user = subjectUser(iam, p, ctx);
    const keys = [...user.accessKeys].sort((a, b) => (a.accessKeyId < b.accessKeyId ? -1 : 1));
    const page = paginate(keys, (k) => k.accessKeyId, p);
    return {
      AccessKeyMetadata: page.items.map((k) => ({
        UserName: user.name,
        AccessKeyId: k.accessKeyId,
        Status: k.status,
        CreateDate: k.createDate,
      })),
      ...pageFields(page),
    };
  }),
  UpdateAccessKey: writer((iam, p, ctx) => {
    const key = requireAccessKey(subjectUser(iam, p, ctx), p.required('AccessKeyId'));
    key.status = statusParam(p);
    return undefined;
  }),
  DeleteAccessKey: writer((iam, p, ctx) => {
    const user = subjectUser(iam, p, ctx);
    const key = requireAccessKey(user, p.required('AccessKeyId'));
    user.accessKeys.splice(user.accessKeys.indexOf(key), 1);
    iam.accessKeyOwners.delete(key.accessKeyId);
    return undefined;
  }),
  GetAccessKeyLastUsed: reader((iam, p) => {
    const accessKeyId = p.required('AccessKeyId');
    const owner = iam.accessKeyOwners.get(accessKeyId);
    const user = owner === undefined ? undefined : iam.users.get(owner);
    if (!user) throw noSuchEntity(`The Access Key with id ${accessKeyId} cannot be found.`);
    const key = requireAccessKey(user, accessKeyId);
    return {
      UserName: user.name,
      AccessKeyLastUsed: key.lastUsed
        ? { LastUsedDate: key.lastUsed.date, ServiceName: key.lastUsed.serviceName, Region: key.lastUsed.region }
        : { ServiceName: 'N/A', Region: 'N/A' },
    };
  }),
};
