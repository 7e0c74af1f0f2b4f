import { isKept, type Rule } from './types';

/** A human user (has a console password) that also holds an active access key. */
export const longTermCredentials: Rule = (ctx, user) => {
  if (!isKept(ctx) || user.activity.passwordEnabled !== true) return [];
  if (!user.activity.accessKeys.some((key) => key.active)) return [];
  return [
    {
      rule: 'long-term-credentials',
      severity: 'info',
      message: 'human user with a console password and an active access key: prefer IAM Identity Center short-term credentials',
    },
  ];
};
