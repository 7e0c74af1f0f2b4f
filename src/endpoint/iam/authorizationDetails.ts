import { ServiceError } from '../errors';
import type { XmlValue } from '../protocol/xml';
import { IamOperationTable, reader } from './operation';
import { decodeMarker, encodeMarker, maxItems } from './pagination';
import { attachedPolicyFields, encodePolicyDocument, policyFields } from './policies';
import type { IamState } from './store';

const ENTITY_FILTERS = ['User', 'Role', 'Group', 'LocalManagedPolicy', 'AWSManagedPolicy'] as const;
type EntityFilter = (typeof ENTITY_FILTERS)[number];

type DetailList = 'UserDetailList' | 'GroupDetailList' | 'RoleDetailList' | 'Policies';

/** One entry of the combined, stably ordered sequence that MaxItems and Marker count through. */
interface DetailItem {
  readonly list: DetailList;
  readonly render: () => { [key: string]: XmlValue };
}

function tagList(tags: readonly { Key: string; Value: string }[]): XmlValue {
  return tags.map((t) => ({ Key: t.Key, Value: t.Value }));
}

function detailItems(iam: IamState, filters: ReadonlySet<EntityFilter>): DetailItem[] {
  const items: DetailItem[] = [];
  if (filters.has('User')) {
    for (const user of iam.sortedUsers()) {
      items.push({
        list: 'UserDetailList',
        render: () => ({
          Path: user.path,
          UserName: user.name,
          UserId: user.userId,
          Arn: user.arn,
          CreateDate: user.createDate,
          UserPolicyList: [...user.inlinePolicies.values()].map((p) => ({
            PolicyName: p.name,
            PolicyDocument: encodePolicyDocument(iam, p.document),
          })),
          GroupList: [...user.groups].map((key) => iam.groups.get(key)?.name ?? key),
          AttachedManagedPolicies: attachedPolicyFields(iam, user),
          PermissionsBoundary:
            user.permissionsBoundaryArn === undefined
              ? undefined
              : { PermissionsBoundaryType: 'PermissionsBoundaryPolicy', PermissionsBoundaryArn: user.permissionsBoundaryArn },
          Tags: tagList(user.tags),
        }),
      });
    }
  }
  if (filters.has('Group')) {
    for (const [, group] of [...iam.groups.entries()].sort((a, b) => (a[0] < b[0] ? -1 : 1))) {
      items.push({
        list: 'GroupDetailList',
        render: () => ({
          Path: group.path,
          GroupName: group.name,
          GroupId: group.groupId,
          Arn: group.arn,
          CreateDate: group.createDate,
          GroupPolicyList: [],
          AttachedManagedPolicies: [],
        }),
      });
    }
  }
  if (filters.has('Role')) {
    for (const [, role] of [...iam.roles.entries()].sort((a, b) => (a[0] < b[0] ? -1 : 1))) {
      items.push({
        list: 'RoleDetailList',
        render: () => ({
          Path: role.path,
          RoleName: role.name,
          RoleId: role.roleId,
          Arn: role.arn,
          CreateDate: role.createDate,
          AssumeRolePolicyDocument: encodePolicyDocument(iam, role.trustPolicy),
          InstanceProfileList: [],
          RolePolicyList: [],
          AttachedManagedPolicies: [],
          Tags: tagList(role.tags),
          RoleLastUsed: {},
        }),
      });
    }
  }
  const wantLocal = filters.has('LocalManagedPolicy');
  const wantAws = filters.has('AWSManagedPolicy');
  if (wantLocal || wantAws) {
    const policies = [...iam.policies.values()]
      .filter((p) => (p.awsManaged ? wantAws : wantLocal))
      .sort((a, b) => (a.arn < b.arn ? -1 : 1));
    for (const policy of policies) {
      items.push({
        list: 'Policies',
        render: () => {
          const { Tags: _tags, ...fields } = policyFields(policy);
          return {
            ...fields,
            PolicyVersionList: policy.versions.map((v) => ({
              Document: encodePolicyDocument(iam, v.document),
              VersionId: v.versionId,
              IsDefaultVersion: v.versionId === policy.defaultVersionId,
              CreateDate: v.createDate,
            })),
          };
        },
      });
    }
  }
  return items;
}

export const authorizationDetailsOperations: IamOperationTable = {
  GetAccountAuthorizationDetails: reader((iam, p) => {
    const requested = p.stringList('Filter');
    for (const f of requested) {
      if (!(ENTITY_FILTERS as readonly string[]).includes(f)) {
        throw new ServiceError('ValidationError', `Invalid entity filter ${f}`, 400);
      }
    }
    const filters = new Set<EntityFilter>(requested.length > 0 ? (requested as EntityFilter[]) : ENTITY_FILTERS);
    const items = detailItems(iam, filters);
    const limit = maxItems(p);
    const markerText = p.optional('Marker');
    const start = markerText === undefined ? 0 : Number(decodeMarker(markerText));
    if (!Number.isInteger(start) || start < 0) throw new ServiceError('InvalidInput', 'Invalid Marker.', 400);
    const page = items.slice(start, start + limit);
    const lists: Record<DetailList, { [key: string]: XmlValue }[]> = {
      UserDetailList: [],
      GroupDetailList: [],
      RoleDetailList: [],
      Policies: [],
    };
    for (const item of page) lists[item.list].push(item.render());
    const isTruncated = start + limit < items.length;
    return {
      UserDetailList: lists.UserDetailList,
      GroupDetailList: lists.GroupDetailList,
      RoleDetailList: lists.RoleDetailList,
      Policies: lists.Policies,
      IsTruncated: isTruncated,
      Marker: isTruncated ? encodeMarker(String(start + limit)) : undefined,
    };
  }),
};
