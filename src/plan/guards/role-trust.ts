import { userIdentity } from '../context';
import { policyReferences } from '../kms/principal';
import type { GuardResult, UserGuard } from './types';

/** A role's trust policy lets the user assume it (same principal analysis as key policies). */
export const roleTrustGuard: UserGuard = (ctx, { user }) => {
  const who = userIdentity(user);
  const findings: GuardResult[] = [];
  for (const { role, userStatements } of ctx.roles) {
    if (userStatements.length === 0) continue;
    const references = policyReferences(userStatements, who, ctx.snapshot.accountId);
    if (references.length === 0) continue;
    findings.push({
      kind: 'role-trust',
      severity: 'high',
      resource: role.arn,
      region: null,
      message: `trusted by role ${role.name}: ${references.map((ref) => ref.detail).join('; ')}`,
      blocksRun: false,
    });
  }
  return findings;
};
