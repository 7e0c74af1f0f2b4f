import {
  AttachUserPolicyCommand,
  CreateGroupCommand,
  CreatePolicyCommand,
  CreateRoleCommand,
  DeleteUserPermissionsBoundaryCommand,
  GetAccountAuthorizationDetailsCommand,
  GetGroupCommand,
  GetPolicyCommand,
  GetPolicyVersionCommand,
  GetRoleCommand,
  GetUserCommand,
  GetUserPolicyCommand,
  ListAttachedUserPoliciesCommand,
  ListGroupsForUserCommand,
  ListRolesCommand,
  ListUserPoliciesCommand,
  paginateGetAccountAuthorizationDetails,
  PutUserPermissionsBoundaryCommand,
  PutUserPolicyCommand,
  UpdateAssumeRolePolicyCommand,
  AddUserToGroupCommand,
  DetachUserPolicyCommand,
  UserDetail,
} from '@aws-sdk/client-iam';
import { failureOf, useIamEndpoint } from './helpers';

const DOC = JSON.stringify({
  Version: '2012-10-17',
  Statement: [{ Effect: 'Allow', Action: 's3:GetObject', Resource: 'arn:aws:s3:::b/*' }],
});
const TRUST = (principal: string) =>
  JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { AWS: principal }, Action: 'sts:AssumeRole' }] });

