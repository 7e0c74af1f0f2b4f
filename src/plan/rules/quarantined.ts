import { describeSince, isReleaseWanted, standingQuarantine } from './quarantine-state';
import type { OutcomeRule } from './types';

/**
 * Runs after the other rules and the user guards, with the decision they reached (`outcome`), so a run
 * after enforcement is clean:
 * - outcome quarantine (the allowlist still wants it quarantined): the action is done. The finding
 *   proposes "report", which settles the user as report, not a pending change;
 * - outcome delete or hold: the quarantine was a step on the way (e.g. recentlyActive: quarantine for
 *   an undeclared user whose allowlist action is delete, once its last use is older than
 *   recentlyActiveDays); the decision stands and the finding says the user is quarantined;
 * - outcome report for an undeclared user (allowlist action report): info only.
 * A user the allowlist keeps gets still-quarantined instead; an unfinished quarantine quarantine-incomplete.
 */
export const quarantined: OutcomeRule<'quarantined'> = {
  id: 'quarantined',
  category: 'decision',
  scope: 'user',
  stage: 'outcome',
  severity: 'info',
  subject: 'quarantine',
  attests: 'quarantine-in-place',
  description: 'a user the allowlist does not keep, or wants quarantined, carries a complete quarantine by this tool',
  evaluate: (ctx, user, outcome) => {
    const mark = standingQuarantine(ctx, user);
    if (mark === null || isReleaseWanted(ctx, outcome)) return [];
    const message = describeSince(mark);
    return [outcome === 'quarantine' ? { message, proposes: 'report' } : { message }];
  },
};
