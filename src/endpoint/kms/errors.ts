import { ServiceError } from '../errors';

/** KMS error codes as AWS KMS (JSON 1.1) returns them in `__type`. All are client faults (400). */
export const kmsErrors = {
  notFound: (message: string) => new ServiceError('NotFoundException', message),
  invalidArn: (message: string) => new ServiceError('InvalidArnException', message),
  invalidState: (message: string) => new ServiceError('KMSInvalidStateException', message),
  malformedPolicy: (message: string) => new ServiceError('MalformedPolicyDocumentException', message),
  validation: (message: string) => new ServiceError('ValidationException', message),
  invalidMarker: () => new ServiceError('InvalidMarkerException', 'The marker is not valid for this request.'),
  limitExceeded: (message: string) => new ServiceError('LimitExceededException', message),
  alreadyExists: (message: string) => new ServiceError('AlreadyExistsException', message),
  invalidAliasName: (message: string) => new ServiceError('InvalidAliasNameException', message),
  notAuthorized: (message: string) => new ServiceError('NotAuthorizedException', message),
  invalidGrantId: (message: string) => new ServiceError('InvalidGrantIdException', message),
  invalidGrantToken: (message: string) => new ServiceError('InvalidGrantTokenException', message),
  unsupportedOperation: (message: string) => new ServiceError('UnsupportedOperationException', message),
  dryRun: () => new ServiceError('DryRunOperationException', 'The request would have succeeded, but the DryRun option is set.'),
  tag: (message: string) => new ServiceError('TagException', message),
  unknownOperation: (operation: string) =>
    new ServiceError('UnknownOperationException', `Operation ${operation} is not supported by this endpoint.`),
  accessDenied: (callerArn: string, action: string, resourceArn: string) =>
    new ServiceError(
      'AccessDeniedException',
      `User: ${callerArn} is not authorized to perform: kms:${action} on resource: ${resourceArn} ` +
        `because no resource-based policy allows the kms:${action} action`,
    ),
};
