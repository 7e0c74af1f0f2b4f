/** Text and Markdown output of the benchmark (pure formatting). */
import type { BenchSettings, EndpointPlacement, PhaseReport, ScenarioReport } from './bench';
import { byOperation, type Bound } from './lower-bound';
import type { PhaseMeasurement } from './measure';

export function fmtSeconds(ms: number): string {
  return `${(ms / 1000).toFixed(ms < 10_000 ? 2 : 1)} s`;
}

export function ratio(actual: number, minimum: number): string {
  if (minimum <= 0) return actual === 0 ? '1.00×' : '∞';
  return `${(actual / minimum).toFixed(2)}×`;
}

/** One phase: calls per operation against the minimum, then time and memory. */
export function formatPhase(phase: PhaseMeasurement, bound: Bound | null): string {
  const minimum = bound ? byOperation(bound.calls) : {};
  const ops = [...new Set([...Object.keys(phase.calls), ...Object.keys(minimum)])].sort();
  const width = Math.max(10, ...ops.map((o) => o.length));
  const lines = [`## ${phase.name}`, `  ${'operation'.padEnd(width)}  ${'calls'.padStart(7)}  ${'minimum'.padStart(7)}`];
  for (const op of ops) {
    const min = minimum[op];
    lines.push(
      `  ${op.padEnd(width)}  ${String(phase.calls[op] ?? 0).padStart(7)}  ${(min === undefined ? '-' : String(min)).padStart(7)}`,
    );
  }
  const boundCalls = bound ? ` (minimum ${bound.totalCalls}, ratio ${ratio(phase.totalCalls, bound.totalCalls)})` : '';
  lines.push(
    `  total calls: ${phase.totalCalls}${boundCalls}; throttled ${phase.throttled}, other errors ${phase.errors - phase.throttled}, mutating ${phase.mutatingCalls}`,
  );
  const boundTime = bound
    ? ` (minimum ${fmtSeconds(bound.seconds * 1000)}: rate limits ${fmtSeconds(bound.rateSeconds * 1000)}, chain of ${bound.chain} calls; ratio ${ratio(phase.wallMs, bound.seconds * 1000)})`
    : '';
  lines.push(`  wall time: ${fmtSeconds(phase.wallMs)}${boundTime}`);
  const cpu = cpuText(phase);
  if (cpu !== null) lines.push(`  ${cpu}`);
  lines.push(`  ${peakMemoryText(phase)}`);
  return lines.join('\n');
}

/**
 * The phase's CPU time beside its wall time: a tool process busy for most of the wall time waited on the processor,
 * not on the rate limits. Null when the work ran in child processes (toolCpuMs null).
 */
export function cpuText(phase: PhaseMeasurement): string | null {
  if (phase.toolCpuMs === null) return null;
  const share = phase.wallMs > 0 ? ` (${((phase.toolCpuMs / phase.wallMs) * 100).toFixed(0)}% of the wall time)` : '';
  const perCall = phase.totalCalls > 0 ? `, ${(phase.toolCpuMs / phase.totalCalls).toFixed(2)} ms per call` : '';
  const endpoint =
    phase.endpointCpuMs === null ? ' (endpoint included: same process)' : `; endpoint process ${fmtSeconds(phase.endpointCpuMs)}`;
  return `cpu time: tool process ${fmtSeconds(phase.toolCpuMs)}${share}${perCall}${endpoint}`;
}

/** Where the endpoint ran, for the reports' headers. */
export function placementText(placement: EndpointPlacement): string {
  return placement === 'separate-process'
    ? 'local endpoint in a process of its own (the tool process measures the tool alone)'
    : "local endpoint in the tool's process (--in-process-endpoint: the memory figures include it)";
}

/** The phase's peak memory: the tool's and the endpoint's, or one process's when the endpoint shares it. */
export function peakMemoryText(phase: PhaseMeasurement): string {
  const toolRss = phase.toolPeakRssMiB;
  const toolHeap = phase.toolPeakHeapMiB;
  if (phase.endpointPeakRssMiB === null) {
    return `peak memory: rss ${toolRss.toFixed(0)} MiB, heap used ${toolHeap.toFixed(0)} MiB (whole process, endpoint included)`;
  }
  return (
    `peak memory: tool rss ${toolRss.toFixed(0)} MiB, heap ${toolHeap.toFixed(0)} MiB; ` +
    `endpoint rss ${phase.endpointPeakRssMiB.toFixed(0)} MiB (separate process)`
  );
}

