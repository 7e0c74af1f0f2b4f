/**
 * "Sole administrator" of a KMS key: the user is the only principal that can change the key policy
 * (kms:PutKeyPolicy) — deleting it orphans the key. The analysis itself is policy-generic (administration.ts).
 */
import type { PolicyStatement } from '../../policy/document';
import { soleHolder, type HeldAction, type SoleHolderResult } from '../../policy/administration';
import type { PrincipalIdentity } from '../../policy/principal';

export const KEY_ADMIN_ACTION = 'kms:PutKeyPolicy';

const KEY_ADMINISTRATION: HeldAction = { action: KEY_ADMIN_ACTION, ability: 'change the policy' };

export type SoleAdminResult = SoleHolderResult;

/** Whether `who` is the only principal left that can change the policy; `others` are the account's other live users and roles. */
export function soleAdministrator(
  statements: readonly PolicyStatement[],
  who: PrincipalIdentity,
  accountId: string,
  others: readonly PrincipalIdentity[],
): SoleAdminResult {
  return soleHolder(statements, KEY_ADMINISTRATION, who, accountId, others);
}
