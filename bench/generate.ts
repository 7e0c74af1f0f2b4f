/**
 * A generated account for the benchmark, seeded straight into the local endpoint's in-memory state
 * (no HTTP), plus the in-memory Allowlist that declares part of it.
 *
 * Deterministic: the same spec, seed and `now` give the same users, keys, policies and grants (the
 * endpoint's id generators restart on reset), so the baseline can run against an identical copy.
 */
import { createHash } from 'crypto';
import type { EndpointState } from '../src/endpoint/state';
import { Prng } from '../src/endpoint/prng';
import type { Allowlist, DeclaredUser } from '../src/model/allowlist';

export interface AccountSpec {
  /** Users in total (declared, held and to delete). */
  readonly users: number;
  /** Customer-managed KMS keys in total, spread round-robin over the regions. */
  readonly keys: number;
  /** Enabled regions the keys are spread over (1..REGION_POOL.length). */
  readonly regions: number;
  readonly grantsPerKey: number;
  /** Undeclared, unreferenced, long-unused users: the planned deletions. */
  readonly deletions: number;
  /** Undeclared users that KMS references (policy by ARN, by UserId, by condition, grant): held. Default 4. */
  readonly heldByKms?: number;
  /** PRNG seed. Default 7. */
  readonly seed?: number;
}

/** Regions used in order; the first three are the sandbox's. */
export const REGION_POOL: readonly string[] = [
  'us-east-1',
  'eu-west-1',
  'ap-southeast-2',
  'eu-central-1',
  'us-west-2',
  'ap-northeast-1',
  'sa-east-1',
  'ca-central-1',
];

/** AWS-managed keys every region carries (listed, then skipped by their alias without a call). */
const AWS_MANAGED_ALIASES = ['alias/aws/s3', 'alias/aws/ebs'];

/** What one deleted user has to have removed before DeleteUser succeeds. */
export interface DependentCounts {
  readonly loginProfile: number;
  readonly accessKeys: number;
  readonly virtualMfa: number;
  readonly signingCertificates: number;
  readonly sshPublicKeys: number;
  readonly serviceCredentials: number;
  readonly inlinePolicies: number;
  readonly attachedPolicies: number;
  readonly groups: number;
}

/** Facts about the seeded account that the lower bound needs (what a perfect tool would still have to read). */
export interface SeededAccount {
  readonly accountId: string;
  readonly regions: readonly string[];
  readonly users: number;
  readonly roles: number;
  /** Assigned virtual MFA devices (ListVirtualMFADevices entries). */
  readonly virtualMfaDevices: number;
  /** Per region: keys listed by ListKeys (customer + AWS managed) and aliases. */
  readonly perRegion: readonly {
    readonly region: string;
    readonly keys: number;
    readonly customerKeys: number;
    readonly aliases: number;
  }[];
  readonly grantsPerKey: number;
  /** Names of the users the plan must delete, with their dependents. */
  readonly toDelete: readonly { readonly name: string; readonly dependents: DependentCounts }[];
  readonly held: readonly string[];
  readonly allowlist: Allowlist;
}

const DAY_MS = 24 * 60 * 60 * 1000;
const PATHS = ['/', '/engineering/', '/service/', '/data/'];
const SERVICES = ['s3', 'ec2', 'dynamodb', 'sqs', 'kms', 'sts', 'lambda'];

function pad(n: number, width: number): string {
  return String(n).padStart(width, '0');
}

function document(statements: readonly object[]): string {
  return JSON.stringify({ Version: '2012-10-17', Statement: statements });
}

/**
 * Empties `state` and seeds the account described by `spec`, all times relative to `now`.
 * Users: `user-NNNNN` (declared, active within the last 30 days), `held-NNNN` (undeclared, unused
 * 60+ days, referenced by KMS: held), `stale-NNNN` (undeclared, unused 100+ days, every dependent
 * kind in some mix: deleted).
 */
