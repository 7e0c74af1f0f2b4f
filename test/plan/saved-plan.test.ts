/** The saved-plan file (plan -o, apply FILE): what it holds, how it is read back, and when it is refused. */
import { UsageError } from '../../src/errors';
import { plan } from '../../src/plan/plan';
import {
  DEFAULT_MAX_PLAN_AGE_MS,
  formatDuration,
  parseMaxPlanAge,
  parseSavedPlan,
  savedPlanOf,
  savedPlanRefusals,
  type SavedPlan,
} from '../../src/plan/saved-plan';
import { ACCOUNT, NOW, aSnapshot, aUser, anAllowlist } from './fixtures';

const DIGEST = 'a'.repeat(64);
const HOUR = 3_600_000;

function aSavedPlan(): SavedPlan {
  const snapshot = aSnapshot({ users: [aUser({ name: 'leaver' }), aUser({ name: 'declared-placeholder' })] });
  const computed = plan(snapshot, anAllowlist(), NOW);
  return savedPlanOf({ plan: computed, snapshot, allowlistFile: 'allowlist.yaml', allowlistSha256: DIGEST, createdAt: NOW });
}

const check = (overrides: Partial<Parameters<typeof savedPlanRefusals>[1]> = {}) => ({
  liveAccountId: ACCOUNT,
  allowlistSha256: DIGEST,
  allowlistFile: 'allowlist.yaml',
  now: new Date(NOW.getTime() + HOUR),
  ...overrides,
});

describe('savedPlanOf', () => {
  it('GIVEN a plan with one undeclared user WHEN saved THEN kind, version, account, caller, digest, time and exactly its action', () => {
    const saved = aSavedPlan();
    expect({
      kind: saved.kind,
      schemaVersion: saved.schemaVersion,
      accountId: saved.accountId,
      caller: saved.caller.arn,
      allowlist: saved.allowlist,
      createdAt: saved.createdAt,
      actions: saved.actions.map((a) => `${a.action} ${a.userName} ${a.userId}`),
    }).toEqual({
      kind: 'iam-allowlist/saved-plan',
      schemaVersion: 1,
      accountId: ACCOUNT,
      caller: `arn:aws:sts::${ACCOUNT}:assumed-role/iam-allowlist/ci`,
      allowlist: { file: 'allowlist.yaml', sha256: DIGEST },
      createdAt: NOW.toISOString(),
      actions: [`delete leaver ${saved.plan.users.find((u) => u.name === 'leaver')!.userId}`],
    });
  });
});

describe('parseSavedPlan', () => {
  it('GIVEN the JSON of a saved plan WHEN parsed THEN the same saved plan', () => {
    const saved = aSavedPlan();
    expect(parseSavedPlan(JSON.stringify(saved, null, 2), 'p.json')).toEqual(saved);
  });

  it('GIVEN broken JSON WHEN parsed THEN a UsageError naming the file, line and column', () => {
    expect(() => parseSavedPlan('{\n  "kind" 1\n}', 'p.json')).toThrow(/^saved plan p\.json at line 2, column 10 is not valid JSON/);
  });

  it.each([
    ['another kind', (s: Record<string, unknown>) => ({ ...s, kind: 'snapshot' }), /"kind" is "snapshot"/],
    ['another schema version', (s: Record<string, unknown>) => ({ ...s, schemaVersion: 2 }), /"schemaVersion" is 2/],
    ['no digest', (s: Record<string, unknown>) => ({ ...s, allowlist: { file: 'allowlist.yaml', sha256: '' } }), /"allowlist.sha256"/],
    ['a bad time', (s: Record<string, unknown>) => ({ ...s, createdAt: 'yesterday' }), /"createdAt"/],
    [
      'an added action',
      (s: Record<string, unknown>) => ({
        ...s,
        actions: [...(s.actions as unknown[]), { action: 'delete', userName: 'x', userId: 'AIDAX', arn: 'a' }],
      }),
      /"actions" are not the plan's/,
    ],
  ])('GIVEN a saved plan with %s WHEN parsed THEN a UsageError saying what is wrong', (_what, doctor, message) => {
    const text = JSON.stringify(doctor(aSavedPlan() as unknown as Record<string, unknown>));
    let error: unknown;
    try {
      parseSavedPlan(text, 'p.json');
    } catch (err) {
      error = err;
    }
    expect(error).toBeInstanceOf(UsageError);
    expect((error as Error).message).toMatch(message);
    expect((error as UsageError).hint).toContain('plan -o FILE');
  });
});

