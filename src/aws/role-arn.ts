import { UsageError } from '../errors';

/**
 * arn:<partition>:iam::<12-digit account>:role/<optional path/><name>. Role names and path segments use
 * letters, digits and +=,.@_- (IAM's character set); a path segment may not be empty.
 */
const ROLE_ARN = /^arn:[a-z][a-z0-9-]*:iam::\d{12}:role\/(?:[\w+=,.@-]+\/)*[\w+=,.@-]{1,64}$/;

/**
 * Checks a --assume-role value before any call is made: a wrong value would otherwise surface as an
 * AccessDenied from STS, naming neither the flag nor the problem. Returns the ARN; throws UsageError.
 */
export function validateRoleArn(value: string): string {
  if (ROLE_ARN.test(value)) return value;
  throw new UsageError(
    `--assume-role ${JSON.stringify(value)} is not an IAM role ARN`,
    'give the ARN of the role to assume, arn:<partition>:iam::<12-digit account id>:role/<path/><name>, ' +
      'e.g. arn:aws:iam::111122223333:role/iam-allowlist',
  );
}
