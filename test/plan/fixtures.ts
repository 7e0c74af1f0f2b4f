/** Builders for planner tests: small valid defaults, override what the test is about. */
import type { Allowlist, AllowlistDefaults, DeclaredUser, ExceptionEntry, GuardSettings } from '../../src/model/allowlist';
import {
  SNAPSHOT_SCHEMA_VERSION,
  type AccessKeyActivity,
  type KmsGrantFacts,
  type KmsKeyFacts,
  type RoleFacts,
  type ScanError,
  type Snapshot,
  type UserActivity,
  type UserFacts,
} from '../../src/model/snapshot';

export const ACCOUNT = '111122223333';
export const NOW = new Date('2026-03-01T12:00:00.000Z');
const MS_PER_DAY = 24 * 60 * 60 * 1000;

export function daysAgo(days: number, now: Date = NOW): string {
  return new Date(now.getTime() - days * MS_PER_DAY).toISOString();
}

/** YYYY-MM-DD of NOW plus `days`. */
export function dateIn(days: number, now: Date = NOW): string {
  return new Date(now.getTime() + days * MS_PER_DAY).toISOString().slice(0, 10);
}

export function userIdFor(name: string): string {
  return `AIDA${name
    .toUpperCase()
    .replace(/[^A-Z0-9]/g, '')
    .padEnd(17, 'X')
    .slice(0, 17)}`;
}

export function userArn(name: string, path = '/'): string {
  return `arn:aws:iam::${ACCOUNT}:user${path}${name}`;
}

/** An access key (credential report row part). Default: active, rotated 30 days ago, used yesterday. */
export function aKey(overrides: Partial<AccessKeyActivity> = {}): AccessKeyActivity {
  return {
    accessKeyId: null,
    active: true,
    lastRotated: daysAgo(30),
    lastUsed: daysAgo(1),
    lastUsedService: 'sts',
    ...overrides,
  };
}

export type UserOverrides = Partial<Omit<UserFacts, 'activity'>> & { readonly activity?: Partial<UserActivity> };

/** A user created a year ago that never signed in and has no keys, unless overridden. */
export function aUser(overrides: UserOverrides = {}): UserFacts {
  const name = overrides.name ?? 'someone';
  const path = overrides.path ?? '/';
  const { activity, ...rest } = overrides;
  return {
    name,
    userId: userIdFor(name),
    arn: userArn(name, path),
    path,
    createDate: daysAgo(365),
    tags: {},
    permissionsBoundaryArn: null,
    groups: [],
    inlinePolicyNames: [],
    attachedPolicyArns: [],
    mfaDevices: [],
    ...rest,
    activity: {
      passwordEnabled: false,
      passwordLastUsed: null,
      mfaActive: false,
      accessKeys: [],
      activeCertificates: 0,
      ...activity,
    },
  };
}

export function aGrant(overrides: Partial<KmsGrantFacts> = {}): KmsGrantFacts {
  return {
    grantId: 'grant-0001',
    name: null,
    granteePrincipal: null,
    retiringPrincipal: null,
    operations: ['Decrypt'],
    ...overrides,
  };
}

export type KmsKeyOverrides = Partial<Omit<KmsKeyFacts, 'policy'>> & {
  /** An object is serialised to JSON; a string is used as is. */
  readonly policy?: unknown;
};

export function aKmsKey(overrides: KmsKeyOverrides = {}): KmsKeyFacts {
  const region = overrides.region ?? 'us-east-1';
  const keyId = overrides.keyId ?? '1234abcd-12ab-34cd-56ef-1234567890ab';
  const { policy, ...rest } = overrides;
  return {
    keyId,
    arn: `arn:aws:kms:${region}:${ACCOUNT}:key/${keyId}`,
    region,
    keyState: 'Enabled',
    multiRegion: false,
    aliases: [],
    grants: [],
    ...rest,
    policy:
      policy === undefined
        ? JSON.stringify(rootOnlyPolicy())
        : policy === null
          ? null
          : typeof policy === 'string'
            ? policy
            : JSON.stringify(policy),
  };
}

export function rootOnlyPolicy(): object {
  return {
    Version: '2012-10-17',
    Statement: [
      {
        Sid: 'Enable IAM User Permissions',
        Effect: 'Allow',
        Principal: { AWS: `arn:aws:iam::${ACCOUNT}:root` },
        Action: 'kms:*',
        Resource: '*',
      },
    ],
  };
}