export interface ScalingRow {
  readonly users: number;
  readonly keys: number;
  readonly iamCalls: number;
  readonly kmsCalls: number;
  readonly totalCalls: number;
  readonly minimumCalls: number;
  readonly wallMs: number;
  readonly minimumSeconds: number;
  /** Tool and endpoint (see PhaseMeasurement.peakRssMiB). */
  readonly peakRssMiB: number;
  /** The tool's process alone (the endpoint's too with --in-process-endpoint). */
  readonly toolPeakRssMiB: number;
  /** The endpoint's process; null when it ran in the tool's. */
  readonly endpointPeakRssMiB: number | null;
}

export function scalingTable(rows: readonly ScalingRow[]): string {
  const header = [
    '| users | KMS keys | IAM calls | KMS calls | total calls | minimum calls | ratio | KMS calls / key | wall time | minimum time | peak RSS tool | peak RSS endpoint |',
    '|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|',
  ];
  const body = rows.map(
    (r) =>
      `| ${r.users.toLocaleString('en-US')} | ${r.keys.toLocaleString('en-US')} | ${r.iamCalls} | ${r.kmsCalls} | ${r.totalCalls} | ${r.minimumCalls} | ${ratio(r.totalCalls, r.minimumCalls)} | ${(r.kmsCalls / r.keys).toFixed(2)} | ${fmtSeconds(r.wallMs)} | ${fmtSeconds(r.minimumSeconds * 1000)} | ${r.toolPeakRssMiB.toFixed(0)} MiB | ${r.endpointPeakRssMiB === null ? 'in tool' : `${r.endpointPeakRssMiB.toFixed(0)} MiB`} |`,
  );
  return [...header, ...body].join('\n');
}

export function sumCalls(calls: Readonly<Record<string, number>>, service: string): number {
  return Object.entries(calls)
    .filter(([op]) => op.startsWith(`${service}:`))
    .reduce((n, [, c]) => n + c, 0);
}

/** Ours (plan + apply) against the baseline, the baseline scaled to all deletions when it ran on fewer. */
export interface BaselineComparison {
  readonly baselineCalls: number;
  readonly baselineKmsCalls: number;
  readonly baselineMs: number;
  readonly oursCalls: number;
  readonly oursKmsCalls: number;
  readonly oursMs: number;
  readonly applyMs: number;
}

export function baselineComparison(report: ScenarioReport): BaselineComparison | null {
  const b = report.baseline;
  if (b === null) return null;
  const { plan, apply } = report;
  return {
    baselineCalls: b.measured.totalCalls * b.scale,
    baselineKmsCalls: sumCalls(b.measured.calls, 'kms') * b.scale,
    baselineMs: b.measured.wallMs * b.scale,
    oursCalls: plan.measured.totalCalls + apply.measured.totalCalls,
    oursKmsCalls: sumCalls(plan.measured.calls, 'kms') + sumCalls(apply.measured.calls, 'kms'),
    oursMs: plan.measured.wallMs + apply.measured.wallMs,
    applyMs: apply.measured.wallMs,
  };
}

export const quotient = (a: number, b: number): number | null => (b > 0 ? a / b : null);

/**
 * The `--json` document of a scenario. Its fields are kept across versions (results stay comparable):
 * new fields may be added, none renamed or dropped (test/bench/json-fields.test.ts lists them).
 */
export function scenarioJson(report: ScenarioReport, machine: { readonly cpus: number; readonly node: string }): object {
  const withOps = (p: PhaseReport) => ({ ...p, boundByOperation: p.bound ? byOperation(p.bound.calls) : null });
  const phaseRatios = (p: PhaseReport) => ({
    calls: p.bound ? quotient(p.measured.totalCalls, p.bound.totalCalls) : null,
    wall: p.bound ? quotient(p.measured.wallMs, p.bound.seconds * 1000) : null,
  });
  const vs = baselineComparison(report);
  return {
    kind: 'scenario',
    machine,
    ...report,
    plan: withOps(report.plan),
    apply: withOps(report.apply),
    baseline: report.baseline && { ...withOps(report.baseline), usersRun: report.baseline.usersRun, scale: report.baseline.scale },
    ratios: {
      plan: phaseRatios(report.plan),
      apply: phaseRatios(report.apply),
      oursVsBaseline: vs && {
        calls: quotient(vs.oursCalls, vs.baselineCalls),
        kmsCalls: quotient(vs.oursKmsCalls, vs.baselineKmsCalls),
        wall: quotient(vs.oursMs, vs.baselineMs),
        applyWall: quotient(vs.applyMs, vs.baselineMs),
      },
    },
  };
}

/** The `--json` document of `--scaling` (same rule as scenarioJson). */
export function scalingJson(settings: BenchSettings, rows: readonly ScalingRow[], endpoint: EndpointPlacement): object {
  return { kind: 'scaling', settings, endpoint, rows };
}
