import { describeKey } from '../kms/describe';
import { analyseKeyPolicies } from '../kms/key-analysis';
import { KMS_BLOCKS_RUN, type UserGuardHit, type UserGuardRecord } from './types';

/** Keys where the user is the sole administrator are left to kms-sole-admin. */
export const kmsKeyPolicyGuard: UserGuardRecord<'kms-key-policy'> = {
  id: 'kms-key-policy',
  category: 'decision',
  scope: 'user',
  severity: 'critical',
  blocksRun: KMS_BLOCKS_RUN,
  description:
    'a customer-managed key policy references the user (principal, wildcard, unique id, identity condition, or as an ' +
    'exception of a Deny: named by its NotPrincipal or exempted by a negated condition)',
  evaluate: (ctx, { user }) => {
    const hits: UserGuardHit[] = [];
    for (const { parsed, references, soleAdmin } of analyseKeyPolicies(ctx, user)) {
      if (soleAdmin.sole) continue;
      hits.push({
        resource: parsed.key.arn,
        region: parsed.key.region,
        message: `referenced by the key policy of KMS key ${describeKey(parsed.key)}: ${references.map((ref) => ref.detail).join('; ')}`,
      });
    }
    return hits;
  },
};
