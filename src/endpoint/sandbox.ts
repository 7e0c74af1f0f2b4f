import type { AccessKeyUse } from './iam/model';
import type { EndpointState } from './state';

export const SANDBOX_ACCOUNT_ID = '111122223333';

const DAY_MS = 24 * 60 * 60 * 1000;

interface SandboxUser {
  readonly name: string;
  readonly path: string;
  readonly createdDaysAgo: number;
  readonly password?: { readonly lastUsedDaysAgo?: number };
  readonly mfa?: boolean;
  /** One entry per access key: days since last use, or null for never used. */
  readonly keys?: ReadonlyArray<{ readonly createdDaysAgo: number; readonly lastUsedDaysAgo: number | null; readonly service?: string }>;
  readonly tags?: Readonly<Record<string, string>>;
}

/** The sandbox users; the comments say what each one exercises in the planner. */
const USERS: readonly SandboxUser[] = [
  // Declared, healthy: password + MFA, key used yesterday.
  {
    name: 'alice',
    path: '/engineering/',
    createdDaysAgo: 700,
    password: { lastUsedDaysAgo: 1 },
    mfa: true,
    keys: [{ createdDaysAgo: 90, lastUsedDaysAgo: 1, service: 's3' }],
    tags: { owner: 'alice@example.com' },
  },
  // Declared: password without MFA, a 200-day-old key used 3 days ago.
  {
    name: 'bob',
    path: '/engineering/',
    createdDaysAgo: 650,
    password: { lastUsedDaysAgo: 5 },
    keys: [{ createdDaysAgo: 200, lastUsedDaysAgo: 3, service: 'ec2' }],
  },
  // Declared service user: key used today, no password.
  {
    name: 'deploy-bot',
    path: '/service/',
    createdDaysAgo: 400,
    keys: [{ createdDaysAgo: 150, lastUsedDaysAgo: 0, service: 'cloudformation' }],
  },
  // Declared and protected: password + virtual MFA, never used in 400 days.
  { name: 'break-glass', path: '/', createdDaysAgo: 400, password: {}, mfa: true },
  // Declared with inactiveAfterDays 90: password and key last used 200 days ago -> quarantine.
  {
    name: 'former-contractor',
    path: '/contractors/',
    createdDaysAgo: 500,
    password: { lastUsedDaysAgo: 200 },
    keys: [{ createdDaysAgo: 480, lastUsedDaysAgo: 200, service: 's3' }],
  },
  // An expired exception -> delete.
  { name: 'legacy-etl', path: '/', createdDaysAgo: 900, keys: [{ createdDaysAgo: 800, lastUsedDaysAgo: 100, service: 'glue' }] },
  // Undeclared, never used.
  { name: 'temp-deploy-user', path: '/', createdDaysAgo: 60, keys: [{ createdDaysAgo: 60, lastUsedDaysAgo: null }] },
  // Undeclared, every dependent kind (the rest is added below).
  {
    name: 'old-admin',
    path: '/',
    createdDaysAgo: 1200,
    password: { lastUsedDaysAgo: 300 },
    mfa: true,
    keys: [
      { createdDaysAgo: 1100, lastUsedDaysAgo: 300, service: 'iam' },
      { createdDaysAgo: 700, lastUsedDaysAgo: 310, service: 'sts' },
    ],
    tags: { team: 'platform', 'cost-center': '1234' },
  },
  // Undeclared, named by ARN in an eu-west-1 key policy.
  { name: 'data-pipeline', path: '/service/', createdDaysAgo: 600, keys: [{ createdDaysAgo: 500, lastUsedDaysAgo: 120, service: 'kms' }] },
  // Undeclared, grantee of a us-east-1 grant.
  { name: 'report-generator', path: '/', createdDaysAgo: 365, keys: [{ createdDaysAgo: 300, lastUsedDaysAgo: 90, service: 'kms' }] },
  // Undeclared, matched by an ArnLike condition on aws:PrincipalArn.
  { name: 'analytics-reader', path: '/', createdDaysAgo: 500, keys: [{ createdDaysAgo: 400, lastUsedDaysAgo: 150, service: 'athena' }] },
  // Undeclared, named in role legacy-deploy's trust policy.
  { name: 'jenkins-legacy', path: '/', createdDaysAgo: 1000, keys: [{ createdDaysAgo: 900, lastUsedDaysAgo: 250, service: 'sts' }] },
  // Undeclared, sole administrator of a us-east-1 key.
  { name: 'key-admin-legacy', path: '/', createdDaysAgo: 1500, keys: [{ createdDaysAgo: 1400, lastUsedDaysAgo: 365, service: 'kms' }] },
  // Undeclared but active 2 days ago.
  { name: 'shadow-it-user', path: '/', createdDaysAgo: 45, keys: [{ createdDaysAgo: 40, lastUsedDaysAgo: 2, service: 'dynamodb' }] },
  // Undeclared: the identity running the tool.
  { name: 'ci-bootstrap', path: '/', createdDaysAgo: 30, keys: [{ createdDaysAgo: 30, lastUsedDaysAgo: 0, service: 'iam' }] },
];

