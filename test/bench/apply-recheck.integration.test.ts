/**
 * The benchmark's apply phase re-checks as `apply` does: through one bounded-age scan handed to the executor
 * with its plan (ScannedPlan), so a deletion's backup reads live only what the scan lacks. Runs bench.ts's
 * runScenario against the local endpoint with the real SDK over HTTP (small account, no latency, high limits).
 */
import { runScenario } from '../../bench/bench';
import { startInProcessEndpoint, type BenchEndpoint } from '../../bench/bench-endpoint';
import { FAST } from './fixtures';

/** Per-user reads whose answers the scan already holds (GetAccountAuthorizationDetails, credential report). */
const READS_THE_SCAN_ANSWERS = ['iam:GetLoginProfile', 'iam:ListUserPolicies', 'iam:ListAttachedUserPolicies', 'iam:ListGroupsForUser'];

describe('bench apply phase: the bounded-age re-check of `apply`', () => {
  let ep: BenchEndpoint;
  const savedEnv = { ...process.env };
  beforeAll(async () => {
    ep = await startInProcessEndpoint();
    Object.assign(process.env, ep.env());
  });
  afterAll(async () => {
    process.env = savedEnv;
    await ep.stop();
  });

  it('GIVEN a generated account with 4 deletions WHEN the scenario runs THEN one re-check scan serves every user and no backup re-reads what it holds', async () => {
    const spec = { users: 40, keys: 6, regions: 2, grantsPerKey: 3, deletions: 4 };

    const report = await runScenario(ep, { spec, latencyMs: 0, limits: FAST, baselineUsers: 0, concurrency: 4 });

    expect(report.applyRecheckScans).toBe(1);
    expect(report.apply.bound?.recheckScans).toBe(1);
    const calls = report.apply.measured.calls;
    for (const op of READS_THE_SCAN_ANSWERS) expect({ op, calls: calls[op] ?? 0 }).toEqual({ op, calls: 0 });
    // The scan itself is in the apply: one GetAccountAuthorizationDetails page for 40 users.
    expect(calls['iam:GetAccountAuthorizationDetails']).toBe(1);
    expect(calls['iam:DeleteUser']).toBe(spec.deletions);
  });
});
