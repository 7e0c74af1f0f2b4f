import { isKept, type Rule } from './types';

/** A console password with no MFA device active. */
export const passwordWithoutMfa: Rule = (ctx, user) => {
  if (!isKept(ctx) || user.activity.passwordEnabled !== true || user.activity.mfaActive) return [];
  return [{ rule: 'password-without-mfa', severity: 'warning', message: 'console password without MFA' }];
};
