import { isKept, type FactsRule } from './types';

export const passwordWithoutMfa: FactsRule<'password-without-mfa'> = {
  id: 'password-without-mfa',
  category: 'hygiene',
  scope: 'user',
  stage: 'facts',
  severity: 'warning',
  subject: 'credentials',
  description: 'a kept user with a console password and no MFA device active',
  evaluate: (ctx, user) => {
    if (!isKept(ctx) || user.activity.passwordEnabled !== true || user.activity.mfaActive) return [];
    return [{ message: 'console password without MFA' }];
  },
};
