import { ACTION_PREFLIGHT } from './action-preflight';
import type { DeclaredStep } from './api-calls';
import { DELETE_STEPS } from './delete-steps';
import { QUARANTINE_STEPS } from './quarantine-steps';
import { READ_USER_PERMISSIONS } from './read-user';
import { RECONCILE_STEP } from './reconcile';
import { RELEASE_PREFLIGHT, RELEASE_STEPS } from './release-steps';
import { RESTORE_PREFLIGHT, RESTORE_STEPS } from './restore-steps';
import { sortedUnique } from './step';

/**
 * What the inventory (plan side) calls. Includes the per-user reads of the backup, because `plan`
 * and `enforce` usually run under the same role.
 */
export const READ_PERMISSIONS: readonly string[] = [
  'iam:GetAccountAuthorizationDetails',
  'iam:GenerateCredentialReport',
  'iam:GetCredentialReport',
  'iam:ListVirtualMFADevices',
  'iam:GetAccessKeyLastUsed',
  // The account alias of the plan header (display only; the inventory tolerates its failure).
  'iam:ListAccountAliases',
  'sts:GetCallerIdentity',
  'account:ListRegions',
  'kms:ListKeys',
  'kms:ListAliases',
  'kms:DescribeKey',
  'kms:GetKeyPolicy',
  'kms:ListGrants',
  ...READ_USER_PERMISSIONS,
];

export type ActionKind = 'delete' | 'quarantine' | 'release' | 'restore';

/**
 * Every step an action runs: the policy of an action is what they declare. Each action reconciles
 * the intents a killed run left pending (reading those users in full) before its first change.
 */
const TABLES: Record<ActionKind, readonly DeclaredStep[]> = {
  delete: [RECONCILE_STEP, ACTION_PREFLIGHT, ...DELETE_STEPS],
  quarantine: [RECONCILE_STEP, ACTION_PREFLIGHT, ...QUARANTINE_STEPS],
  release: [RELEASE_PREFLIGHT, RECONCILE_STEP, ...RELEASE_STEPS],
  restore: [RESTORE_PREFLIGHT, RECONCILE_STEP, ...RESTORE_STEPS],
};

/** The IAM/STS actions one kind of action needs, sorted and without duplicates. */
export function requiredPermissions(kind: ActionKind): string[] {
  return sortedUnique(TABLES[kind].flatMap((step) => step.permissions));
}

export type PolicyMode = 'plan' | 'enforce' | 'release' | 'restore';

export interface PolicyDocument {
  readonly Version: '2012-10-17';
  readonly Statement: readonly {
    readonly Sid: string;
    readonly Effect: 'Allow';
    readonly Action: readonly string[];
    readonly Resource: '*';
  }[];
}

/**
 * A least-privilege identity policy for running the tool in one mode. "enforce" is plan + delete +
 * quarantine (Terraform's local-exec re-plans before it acts). One statement per service.
 */
export function leastPrivilegePolicy(mode: PolicyMode): PolicyDocument {
  const actions =
    mode === 'plan'
      ? [...READ_PERMISSIONS]
      : mode === 'enforce'
        ? [...READ_PERMISSIONS, ...requiredPermissions('delete'), ...requiredPermissions('quarantine')]
        : requiredPermissions(mode);
  const byService = new Map<string, string[]>();
  for (const action of sortedUnique(actions)) {
    const service = action.split(':')[0] ?? action;
    byService.set(service, [...(byService.get(service) ?? []), action]);
  }
  const sid = (service: string) => `IamAllowlist${mode[0]!.toUpperCase()}${mode.slice(1)}${service[0]!.toUpperCase()}${service.slice(1)}`;
  return {
    Version: '2012-10-17',
    Statement: [...byService.entries()].map(([service, list]) => ({
      Sid: sid(service),
      Effect: 'Allow' as const,
      Action: list,
      Resource: '*' as const,
    })),
  };
}
