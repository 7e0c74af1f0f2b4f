/** Enabled regions left out of the scan: held as scan-incomplete unless guards.unscannedRegions: allow; named in every format. */
import type { Allowlist } from '../../src/model/allowlist';
import type { Snapshot } from '../../src/model/snapshot';
import { plan } from '../../src/plan/plan';
import { renderJson } from '../../src/plan/render/json';
import { renderMarkdown } from '../../src/plan/render/markdown';
import { renderText } from '../../src/plan/render/text';
import { aKmsKey, anAllowlist, aScanError, aSnapshot, aUser, NOW } from './fixtures';

const undeclared = aUser({ name: 'data-pipeline' });
const scannedUsEast1 = (extra: Partial<Snapshot> = {}): Snapshot =>
  aSnapshot({ users: [undeclared], keys: [aKmsKey({ region: 'us-east-1' })], ...extra });
const listed = (mode: 'hold' | 'allow'): Allowlist => anAllowlist({ guards: { regions: ['us-east-1'], unscannedRegions: mode } });
const decisionOf = (snapshot: Snapshot, allowlist: Allowlist): string | undefined =>
  plan(snapshot, allowlist, NOW).users.find((user) => user.name === 'data-pipeline')?.decision;

describe('enabled regions outside guards.regions', () => {
  const snapshot = scannedUsEast1({ unscannedRegions: ['ap-southeast-2', 'eu-west-1'] });

  it('GIVEN two unscanned enabled regions and the default (hold) WHEN planned THEN one scan-incomplete run guard names both and the removal is held', () => {
    const result = plan(snapshot, listed('hold'), NOW);
    const gaps = result.runGuards.filter((guard) => guard.kind === 'scan-incomplete');
    expect(gaps).toHaveLength(1);
    expect(gaps[0]).toMatchObject({ blocksRun: true, severity: 'high' });
    expect(gaps[0]?.message).toContain('enabled regions ap-southeast-2, eu-west-1 are not scanned (guards.regions lists us-east-1)');
    expect(gaps[0]?.message).toContain('guards.unscannedRegions: allow');
    expect(decisionOf(snapshot, listed('hold'))).toBe('hold');
  });

  it('GIVEN the gap WHEN rendered as text, JSON and Markdown THEN each names the unscanned regions in the run-blocking findings', () => {
    const result = plan(snapshot, listed('hold'), NOW);
    const blockedText = renderText(result).split('Run blocked')[1] ?? '';
    expect(blockedText).toContain('ap-southeast-2, eu-west-1 are not scanned');
    const json = JSON.parse(renderJson(result)) as { runGuards: Array<{ kind: string; message: string }> };
    expect(json.runGuards.find((guard) => guard.message.includes('ap-southeast-2, eu-west-1'))?.kind).toBe('scan-incomplete');
    expect(renderMarkdown(result)).toMatch(/> - \*\*high\*\* `scan-incomplete`: .*ap-southeast-2, eu-west-1 are not scanned/);
  });

  it('GIVEN the gap and unscannedRegions: allow WHEN planned THEN no run guard, the removal proceeds, and a notice names the regions in every format', () => {
    const result = plan(snapshot, listed('allow'), NOW);
    expect(result.runGuards).toEqual([]);
    expect(decisionOf(snapshot, listed('allow'))).toBe('delete');
    expect(result.notices[0]).toMatch(
      /^accepted by guards.unscannedRegions: allow: enabled regions ap-southeast-2, eu-west-1 are not scanned/,
    );
    expect(renderText(result)).toContain('* accepted by guards.unscannedRegions: allow: enabled regions ap-southeast-2, eu-west-1');
    expect((JSON.parse(renderJson(result)) as { notices: string[] }).notices[0]).toContain('ap-southeast-2, eu-west-1');
    expect(renderMarkdown(result)).toContain('- accepted by guards.unscannedRegions: allow: enabled regions ap-southeast-2, eu-west-1');
  });

  it('GIVEN one unscanned region WHEN planned THEN the message is singular', () => {
    const one = plan(scannedUsEast1({ unscannedRegions: ['eu-west-1'] }), listed('hold'), NOW);
    expect(one.runGuards[0]?.message).toContain('enabled region eu-west-1 is not scanned');
  });

  it('GIVEN nothing unscanned WHEN planned THEN no finding and no notice', () => {
    const result = plan(scannedUsEast1({ unscannedRegions: [] }), listed('allow'), NOW);
    expect(result.runGuards).toEqual([]);
    expect(result.notices.filter((notice) => notice.includes('unscannedRegions'))).toEqual([]);
    expect(decisionOf(scannedUsEast1({ unscannedRegions: [] }), listed('hold'))).toBe('delete');
  });
});

describe('enabled regions that could not be listed', () => {
  const denied = aScanError({
    service: 'account',
    operation: 'ListRegions',
    region: undefined,
    code: 'AccessDeniedException',
    message: 'not authorized',
  });
  const unknown = scannedUsEast1({ unscannedRegions: null, unscannedRegionsError: denied });

  it('GIVEN ListRegions denied with a region list WHEN planned (hold) THEN scan-incomplete says so, naming the call and the code', () => {
    const result = plan(unknown, listed('hold'), NOW);
    expect(result.runGuards.map((guard) => guard.kind)).toEqual(['scan-incomplete']);
    expect(result.runGuards[0]?.message).toContain(
      'the enabled regions could not be listed (account ListRegions failed with AccessDeniedException',
    );
    expect(decisionOf(unknown, listed('hold'))).toBe('hold');
  });

  it('GIVEN the same with unscannedRegions: allow WHEN planned THEN the gap is accepted and named in a notice', () => {
    const result = plan(unknown, listed('allow'), NOW);
    expect(result.runGuards).toEqual([]);
    expect(result.notices[0]).toContain('the enabled regions could not be listed');
  });

  it('GIVEN regions: all whose ListRegions failed (a scan error) WHEN planned THEN one finding from the scan error, none added', () => {
    const failed = scannedUsEast1({ unscannedRegions: null, scanErrors: [denied] });
    const result = plan(failed, anAllowlist({ guards: { unscannedRegions: 'allow' } }), NOW);
    expect(result.runGuards.map((guard) => guard.message)).toEqual([
      'scan incomplete, nothing is removed: account ListRegions failed with AccessDeniedException: not authorized',
    ]);
  });
});

describe('snapshots written before unscannedRegions existed', () => {
  it('GIVEN an old snapshot and an allowlist with a region list WHEN planned THEN held: which regions were left out is unknown', () => {
    const result = plan(scannedUsEast1(), listed('hold'), NOW);
    expect(result.runGuards[0]?.message).toContain('the snapshot does not record which enabled regions the scan of us-east-1 left out');
  });

  it('GIVEN an old snapshot and regions: all WHEN planned THEN no finding (every enabled region was scanned)', () => {
    expect(plan(scannedUsEast1(), anAllowlist(), NOW).runGuards).toEqual([]);
  });
});
