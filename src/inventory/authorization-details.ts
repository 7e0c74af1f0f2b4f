import { IAMClient, paginateGetAccountAuthorizationDetails, type RoleDetail, type UserDetail } from '@aws-sdk/client-iam';
import type { RoleFacts, UserFacts } from '../model/snapshot';
import { decodePolicyDocument } from '../policy/decode';
import { compareText } from '../util/text';

/** Everything about a user that GetAccountAuthorizationDetails gives; activity and MFA come from elsewhere. */
export type UserAuthorization = Omit<UserFacts, 'activity' | 'mfaDevices'>;

export interface AuthorizationDetails {
  readonly users: readonly UserAuthorization[];
  readonly roles: readonly RoleFacts[];
}

/** Page size asked for; AWS caps it at 1000. */
const PAGE_SIZE = 1000;

/**
 * Every user (inline policy names and documents, attached policies, groups, tags, boundary) and every role trust
 * policy in one paginated bulk read. Throws the SDK error when a page fails: a partial listing
 * must never look like a complete one.
 */
export async function readAuthorizationDetails(iam: IAMClient): Promise<AuthorizationDetails> {
  const users: UserAuthorization[] = [];
  const roles: RoleFacts[] = [];
  const pages = paginateGetAccountAuthorizationDetails({ client: iam, pageSize: PAGE_SIZE }, { Filter: ['User', 'Role'] });
  for await (const page of pages) {
    for (const detail of page.UserDetailList ?? []) users.push(userFromDetail(detail));
    for (const detail of page.RoleDetailList ?? []) roles.push(roleFromDetail(detail));
  }
  users.sort((a, b) => compareText(a.name, b.name));
  roles.sort((a, b) => compareText(a.name, b.name));
  return { users, roles };
}

export function userFromDetail(detail: UserDetail): UserAuthorization {
  const tags: Record<string, string> = {};
  const sortedTags = [...(detail.Tags ?? [])].sort((a, b) => compareText(a.Key ?? '', b.Key ?? ''));
  for (const tag of sortedTags) {
    if (tag.Key !== undefined) tags[tag.Key] = tag.Value ?? '';
  }
  return {
    name: required(detail.UserName, 'UserName'),
    userId: required(detail.UserId, 'UserId'),
    arn: required(detail.Arn, 'Arn'),
    path: detail.Path ?? '/',
    createDate: isoTime(detail.CreateDate),
    tags,
    permissionsBoundaryArn: detail.PermissionsBoundary?.PermissionsBoundaryArn ?? null,
    groups: sortedTexts(detail.GroupList ?? []),
    inlinePolicyNames: sortedTexts((detail.UserPolicyList ?? []).map((p) => p.PolicyName ?? '').filter((n) => n !== '')),
    inlinePolicyDocuments: inlineDocuments(detail),
    attachedPolicyArns: sortedTexts((detail.AttachedManagedPolicies ?? []).map((p) => p.PolicyArn ?? '').filter((a) => a !== '')),
  };
}

export function roleFromDetail(detail: RoleDetail): RoleFacts {
  return {
    name: required(detail.RoleName, 'RoleName'),
    arn: required(detail.Arn, 'Arn'),
    roleId: required(detail.RoleId, 'RoleId'),
    trustPolicy: decodePolicyDocument(detail.AssumeRolePolicyDocument ?? ''),
  };
}

/** Inline policy documents by name, decoded, in name order (a policy listed without a document maps to ""). */
function inlineDocuments(detail: UserDetail): Record<string, string> {
  const documents: Record<string, string> = {};
  const policies = (detail.UserPolicyList ?? []).filter((p) => p.PolicyName !== undefined && p.PolicyName !== '');
  policies.sort((a, b) => compareText(a.PolicyName ?? '', b.PolicyName ?? ''));
  for (const policy of policies) documents[policy.PolicyName ?? ''] = decodePolicyDocument(policy.PolicyDocument ?? '');
  return documents;
}

function required(value: string | undefined, field: string): string {
  if (value === undefined || value === '') {
    throw new Error(`GetAccountAuthorizationDetails returned an entry without ${field}`);
  }
  return value;
}

function isoTime(value: Date | undefined): string {
  return value ? value.toISOString() : '';
}

function sortedTexts(values: readonly string[]): string[] {
  return [...values].sort(compareText);
}
