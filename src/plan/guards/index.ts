/**
 * The guard registries: one record per file src/plan/guards/<kind>.ts, keyed by its kind (the mapped
 * types make the compiler name a GuardKind without its record, or a record filed under another kind).
 */
import type { GuardFinding, GuardKind, GuardSeverity, RunGuardKind, UserGuardKind } from '../../model/plan';
import { compareText } from '../../util/text';
import { accountPinGuard } from './account-pin';
import { callerGuard } from './caller';
import { emptyAllowlistGuard } from './empty-allowlist';
import { kmsGrantGuard } from './kms-grant';
import { kmsKeyPolicyGuard } from './kms-key-policy';
import { kmsSoleAdminGuard } from './kms-sole-admin';
import { maxRemovalsGuard } from './max-removals';
import { protectedGuard } from './protected';
import { recentlyActiveGuard } from './recently-active';
import { roleTrustGuard } from './role-trust';
import { scanIncompleteGuard } from './scan-incomplete';
import type { RunGuardRecord, UserGuardRecord } from './types';

export const USER_GUARD_RECORDS: { readonly [Kind in UserGuardKind]: UserGuardRecord<Kind> } = {
  'kms-sole-admin': kmsSoleAdminGuard,
  'kms-key-policy': kmsKeyPolicyGuard,
  'kms-grant': kmsGrantGuard,
  'role-trust': roleTrustGuard,
  caller: callerGuard,
  protected: protectedGuard,
  'recently-active': recentlyActiveGuard,
};

/** Evaluated once the per-user decisions are known (max-removals counts them). */
export const RUN_GUARD_RECORDS: { readonly [Kind in RunGuardKind]: RunGuardRecord<Kind> } = {
  'account-pin': accountPinGuard,
  'scan-incomplete': scanIncompleteGuard,
  'empty-allowlist': emptyAllowlistGuard,
  'max-removals': maxRemovalsGuard,
};

/** Their findings are sorted afterwards (compareGuardFindings), so the order of evaluation does not show. */
export const USER_GUARDS: readonly UserGuardRecord[] = Object.values<UserGuardRecord>(USER_GUARD_RECORDS);
export const RUN_GUARDS: readonly RunGuardRecord[] = Object.values<RunGuardRecord>(RUN_GUARD_RECORDS);

const SEVERITY_ORDER: Readonly<Record<GuardSeverity, number>> = { critical: 1, high: 2, medium: 3 };

/** Among findings of the same severity, most important first. */
const KIND_ORDER: Readonly<Record<GuardKind, number>> = {
  'kms-sole-admin': 1,
  'account-pin': 2,
  'kms-key-policy': 3,
  'scan-incomplete': 4,
  'kms-grant': 5,
  'empty-allowlist': 6,
  caller: 7,
  'role-trust': 8,
  protected: 9,
  'max-removals': 10,
  'recently-active': 11,
};

/** Most important first: by severity, then kind (KIND_ORDER), then resource and message. */
export function compareGuardFindings(a: GuardFinding, b: GuardFinding): number {
  return (
    SEVERITY_ORDER[a.severity] - SEVERITY_ORDER[b.severity] ||
    KIND_ORDER[a.kind] - KIND_ORDER[b.kind] ||
    compareText(a.resource ?? '', b.resource ?? '') ||
    compareText(a.message, b.message)
  );
}
