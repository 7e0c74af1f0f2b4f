import type { UserGuard } from './types';

/** Never remove the identity running the tool. */
export const callerGuard: UserGuard = (ctx, { user }) => {
  const caller = ctx.snapshot.caller;
  if (caller.kind !== 'user') return [];
  const isCaller =
    caller.userId === user.userId ||
    caller.arn.toLowerCase() === user.arn.toLowerCase() ||
    // User names are unique (case-insensitively) within an account.
    (caller.userName !== undefined && caller.account === ctx.snapshot.accountId && caller.userName.toLowerCase() === user.name.toLowerCase());
  if (!isCaller) return [];
  return [
    {
      kind: 'caller',
      severity: 'high',
      resource: caller.arn,
      region: null,
      message: 'it is the identity running this tool',
      blocksRun: false,
    },
  ];
};
