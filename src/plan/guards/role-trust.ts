import { userIdentity } from '../context';
import { policyReferences, type ReferenceVia } from '../../policy/principal';
import type { UserGuardHit, UserGuardRecord } from './types';

/** References through which the user is an exception of a Deny: deleting it can lock everyone out of the role. */
const DENY_EXCEPTIONS: ReadonlySet<ReferenceVia> = new Set(['not-principal', 'deny-exception']);

/** Same principal analysis as key policies. */
export const roleTrustGuard: UserGuardRecord<'role-trust'> = {
  id: 'role-trust',
  category: 'decision',
  scope: 'user',
  severity: { among: ['critical', 'high'], how: 'critical when the user is an exception of a Deny ("deny everyone but X"), else high' },
  blocksRun: false,
  description: "a role's trust policy lets the user assume it",
  evaluate: (ctx, { user }) => {
    const who = userIdentity(user);
    const hits: UserGuardHit[] = [];
    for (const { role, userStatements } of ctx.roles) {
      if (userStatements.length === 0) continue;
      const references = policyReferences(userStatements, who, ctx.snapshot.accountId);
      if (references.length === 0) continue;
      hits.push({
        severity: references.some((ref) => DENY_EXCEPTIONS.has(ref.via)) ? 'critical' : 'high',
        resource: role.arn,
        region: null,
        message: `trusted by role ${role.name}: ${references.map((ref) => ref.detail).join('; ')}`,
      });
    }
    return hits;
  },
};
