import type { XmlValue } from '../protocol/xml';
import type { IamRole, Tag } from './model';
import { IamOperationTable, reader, writer } from './operation';
import { paginate, pageFields } from './pagination';
import { encodePolicyDocument } from './policies';
import { alreadyExists, IamState } from './store';
import { tagsParam } from './tags';
import { checkName, checkPath, checkPolicyDocument } from './validation';

export interface CreateRoleInput {
  readonly name: string;
  /** The trust policy (AssumeRolePolicyDocument) as JSON text. */
  readonly trustPolicy: string;
  readonly path?: string;
  readonly description?: string;
  /** Seconds; default 3600. */
  readonly maxSessionDuration?: number;
  readonly tags?: readonly Tag[];
  readonly createDate?: Date;
}

export function createRole(iam: IamState, input: CreateRoleInput): IamRole {
  const name = checkName('roleName', input.name, 64);
  const path = checkPath('path', input.path);
  if (iam.roles.has(name.toLowerCase())) throw alreadyExists(`Role with name ${name} already exists.`);
  const role: IamRole = {
    name,
    path,
    roleId: iam.ids.uniqueId('AROA'),
    arn: iam.arn('role', path, name),
    createDate: input.createDate ?? iam.now(),
    trustPolicy: checkPolicyDocument(input.trustPolicy),
    description: input.description,
    maxSessionDuration: input.maxSessionDuration ?? 3600,
    tags: [...(input.tags ?? [])],
  };
  iam.roles.set(name.toLowerCase(), role);
  return role;
}

export function roleFields(iam: IamState, role: IamRole, detailed: boolean): { [key: string]: XmlValue } {
  return {
    Path: role.path,
    RoleName: role.name,
    RoleId: role.roleId,
    Arn: role.arn,
    CreateDate: role.createDate,
    AssumeRolePolicyDocument: encodePolicyDocument(iam, role.trustPolicy),
    Description: role.description,
    MaxSessionDuration: role.maxSessionDuration,
    Tags: detailed && role.tags.length > 0 ? role.tags.map((t) => ({ Key: t.Key, Value: t.Value })) : undefined,
    RoleLastUsed: detailed ? {} : undefined,
  };
}

export const roleOperations: IamOperationTable = {
  CreateRole: writer((iam, p) => {
    const role = createRole(iam, {
      name: p.required('RoleName'),
      path: p.optional('Path'),
      trustPolicy: p.required('AssumeRolePolicyDocument'),
      description: p.optional('Description'),
      maxSessionDuration: p.int('MaxSessionDuration'),
      tags: tagsParam(p),
    });
    return { Role: roleFields(iam, role, false) };
  }),
  GetRole: reader((iam, p) => ({ Role: roleFields(iam, iam.requireRole(p.required('RoleName')), true) })),
  ListRoles: reader((iam, p) => {
    const prefix = p.optional('PathPrefix') ?? '/';
    const roles = [...iam.roles.entries()]
      .sort((a, b) => (a[0] < b[0] ? -1 : 1))
      .map((e) => e[1])
      .filter((r) => r.path.startsWith(prefix));
    const page = paginate(roles, (r) => r.name.toLowerCase(), p);
    return { Roles: page.items.map((r) => roleFields(iam, r, false)), ...pageFields(page) };
  }),
  UpdateAssumeRolePolicy: writer((iam, p) => {
    iam.requireRole(p.required('RoleName')).trustPolicy = checkPolicyDocument(p.required('PolicyDocument'));
    return undefined;
  }),
  DeleteRole: writer((iam, p) => {
    const role = iam.requireRole(p.required('RoleName'));
    iam.roles.delete(role.name.toLowerCase());
    return undefined;
  }),
};
