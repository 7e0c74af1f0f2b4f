import { describeKey } from '../kms/describe';
import { analyseKeyPolicies } from '../kms/key-analysis';
import { describeStatement } from '../../policy/document';
import { KMS_BLOCKS_RUN, type UserGuardHit, type UserGuardRecord } from './types';

export const kmsSoleAdminGuard: UserGuardRecord<'kms-sole-admin'> = {
  id: 'kms-sole-admin',
  category: 'decision',
  scope: 'user',
  severity: 'critical',
  blocksRun: KMS_BLOCKS_RUN,
  description:
    "the user is the only principal that can change a key's policy (no other Allow, or a Deny removing kms:PutKeyPolicy " +
    'from everyone but the user): the most severe finding',
  evaluate: (ctx, { user }) => {
    const hits: UserGuardHit[] = [];
    for (const { parsed, soleAdmin } of analyseKeyPolicies(ctx, user)) {
      if (!soleAdmin.sole) continue;
      hits.push({
        resource: parsed.key.arn,
        region: parsed.key.region,
        message:
          `sole administrator of KMS key ${describeKey(parsed.key)} (${describeStatement(soleAdmin.statement)}; ${soleAdmin.because}): ` +
          'deleting it orphans the key and can make its data unrecoverable',
      });
    }
    return hits;
  },
};
