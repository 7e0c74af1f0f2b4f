import type { QueryParams } from '../protocol/query';
import type { XmlValue } from '../protocol/xml';
import type { IamUser, Tag } from './model';
import { IamOperationTable, reader, writer } from './operation';
import { paginate, pageFields } from './pagination';
import { alreadyExists, deleteConflict, IamState, noSuchEntity } from './store';
import { mergeTags, removeTags, tagsParam } from './tags';
import { checkName, checkPath } from './validation';

export interface CreateUserInput {
  readonly name: string;
  /** Default "/". */
  readonly path?: string;
  readonly tags?: readonly Tag[];
  readonly permissionsBoundaryArn?: string;
  /** Default: the account clock's now. */
  readonly createDate?: Date;
}

export function createUser(iam: IamState, input: CreateUserInput): IamUser {
  const name = checkName('userName', input.name, 64);
  const path = checkPath('path', input.path);
  const key = name.toLowerCase();
  if (iam.users.has(key)) throw alreadyExists(`User with name ${name} already exists.`);
  const user: IamUser = {
    name,
    path,
    userId: iam.ids.uniqueId('AIDA'),
    arn: iam.arn('user', path, name),
    createDate: input.createDate ?? iam.now(),
    tags: mergeTags([], input.tags ?? []),
    accessKeys: [],
    signingCertificates: [],
    sshPublicKeys: [],
    serviceCredentials: [],
    inlinePolicies: new Map(),
    attachedPolicyArns: [],
    groups: new Set(),
  };
  if (input.permissionsBoundaryArn !== undefined) setBoundaryUsage(iam, user, input.permissionsBoundaryArn);
  iam.users.set(key, user);
  iam.usersChanged();
  return user;
}

/** Sets (or with undefined clears) the permissions boundary, keeping the policy's usage count. */
export function setBoundaryUsage(iam: IamState, user: IamUser, policyArn: string | undefined): void {
  if (user.permissionsBoundaryArn !== undefined) {
    const previous = iam.policies.get(user.permissionsBoundaryArn);
    if (previous) previous.permissionsBoundaryUsageCount--;
  }
  user.permissionsBoundaryArn = policyArn;
  if (policyArn !== undefined) {
    const policy = iam.policies.get(policyArn);
    if (policy) policy.permissionsBoundaryUsageCount++;
  }
}

function assignedMfaSerials(iam: IamState, userKey: string): string[] {
  const serials: string[] = [];
  for (const device of iam.mfaDevices.values()) if (device.userKey === userKey) serials.push(device.serialNumber);
  return serials;
}

/** IAM refuses while any subordinate entity remains; boundary and tags do not block. */
export function deleteUser(iam: IamState, userName: string): void {
  const user = iam.requireUser(userName);
  const key = user.name.toLowerCase();
  if (user.loginProfile) throw deleteConflict('Cannot delete entity, must delete login profile first.');
  if (user.accessKeys.length > 0) throw deleteConflict('Cannot delete entity, must delete access keys first.');
  if (user.signingCertificates.length > 0) throw deleteConflict('Cannot delete entity, must delete signing certificates first.');
  if (user.sshPublicKeys.length > 0) throw deleteConflict('Cannot delete entity, must delete SSH public keys first.');
  if (user.serviceCredentials.length > 0) {
    throw deleteConflict('Cannot delete entity, must delete service specific credentials first.');
  }
  if (assignedMfaSerials(iam, key).length > 0) throw deleteConflict('Cannot delete entity, must delete MFA device first.');
  if (user.inlinePolicies.size > 0) throw deleteConflict('Cannot delete entity, must delete policies first.');
  if (user.attachedPolicyArns.length > 0) throw deleteConflict('Cannot delete entity, must detach all policies first.');
  if (user.groups.size > 0) throw deleteConflict('Cannot delete entity, must remove users from group first.');
  setBoundaryUsage(iam, user, undefined);
  iam.users.delete(key);
  iam.usersChanged();
}