describe('savedPlanRefusals', () => {
  it('GIVEN the same account, digest and a 1 h old plan WHEN checked THEN no refusal', () => {
    expect(savedPlanRefusals(aSavedPlan(), check())).toEqual([]);
  });

  it('GIVEN credentials for another account WHEN checked THEN refused naming both accounts', () => {
    expect(savedPlanRefusals(aSavedPlan(), check({ liveAccountId: '999988887777' }))).toEqual([
      `account: the plan is for account ${ACCOUNT}, the credentials are for account 999988887777`,
    ]);
  });

  it('GIVEN the allowlist changed WHEN checked THEN refused: plan again', () => {
    const [reason] = savedPlanRefusals(aSavedPlan(), check({ allowlistSha256: 'b'.repeat(64) }));
    expect(reason).toBe(
      'allowlist: allowlist.yaml changed since the plan (sha256 aaaaaaaaaaaa… at plan time, now bbbbbbbbbbbb…): plan again',
    );
  });

  it('GIVEN a plan 25 h old and the default 24 h WHEN checked THEN refused; WHEN --max-plan-age 48h THEN accepted', () => {
    const now = new Date(NOW.getTime() + 25 * HOUR);
    expect(savedPlanRefusals(aSavedPlan(), check({ now }))).toEqual(['age: the plan is 25h old, more than --max-plan-age 24h: plan again']);
    expect(savedPlanRefusals(aSavedPlan(), check({ now, maxAgeMs: parseMaxPlanAge('48h') }))).toEqual([]);
  });

  it('GIVEN a plan made from a snapshot older than the plan WHEN checked THEN its age counts from the snapshot', () => {
    const saved = aSavedPlan();
    const fromOldSnapshot = { ...saved, plan: { ...saved.plan, snapshotTakenAt: new Date(NOW.getTime() - 24 * HOUR).toISOString() } };
    expect(savedPlanRefusals(fromOldSnapshot, check())).toEqual(['age: the plan is 25h old, more than --max-plan-age 24h: plan again']);
  });

  it('GIVEN a plan made 2 h in the future WHEN checked THEN refused', () => {
    expect(savedPlanRefusals(aSavedPlan(), check({ now: new Date(NOW.getTime() - 2 * HOUR) }))).toEqual([
      `age: the plan says it was made 2h in the future (${NOW.toISOString()}): plan again`,
    ]);
  });
});

describe('parseMaxPlanAge and formatDuration', () => {
  it('GIVEN durations with units WHEN parsed THEN milliseconds; the default is 24 h', () => {
    expect([parseMaxPlanAge('24h'), parseMaxPlanAge('90m'), parseMaxPlanAge('2d'), parseMaxPlanAge('30s')]).toEqual([
      DEFAULT_MAX_PLAN_AGE_MS,
      90 * 60_000,
      48 * HOUR,
      30_000,
    ]);
  });

  it.each(['24', '1.5h', '0h', 'a day', ''])('GIVEN %j WHEN parsed THEN a UsageError with the fix', (text) => {
    expect(() => parseMaxPlanAge(text)).toThrow(UsageError);
  });

  it('GIVEN durations WHEN formatted THEN the exact unit or hours and minutes', () => {
    expect([
      formatDuration(24 * HOUR),
      formatDuration(90 * 60_000),
      formatDuration(45_000),
      formatDuration(25 * HOUR + 3 * 60_000 + 5),
    ]).toEqual(['24h', '1h 30m', '45s', '25h 3m']);
  });
});
