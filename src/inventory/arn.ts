import type { CallerIdentity } from '../model/snapshot';

/** The parts of an ARN: arn:partition:service:region:account:resource. */
export interface ParsedArn {
  readonly partition: string;
  readonly service: string;
  readonly region: string;
  readonly account: string;
  readonly resource: string;
}

/** Splits an ARN into its parts; null when the text is not an ARN. The resource may itself contain ':'. */
export function parseArn(arn: string): ParsedArn | null {
  const parts = arn.split(':');
  if (parts.length < 6 || parts[0] !== 'arn' || parts[1] === '') return null;
  const [, partition, service, region, account] = parts as [string, string, string, string, string];
  return { partition, service, region, account, resource: parts.slice(5).join(':') };
}

/** "aws", "aws-cn", "aws-us-gov", ... of an ARN; null when the text is not an ARN. */
export function partitionOf(arn: string): string | null {
  return parseArn(arn)?.partition ?? null;
}

/**
 * The CallerIdentity of a GetCallerIdentity answer.
 * user: arn:aws:iam::A:user/path/name; assumed-role: arn:aws:sts::A:assumed-role/Role/session;
 * root: arn:aws:iam::A:root; anything else (federated-user, unparsable) is "other".
 */
export function callerIdentityFromArn(account: string, arn: string, userId: string): CallerIdentity {
  const parsed = parseArn(arn);
  if (parsed) {
    if (parsed.service === 'iam' && parsed.resource === 'root') {
      return { account, arn, userId, kind: 'root' };
    }
    if (parsed.service === 'iam' && parsed.resource.startsWith('user/')) {
      const segments = parsed.resource.split('/');
      const userName = segments[segments.length - 1];
      if (userName) return { account, arn, userId, kind: 'user', userName };
    }
    if (parsed.service === 'sts' && parsed.resource.startsWith('assumed-role/')) {
      return { account, arn, userId, kind: 'assumed-role' };
    }
  }
  return { account, arn, userId, kind: 'other' };
}
