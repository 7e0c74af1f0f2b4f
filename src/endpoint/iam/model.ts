/** In-memory records of the local IAM account. Names are keyed lower-case: IAM names are case-insensitive. */

export interface Tag {
  readonly Key: string;
  readonly Value: string;
}

export type CredentialStatus = 'Active' | 'Inactive';

/** Where and when an access key was last used (what GetAccessKeyLastUsed and the credential report show). */
export interface AccessKeyUse {
  readonly date: Date;
  /** Service namespace, e.g. "s3", "iam". */
  readonly serviceName: string;
  readonly region: string;
}

export interface AccessKeyRecord {
  readonly accessKeyId: string;
  status: CredentialStatus;
  readonly createDate: Date;
  lastUsed?: AccessKeyUse;
}

export interface LoginProfileRecord {
  readonly createDate: Date;
  passwordResetRequired: boolean;
}

export interface SigningCertificateRecord {
  readonly certificateId: string;
  readonly body: string;
  status: CredentialStatus;
  readonly uploadDate: Date;
}

export interface SshPublicKeyRecord {
  readonly sshPublicKeyId: string;
  readonly body: string;
  readonly fingerprint: string;
  status: CredentialStatus;
  readonly uploadDate: Date;
}

export interface ServiceCredentialRecord {
  readonly serviceSpecificCredentialId: string;
  readonly serviceName: string;
  readonly serviceUserName: string;
  status: CredentialStatus;
  readonly createDate: Date;
}

export interface InlinePolicyRecord {
  readonly name: string;
  document: string;
}

export interface IamUser {
  name: string;
  path: string;
  readonly userId: string;
  arn: string;
  readonly createDate: Date;
  tags: Tag[];
  permissionsBoundaryArn?: string;
  /** Survives deletion of the login profile, as in IAM. */
  passwordLastUsed?: Date;
  loginProfile?: LoginProfileRecord;
  readonly accessKeys: AccessKeyRecord[];
  readonly signingCertificates: SigningCertificateRecord[];
  readonly sshPublicKeys: SshPublicKeyRecord[];
  readonly serviceCredentials: ServiceCredentialRecord[];
  /** Keyed by lower-case policy name. */
  readonly inlinePolicies: Map<string, InlinePolicyRecord>;
  readonly attachedPolicyArns: string[];
  /** Lower-case group names. */
  readonly groups: Set<string>;
}

export interface MfaDeviceRecord {
  readonly serialNumber: string;
  readonly virtual: boolean;
  readonly base32Seed: string;
  readonly createDate: Date;
  enableDate?: Date;
  /** Lower-case name of the user the device is assigned to. */
  userKey?: string;
  tags: Tag[];
}

export interface PolicyVersionRecord {
  readonly versionId: string;
  readonly document: string;
  readonly createDate: Date;
}

export interface ManagedPolicyRecord {
  readonly name: string;
  readonly policyId: string;
  readonly arn: string;
  readonly path: string;
  readonly description?: string;
  readonly createDate: Date;
  updateDate: Date;
  defaultVersionId: string;
  readonly versions: PolicyVersionRecord[];
  readonly awsManaged: boolean;
  attachmentCount: number;
  permissionsBoundaryUsageCount: number;
  tags: Tag[];
}

export interface IamGroup {
  readonly name: string;
  readonly path: string;
  readonly groupId: string;
  readonly arn: string;
  readonly createDate: Date;
  /** Lower-case user names. */
  readonly members: Set<string>;
}

export interface IamRole {
  readonly name: string;
  readonly path: string;
  readonly roleId: string;
  readonly arn: string;
  readonly createDate: Date;
  trustPolicy: string;
  description?: string;
  maxSessionDuration: number;
  tags: Tag[];
}