/** A policy document with the root statement plus `statements`. */
export function policyWith(...statements: object[]): object {
  return { Version: '2012-10-17', Statement: [...(rootOnlyPolicy() as { Statement: object[] }).Statement, ...statements] };
}

export function aRole(overrides: Partial<Omit<RoleFacts, 'trustPolicy'>> & { readonly trustPolicy?: unknown } = {}): RoleFacts {
  const name = overrides.name ?? 'some-role';
  const { trustPolicy, ...rest } = overrides;
  return {
    name,
    arn: `arn:aws:iam::${ACCOUNT}:role/${name}`,
    roleId: `AROA${name
      .toUpperCase()
      .replace(/[^A-Z0-9]/g, '')
      .padEnd(17, 'X')
      .slice(0, 17)}`,
    ...rest,
    trustPolicy:
      trustPolicy === undefined
        ? JSON.stringify({
            Version: '2012-10-17',
            Statement: [{ Effect: 'Allow', Principal: { AWS: `arn:aws:iam::${ACCOUNT}:root` }, Action: 'sts:AssumeRole' }],
          })
        : typeof trustPolicy === 'string'
          ? trustPolicy
          : JSON.stringify(trustPolicy),
  };
}

export function aScanError(overrides: Partial<ScanError> = {}): ScanError {
  return { service: 'kms', operation: 'ListKeys', region: 'eu-west-1', code: 'AccessDeniedException', message: 'denied', ...overrides };
}

export type SnapshotOverrides = Partial<Omit<Snapshot, 'kms'>> & {
  /** Keys are grouped into regions automatically. */
  readonly keys?: readonly KmsKeyFacts[];
  readonly kms?: Snapshot['kms'];
};

/** An account seen by an assumed role (so the caller guard never fires by accident). */
export function aSnapshot(overrides: SnapshotOverrides = {}): Snapshot {
  const { keys, ...rest } = overrides;
  const regions = [...new Set((keys ?? []).map((key) => key.region))].sort();
  return {
    schemaVersion: SNAPSHOT_SCHEMA_VERSION,
    takenAt: NOW.toISOString(),
    accountId: ACCOUNT,
    partition: 'aws',
    caller: {
      account: ACCOUNT,
      arn: `arn:aws:sts::${ACCOUNT}:assumed-role/iam-allowlist/ci`,
      userId: 'AROAEXAMPLEROLEID:ci',
      kind: 'assumed-role',
    },
    users: [],
    roles: [],
    kms: regions.map((region) => ({ region, keys: (keys ?? []).filter((key) => key.region === region), awsManagedKeysSkipped: 2 })),
    credentialReportGeneratedAt: NOW.toISOString(),
    scanErrors: [],
    ...rest,
  };
}

export function aDeclared(overrides: Partial<DeclaredUser> = {}): DeclaredUser {
  return {
    name: 'someone',
    path: '/',
    owner: 'team@example.com',
    reason: 'needed',
    expires: null,
    action: null,
    inactiveAfterDays: null,
    protect: false,
    line: null,
    ...overrides,
  };
}

export function anException(overrides: Partial<ExceptionEntry> = {}): ExceptionEntry {
  return { name: 'someone', path: null, owner: 'team@example.com', reason: 'migration', expires: dateIn(60), line: null, ...overrides };
}

export type AllowlistOverrides = Partial<Omit<Allowlist, 'defaults' | 'guards'>> & {
  readonly defaults?: Partial<AllowlistDefaults>;
  readonly guards?: Partial<GuardSettings>;
};

/** Declares one user ("declared-placeholder") so the empty-allowlist guard stays quiet unless a test clears users. */
export function anAllowlist(overrides: AllowlistOverrides = {}): Allowlist {
  const { defaults, guards, ...rest } = overrides;
  return {
    version: 1,
    account: null,
    users: [aDeclared({ name: 'declared-placeholder' })],
    exceptions: [],
    sourceFile: 'allowlist.yaml',
    ...rest,
    defaults: { action: 'delete', inactiveAfterDays: null, onInactive: 'report', maxRemovalsPerRun: 10, unusedGraceDays: 7, ...defaults },
    guards: {
      kms: 'block',
      regions: 'all',
      unscannedRegions: 'hold',
      recentlyActiveDays: 7,
      recentlyActive: 'hold',
      allowEmpty: false,
      ...guards,
    },
  };
}
