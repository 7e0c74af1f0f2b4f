import type { CallerIdentity, UserFacts } from '../../model/snapshot';
import type { UserGuardHit, UserGuardRecord } from './types';

/** With --assume-role also the IAM user that owns the base credentials which assumed the role (snapshot.baseCaller), e.g. the CI user. */
export const callerGuard: UserGuardRecord<'caller'> = {
  id: 'caller',
  category: 'decision',
  scope: 'user',
  severity: 'high',
  blocksRun: false,
  description: 'never remove the identity running the tool',
  evaluate: (ctx, { user }) => {
    const { caller, baseCaller } = ctx.snapshot;
    if (isIdentity(caller, user, ctx.snapshot.accountId)) return [hit(caller, 'it is the identity running this tool')];
    if (baseCaller !== undefined && baseCaller !== null && isIdentity(baseCaller, user, ctx.snapshot.accountId)) {
      return [hit(baseCaller, `it owns the base credentials that assume the role running this tool (${caller.arn})`)];
    }
    return [];
  },
};

/** By unique id, by ARN (case-insensitive), or by name within the same account (IAM names are unique regardless of case). */
function isIdentity(identity: CallerIdentity, user: UserFacts, accountId: string): boolean {
  if (identity.kind !== 'user') return false;
  return (
    identity.userId === user.userId ||
    identity.arn.toLowerCase() === user.arn.toLowerCase() ||
    (identity.userName !== undefined && identity.account === accountId && identity.userName.toLowerCase() === user.name.toLowerCase())
  );
}

function hit(identity: CallerIdentity, message: string): UserGuardHit {
  return { resource: identity.arn, region: null, message };
}
