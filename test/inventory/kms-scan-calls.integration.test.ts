/**
 * Issue 15, KMS scan cost: per customer-managed key GetKeyPolicy and ListGrants (plus grant pages), no
 * DescribeKey in the scan, nothing at all for AWS-managed keys; a displayed plan (planForDisplay) describes
 * exactly the keys its findings name; the plan's decisions unchanged. Against the local endpoint through the real SDK over HTTP, counting
 * calls with the endpoint's own counters.
 */
import { DescribeKeyCommand, paginateListKeys } from '@aws-sdk/client-kms';
import { AwsClients } from '../../src/aws/clients';
import { startEndpoint, type LocalEndpoint } from '../../src/endpoint';
import { takeSnapshot } from '../../src/inventory/inventory';
import { planForDisplay } from '../../src/commands/context';
import type { KmsKeyFacts, Snapshot } from '../../src/model/snapshot';
import type { UserPlan } from '../../src/model/plan';
import { plan } from '../../src/plan/plan';
import { FAST_SDK_RETRY } from '../aws/fast-retry';
import { anAllowlist } from '../plan/fixtures';
import { sandboxAllowlist } from '../plan/scenario';

const DAY_MS = 24 * 60 * 60 * 1000;
const REGIONS = ['eu-west-1', 'us-east-1'];
const policy = (...statements: object[]): string => JSON.stringify({ Version: '2012-10-17', Statement: statements });

let ep: LocalEndpoint;
let clients: AwsClients;
const savedEnv = { ...process.env };

beforeAll(async () => {
  ep = await startEndpoint({ seed: 'empty' });
  Object.assign(process.env, ep.env());
  clients = new AwsClients({ retryTiming: FAST_SDK_RETRY });
});

afterAll(async () => {
  clients?.destroy();
  await ep?.stop();
  process.env = savedEnv;
});

afterEach(() => ep.faults.clear());

interface Seeded {
  /** Key ids by role in the test. */
  readonly ids: Record<string, string>;
  readonly awsManaged: readonly string[];
  /** Customer-managed keys whose policy or grants name a user. */
  readonly referencing: readonly string[];
  readonly customer: number;
}

/**
 * us-east-1: two AWS-managed keys; customer keys: root-only with role grants, without any alias,
 * naming `stale` by ARN, granting to `stale`, Disabled naming `stale-disabled`, PendingDeletion granting to
 * `stale-pending`, and one with 150 role grants (two ListGrants pages). eu-west-1: one AWS-managed, one root-only.
 * Users: the four named ones and `free` (undeclared, unused, referenced by nothing).
 */
