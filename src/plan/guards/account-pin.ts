import type { RunGuard } from './types';

/** The allowlist pins an account and the snapshot is of another one: nothing at all is acted on. */
export const accountPinGuard: RunGuard = (ctx) => {
  const pinned = ctx.allowlist.account;
  if (pinned === null || pinned === ctx.snapshot.accountId) return [];
  return [
    {
      kind: 'account-pin',
      severity: 'critical',
      resource: null,
      region: null,
      message: `the allowlist is pinned to account ${pinned} but the credentials are for account ${ctx.snapshot.accountId}: nothing is acted on`,
      blocksRun: true,
    },
  ];
};
