import { randomBytes } from 'crypto';
import { ServiceError } from '../errors';
import type { ServiceCredentialRecord } from './model';
import { IamOperationTable, reader, writer } from './operation';
import { IamState, limitExceeded, noSuchEntity } from './store';
import { statusParam, subjectUser } from './accessKeys';

const SUPPORTED_SERVICES = new Set(['codecommit.amazonaws.com', 'cassandra.amazonaws.com', 'bedrock.amazonaws.com']);
const MAX_PER_SERVICE = 2;

export function createServiceSpecificCredential(
  iam: IamState,
  userName: string,
  serviceName: string,
  createDate?: Date,
): ServiceCredentialRecord {
  const user = iam.requireUser(userName);
  if (!SUPPORTED_SERVICES.has(serviceName)) {
    throw new ServiceError('NotSupportedService', `Service ${serviceName} is not supported for service-specific credentials.`, 404);
  }
  if (user.serviceCredentials.filter((c) => c.serviceName === serviceName).length >= MAX_PER_SERVICE) {
    throw limitExceeded(`Cannot exceed quota for ServiceSpecificCredentialsPerUserPerService: ${MAX_PER_SERVICE}`);
  }
  const credential: ServiceCredentialRecord = {
    serviceSpecificCredentialId: iam.ids.uniqueId('ACCA'),
    serviceName,
    serviceUserName: `${user.name}-at-${iam.accountId}`,
    status: 'Active',
    createDate: createDate ?? iam.now(),
  };
  user.serviceCredentials.push(credential);
  return credential;
}

function metadataFields(userName: string, c: ServiceCredentialRecord) {
  return {
    UserName: userName,
    Status: c.status,
    ServiceUserName: c.serviceUserName,
    CreateDate: c.createDate,
    ServiceSpecificCredentialId: c.serviceSpecificCredentialId,
    ServiceName: c.serviceName,
  };
}

function requireCredential(credentials: ServiceCredentialRecord[], id: string): ServiceCredentialRecord {
  const credential = credentials.find((c) => c.serviceSpecificCredentialId === id);
  if (!credential) throw noSuchEntity(`No such credential ${id} exists`);
  return credential;
}

export const serviceCredentialOperations: IamOperationTable = {
  CreateServiceSpecificCredential: writer((iam, p) => {
    const user = iam.requireUser(p.required('UserName'));
    const credential = createServiceSpecificCredential(iam, user.name, p.required('ServiceName'));
    return {
      ServiceSpecificCredential: {
        CreateDate: credential.createDate,
        ServiceName: credential.serviceName,
        ServiceUserName: credential.serviceUserName,
        // Returned once, never stored.
        ServicePassword: randomBytes(33).toString('base64'),
        ServiceSpecificCredentialId: credential.serviceSpecificCredentialId,
        UserName: user.name,
        Status: credential.status,
      },
    };
  }),
  ListServiceSpecificCredentials: reader((iam, p, ctx) => {
    const user = subjectUser(iam, p, ctx);
    const serviceName = p.optional('ServiceName');
    const credentials = user.serviceCredentials.filter((c) => serviceName === undefined || c.serviceName === serviceName);
    return { ServiceSpecificCredentials: credentials.map((c) => metadataFields(user.name, c)), IsTruncated: false };
  }),
  UpdateServiceSpecificCredential: writer((iam, p, ctx) => {
    const user = subjectUser(iam, p, ctx);
    requireCredential(user.serviceCredentials, p.required('ServiceSpecificCredentialId')).status = statusParam(p);
    return undefined;
  }),
  DeleteServiceSpecificCredential: writer((iam, p, ctx) => {
    const user = subjectUser(iam, p, ctx);
    const credential = requireCredential(user.serviceCredentials, p.required('ServiceSpecificCredentialId'));
    user.serviceCredentials.splice(user.serviceCredentials.indexOf(credential), 1);
    return undefined;
  }),
};
