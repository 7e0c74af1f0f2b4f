import type { CallerIdentity, UserFacts } from '../../model/snapshot';
import type { GuardResult, UserGuard } from './types';

/**
 * Never remove the identity running the tool: the caller, and with --assume-role also the IAM user that
 * owns the base credentials which assumed the role (snapshot.baseCaller), e.g. the CI user.
 */
export const callerGuard: UserGuard = (ctx, { user }) => {
  const findings: GuardResult[] = [];
  const { caller, baseCaller } = ctx.snapshot;
  if (isIdentity(caller, user, ctx.snapshot.accountId)) {
    findings.push(finding(caller, 'it is the identity running this tool'));
  } else if (baseCaller !== undefined && baseCaller !== null && isIdentity(baseCaller, user, ctx.snapshot.accountId)) {
    findings.push(finding(baseCaller, `it owns the base credentials that assume the role running this tool (${caller.arn})`));
  }
  return findings;
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

function finding(identity: CallerIdentity, message: string): GuardResult {
  return { kind: 'caller', severity: 'high', resource: identity.arn, region: null, message, blocksRun: false };
}
