import { describeKey } from '../kms/describe';
import { KMS_BLOCKS_RUN, type UserGuardHit, type UserGuardRecord } from './types';

export const kmsGrantGuard: UserGuardRecord<'kms-grant'> = {
  id: 'kms-grant',
  category: 'decision',
  scope: 'user',
  severity: 'high',
  blocksRun: KMS_BLOCKS_RUN,
  description: 'a KMS grant names the user as GranteePrincipal or RetiringPrincipal (by ARN, case-insensitive, or unique id)',
  evaluate: (ctx, { user }) => {
    const arn = user.arn.toLowerCase();
    const namesUser = (principal: string | null): boolean =>
      principal !== null && (principal.toLowerCase() === arn || principal === user.userId);
    const { lowerCase, exact } = ctx.keysByGrantPrincipal;
    // Only the keys the index says may name the user, in scan order: the same findings as reading every key.
    const candidates = [...new Set([...(lowerCase.get(arn) ?? []), ...(exact.get(user.userId) ?? [])])].sort((a, b) => a - b);
    const hits: UserGuardHit[] = [];
    for (const keyIndex of candidates) {
      const { key } = ctx.keys[keyIndex]!;
      const roles: string[] = [];
      for (const grant of key.grants ?? []) {
        const label = `grant ${grant.grantId}${grant.name ? ` "${grant.name}"` : ''}`;
        if (namesUser(grant.granteePrincipal)) roles.push(`grantee of ${label} (${grant.operations.join(', ') || 'no operations'})`);
        if (namesUser(grant.retiringPrincipal)) roles.push(`retiring principal of ${label}`);
      }
      if (roles.length === 0) continue;
      hits.push({ resource: key.arn, region: key.region, message: `${roles.join('; ')} on KMS key ${describeKey(key)}` });
    }
    return hits;
  },
};
