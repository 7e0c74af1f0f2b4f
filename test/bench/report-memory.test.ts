/** The text report's peak-memory line (bench/report.ts): the tool's and the endpoint's process, or one process. Unit tests. */
import type { PhaseMeasurement } from '../../bench/measure';
import { formatPhase, peakMemoryText } from '../../bench/report';

function phase(endpointPeakRssMiB: number | null): PhaseMeasurement {
  return {
    name: 'plan',
    wallMs: 1000,
    calls: { 'kms:ListKeys': 1 },
    totalCalls: 1,
    throttled: 0,
    throttledCalls: {},
    errors: 0,
    mutatingCalls: 0,
    peakRssMiB: 70.4 + (endpointPeakRssMiB ?? 0),
    peakHeapMiB: 20.2 + (endpointPeakRssMiB === null ? 0 : 10),
    toolPeakRssMiB: 70.4,
    toolPeakHeapMiB: 20.2,
    endpointPeakRssMiB,
    endpointPeakHeapMiB: endpointPeakRssMiB === null ? null : 10,
    toolCpuMs: 900,
    endpointCpuMs: endpointPeakRssMiB === null ? null : 250,
  };
}

describe('peak memory in the text report', () => {
  it('GIVEN the endpoint in its own process WHEN formatted THEN the tool and the endpoint are named separately', () => {
    expect(peakMemoryText(phase(95.6))).toBe('peak memory: tool rss 70 MiB, heap 20 MiB; endpoint rss 96 MiB (separate process)');
  });

  it("GIVEN the endpoint in the tool's process WHEN formatted THEN one process's figures, endpoint included", () => {
    expect(peakMemoryText(phase(null))).toBe('peak memory: rss 70 MiB, heap used 20 MiB (whole process, endpoint included)');
  });

  it('GIVEN a phase WHEN formatted THEN its last line is the memory line', () => {
    expect(formatPhase(phase(95.6), null).split('\n').pop()).toBe(`  ${peakMemoryText(phase(95.6))}`);
  });
});
