import { isKnownTime } from '../time';
import type { FactsRule } from './types';

/**
 * For a user that was never used, the creation date is the only measure of how long it has been idle:
 * without it, inactive and unused stay silent (unknown activity, never "NaN days") and this warning says why.
 */
export const createDateUnknown: FactsRule<'create-date-unknown'> = {
  id: 'create-date-unknown',
  category: 'hygiene',
  scope: 'user',
  stage: 'facts',
  severity: 'warning',
  subject: 'activity',
  description: "the user's creation date is missing or unparsable, so its age (and whether it is inactive or unused) is unknown",
  evaluate: (_ctx, user) => {
    if (isKnownTime(user.createDate)) return [];
    const what = user.createDate === '' ? 'missing' : `unparsable (${JSON.stringify(user.createDate)})`;
    return [{ message: `creation date ${what}: its age, and so whether it is inactive or unused, is unknown` }];
  },
};
