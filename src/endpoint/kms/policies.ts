import { kmsErrors } from './errors';
import { isRecord } from '../../util/record';

/** Key policy size quota (bytes). */
export const MAX_KEY_POLICY_BYTES = 32768;

/** The policy CreateKey attaches when none is given: the account root may do everything. */
export function defaultKeyPolicy(accountId: string): string {
  return JSON.stringify(
    {
      Version: '2012-10-17',
      Id: 'key-default-1',
      Statement: [
        {
          Sid: 'Enable IAM User Permissions',
          Effect: 'Allow',
          Principal: { AWS: `arn:aws:iam::${accountId}:root` },
          Action: 'kms:*',
          Resource: '*',
        },
      ],
    },
    null,
    2,
  );
}

/**
 * The shape of an AWS managed key's policy (e.g. alias/aws/s3): use through the owning service
 * only, read-only access for the account. It names no IAM user.
 */
export function awsManagedKeyPolicy(accountId: string, region: string, service: string): string {
  return JSON.stringify(
    {
      Version: '2012-10-17',
      Id: `auto-${service}-2`,
      Statement: [
        {
          Sid: `Allow access through ${service} for all principals in the account that are authorized to use ${service}`,
          Effect: 'Allow',
          Principal: { AWS: '*' },
          Action: ['kms:Encrypt', 'kms:Decrypt', 'kms:ReEncrypt*', 'kms:GenerateDataKey*', 'kms:DescribeKey'],
          Resource: '*',
          Condition: {
            StringEquals: { 'kms:CallerAccount': accountId, 'kms:ViaService': `${service}.${region}.amazonaws.com` },
          },
        },
        {
          Sid: 'Allow direct access to key metadata to the account',
          Effect: 'Allow',
          Principal: { AWS: `arn:aws:iam::${accountId}:root` },
          Action: ['kms:Describe*', 'kms:Get*', 'kms:List*', 'kms:RevokeGrant'],
          Resource: '*',
        },
      ],
    },
    null,
    2,
  );
}

/**
 * Checks what KMS checks syntactically: size, JSON, and that every statement has an Effect,
 * a Principal (or NotPrincipal) and an Action (or NotAction). Principals are not resolved.
 */
export function validateKeyPolicy(policy: string): void {
  if (Buffer.byteLength(policy, 'utf8') > MAX_KEY_POLICY_BYTES) {
    throw kmsErrors.limitExceeded(`The key policy exceeds the quota of ${MAX_KEY_POLICY_BYTES} bytes.`);
  }
  let document: unknown;
  try {
    document = JSON.parse(policy);
  } catch {
    throw kmsErrors.malformedPolicy('The policy is not valid JSON.');
  }
  if (!isRecord(document)) throw kmsErrors.malformedPolicy('The policy must be a JSON object.');
  const statements = Array.isArray(document.Statement) ? document.Statement : [document.Statement];
  if (document.Statement === undefined || statements.length === 0) {
    throw kmsErrors.malformedPolicy('The policy has no Statement.');
  }
  for (const statement of statements) {
    if (!isRecord(statement)) throw kmsErrors.malformedPolicy('Each policy statement must be a JSON object.');
    if (statement.Effect !== 'Allow' && statement.Effect !== 'Deny') {
      throw kmsErrors.malformedPolicy('Each policy statement must have Effect "Allow" or "Deny".');
    }
    if (statement.Principal === undefined && statement.NotPrincipal === undefined) {
      throw kmsErrors.malformedPolicy('Policy contains a statement with no principal.');
    }
    if (statement.Action === undefined && statement.NotAction === undefined) {
      throw kmsErrors.malformedPolicy('Policy contains a statement with no action.');
    }
  }
}
