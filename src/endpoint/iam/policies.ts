import type { XmlValue } from '../protocol/xml';
import type { IamUser, ManagedPolicyRecord, Tag } from './model';
import { IamOperationTable, reader, writer } from './operation';
import { paginate, pageFields } from './pagination';
import { alreadyExists, IamState, limitExceeded, noSuchEntity } from './store';
import { tagsParam } from './tags';
import { setBoundaryUsage } from './users';
import { checkName, checkPath, checkPolicyDocument } from './validation';

const MAX_MANAGED_POLICIES_PER_USER = 10;
const AWS_MANAGED_ARN = /^arn:aws:iam::aws:policy(\/(?:[\u0021-\u007E]+\/)?)([\w+=,.@-]+)$/;
/** The stand-in document of AWS-managed policies: the endpoint does not carry AWS's real ones. */
const AWS_MANAGED_DOCUMENT = '{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"*","Resource":"*"}]}';

/** IAM returns policy documents URL-encoded inside the XML (unless a test asked for plain JSON). */
export function encodePolicyDocument(iam: IamState, document: string): string {
  return iam.policyDocumentEncoding === 'plain' ? document : encodeURIComponent(document);
}

export interface CreatePolicyInput {
  readonly name: string;
  readonly document: string;
  readonly path?: string;
  readonly description?: string;
  readonly tags?: readonly Tag[];
  readonly createDate?: Date;
}

export function createPolicy(iam: IamState, input: CreatePolicyInput): ManagedPolicyRecord {
  const name = checkName('policyName', input.name, 128);
  const path = checkPath('path', input.path);
  const arn = iam.arn('policy', path, name);
  for (const existing of iam.policies.values()) {
    if (!existing.awsManaged && existing.name.toLowerCase() === name.toLowerCase()) {
      throw alreadyExists(`A policy called ${name} already exists. Duplicate names are not allowed.`);
    }
  }
  const createDate = input.createDate ?? iam.now();
  const policy: ManagedPolicyRecord = {
    name,
    policyId: iam.ids.uniqueId('ANPA'),
    arn,
    path,
    description: input.description,
    createDate,
    updateDate: createDate,
    defaultVersionId: 'v1',
    versions: [{ versionId: 'v1', document: checkPolicyDocument(input.document), createDate }],
    awsManaged: false,
    attachmentCount: 0,
    permissionsBoundaryUsageCount: 0,
    tags: [...(input.tags ?? [])],
  };
  iam.policies.set(arn, policy);
  return policy;
}

/** A customer-managed policy, or any arn:aws:iam::aws:policy/… (materialised on first use). */
export function requirePolicy(iam: IamState, policyArn: string): ManagedPolicyRecord {
  const existing = iam.policies.get(policyArn);
  if (existing) return existing;
  const match = AWS_MANAGED_ARN.exec(policyArn);
  if (!match) throw noSuchEntity(`Policy ${policyArn} does not exist or is not attachable.`);
  const createDate = new Date('2015-02-06T18:39:46Z');
  const policy: ManagedPolicyRecord = {
    name: match[2],
    policyId: iam.ids.uniqueId('ANPA'),
    arn: policyArn,
    path: match[1],
    createDate,
    updateDate: createDate,
    defaultVersionId: 'v1',
    versions: [{ versionId: 'v1', document: AWS_MANAGED_DOCUMENT, createDate }],
    awsManaged: true,
    attachmentCount: 0,
    permissionsBoundaryUsageCount: 0,
    tags: [],
  };
  iam.policies.set(policyArn, policy);
  return policy;
}

export function putUserPolicy(iam: IamState, userName: string, policyName: string, document: string): void {
  const user = iam.requireUser(userName);
  checkName('policyName', policyName, 128);
  user.inlinePolicies.set(policyName.toLowerCase(), { name: policyName, document: checkPolicyDocument(document) });
}

export function attachUserPolicy(iam: IamState, userName: string, policyArn: string): void {
  const user = iam.requireUser(userName);
  const policy = requirePolicy(iam, policyArn);
  if (user.attachedPolicyArns.includes(policy.arn)) return;
  if (user.attachedPolicyArns.length >= MAX_MANAGED_POLICIES_PER_USER) {
    throw limitExceeded(`Cannot exceed quota for PoliciesPerUser: ${MAX_MANAGED_POLICIES_PER_USER}`);
  }
  user.attachedPolicyArns.push(policy.arn);
  policy.attachmentCount++;
}

export function putUserPermissionsBoundary(iam: IamState, userName: string, policyArn: string): void {
  const user = iam.requireUser(userName);
  requirePolicy(iam, policyArn);
  setBoundaryUsage(iam, user, policyArn);
}

export function policyFields(policy: ManagedPolicyRecord): { [key: string]: XmlValue } {
  return {
    PolicyName: policy.name,
    PolicyId: policy.policyId,
    Arn: policy.arn,
    Path: policy.path,
    DefaultVersionId: policy.defaultVersionId,
    AttachmentCount: policy.attachmentCount,
    PermissionsBoundaryUsageCount: policy.permissionsBoundaryUsageCount,
    IsAttachable: true,
    Description: policy.description,
    CreateDate: policy.createDate,
    UpdateDate: policy.updateDate,
    Tags: policy.tags.length > 0 ? policy.tags.map((t) => ({ Key: t.Key, Value: t.Value })) : undefined,
  };
}

