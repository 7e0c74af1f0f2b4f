/**
 * `npm run bench` runs the local endpoint in a process of its own (bench/endpoint-process.ts): the same
 * scenario through that process and through the in-process endpoint must make the same calls on the same
 * account, and the endpoint process must report its own memory. Forks the endpoint process (TypeScript
 * through ts-node) and drives it with the real SDK over HTTP (small account, no latency, high limits).
 */
import { runScenario, type ScenarioReport } from '../../bench/bench';
import { startInProcessEndpoint, type BenchEndpoint } from '../../bench/bench-endpoint';
import { startEndpointProcess } from '../../bench/endpoint-process';
import type { AccountSpec } from '../../bench/generate';
import type { PhaseMeasurement } from '../../bench/measure';
import { FAST } from './fixtures';

const SPEC: AccountSpec = { users: 20, keys: 5, regions: 2, grantsPerKey: 2, deletions: 3 };
const SEEDED_AT = new Date('2026-03-01T12:00:00.000Z');

/** Calls per operation minus the throttled ones: what does not depend on timing (none are throttled at FAST). */
function answered(m: PhaseMeasurement): Record<string, number> {
  return Object.fromEntries(Object.entries(m.calls).map(([op, n]) => [op, n - (m.throttledCalls[op] ?? 0)]));
}

async function scenarioOn(ep: BenchEndpoint): Promise<ScenarioReport> {
  const savedEnv = { ...process.env };
  Object.assign(process.env, ep.env());
  try {
    return await runScenario(ep, { spec: SPEC, latencyMs: 0, limits: FAST, baselineUsers: 0, concurrency: 4, seededAt: SEEDED_AT });
  } finally {
    process.env = savedEnv;
  }
}

describe('the endpoint in its own process', () => {
  let child: BenchEndpoint;
  let inProcess: BenchEndpoint;
  beforeAll(async () => {
    [child, inProcess] = await Promise.all([startEndpointProcess(), startInProcessEndpoint()]);
  });
  afterAll(async () => {
    await Promise.all([child.stop(), inProcess.stop()]);
  });

  it('GIVEN the same spec and clock WHEN the scenario runs through each endpoint THEN same account, same calls per operation in plan and apply', async () => {
    const separate = await scenarioOn(child);
    const shared = await scenarioOn(inProcess);

    expect(separate.accountFingerprint).toBe(shared.accountFingerprint);
    expect(answered(separate.plan.measured)).toEqual(answered(shared.plan.measured));
    expect(answered(separate.apply.measured)).toEqual(answered(shared.apply.measured));
    expect(separate.apply.measured.calls['iam:DeleteUser']).toBe(SPEC.deletions);
    expect([separate.endpoint, shared.endpoint]).toEqual(['separate-process', 'in-process']);
  });

  it('GIVEN a phase WHEN measured through the endpoint process THEN its own peak is reported and counted in the comparable sum', async () => {
    const { plan } = await scenarioOn(child);

    expect(plan.measured.endpointPeakRssMiB).toBeGreaterThan(0);
    expect(plan.measured.peakRssMiB).toBeCloseTo(plan.measured.toolPeakRssMiB + plan.measured.endpointPeakRssMiB!, 6);
  });

  it('GIVEN a phase WHEN measured through each endpoint THEN the endpoint process reports its own cpu time, and the in-process one none of its own', async () => {
    const separate = (await scenarioOn(child)).plan.measured;
    const shared = (await scenarioOn(inProcess)).plan.measured;

    expect(separate.toolCpuMs).toBeGreaterThan(0);
    expect(separate.endpointCpuMs).toBeGreaterThan(0);
    expect(shared.toolCpuMs).toBeGreaterThan(0);
    expect(shared.endpointCpuMs).toBeNull();
  });

  it('GIVEN an invalid spec WHEN seeded in the endpoint process THEN the command fails with its error and the process keeps serving', async () => {
    await expect(child.seed({ ...SPEC, regions: 0 }, SEEDED_AT)).rejects.toThrow(/regions must be 1\.\./);
    const { seeded } = await child.seed(SPEC, SEEDED_AT);
    expect(await child.usersPresent(seeded.toDelete.map((u) => u.name))).toEqual({
      present: seeded.toDelete.map((u) => u.name),
      users: SPEC.users,
    });
  });
});
