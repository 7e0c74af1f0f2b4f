import type { GuardFinding, GuardKind } from '../../model/plan';
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
import type { RunGuard, UserGuard } from './types';

export const USER_GUARDS: readonly UserGuard[] = [
  kmsSoleAdminGuard,
  kmsKeyPolicyGuard,
  kmsGrantGuard,
  roleTrustGuard,
  callerGuard,
  protectedGuard,
  recentlyActiveGuard,
];

/** Evaluated once the per-user decisions are known (max-removals counts them). */
export const RUN_GUARDS: readonly RunGuard[] = [accountPinGuard, scanIncompleteGuard, emptyAllowlistGuard, maxRemovalsGuard];

/** Most important first: by severity, then this order of kinds. */
const KIND_ORDER: readonly GuardKind[] = [
  'kms-sole-admin',
  'account-pin',
  'kms-key-policy',
  'scan-incomplete',
  'kms-grant',
  'empty-allowlist',
  'caller',
  'role-trust',
  'protected',
  'max-removals',
  'recently-active',
];
const SEVERITY_ORDER = ['critical', 'high', 'medium'] as const;

export function compareGuardFindings(a: GuardFinding, b: GuardFinding): number {
  return (
    SEVERITY_ORDER.indexOf(a.severity) - SEVERITY_ORDER.indexOf(b.severity) ||
    KIND_ORDER.indexOf(a.kind) - KIND_ORDER.indexOf(b.kind) ||
    compareText(a.resource ?? '', b.resource ?? '') ||
    compareText(a.message, b.message)
  );
}

function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
