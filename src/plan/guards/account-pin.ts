import type { RunGuardRecord } from './types';

export const accountPinGuard: RunGuardRecord<'account-pin'> = {
  id: 'account-pin',
  category: 'decision',
  scope: 'run',
  severity: 'critical',
  blocksRun: true,
  description: 'the allowlist pins an account and the snapshot is of another one: nothing at all is acted on',
  evaluate: (ctx) => {
    const pinned = ctx.allowlist.account;
    if (pinned === null || pinned === ctx.snapshot.accountId) return [];
    return [
      {
        resource: null,
        region: null,
        message:
          `the allowlist is pinned to account ${pinned} but the credentials are for account ${ctx.snapshot.accountId}: ` +
          'nothing is acted on',
      },
    ];
  },
};
