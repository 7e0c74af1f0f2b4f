/**
 * `npm run bench -- --json` keeps every field it had before issue 15 (new ones may be added, none renamed
 * or dropped), so results stay comparable across versions. Unit test of the pure JSON builders.
 */
import type { BenchSettings, ScenarioReport } from '../../bench/bench';
import { DOCUMENTED_LIMITS, planBound } from '../../bench/lower-bound';
import type { PhaseMeasurement } from '../../bench/measure';
import { scalingJson, scenarioJson, type ScalingRow } from '../../bench/report';

const MEASURED_FIELDS = ['name', 'wallMs', 'calls', 'totalCalls', 'throttled', 'errors', 'mutatingCalls', 'peakRssMiB', 'peakHeapMiB'];
const ROW_FIELDS = ['users', 'keys', 'iamCalls', 'kmsCalls', 'totalCalls', 'minimumCalls', 'wallMs', 'minimumSeconds', 'peakRssMiB'];
/** Added with the endpoint's own process. */
const ROW_FIELDS_ADDED = ['toolPeakRssMiB', 'endpointPeakRssMiB'];

/** Field paths of the scenario JSON before issue 15 (from a run of `npm run bench -- --json`); maps keyed by operation are leaves. */
const SCENARIO_FIELDS_BEFORE = [
  'kind',
  'machine',
  'machine.cpus',
  'machine.node',
  'spec',
  'spec.users',
  'spec.keys',
  'spec.regions',
  'spec.grantsPerKey',
  'spec.deletions',
  'latencyMs',
  'planSummary',
  ...['plan', 'apply', 'baseline'].flatMap((phase) => [
    phase,
    `${phase}.measured`,
    ...MEASURED_FIELDS.map((f) => `${phase}.measured.${f}`),
    `${phase}.bound`,
    ...['calls', 'totalCalls', 'chain', 'rateSeconds', 'seconds'].map((f) => `${phase}.bound.${f}`),
    ...['operation', 'region', 'count'].map((f) => `${phase}.bound.calls[].${f}`),
    `${phase}.boundByOperation`,
  ]),
  'baseline.usersRun',
  'baseline.scale',
];

const SCALING_FIELDS_BEFORE = [
  'kind',
  'settings',
  'settings.spec',
  'settings.latencyMs',
  'settings.limits',
  'settings.baselineUsers',
  'settings.concurrency',
  ...ROW_FIELDS.map((f) => `rows[].${f}`),
];

const LEAF_MAPS = new Set(['calls', 'throttledCalls', 'boundByOperation', 'planSummary', 'limits']);

/** Every field path of a JSON value; list items as `[]`; objects keyed by data (operation names) are leaves. */
function fieldPaths(value: unknown, at = ''): Set<string> {
  const out = new Set<string>();
  if (Array.isArray(value)) {
    for (const item of value) for (const p of fieldPaths(item, `${at}[]`)) out.add(p);
  } else if (typeof value === 'object' && value !== null) {
    for (const [key, item] of Object.entries(value)) {
      const p = at === '' ? key : `${at}.${key}`;
      out.add(p);
      const leafMap = LEAF_MAPS.has(key) && !Array.isArray(item);
      if (!leafMap) for (const q of fieldPaths(item, p)) out.add(q);
    }
  }
  return out;
}

function measured(name: string): PhaseMeasurement {
  return {
    name,
    wallMs: 1000,
    calls: { 'kms:GetKeyPolicy': 10, 'iam:DeleteUser': 2 },
    totalCalls: 12,
    throttled: 0,
    throttledCalls: {},
    errors: 0,
    mutatingCalls: 2,
    peakRssMiB: 100,
    peakHeapMiB: 50,
    toolPeakRssMiB: 60,
    toolPeakHeapMiB: 30,
    endpointPeakRssMiB: 40,
    endpointPeakHeapMiB: 20,
    toolCpuMs: 800,
    endpointCpuMs: 300,
  };
}

