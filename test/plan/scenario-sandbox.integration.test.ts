/**
 * test/plan/scenario.ts is a planner-level copy of the sandbox account (src/endpoint/sandbox.ts), so the planner tests
 * run without an endpoint. This test keeps the copy honest: the sandbox is inventoried through the real SDK over HTTP
 * and must agree with the scenario on every fact the scenario declares, and the planner must decide the same on both.
 * Times are compared in whole days before each snapshot's own time (the scenario is fixed at NOW, the sandbox
 * is seeded relative to the moment it starts); ids and ARNs of KMS keys differ by construction and are left out.
 */
import { AwsClients } from '../../src/aws/clients';
import { startEndpoint, type LocalEndpoint } from '../../src/endpoint';
import { takeSnapshot } from '../../src/inventory/inventory';
import { planForDisplay } from '../../src/commands/context';
import type { KmsKeyFacts, Snapshot, UserFacts } from '../../src/model/snapshot';
import type { Plan } from '../../src/model/plan';
import { plan } from '../../src/plan/plan';
import { NOW } from './fixtures';
import { sandboxAllowlist, sandboxSnapshot } from './scenario';

const DAY_MS = 24 * 60 * 60 * 1000;

function daysBefore(now: Date, iso: string | null): number | null {
  return iso === null ? null : Math.round((now.getTime() - Date.parse(iso)) / DAY_MS);
}

const byJson = <T>(items: readonly T[]): T[] => [...items].sort((a, b) => JSON.stringify(a).localeCompare(JSON.stringify(b)));

/** The user names of `snapshot` whose ARN appears in a policy document. */
function usersNamedIn(document: string | null, snapshot: Snapshot): string[] {
  return document === null
    ? []
    : snapshot.users
        .filter((u) => document.includes(u.arn))
        .map((u) => u.name)
        .sort();
}

function userFacts(user: UserFacts, now: Date) {
  return {
    name: user.name,
    path: user.path,
    createdDaysAgo: daysBefore(now, user.createDate),
    groups: [...user.groups].sort(),
    password: user.activity.passwordEnabled ? { lastUsedDaysAgo: daysBefore(now, user.activity.passwordLastUsed) } : null,
    mfa: user.activity.mfaActive,
    keys: byJson(
      user.activity.accessKeys.map((k) => ({
        active: k.active,
        lastUsedDaysAgo: daysBefore(now, k.lastUsed),
        rotatedDaysAgo: daysBefore(now, k.lastRotated),
      })),
    ),
  };
}

function keyFacts(key: KmsKeyFacts, snapshot: Snapshot) {
  return {
    region: key.region,
    aliases: [...key.aliases].sort(),
    state: key.keyState,
    namedInPolicy: usersNamedIn(key.policy, snapshot),
    grantees: key.grants?.map((g) => snapshot.users.find((u) => u.arn === g.granteePrincipal)?.name ?? g.granteePrincipal).sort() ?? null,
  };
}

/** The facts scenario.ts declares about the sandbox, in a form both snapshots can be compared on. */
function declaredFacts(snapshot: Snapshot) {
  const now = new Date(snapshot.takenAt);
  return {
    accountId: snapshot.accountId,
    caller: { kind: snapshot.caller.kind, userName: snapshot.caller.userName },
    users: snapshot.users.map((u) => userFacts(u, now)).sort((a, b) => a.name.localeCompare(b.name)),
    roles: snapshot.roles
      .map((r) => ({ name: r.name, trusts: usersNamedIn(r.trustPolicy, snapshot) }))
      .sort((a, b) => a.name.localeCompare(b.name)),
    kmsRegions: snapshot.kms.map((r) => r.region).sort(),
    customerKeys: byJson(snapshot.kms.flatMap((r) => r.keys).map((k) => keyFacts(k, snapshot))),
    scanErrors: snapshot.scanErrors,
  };
}

/** What the planner decided per user, without the key ids and ARNs that differ between the two. */
function decisions(result: Plan) {
  return {
    users: result.users.map((u) => ({
      name: u.name,
      decision: u.decision,
      intended: u.intended,
      guards: u.guards.map((g) => `${g.kind}@${g.region ?? '-'}:${g.blocksRun}`).sort(),
      findings: u.findings.map((f) => f.rule).sort(),
    })),
    runGuards: result.runGuards.map((g) => g.kind).sort(),
    summary: result.summary,
  };
}

let ep: LocalEndpoint;
let clients: AwsClients;
let sandbox: Snapshot;
const savedEnv = { ...process.env };

beforeAll(async () => {
  ep = await startEndpoint({ seed: 'sandbox' });
  Object.assign(process.env, ep.env());
  clients = new AwsClients();
  const scanned = await takeSnapshot(clients, { regions: 'all', now: new Date() });
  // As a displayed plan reads it: the scan describes no key, the plan the keys its findings name (not alias/backups).
  sandbox = (await planForDisplay(scanned, sandboxAllowlist(), new Date(scanned.takenAt), clients)).snapshot;
});

afterAll(async () => {
  clients?.destroy();
  await ep?.stop();
  process.env = savedEnv;
});

describe('test/plan/scenario.ts against the sandbox endpoint', () => {
  test('GIVEN the sandbox inventoried over HTTP WHEN compared with the scenario THEN they agree on every declared fact', () => {
    expect(sandbox.scanErrors).toEqual([]);
    expect(declaredFacts(sandboxSnapshot())).toEqual(declaredFacts(sandbox));
  });

  test('GIVEN the sandbox allowlist of the scenario WHEN both snapshots are planned THEN the decisions are the same', () => {
    const fromScenario = plan(sandboxSnapshot(), sandboxAllowlist(), NOW);
    const fromSandbox = plan(sandbox, sandboxAllowlist(), new Date(sandbox.takenAt));

    expect(decisions(fromScenario)).toEqual(decisions(fromSandbox));
  });
});
