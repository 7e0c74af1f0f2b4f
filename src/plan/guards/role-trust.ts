import { userIdentity } from '../context';
import { policyReferences, type ReferenceVia } from '../../policy/principal';
import type { GuardResult, UserGuard } from './types';

/** References through which the user is an exception of a Deny: deleting it can lock everyone out of the role. */
const DENY_EXCEPTIONS: ReadonlySet<ReferenceVia> = new Set(['not-principal', 'deny-exception']);

/**
 * A role's trust policy lets the user assume it (same principal analysis as key policies). High; critical
 * when the user is an exception of a Deny ("deny everyone but X").
 */
export const roleTrustGuard: UserGuard = (ctx, { user }) => {
  const who = userIdentity(user);
  const findings: GuardResult[] = [];
  for (const { role, userStatements } of ctx.roles) {
    if (userStatements.length === 0) continue;
    const references = policyReferences(userStatements, who, ctx.snapshot.accountId);
    if (references.length === 0) continue;
    findings.push({
      kind: 'role-trust',
      severity: references.some((ref) => DENY_EXCEPTIONS.has(ref.via)) ? 'critical' : 'high',
      resource: role.arn,
      region: null,
      message: `trusted by role ${role.name}: ${references.map((ref) => ref.detail).join('; ')}`,
      blocksRun: false,
    });
  }
  return findings;
};