export function seedAccount(state: EndpointState, spec: AccountSpec, now: Date): SeededAccount {
  if (spec.regions < 1 || spec.regions > REGION_POOL.length) throw new RangeError(`regions must be 1..${REGION_POOL.length}`);
  const heldCount = Math.min(spec.heldByKms ?? 4, spec.keys);
  const declaredCount = spec.users - spec.deletions - heldCount;
  if (declaredCount < 1) throw new RangeError(`users (${spec.users}) must exceed deletions + held (${spec.deletions + heldCount})`);

  state.clear();
  state.now = () => new Date();
  const regions = REGION_POOL.slice(0, spec.regions);
  state.regions = REGION_POOL.map((regionName, i) => ({ regionName, status: i < spec.regions ? 'ENABLED' : 'DISABLED' }));

  const prng = new Prng(spec.seed ?? 7);
  const pick = <T>(items: readonly T[]): T => items[Math.floor(prng.next() * items.length)];
  const chance = (p: number): boolean => prng.next() < p;
  const ago = (days: number) => new Date(now.getTime() - days * DAY_MS);
  const iam = state.iam;
  const accountId = state.accountId;
  iam.accountCreateDate = ago(3000);

  // Shared IAM objects: a few groups and managed policies users are attached to.
  const groups = ['developers', 'readers', 'operators', 'billing'];
  for (const g of groups) iam.createGroup(g);
  const managed = ['AppRead', 'AppWrite', 'LogsRead'].map(
    (name) =>
      iam.createPolicy({ name, document: document([{ Effect: 'Allow', Action: 's3:GetObject', Resource: '*' }]), createDate: ago(2000) })
        .arn,
  );
  const boundary = iam.createPolicy({
    name: 'Boundary',
    document: document([{ Effect: 'Allow', Action: '*', Resource: '*' }]),
    createDate: ago(2000),
  }).arn;
  iam.createRole({
    name: 'platform-admin',
    createDate: ago(900),
    trustPolicy: document([{ Effect: 'Allow', Principal: { AWS: `arn:aws:iam::${accountId}:root` }, Action: 'sts:AssumeRole' }]),
  });

  let virtualMfaDevices = 0;
  const keyUse = (days: number) => ({ date: ago(days), serviceName: pick(SERVICES), region: regions[0] });

  const declared: { name: string; path: string; arn: string; userId: string }[] = [];
  const declaredEntries: DeclaredUser[] = [];
  for (let i = 0; i < declaredCount; i++) {
    const name = `user-${pad(i, 5)}`;
    const path = PATHS[i % PATHS.length];
    const user = iam.createUser({
      name,
      path,
      createDate: ago(400 + (i % 300)),
      tags: [{ Key: 'team', Value: pick(['web', 'data', 'ops']) }],
    });
    const human = path !== '/service/';
    if (human) {
      iam.createLoginProfile(name, { createDate: ago(380) });
      iam.setActivity(name, { passwordLastUsed: ago(1 + Math.floor(prng.next() * 30)) });
      if (chance(0.7)) {
        iam.enableVirtualMfa(name, ago(370));
        virtualMfaDevices++;
      }
      iam.addUserToGroup(pick(groups), name);
    }
    const keys = human ? (chance(0.5) ? 1 : 0) : chance(0.3) ? 2 : 1;
    for (let k = 0; k < keys; k++)
      iam.createAccessKey(name, { createDate: ago(200 - k * 50), lastUsed: keyUse(Math.floor(prng.next() * 20)) });
    if (chance(0.2)) iam.attachUserPolicy(name, pick(managed));
    declared.push({ name, path, arn: user.arn, userId: user.userId });
    declaredEntries.push({
      name,
      path,
      owner: `${name}@example.com`,
      reason: human ? 'engineer' : 'service integration',
      expires: null,
      action: null,
      inactiveAfterDays: null,
      protect: false,
      line: null,
    });
  }

  const held: { name: string; arn: string; userId: string }[] = [];
  for (let i = 0; i < heldCount; i++) {
    const name = `held-${pad(i, 4)}`;
    const user = iam.createUser({ name, path: '/service/', createDate: ago(700) });
    iam.createAccessKey(name, { createDate: ago(600), lastUsed: keyUse(60 + i) });
    held.push({ name, arn: user.arn, userId: user.userId });
  }

  const toDelete: { name: string; dependents: DependentCounts }[] = [];
  for (let i = 0; i < spec.deletions; i++) {
    const name = `stale-${pad(i, 4)}`;
    iam.createUser({ name, path: pick(PATHS), createDate: ago(900), tags: [{ Key: 'team', Value: 'legacy' }] });
    if (chance(0.3)) iam.putUserPermissionsBoundary(name, boundary);
    const password = chance(0.6) ? 1 : 0;
    if (password) {
      iam.createLoginProfile(name, { createDate: ago(800) });
      iam.setActivity(name, { passwordLastUsed: ago(100 + Math.floor(prng.next() * 400)) });
    }
    let mfa = 0;
    if (password && chance(0.5)) {
      iam.enableVirtualMfa(name, ago(800));
      mfa = 1;
      virtualMfaDevices++;
    }
    const keys = 1 + Math.floor(prng.next() * 2);
    for (let k = 0; k < keys; k++) {
      iam.createAccessKey(name, {
        createDate: ago(850 - k * 100),
        lastUsed: chance(0.8) ? keyUse(100 + Math.floor(prng.next() * 300)) : undefined,
      });
    }
    const certs = chance(0.3) ? 1 : 0;
    if (certs) iam.uploadSigningCertificate(name);
    const ssh = chance(0.4) ? 1 : 0;
    if (ssh) iam.uploadSshPublicKey(name);
    const ssc = chance(0.2) ? 1 : 0;
    if (ssc) iam.createServiceSpecificCredential(name);
    const inline = chance(0.5) ? 1 + Math.floor(prng.next() * 2) : 0;
    for (let p = 0; p < inline; p++)
      iam.putUserPolicy(name, `inline-${p}`, document([{ Effect: 'Allow', Action: 'sqs:*', Resource: '*' }]));
    const attached = chance(0.5) ? 1 : 0;
    if (attached) iam.attachUserPolicy(name, pick(managed));
    const inGroups = chance(0.6) ? 1 : 0;
    if (inGroups) iam.addUserToGroup(pick(groups), name);
    toDelete.push({
      name,
      dependents: {
        loginProfile: password,
        accessKeys: keys,
        virtualMfa: mfa,
        signingCertificates: certs,
        sshPublicKeys: ssh,
        serviceCredentials: ssc,
        inlinePolicies: inline,
        attachedPolicies: attached,
        groups: inGroups,
      },
    });
  }

  // KMS: every key keeps the root statement (nobody is sole administrator); the extra statement
  // names a declared user by ARN, by UserId, or through a condition; the first keys name the held users.
  const kms = state.kms;
  const root = { Sid: 'Root', Effect: 'Allow', Principal: { AWS: `arn:aws:iam::${accountId}:root` }, Action: 'kms:*', Resource: '*' };
  const perRegion = regions.map((region) => ({ region, keys: 0, customerKeys: 0, aliases: 0 }));
  for (const entry of perRegion) {
    for (const alias of AWS_MANAGED_ALIASES)
      kms.createKey(entry.region, { keyManager: 'AWS', aliases: [alias], description: `Default key ${alias}` });
    entry.keys += AWS_MANAGED_ALIASES.length;
    entry.aliases += AWS_MANAGED_ALIASES.length;
  }
  for (let k = 0; k < spec.keys; k++) {
    const entry = perRegion[k % regions.length];
    const statements: object[] = [root];
    const grantees: string[] = [];
    if (k < held.length) {
      const h = held[k];
      const how = k % 4;
      if (how === 0) statements.push({ Sid: 'Use', Effect: 'Allow', Principal: { AWS: h.arn }, Action: ['kms:Decrypt'], Resource: '*' });
      else if (how === 1)
        statements.push({ Sid: 'Use', Effect: 'Allow', Principal: { AWS: h.userId }, Action: ['kms:Decrypt'], Resource: '*' });
      else if (how === 2) {
        statements.push({
          Sid: 'Use',
          Effect: 'Allow',
          Principal: { AWS: '*' },
          Action: ['kms:Decrypt'],
          Resource: '*',
          Condition: { StringEquals: { 'aws:username': h.name } },
        });
      } else grantees.push(h.arn);
    } else {
      const d = declared[Math.floor(prng.next() * declared.length)];
      const how = k % 5;
      if (how === 0 || how === 1)
        statements.push({ Sid: 'Use', Effect: 'Allow', Principal: { AWS: d.arn }, Action: ['kms:Encrypt', 'kms:Decrypt'], Resource: '*' });
      else if (how === 2)
        statements.push({ Sid: 'Use', Effect: 'Allow', Principal: { AWS: [d.userId] }, Action: 'kms:Decrypt', Resource: '*' });
      else if (how === 3) {
        statements.push({
          Sid: 'Team',
          Effect: 'Allow',
          Principal: { AWS: '*' },
          Action: 'kms:Decrypt',
          Resource: '*',
          Condition: { ArnLike: { 'aws:PrincipalArn': `arn:aws:iam::${accountId}:user${d.path}user-${d.name.slice(5, 8)}*` } },
        });
      }
    }
    const key = kms.createKey(entry.region, {
      description: `app key ${k}`,
      aliases: [`alias/app-${pad(k, 5)}`],
      policy: document(statements),
    });
    entry.keys++;
    entry.customerKeys++;
    entry.aliases++;
    const grantCount = Math.max(spec.grantsPerKey, grantees.length);
    for (let g = 0; g < grantCount; g++) {
      const grantee =
        grantees[g] ??
        (g % 2 === 0 ? `arn:aws:iam::${accountId}:role/platform-admin` : declared[Math.floor(prng.next() * declared.length)].arn);
      kms.createGrant(entry.region, key.keyId, {
        granteePrincipal: grantee,
        operations: ['Decrypt', 'GenerateDataKey'],
        name: `grant-${g}`,
      });
    }
  }

  const allowlist: Allowlist = {
    version: 1,
    account: accountId,
    defaults: {
      action: 'delete',
      inactiveAfterDays: null,
      onInactive: 'report',
      maxRemovalsPerRun: spec.deletions + heldCount + 10,
      unusedGraceDays: 7,
    },
    guards: { kms: 'hold', regions: 'all', unscannedRegions: 'hold', recentlyActiveDays: 7, recentlyActive: 'hold', allowEmpty: false },
    users: declaredEntries,
    exceptions: [],
    sourceFile: null,
  };

  return {
    accountId,
    regions,
    users: spec.users,
    roles: 1,
    virtualMfaDevices,
    perRegion,
    grantsPerKey: spec.grantsPerKey,
    toDelete,
    held: held.map((h) => h.name),
    allowlist,
  };
}

