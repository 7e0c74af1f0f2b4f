import { isKept, type FactsRule } from './types';

export const longTermCredentials: FactsRule<'long-term-credentials'> = {
  id: 'long-term-credentials',
  category: 'hygiene',
  scope: 'user',
  stage: 'facts',
  severity: 'info',
  subject: 'credentials',
  description: 'a kept human user (has a console password) that also holds an active access key',
  evaluate: (ctx, user) => {
    if (!isKept(ctx) || user.activity.passwordEnabled !== true) return [];
    if (!user.activity.accessKeys.some((key) => key.active)) return [];
    return [{ message: 'human user with a console password and an active access key: prefer IAM Identity Center short-term credentials' }];
  },
};
