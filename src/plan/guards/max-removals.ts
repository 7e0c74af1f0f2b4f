import type { RunGuard } from './types';

/** More removals (delete + quarantine) than defaults.maxRemovalsPerRun: the run removes nothing. */
export const maxRemovalsGuard: RunGuard = (ctx, { intendedRemovals }) => {
  const limit = ctx.allowlist.defaults.maxRemovalsPerRun;
  if (intendedRemovals <= limit) return [];
  return [
    {
      kind: 'max-removals',
      severity: 'medium',
      resource: null,
      region: null,
      message:
        `${intendedRemovals} removals planned, more than defaults.maxRemovalsPerRun (${limit}): nothing is removed; ` +
        'declare or except some users, or raise the limit deliberately',
      blocksRun: true,
    },
  ];
};