/**
 * A digest of what both our tool and the baseline read and change: users (name, UserId, ARN, path,
 * creation, dependents) and per region the keys (id, manager, state, policy, aliases, grants). Equal
 * digests mean the baseline ran on the same account as ours, not merely one generated from the same spec.
 */
export function accountFingerprint(state: EndpointState, regions: readonly string[]): string {
  const users = [...state.iam.users.values()]
    .sort((a, b) => (a.name < b.name ? -1 : 1))
    .map((u) => [
      u.name,
      u.userId,
      u.arn,
      u.path,
      u.createDate.toISOString(),
      u.accessKeys.map((k) => [k.accessKeyId, k.status]),
      u.signingCertificates.length,
      u.sshPublicKeys.length,
      u.serviceCredentials.length,
      u.loginProfile !== undefined,
    ]);
  const kms = regions.map((region) => {
    const r = state.kms.regionState(region);
    const aliases = [...r.aliases.values()].map((a) => [a.aliasName, a.targetKeyId]).sort();
    const keys = [...r.keys.values()]
      .sort((a, b) => (a.keyId < b.keyId ? -1 : 1))
      .map((k) => {
        const grants = k.grants.map((g) => [g.granteePrincipal, g.retiringPrincipal ?? null, g.operations]);
        return [k.keyId, k.keyManager, k.keyState, k.policy, grants];
      });
    return [region, aliases, keys];
  });
  return createHash('sha256').update(JSON.stringify({ users, kms })).digest('hex');
}
