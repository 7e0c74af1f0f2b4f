import type { RunGuardRecord } from './types';

export const maxRemovalsGuard: RunGuardRecord<'max-removals'> = {
  id: 'max-removals',
  category: 'decision',
  scope: 'run',
  severity: 'medium',
  blocksRun: true,
  description: 'more removals (delete + quarantine) than defaults.maxRemovalsPerRun: the run removes nothing',
  evaluate: (ctx, { intendedRemovals }) => {
    const limit = ctx.allowlist.defaults.maxRemovalsPerRun;
    if (intendedRemovals <= limit) return [];
    return [
      {
        resource: null,
        region: null,
        message:
          `${intendedRemovals} removals planned, more than defaults.maxRemovalsPerRun (${limit}): nothing is removed; ` +
          'declare or except some users, or raise the limit deliberately',
      },
    ];
  },
};
