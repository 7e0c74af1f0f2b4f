/** The text report's CPU line (bench/report.ts): the tool's CPU beside the wall time, per call, and the endpoint's. Unit tests. */
import type { PhaseMeasurement } from '../../bench/measure';
import { cpuText, formatPhase } from '../../bench/report';

function phase(cpu: { readonly tool: number | null; readonly endpoint: number | null }): PhaseMeasurement {
  return {
    name: 'plan',
    wallMs: 8_000,
    calls: { 'kms:ListGrants': 3_000, 'kms:GetKeyPolicy': 1_000 },
    totalCalls: 4_000,
    throttled: 0,
    throttledCalls: {},
    errors: 0,
    mutatingCalls: 0,
    peakRssMiB: 300,
    peakHeapMiB: 100,
    toolPeakRssMiB: 200,
    toolPeakHeapMiB: 60,
    endpointPeakRssMiB: cpu.endpoint === null ? null : 100,
    endpointPeakHeapMiB: cpu.endpoint === null ? null : 40,
    toolCpuMs: cpu.tool,
    endpointCpuMs: cpu.endpoint,
  };
}

describe('cpu time in the text report', () => {
  it('GIVEN a phase with both processes measured WHEN formatted THEN the share of the wall time, the cost per call and the endpoint are shown', () => {
    expect(cpuText(phase({ tool: 6_000, endpoint: 2_500 }))).toBe(
      'cpu time: tool process 6.00 s (75% of the wall time), 1.50 ms per call; endpoint process 2.50 s',
    );
  });

  it("GIVEN the endpoint in the tool's process WHEN formatted THEN the one figure says it includes the endpoint", () => {
    expect(cpuText(phase({ tool: 4_000, endpoint: null }))).toBe(
      'cpu time: tool process 4.00 s (50% of the wall time), 1.00 ms per call (endpoint included: same process)',
    );
  });

  it('GIVEN a phase whose work ran in child processes WHEN formatted THEN no cpu line is printed', () => {
    const measured = phase({ tool: null, endpoint: null });
    expect(cpuText(measured)).toBeNull();
    expect(formatPhase(measured, null)).not.toContain('cpu time');
  });

  it('GIVEN a measured phase WHEN formatted THEN the cpu line follows the wall time', () => {
    const lines = formatPhase(phase({ tool: 6_000, endpoint: 2_500 }), null).split('\n');
    const wall = lines.findIndex((line) => line.startsWith('  wall time:'));
    expect(lines[wall + 1]).toBe(`  ${cpuText(phase({ tool: 6_000, endpoint: 2_500 }))}`);
  });
});
