import { accessKeyOld } from './access-key-old';
import { accessKeyUnused } from './access-key-unused';
import { createDateUnknown } from './create-date-unknown';
import { declarationExpired } from './declaration-expired';
import { exceptionExpired } from './exception-expired';
import { inactive } from './inactive';
import { longTermCredentials } from './long-term-credentials';
import { passwordWithoutMfa } from './password-without-mfa';
import type { Rule } from './types';
import { undeclared } from './undeclared';
import { unused } from './unused';

/** In priority order: the first proposal found decides what the rules intend. */
export const RULES: readonly Rule[] = [
  declarationExpired,
  exceptionExpired,
  undeclared,
  inactive,
  unused,
  createDateUnknown,
  passwordWithoutMfa,
  accessKeyOld,
  accessKeyUnused,
  longTermCredentials,
];