export function attachedPolicyFields(iam: IamState, user: IamUser): { PolicyName: string; PolicyArn: string }[] {
  return user.attachedPolicyArns.map((arn) => ({ PolicyName: iam.policies.get(arn)?.name ?? arn.split('/').pop() ?? arn, PolicyArn: arn }));
}

export const policyOperations: IamOperationTable = {
  PutUserPolicy: writer((iam, p) => {
    putUserPolicy(iam, p.required('UserName'), p.required('PolicyName'), p.required('PolicyDocument'));
    return undefined;
  }),
  GetUserPolicy: reader((iam, p) => {
    const user = iam.requireUser(p.required('UserName'));
    const policyName = p.required('PolicyName');
    const policy = user.inlinePolicies.get(policyName.toLowerCase());
    if (!policy) throw noSuchEntity(`The user policy with name ${policyName} cannot be found.`);
    return { UserName: user.name, PolicyName: policy.name, PolicyDocument: encodePolicyDocument(iam, policy.document) };
  }),
  DeleteUserPolicy: writer((iam, p) => {
    const user = iam.requireUser(p.required('UserName'));
    const policyName = p.required('PolicyName');
    if (!user.inlinePolicies.delete(policyName.toLowerCase())) {
      throw noSuchEntity(`The user policy with name ${policyName} cannot be found.`);
    }
    return undefined;
  }),
  ListUserPolicies: reader((iam, p) => {
    const user = iam.requireUser(p.required('UserName'));
    const names = [...user.inlinePolicies.values()].map((x) => x.name).sort((a, b) => (a.toLowerCase() < b.toLowerCase() ? -1 : 1));
    const page = paginate(names, (n) => n.toLowerCase(), p);
    return { PolicyNames: page.items, ...pageFields(page) };
  }),
  CreatePolicy: writer((iam, p) => {
    const policy = createPolicy(iam, {
      name: p.required('PolicyName'),
      path: p.optional('Path'),
      document: p.required('PolicyDocument'),
      description: p.optional('Description'),
      tags: tagsParam(p),
    });
    return { Policy: policyFields(policy) };
  }),
  GetPolicy: reader((iam, p) => {
    const arn = p.required('PolicyArn');
    const policy = iam.policies.get(arn) ?? (arn.startsWith('arn:aws:iam::aws:') ? requirePolicy(iam, arn) : undefined);
    if (!policy) throw noSuchEntity(`Policy ${arn} was not found.`);
    return { Policy: policyFields(policy) };
  }),
  GetPolicyVersion: reader((iam, p) => {
    const policy = requirePolicy(iam, p.required('PolicyArn'));
    const versionId = p.required('VersionId');
    const version = policy.versions.find((v) => v.versionId === versionId);
    if (!version) throw noSuchEntity(`Policy ${policy.arn} version ${versionId} does not exist or is not attachable.`);
    return {
      PolicyVersion: {
        Document: encodePolicyDocument(iam, version.document),
        VersionId: version.versionId,
        IsDefaultVersion: version.versionId === policy.defaultVersionId,
        CreateDate: version.createDate,
      },
    };
  }),
  AttachUserPolicy: writer((iam, p) => {
    attachUserPolicy(iam, p.required('UserName'), p.required('PolicyArn'));
    return undefined;
  }),
  DetachUserPolicy: writer((iam, p) => {
    const user = iam.requireUser(p.required('UserName'));
    const arn = p.required('PolicyArn');
    const index = user.attachedPolicyArns.indexOf(arn);
    if (index < 0) throw noSuchEntity(`Policy ${arn} was not found.`);
    user.attachedPolicyArns.splice(index, 1);
    const policy = iam.policies.get(arn);
    if (policy) policy.attachmentCount--;
    return undefined;
  }),
  ListAttachedUserPolicies: reader((iam, p) => {
    const user = iam.requireUser(p.required('UserName'));
    const prefix = p.optional('PathPrefix') ?? '/';
    const attached = attachedPolicyFields(iam, user)
      .filter((a) => (iam.policies.get(a.PolicyArn)?.path ?? '/').startsWith(prefix))
      .sort((a, b) => (a.PolicyArn < b.PolicyArn ? -1 : 1));
    const page = paginate(attached, (a) => a.PolicyArn, p);
    return { AttachedPolicies: page.items, ...pageFields(page) };
  }),
  PutUserPermissionsBoundary: writer((iam, p) => {
    putUserPermissionsBoundary(iam, p.required('UserName'), p.required('PermissionsBoundary'));
    return undefined;
  }),
  DeleteUserPermissionsBoundary: writer((iam, p) => {
    const user = iam.requireUser(p.required('UserName'));
    if (user.permissionsBoundaryArn === undefined) {
      throw noSuchEntity(`The user with name ${user.name} does not have a permissions boundary.`);
    }
    setBoundaryUsage(iam, user, undefined);
    return undefined;
  }),
};
