import { isKnownTime } from '../time';
import type { Rule } from './types';

/**
 * The user's creation date is missing or unparsable. For a user that was never used, the creation date
 * is the only measure of how long it has been idle: without it, inactive and unused stay silent
 * (unknown activity, never "NaN days") and this warning says why.
 */
export const createDateUnknown: Rule = (_ctx, user) => {
  if (isKnownTime(user.createDate)) return [];
  return [
    {
      rule: 'create-date-unknown',
      severity: 'warning',
      message: `creation date ${user.createDate === '' ? 'missing' : `unparsable (${JSON.stringify(user.createDate)})`}: its age, and so whether it is inactive or unused, is unknown`,
    },
  ];
};