const ACCOUNT = {
  users: 10,
  roles: 1,
  virtualMfaDevices: 0,
  perRegion: [{ region: 'us-east-1', keys: 7, customerKeys: 5, aliases: 7 }],
  grantsPerKey: 1,
};

function report(): ScenarioReport {
  const bound = planBound(ACCOUNT, DOCUMENTED_LIMITS, 2);
  return {
    spec: { users: 10, keys: 5, regions: 1, grantsPerKey: 1, deletions: 2 },
    latencyMs: 2,
    plan: { measured: measured('plan'), bound },
    apply: { measured: measured('apply'), bound },
    baseline: { measured: measured('baseline'), bound, usersRun: 1, scale: 2, extrapolated: true, accountFingerprint: 'f' },
    planSummary: { users: 10, keep: 8, delete: 2, quarantine: 0, hold: 0, report: 0 },
    accountFingerprint: 'f',
    recheckMaxAgeSeconds: 60,
    endpoint: 'separate-process',
  };
}

describe('--json field set', () => {
  it('GIVEN a scenario report WHEN written as JSON THEN every field of the JSON before issue 15 is still there', () => {
    const fields = fieldPaths(JSON.parse(JSON.stringify(scenarioJson(report(), { cpus: 2, node: 'v20' }))));
    expect(SCENARIO_FIELDS_BEFORE.filter((f) => !fields.has(f))).toEqual([]);
  });

  it('GIVEN a scenario report WHEN written as JSON THEN the new fields are added alongside (same account, extrapolation, ratios)', () => {
    const fields = fieldPaths(JSON.parse(JSON.stringify(scenarioJson(report(), { cpus: 2, node: 'v20' }))));
    const added = [
      'accountFingerprint',
      'baseline.accountFingerprint',
      'baseline.extrapolated',
      'recheckMaxAgeSeconds',
      'ratios.apply',
      'endpoint',
      'plan.measured.throttledCalls',
    ];
    for (const f of added) {
      expect([f, fields.has(f)]).toEqual([f, true]);
    }
  });

  it('GIVEN the endpoint in its own process WHEN written as JSON THEN each phase keeps peakRssMiB (tool + endpoint) and adds the tool and endpoint figures', () => {
    const json = JSON.parse(JSON.stringify(scenarioJson(report(), { cpus: 2, node: 'v20' })));
    for (const phase of ['plan', 'apply', 'baseline']) {
      const m = json[phase].measured;
      expect([phase, m.peakRssMiB, m.toolPeakRssMiB, m.toolPeakHeapMiB, m.endpointPeakRssMiB]).toEqual([phase, 100, 60, 30, 40]);
    }
  });

  it('GIVEN scaling rows WHEN written as JSON THEN every field of the scaling JSON before issue 15 is still there', () => {
    const settings: BenchSettings = { spec: report().spec, latencyMs: 2, limits: DOCUMENTED_LIMITS, baselineUsers: 0, concurrency: 8 };
    const row = Object.fromEntries([...ROW_FIELDS, ...ROW_FIELDS_ADDED].map((f) => [f, 1])) as unknown as ScalingRow;
    const fields = fieldPaths(JSON.parse(JSON.stringify(scalingJson(settings, [row], 'separate-process'))));
    expect(SCALING_FIELDS_BEFORE.filter((f) => !fields.has(f))).toEqual([]);
    for (const f of ['endpoint', ...ROW_FIELDS_ADDED.map((r) => `rows[].${r}`)]) expect([f, fields.has(f)]).toEqual([f, true]);
  });

  it('GIVEN a field dropped from the JSON WHEN compared THEN the check names it (the comparison can fail)', () => {
    const json = JSON.parse(JSON.stringify(scenarioJson(report(), { cpus: 2, node: 'v20' })));
    delete json.baseline.scale;
    const fields = fieldPaths(json);
    expect(SCENARIO_FIELDS_BEFORE.filter((f) => !fields.has(f))).toEqual(['baseline.scale']);
  });
});
