import { createAccessKey, CreateAccessKeyInput } from './accessKeys';
import { addUserToGroup, createGroup } from './groups';
import { createLoginProfile, CreateLoginProfileInput } from './loginProfiles';
import { createVirtualMfaDevice, enableMfaDevice } from './mfa';
import type { AccessKeyRecord, AccessKeyUse, IamGroup, IamRole, IamUser, ManagedPolicyRecord, Tag } from './model';
import { attachUserPolicy, createPolicy, CreatePolicyInput, putUserPermissionsBoundary, putUserPolicy } from './policies';
import { createRole, CreateRoleInput } from './roles';
import { createServiceSpecificCredential } from './serviceCredentials';
import { sampleCertificateBody, uploadSigningCertificate } from './signingCertificates';
import { sampleSshPublicKeyBody, uploadSshPublicKey } from './sshPublicKeys';
import { IamState } from './store';
import { mergeTags } from './tags';
import { createUser, CreateUserInput } from './users';

/** Recorded activity of a user: what the credential report and GetAccessKeyLastUsed will show. */
export interface UserActivityInput {
  /** undefined leaves it as is; null clears it (never used). */
  readonly passwordLastUsed?: Date | null;
  /** Per access key, in creation order; null clears a key's use, undefined leaves it. */
  readonly accessKeys?: ReadonlyArray<AccessKeyUse | null | undefined>;
}

/**
 * The local IAM account with a typed, synchronous seeding API (no HTTP): the benchmark creates
 * thousands of users with it. Every method goes through the same code as the matching API call,
 * so it enforces the same names, limits and conflicts.
 */
export class IamAccount extends IamState {
  createUser(input: CreateUserInput): IamUser {
    return createUser(this, input);
  }

  createAccessKey(userName: string, input?: CreateAccessKeyInput): AccessKeyRecord {
    return createAccessKey(this, userName, input);
  }

  createLoginProfile(userName: string, input?: CreateLoginProfileInput): void {
    createLoginProfile(this, userName, input);
  }

  /** Creates a virtual MFA device named after the user and assigns it; returns the serial number. */
  enableVirtualMfa(userName: string, enableDate?: Date): string {
    const user = this.requireUser(userName);
    const device = createVirtualMfaDevice(this, user.name);
    enableMfaDevice(this, user.name, device.serialNumber, enableDate);
    return device.serialNumber;
  }

  createVirtualMfaDevice(name: string, path?: string): string {
    return createVirtualMfaDevice(this, name, path).serialNumber;
  }

  uploadSigningCertificate(userName: string, body = sampleCertificateBody(userName)): string {
    return uploadSigningCertificate(this, userName, body).certificateId;
  }

  uploadSshPublicKey(userName: string, body = sampleSshPublicKeyBody(userName)): string {
    return uploadSshPublicKey(this, userName, body).sshPublicKeyId;
  }

  createServiceSpecificCredential(userName: string, serviceName = 'codecommit.amazonaws.com'): string {
    return createServiceSpecificCredential(this, userName, serviceName).serviceSpecificCredentialId;
  }

  putUserPolicy(userName: string, policyName: string, document: string): void {
    putUserPolicy(this, userName, policyName, document);
  }

  createPolicy(input: CreatePolicyInput): ManagedPolicyRecord {
    return createPolicy(this, input);
  }

  attachUserPolicy(userName: string, policyArn: string): void {
    attachUserPolicy(this, userName, policyArn);
  }

  putUserPermissionsBoundary(userName: string, policyArn: string): void {
    putUserPermissionsBoundary(this, userName, policyArn);
  }

  createGroup(groupName: string, path?: string): IamGroup {
    return createGroup(this, groupName, path);
  }

  addUserToGroup(groupName: string, userName: string): void {
    addUserToGroup(this, groupName, userName);
  }

  tagUser(userName: string, tags: readonly Tag[]): void {
    const user = this.requireUser(userName);
    user.tags = mergeTags(user.tags, tags);
  }

  createRole(input: CreateRoleInput): IamRole {
    return createRole(this, input);
  }

  setActivity(userName: string, activity: UserActivityInput): void {
    const user = this.requireUser(userName);
    if (activity.passwordLastUsed !== undefined) user.passwordLastUsed = activity.passwordLastUsed ?? undefined;
    const keys = [...user.accessKeys].sort((a, b) => a.createDate.getTime() - b.createDate.getTime());
    activity.accessKeys?.forEach((use, i) => {
      const key = keys[i];
      if (!key) throw new RangeError(`User ${user.name} has no access key #${i + 1}`);
      if (use !== undefined) key.lastUsed = use ?? undefined;
    });
  }

  setAccessKeyLastUsed(accessKeyId: string, use: AccessKeyUse | null): void {
    const owner = this.accessKeyOwners.get(accessKeyId);
    const key = owner === undefined ? undefined : this.users.get(owner)?.accessKeys.find((k) => k.accessKeyId === accessKeyId);
    if (!key) throw new RangeError(`No access key ${accessKeyId}`);
    key.lastUsed = use ?? undefined;
  }
}
