import { roleFromDetail, userFromDetail } from '../../src/inventory/authorization-details';

describe('userFromDetail', () => {
  it('GIVEN a UserDetail with every attachment kind WHEN mapped THEN names, ARNs, groups, tags and boundary are kept, sorted', () => {
    const user = userFromDetail({
      UserName: 'old-admin',
      UserId: 'AIDAOLDADMIN000000001',
      Arn: 'arn:aws:iam::111122223333:user/old-admin',
      Path: '/',
      CreateDate: new Date('2023-01-01T00:00:00Z'),
      UserPolicyList: [
        { PolicyName: 'zeta', PolicyDocument: '%7B%7D' },
        { PolicyName: 'alpha', PolicyDocument: '%7B%7D' },
      ],
      GroupList: ['ops', 'admins'],
      AttachedManagedPolicies: [{ PolicyName: 'P', PolicyArn: 'arn:aws:iam::111122223333:policy/P' }],
      PermissionsBoundary: {
        PermissionsBoundaryArn: 'arn:aws:iam::111122223333:policy/Boundary',
        PermissionsBoundaryType: 'PermissionsBoundaryPolicy',
      },
      Tags: [
        { Key: 'team', Value: 'ops' },
        { Key: 'cost', Value: '42' },
      ],
    });

    expect(user).toEqual({
      name: 'old-admin',
      userId: 'AIDAOLDADMIN000000001',
      arn: 'arn:aws:iam::111122223333:user/old-admin',
      path: '/',
      createDate: '2023-01-01T00:00:00.000Z',
      tags: { cost: '42', team: 'ops' },
      permissionsBoundaryArn: 'arn:aws:iam::111122223333:policy/Boundary',
      groups: ['admins', 'ops'],
      inlinePolicyNames: ['alpha', 'zeta'],
      inlinePolicyDocuments: { alpha: '{}', zeta: '{}' },
      attachedPolicyArns: ['arn:aws:iam::111122223333:policy/P'],
    });
    expect(Object.keys(user.tags)).toEqual(['cost', 'team']);
  });

  it('GIVEN URL-encoded inline policy documents WHEN mapped THEN each is kept decoded under its name', () => {
    const denyAll = '{"Version":"2012-10-17","Statement":[{"Effect":"Deny","Action":"*","Resource":"*"}]}';
    const user = userFromDetail({
      UserName: 'q',
      UserId: 'AIDAQ',
      Arn: 'arn:aws:iam::1:user/q',
      UserPolicyList: [
        { PolicyName: 'iam-allowlist-quarantine', PolicyDocument: encodeURIComponent(denyAll) },
        { PolicyName: 'plain', PolicyDocument: '{"Statement":[]}' },
      ],
    });
    expect(user.inlinePolicyDocuments).toEqual({ 'iam-allowlist-quarantine': denyAll, plain: '{"Statement":[]}' });
    expect(Object.keys(user.inlinePolicyDocuments ?? {})).toEqual(['iam-allowlist-quarantine', 'plain']);
  });

  it('GIVEN a bare UserDetail WHEN mapped THEN absent lists are empty and the boundary is null', () => {
    const user = userFromDetail({ UserName: 'u', UserId: 'AIDA1', Arn: 'arn:aws:iam::1:user/u', CreateDate: new Date(0) });
    expect(user.groups).toEqual([]);
    expect(user.tags).toEqual({});
    expect(user.permissionsBoundaryArn).toBeNull();
    expect(user.inlinePolicyDocuments).toEqual({});
    expect(user.path).toBe('/');
  });

  it('GIVEN a UserDetail without a UserId WHEN mapped THEN it fails rather than inventing one', () => {
    expect(() => userFromDetail({ UserName: 'u', Arn: 'arn:aws:iam::1:user/u' })).toThrow(/UserId/);
  });
});

describe('roleFromDetail', () => {
  it('GIVEN a percent-encoded trust policy WHEN mapped THEN it is decoded JSON', () => {
    const trust = '{"Statement":[{"Principal":{"AWS":"arn:aws:iam::1:user/jenkins-legacy"}}]}';
    const role = roleFromDetail({
      RoleName: 'legacy-deploy',
      RoleId: 'AROA1',
      Arn: 'arn:aws:iam::1:role/legacy-deploy',
      AssumeRolePolicyDocument: encodeURIComponent(trust),
    });
    expect(role).toEqual({ name: 'legacy-deploy', arn: 'arn:aws:iam::1:role/legacy-deploy', roleId: 'AROA1', trustPolicy: trust });
    expect(JSON.parse(role.trustPolicy).Statement[0].Principal.AWS).toBe('arn:aws:iam::1:user/jenkins-legacy');
  });
});
