import type { RunGuardRecord } from './types';

export const emptyAllowlistGuard: RunGuardRecord<'empty-allowlist'> = {
  id: 'empty-allowlist',
  category: 'decision',
  scope: 'run',
  severity: 'high',
  blocksRun: true,
  description: 'an allowlist that declares no user would remove everyone: refused unless guards.allowEmpty',
  evaluate: (ctx) => {
    if (ctx.allowlist.users.length > 0 || ctx.allowlist.guards.allowEmpty) return [];
    return [
      {
        resource: null,
        region: null,
        message: 'the allowlist declares no users: nothing is removed (set guards.allowEmpty: true if that is really intended)',
      },
    ];
  },
};