function seed(): Seeded {
  ep.reset('empty');
  const state = ep.state;
  const now = Date.now();
  const ago = (days: number) => new Date(now - days * DAY_MS);
  state.iam.accountCreateDate = ago(3000);
  // Exactly the scanned regions are enabled, so no enabled region is left out of the scan.
  state.regions = REGIONS.map((regionName) => ({ regionName, status: 'ENABLED' }));
  const arns: Record<string, string> = {};
  for (const name of ['stale', 'stale-disabled', 'stale-pending', 'free']) {
    arns[name] = state.iam.createUser({ name, path: '/', createDate: ago(900) }).arn;
    state.iam.createAccessKey(name, { createDate: ago(800), lastUsed: { date: ago(300), serviceName: 's3', region: 'us-east-1' } });
  }
  const rootArn = `arn:aws:iam::${ep.accountId}:root`;
  const trustPolicy = policy({ Effect: 'Allow', Principal: { AWS: rootArn }, Action: 'sts:AssumeRole' });
  const roleArn = state.iam.createRole({ name: 'app', createDate: ago(900), trustPolicy }).arn;
  const root = { Sid: 'Root', Effect: 'Allow', Principal: { AWS: rootArn }, Action: 'kms:*', Resource: '*' };
  const use = (arn: string) => ({ Sid: 'Use', Effect: 'Allow', Principal: { AWS: arn }, Action: 'kms:Decrypt', Resource: '*' });
  const kms = state.kms;
  const ids: Record<string, string> = {};
  const awsManaged = [
    kms.createKey('us-east-1', { keyManager: 'AWS', aliases: ['alias/aws/s3'] }).keyId,
    kms.createKey('us-east-1', { keyManager: 'AWS', aliases: ['alias/aws/ebs'] }).keyId,
    kms.createKey('eu-west-1', { keyManager: 'AWS', aliases: ['alias/aws/s3'] }).keyId,
  ];
  const grant = (region: string, keyId: string, granteePrincipal: string, name = 'g') =>
    kms.createGrant(region, keyId, { granteePrincipal, operations: ['Decrypt'], name });
  ids.plain = kms.createKey('us-east-1', { aliases: ['alias/plain'], policy: policy(root) }).keyId;
  grant('us-east-1', ids.plain, roleArn);
  grant('us-east-1', ids.plain, roleArn, 'g2');
  ids.noAlias = kms.createKey('us-east-1', { policy: policy(root) }).keyId;
  ids.named = kms.createKey('us-east-1', { aliases: ['alias/named'], policy: policy(root, use(arns.stale)) }).keyId;
  ids.granted = kms.createKey('us-east-1', { aliases: ['alias/granted'], policy: policy(root) }).keyId;
  grant('us-east-1', ids.granted, arns.stale);
  const usedByDisabled = policy(root, use(arns['stale-disabled']));
  ids.disabled = kms.createKey('us-east-1', { aliases: ['alias/disabled'], keyState: 'Disabled', policy: usedByDisabled }).keyId;
  ids.pending = kms.createKey('us-east-1', { aliases: ['alias/pending'], keyState: 'PendingDeletion', policy: policy(root) }).keyId;
  grant('us-east-1', ids.pending, arns['stale-pending']);
  ids.manyGrants = kms.createKey('us-east-1', { aliases: ['alias/many-grants'], policy: policy(root) }).keyId;
  for (let g = 0; g < 150; g++) grant('us-east-1', ids.manyGrants, roleArn, `g${g}`);
  ids.euPlain = kms.createKey('eu-west-1', { aliases: ['alias/eu-plain'], policy: policy(root) }).keyId;
  return { ids, awsManaged, referencing: [ids.named, ids.granted, ids.disabled, ids.pending], customer: 8 };
}

function scan(): Promise<Snapshot> {
  return takeSnapshot(clients, { regions: 'all', now: new Date() });
}

const keysOf = (snap: Snapshot): KmsKeyFacts[] => snap.kms.flatMap((r) => r.keys);
const userPlan = (p: ReturnType<typeof plan>, name: string): UserPlan => {
  const found = p.users.find((u) => u.name === name);
  if (!found) throw new Error(`no plan entry for ${name}`);
  return found;
};

