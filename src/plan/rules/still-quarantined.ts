import { describeSince, isReleaseWanted, standingQuarantine } from './quarantine-state';
import type { OutcomeRule } from './types';

/** The quarantine is no longer wanted: nothing for the planner to do (report), a person runs `release`. */
export const stillQuarantined: OutcomeRule<'still-quarantined'> = {
  id: 'still-quarantined',
  category: 'decision',
  scope: 'user',
  stage: 'outcome',
  severity: 'warning',
  subject: 'quarantine',
  attests: 'quarantine-to-release',
  description: 'a user the allowlist keeps (declared, or a valid exception) still carries a complete quarantine by this tool',
  evaluate: (ctx, user, outcome) => {
    const mark = standingQuarantine(ctx, user);
    if (mark === null || !isReleaseWanted(ctx, outcome)) return [];
    const kept = ctx.match.declared !== null ? 'declared' : 'kept by an exception';
    const message = `${kept} but still quarantined: run \`iam-allowlist release --user ${user.name}\`; ${describeSince(mark)}`;
    return [{ message, proposes: 'report' }];
  },
};
