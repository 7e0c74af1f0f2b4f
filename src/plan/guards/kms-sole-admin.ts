import { describeKey } from '../kms/describe';
import { analyseKeyPolicies } from '../kms/key-analysis';
import { describeStatement } from '../../policy/document';
import type { GuardResult, UserGuard } from './types';

/**
 * The user is the only principal that can change a key's policy (no other Allow, or a Deny removing
 * kms:PutKeyPolicy from everyone but the user): the most severe finding.
 */
export const kmsSoleAdminGuard: UserGuard = (ctx, { user }) => {
  const findings: GuardResult[] = [];
  for (const { parsed, soleAdmin } of analyseKeyPolicies(ctx, user)) {
    if (!soleAdmin.sole) continue;
    findings.push({
      kind: 'kms-sole-admin',
      severity: 'critical',
      resource: parsed.key.arn,
      region: parsed.key.region,
      message:
        `sole administrator of KMS key ${describeKey(parsed.key)} (${describeStatement(soleAdmin.statement)}; ${soleAdmin.because}): ` +
        'deleting it orphans the key and can make its data unrecoverable',
      blocksRun: ctx.allowlist.guards.kms === 'block',
    });
  }
  return findings;
};