describe('KMS calls per key', () => {
  it('GIVEN 8 customer keys (4 name a user), 3 AWS-managed WHEN scanned THEN 2 calls per customer key + pages, no Describe', async () => {
    const seeded = seed();
    // Any call on an AWS-managed key would answer AccessDenied and show up as a scan error.
    for (const keyId of seeded.awsManaged) ep.faults.denyKey(keyId);
    ep.resetCounters();

    const snap = await scan();

    expect(snap.scanErrors).toEqual([]);
    const counters = ep.counters();
    const kmsCalls = Object.fromEntries(Object.entries(counters).filter(([op]) => op.startsWith('kms:')));
    expect(kmsCalls).toEqual({
      'kms:ListKeys': REGIONS.length,
      'kms:ListAliases': REGIONS.length,
      'kms:GetKeyPolicy': seeded.customer,
      'kms:ListGrants': seeded.customer + 1, // the 150-grant key takes a second page of 100
    });
    const perKey = (kmsCalls['kms:GetKeyPolicy'] + kmsCalls['kms:ListGrants'] - 1) / seeded.customer;
    expect(perKey).toBe(2);

    const keys = keysOf(snap);
    expect(keys.map((k) => k.keyId).sort()).toEqual(Object.values(seeded.ids).sort());
    expect(snap.kms.map((r) => [r.region, r.awsManagedKeysSkipped])).toEqual([
      ['eu-west-1', 1],
      ['us-east-1', 2],
    ]);
    // keyState comes only from DescribeKey, which the scan no longer calls.
    expect(keys.filter((k) => k.keyState !== null || k.multiRegion !== null)).toEqual([]);
    expect(keys.find((k) => k.keyId === seeded.ids.noAlias)).toMatchObject({ aliases: [], keyState: null, multiRegion: null });
    expect(keys.find((k) => k.keyId === seeded.ids.manyGrants)?.grants).toHaveLength(150);
  });

  it('GIVEN disabled and pending-deletion keys naming users WHEN shown THEN held, DescribeKey per named key, state shown', async () => {
    const seeded = seed();
    const snap = await scan();
    const allowlist = anAllowlist({ guards: { kms: 'hold' } });
    const now = new Date();
    ep.resetCounters();

    const { plan: p, snapshot: described } = await planForDisplay(snap, allowlist, now, clients);

    // Only the keys the findings name, once each, and nothing else of KMS.
    const kmsCalls = Object.entries(ep.counters()).filter(([op]) => op.startsWith('kms:'));
    expect(kmsCalls).toEqual([['kms:DescribeKey', seeded.referencing.length]]);
    expect(
      keysOf(described)
        .filter((k) => k.keyState !== null)
        .map((k) => k.keyId)
        .sort(),
    ).toEqual([...seeded.referencing].sort());
    // The state decides nothing: the plan of the undescribed scan has the same decisions.
    const decisions = (q: ReturnType<typeof plan>) => q.users.map((u) => [u.name, u.decision, u.guards.length]);
    expect(decisions(p)).toEqual(decisions(plan(snap, allowlist, now)));

    expect(userPlan(p, 'free').decision).toBe('delete');
    for (const name of ['stale', 'stale-disabled', 'stale-pending']) expect([name, userPlan(p, name).decision]).toEqual([name, 'hold']);
    const messages = (name: string) =>
      userPlan(p, name)
        .guards.map((g) => g.message)
        .join('\n');
    expect(messages('stale-disabled')).toContain('alias/disabled, Disabled)');
    expect(messages('stale-pending')).toContain('alias/pending, PendingDeletion: deletion can still be cancelled)');
    expect(messages('stale')).not.toContain('state unknown');
    expect(JSON.stringify(plan(snap, allowlist, now))).toContain('state unknown');
  });

  it('GIVEN DescribeKey fails WHEN planned for display THEN no scan error, the same decisions, the state shown unknown', async () => {
    seed();
    const snap = await scan();
    const allowlist = anAllowlist({ guards: { kms: 'hold' } });
    const now = new Date();
    ep.faults.failAlways('kms:DescribeKey', 'AccessDeniedException');

    const { plan: p, snapshot: described } = await planForDisplay(snap, allowlist, now, clients);

    expect(described.scanErrors).toEqual([]);
    expect(p.runGuards.map((g) => g.kind)).not.toContain('scan-incomplete');
    expect(userPlan(p, 'free').decision).toBe('delete');
    for (const name of ['stale', 'stale-disabled', 'stale-pending']) expect([name, userPlan(p, name).decision]).toEqual([name, 'hold']);
    expect(
      userPlan(p, 'stale-pending')
        .guards.map((g) => g.message)
        .join('\n'),
    ).toContain('alias/pending, state unknown)');
  });

  it('GIVEN a key whose policy and grants cannot be read WHEN planned THEN deletions are held, no DescribeKey spent on it', async () => {
    const seeded = seed();
    ep.faults.denyKey(seeded.ids.plain);
    ep.resetCounters();

    const snap = await scan();

    expect(snap.scanErrors.map((e) => e.operation).sort()).toEqual(['GetKeyPolicy', 'ListGrants']);
    expect(ep.counters()['kms:DescribeKey']).toBeUndefined();
    expect(userPlan(plan(snap, anAllowlist({ guards: { kms: 'hold' } }), new Date()), 'free').decision).toBe('hold');
  });

  it('GIVEN ListAliases fails WHEN inventoried THEN every listed key is read as customer-managed and deletions are held', async () => {
    const seeded = seed();
    ep.faults.failAlways('kms:ListAliases', 'AccessDeniedException');
    ep.resetCounters();

    const snap = await scan();

    expect(snap.scanErrors.map((e) => e.operation)).toEqual(['ListAliases', 'ListAliases']);
    const listed = seeded.customer + seeded.awsManaged.length;
    expect(keysOf(snap)).toHaveLength(listed);
    expect(snap.kms.every((r) => r.awsManagedKeysSkipped === 0)).toBe(true);
    expect(ep.counters()['kms:GetKeyPolicy']).toBe(listed);
    expect(userPlan(plan(snap, anAllowlist({ guards: { kms: 'hold' } }), new Date()), 'free').decision).toBe('hold');
  });
});

