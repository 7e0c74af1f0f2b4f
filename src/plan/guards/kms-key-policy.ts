import { describeKey } from '../kms/describe';
import { analyseKeyPolicies } from '../kms/key-analysis';
import type { GuardResult, UserGuard } from './types';

/**
 * A customer-managed key policy references the user (principal, wildcard, unique id, identity
 * condition, or as an exception of a Deny: named by its NotPrincipal or exempted by a negated condition).
 * Always critical. Keys where the user is the sole administrator are left to kms-sole-admin.
 */
export const kmsKeyPolicyGuard: UserGuard = (ctx, { user }) => {
  const findings: GuardResult[] = [];
  for (const { parsed, references, soleAdmin } of analyseKeyPolicies(ctx, user)) {
    if (soleAdmin.sole) continue;
    findings.push({
      kind: 'kms-key-policy',
      severity: 'critical',
      resource: parsed.key.arn,
      region: parsed.key.region,
      message: `referenced by the key policy of KMS key ${describeKey(parsed.key)}: ${references.map((ref) => ref.detail).join('; ')}`,
      blocksRun: ctx.allowlist.guards.kms === 'block',
    });
  }
  return findings;
};
