import type { XmlValue } from '../protocol/xml';
import type { IamGroup } from './model';
import { IamOperationTable, reader, writer } from './operation';
import { paginate, pageFields } from './pagination';
import { alreadyExists, deleteConflict, IamState, limitExceeded, noSuchEntity } from './store';
import { userFields } from './users';
import { checkName, checkPath } from './validation';

const MAX_GROUPS_PER_USER = 10;

export function createGroup(iam: IamState, groupName: string, path?: string, createDate?: Date): IamGroup {
  const name = checkName('groupName', groupName, 128);
  const groupPath = checkPath('path', path);
  if (iam.groups.has(name.toLowerCase())) throw alreadyExists(`Group with name ${name} already exists.`);
  const group: IamGroup = {
    name,
    path: groupPath,
    groupId: iam.ids.uniqueId('AGPA'),
    arn: iam.arn('group', groupPath, name),
    createDate: createDate ?? iam.now(),
    members: new Set(),
  };
  iam.groups.set(name.toLowerCase(), group);
  return group;
}

export function addUserToGroup(iam: IamState, groupName: string, userName: string): void {
  const group = iam.requireGroup(groupName);
  const user = iam.requireUser(userName);
  const groupKey = group.name.toLowerCase();
  if (user.groups.has(groupKey)) return;
  if (user.groups.size >= MAX_GROUPS_PER_USER) throw limitExceeded(`Cannot exceed quota for GroupsPerUser: ${MAX_GROUPS_PER_USER}`);
  user.groups.add(groupKey);
  group.members.add(user.name.toLowerCase());
}

export function groupFields(group: IamGroup): { [key: string]: XmlValue } {
  return { Path: group.path, GroupName: group.name, GroupId: group.groupId, Arn: group.arn, CreateDate: group.createDate };
}

export const groupOperations: IamOperationTable = {
  CreateGroup: writer((iam, p) => ({ Group: groupFields(createGroup(iam, p.required('GroupName'), p.optional('Path'))) })),
  AddUserToGroup: writer((iam, p) => {
    addUserToGroup(iam, p.required('GroupName'), p.required('UserName'));
    return undefined;
  }),
  RemoveUserFromGroup: writer((iam, p) => {
    const group = iam.requireGroup(p.required('GroupName'));
    const user = iam.requireUser(p.required('UserName'));
    const userKey = user.name.toLowerCase();
    if (!group.members.has(userKey)) {
      throw noSuchEntity(`User ${user.name} is not in group ${group.name}.`);
    }
    group.members.delete(userKey);
    user.groups.delete(group.name.toLowerCase());
    return undefined;
  }),
  ListGroupsForUser: reader((iam, p) => {
    const user = iam.requireUser(p.required('UserName'));
    const groups = [...user.groups]
      .sort()
      .map((key) => iam.groups.get(key))
      .filter((g): g is IamGroup => g !== undefined);
    const page = paginate(groups, (g) => g.name.toLowerCase(), p);
    return { Groups: page.items.map(groupFields), ...pageFields(page) };
  }),
  GetGroup: reader((iam, p) => {
    const group = iam.requireGroup(p.required('GroupName'));
    const members = [...group.members]
      .sort()
      .map((key) => iam.users.get(key))
      .filter((u) => u !== undefined);
    const page = paginate(members, (u) => u.name.toLowerCase(), p);
    return { Group: groupFields(group), Users: page.items.map((u) => userFields(u, false)), ...pageFields(page) };
  }),
  DeleteGroup: writer((iam, p) => {
    const group = iam.requireGroup(p.required('GroupName'));
    if (group.members.size > 0) throw deleteConflict('Cannot delete entity, must remove users from group first.');
    iam.groups.delete(group.name.toLowerCase());
    return undefined;
  }),
};
