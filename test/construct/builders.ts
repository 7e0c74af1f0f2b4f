import type { Allowlist, DeclaredUser } from '../../src/model/allowlist';
import type { GuardFinding, Plan, UserPlan } from '../../src/model/plan';

export const ACCOUNT = '111122223333';
export const PLANNED_AT = '2026-03-01T12:00:00.000Z';

/** A stable, per-name fake UserId (AIDA + 16 characters, like IAM's). */
function userId(name: string): string {
  const hash = [...name].reduce((h, c) => (h * 31 + c.charCodeAt(0)) % 1_000_000_007, 7);
  return `AIDA${String(hash).padStart(16, '0')}`;
}

export function userPlan(name: string, overrides: Partial<UserPlan> = {}): UserPlan {
  const path = overrides.path ?? '/';
  return {
    name,
    userId: userId(name),
    arn: `arn:aws:iam::${ACCOUNT}:user${path}${name}`,
    path,
    decision: 'keep',
    intended: null,
    declared: false,
    owner: null,
    reasons: [],
    findings: [],
    guards: [],
    ...overrides,
  };
}

export function toDelete(name: string, reasons: string[] = ['not declared in the allowlist']): UserPlan {
  return userPlan(name, { decision: 'delete', intended: 'delete', reasons });
}

export function toQuarantine(name: string, reasons: string[] = ['inactive for 200 days']): UserPlan {
  return userPlan(name, { decision: 'quarantine', intended: 'quarantine', declared: true, reasons });
}

export function kmsGuard(keyArn: string, blocksRun: boolean): GuardFinding {
  return {
    kind: 'kms-key-policy',
    severity: 'high',
    resource: keyArn,
    region: keyArn.split(':')[3] ?? null,
    message: 'named as a principal in the key policy',
    blocksRun,
  };
}

export function heldByKms(name: string, keyArn: string, blocksRun: boolean): UserPlan {
  return userPlan(name, {
    decision: 'hold',
    intended: 'delete',
    reasons: ['referenced by a KMS key policy'],
    guards: [kmsGuard(keyArn, blocksRun)],
  });
}

export function planOf(users: UserPlan[], extra: Partial<Plan> = {}): Plan {
  const count = (d: UserPlan['decision']): number => users.filter((u) => u.decision === d).length;
  return {
    schemaVersion: 1,
    accountId: ACCOUNT,
    snapshotTakenAt: PLANNED_AT,
    plannedAt: PLANNED_AT,
    allowlistFile: '/repo/allowlist.yaml',
    users,
    runGuards: [],
    notices: [],
    summary: {
      users: users.length,
      keep: count('keep'),
      delete: count('delete'),
      quarantine: count('quarantine'),
      hold: count('hold'),
      report: count('report'),
    },
    ...extra,
  };
}

export function declaredUser(name: string, overrides: Partial<DeclaredUser> = {}): DeclaredUser {
  return {
    name,
    path: '/',
    owner: `${name}@example.com`,
    reason: `reason for ${name}`,
    expires: null,
    action: null,
    inactiveAfterDays: null,
    protect: false,
    line: null,
    ...overrides,
  };
}

export function allowlistOf(users: DeclaredUser[] = [], overrides: Partial<Allowlist> = {}): Allowlist {
  return {
    version: 1,
    account: ACCOUNT,
    defaults: { action: 'delete', inactiveAfterDays: null, onInactive: 'report', maxRemovalsPerRun: 10, unusedGraceDays: 7 },
    guards: { kms: 'block', regions: 'all', recentlyActiveDays: 7, recentlyActive: 'hold', allowEmpty: false },
    users,
    exceptions: [],
    sourceFile: '/repo/allowlist.yaml',
    ...overrides,
  };
}
