import { describeKey } from '../kms/describe';
import type { GuardResult, UserGuard } from './types';

/** A KMS grant names the user as GranteePrincipal or RetiringPrincipal (by ARN, case-insensitive, or unique id). */
export const kmsGrantGuard: UserGuard = (ctx, { user }) => {
  const arn = user.arn.toLowerCase();
  const namesUser = (principal: string | null): boolean =>
    principal !== null && (principal.toLowerCase() === arn || principal === user.userId);
  const findings: GuardResult[] = [];
  for (const { key } of ctx.keys) {
    const roles: string[] = [];
    for (const grant of key.grants ?? []) {
      const label = `grant ${grant.grantId}${grant.name ? ` "${grant.name}"` : ''}`;
      if (namesUser(grant.granteePrincipal)) roles.push(`grantee of ${label} (${grant.operations.join(', ') || 'no operations'})`);
      if (namesUser(grant.retiringPrincipal)) roles.push(`retiring principal of ${label}`);
    }
    if (roles.length === 0) continue;
    findings.push({
      kind: 'kms-grant',
      severity: 'high',
      resource: key.arn,
      region: key.region,
      message: `${roles.join('; ')} on KMS key ${describeKey(key)}`,
      blocksRun: ctx.allowlist.guards.kms === 'block',
    });
  }
  return findings;
};
