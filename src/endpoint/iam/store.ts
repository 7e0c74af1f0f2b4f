import { ServiceError } from '../errors';
import { IdGenerator } from '../prng';
import type { IamGroup, IamRole, IamUser, ManagedPolicyRecord, MfaDeviceRecord } from './model';

/** The credential report as last generated: content is fixed at generation time, as in IAM. */
export interface CredentialReportRecord {
  readonly generatedAt: Date;
  /** Until this time GenerateCredentialReport says INPROGRESS and GetCredentialReport ReportInProgress. */
  readonly readyAt: Date;
  readonly csv: string;
}

export interface IamStateOptions {
  readonly accountId: string;
  /** Clock of the account; tests move it to age credential reports. Default: the wall clock. */
  readonly now?: () => Date;
}

/**
 * The whole in-memory IAM account plus lookups shared by the operation modules.
 * Operations live in the area modules (users.ts, accessKeys.ts, …); the fast seeding API is
 * in seeding.ts and reaches the same functions, so seeded data is exactly what the API would create.
 */
export class IamState {
  readonly accountId: string;
  now: () => Date;
  ids = new IdGenerator();
  readonly users = new Map<string, IamUser>();
  readonly groups = new Map<string, IamGroup>();
  readonly roles = new Map<string, IamRole>();
  /** Keyed by ARN (customer-managed and the AWS-managed ones referenced so far). */
  readonly policies = new Map<string, ManagedPolicyRecord>();
  /** Keyed by serial number. */
  readonly mfaDevices = new Map<string, MfaDeviceRecord>();
  /** Access key id -> lower-case user name. */
  readonly accessKeyOwners = new Map<string, string>();
  credentialReport?: CredentialReportRecord;
  /** How long a report generation takes (GenerateCredentialReport STARTED -> COMPLETE). Default 0. */
  credentialReportDelayMs = 0;
  /**
   * Test control: how policy documents travel in answers. AWS always URL-encodes them ("url-encoded", the
   * default); "plain" sends the JSON as is, as some AWS-compatible emulators do. reset() restores the default.
   */
  policyDocumentEncoding: 'url-encoded' | 'plain' = 'url-encoded';
  /** When the account was created: the <root_account> row's user_creation_time. */
  accountCreateDate = new Date('2015-01-01T00:00:00Z');
  rootPasswordLastUsed?: Date;
  rootMfaActive = true;
  /** The account alias (IAM allows at most one); undefined: none. */
  accountAlias?: string;
  private sortedUserCache?: IamUser[];

  constructor(options: IamStateOptions) {
    this.accountId = options.accountId;
    this.now = options.now ?? (() => new Date());
  }

  reset(): void {
    this.ids = new IdGenerator();
    this.users.clear();
    this.groups.clear();
    this.roles.clear();
    this.policies.clear();
    this.mfaDevices.clear();
    this.accessKeyOwners.clear();
    this.credentialReport = undefined;
    this.credentialReportDelayMs = 0;
    this.policyDocumentEncoding = 'url-encoded';
    this.rootPasswordLastUsed = undefined;
    this.rootMfaActive = true;
    this.accountAlias = undefined;
    this.sortedUserCache = undefined;
  }

  arn(resourceType: string, path: string, name: string): string {
    return `arn:aws:iam::${this.accountId}:${resourceType}${path}${name}`;
  }

  /** Users in IAM list order (case-insensitive by name); cached between mutations. */
  sortedUsers(): IamUser[] {
    if (!this.sortedUserCache) {
      this.sortedUserCache = [...this.users.entries()].sort((a, b) => (a[0] < b[0] ? -1 : 1)).map((e) => e[1]);
    }
    return this.sortedUserCache;
  }

  usersChanged(): void {
    this.sortedUserCache = undefined;
  }

  requireUser(userName: string): IamUser {
    const user = this.users.get(userName.toLowerCase());
    if (!user) throw noSuchEntity(`The user with name ${userName} cannot be found.`);
    return user;
  }

  requireGroup(groupName: string): IamGroup {
    const group = this.groups.get(groupName.toLowerCase());
    if (!group) throw noSuchEntity(`The group with name ${groupName} cannot be found.`);
    return group;
  }

  requireRole(roleName: string): IamRole {
    const role = this.roles.get(roleName.toLowerCase());
    if (!role) throw noSuchEntity(`The role with name ${roleName} cannot be found.`);
    return role;
  }
}

export function noSuchEntity(message: string): ServiceError {
  return new ServiceError('NoSuchEntity', message, 404);
}

export function alreadyExists(message: string): ServiceError {
  return new ServiceError('EntityAlreadyExists', message, 409);
}

export function invalidInput(message: string): ServiceError {
  return new ServiceError('InvalidInput', message, 400);
}

export function limitExceeded(message: string): ServiceError {
  return new ServiceError('LimitExceeded', message, 409);
}

export function deleteConflict(message: string): ServiceError {
  return new ServiceError('DeleteConflict', message, 409);
}