describe('IAM policies, groups, roles and authorization details', () => {
  const ctx = useIamEndpoint(({ ep }) => {
    ep.state.iam.createUser({ name: 'u' });
  });

  test('GIVEN an inline policy WHEN read back THEN the document comes URL-encoded, as IAM sends it', async () => {
    await ctx.iam.send(new PutUserPolicyCommand({ UserName: 'u', PolicyName: 'read', PolicyDocument: DOC }));
    const read = await ctx.iam.send(new GetUserPolicyCommand({ UserName: 'u', PolicyName: 'READ' }));
    expect(read.PolicyName).toBe('read');
    expect(read.PolicyDocument).toBe(encodeURIComponent(DOC));
    expect(decodeURIComponent(read.PolicyDocument ?? '')).toBe(DOC);
    expect((await ctx.iam.send(new ListUserPoliciesCommand({ UserName: 'u' }))).PolicyNames).toEqual(['read']);
  });

  test('GIVEN a malformed document WHEN put THEN MalformedPolicyDocument 400', async () => {
    const failure = await failureOf(ctx.iam.send(new PutUserPolicyCommand({ UserName: 'u', PolicyName: 'p', PolicyDocument: '{nope' })));
    expect(failure).toMatchObject({ name: 'MalformedPolicyDocumentException', status: 400 });
  });

  test('GIVEN a customer-managed and an AWS-managed policy WHEN attached THEN counts, versions and listing agree', async () => {
    const created = await ctx.iam.send(new CreatePolicyCommand({ PolicyName: 'Read', Path: '/team/', PolicyDocument: DOC }));
    const arn = created.Policy?.Arn ?? '';
    expect(arn).toBe('arn:aws:iam::111122223333:policy/team/Read');
    await ctx.iam.send(new AttachUserPolicyCommand({ UserName: 'u', PolicyArn: arn }));
    await ctx.iam.send(new AttachUserPolicyCommand({ UserName: 'u', PolicyArn: 'arn:aws:iam::aws:policy/ReadOnlyAccess' }));
    expect((await ctx.iam.send(new GetPolicyCommand({ PolicyArn: arn }))).Policy?.AttachmentCount).toBe(1);
    const version = await ctx.iam.send(new GetPolicyVersionCommand({ PolicyArn: arn, VersionId: 'v1' }));
    expect(decodeURIComponent(version.PolicyVersion?.Document ?? '')).toBe(DOC);
    expect(version.PolicyVersion?.IsDefaultVersion).toBe(true);
    const attached = await ctx.iam.send(new ListAttachedUserPoliciesCommand({ UserName: 'u' }));
    expect(attached.AttachedPolicies?.map((p) => p.PolicyName).sort()).toEqual(['Read', 'ReadOnlyAccess']);
    await ctx.iam.send(new DetachUserPolicyCommand({ UserName: 'u', PolicyArn: arn }));
    expect((await ctx.iam.send(new GetPolicyCommand({ PolicyArn: arn }))).Policy?.AttachmentCount).toBe(0);
    expect(
      await failureOf(ctx.iam.send(new AttachUserPolicyCommand({ UserName: 'u', PolicyArn: 'arn:aws:iam::111122223333:policy/Nope' }))),
    ).toMatchObject({
      status: 404,
    });
  });

  test('GIVEN a group WHEN the user joins THEN GetGroup and ListGroupsForUser show the membership', async () => {
    await ctx.iam.send(new CreateGroupCommand({ GroupName: 'admins' }));
    await ctx.iam.send(new AddUserToGroupCommand({ GroupName: 'admins', UserName: 'u' }));
    expect((await ctx.iam.send(new GetGroupCommand({ GroupName: 'admins' }))).Users?.map((x) => x.UserName)).toEqual(['u']);
    const groups = await ctx.iam.send(new ListGroupsForUserCommand({ UserName: 'u' }));
    expect(groups.Groups?.[0]?.GroupId).toMatch(/^AGPA[A-Z0-9]{17}$/);
  });

  test('GIVEN a permissions boundary WHEN put and deleted THEN GetUser shows it and then not', async () => {
    const boundary = 'arn:aws:iam::aws:policy/PowerUserAccess';
    await ctx.iam.send(new PutUserPermissionsBoundaryCommand({ UserName: 'u', PermissionsBoundary: boundary }));
    expect((await ctx.iam.send(new GetUserCommand({ UserName: 'u' }))).User?.PermissionsBoundary?.PermissionsBoundaryArn).toBe(boundary);
    await ctx.iam.send(new DeleteUserPermissionsBoundaryCommand({ UserName: 'u' }));
    expect((await ctx.iam.send(new GetUserCommand({ UserName: 'u' }))).User?.PermissionsBoundary).toBeUndefined();
  });

  test('GIVEN a role WHEN created and its trust policy updated THEN GetRole and ListRoles return the URL-encoded trust', async () => {
    const created = await ctx.iam.send(
      new CreateRoleCommand({ RoleName: 'deploy', AssumeRolePolicyDocument: TRUST('arn:aws:iam::111122223333:root') }),
    );
    expect(created.Role?.RoleId).toMatch(/^AROA/);
    const next = TRUST('arn:aws:iam::111122223333:user/u');
    await ctx.iam.send(new UpdateAssumeRolePolicyCommand({ RoleName: 'deploy', PolicyDocument: next }));
    const role = await ctx.iam.send(new GetRoleCommand({ RoleName: 'deploy' }));
    expect(decodeURIComponent(role.Role?.AssumeRolePolicyDocument ?? '')).toBe(next);
    const roles = await ctx.iam.send(new ListRolesCommand({}));
    expect(roles.Roles?.map((r) => r.RoleName)).toEqual(['deploy']);
  });

  test('GIVEN a user with every kind of permission WHEN GetAccountAuthorizationDetails(User) THEN the detail carries them all', async () => {
    const s = ctx.ep.state.iam;
    s.putUserPolicy('u', 'inline', DOC);
    s.attachUserPolicy('u', 'arn:aws:iam::aws:policy/ReadOnlyAccess');
    s.createGroup('g');
    s.addUserToGroup('g', 'u');
    s.putUserPermissionsBoundary('u', 'arn:aws:iam::aws:policy/PowerUserAccess');
    s.tagUser('u', [{ Key: 'owner', Value: 'x' }]);
    s.createRole({ name: 'r', trustPolicy: TRUST('arn:aws:iam::111122223333:root') });
    const details = await ctx.iam.send(new GetAccountAuthorizationDetailsCommand({ Filter: ['User'] }));
    expect(details.RoleDetailList ?? []).toEqual([]);
    const user = details.UserDetailList?.[0];
    expect(decodeURIComponent(user?.UserPolicyList?.[0]?.PolicyDocument ?? '')).toBe(DOC);
    expect(user?.GroupList).toEqual(['g']);
    expect(user?.AttachedManagedPolicies?.[0]?.PolicyArn).toBe('arn:aws:iam::aws:policy/ReadOnlyAccess');
    expect(user?.PermissionsBoundary?.PermissionsBoundaryArn).toBe('arn:aws:iam::aws:policy/PowerUserAccess');
    expect(user?.Tags).toEqual([{ Key: 'owner', Value: 'x' }]);
    const roles = await ctx.iam.send(new GetAccountAuthorizationDetailsCommand({ Filter: ['Role'] }));
    expect(decodeURIComponent(roles.RoleDetailList?.[0]?.AssumeRolePolicyDocument ?? '')).toContain(':root');
  });

  test('GIVEN 12 users WHEN authorization details are paginated 5 at a time THEN 3 pages cover every user once', async () => {
    for (let i = 0; i < 11; i++) ctx.ep.state.iam.createUser({ name: `p${String(i).padStart(2, '0')}` });
    const pages: UserDetail[][] = [];
    for await (const page of paginateGetAccountAuthorizationDetails({ client: ctx.iam, pageSize: 5 }, { Filter: ['User'] })) {
      pages.push(page.UserDetailList ?? []);
    }
    expect(pages.map((p) => p.length)).toEqual([5, 5, 2]);
    expect(new Set(pages.flat().map((u) => u.UserName)).size).toBe(12);
  });
});