function statementDocument(statements: readonly object[]): string {
  return JSON.stringify({ Version: '2012-10-17', Statement: statements });
}

function rootStatement(accountId: string): object {
  return {
    Sid: 'Enable IAM User Permissions',
    Effect: 'Allow',
    Principal: { AWS: `arn:aws:iam::${accountId}:root` },
    Action: 'kms:*',
    Resource: '*',
  };
}

/**
 * Seeds the sandbox account (see the project notes): users covering every planner rule and
 * guard, two roles, KMS keys in three regions, and ci-bootstrap as the caller.
 * All times are relative to `now`. Assumes an empty state.
 */
export function seedSandbox(state: EndpointState, now: Date = new Date()): void {
  const iam = state.iam;
  const accountId = state.accountId;
  const ago = (days: number) => new Date(now.getTime() - days * DAY_MS);

  iam.accountCreateDate = ago(2000);
  iam.rootPasswordLastUsed = ago(40);
  iam.rootMfaActive = true;
  iam.accountAlias = 'iam-allowlist-sandbox';

  for (const spec of USERS) {
    iam.createUser({
      name: spec.name,
      path: spec.path,
      createDate: ago(spec.createdDaysAgo),
      tags: Object.entries(spec.tags ?? {}).map(([Key, Value]) => ({ Key, Value })),
    });
    if (spec.password) {
      iam.createLoginProfile(spec.name, { createDate: ago(spec.createdDaysAgo) });
      if (spec.password.lastUsedDaysAgo !== undefined) iam.setActivity(spec.name, { passwordLastUsed: ago(spec.password.lastUsedDaysAgo) });
    }
    if (spec.mfa) iam.enableVirtualMfa(spec.name, ago(spec.createdDaysAgo));
    for (const key of spec.keys ?? []) {
      const lastUsed: AccessKeyUse | undefined =
        key.lastUsedDaysAgo === null
          ? undefined
          : { date: ago(key.lastUsedDaysAgo), serviceName: key.service ?? 'iam', region: 'us-east-1' };
      iam.createAccessKey(spec.name, { createDate: ago(key.createdDaysAgo), lastUsed });
    }
  }

  // old-admin: every other dependent kind that blocks (or, for boundary and tags, does not block) DeleteUser.
  iam.uploadSigningCertificate('old-admin');
  iam.uploadSshPublicKey('old-admin');
  iam.createServiceSpecificCredential('old-admin', 'codecommit.amazonaws.com');
  iam.putUserPolicy('old-admin', 'legacy-admin-inline', statementDocument([{ Effect: 'Allow', Action: 'iam:*', Resource: '*' }]));
  const adminPolicy = iam.createPolicy({
    name: 'LegacyAdminAccess',
    document: statementDocument([{ Effect: 'Allow', Action: '*', Resource: '*' }]),
    description: 'Full access granted in 2019, never reviewed',
    createDate: ago(1200),
  });
  iam.attachUserPolicy('old-admin', adminPolicy.arn);
  const boundary = iam.createPolicy({
    name: 'DeveloperBoundary',
    document: statementDocument([{ Effect: 'Allow', Action: ['s3:*', 'ec2:Describe*'], Resource: '*' }]),
    createDate: ago(1200),
  });
  iam.putUserPermissionsBoundary('old-admin', boundary.arn);
  iam.createGroup('admins');
  iam.addUserToGroup('admins', 'old-admin');
  iam.createGroup('engineering', '/engineering/');
  iam.addUserToGroup('engineering', 'alice');
  iam.addUserToGroup('engineering', 'bob');
  iam.attachUserPolicy('alice', 'arn:aws:iam::aws:policy/ReadOnlyAccess');

  const userArn = (name: string) => iam.requireUser(name).arn;
  iam.createRole({
    name: 'legacy-deploy',
    createDate: ago(1000),
    trustPolicy: statementDocument([{ Effect: 'Allow', Principal: { AWS: userArn('jenkins-legacy') }, Action: 'sts:AssumeRole' }]),
  });
  iam.createRole({
    name: 'platform-admin',
    createDate: ago(800),
    trustPolicy: statementDocument([{ Effect: 'Allow', Principal: { AWS: `arn:aws:iam::${accountId}:root` }, Action: 'sts:AssumeRole' }]),
  });

  const kms = state.kms;
  for (const region of ['us-east-1', 'eu-west-1']) {
    kms.createKey(region, {
      keyManager: 'AWS',
      aliases: ['alias/aws/s3'],
      description: 'Default key that protects my S3 objects when no other key is defined',
    });
    kms.createKey(region, {
      keyManager: 'AWS',
      aliases: ['alias/aws/ebs'],
      description: 'Default key that protects my EBS volumes when no other key is defined',
    });
  }
  const reports = kms.createKey('us-east-1', {
    description: 'Monthly reports',
    aliases: ['alias/reports'],
    policy: statementDocument([rootStatement(accountId)]),
  });
  kms.createGrant('us-east-1', reports.keyId, {
    granteePrincipal: userArn('report-generator'),
    operations: ['Encrypt', 'Decrypt', 'GenerateDataKey'],
    name: 'report-generator-access',
  });
  kms.createKey('us-east-1', {
    description: 'Analytics data lake',
    aliases: ['alias/analytics'],
    policy: statementDocument([
      rootStatement(accountId),
      {
        Sid: 'AllowAnalyticsUsers',
        Effect: 'Allow',
        Principal: { AWS: '*' },
        Action: ['kms:Decrypt', 'kms:DescribeKey'],
        Resource: '*',
        Condition: { ArnLike: { 'aws:PrincipalArn': `arn:aws:iam::${accountId}:user/analytics-*` } },
      },
    ]),
  });
  kms.createKey('us-east-1', {
    description: 'Legacy secrets (administered by one user only)',
    aliases: ['alias/legacy-secrets'],
    policy: statementDocument([
      { Sid: 'KeyAdministrator', Effect: 'Allow', Principal: { AWS: userArn('key-admin-legacy') }, Action: 'kms:*', Resource: '*' },
    ]),
  });
  kms.createKey('eu-west-1', {
    description: 'Data pipeline encryption',
    aliases: ['alias/data-pipeline'],
    policy: statementDocument([
      rootStatement(accountId),
      {
        Sid: 'AllowPipeline',
        Effect: 'Allow',
        Principal: { AWS: `arn:aws:iam::${accountId}:user/service/data-pipeline` },
        Action: ['kms:Encrypt', 'kms:Decrypt', 'kms:GenerateDataKey*'],
        Resource: '*',
      },
    ]),
  });
  kms.createKey('ap-southeast-2', {
    description: 'Backups',
    aliases: ['alias/backups'],
    policy: statementDocument([rootStatement(accountId)]),
  });

  state.caller = { kind: 'user', userName: 'ci-bootstrap' };
}
