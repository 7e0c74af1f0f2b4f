import { accessKeyOperations } from './accessKeys';
import { accountAliasOperations } from './accountAliases';
import { authorizationDetailsOperations } from './authorizationDetails';
import { credentialReportOperations } from './credentialReport';
import { groupOperations } from './groups';
import { loginProfileOperations } from './loginProfiles';
import { mfaOperations } from './mfa';
import type { IamOperationTable } from './operation';
import { policyOperations } from './policies';
import { roleOperations } from './roles';
import { serviceCredentialOperations } from './serviceCredentials';
import { signingCertificateOperations } from './signingCertificates';
import { sshPublicKeyOperations } from './sshPublicKeys';
import { userOperations } from './users';

/** Every IAM action the local endpoint answers, by Query `Action` name. */
export const IAM_OPERATIONS: IamOperationTable = {
  ...userOperations,
  ...accessKeyOperations,
  ...loginProfileOperations,
  ...mfaOperations,
  ...signingCertificateOperations,
  ...sshPublicKeyOperations,
  ...serviceCredentialOperations,
  ...policyOperations,
  ...groupOperations,
  ...roleOperations,
  ...authorizationDetailsOperations,
  ...credentialReportOperations,
  ...accountAliasOperations,
};
