import type { RunGuard } from './types';

/** An allowlist that declares no user would remove everyone: refused unless guards.allowEmpty. */
export const emptyAllowlistGuard: RunGuard = (ctx) => {
  if (ctx.allowlist.users.length > 0 || ctx.allowlist.guards.allowEmpty) return [];
  return [
    {
      kind: 'empty-allowlist',
      severity: 'high',
      resource: null,
      region: null,
      message: 'the allowlist declares no users: nothing is removed (set guards.allowEmpty: true if that is really intended)',
      blocksRun: true,
    },
  ];
};