describe('the sandbox plan with fewer KMS calls', () => {
  it('GIVEN the sandbox WHEN planned for display and from the scan with every key described (old scan) THEN same plan JSON', async () => {
    ep.reset('sandbox');
    ep.resetCounters();
    const now = new Date();
    const fresh = await takeSnapshot(clients, { regions: 'all', now });
    expect(fresh.scanErrors).toEqual([]);
    const counters = ep.counters();
    const customer = keysOf(fresh).length;
    const listed = customer + fresh.kms.reduce((n, r) => n + r.awsManagedKeysSkipped, 0);
    // Sandbox: 5 customer keys, 4 AWS-managed ones; the scan describes none.
    expect([customer, listed, counters['kms:DescribeKey']]).toEqual([5, 9, undefined]);

    // The old scan: DescribeKey on every listed key, AWS-managed ones dropped by its KeyManager.
    const described = new Map<string, { state: string; multiRegion: boolean; manager: string }>();
    for (const region of fresh.kms.map((r) => r.region)) {
      const kms = clients.kms(region);
      for await (const page of paginateListKeys({ client: kms }, {})) {
        for (const key of page.Keys ?? []) {
          const m = (await kms.send(new DescribeKeyCommand({ KeyId: key.KeyId }))).KeyMetadata!;
          described.set(m.KeyId!, { state: m.KeyState!, multiRegion: m.MultiRegion!, manager: m.KeyManager! });
        }
      }
    }
    const customerIds = [...described]
      .filter(([, d]) => d.manager === 'CUSTOMER')
      .map(([id]) => id)
      .sort();
    expect(
      keysOf(fresh)
        .map((k) => k.keyId)
        .sort(),
    ).toEqual(customerIds);
    const old: Snapshot = {
      ...fresh,
      kms: fresh.kms.map((r) => ({
        ...r,
        keys: r.keys.map((k) => ({ ...k, keyState: described.get(k.keyId)!.state, multiRegion: described.get(k.keyId)!.multiRegion })),
      })),
    };
    expect(old).not.toEqual(fresh);

    const allowlist = sandboxAllowlist();
    ep.resetCounters();
    const shown = await planForDisplay(fresh, allowlist, now, clients);
    // The sandbox's findings name 4 keys (alias/backups names no user): one DescribeKey each.
    expect(ep.counters()['kms:DescribeKey']).toBe(4);
    const before = JSON.stringify(plan(old, allowlist, now), null, 2);
    const after = JSON.stringify(shown.plan, null, 2);
    expect(after).toBe(before);
    expect(after).toContain('kms-key-policy');
    expect(after).not.toContain('state unknown');
  });
});
