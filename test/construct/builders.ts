import { resourceNameForAction } from '../../src/construct/names';
import type { Allowlist, DeclaredUser } from '../../src/model/allowlist';
import type { GuardFinding, Plan, UserPlan } from '../../src/model/plan';

export const ACCOUNT = '111122223333';
/** Every guard kind, in name order: what a removal record's guards_checked lists. */
export const ALL_GUARD_KINDS = [
  'account-pin',
  'caller',
  'empty-allowlist',
  'kms-grant',
  'kms-key-policy',
  'kms-sole-admin',
  'max-removals',
  'protected',
  'recently-active',
  'role-trust',
  'scan-incomplete',
] as const;
export const PLANNED_AT = '2026-03-01T12:00:00.000Z';

/** A stable, per-name fake UserId (AIDA + 16 characters, like IAM's). */
function userId(name: string): string {
  const hash = [...name].reduce((h, c) => (h * 31 + c.charCodeAt(0)) % 1_000_000_007, 7);
  return `AIDA${String(hash).padStart(16, '0')}`;
}

export function userPlan(name: string, overrides: Partial<UserPlan> = {}): UserPlan {
  const path = overrides.path ?? '/';
  const decision = overrides.decision ?? 'keep';
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
    blockedBy: decision === 'hold' ? 'user-guard' : null,
    actionStatus: decision === 'delete' || decision === 'quarantine' || decision === 'hold' ? 'pending' : 'none',
    quarantineInPlace: false,
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
    runBlocked: [...(extra.runGuards ?? []), ...users.flatMap((u) => u.guards)].some((g) => g.blocksRun),
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
    guards: { kms: 'block', regions: 'all', unscannedRegions: 'hold', recentlyActiveDays: 7, recentlyActive: 'hold', allowEmpty: false },
    users,
    exceptions: [],
    sourceFile: '/repo/allowlist.yaml',
    ...overrides,
  };
}

/** A user whose quarantine is in place and is what the plan wants: the planner settles it as report. */
export function quarantineDone(name: string, since = 'quarantined since 2026-02-10 (inactive)'): UserPlan {
  return userPlan(name, {
    decision: 'report',
    intended: null,
    declared: true,
    reasons: [since, 'inactive: last used 201 days ago (limit 90)'],
    findings: [{ rule: 'quarantined', severity: 'info', message: since }],
    actionStatus: 'done',
    quarantineInPlace: true,
  });
}

/** A quarantined user the allowlist declares again: report with the release warning. */
export function stillQuarantined(name: string): UserPlan {
  const message = `declared but still quarantined: run \`iam-allowlist release --user ${name}\`; quarantined since 2026-02-10 (inactive)`;
  return userPlan(name, {
    decision: 'report',
    intended: null,
    declared: true,
    reasons: [message],
    findings: [{ rule: 'still-quarantined', severity: 'warning', message }],
    quarantineInPlace: true,
  });
}

/** One terraform_data.<action>_user_<name> (or extra.resourceName) as the local backend stores it (state format 4). */
export function stateResource(
  name: string,
  userId: string,
  action: 'delete' | 'quarantine',
  extra: { status?: string; reasons?: string[]; resourceName?: string; module?: string; indexKey?: number; input?: object } = {},
): Record<string, unknown> {
  // Default: the input as the legacy addresses stored it (a removal record has these keys and more).
  const input = extra.input ?? {
    action,
    arn: `arn:aws:iam::${ACCOUNT}:user/${name}`,
    reasons: extra.reasons ?? ['not declared in the allowlist'],
    user: name,
    user_id: userId,
  };
  const typed = (value: object) => ({ value, type: ['object', {}] });
  return {
    ...(extra.module ? { module: extra.module } : {}),
    mode: 'managed',
    type: 'terraform_data',
    name: extra.resourceName ?? resourceNameForAction(action, name),
    provider: 'provider["terraform.io/builtin/terraform"]',
    instances: [
      {
        ...(extra.indexKey !== undefined ? { index_key: extra.indexKey } : {}),
        ...(extra.status ? { status: extra.status } : {}),
        schema_version: 0,
        attributes: { id: 'f00d', input: typed(input), output: typed(input), triggers_replace: typed({ action, user_id: userId }) },
        sensitive_attributes: [],
      },
    ],
  };
}

export function stateOf(resources: Record<string, unknown>[]): Record<string, unknown> {
  return { version: 4, terraform_version: '1.11.4', serial: 3, lineage: 'l', outputs: {}, resources, check_results: null };
}
