/**
 * The pure parts of `npm run bench -- --terraform` (bench/terraform-path.ts): the allowlist file the
 * stack is synthesized from, the enforce probe's summary, the ratios and their text (start-up, lifetime and peak RSS per enforce process), and the `--json`
 * document (a `terraform` object only when the path ran). The path itself runs real binaries; these are unit tests.
 */
import { seedAccount, type AccountSpec } from '../../bench/generate';
import type { PhaseMeasurement } from '../../bench/measure';
import {
  allowlistYaml,
  formatTerraformPath,
  summariseEnforceProcesses,
  terraformRatios,
  withTerraformPath,
  type TerraformPathReport,
} from '../../bench/terraform-path';
import { parseAllowlist } from '../../src/allowlist/load';
import { EndpointState } from '../../src/endpoint/state';

const SPEC: AccountSpec = { users: 30, keys: 6, regions: 2, grantsPerKey: 3, deletions: 3 };
const NOW = new Date('2026-03-01T12:00:00.000Z');

function phase(name: string, wallMs: number, totalCalls: number): PhaseMeasurement {
  return {
    name,
    wallMs,
    calls: { 'iam:DeleteUser': totalCalls },
    totalCalls,
    throttled: 0,
    throttledCalls: {},
    errors: 0,
    mutatingCalls: 0,
    peakRssMiB: 1,
    peakHeapMiB: 1,
    toolPeakRssMiB: 1,
    toolPeakHeapMiB: 1,
    endpointPeakRssMiB: null,
    endpointPeakHeapMiB: null,
    toolCpuMs: null,
    endpointCpuMs: null,
  };
}

function report(): TerraformPathReport {
  return {
    synth: phase('synth', 2_000, 600),
    init: phase('init', 500, 0),
    apply: phase('apply', 10_500, 1_100),
    wallMs: 13_000,
    totalCalls: 1_700,
    enforce: {
      count: 20,
      startupMs: { median: 400, max: 600 },
      lifetimeMs: { median: 5_000, max: 9_000 },
      peakRssMiB: { median: 90, max: 95 },
      exitCodes: { '0': 20 },
    },
    applyScans: 1,
    parallelism: 10,
    terraformVersion: 'Terraform v1.11.0',
    accountFingerprint: 'abcdef0123456789',
    inProcess: { applyMs: 10_000, planAndApplyMs: 12_000, planAndApplyCalls: 1_600 },
  };
}

describe('the allowlist file of the Terraform path', () => {
  it('GIVEN the generated account allowlist WHEN written as YAML and loaded back THEN settings and users are the same', () => {
    const seeded = seedAccount(new EndpointState('111122223333'), SPEC, NOW);
    const allowlist = { ...seeded.allowlist, guards: { ...seeded.allowlist.guards, recheckMaxAgeSeconds: 45 } };

    const loaded = parseAllowlist(allowlistYaml(allowlist), 'allowlist.yaml', { now: NOW });

    expect(loaded.allowlist).not.toBeNull();
    const back = loaded.allowlist!;
    expect(back.account).toBe('111122223333');
    expect(back.defaults).toEqual(allowlist.defaults);
    expect(back.guards).toEqual(allowlist.guards);
    expect(back.users.map(({ line: _line, ...u }) => u)).toEqual(allowlist.users.map(({ line: _line, ...u }) => u));
    expect(back.users).toHaveLength(SPEC.users - SPEC.deletions - 4);
  });
});

describe('the enforce processes', () => {
  it('GIVEN three probe lines (one exited before its first turn) WHEN summarised THEN count, start-up and lifetime spreads, exit codes', () => {
    const lines = [
      { pid: 1, startedAt: 1_000, readyAt: 1_300, exitedAt: 3_000, exitCode: 0, maxRssKiB: 102_400 },
      { pid: 2, startedAt: 1_000, readyAt: 1_500, exitedAt: 5_000, exitCode: 0, maxRssKiB: 153_600 },
      { pid: 3, startedAt: 2_000, readyAt: null, exitedAt: 2_100, exitCode: 3, maxRssKiB: 51_200 },
    ];

    const summary = summariseEnforceProcesses(lines.map((l) => JSON.stringify(l)).join('\n') + '\n');

    expect(summary).toEqual({
      count: 3,
      startupMs: { median: 400, max: 500 },
      lifetimeMs: { median: 2_000, max: 4_000 },
      peakRssMiB: { median: 100, max: 150 },
      exitCodes: { '0': 2, '3': 1 },
    });
  });

  it('GIVEN no probe output WHEN summarised THEN no processes and no spreads', () => {
    expect(summariseEnforceProcesses('')).toEqual({ count: 0, startupMs: null, lifetimeMs: null, peakRssMiB: null, exitCodes: {} });
  });
});

describe('ratios and report', () => {
  it('GIVEN 13 s end to end against a 10 s in-process apply WHEN compared THEN 1.30× (and the other ratios)', () => {
    const ratios = terraformRatios(report());
    expect(ratios.wallVsInProcessApply).toBeCloseTo(1.3, 10);
    expect(ratios.wallVsInProcessPlanAndApply).toBeCloseTo(13 / 12, 10);
    expect(ratios.applyVsInProcessApply).toBeCloseTo(1.05, 10);
    expect(ratios.callsVsInProcessPlanAndApply).toBeCloseTo(1_700 / 1_600, 10);
  });

  it('GIVEN an in-process apply of 0 ms WHEN compared THEN no ratio rather than Infinity', () => {
    const r = report();
    expect(terraformRatios({ ...r, inProcess: { ...r.inProcess, applyMs: 0 } }).wallVsInProcessApply).toBeNull();
  });

  it('GIVEN a report WHEN formatted THEN the text names each phase, the enforce processes and the ratio', () => {
    const text = formatTerraformPath(report());
    expect(text).toContain('synth + init + apply: 13.0 s (synth 2.00 s, init 0.50 s, apply 10.5 s), 1700 calls');
    expect(text).toContain('enforce processes: 20 (20× exit 0); start-up median 400 ms, max 600 ms');
    expect(text).toContain('ratio Terraform path / in-process apply: 1.30×');
    expect(text).toContain('account scans during apply: 1');
    expect(text).toContain("each enforce process's peak RSS: median 90 MiB, max 95 MiB");
  });
});

describe('--json with and without --terraform', () => {
  const scenario = { kind: 'scenario', apply: { measured: { wallMs: 1 } }, ratios: { apply: { wall: 1 } } };

  it('GIVEN no Terraform run WHEN the JSON is built THEN it is the scenario document unchanged (no terraform field)', () => {
    expect(withTerraformPath(scenario, null)).toEqual(scenario);
  });

  it('GIVEN a Terraform run WHEN the JSON is built THEN every scenario field stays and a terraform object with ratios is added', () => {
    const json = JSON.parse(JSON.stringify(withTerraformPath(scenario, report())));
    expect(json).toMatchObject(scenario);
    expect(json.terraform.wallMs).toBe(13_000);
    expect(json.terraform.enforce.count).toBe(20);
    expect(json.terraform.ratios.wallVsInProcessApply).toBeCloseTo(1.3, 10);
  });
});
