/**
 * A planner-level copy of the sandbox account (src/endpoint/sandbox.ts), no endpoint involved.
 * scenario-sandbox.integration.test.ts fails when the two disagree on a fact declared here: change both together.
 */
import type { Allowlist } from '../../src/model/allowlist';
import type { Snapshot } from '../../src/model/snapshot';
import {
  ACCOUNT,
  aDeclared,
  aGrant,
  aKey,
  aKmsKey,
  anAllowlist,
  anException,
  aRole,
  aSnapshot,
  aUser,
  daysAgo,
  policyWith,
  rootOnlyPolicy,
} from './fixtures';

const key = (lastUsedDays: number | null, lastRotatedDays = 30) =>
  aKey({ lastUsed: lastUsedDays === null ? null : daysAgo(lastUsedDays), lastRotated: daysAgo(lastRotatedDays) });

export const users = {
  alice: aUser({
    name: 'alice',
    path: '/engineering/',
    createDate: daysAgo(700),
    groups: ['engineering'],
    activity: { passwordEnabled: true, passwordLastUsed: daysAgo(1), mfaActive: true, accessKeys: [key(1, 90)] },
  }),
  bob: aUser({
    name: 'bob',
    path: '/engineering/',
    createDate: daysAgo(650),
    groups: ['engineering'],
    activity: { passwordEnabled: true, passwordLastUsed: daysAgo(5), accessKeys: [key(3, 200)] },
  }),
  deployBot: aUser({ name: 'deploy-bot', path: '/service/', createDate: daysAgo(400), activity: { accessKeys: [key(0, 150)] } }),
  breakGlass: aUser({
    name: 'break-glass',
    createDate: daysAgo(400),
    activity: { passwordEnabled: true, passwordLastUsed: null, mfaActive: true },
  }),
  formerContractor: aUser({
    name: 'former-contractor',
    path: '/contractors/',
    createDate: daysAgo(500),
    activity: { passwordEnabled: true, passwordLastUsed: daysAgo(200), accessKeys: [key(200, 480)] },
  }),
  legacyEtl: aUser({ name: 'legacy-etl', createDate: daysAgo(900), activity: { accessKeys: [key(100, 800)] } }),
  tempDeploy: aUser({ name: 'temp-deploy-user', createDate: daysAgo(60), activity: { accessKeys: [key(null, 60)] } }),
  oldAdmin: aUser({
    name: 'old-admin',
    createDate: daysAgo(1200),
    groups: ['admins'],
    activity: { passwordEnabled: true, passwordLastUsed: daysAgo(300), mfaActive: true, accessKeys: [key(300, 1100), key(310, 700)] },
  }),
  dataPipeline: aUser({ name: 'data-pipeline', path: '/service/', createDate: daysAgo(600), activity: { accessKeys: [key(120, 500)] } }),
  reportGenerator: aUser({ name: 'report-generator', createDate: daysAgo(365), activity: { accessKeys: [key(90, 300)] } }),
  analyticsReader: aUser({ name: 'analytics-reader', createDate: daysAgo(500), activity: { accessKeys: [key(150, 400)] } }),
  jenkinsLegacy: aUser({ name: 'jenkins-legacy', createDate: daysAgo(1000), activity: { accessKeys: [key(250, 900)] } }),
  keyAdminLegacy: aUser({ name: 'key-admin-legacy', createDate: daysAgo(1500), activity: { accessKeys: [key(365, 1400)] } }),
  shadowIt: aUser({ name: 'shadow-it-user', createDate: daysAgo(45), activity: { accessKeys: [key(2, 40)] } }),
  ciBootstrap: aUser({ name: 'ci-bootstrap', createDate: daysAgo(30), activity: { accessKeys: [key(0, 30)] } }),
};

export const keys = {
  pipelineKey: aKmsKey({
    region: 'eu-west-1',
    keyId: 'eu-pipeline',
    aliases: ['alias/data-pipeline'],
    policy: policyWith({
      Sid: 'AllowPipeline',
      Effect: 'Allow',
      Principal: { AWS: users.dataPipeline.arn },
      Action: ['kms:Encrypt', 'kms:Decrypt'],
      Resource: '*',
    }),
  }),
  reportsKey: aKmsKey({
    region: 'us-east-1',
    keyId: 'us-reports',
    aliases: ['alias/reports'],
    grants: [aGrant({ grantId: 'grant-reports', granteePrincipal: users.reportGenerator.arn })],
  }),
  analyticsKey: aKmsKey({
    region: 'us-east-1',
    keyId: 'us-analytics',
    aliases: ['alias/analytics'],
    policy: policyWith({
      Sid: 'AnalyticsReaders',
      Effect: 'Allow',
      Principal: { AWS: '*' },
      Action: 'kms:Decrypt',
      Resource: '*',
      Condition: { ArnLike: { 'aws:PrincipalArn': `arn:aws:iam::${ACCOUNT}:user/analytics-*` } },
    }),
  }),
  legacyKey: aKmsKey({
    region: 'us-east-1',
    keyId: 'us-legacy',
    aliases: ['alias/legacy-secrets'],
    policy: {
      Version: '2012-10-17',
      Statement: [{ Sid: 'KeyAdmin', Effect: 'Allow', Principal: { AWS: users.keyAdminLegacy.arn }, Action: 'kms:*', Resource: '*' }],
    },
  }),
  // No statement or grant can name a user: the inventory reads no DescribeKey for it, so its state is unknown (null).
  sydneyKey: aKmsKey({
    region: 'ap-southeast-2',
    keyId: 'ap-plain',
    aliases: ['alias/backups'],
    policy: rootOnlyPolicy(),
    keyState: null,
    multiRegion: null,
  }),
};

export function sandboxSnapshot(): Snapshot {
  return aSnapshot({
    users: Object.values(users),
    roles: [
      aRole({
        name: 'legacy-deploy',
        trustPolicy: { Statement: { Effect: 'Allow', Principal: { AWS: users.jenkinsLegacy.arn }, Action: 'sts:AssumeRole' } },
      }),
      aRole({ name: 'platform-admin' }),
    ],
    keys: Object.values(keys),
    caller: { account: ACCOUNT, arn: users.ciBootstrap.arn, userId: users.ciBootstrap.userId, kind: 'user', userName: 'ci-bootstrap' },
  });
}

export function sandboxAllowlist(): Allowlist {
  return anAllowlist({
    account: ACCOUNT,
    defaults: { onInactive: 'quarantine' },
    users: [
      aDeclared({ name: 'alice', path: '/engineering/', owner: 'alice@example.com' }),
      aDeclared({ name: 'bob', path: '/engineering/', owner: 'bob@example.com' }),
      aDeclared({ name: 'deploy-bot', path: '/service/', owner: 'platform@example.com' }),
      aDeclared({ name: 'break-glass', owner: 'security@example.com', protect: true }),
      aDeclared({ name: 'former-contractor', path: '/contractors/', owner: 'vendor-mgmt@example.com', inactiveAfterDays: 90 }),
    ],
    exceptions: [anException({ name: 'legacy-etl', owner: 'data@example.com', reason: 'migration to Glue', expires: '2026-01-31' })],
  });
}