export function renameUser(iam: IamState, userName: string, newName: string | undefined, newPath: string | undefined): void {
  const user = iam.requireUser(userName);
  const oldKey = user.name.toLowerCase();
  const name = newName === undefined ? user.name : checkName('newUserName', newName, 64);
  const path = newPath === undefined ? user.path : checkPath('newPath', newPath);
  const newKey = name.toLowerCase();
  if (newKey !== oldKey && iam.users.has(newKey)) throw alreadyExists(`User with name ${name} already exists.`);
  user.name = name;
  user.path = path;
  user.arn = iam.arn('user', path, name);
  if (newKey === oldKey) return;
  iam.users.delete(oldKey);
  iam.users.set(newKey, user);
  iam.usersChanged();
  for (const groupKey of user.groups) {
    const members = iam.groups.get(groupKey)?.members;
    members?.delete(oldKey);
    members?.add(newKey);
  }
  for (const device of iam.mfaDevices.values()) if (device.userKey === oldKey) device.userKey = newKey;
  for (const key of user.accessKeys) iam.accessKeyOwners.set(key.accessKeyId, newKey);
}

/** The User structure; GetUser adds PermissionsBoundary and Tags, ListUsers does not. */
export function userFields(user: IamUser, detailed: boolean): { [key: string]: XmlValue } {
  const fields: { [key: string]: XmlValue } = {
    Path: user.path,
    UserName: user.name,
    UserId: user.userId,
    Arn: user.arn,
    CreateDate: user.createDate,
    PasswordLastUsed: user.passwordLastUsed,
  };
  if (detailed) {
    if (user.permissionsBoundaryArn !== undefined) {
      fields.PermissionsBoundary = {
        PermissionsBoundaryType: 'PermissionsBoundaryPolicy',
        PermissionsBoundaryArn: user.permissionsBoundaryArn,
      };
    }
    if (user.tags.length > 0) fields.Tags = user.tags.map((t) => ({ Key: t.Key, Value: t.Value }));
  }
  return fields;
}

function callerOrNamed(iam: IamState, params: QueryParams, callerUserName: string | undefined): IamUser {
  const name = params.optional('UserName') ?? callerUserName;
  if (name === undefined) throw noSuchEntity('Must specify userName when calling with non-User credentials');
  return iam.requireUser(name);
}

export const userOperations: IamOperationTable = {
  CreateUser: writer((iam, p) => {
    const user = createUser(iam, {
      name: p.required('UserName'),
      path: p.optional('Path'),
      tags: tagsParam(p),
      permissionsBoundaryArn: p.optional('PermissionsBoundary'),
    });
    return { User: userFields(user, true) };
  }),
  GetUser: reader((iam, p, ctx) => ({ User: userFields(callerOrNamed(iam, p, ctx.callerUserName), true) })),
  ListUsers: reader((iam, p) => {
    const prefix = p.optional('PathPrefix') ?? '/';
    const all = iam.sortedUsers();
    const matching = prefix === '/' ? all : all.filter((u) => u.path.startsWith(prefix));
    const page = paginate(matching, (u) => u.name.toLowerCase(), p);
    return { Users: page.items.map((u) => userFields(u, false)), ...pageFields(page) };
  }),
  UpdateUser: writer((iam, p) => {
    renameUser(iam, p.required('UserName'), p.optional('NewUserName'), p.optional('NewPath'));
    return undefined;
  }),
  DeleteUser: writer((iam, p) => {
    deleteUser(iam, p.required('UserName'));
    return undefined;
  }),
  TagUser: writer((iam, p) => {
    const user = iam.requireUser(p.required('UserName'));
    user.tags = mergeTags(user.tags, tagsParam(p));
    return undefined;
  }),
  UntagUser: writer((iam, p) => {
    const user = iam.requireUser(p.required('UserName'));
    user.tags = removeTags(user.tags, p.stringList('TagKeys'));
    return undefined;
  }),
  ListUserTags: reader((iam, p) => {
    const user = iam.requireUser(p.required('UserName'));
    const indexed = user.tags.map((tag, i) => ({ tag, key: String(i).padStart(4, '0') }));
    const page = paginate(indexed, (t) => t.key, p);
    return { Tags: page.items.map(({ tag }) => ({ Key: tag.Key, Value: tag.Value })), ...pageFields(page) };
  }),
};
